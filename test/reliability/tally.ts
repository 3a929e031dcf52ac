/**
 * Counting what the reliability suite tried.
 *
 * Every reliability test names what it tried with `tried(area, what, count)`.
 * Each call appends one JSON line to a per-process file under
 * `test-results/reliability/`, so any vitest worker (thread or fork, unit or
 * e2e project) can write without coordinating with the others. The reporter in
 * `./reporter.ts` clears the directory when a run starts and prints one table
 * per run at the end.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
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

export const TALLY_DIR = fileURLToPath(new URL('../../test-results/reliability/', import.meta.url));

let ensured = false;

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
  if (!ensured) {
    mkdirSync(TALLY_DIR, { recursive: true });
    ensured = true;
  }
  // One file per process: appends from one process never interleave with another's.
  appendFileSync(join(TALLY_DIR, `tally-${process.pid}.jsonl`), `${JSON.stringify(line)}\n`);
}
