/**
 * Prints, at the end of each vitest run, how many cases the reliability suite
 * tried per area and which tests tried them (passed / failed).
 *
 * The tally is written by `tried()` in `./tally.ts`; this reporter clears it
 * when a run starts so every table describes exactly one run.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { RELIABILITY_AREAS, RUN_ENV, TALLY_ROOT, tallyDir, type ReliabilityArea, type TallyLine } from './tally';

export function readTally(dir = tallyDir()): TallyLine[] {
  if (!existsSync(dir)) return [];
  const lines: TallyLine[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.jsonl')) continue;
    for (const raw of readFileSync(join(dir, name), 'utf8').split('\n')) {
      if (!raw.trim()) continue;
      try {
        lines.push(JSON.parse(raw) as TallyLine);
      } catch {
        // A half-written last line from a killed worker: ignore it.
      }
    }
  }
  return lines;
}

export interface AreaRow {
  area: ReliabilityArea;
  cases: number;
  tests: number;
  passed: number;
  failed: number;
  other: number;
}

type TestState = 'passed' | 'failed' | 'other';

/** Builds the per-area table from the tally and the state of each test. */
export function summarize(lines: readonly TallyLine[], stateOf: (file: string | null, test: string | null) => TestState): AreaRow[] {
  return RELIABILITY_AREAS.map((area) => {
    const mine = lines.filter((l) => l.area === area);
    const tests = new Map<string, TestState>();
    for (const l of mine) {
      const key = `${l.file ?? ''}\u0000${l.test ?? ''}`;
      if (!tests.has(key)) tests.set(key, stateOf(l.file, l.test));
    }
    const states = [...tests.values()];
    return {
      area,
      cases: mine.reduce((sum, l) => sum + l.count, 0),
      tests: tests.size,
      passed: states.filter((s) => s === 'passed').length,
      failed: states.filter((s) => s === 'failed').length,
      other: states.filter((s) => s === 'other').length,
    };
  });
}

export function formatTable(rows: readonly AreaRow[]): string {
  const header = ['area', 'cases tried', 'tests', 'passed', 'failed'];
  const body = rows.map((r) => [r.area, String(r.cases), String(r.tests), String(r.passed), String(r.failed + r.other)]);
  const total = rows.reduce(
    (t, r) => ({ cases: t.cases + r.cases, tests: t.tests + r.tests, passed: t.passed + r.passed, failed: t.failed + r.failed + r.other }),
    { cases: 0, tests: 0, passed: 0, failed: 0 },
  );
  body.push(['total', String(total.cases), String(total.tests), String(total.passed), String(total.failed)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const fmt = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return ['Reliability and security: what was tried', fmt(header), rule, ...body.slice(0, -1).map(fmt), rule, fmt(body.at(-1)!)].join('\n');
}

/** Tallies of runs that ended more than a day ago (other runs may be going on right now). */
function pruneOldRuns(): void {
  if (!existsSync(TALLY_ROOT)) return;
  const dayAgo = Date.now() - 86_400_000;
  for (const name of readdirSync(TALLY_ROOT)) {
    const path = `${TALLY_ROOT}${name}`;
    try {
      if (statSync(path).mtimeMs < dayAgo) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed by another run meanwhile.
    }
  }
}

export default class ReliabilityReporter implements Reporter {
  private run = `${process.pid}-${Date.now()}`;

  onInit(): void {
    // Before any worker starts: they inherit the run's name and write into its directory.
    process.env[RUN_ENV] = this.run;
    pruneOldRuns();
  }

  onTestRunStart(): void {
    // Watch mode reruns in the same process: each run starts from an empty tally.
    rmSync(tallyDir(this.run), { recursive: true, force: true });
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const lines = readTally(tallyDir(this.run));
    if (lines.length === 0) return;
    const states = new Map<string, TestState>();
    const moduleStates = new Map<string, TestState>();
    for (const mod of testModules) {
      moduleStates.set(mod.moduleId, mod.ok() ? 'passed' : 'failed');
      for (const test of mod.children.allTests()) {
        const s = test.result().state;
        states.set(`${mod.moduleId}\u0000${test.fullName}`, s === 'passed' ? 'passed' : s === 'failed' ? 'failed' : 'other');
      }
    }
    const rows = summarize(lines, (file, test) => {
      if (file && test) return states.get(`${file}\u0000${test}`) ?? 'other';
      // Counted outside a test (a hook): the file's outcome stands for it.
      if (file) return moduleStates.get(file) ?? 'other';
      return 'other';
    });
    process.stdout.write(`\n${formatTable(rows)}\n\n`);
  }
}
