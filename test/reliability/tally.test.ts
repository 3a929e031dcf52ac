/** The counting itself: lines land in the tally with the running test's name, and the table adds them up. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tallyDir, tried } from './tally';
import { formatTable, readTally, summarize } from './reporter';

describe('tally', () => {
  it('appends a line naming the area, what, count and the running test', () => {
    tried('audit', 'tally self-check', 0);
    const file = join(tallyDir(), `tally-${process.pid}.jsonl`);
    const last = readFileSync(file, 'utf8').trim().split('\n').at(-1)!;
    expect(JSON.parse(last)).toEqual({
      area: 'audit',
      what: 'tally self-check',
      count: 0,
      file: expect.stringMatching(/tally\.test\.ts$/),
      test: 'tally > appends a line naming the area, what, count and the running test',
    });
  });

  it('refuses unknown areas and bad counts', () => {
    expect(() => tried('nope' as never, 'x')).toThrow(/area/);
    expect(() => tried('audit', 'x', Number.NaN)).toThrow(/count/);
    expect(() => tried('audit', 'x', -1)).toThrow(/count/);
  });

  it('sums cases per area and counts each test once, by its outcome; skips torn lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-'));
    const line = (area: string, count: number, test: string) => JSON.stringify({ area, what: 'w', count, file: '/f.ts', test });
    writeFileSync(join(dir, 'tally-1.jsonl'), [line('storage', 3, 'a'), line('storage', 2, 'a'), line('messages', 1, 'b')].join('\n') + '\n');
    writeFileSync(join(dir, 'tally-2.jsonl'), `${line('storage', 4, 'c')}\n{"area":"sto`);
    const rows = summarize(readTally(dir), (_f, t) => (t === 'c' ? 'failed' : 'passed'));
    expect(rows.find((r) => r.area === 'storage')).toMatchObject({ cases: 9, tests: 2, passed: 1, failed: 1 });
    expect(rows.find((r) => r.area === 'messages')).toMatchObject({ cases: 1, tests: 1, passed: 1, failed: 0 });
    const table = formatTable(rows);
    expect(table).toMatch(/storage\s+9\s+2\s+1\s+1/);
    expect(table).toMatch(/total\s+10\s+3\s+2\s+1/);
  });
});
