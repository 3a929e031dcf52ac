import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  autoExtendEligibility,
  canTerminate,
  dapGdapPrecedence,
  daysUntil,
  effectiveEndDate,
  endedAt,
  hasNoSecurityGroup,
  nextAutoExtendDate,
  pendingLapseDate,
  relationshipExpiry,
  suggestRelationshipName,
  validateDuration,
  validateRelationshipName,
} from '@/utils/gdap/rules';
import {
  EXCHANGE_ADMINISTRATOR,
  GLOBAL_ADMINISTRATOR,
  GLOBAL_READER,
  HELPDESK_ADMINISTRATOR,
  USER_ADMINISTRATOR,
} from '@/utils/gdap/roles';
import type { RelationshipStatus } from '@/utils/gdap/schema';
import { d, makeAssignment, makeRel } from './gdap-fixtures';

const iso = (x: Date | null): string | null => (x === null ? null : x.toISOString());
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('R2: pending requests lapse 90 days after creation', () => {
  it('R2: lapse date is createdDateTime + 90 days', () => {
    expect(iso(pendingLapseDate('2024-01-01T00:00:00Z'))).toBe('2024-03-31T00:00:00.000Z');
    expect(iso(pendingLapseDate('2024-12-15T08:30:00.000Z'))).toBe('2025-03-15T08:30:00.000Z');
    expect(iso(pendingLapseDate(d('2023-11-01T12:00:00Z')))).toBe('2024-01-30T12:00:00.000Z');
  });

  it('R2: no lapse date without a creation date', () => {
    expect(pendingLapseDate(null)).toBeNull();
    expect(pendingLapseDate(undefined)).toBeNull();
    expect(pendingLapseDate('')).toBeNull();
    expect(pendingLapseDate('not a date')).toBeNull();
    expect(pendingLapseDate(new Date(Number.NaN))).toBeNull();
  });

  it('R2: daysUntil rounds remaining time up to whole days (any part of a day counts as one)', () => {
    const now = d('2024-06-01T12:00:00Z');
    expect(daysUntil(new Date(now.getTime() + 0.2 * DAY), now)).toBe(1);
    expect(daysUntil(new Date(now.getTime() + DAY), now)).toBe(1);
    expect(daysUntil(new Date(now.getTime() + DAY + 1), now)).toBe(2);
    expect(daysUntil(new Date(now.getTime() + 6.5 * DAY), now)).toBe(7);
    expect(daysUntil(now, now)).toBe(0);
    expect(Object.is(daysUntil(new Date(now.getTime() - 0.2 * DAY), now), 0)).toBe(true);
    expect(daysUntil(new Date(now.getTime() - 1.5 * DAY), now)).toBe(-1);
  });

  it('R2: daysUntil is positive exactly when the date is in the future', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10 * 365 * DAY, max: 10 * 365 * DAY }), (offset) => {
        const now = d('2024-06-01T12:00:00Z');
        const days = daysUntil(new Date(now.getTime() + offset), now);
        expect(days > 0).toBe(offset > 0);
        expect(days * DAY).toBeGreaterThanOrEqual(offset);
        expect((days - 1) * DAY).toBeLessThan(offset);
      }),
    );
  });
});

describe('R3: duration between 1 and 730 days', () => {
  const ok: Array<[string | number, number, string]> = [
    ['P730D', 730, 'P730D'],
    ['P2Y', 730, 'P2Y'],
    ['P1Y6M', 545, 'P1Y6M'],
    ['P24M', 720, 'P24M'],
    ['P1D', 1, 'P1D'],
    ['PT24H', 1, 'PT24H'],
    ['P104W', 728, 'P104W'],
    [' P365D ', 365, 'P365D'],
    ['365', 365, 'P365D'],
    [730, 730, 'P730D'],
    [1, 1, 'P1D'],
    [90.5, 90.5, 'P90.5D'],
  ];
  it.each(ok)('R3: accepts %j as %d days', (input, days, duration) => {
    expect(validateDuration(input)).toEqual({ ok: true, days, duration });
  });

  it('R3: rejects a duration over 730 days', () => {
    for (const input of ['P731D', 'P2Y1D', 'P3Y', 'P730DT1H', 'P105W', 731, '731']) {
      expect([input, validateDuration(input)]).toEqual([input, { ok: false, error: 'too-long' }]);
    }
  });

  it('R3: rejects a duration under 1 day', () => {
    for (const input of ['P0D', 'PT0S', 'PT23H', 'PT86399S', 0, 0.5, '0']) {
      expect([input, validateDuration(input)]).toEqual([input, { ok: false, error: 'too-short' }]);
    }
  });

  it('R3: rejects what is not a duration', () => {
    for (const input of ['', 'forever', 'P', '-P1D', 'p30d', '30 days', Number.NaN, Number.POSITIVE_INFINITY, -5]) {
      expect([input, validateDuration(input)]).toEqual([input, { ok: false, error: 'not-a-duration' }]);
    }
  });
});

describe('R24: one expiry per relationship', () => {
  it('R24: uses endDateTime, one date whatever the number of roles', () => {
    const rel = makeRel({
      roleIds: [GLOBAL_READER, USER_ADMINISTRATOR, HELPDESK_ADMINISTRATOR, EXCHANGE_ADMINISTRATOR],
      endDateTime: '2025-12-31T00:00:00.000Z',
    });
    expect(iso(relationshipExpiry(rel))).toBe('2025-12-31T00:00:00.000Z');
  });

  it('R24: falls back to activatedDateTime + duration (calendar) when endDateTime is not there yet', () => {
    const rel = makeRel({ endDateTime: null, activatedDateTime: '2024-01-15T10:00:00.000Z', duration: 'P1Y6M' });
    expect(iso(relationshipExpiry(rel))).toBe('2025-07-15T10:00:00.000Z');
  });

  it('R24: has no expiry before activation', () => {
    expect(relationshipExpiry(makeRel({ status: 'created', endDateTime: null, activatedDateTime: null }))).toBeNull();
    expect(relationshipExpiry(makeRel({ endDateTime: null, activatedDateTime: '2024-01-01T00:00:00Z', duration: 'bad' }))).toBeNull();
  });
});

describe('R4: auto-extend moves the end by 180 days each time it is reached', () => {
  // The rules doc's example: created for 365 days with auto-extend on.
  const example = makeRel({
    duration: 'P365D',
    activatedDateTime: '2025-01-01T00:00:00.000Z',
    endDateTime: '2026-01-01T00:00:00.000Z', // day 365
    autoExtendDuration: 'P180D',
  });

  it('R4: example from the rules doc: on day 365 the end moves 180 days later', () => {
    expect(iso(effectiveEndDate(example, d('2025-12-31T23:59:59Z')))).toBe('2026-01-01T00:00:00.000Z');
    expect(iso(effectiveEndDate(example, d('2026-01-01T00:00:00Z')))).toBe('2026-06-30T00:00:00.000Z');
    expect(iso(nextAutoExtendDate(example, d('2026-01-01T00:00:00Z')))).toBe('2026-06-30T00:00:00.000Z');
  });

  it('R4: keeps extending, again and again, until the end is after now', () => {
    expect(iso(effectiveEndDate(example, d('2026-06-30T00:00:00Z')))).toBe('2026-12-27T00:00:00.000Z');
    // 2026-01-01 → 2030-01-01 is 1461 days; 9 steps of 180 = 1620 days → 159 days into 2030.
    expect(iso(effectiveEndDate(example, d('2030-01-01T00:00:00Z')))).toBe('2030-06-09T00:00:00.000Z');
  });

  it('R4: the effective end is always after now and a whole number of steps after the end', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 * 365 * DAY }), (offset) => {
        const now = new Date(Date.parse('2025-06-01T00:00:00Z') + offset);
        const end = effectiveEndDate(example, now);
        expect(end).not.toBeNull();
        const t = end?.getTime() ?? 0;
        expect(t).toBeGreaterThan(now.getTime());
        expect(t - 180 * DAY).toBeLessThanOrEqual(Math.max(now.getTime(), Date.parse('2026-01-01T00:00:00Z') - 180 * DAY));
        expect((t - Date.parse('2026-01-01T00:00:00Z')) % (180 * DAY)).toBe(0);
      }),
    );
  });

  it('R4: calendar steps (P6M) are walked on the calendar', () => {
    const rel = makeRel({ endDateTime: '2025-08-31T00:00:00.000Z', autoExtendDuration: 'P6M' });
    expect(iso(effectiveEndDate(rel, d('2025-09-01T00:00:00Z')))).toBe('2026-02-28T00:00:00.000Z');
  });

  it('R4: without auto-extend the end stays where it is, even when passed', () => {
    const off = makeRel({ ...example, autoExtendDuration: 'PT0S' });
    expect(iso(effectiveEndDate(off, d('2026-03-01T00:00:00Z')))).toBe('2026-01-01T00:00:00.000Z');
    expect(nextAutoExtendDate(off, d('2025-06-01T00:00:00Z'))).toBeNull();
    expect(iso(effectiveEndDate(makeRel({ ...example, autoExtendDuration: 'P0D' }), d('2026-03-01T00:00:00Z')))).toBe(
      '2026-01-01T00:00:00.000Z',
    );
    expect(iso(effectiveEndDate(makeRel({ ...example, autoExtendDuration: null }), d('2026-03-01T00:00:00Z')))).toBe(
      '2026-01-01T00:00:00.000Z',
    );
  });

  it('R4: ended relationships do not extend', () => {
    for (const status of ['expired', 'terminated', 'terminating'] as const) {
      const rel = makeRel({ ...example, status });
      expect(iso(effectiveEndDate(rel, d('2026-03-01T00:00:00Z')))).toBe('2026-01-01T00:00:00.000Z');
      expect(nextAutoExtendDate(rel, d('2025-06-01T00:00:00Z'))).toBeNull();
    }
  });

  it('R4: next auto-extend date is the current end while it is still ahead', () => {
    expect(iso(nextAutoExtendDate(example, d('2025-06-01T00:00:00Z')))).toBe('2026-01-01T00:00:00.000Z');
  });

  it('R6: a relationship with Global Administrator never extends, even if the data says so', () => {
    const ga = makeRel({ ...example, roleIds: [GLOBAL_ADMINISTRATOR, GLOBAL_READER] });
    expect(iso(effectiveEndDate(ga, d('2026-03-01T00:00:00Z')))).toBe('2026-01-01T00:00:00.000Z');
    expect(nextAutoExtendDate(ga, d('2025-06-01T00:00:00Z'))).toBeNull();
  });

  it('R4: no end date yet means no effective end', () => {
    const rel = makeRel({ status: 'approved', endDateTime: null, activatedDateTime: null, autoExtendDuration: 'P180D' });
    expect(effectiveEndDate(rel, d('2025-01-01T00:00:00Z'))).toBeNull();
    expect(nextAutoExtendDate(rel, d('2025-01-01T00:00:00Z'))).toBeNull();
  });
});

describe('R5/R6: switching auto-extend on', () => {
  it('R5: allowed for an active relationship without auto-extend, no consent needed', () => {
    expect(autoExtendEligibility(makeRel({ status: 'active', autoExtendDuration: 'PT0S' }))).toBe('allowed');
    expect(autoExtendEligibility(makeRel({ status: 'expiring', autoExtendDuration: 'P0D' }))).toBe('allowed');
    expect(autoExtendEligibility(makeRel({ status: 'active', autoExtendDuration: null }))).toBe('allowed');
  });

  it('R5: already on when autoExtendDuration is P180D', () => {
    expect(autoExtendEligibility(makeRel({ status: 'active', autoExtendDuration: 'P180D' }))).toBe('already-on');
  });

  it('R5: refused for relationships that are not active', () => {
    const statuses: RelationshipStatus[] = [
      'created',
      'approvalPending',
      'approved',
      'activating',
      'expired',
      'terminationRequested',
      'terminating',
      'terminated',
      'unknown',
    ];
    for (const status of statuses) {
      expect([status, autoExtendEligibility(makeRel({ status }))]).toEqual([status, 'not-active']);
    }
  });

  it('R6: never for a relationship that includes Global Administrator', () => {
    expect(autoExtendEligibility(makeRel({ status: 'active', roleIds: [GLOBAL_READER, GLOBAL_ADMINISTRATOR] }))).toBe(
      'global-admin',
    );
    expect(
      autoExtendEligibility(makeRel({ status: 'approvalPending', roleIds: [GLOBAL_ADMINISTRATOR.toUpperCase()] })),
    ).toBe('global-admin');
  });
});

describe('R18: termination', () => {
  it('R18: an active relationship can be terminated', () => {
    expect(canTerminate(makeRel({ status: 'active' }))).toBe(true);
    expect(canTerminate(makeRel({ status: 'expiring' }))).toBe(true);
  });

  it('R18: approval pending, and every other status, cannot', () => {
    const statuses: RelationshipStatus[] = [
      'approvalPending',
      'created',
      'approved',
      'activating',
      'expired',
      'terminationRequested',
      'terminating',
      'terminated',
      'unknown',
    ];
    for (const status of statuses) expect([status, canTerminate(makeRel({ status }))]).toEqual([status, false]);
  });
});

describe('R19: relationship names', () => {
  const now = d('2025-06-01T00:00:00Z');

  it('R19: accepts a fresh name', () => {
    expect(validateRelationshipName('Fabrikam GDAP', [makeRel()], now)).toEqual([]);
  });

  it('R19: refuses an empty or whitespace-only name', () => {
    expect(validateRelationshipName('', [], now)).toEqual([{ code: 'empty' }]);
    expect(validateRelationshipName('  \t ', [], now)).toEqual([{ code: 'empty' }]);
  });

  it('R19: refuses more than 50 UTF-16 code units (Graph counts like String.length)', () => {
    expect(validateRelationshipName('a'.repeat(50), [], now)).toEqual([]);
    expect(validateRelationshipName('a'.repeat(51), [], now)).toEqual([{ code: 'too-long', length: 51, max: 50 }]);
    // 25 emoji = 25 code points but 50 UTF-16 units: fine; 26 are 52 units: too long.
    expect(validateRelationshipName('😀'.repeat(25), [], now)).toEqual([]);
    expect(validateRelationshipName('😀'.repeat(26), [], now)).toEqual([{ code: 'too-long', length: 52, max: 50 }]);
    // Surrounding whitespace is not counted: the name is sent trimmed.
    expect(validateRelationshipName(`  ${'a'.repeat(50)}  `, [], now)).toEqual([]);
  });

  it('R19: refuses a duplicate of a relationship that has not ended, case-insensitively', () => {
    for (const status of ['created', 'approvalPending', 'active', 'expiring', 'terminating', 'unknown'] as const) {
      const existing = [makeRel({ id: 'x', displayName: 'Contoso GDAP', status })];
      expect([status, validateRelationshipName('contoso gdap', existing, now)]).toEqual([
        status,
        [{ code: 'duplicate', relationshipId: 'x' }],
      ]);
    }
  });

  it('R19: refuses a name ended less than 365 days ago, and says when it is reusable', () => {
    const expired = makeRel({
      id: 'old',
      displayName: 'Contoso GDAP',
      status: 'expired',
      endDateTime: '2025-01-01T00:00:00.000Z',
    });
    expect(validateRelationshipName('Contoso GDAP', [expired], now)).toEqual([
      { code: 'recently-ended', relationshipId: 'old', reusableFrom: d('2026-01-01T00:00:00.000Z') },
    ]);
    // On the day it becomes reusable, and after, it is fine.
    expect(validateRelationshipName('Contoso GDAP', [expired], d('2026-01-01T00:00:00Z'))).toEqual([]);
    expect(validateRelationshipName('Contoso GDAP', [expired], d('2025-12-31T23:59:59Z'))).toHaveLength(1);
  });

  it('R19: a terminated relationship holds its name from the termination, not the planned end', () => {
    const terminated = makeRel({
      id: 't',
      displayName: 'Contoso GDAP',
      status: 'terminated',
      endDateTime: '2026-06-01T00:00:00.000Z', // planned end, still in the data
      lastModifiedDateTime: '2024-09-01T00:00:00.000Z', // the termination
    });
    expect(iso(endedAt(terminated))).toBe('2024-09-01T00:00:00.000Z');
    expect(validateRelationshipName('Contoso GDAP', [terminated], now)).toEqual([
      { code: 'recently-ended', relationshipId: 't', reusableFrom: d('2025-09-01T00:00:00.000Z') },
    ]);
    expect(validateRelationshipName('Contoso GDAP', [terminated], d('2025-09-02T00:00:00Z'))).toEqual([]);
  });

  it('R19: an ended relationship without any date holds the name (reusable date unknown)', () => {
    const undated = makeRel({ id: 'u', status: 'expired', endDateTime: null, lastModifiedDateTime: null });
    expect(validateRelationshipName('Contoso GDAP', [undated], now)).toEqual([
      { code: 'recently-ended', relationshipId: 'u', reusableFrom: null },
    ]);
  });

  it('R19: reports the latest reusable date and every kind of issue at once', () => {
    const long = 'Contoso GDAP '.padEnd(60, 'x');
    const existing = [
      makeRel({ id: 'e1', displayName: long, status: 'expired', endDateTime: '2024-08-01T00:00:00Z' }),
      makeRel({ id: 'e2', displayName: long, status: 'expired', endDateTime: '2025-02-01T00:00:00Z' }),
      makeRel({ id: 'a', displayName: long.toUpperCase(), status: 'active' }),
    ];
    expect(validateRelationshipName(long, existing, now)).toEqual([
      { code: 'too-long', length: 60, max: 50 },
      { code: 'duplicate', relationshipId: 'a' },
      { code: 'recently-ended', relationshipId: 'e2', reusableFrom: d('2026-02-01T00:00:00.000Z') },
    ]);
  });

  it('R19: ignoreId leaves out the relationship being renamed', () => {
    const self = makeRel({ id: 'self', displayName: 'Contoso GDAP', status: 'created' });
    expect(validateRelationshipName('Contoso GDAP', [self], now, { ignoreId: 'self' })).toEqual([]);
  });

  it('R19: suggests "{customer} GDAP", numbered when taken', () => {
    expect(suggestRelationshipName('Contoso', [], now)).toBe('Contoso GDAP');
    const taken = [
      makeRel({ id: '1', displayName: 'Contoso GDAP', status: 'active' }),
      makeRel({ id: '2', displayName: 'contoso gdap 2', status: 'expired', endDateTime: '2025-03-01T00:00:00Z' }),
    ];
    expect(suggestRelationshipName('Contoso', taken, now)).toBe('Contoso GDAP 3');
    expect(suggestRelationshipName('  <b>Contoso</b> & Co.  ', [], now)).toBe('b Contoso b Co. GDAP');
    expect(suggestRelationshipName('', [], now)).toBe('GDAP');
  });

  it('R19: suggestions stay within 50 UTF-16 units without splitting characters', () => {
    const name = suggestRelationshipName('𝒜'.repeat(40), [], now); // U+1D49C, a letter outside the BMP
    expect(name).toBe(`${'𝒜'.repeat(22)} GDAP`);
    expect(name.length).toBeLessThanOrEqual(50);
    expect(name.endsWith(' GDAP')).toBe(true);
    expect(name).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no lone high surrogate
  });

  it('R19: a suggestion is always valid against the existing names', () => {
    const nameArb = fc.oneof(fc.string({ maxLength: 70 }), fc.constantFrom('Contoso', 'Contoso GDAP', 'Contoso GDAP 2'));
    const relArb = fc.record({
      displayName: fc.oneof(nameArb, fc.constantFrom('Contoso GDAP', 'Contoso GDAP 2', 'CONTOSO GDAP 3')),
      status: fc.constantFrom<RelationshipStatus>('active', 'expired', 'terminated', 'created'),
      endDay: fc.integer({ min: -800, max: 800 }),
    });
    fc.assert(
      fc.property(nameArb, fc.array(relArb, { maxLength: 12 }), (customer, rels) => {
        const existing = rels.map((r, i) =>
          makeRel({
            id: `r${i}`,
            displayName: r.displayName,
            status: r.status,
            endDateTime: new Date(now.getTime() + r.endDay * DAY).toISOString(),
            lastModifiedDateTime: new Date(now.getTime() + r.endDay * DAY).toISOString(),
          }),
        );
        const name = suggestRelationshipName(customer, existing, now);
        expect(validateRelationshipName(name, existing, now)).toEqual([]);
        expect(name.length).toBeLessThanOrEqual(50);
      }),
      { numRuns: 300 },
    );
  });
});

describe('R16: relationship without security group', () => {
  it('R16: true for an active relationship with no assignment', () => {
    expect(hasNoSecurityGroup(makeRel({ status: 'active' }), [])).toBe(true);
  });

  it('R16: true when assignments exist but none is active or pending', () => {
    expect(
      hasNoSecurityGroup(makeRel({ status: 'active' }), [makeAssignment('deleted'), makeAssignment('error'), makeAssignment('deleting')]),
    ).toBe(true);
  });

  it('R16: false when an assignment is active or pending', () => {
    expect(hasNoSecurityGroup(makeRel({ status: 'active' }), [makeAssignment('deleted'), makeAssignment('active')])).toBe(false);
    expect(hasNoSecurityGroup(makeRel({ status: 'expiring' }), [makeAssignment('pending')])).toBe(false);
  });

  it('R16: false for relationships that are not in force', () => {
    for (const status of ['created', 'approvalPending', 'approved', 'expired', 'terminated'] as const) {
      expect([status, hasNoSecurityGroup(makeRel({ status }), [])]).toEqual([status, false]);
    }
  });
});

describe('R27: DAP and GDAP precedence', () => {
  it('R27: GDAP wins where both exist', () => {
    expect(dapGdapPrecedence({ hasDap: true, hasGdap: true })).toBe('dap-and-gdap-gdap-wins');
  });
  it('R27: one model alone, or none', () => {
    expect(dapGdapPrecedence({ hasDap: true, hasGdap: false })).toBe('dap-only');
    expect(dapGdapPrecedence({ hasDap: false, hasGdap: true })).toBe('gdap-only');
    expect(dapGdapPrecedence({ hasDap: false, hasGdap: false })).toBe('none');
  });
});
