import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDuration,
  daysToDuration,
  durationToDays,
  formatDuration,
  isZeroDuration,
  parseDuration,
  type Duration,
  type DurationUnit,
} from '@/utils/gdap/duration';
import { d } from './gdap-fixtures';

describe('parseDuration: edge cases', () => {
  const valid: Array<[string, Duration, number]> = [
    // input, parsed, durationToDays without a start date (Y = 365, M = 30)
    ['P730D', { days: 730 }, 730],
    ['P2Y', { years: 2 }, 730],
    ['P1Y6M', { years: 1, months: 6 }, 545],
    ['PT0S', { seconds: 0 }, 0],
    ['P0D', { days: 0 }, 0],
    ['P1W', { weeks: 1 }, 7],
    ['P180D', { days: 180 }, 180],
    ['P6M', { months: 6 }, 180],
    ['PT0.5S', { seconds: 0.5 }, 0.5 / 86_400],
    ['P0.5D', { days: 0.5 }, 0.5],
    ['P0,5D', { days: 0.5 }, 0.5],
    ['P1DT12H', { days: 1, hours: 12 }, 1.5],
    ['P1DT0.5H', { days: 1, hours: 0.5 }, 1 + 0.5 / 24],
    ['PT36H', { hours: 36 }, 1.5],
    ['P1Y2M3DT4H5M6S', { years: 1, months: 2, days: 3, hours: 4, minutes: 5, seconds: 6 }, 365 + 60 + 3 + 4 / 24 + 5 / 1440 + 6 / 86_400],
    ['P1W2D', { weeks: 1, days: 2 }, 9],
    ['P0001D', { days: 1 }, 1],
  ];
  it.each(valid)('%s', (input, parsed, days) => {
    const p = parseDuration(input);
    expect(p).toEqual(parsed);
    expect(p && durationToDays(p)).toBeCloseTo(days, 9);
  });

  const invalid: unknown[] = [
    '',
    'P',
    'PT',
    'P1DT',
    'T1H',
    '-P1D',
    '+P1D',
    'P-1D',
    'p1d',
    'P1d',
    'pt0s',
    ' P1D',
    'P1D ',
    'P1.D',
    'P.5D',
    'PD',
    'P1H',
    'PT1D',
    'P1M1Y',
    'P1D1Y',
    'P1Y1Y',
    'P1e3D',
    'P0.5DT1H', // fraction on a component that is not the last
    'P0.5Y1M',
    'P1.0000000001D', // more than 9 fraction digits
    'P99999999999999999D', // beyond Number.MAX_SAFE_INTEGER
    'P١D', // Arabic-Indic digit
    'P1D<script>',
    'garbage',
    `P${'1'.repeat(300)}D`,
    null,
    undefined,
    730,
    { days: 1 },
  ];
  it.each(invalid.map((x) => [x]))('rejects %j', (input) => {
    expect(parseDuration(input)).toBeNull();
  });
});

describe('formatDuration', () => {
  it('writes the units that were parsed, keeping P0D and PT0S apart', () => {
    expect(formatDuration(parseDuration('P0D') ?? {})).toBe('P0D');
    expect(formatDuration(parseDuration('PT0S') ?? {})).toBe('PT0S');
    expect(formatDuration(parseDuration('P0,5D') ?? {})).toBe('P0.5D');
    expect(formatDuration(parseDuration('P0001D') ?? {})).toBe('P1D');
  });
  it('writes canonical order with a T only before time units', () => {
    expect(formatDuration({ seconds: 6, years: 1, hours: 4 })).toBe('P1YT4H6S');
    expect(formatDuration({ days: 1, hours: 2 })).toBe('P1DT2H');
    expect(formatDuration({ hours: 1 })).toBe('PT1H');
    expect(formatDuration({ weeks: 3 })).toBe('P3W');
  });
  it('writes an empty or unusable duration as PT0S and drops negative or non-finite units', () => {
    expect(formatDuration({})).toBe('PT0S');
    expect(formatDuration({ days: -1 })).toBe('PT0S');
    expect(formatDuration({ days: Number.NaN, hours: 2 })).toBe('PT2H');
    expect(formatDuration({ days: Number.POSITIVE_INFINITY })).toBe('PT0S');
  });
  it('never uses exponent notation', () => {
    expect(formatDuration({ seconds: 1e-7 })).toBe('PT0.0000001S');
    expect(formatDuration({ days: 1e21 })).toBe('P1000000000000000000000D');
  });
});

describe('isZeroDuration and daysToDuration', () => {
  it('treats PT0S and P0D as zero and anything else as non-zero', () => {
    expect(isZeroDuration(parseDuration('PT0S') ?? { days: 1 })).toBe(true);
    expect(isZeroDuration(parseDuration('P0D') ?? { days: 1 })).toBe(true);
    expect(isZeroDuration(parseDuration('P0Y0M0DT0H0M0S') ?? { days: 1 })).toBe(true);
    expect(isZeroDuration(parseDuration('P180D') ?? {})).toBe(false);
    expect(isZeroDuration(parseDuration('PT0.5S') ?? {})).toBe(false);
  });
  it('writes P{n}D and refuses to write an invalid duration', () => {
    expect(daysToDuration(730)).toBe('P730D');
    expect(daysToDuration(0)).toBe('P0D');
    expect(daysToDuration(1.5)).toBe('P1.5D');
    expect(daysToDuration(-3)).toBe('P0D');
    expect(daysToDuration(Number.NaN)).toBe('P0D');
  });
});

describe('addDuration and durationToDays (calendar, UTC)', () => {
  const add = (iso: string, dur: string): string => addDuration(d(iso), parseDuration(dur) ?? {}).toISOString();

  it('adds days as 24 hours and keeps the time of day', () => {
    expect(add('2024-01-01T10:30:00.000Z', 'P730D')).toBe('2025-12-31T10:30:00.000Z');
    expect(add('2024-03-30T23:00:00.000Z', 'P1D')).toBe('2024-03-31T23:00:00.000Z');
    expect(add('2024-01-01T00:00:00.000Z', 'PT36H')).toBe('2024-01-02T12:00:00.000Z');
    expect(add('2024-01-01T00:00:00.000Z', 'P1W')).toBe('2024-01-08T00:00:00.000Z');
  });
  it('adds months and years on the calendar, clamping to the end of the month', () => {
    expect(add('2024-01-31T08:00:00.000Z', 'P1M')).toBe('2024-02-29T08:00:00.000Z');
    expect(add('2023-01-31T00:00:00.000Z', 'P1M')).toBe('2023-02-28T00:00:00.000Z');
    expect(add('2024-02-29T00:00:00.000Z', 'P1Y')).toBe('2025-02-28T00:00:00.000Z');
    expect(add('2024-11-15T00:00:00.000Z', 'P1Y6M')).toBe('2026-05-15T00:00:00.000Z');
    expect(add('2024-12-15T00:00:00.000Z', 'P1M')).toBe('2025-01-15T00:00:00.000Z');
  });
  it('adds a fraction of a month as that fraction of the following month', () => {
    // February 2024 has 29 days: half of it is 14.5 days.
    expect(add('2024-02-01T00:00:00.000Z', 'P0.5M')).toBe('2024-02-15T12:00:00.000Z');
    expect(add('2024-01-01T00:00:00.000Z', 'P0.5D')).toBe('2024-01-01T12:00:00.000Z');
  });
  it('handles years below 100 without mapping them to 19xx', () => {
    const start = new Date(0);
    start.setUTCFullYear(50, 0, 1);
    const end = addDuration(start, { years: 1 });
    expect(end.getUTCFullYear()).toBe(51);
  });
  it('returns an Invalid Date instead of throwing for an invalid start or an out-of-range result', () => {
    expect(Number.isNaN(addDuration(new Date(Number.NaN), { days: 1 }).getTime())).toBe(true);
    expect(Number.isNaN(addDuration(d('2024-01-01T00:00:00Z'), { years: 9_000_000_000 }).getTime())).toBe(true);
  });
  it('counts calendar days when a start date is given, fixed 365/30 otherwise', () => {
    const p2y = parseDuration('P2Y') ?? {};
    expect(durationToDays(p2y)).toBe(730);
    expect(durationToDays(p2y, d('2024-01-01T00:00:00Z'))).toBe(731); // 2024 is a leap year
    expect(durationToDays(p2y, d('2025-01-01T00:00:00Z'))).toBe(730);
    const p1y6m = parseDuration('P1Y6M') ?? {};
    expect(durationToDays(p1y6m)).toBe(545);
    expect(durationToDays(p1y6m, d('2023-01-01T00:00:00Z'))).toBe(547);
    expect(durationToDays({ months: 1 }, d('2024-02-01T00:00:00Z'))).toBe(29);
    expect(durationToDays({ days: 180 }, d('2024-02-01T00:00:00Z'))).toBe(180);
  });
});

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

const DATE_UNITS: ReadonlyArray<[DurationUnit, string]> = [
  ['years', 'Y'],
  ['months', 'M'],
  ['weeks', 'W'],
  ['days', 'D'],
];
const TIME_UNITS: ReadonlyArray<[DurationUnit, string]> = [
  ['hours', 'H'],
  ['minutes', 'M'],
  ['seconds', 'S'],
];

/** Canonical ISO durations: no leading zeros, `.` decimal, fraction only on the last unit, no trailing zero. */
const canonicalDuration: fc.Arbitrary<string> = fc
  .record({
    date: fc.subarray([...DATE_UNITS]),
    time: fc.subarray([...TIME_UNITS]),
    values: fc.array(fc.nat({ max: 1_000_000 }), { minLength: 7, maxLength: 7 }),
    // Up to 6 fraction digits (a 7-digit integer part + 6 stays within a double's precision),
    // no trailing zero.
    fraction: fc.option(
      fc.string({ unit: fc.constantFrom('0', '1', '2', '5', '9'), minLength: 1, maxLength: 6 }).filter((f) => !f.endsWith('0')),
      { nil: undefined },
    ),
  })
  .filter(({ date, time }) => date.length + time.length > 0)
  .map(({ date, time, values, fraction }) => {
    const parts = [...date, ...time].map((_, i) => `${values[i] ?? 0}`);
    if (fraction !== undefined) {
      const last = parts.length - 1;
      parts[last] = `${parts[last]}.${fraction}`;
    }
    const datePart = date.map(([, letter], i) => `${parts[i]}${letter}`).join('');
    const timePart = time.map(([, letter], i) => `${parts[date.length + i]}${letter}`).join('');
    return `P${datePart}${timePart === '' ? '' : `T${timePart}`}`;
  });

const integerDuration: fc.Arbitrary<Duration> = fc.record(
  {
    years: fc.nat({ max: 50 }),
    months: fc.nat({ max: 600 }),
    weeks: fc.nat({ max: 500 }),
    days: fc.nat({ max: 5000 }),
    hours: fc.nat({ max: 10_000 }),
    minutes: fc.nat({ max: 100_000 }),
    seconds: fc.nat({ max: 1_000_000 }),
  },
  { requiredKeys: [] },
);

const someDate = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });

describe('duration properties (fast-check)', () => {
  it('format(parse(x)) === x for canonical durations', () => {
    fc.assert(
      fc.property(canonicalDuration, (s) => {
        const p = parseDuration(s);
        expect(p).not.toBeNull();
        expect(formatDuration(p ?? {})).toBe(s);
      }),
      { numRuns: 500 },
    );
  });

  it('parse(format(d)) deep-equals d for non-empty integer durations', () => {
    fc.assert(
      fc.property(
        integerDuration.filter((x) => Object.keys(x).length > 0),
        (dur) => {
          expect(parseDuration(formatDuration(dur))).toEqual(dur);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('parse never throws and yields only finite non-negative units', () => {
    const grammarChars = fc.string({
      unit: fc.constantFrom('P', 'T', 'Y', 'M', 'W', 'D', 'H', 'S', '0', '1', '9', '.', ',', '-', '+', ' ', 'p', 'e'),
      maxLength: 24,
    });
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), grammarChars, fc.jsonValue()), (input) => {
        const p = parseDuration(input);
        if (p !== null) {
          for (const value of Object.values(p)) {
            expect(Number.isFinite(value)).toBe(true);
            expect(value).toBeGreaterThanOrEqual(0);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('addDuration is monotonic in the start date and never goes back in time', () => {
    fc.assert(
      fc.property(someDate, someDate, integerDuration, (x, y, dur) => {
        const [a, b] = x.getTime() <= y.getTime() ? [x, y] : [y, x];
        const ea = addDuration(a, dur).getTime();
        const eb = addDuration(b, dur).getTime();
        expect(ea).toBeLessThanOrEqual(eb);
        expect(ea).toBeGreaterThanOrEqual(a.getTime());
      }),
      { numRuns: 1000 },
    );
  });

  it('addDuration is monotonic in the duration (component-wise larger → not earlier)', () => {
    fc.assert(
      fc.property(someDate, integerDuration, integerDuration, (start, d1, d2) => {
        const units: DurationUnit[] = ['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds'];
        const bigger: Partial<Record<DurationUnit, number>> = {};
        for (const u of units) bigger[u] = (d1[u] ?? 0) + (d2[u] ?? 0);
        expect(addDuration(start, d1).getTime()).toBeLessThanOrEqual(addDuration(start, bigger).getTime());
      }),
      { numRuns: 1000 },
    );
  });
});
