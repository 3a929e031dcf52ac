/** The benchmark's arithmetic and bookkeeping (test/bench/stats.ts, results.ts, world.ts). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { change, evaluate, formatValue, summarize, verdict } from '../bench/stats';
import { appendRun, previousMedians, readRuns, type RunRecord } from '../bench/results';
import { benchWorld } from '../bench/world';

describe('summaries and verdicts', () => {
  it('median of odd and even counts, min and max; non-finite values are left out', () => {
    expect(summarize([5, 1, 3])).toEqual({ n: 3, median: 3, min: 1, max: 5 });
    expect(summarize([4, 1, 3, 2])).toEqual({ n: 4, median: 2.5, min: 1, max: 4 });
    expect(summarize([1, NaN, Infinity]).n).toBe(1);
    expect(summarize([]).n).toBe(0);
  });

  it('a goal is met when the median is at most the goal, else says by how much', () => {
    expect(verdict(evaluate({ id: 'a', label: 'a', unit: 'ms', samples: [90, 100, 500], goalMax: 100 }))).toBe('met');
    expect(verdict(evaluate({ id: 'a', label: 'a', unit: 'ms', samples: [120, 130, 125], goalMax: 100 }))).toBe('missed by 25.0 ms (+25%)');
    expect(verdict(evaluate({ id: 'a', label: 'a', unit: 'count', samples: [2, 2, 1], goalMax: 0 }))).toBe('missed by 2');
    expect(verdict(evaluate({ id: 'a', label: 'a', unit: 'ms', samples: [1] }))).toBe('—');
  });

  it('formats units and the change against the previous median', () => {
    expect(formatValue(15_360, 'bytes')).toBe('15,360 B');
    expect(formatValue(1.0234, 'ratio')).toBe('1.023×');
    const r = evaluate({ id: 'a', label: 'a', unit: 'ms', samples: [110] });
    expect(change(r, { median: 100 })).toBe('+10%');
    expect(change(r, { median: 110 })).toBe('=');
    expect(change(r, undefined)).toBe('new');
    expect(change(evaluate({ id: 'a', label: 'a', unit: 'ms', samples: [50] }), { median: 100 })).toBe('−50%');
  });
});

describe('results files', () => {
  it('appends runs, newest last, and compares each figure with its own latest measurement', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-results-'));
    try {
      const md = join(dir, 'results.md');
      const jsonl = join(dir, 'results.jsonl');
      const machine = { cpu: 'CPU', cores: 2, memoryGB: 8, os: 'Linux', node: 'v20', chromium: 'Chromium 1' };
      const rec = (date: string, figures: RunRecord['figures']): RunRecord => ({ date, commit: 'abc', dirty: false, machine, args: [], durationS: 1, figures });
      const a = evaluate({ id: 'x', label: 'X', unit: 'ms', samples: [10], goalMax: 20 });
      const b = evaluate({ id: 'y', label: 'Y', unit: 'ms', samples: [5] });
      appendRun(md, jsonl, rec('2026-01-01T00:00:00.000Z', [a, b]), new Map());
      appendRun(md, jsonl, rec('2026-01-02T00:00:00.000Z', [evaluate({ id: 'x', label: 'X', unit: 'ms', samples: [30], goalMax: 20 })]), previousMedians(readRuns(jsonl)));
      const runs = readRuns(jsonl);
      expect(runs.map((r) => r.date)).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z']);
      const prev = previousMedians(runs);
      expect(prev.get('x')?.median).toBe(30);
      expect(prev.get('y')?.median).toBe(5); // only the first run measured it
      const text = readFileSync(md, 'utf8');
      expect(text.indexOf('## 2026-01-01')).toBeLessThan(text.indexOf('## 2026-01-02'));
      expect(text).toContain('missed by 10.0 ms (+50%)');
      expect(text).toContain('+200%');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the benchmark world', () => {
  it('adds ended relationships up to the target, one per customer in turn, with unique ids', () => {
    const w = benchWorld({ customers: 200, relationships: 400, seed: 3, now: new Date('2026-03-01T00:00:00Z') });
    expect(w.relationships).toHaveLength(400);
    expect(new Set(w.relationships.map((r) => r.id)).size).toBe(400);
    const added = w.relationships.slice(-50);
    for (const r of added) {
      expect(['expired', 'terminated']).toContain(r.status);
      expect(Date.parse(r.endDateTime!)).toBeLessThan(Date.parse('2026-03-01T00:00:00Z'));
      expect(w.customers.some((c) => c.tenantId === r.customer?.tenantId)).toBe(true);
    }
  });
});
