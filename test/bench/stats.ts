/**
 * Pure helpers of the benchmark: summaries of repeated measurements, goals and verdicts,
 * the table, and the change of each figure against the previous run.
 */

export type Unit = 'ms' | 'bytes' | 'ratio' | 'count' | 'MB';

export interface Figure {
  /** Stable key across runs (compared with the previous run by this). */
  id: string;
  label: string;
  unit: Unit;
  /** One value per run. */
  samples: number[];
  /** The goal: the median must be at most this. */
  goalMax?: number;
  /** Shown after the label, e.g. why a figure has a single sample. */
  note?: string;
}

export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
}

export interface FigureResult {
  id: string;
  label: string;
  unit: Unit;
  n: number;
  median: number;
  min: number;
  max: number;
  goalMax: number | null;
  met: boolean | null;
  note?: string;
}

export function summarize(samples: readonly number[]): Summary {
  const xs = samples.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (xs.length === 0) return { n: 0, median: NaN, min: NaN, max: NaN };
  const mid = Math.floor(xs.length / 2);
  const median = xs.length % 2 === 1 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
  return { n: xs.length, median, min: xs[0]!, max: xs[xs.length - 1]! };
}

export function evaluate(f: Figure): FigureResult {
  const s = summarize(f.samples);
  const goalMax = f.goalMax ?? null;
  return {
    id: f.id,
    label: f.label,
    unit: f.unit,
    ...s,
    goalMax,
    met: goalMax === null || s.n === 0 ? null : s.median <= goalMax,
    ...(f.note ? { note: f.note } : {}),
  };
}

/** A value in its unit, short: "12.3 ms", "14,210 B", "1.02×", "3", "41.2 MB". */
export function formatValue(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return '—';
  switch (unit) {
    case 'ms':
      return `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US')} ms`;
    case 'bytes':
      return `${Math.round(value).toLocaleString('en-US')} B`;
    case 'ratio':
      return `${value.toFixed(3)}×`;
    case 'count':
      return Number.isInteger(value) ? String(value) : value.toFixed(1);
    case 'MB':
      return `${value.toFixed(1)} MB`;
  }
}

export function formatGoal(r: Pick<FigureResult, 'goalMax' | 'unit'>): string {
  return r.goalMax === null ? '—' : `≤ ${formatValue(r.goalMax, r.unit)}`;
}

/** "met", "missed by 23.4 ms (+23%)", or "—" without a goal. */
export function verdict(r: FigureResult): string {
  if (r.met === null || r.goalMax === null) return r.n === 0 ? 'not measured' : '—';
  if (r.met) return 'met';
  const over = r.median - r.goalMax;
  const pct = r.goalMax > 0 ? ` (+${Math.round((over / r.goalMax) * 100)}%)` : '';
  return `missed by ${formatValue(over, r.unit)}${pct}`;
}

/** Change of the median against the previous run's: "+12%", "−3%", "=" or "new". */
export function change(current: FigureResult, previous: Pick<FigureResult, 'median'> | undefined): string {
  if (!previous || !Number.isFinite(previous.median) || !Number.isFinite(current.median)) return 'new';
  if (previous.median === current.median) return '=';
  if (previous.median === 0) return `${current.median > 0 ? '+' : '−'}${formatValue(Math.abs(current.median), current.unit)}`;
  const pct = ((current.median - previous.median) / Math.abs(previous.median)) * 100;
  if (Math.abs(pct) < 0.5) return '≈';
  return `${pct > 0 ? '+' : '−'}${Math.abs(pct).toFixed(Math.abs(pct) < 10 ? 1 : 0)}%`;
}

/** A plain-text table with aligned columns (first column left, others left too: values carry units). */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' │ ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('─┼─'), ...rows.map(line)].join('\n');
}

export const TABLE_HEADER = ['figure', 'n', 'median', 'min', 'max', 'goal', 'verdict', 'vs last run'] as const;

export function tableRows(results: readonly FigureResult[], previous: ReadonlyMap<string, Pick<FigureResult, 'median'>>): string[][] {
  return results.map((r) => [
    r.note ? `${r.label} (${r.note})` : r.label,
    String(r.n),
    formatValue(r.median, r.unit),
    formatValue(r.min, r.unit),
    formatValue(r.max, r.unit),
    formatGoal(r),
    verdict(r),
    change(r, previous.get(r.id)),
  ]);
}
