import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DIRECTORY_READERS,
  GLOBAL_ADMINISTRATOR,
  GLOBAL_READER,
  PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
  USER_ADMINISTRATOR,
} from '@/utils/gdap/roles';
import type { RelationshipStatus } from '@/utils/gdap/schema';
import { URGENCY_ORDER, compareUrgency, summarizeCustomer, urgencyClass } from '@/utils/gdap/summary';
import { relationshipState } from '@/utils/gdap/state';
import { d, makeAssignment, makeRel } from './gdap-fixtures';

const DAY = 86_400_000;
const now = d('2025-06-01T00:00:00Z');
const inDays = (n: number): string => new Date(now.getTime() + n * DAY).toISOString();

describe('R25: summarizeCustomer', () => {
  it('R25: an empty list is "none"', () => {
    const s = summarizeCustomer([], {}, now);
    expect(s).toEqual({
      kind: 'none',
      worst: null,
      soonestEnd: null,
      roleIds: [],
      counts: { pending: 0, active: 0, expiring: 0, expired: 0, terminated: 0, unknown: 0 },
      total: 0,
      noSecurityGroup: false,
      hasGlobalAdministrator: false,
      hasLockoutRecovery: false,
      states: [],
    });
  });

  it('R25: soonest effective end among active relationships, union of their roles', () => {
    const rels = [
      makeRel({ id: 'a', endDateTime: inDays(200), roleIds: [GLOBAL_READER, DIRECTORY_READERS] }),
      makeRel({ id: 'b', endDateTime: inDays(90), roleIds: [DIRECTORY_READERS.toUpperCase(), USER_ADMINISTRATOR] }),
      // Ends sooner but is auto-extending: its effective end is the next extension (R4).
      makeRel({ id: 'c', endDateTime: inDays(-20), autoExtendDuration: 'P180D', roleIds: [PRIVILEGED_AUTHENTICATION_ADMINISTRATOR] }),
      // Expired and pending relationships neither set the soonest end nor add roles.
      makeRel({ id: 'x', status: 'expired', endDateTime: inDays(-5), roleIds: [GLOBAL_ADMINISTRATOR] }),
      makeRel({ id: 'p', status: 'approvalPending', createdDateTime: inDays(-1), roleIds: [GLOBAL_ADMINISTRATOR] }),
    ];
    const s = summarizeCustomer(rels, {}, now);
    expect(s.soonestEnd).toEqual({ relationshipId: 'b', endDate: inDays(90), daysLeft: 90, autoExtend: 'off' });
    expect(s.roleIds).toEqual(
      [GLOBAL_READER, DIRECTORY_READERS, USER_ADMINISTRATOR, PRIVILEGED_AUTHENTICATION_ADMINISTRATOR].sort(),
    );
    expect(s.hasGlobalAdministrator).toBe(false);
    expect(s.hasLockoutRecovery).toBe(true);
    expect(s.counts).toEqual({ pending: 1, active: 3, expiring: 0, expired: 1, terminated: 0, unknown: 0 });
    expect(s.total).toBe(5);
  });

  it('R25: the soonest end can be an auto-extending relationship\'s next extension', () => {
    const rels = [
      makeRel({ id: 'a', endDateTime: inDays(200) }),
      makeRel({ id: 'c', endDateTime: inDays(12), autoExtendDuration: 'P180D' }),
    ];
    expect(summarizeCustomer(rels, {}, now).soonestEnd).toEqual({
      relationshipId: 'c',
      endDate: inDays(12),
      daysLeft: 12,
      autoExtend: 'on',
    });
  });

  it('R25: worst state is the most urgent: expiring before no-security-group before pending before active before ended', () => {
    const expiring = makeRel({ id: 'exp', endDateTime: inDays(10) });
    const noGroup = makeRel({ id: 'nog', endDateTime: inDays(300) });
    const pending = makeRel({ id: 'pen', status: 'approvalPending', createdDateTime: inDays(-5) });
    const unknown = makeRel({ id: 'unk', status: 'unknown' });
    const healthy = makeRel({ id: 'ok', endDateTime: inDays(300) });
    const expired = makeRel({ id: 'old', status: 'expired', endDateTime: inDays(-30) });
    const terminated = makeRel({ id: 'ter', status: 'terminated', lastModifiedDateTime: inDays(-30) });
    const assignments = { nog: [], ok: [makeAssignment('active')], exp: [makeAssignment('active')] };
    const all = [terminated, expired, healthy, unknown, pending, noGroup, expiring];

    const s = summarizeCustomer(all, assignments, now);
    expect(s.states.map((x) => x.relationshipId)).toEqual(['exp', 'nog', 'pen', 'unk', 'ok', 'old', 'ter']);
    expect(s.kind).toBe('expiring');
    expect(s.worst?.relationshipId).toBe('exp');
    expect(s.noSecurityGroup).toBe(true);

    // Dropping the worst one each time walks down the order.
    const expectedKinds = ['expiring', 'active', 'pending', 'unknown', 'active', 'expired', 'terminated'];
    const remaining = [...all];
    for (const kind of expectedKinds) {
      const summary = summarizeCustomer(remaining, assignments, now);
      expect(summary.kind).toBe(kind);
      const worstId = summary.worst?.relationshipId;
      remaining.splice(remaining.findIndex((r) => r.id === worstId), 1);
    }
  });

  it('R25: an old expired relationship does not colour a customer with a healthy one', () => {
    const s = summarizeCustomer(
      [makeRel({ id: 'old', status: 'expired', endDateTime: inDays(-100) }), makeRel({ id: 'ok', endDateTime: inDays(300) })],
      {},
      now,
    );
    expect(s.kind).toBe('active');
    expect(s.worst?.relationshipId).toBe('ok');
  });

  it('R25: among expiring relationships the one ending soonest is the worst', () => {
    const s = summarizeCustomer(
      [makeRel({ id: 'a', endDateTime: inDays(20) }), makeRel({ id: 'b', endDateTime: inDays(3) }), makeRel({ id: 'c', endDateTime: inDays(9) })],
      {},
      now,
    );
    expect(s.states.map((x) => x.relationshipId)).toEqual(['b', 'c', 'a']);
    expect(s.worst?.state.expiringWindow).toBe(7);
  });

  it('R25: assignments may come as a Map; a missing entry means "not loaded"', () => {
    const rels = [makeRel({ id: 'a', endDateTime: inDays(300) }), makeRel({ id: 'b', endDateTime: inDays(300) })];
    const s = summarizeCustomer(rels, new Map([['a', []]]), now);
    const byId = Object.fromEntries(s.states.map((x) => [x.relationshipId, x.state.noSecurityGroup]));
    expect(byId).toEqual({ a: true, b: null });
    expect(s.noSecurityGroup).toBe(true);
    expect(s.worst?.relationshipId).toBe('a');
  });

  it('R25: reports Global Administrator held through an active relationship', () => {
    const s = summarizeCustomer([makeRel({ roleIds: [GLOBAL_ADMINISTRATOR] })], {}, d('2025-01-01T00:00:00Z'));
    expect(s.hasGlobalAdministrator).toBe(true);
    expect(s.hasLockoutRecovery).toBe(false);
  });
});

describe('urgency order', () => {
  it('ranks every kind and places "none" last', () => {
    expect(URGENCY_ORDER[0]).toBe('expiring');
    expect(urgencyClass(relationshipState(null, undefined, now))).toBe('terminated');
  });

  it('is a total order consistent with the summary (fast-check)', () => {
    const relArb = fc.record({
      id: fc.string({ minLength: 1, maxLength: 4 }),
      status: fc.constantFrom<RelationshipStatus>('created', 'approvalPending', 'active', 'expiring', 'expired', 'terminated', 'unknown'),
      endDay: fc.integer({ min: -400, max: 400 }),
      createdDay: fc.integer({ min: -120, max: 0 }),
      autoExtend: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(relArb, { maxLength: 10 }), (specs) => {
        const rels = specs.map((x) =>
          makeRel({
            id: x.id,
            status: x.status,
            endDateTime: inDays(x.endDay),
            createdDateTime: inDays(x.createdDay),
            autoExtendDuration: x.autoExtend ? 'P180D' : 'PT0S',
          }),
        );
        const s = summarizeCustomer(rels, {}, now);
        expect(s.total).toBe(rels.length);
        expect(Object.values(s.counts).reduce((a, b) => a + b, 0)).toBe(rels.length);
        for (let i = 1; i < s.states.length; i++) {
          const prev = s.states[i - 1];
          const cur = s.states[i];
          if (prev && cur) expect(compareUrgency(prev, cur)).toBeLessThanOrEqual(0);
        }
        if (rels.length === 0) expect(s.kind).toBe('none');
        else expect(s.kind).toBe(s.states[0]?.state.kind);
        if (s.soonestEnd) {
          for (const st of s.states) {
            if ((st.state.kind === 'active' || st.state.kind === 'expiring') && st.state.endDate) {
              expect(Date.parse(s.soonestEnd.endDate)).toBeLessThanOrEqual(Date.parse(st.state.endDate));
            }
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
