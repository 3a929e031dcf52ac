/**
 * Counting what the reliability suite tried.
 *
 * Every reliability test names what it tried with `tried(area, what, count)`.
 * Each call appends one JSON line to a per-process file under
 * `test-results/reliability/<run>/`, so any vitest worker (thread or fork, unit
 * or e2e project) can write without coordinating with the others. The reporter
 * in `./reporter.ts` names the run (an environment variable the workers inherit),
 * starts it empty and prints one table at its end.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const RELIABILITY_AREAS = [
  'graph-faults',
  'worker-lifecycle',
  'storage',
  'hostile-input',
  'messages',
  'audit',
  'properties',
] as const;

export type ReliabilityArea = (typeof RELIABILITY_AREAS)[number];

export interface TallyLine {
  area: ReliabilityArea;
  what: string;
  count: number;
  /** Absolute path of the test file, when called inside a test. */
  file: string | null;
  /** Full test name ("suite > test"), when called inside a test. */
  test: string | null;
}

/** Root of every run's tally (`test-results/` is not committed). */
// A path, not `new URL(...)`: DOM environments (happy-dom) replace the global URL class.
export const TALLY_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../test-results/reliability/');
/** Set by the reporter when a run starts; workers inherit it. Two runs at once never mix. */
export const RUN_ENV = 'GDAP_LENS_RELIABILITY_RUN';

/** The directory of one run's tally (the current run's by default). */
export function tallyDir(run = process.env[RUN_ENV] ?? 'default'): string {
  return join(TALLY_ROOT, run.replace(/[^A-Za-z0-9_-]/g, '_'));
}

function currentTest(): { file: string | null; test: string | null } {
  try {
    const state = expect.getState();
    return {
      file: state.testPath ?? null,
      test: state.currentTestName ? state.currentTestName : null,
    };
  } catch {
    return { file: null, test: null };
  }
}

/** Records that `count` cases of `what` were tried in `area` by the running test. */
export function tried(area: ReliabilityArea, what: string, count = 1): void {
  if (!RELIABILITY_AREAS.includes(area)) throw new Error(`Unknown reliability area: ${String(area)}`);
  if (!Number.isFinite(count) || count < 0) throw new Error(`Bad tally count: ${count}`);
  const line: TallyLine = { area, what, count, ...currentTest() };
  const dir = tallyDir();
  mkdirSync(dir, { recursive: true });
  // One file per process: appends from one process never interleave with another's.
  appendFileSync(join(dir, `tally-${process.pid}.jsonl`), `${JSON.stringify(line)}\n`);
}
