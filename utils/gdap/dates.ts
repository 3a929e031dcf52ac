/**
 * Date-time helpers shared by the GDAP modules. Domain objects keep their dates as
 * normalised ISO 8601 UTC strings (`2024-05-01T10:00:00.000Z`) so that they survive JSON
 * (extension messaging, storage); computations turn them into `Date`s with {@link toDate}.
 */

const DATE_TIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** The form {@link normalizeDateTime} returns: `Date.prototype.toISOString()` of years 0000–9999. */
const NORMALISED_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function daysInMonth(year: number, month1: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month1, 0);
  return d.getUTCDate();
}

/**
 * Normalises an ISO 8601 date-time string to `Date.prototype.toISOString()` form, or
 * `null` when it is not a real date-time.
 *
 * - Accepts Graph's forms: `2022-04-28T19:47:48.5357467Z` (any number of fraction digits,
 *   truncated to milliseconds), offsets `+02:00`/`+0200`/`+02`, a space instead of `T`,
 *   and a bare date (midnight UTC).
 * - A date-time without an offset is read as **UTC** (Graph's date-times are UTC), never as
 *   the browser's local time, which is what `Date.parse` would do.
 * - Refuses impossible dates (`2023-02-29`), hours above 23 and the like.
 * - `0001-01-01…` (.NET's `DateTime.MinValue`, sometimes sent instead of null) → `null`.
 */
export function normalizeDateTime(s: string): string | null {
  // Domain objects hold their dates in the normalised form already, and the rules read them
  // thousands of times (a page of badges): such a string is its own answer when the date is
  // real (it reads back the same; an impossible day would roll over) and after year 1.
  if (NORMALISED_RE.test(s) && s >= '0002') {
    const t = Date.parse(s);
    if (Number.isFinite(t) && new Date(t).toISOString() === s) return s;
  }
  const m = DATE_TIME_RE.exec(s.trim());
  if (!m) return null;
  const [, ys, mos, ds, hs = '0', mis = '0', ss = '0', frac = '', zone = 'Z'] = m;
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  const hour = Number(hs);
  const minute = Number(mis);
  const second = Number(ss);
  if (year <= 1) return null;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;

  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 23 || om > 59) return null;
    offsetMinutes = sign * (oh * 60 + om);
  }
  const ms = Number(frac.slice(0, 3).padEnd(3, '0'));

  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  const t = d.getTime() - offsetMinutes * 60_000;
  if (!Number.isFinite(t)) return null;
  return new Date(t).toISOString();
}

/**
 * A `Date` from an ISO string (normalised by {@link normalizeDateTime}) or a `Date`;
 * `null` for null, undefined, unparseable strings and Invalid Dates.
 */
export function toDate(value: string | Date | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value : null;
  const iso = normalizeDateTime(value);
  return iso === null ? null : new Date(iso);
}

/** `toISOString()` of a valid date, `null` otherwise. */
export function toIso(date: Date | null): string | null {
  return date !== null && Number.isFinite(date.getTime()) ? date.toISOString() : null;
}
