/**
 * ISO 8601 durations as Graph uses them (`duration`, `autoExtendDuration`).
 *
 * Grammar accepted by {@link parseDuration}:
 *
 *   P[nY][nM][nW][nD][T[nH][nM][nS]]
 *
 * - `n` is one or more ASCII digits, optionally followed by a decimal fraction written
 *   with `.` or `,` (at most 9 fraction digits). Only the **last** component present may
 *   carry a fraction (`P1DT0.5H` is fine, `P0.5DT1H` is not), as ISO 8601 requires.
 * - At least one component must be present (`P` and `PT` are refused), and a `T` must be
 *   followed by at least one time component (`P1DT` is refused).
 * - Weeks: ISO 8601-1 only allows `PnW` on its own; like ISO 8601-2 and JavaScript's
 *   Temporal we also accept weeks combined with the other date components, in the order
 *   Y, M, W, D (`P1W2D`). This is the only leniency.
 * - Strict otherwise: no sign (`-P1D`, `+P1D`), no surrounding whitespace, no lowercase
 *   designators (`p1d` is refused: ISO 8601 designators are upper case and Graph always
 *   writes them so). Integer parts above `Number.MAX_SAFE_INTEGER` are refused.
 *
 * A parsed {@link Duration} records which components were written, so that
 * `formatDuration(parseDuration(x))` gives `x` back for canonical input (no leading zeros,
 * `.` as decimal sign, no trailing zeros in fractions); `P0D` and `PT0S` stay distinct.
 *
 * Pure functions, no throwing: bad input gives `null`, dates out of JavaScript's range
 * give an Invalid Date.
 */

/** One millisecond-exact day; all date arithmetic here is in UTC, where a day is 24 h. */
export const DAY_MS = 86_400_000;

export type DurationUnit = 'years' | 'months' | 'weeks' | 'days' | 'hours' | 'minutes' | 'seconds';

/**
 * A non-negative ISO 8601 duration. A unit that is absent was not written; a unit that is
 * present with 0 was written as zero (`P0D` → `{ days: 0 }`).
 */
export type Duration = Readonly<Partial<Record<DurationUnit, number>>>;

const DATE_UNITS: ReadonlyArray<readonly [DurationUnit, string]> = [
  ['years', 'Y'],
  ['months', 'M'],
  ['weeks', 'W'],
  ['days', 'D'],
];
const TIME_UNITS: ReadonlyArray<readonly [DurationUnit, string]> = [
  ['hours', 'H'],
  ['minutes', 'M'],
  ['seconds', 'S'],
];
const ALL_UNITS: readonly DurationUnit[] = [...DATE_UNITS, ...TIME_UNITS].map(([u]) => u);

const NUM = '(\\d+(?:[.,]\\d+)?)';
const DURATION_RE = new RegExp(
  `^P(?:${NUM}Y)?(?:${NUM}M)?(?:${NUM}W)?(?:${NUM}D)?(?:T(?:${NUM}H)?(?:${NUM}M)?(?:${NUM}S)?)?$`,
);
const MAX_FRACTION_DIGITS = 9;
const MAX_INPUT_LENGTH = 256;

/** Parses one numeric component; null when it is outside what we can represent exactly. */
function parseComponent(text: string): { value: number; fractional: boolean } | null {
  const [intPart = '', fracPart] = text.split(/[.,]/);
  if (fracPart !== undefined && fracPart.length > MAX_FRACTION_DIGITS) return null;
  const intValue = Number(intPart);
  if (!Number.isSafeInteger(intValue)) return null;
  const value = fracPart === undefined ? intValue : Number(`${intPart}.${fracPart}`);
  if (!Number.isFinite(value)) return null;
  return { value, fractional: fracPart !== undefined };
}

/**
 * Parses an ISO 8601 duration (grammar in this module's header). Returns `null` for
 * anything else, including non-strings; never throws.
 */
export function parseDuration(s: unknown): Duration | null {
  if (typeof s !== 'string' || s.length === 0 || s.length > MAX_INPUT_LENGTH) return null;
  const m = DURATION_RE.exec(s);
  if (!m) return null;
  const groups = m.slice(1);
  const hasTime = s.includes('T');
  const timeGiven = groups.slice(4).some((g) => g !== undefined);
  if (hasTime && !timeGiven) return null;
  if (!groups.some((g) => g !== undefined)) return null;

  const out: Partial<Record<DurationUnit, number>> = {};
  let sawFraction = false;
  for (let i = 0; i < ALL_UNITS.length; i++) {
    const text = groups[i];
    const unit = ALL_UNITS[i];
    if (text === undefined || unit === undefined) continue;
    // A fraction is only allowed on the last component written.
    if (sawFraction) return null;
    const parsed = parseComponent(text);
    if (!parsed) return null;
    sawFraction = parsed.fractional;
    out[unit] = parsed.value;
  }
  return out;
}

/** Writes a non-negative finite number without exponent notation. */
function formatNumber(n: number): string {
  if (Number.isInteger(n)) return BigInt(n).toString();
  const plain = String(n);
  if (!plain.includes('e')) return plain;
  // Only tiny fractions reach this point (every double ≥ 2^53 is an integer).
  const fixed = n.toFixed(MAX_FRACTION_DIGITS).replace(/0+$/, '').replace(/\.$/, '');
  return fixed;
}

function isUsable(n: number | undefined): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0;
}

/**
 * Formats a duration as ISO 8601, writing exactly the units present (in canonical order)
 * and `.` as decimal sign. Units that are negative or not finite are left out; a duration
 * with nothing usable is written `PT0S`, Graph's "off" value for `autoExtendDuration`.
 */
export function formatDuration(d: Duration): string {
  let date = '';
  for (const [unit, letter] of DATE_UNITS) {
    const n = d[unit];
    if (isUsable(n)) date += formatNumber(n) + letter;
  }
  let time = '';
  for (const [unit, letter] of TIME_UNITS) {
    const n = d[unit];
    if (isUsable(n)) time += formatNumber(n) + letter;
  }
  if (date === '' && time === '') return 'PT0S';
  return `P${date}${time === '' ? '' : `T${time}`}`;
}

/** True when every unit of the duration is zero (or absent). `PT0S` and `P0D` are zero. */
export function isZeroDuration(d: Duration): boolean {
  return ALL_UNITS.every((u) => {
    const n = d[u];
    return n === undefined || n === 0;
  });
}

/**
 * `P{n}D` for a number of days. Fractions are kept (`P1.5D`); a negative or non-finite
 * number gives `P0D` rather than an invalid duration.
 */
export function daysToDuration(n: number): string {
  if (!Number.isFinite(n) || n < 0) return 'P0D';
  return formatDuration({ days: n });
}

/** Builds a UTC instant, including years 0–99 that `Date.UTC` would map to 19xx. */
function utcInstant(year: number, month: number, day: number, timeOfDayMs: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  return d.getTime() + timeOfDayMs;
}

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  const d = new Date(0);
  d.setUTCFullYear(year, month + 1, 0);
  return d.getUTCDate();
}

/**
 * Adds whole calendar months in UTC. The day of month is clamped to the target month's
 * last day (31 January + 1 month = 28 or 29 February), as Temporal and .NET do; the time
 * of day is kept.
 */
function addMonths(ms: number, months: number): number {
  if (!Number.isFinite(ms)) return NaN;
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  const timeOfDay = ms - utcInstant(y, m, day, 0);
  const total = m + months;
  const ny = y + Math.floor(total / 12);
  const nm = ((total % 12) + 12) % 12;
  const nd = Math.min(day, daysInMonth(ny, nm));
  return utcInstant(ny, nm, nd, timeOfDay);
}

/**
 * Calendar addition in UTC: whole years and months first (clamping the day of month),
 * then a fraction of a year or month as that fraction of the calendar year or month that
 * follows, then weeks, days and time as exact multiples of 24 h, 1 h, 1 min, 1 s.
 * Returns an Invalid Date when the input is invalid or the result is out of range.
 */
export function addDuration(date: Date, d: Duration): Date {
  const start = date.getTime();
  if (!Number.isFinite(start)) return new Date(NaN);
  const years = isUsable(d.years) ? d.years : 0;
  const months = isUsable(d.months) ? d.months : 0;
  const wholeYears = Math.trunc(years);
  const wholeMonths = Math.trunc(months);

  let t = addMonths(start, wholeYears * 12 + wholeMonths);
  const fracYear = years - wholeYears;
  if (fracYear > 0) t += fracYear * (addMonths(t, 12) - t);
  const fracMonth = months - wholeMonths;
  if (fracMonth > 0) t += fracMonth * (addMonths(t, 1) - t);

  const weeks = isUsable(d.weeks) ? d.weeks : 0;
  const days = isUsable(d.days) ? d.days : 0;
  const hours = isUsable(d.hours) ? d.hours : 0;
  const minutes = isUsable(d.minutes) ? d.minutes : 0;
  const seconds = isUsable(d.seconds) ? d.seconds : 0;
  t += (weeks * 7 + days) * DAY_MS + hours * 3_600_000 + minutes * 60_000 + seconds * 1000;
  // `new Date` of an out-of-range number is an Invalid Date, never an exception.
  return new Date(Number.isFinite(t) ? Math.round(t) : NaN);
}

/**
 * The length of a duration in days (fractional).
 *
 * - With `from`: calendar-aware, the real number of days between `from` and
 *   `addDuration(from, d)` (`P1Y` from 2024-01-01 is 366 days).
 * - Without `from` (or when the calendar result is out of range): a fixed approximation,
 *   1 Y = 365 days, 1 M = 30 days, 1 W = 7 days. So `P2Y` = 730 and `P6M` = 180, which is
 *   how Graph's limits (`P730D`/`P2Y`, `P180D`) line up.
 */
export function durationToDays(d: Duration, from?: Date): number {
  if (from !== undefined) {
    const end = addDuration(from, d).getTime();
    const start = from.getTime();
    if (Number.isFinite(end) && Number.isFinite(start)) return (end - start) / DAY_MS;
  }
  const n = (u: DurationUnit): number => {
    const v = d[u];
    return isUsable(v) ? v : 0;
  };
  return (
    n('years') * 365 +
    n('months') * 30 +
    n('weeks') * 7 +
    n('days') +
    n('hours') / 24 +
    n('minutes') / 1440 +
    n('seconds') / 86_400
  );
}
