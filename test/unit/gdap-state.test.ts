import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GLOBAL_ADMINISTRATOR, GLOBAL_READER } from '@/utils/gdap/roles';
import { RELATIONSHIP_STATUSES, type RelationshipStatus } from '@/utils/gdap/schema';
import {
  NONE_STATE,
  expiringFilter,
  inExpiringFilter,
  relationshipState,
  type ExpiringFilter,
  type RelationshipKind,
} from '@/utils/gdap/state';
import { d, makeAssignment, makeRel } from './gdap-fixtures';

const DAY = 86_400_000;
const now = d('2025-06-01T00:00:00Z');
const inDays = (n: number): string => new Date(now.getTime() + n * DAY).toISOString();

/** An in-force relationship ending `n` days from `now`. */
const endingIn = (n: number, overrides: Parameters<typeof makeRel>[0] = {}) =>
  makeRel({ status: 'active', endDateTime: inDays(n), ...overrides });

describe('relationshipState: Graph status mapping', () => {
  const table: Array<[RelationshipStatus, RelationshipKind]> = [
    ['created', 'pending'],
    ['approvalPending', 'pending'],
    ['approved', 'active'],
    ['activating', 'active'],
    ['active', 'active'],
    ['expiring', 'expiring'],
    ['expired', 'expired'],
    ['terminationRequested', 'terminated'],
    ['terminating', 'terminated'],
    ['terminated', 'terminated'],
    ['unknown', 'unknown'],
  ];
  it.each(table)('%s → %s', (status, kind) => {
    // Created recently and ending far away, so that time does not change the kind.
    const rel = makeRel({ status, createdDateTime: inDays(-10), endDateTime: inDays(200) });
    expect(relationshipState(rel, undefined, now).kind).toBe(kind);
  });

  it('is "none" without a relationship', () => {
    expect(relationshipState(null, undefined, now)).toEqual(NONE_STATE);
    expect(relationshipState(undefined, [], now).kind).toBe('none');
  });
});

describe('relationshipState: pending (R2)', () => {
  it('R2: counts down to createdDateTime + 90 days', () => {
    const rel = makeRel({ status: 'approvalPending', createdDateTime: '2025-05-01T00:00:00.000Z', endDateTime: null });
    expect(relationshipState(rel, undefined, now)).toEqual({
      kind: 'pending',
      status: 'approvalPending',
      daysLeft: 59,
      autoExtend: null,
      expiringWindow: null,
      endDate: '2025-07-30T00:00:00.000Z',
      noSecurityGroup: null,
    });
  });

  it('R2: a request past its lapse date is expired, whatever the cached status says', () => {
    const rel = makeRel({ status: 'created', createdDateTime: '2025-03-01T00:00:00.000Z' });
    expect(relationshipState(rel, undefined, now)).toMatchObject({
      kind: 'expired',
      daysLeft: null,
      endDate: '2025-05-30T00:00:00.000Z',
    });
  });

  it('R2: a request without a creation date stays pending with unknown days', () => {
    const rel = makeRel({ status: 'created', createdDateTime: null });
    expect(relationshipState(rel, undefined, now)).toMatchObject({ kind: 'pending', daysLeft: null, endDate: null });
  });
});

describe('relationshipState: active and expiring', () => {
  it('is active with days until the end when more than 30 days are left', () => {
    expect(relationshipState(endingIn(120), undefined, now)).toEqual({
      kind: 'active',
      status: 'active',
      daysLeft: 120,
      autoExtend: 'off',
      expiringWindow: null,
      endDate: inDays(120),
      noSecurityGroup: null,
    });
  });

  it('is expiring within 30 days when auto-extend is off, in Partner Center windows', () => {
    const cases: Array<[number, number, 1 | 7 | 30]> = [
      // days until the end, daysLeft shown, window
      [30, 30, 30],
      [20, 20, 30],
      [7.5, 8, 30],
      [7, 7, 7],
      [5, 5, 7],
      [1.5, 2, 7],
      [1, 1, 1],
      [0.2, 1, 1],
    ];
    for (const [days, daysLeft, window] of cases) {
      const state = relationshipState(endingIn(days), undefined, now);
      expect([days, state.kind, state.daysLeft, state.expiringWindow]).toEqual([days, 'expiring', daysLeft, window]);
    }
    const justOver = relationshipState(
      makeRel({ endDateTime: new Date(now.getTime() + 30 * DAY + 1).toISOString() }),
      undefined,
      now,
    );
    expect([justOver.kind, justOver.daysLeft]).toEqual(['active', 31]);
  });

  it('R4: an auto-extending relationship is never expiring and shows its next extension', () => {
    const state = relationshipState(endingIn(5, { autoExtendDuration: 'P180D' }), undefined, now);
    expect(state).toMatchObject({ kind: 'active', autoExtend: 'on', daysLeft: 5, expiringWindow: null, endDate: inDays(5) });
  });

  it('R4: a stale cached end that has passed moves forward with auto-extend on', () => {
    const state = relationshipState(endingIn(-10, { autoExtendDuration: 'P180D' }), undefined, now);
    expect(state).toMatchObject({ kind: 'active', autoExtend: 'on', daysLeft: 170, endDate: inDays(170) });
  });

  it('R6: Global Administrator makes auto-extend "not-allowed" and the relationship can expire', () => {
    const rel = endingIn(10, { roleIds: [GLOBAL_READER, GLOBAL_ADMINISTRATOR], autoExtendDuration: 'P180D' });
    expect(relationshipState(rel, undefined, now)).toMatchObject({
      kind: 'expiring',
      autoExtend: 'not-allowed',
      daysLeft: 10,
      expiringWindow: 30,
    });
  });

  it("follows Graph's own expiring status even with more than 30 days left", () => {
    expect(relationshipState(endingIn(45, { status: 'expiring' }), undefined, now)).toMatchObject({
      kind: 'expiring',
      daysLeft: 45,
      expiringWindow: null,
    });
  });

  it('is expired once the end has passed without auto-extend', () => {
    expect(relationshipState(endingIn(-3), undefined, now)).toMatchObject({
      kind: 'expired',
      status: 'active',
      endDate: inDays(-3),
      daysLeft: null,
      autoExtend: null,
    });
    expect(relationshipState(endingIn(0), undefined, now).kind).toBe('expired');
  });

  it('is active with unknown days while approved or activating without an end date', () => {
    const rel = makeRel({ status: 'activating', endDateTime: null, activatedDateTime: null });
    expect(relationshipState(rel, undefined, now)).toMatchObject({ kind: 'active', daysLeft: null, endDate: null, autoExtend: 'off' });
  });
});

describe('relationshipState: ended and unknown', () => {
  it('gives the end date of an expired relationship', () => {
    const rel = makeRel({ status: 'expired', endDateTime: '2025-01-01T00:00:00.000Z' });
    expect(relationshipState(rel, undefined, now)).toEqual({
      ...NONE_STATE,
      kind: 'expired',
      status: 'expired',
      endDate: '2025-01-01T00:00:00.000Z',
    });
  });

  it('gives the termination date of a terminated relationship', () => {
    const rel = makeRel({
      status: 'terminated',
      endDateTime: '2026-01-01T00:00:00.000Z',
      lastModifiedDateTime: '2025-02-01T00:00:00.000Z',
    });
    expect(relationshipState(rel, undefined, now)).toMatchObject({ kind: 'terminated', endDate: '2025-02-01T00:00:00.000Z' });
    expect(relationshipState(makeRel({ status: 'terminating' }), undefined, now)).toMatchObject({
      kind: 'terminated',
      status: 'terminating',
      endDate: null,
    });
  });

  it('keeps an unknown status unknown, with its expiry if any', () => {
    const rel = makeRel({ status: 'unknown', rawStatus: 'suspended', endDateTime: '2026-01-01T00:00:00.000Z' });
    expect(relationshipState(rel, undefined, now)).toMatchObject({ kind: 'unknown', endDate: '2026-01-01T00:00:00.000Z', daysLeft: null });
  });
});

describe('relationshipState: security groups (R16)', () => {
  it('R16: null when assignments are not loaded', () => {
    expect(relationshipState(endingIn(100), undefined, now).noSecurityGroup).toBeNull();
  });
  it('R16: true for an active relationship without an active or pending assignment', () => {
    expect(relationshipState(endingIn(100), [], now).noSecurityGroup).toBe(true);
    expect(relationshipState(endingIn(100), [makeAssignment('deleted')], now).noSecurityGroup).toBe(true);
  });
  it('R16: false with an active assignment, and for pending relationships', () => {
    expect(relationshipState(endingIn(100), [makeAssignment('active')], now).noSecurityGroup).toBe(false);
    const pending = makeRel({ status: 'approvalPending', createdDateTime: inDays(-1) });
    expect(relationshipState(pending, [], now).noSecurityGroup).toBe(false);
  });
});

describe('expiringFilter (Partner Center windows, R8)', () => {
  const filterOf = (rel: Parameters<typeof relationshipState>[0]): ExpiringFilter | null =>
    expiringFilter(relationshipState(rel, undefined, now), now);

  it('R8: sorts in-force relationships by days left', () => {
    expect(filterOf(endingIn(0.5))).toBe('within-1');
    expect(filterOf(endingIn(1))).toBe('within-1');
    expect(filterOf(endingIn(1.01))).toBe('within-7');
    expect(filterOf(endingIn(7))).toBe('within-7');
    expect(filterOf(endingIn(20))).toBe('within-30');
    expect(filterOf(endingIn(30))).toBe('within-30');
    expect(filterOf(endingIn(31))).toBe('after-30');
    expect(filterOf(endingIn(3, { autoExtendDuration: 'P180D' }))).toBe('within-7');
  });

  it('R8: lists relationships expired in the last year only', () => {
    expect(filterOf(makeRel({ status: 'expired', endDateTime: inDays(-100) }))).toBe('expired-last-year');
    expect(filterOf(makeRel({ status: 'expired', endDateTime: inDays(-365) }))).toBe('expired-last-year');
    expect(filterOf(makeRel({ status: 'expired', endDateTime: inDays(-366) }))).toBeNull();
    expect(filterOf(endingIn(-2))).toBe('expired-last-year');
  });

  it('R8: leaves out pending, terminated, unknown and absent relationships', () => {
    expect(filterOf(makeRel({ status: 'approvalPending', createdDateTime: inDays(-80) }))).toBeNull();
    expect(filterOf(makeRel({ status: 'terminated', lastModifiedDateTime: inDays(-5) }))).toBeNull();
    expect(filterOf(makeRel({ status: 'unknown', endDateTime: inDays(5) }))).toBeNull();
    expect(filterOf(null)).toBeNull();
  });

  it('R8: a state computed earlier is judged at the given time', () => {
    const state = relationshipState(endingIn(40), undefined, now);
    expect(expiringFilter(state, now)).toBe('after-30');
    expect(expiringFilter(state, new Date(now.getTime() + 35 * DAY))).toBe('within-7');
    expect(expiringFilter(state, new Date(now.getTime() + 41 * DAY))).toBe('expired-last-year');
  });

  it('R8: the "within" windows nest like the portal\'s', () => {
    const soon = relationshipState(endingIn(0.5), undefined, now);
    expect(inExpiringFilter(soon, 'within-1', now)).toBe(true);
    expect(inExpiringFilter(soon, 'within-7', now)).toBe(true);
    expect(inExpiringFilter(soon, 'within-30', now)).toBe(true);
    expect(inExpiringFilter(soon, 'after-30', now)).toBe(false);
    const week = relationshipState(endingIn(5), undefined, now);
    expect(inExpiringFilter(week, 'within-1', now)).toBe(false);
    expect(inExpiringFilter(week, 'within-30', now)).toBe(true);
    const late = relationshipState(endingIn(50), undefined, now);
    expect(inExpiringFilter(late, 'within-30', now)).toBe(false);
    expect(inExpiringFilter(late, 'after-30', now)).toBe(true);
    expect(inExpiringFilter(NONE_STATE, 'within-30', now)).toBe(false);
  });
});

describe('relationshipState invariants (fast-check)', () => {
  const isoOrNull = fc.option(
    fc.integer({ min: -900, max: 900 }).map((n) => inDays(n + 0.37)),
    { nil: null },
  );
  const relArb = fc.record({
    status: fc.constantFrom<RelationshipStatus>(...RELATIONSHIP_STATUSES, 'unknown'),
    createdDateTime: isoOrNull,
    endDateTime: isoOrNull,
    activatedDateTime: isoOrNull,
    lastModifiedDateTime: isoOrNull,
    duration: fc.constantFrom('P730D', 'P2Y', 'P90D', 'garbage', null),
    autoExtendDuration: fc.constantFrom('P180D', 'PT0S', 'P0D', 'P6M', null, 'junk'),
    roleIds: fc.subarray([GLOBAL_READER, GLOBAL_ADMINISTRATOR]),
  });
  const assignmentsArb = fc.option(fc.array(fc.constantFrom('pending', 'active', 'deleting', 'deleted', 'error', 'unknown' as const).map((s) => makeAssignment(s))), { nil: undefined });

  it('keeps days, windows and auto-extend consistent with the kind', () => {
    fc.assert(
      fc.property(relArb, assignmentsArb, (fields, assignments) => {
        const s = relationshipState(makeRel(fields), assignments, now);
        const live = s.kind === 'active' || s.kind === 'expiring';
        expect(s.autoExtend !== null).toBe(live);
        if (s.daysLeft !== null) {
          expect(live || s.kind === 'pending').toBe(true);
          expect(s.daysLeft).toBeGreaterThanOrEqual(1);
        }
        if (s.expiringWindow !== null) expect(s.kind).toBe('expiring');
        if (s.kind === 'expiring' && fields.status !== 'expiring') expect(s.autoExtend).not.toBe('on');
        if (s.autoExtend === 'on') expect(fields.roleIds).not.toContain(GLOBAL_ADMINISTRATOR);
        if (s.endDate !== null) expect(new Date(s.endDate).toISOString()).toBe(s.endDate);
        expect(s.noSecurityGroup === null).toBe(assignments === undefined);
      }),
      { numRuns: 1000 },
    );
  });
});
