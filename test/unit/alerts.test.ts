import { describe, expect, it } from 'vitest';
import {
  PARTNER_CENTER_CUSTOMERS_URL,
  badgeCount,
  badgeText,
  dueNotifications,
  partnerCenterCustomerUrl,
  pruneSent,
  type AlertEntry,
} from '@/utils/alerts/alerts';
import { GLOBAL_ADMINISTRATOR, GLOBAL_READER } from '@/utils/gdap/roles';
import type { Relationship } from '@/utils/gdap/schema';
import { relationshipState } from '@/utils/gdap/state';
import type { ExpiringEntry } from '@/utils/store/cache';
import { makeRel } from './gdap-fixtures';
import { freshCache, snapshot } from './store-fixtures';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = new Date('2025-06-01T00:00:00.000Z');
const TENANT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const iso = (ms: number): string => new Date(NOW.getTime() + ms).toISOString();

/** Active, Global Reader, auto-extend off, ending `msLeft` from NOW. */
function ending(id: string, msLeft: number, overrides: Partial<Relationship> = {}): Relationship {
  return makeRel({
    id,
    displayName: `GDAP ${id}`,
    activatedDateTime: iso(msLeft - 365 * DAY),
    endDateTime: iso(msLeft),
    duration: 'P365D',
    ...overrides,
  });
}

/** A pending request created `ageMs` before NOW (R2: lapses 90 days after creation). */
function pending(id: string, ageMs: number): Relationship {
  return makeRel({
    id,
    status: 'approvalPending',
    rawStatus: 'approvalPending',
    createdDateTime: iso(-ageMs),
    activatedDateTime: null,
    endDateTime: null,
  });
}

/** The shape cache.getExpiring returns. */
function entry(rel: Relationship, now: Date = NOW): ExpiringEntry {
  const state = relationshipState(rel, undefined, now);
  return { relationship: rel, state, reason: state.kind === 'pending' ? 'pending-lapse' : state.kind === 'expired' ? 'expired' : 'ending' };
}

const entries = (...rels: Relationship[]): ExpiringEntry[] => rels.map((r) => entry(r));

describe('badgeCount', () => {
  it.each<[string, Relationship, number]>([
    ['ends in 3 days without auto-extend → counts', ending('a', 3 * DAY), 1],
    ['ends in 12 hours → counts', ending('a', 12 * HOUR), 1],
    ['ends in exactly 7 days → counts', ending('a', 7 * DAY), 1],
    ['ends in 7 days and 1 hour (8 days as counted) → does not count', ending('a', 7 * DAY + HOUR), 0],
    ['ends in 20 days → does not count (reminders, not badge)', ending('a', 20 * DAY), 0],
    ['R4: auto-extend on, "ends" in 3 days → never counts (it moves 180 days on)', ending('a', 3 * DAY, { autoExtendDuration: 'P180D' }), 0],
    ['R4: auto-extend on, end date already passed → never counts', ending('a', -2 * DAY, { autoExtendDuration: 'P180D' }), 0],
    [
      'R6: includes Global Administrator with P180D set, ends in 3 days → counts (cannot auto-extend)',
      ending('a', 3 * DAY, { autoExtendDuration: 'P180D', roleIds: [GLOBAL_READER, GLOBAL_ADMINISTRATOR] }),
      1,
    ],
    ["Graph's own 'expiring' status, 2 days, no auto-extend → counts", ending('a', 2 * DAY, { status: 'expiring', rawStatus: 'expiring' }), 1],
    ["R4: Graph's 'expiring' status but auto-extend on → does not count", ending('a', 2 * DAY, { status: 'expiring', rawStatus: 'expiring', autoExtendDuration: 'P180D' }), 0],
    ['already expired 2 days ago → does not count', ending('a', -2 * DAY), 0],
    ['R2: pending request created 85 days ago (lapses in 5 days) → counts', pending('p', 85 * DAY), 1],
    ['R2: pending request created 83 days ago (lapses in exactly 7 days) → counts', pending('p', 83 * DAY), 1],
    ['R2: pending request created 80 days ago (lapses in 10 days) → does not count', pending('p', 80 * DAY), 0],
    ['R2: pending request created 91 days ago (lapsed) → does not count', pending('p', 91 * DAY), 0],
    ['terminated → does not count', ending('a', 3 * DAY, { status: 'terminated', rawStatus: 'terminated' }), 0],
  ])('%s', (_title, rel, expected) => {
    expect(badgeCount(entries(rel), NOW)).toBe(expected);
  });

  it('R2 + R4 + R6 together: sums the relationships that need attention, each once', () => {
    const list = entries(
      ending('a', 1 * DAY),
      ending('b', 6 * DAY, { roleIds: [GLOBAL_ADMINISTRATOR], autoExtendDuration: 'P180D' }),
      ending('c', 2 * DAY, { autoExtendDuration: 'P180D' }),
      ending('d', 25 * DAY),
      pending('p', 88 * DAY),
      pending('q', 10 * DAY),
    );
    expect(badgeCount([...list, ...list], NOW)).toBe(3);
  });

  it('is computed at the given now, not when the entries were read', () => {
    const rel = ending('a', 10 * DAY);
    const read = entries(rel);
    expect(badgeCount(read, NOW)).toBe(0);
    expect(badgeCount(read, new Date(NOW.getTime() + 4 * DAY))).toBe(1);
  });

  it('takes what cache.getExpiring(30, now) returns', async () => {
    const { cache } = freshCache();
    await cache.replaceAll(
      snapshot([
        ending('soon', 3 * DAY, { customer: { tenantId: TENANT, displayName: 'Contoso' } }),
        ending('extends', 3 * DAY, { autoExtendDuration: 'P180D', customer: { tenantId: TENANT, displayName: 'Contoso' } }),
        ending('later', 20 * DAY, { customer: { tenantId: TENANT, displayName: 'Contoso' } }),
        pending('lapsing', 86 * DAY),
      ]),
    );
    const read = await cache.getExpiring(30, NOW);
    expect(read.ok).toBe(true);
    const list: readonly AlertEntry[] = read.value;
    expect(badgeCount(list, NOW)).toBe(2);
    expect(dueNotifications(list, new Set(), NOW).notifications.map((n) => [n.relationshipId, n.threshold])).toEqual([
      ['soon', 7],
      ['later', 30],
    ]);
  });
});

describe('badgeText', () => {
  it.each([
    [0, ''],
    [-1, ''],
    [Number.NaN, ''],
    [1, '1'],
    [42, '42'],
    [99, '99'],
    [100, '99+'],
    [5000, '99+'],
  ])('badgeText(%s) = %j', (n, text) => {
    expect(badgeText(n)).toBe(text);
  });
});

describe('dueNotifications (Partner Center reminders: 30, 7 and 1 days before the end)', () => {
  it('25 days left → the 30-day reminder, with the full payload', () => {
    const rel = ending('r1', 25 * DAY - HOUR, { customer: { tenantId: TENANT, displayName: 'Contoso' }, displayName: 'Contoso GDAP' });
    const { notifications, sent } = dueNotifications(entries(rel), new Set(), NOW);
    expect(notifications).toEqual([
      {
        key: 'r1:30',
        relationshipId: 'r1',
        customerTenantId: TENANT,
        customerName: 'Contoso',
        relationshipName: 'Contoso GDAP',
        daysLeft: 25,
        threshold: 30,
        endDate: iso(25 * DAY - HOUR),
      },
    ]);
    expect([...sent]).toEqual(['r1:30']);
  });

  it('each key is sent once: the same run again with the returned set sends nothing', () => {
    const list = entries(ending('r1', 25 * DAY));
    const first = dueNotifications(list, new Set(), NOW);
    const second = dueNotifications(list, first.sent, NOW);
    expect(first.notifications).toHaveLength(1);
    expect(second.notifications).toEqual([]);
    expect(second.sent).toEqual(first.sent);
  });

  it('narrowest only: 5 days left and never reminded → the 7-day reminder only, and both keys are marked', () => {
    const { notifications, sent } = dueNotifications(entries(ending('r1', 5 * DAY)), new Set(), NOW);
    expect(notifications.map((n) => n.key)).toEqual(['r1:7']);
    expect([...sent].sort()).toEqual(['r1:30', 'r1:7']);
  });

  it('12 hours left → the 1-day reminder only; 30, 7 and 1 marked', () => {
    const { notifications, sent } = dueNotifications(entries(ending('r1', 12 * HOUR)), new Set(), NOW);
    expect(notifications.map((n) => [n.key, n.daysLeft, n.threshold])).toEqual([['r1:1', 1, 1]]);
    expect([...sent].sort()).toEqual(['r1:1', 'r1:30', 'r1:7']);
  });

  it('5 days left, the 30-day one already sent → the 7-day one; the 7-day one already sent → nothing', () => {
    const list = entries(ending('r1', 5 * DAY));
    expect(dueNotifications(list, new Set(['r1:30']), NOW).notifications.map((n) => n.key)).toEqual(['r1:7']);
    expect(dueNotifications(list, new Set(['r1:7']), NOW).notifications).toEqual([]);
  });

  it('31 days left → nothing yet', () => {
    const { notifications, sent } = dueNotifications(entries(ending('r1', 31 * DAY)), new Set(), NOW);
    expect(notifications).toEqual([]);
    expect(sent.size).toBe(0);
  });

  it('a daily check from 40 days before the end to the end sends exactly 30, 7 and 1, on the right days', () => {
    const rel = ending('r1', 40 * DAY - 2 * HOUR);
    let sent: ReadonlySet<string> = new Set();
    const log: Array<[number, number]> = [];
    for (let day = 0; day <= 40; day++) {
      const now = new Date(NOW.getTime() + day * DAY);
      const due = dueNotifications([entry(rel, now)], sent, now);
      for (const n of due.notifications) log.push([n.threshold, n.daysLeft]);
      sent = due.sent;
    }
    expect(log).toEqual([
      [30, 30],
      [7, 7],
      [1, 1],
    ]);
  });

  it('R4: an auto-extending relationship gets no reminder', () => {
    expect(dueNotifications(entries(ending('r1', 5 * DAY, { autoExtendDuration: 'P180D' })), new Set(), NOW).notifications).toEqual([]);
  });

  it('R6: a relationship with Global Administrator gets reminders even with P180D set', () => {
    const rel = ending('ga', 5 * DAY, { autoExtendDuration: 'P180D', roleIds: [GLOBAL_ADMINISTRATOR] });
    expect(dueNotifications(entries(rel), new Set(), NOW).notifications.map((n) => n.key)).toEqual(['ga:7']);
  });

  it('pending requests and expired relationships get no expiry reminder', () => {
    expect(dueNotifications(entries(pending('p', 89 * DAY), ending('x', -DAY)), new Set(), NOW).notifications).toEqual([]);
  });

  it('at most one per relationship per run, soonest first, duplicates ignored; the input set is not changed', () => {
    const list = entries(ending('b', 20 * DAY), ending('a', 3 * DAY), ending('c', 12 * HOUR));
    const input = new Set<string>();
    const { notifications } = dueNotifications([...list, ...list], input, NOW);
    expect(notifications.map((n) => n.key)).toEqual(['c:1', 'a:7', 'b:30']);
    expect(input.size).toBe(0);
  });
});

describe('pruneSent', () => {
  it('keeps only the keys of relationships still current', () => {
    const sent = new Set(['a:30', 'a:7', 'b:30', 'gone:30', 'gone:7', 'gone:1']);
    expect([...pruneSent(sent, ['a', 'b'])].sort()).toEqual(['a:30', 'a:7', 'b:30']);
    expect(sent.size).toBe(6);
  });

  it('relationship ids are opaque: an id containing a colon is matched whole', () => {
    expect([...pruneSent(new Set(['x:y:30', 'x:7']), ['x:y'])]).toEqual(['x:y:30']);
  });

  it('drops keys that are not `${id}:${threshold}`', () => {
    expect([...pruneSent(new Set(['nocolon', ':30', 'a:30']), ['a', 'nocolon', ''])]).toEqual(['a:30']);
  });

  it('pruning the ids that left the expiry window re-arms their reminders', () => {
    const list = entries(ending('r1', 5 * DAY));
    const { sent } = dueNotifications(list, new Set(), NOW);
    const afterExtension = pruneSent(sent, []); // r1 was extended: no longer ending
    expect(dueNotifications(list, afterExtension, NOW).notifications.map((n) => n.key)).toEqual(['r1:7']);
  });
});

describe('partnerCenterCustomerUrl', () => {
  it("a tenant GUID → that customer's admin relationships page", () => {
    expect(partnerCenterCustomerUrl(TENANT)).toBe(`https://partner.microsoft.com/dashboard/v2/customers/${TENANT}/adminrelationships`);
    expect(partnerCenterCustomerUrl(` ${TENANT.toUpperCase()} `)).toBe(`https://partner.microsoft.com/dashboard/v2/customers/${TENANT}/adminrelationships`);
  });

  it.each([
    ['not a GUID', 'contoso.onmicrosoft.com'],
    ['path traversal', '../../../evil'],
    ['GUID with a path after it', `${TENANT}/../../x`],
    ['GUID with a query', `${TENANT}?x=1`],
    ['script URL', 'javascript:alert(1)'],
    ['empty', ''],
    ['null', null],
    ['GUID missing a digit', TENANT.slice(1)],
  ])('rejects %s → the customer list', (_title, value) => {
    expect(partnerCenterCustomerUrl(value)).toBe(PARTNER_CENTER_CUSTOMERS_URL);
    expect(PARTNER_CENTER_CUSTOMERS_URL).toBe('https://partner.microsoft.com/dashboard/v2/customers/list');
  });
});
