/**
 * `npm run bench`: what GDAP Lens costs on the page, in the worker and in the popup.
 * Builds nothing itself (the npm script builds the Chrome production extension first);
 * prints one table and appends the run to test/bench/results.md and results.jsonl.
 *
 * Flags:
 *   --runs=N              measured runs per figure (default 5; lookups, popup and page cost take 2N)
 *   --only=a,b            sections: content, sync, lookups, page (default all)
 *   --rows=1000,5000      customer-list sizes of the page cost
 *   --customers=10000     customers of the fake world
 *   --relationships=20000 relationships of the fake world (ended ones are added)
 *   --no-record           do not write the results files
 *   --timeout-min=30      give up (and clean up) after this long
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startFakeCloud, type FakeCloud } from '../fake-cloud/server';
import { CHROME_BUILD, REPO_ROOT, assertProductionBuild, chromiumPath, launchExtension, launchPlainBrowser, type ExtensionBrowser } from '../e2e/harness';
import { signInAndSync } from '../e2e/session';
import { benchLookups, benchSync, contentScriptFigures } from './extension-figures';
import { benchPageCost } from './page-cost';
import { appendRun, consoleTable, gitState, machine, previousMedians, readRuns, type RunRecord } from './results';
import { evaluate, type Figure } from './stats';
import { benchWorld } from './world';

const SECTIONS = ['content', 'sync', 'lookups', 'page'] as const;
type Section = (typeof SECTIONS)[number];

const RESULTS_MD = join(REPO_ROOT, 'test/bench/results.md');
const RESULTS_JSONL = join(REPO_ROOT, 'test/bench/results.jsonl');

function flag(args: string[], name: string): string | undefined {
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function intFlag(args: string[], name: string, fallback: number, min: number): number {
  const raw = flag(args, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
  return n;
}

const log = (msg: string) => process.stderr.write(`${msg}\n`);

/** Everything to close, newest first; closed once, also on a signal, an error or the timeout. */
const closers: Array<() => Promise<unknown>> = [];
let cleaning: Promise<void> | null = null;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  })();
  return cleaning;
}
function exitAfterCleanUp(code: number, why: string): void {
  log(why);
  const force = setTimeout(() => process.exit(code), 15_000);
  force.unref();
  void cleanUp().finally(() => process.exit(code));
}

function chromiumVersion(plain: Browser | null): string {
  if (plain) return `Chromium ${plain.version()}`;
  try {
    return execFileSync(chromiumPath(), ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 }).trim();
  } catch {
    return 'Chromium (version unknown)';
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const runs = intFlag(args, 'runs', 5, 1);
  const only = flag(args, 'only')?.split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of only ?? []) if (!SECTIONS.includes(s as Section)) throw new Error(`--only: unknown section ${s} (${SECTIONS.join(', ')})`);
  const sections = new Set<Section>((only as Section[] | undefined) ?? SECTIONS);
  const rowCounts = (flag(args, 'rows') ?? '1000,5000').split(',').map(Number);
  if (rowCounts.some((n) => !Number.isInteger(n) || n < 1 || n > 10_000)) throw new Error('--rows: sizes from 1 to 10000');
  const customers = intFlag(args, 'customers', 10_000, 1);
  const relationships = intFlag(args, 'relationships', 20_000, 0);
  if (Math.max(...rowCounts) > customers) throw new Error('--rows cannot exceed --customers');
  const record = !args.includes('--no-record');
  const timeoutMin = intFlag(args, 'timeout-min', 30, 1);
  const timer = setTimeout(() => exitAfterCleanUp(2, `Gave up after ${timeoutMin} minutes.`), timeoutMin * 60_000);
  timer.unref();

  const started = Date.now();
  const date = new Date().toISOString();
  const git = gitState(REPO_ROOT);
  assertProductionBuild(CHROME_BUILD);
  const figures: Figure[] = [];
  if (sections.has('content')) {
    log('Content scripts…');
    figures.push(...contentScriptFigures(CHROME_BUILD));
  }

  let plain: Browser | null = null;
  const needBrowser = sections.has('sync') || sections.has('lookups') || sections.has('page');
  if (needBrowser) {
    log(`World: ${customers.toLocaleString('en-US')} customers, ~${relationships.toLocaleString('en-US')} relationships…`);
    const world = benchWorld({ customers, relationships, seed: 7, now: new Date() });
    const cloud: FakeCloud = await startFakeCloud({ world });
    closers.push(() => cloud.stop());
    const ext: ExtensionBrowser = await launchExtension({ cloud, handleSignals: false });
    closers.push(() => ext.close());
    log('Signing in and first sync (not measured)…');
    const options = await signInAndSync(ext, cloud);

    if (sections.has('sync')) {
      log(`Sync × ${runs}…`);
      figures.push(...(await benchSync({ ext, cloud, page: options, runs, log })));
    }
    if (sections.has('lookups')) {
      log('Lookups and popup…');
      const step = Math.max(1, Math.floor(world.customers.length / 300));
      const tenantIds = world.customers.filter((_, i) => i % step === 0).slice(0, 300).map((c) => c.tenantId);
      figures.push(...(await benchLookups({ ext, page: options, tenantIds, runs, log })));
    }
    if (sections.has('page')) {
      // Twice the runs: page loads on a shared machine vary most, and a median of ten says more than one of five.
      log(`Page cost, ${rowCounts.join(' and ')} rows, ${2 * runs} interleaved runs each…`);
      plain = await launchPlainBrowser({ cloud });
      const p = plain;
      closers.push(() => p.close());
      figures.push(...(await benchPageCost({ ext, plain, rowCounts, runs: 2 * runs, log })));
    }
  }

  const results = figures.map(evaluate);
  const earlier = readRuns(RESULTS_JSONL);
  const previous = previousMedians(earlier);
  const runRecord: RunRecord = {
    date,
    commit: git.commit,
    dirty: git.dirty,
    machine: machine(chromiumVersion(plain)),
    args,
    durationS: (Date.now() - started) / 1000,
    figures: results,
  };
  await cleanUp();

  const m = runRecord.machine;
  console.log(`\nGDAP Lens benchmarks — ${date}, commit ${git.commit}${git.dirty ? ' (dirty)' : ''}`);
  console.log(`${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB; ${m.os}; Node ${m.node}; ${m.chromium}\n`);
  console.log(consoleTable(results, previous));
  const last = earlier.at(-1);
  console.log(last ? `\n"vs last run": change of the median against the previous run (latest ${last.date}, ${last.commit}).` : '\nNo earlier run to compare with.');
  if (record) {
    appendRun(RESULTS_MD, RESULTS_JSONL, runRecord, previous);
    console.log('Recorded in test/bench/results.md and results.jsonl.');
  }
  const missed = results.filter((r) => r.met === false);
  console.log(missed.length ? `${missed.length} goal(s) missed.` : 'Every goal met.');
  return 0;
}

process.on('SIGINT', () => exitAfterCleanUp(130, 'Interrupted.'));
process.on('SIGTERM', () => exitAfterCleanUp(143, 'Terminated.'));
process.on('unhandledRejection', (e) => exitAfterCleanUp(1, `Unhandled rejection: ${e instanceof Error ? e.stack : String(e)}`));

main().then(
  async (code) => {
    await cleanUp();
    process.exit(code);
  },
  (e: unknown) => exitAfterCleanUp(1, `Benchmark failed: ${e instanceof Error ? e.stack : String(e)}`),
);
