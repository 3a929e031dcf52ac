import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GLOBAL_ADMINISTRATOR, GLOBAL_READER } from '@/utils/gdap/roles';
import type { Relationship } from '@/utils/gdap/schema';
import { summarizeCustomer } from '@/utils/gdap/summary';
import { CacheError, RelationshipCache } from '@/utils/store/cache';
import { DB_NAME, DB_VERSION, deleteGdapDb } from '@/utils/store/db';
import { makeAssignment } from './gdap-fixtures';
import { DAY, NOW, at, customer, freshCache, rel, snapshot, tenant } from './store-fixtures';

afterEach(() => {
  vi.restoreAllMocks();
});

const T1 = tenant(1);
const T2 = tenant(2);
const T3 = tenant(3);

function baseData(): { relationships: Relationship[]; snap: ReturnType<typeof snapshot> } {
  const relationships = [
    rel('r1', T1, { endDateTime: at(200) }),
    rel('r2', T1, { endDateTime: at(10) }),
    rel('r3', T2, { status: 'approvalPending', rawStatus: 'approvalPending', createdDateTime: at(-5), activatedDateTime: null, endDateTime: null }),
    rel('r4', null, { status: 'created', rawStatus: 'created', createdDateTime: at(-1), activatedDateTime: null, endDateTime: null }),
  ];
  const snap = snapshot(relationships, {
    customers: [customer(T1, 'Contoso', ['contoso.com']), customer(T3, 'Fabrikam')],
    assignments: { r1: [makeAssignment('active')], r2: [] },
    skipped: 2,
  });
  return { relationships, snap };
}

describe('replaceAll then reads', () => {
  it('stores everything and every read finds it', async () => {
    const { cache } = freshCache();
    const { relationships, snap } = baseData();
    const meta = await cache.replaceAll(snap);

    expect(meta).toMatchObject({
      generation: 1,
      lastSuccess: NOW.toISOString(),
      lastAttempt: NOW.toISOString(),
      lastError: null,
      counts: { relationships: 4, customers: 3, assignments: 1, skipped: 2 },
      durationMs: 1234,
      partnerTenantId: 'partner-tenant',
      partial: null,
    });
    expect((await cache.getSyncMeta()).value).toEqual(meta);
    expect((await cache.counts()).value).toEqual({ relationships: 4, customers: 3, assignmentLists: 2 });

    const r1 = await cache.getRelationship('r1');
    expect(r1).toEqual({ ok: true, reset: false, value: { relationship: relationships[0], assignments: [makeAssignment('active')] } });
    expect((await cache.getRelationship('r3')).value).toEqual({ relationship: relationships[2], assignments: null });
    expect((await cache.getRelationship('nope')).value).toBeNull();

    const t1 = await cache.getCustomerRelationships(T1.toUpperCase());
    expect(t1.ok).toBe(true);
    expect(t1.value.map((c) => c.relationship.id)).toEqual(['r1', 'r2']);
    expect(t1.value[1]?.assignments).toEqual([]);
    expect((await cache.getCustomerRelationships(T3)).value).toEqual([]);

    const summaries = await cache.getSummaries([T1, T2, T3, 'unknown-tenant'], NOW);
    expect(summaries.ok).toBe(true);
    expect([...summaries.value.keys()]).toEqual([T1, T2, T3, 'unknown-tenant']);
    expect(summaries.value.get(T1)).toEqual(
      summarizeCustomer(relationships.slice(0, 2), { r1: [makeAssignment('active')], r2: [] }, NOW),
    );
    expect(summaries.value.get(T1)?.kind).toBe('expiring');
    expect(summaries.value.get(T2)?.kind).toBe('pending');
    expect(summaries.value.get(T3)?.kind).toBe('none');
    expect(summaries.value.get('unknown-tenant')?.total).toBe(0);
  });

  it('summaries look tenants up case-insensitively and keep the caller\'s keys', async () => {
    const { cache } = freshCache();
    await cache.replaceAll(baseData().snap);
    const upper = T1.toUpperCase();
    const summaries = await cache.getSummaries([upper, upper, ''], NOW);
    expect([...summaries.value.keys()]).toEqual([upper, '']);
    expect(summaries.value.get(upper)?.total).toBe(2);
    expect(summaries.value.get('')?.total).toBe(0);
  });

  it('two sequential syncs do not duplicate, and the second replaces the first', async () => {
    const { cache } = freshCache();
    const { relationships, snap } = baseData();
    await cache.replaceAll(snap);
    const second = await cache.replaceAll(snap);
    expect(second.generation).toBe(2);
    expect((await cache.counts()).value).toEqual({ relationships: 4, customers: 3, assignmentLists: 2 });
    expect((await cache.getCustomerRelationships(T1)).value).toHaveLength(2);

    // Third sync: r2 is gone, r1 changed, a new r5 for T3.
    const changed = { ...relationships[0]!, displayName: 'Renamed' };
    const third = await cache.replaceAll(snapshot([changed, rel('r5', T3)], { assignments: { r5: [] } }));
    expect(third.generation).toBe(3);
    expect((await cache.getRelationship('r2')).value).toBeNull();
    expect((await cache.getRelationship('r1')).value).toEqual({ relationship: changed, assignments: null });
    expect((await cache.getCustomerRelationships(T1)).value.map((c) => c.relationship.id)).toEqual(['r1']);
    expect((await cache.counts()).value).toEqual({ relationships: 2, customers: 2, assignmentLists: 1 });
  });

  it('the same relationship twice in one snapshot is stored once (the last wins)', async () => {
    const { cache } = freshCache();
    const a = rel('dup', T1, { displayName: 'first' });
    const b = rel('dup', T1, { displayName: 'second' });
    const meta = await cache.replaceAll(snapshot([a, b]));
    expect(meta.counts?.relationships).toBe(1);
    expect((await cache.getCustomerRelationships(T1)).value.map((c) => c.relationship.displayName)).toEqual(['second']);
  });

  it('a fresh cache reads as empty, never synced', async () => {
    const { cache } = freshCache();
    expect(await cache.getSyncMeta()).toMatchObject({ ok: true, value: { generation: 0, lastSuccess: null } });
    expect((await cache.counts()).value).toEqual({ relationships: 0, customers: 0, assignmentLists: 0 });
    expect((await cache.getExpiring(30, NOW)).value).toEqual([]);
    expect((await cache.searchCustomers('a')).value).toEqual([]);
  });

  it('partial: keepMissingAssignments keeps the previous lists of relationships left unloaded', async () => {
    const { cache } = freshCache();
    await cache.replaceAll(baseData().snap);
    const { relationships } = baseData();
    const meta = await cache.replaceAll(snapshot(relationships, { assignments: { r2: [makeAssignment('pending')] } }), {
      partial: { reason: 'assignments-failed', keepMissingAssignments: true },
    });
    expect(meta.partial).toEqual({ reason: 'assignments-failed' });
    expect(meta.counts?.assignments).toBe(2);
    expect((await cache.getRelationship('r1')).value?.assignments).toEqual([makeAssignment('active')]);
    expect((await cache.getRelationship('r2')).value?.assignments).toEqual([makeAssignment('pending')]);

    // Without the option, missing lists become "not loaded"; a full sync clears `partial`.
    const full = await cache.replaceAll(snapshot(relationships));
    expect(full.partial).toBeNull();
    expect((await cache.getRelationship('r1')).value?.assignments).toBeNull();
  });
});

describe('getRelationships (batch)', () => {
  it('answers each id once with its assignments, null for unknown ids', async () => {
    const { cache } = freshCache();
    const { relationships, snap } = baseData();
    await cache.replaceAll(snap);
    const [a, b] = relationships;
    const r = await cache.getRelationships([a!.id, 'nope', b!.id, a!.id]);
    expect(r.ok).toBe(true);
    expect([...r.value.keys()]).toEqual([a!.id, 'nope', b!.id]);
    expect(r.value.get('nope')).toBeNull();
    expect(r.value.get(a!.id)?.relationship).toEqual((await cache.getRelationship(a!.id)).value?.relationship);
    expect(r.value.get(b!.id)?.assignments).toEqual((await cache.getRelationship(b!.id)).value?.assignments);
  });
});

describe('listRelationships', () => {
  it('returns every cached relationship once, and nothing after clearAll', async () => {
    const { cache } = freshCache();
    const { relationships, snap } = baseData();
    await cache.replaceAll(snap);
    const listed = await cache.listRelationships();
    expect(listed.ok).toBe(true);
    expect(listed.value.map((r) => r.id).sort()).toEqual(relationships.map((r) => r.id).sort());
    await cache.clearAll();
    expect((await cache.listRelationships()).value).toEqual([]);
  });
});

describe('atomic replaceAll: a failed write leaves the previous cache whole', () => {
  async function expectPreviousIntact(cache: RelationshipCache, relationships: Relationship[]): Promise<void> {
    expect((await cache.counts()).value).toEqual({ relationships: 4, customers: 3, assignmentLists: 2 });
    expect((await cache.getSyncMeta()).value).toMatchObject({ generation: 1, counts: { relationships: 4 } });
    expect((await cache.getRelationship('r1')).value).toEqual({
      relationship: relationships[0],
      assignments: [makeAssignment('active')],
    });
    expect((await cache.getRelationship('new-0')).value).toBeNull();
    const summaries = await cache.getSummaries([T1], NOW);
    expect(summaries.value.get(T1)?.total).toBe(2);
    expect((await cache.searchCustomers('contoso')).value.map((m) => m.displayName)).toEqual(['Contoso']);
  }

  function bigReplacement(n: number): ReturnType<typeof snapshot> {
    const relationships = Array.from({ length: n }, (_, i) => rel(`new-${i}`, tenant(100 + (i % 50))));
    return snapshot(relationships, { customers: [customer(tenant(100), 'Replacement Ltd')] });
  }

  it('invalid snapshot data is refused before anything is written', async () => {
    const { cache } = freshCache();
    const { relationships, snap } = baseData();
    await cache.replaceAll(snap);
    const bad = snapshot([rel('new-0', T1), { ...rel('x', T1), id: '' }]);
    await expect(cache.replaceAll(bad)).rejects.toMatchObject({ name: 'CacheError', kind: 'invalid-data' });
    await expectPreviousIntact(cache, relationships);
  });

  it('a value that cannot be stored halfway through (DataCloneError) rolls everything back', async () => {
    const { cache } = freshCache();
    const { relationships, snap } = baseData();
    await cache.replaceAll(snap);
    const replacement = bigReplacement(500);
    // Not structured-cloneable: put() throws after 300 relationships were already put.
    (replacement.relationships[300] as unknown as Record<string, unknown>).oops = () => 1;
    const error = await cache.replaceAll(replacement).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CacheError);
    expect((error as CacheError).kind).toBe('invalid-data');
    await expectPreviousIntact(cache, relationships);
  });

  it('quota exceeded halfway: a typed error and the previous data intact', async () => {
    const { cache } = freshCache();
    const { relationships, snap } = baseData();
    await cache.replaceAll(snap);
    const original = IDBObjectStore.prototype.put;
    let puts = 0;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, value, key) {
      if (++puts > 250) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return original.call(this, value, key);
    });
    const error = await cache.replaceAll(bigReplacement(500)).catch((e: unknown) => e);
    vi.restoreAllMocks();
    expect(puts).toBeGreaterThan(250);
    expect(error).toBeInstanceOf(CacheError);
    expect((error as CacheError).kind).toBe('quota');
    await expectPreviousIntact(cache, relationships);
    // And the cache still works afterwards.
    const meta = await cache.replaceAll(bigReplacement(500));
    expect(meta.generation).toBe(2);
    expect((await cache.counts()).value.relationships).toBe(500);
  });

  it('quota exceeded reported by a request (asynchronously): typed error, previous data intact', async () => {
    const { cache } = freshCache();
    const { relationships, snap } = baseData();
    await cache.replaceAll(snap);
    // As a browser does: put() succeeds, its request fails later with QuotaExceededError and
    // that error aborts the transaction. fake-indexeddb runs a request's operation from
    // FDBTransaction#_execRequestAsync (an internal); make the 200th store operation throw.
    type Exec = (obj: { source: unknown; operation: () => unknown }) => IDBRequest;
    const proto = IDBTransaction.prototype as unknown as { _execRequestAsync: Exec };
    const original = proto._execRequestAsync;
    expect(typeof original).toBe('function');
    let operations = 0;
    vi.spyOn(proto, '_execRequestAsync').mockImplementation(function (this: unknown, obj) {
      if (obj.source instanceof IDBObjectStore && ++operations === 200) {
        obj.operation = () => {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        };
      }
      return original.call(this, obj);
    });
    const error = await cache.replaceAll(bigReplacement(500)).catch((e: unknown) => e);
    vi.restoreAllMocks();
    expect(operations).toBeGreaterThanOrEqual(200);
    expect(error).toBeInstanceOf(CacheError);
    expect((error as CacheError).kind).toBe('quota');
    await expectPreviousIntact(cache, relationships);
  });

  it('a transaction aborted from outside mid-write (worker stopping) leaves the previous data', async () => {
    const { cache } = freshCache();
    const { relationships, snap } = baseData();
    await cache.replaceAll(snap);
    const original = IDBObjectStore.prototype.put;
    let puts = 0;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, value, key) {
      if (++puts === 100) this.transaction.abort();
      return original.call(this, value, key);
    });
    const error = await cache.replaceAll(bigReplacement(500)).catch((e: unknown) => e);
    vi.restoreAllMocks();
    expect(error).toBeInstanceOf(CacheError);
    expect((error as CacheError).kind).toBe('aborted');
    await expectPreviousIntact(cache, relationships);
  });
});

describe('metadata writes', () => {
  it('recordSyncFailure only touches the metadata', async () => {
    const { cache } = freshCache();
    await cache.replaceAll(baseData().snap);
    const failedAt = new Date(NOW.getTime() + DAY);
    const meta = await cache.recordSyncFailure({ kind: 'network', message: 'x'.repeat(5000) }, failedAt);
    expect(meta).toMatchObject({
      generation: 1,
      lastSuccess: NOW.toISOString(),
      lastAttempt: failedAt.toISOString(),
      lastError: { kind: 'network', at: failedAt.toISOString() },
      counts: { relationships: 4 },
    });
    expect(meta.lastError?.message).toHaveLength(1000);
    expect((await cache.getSyncMeta()).value).toEqual(meta);
    expect((await cache.counts()).value.relationships).toBe(4);

    const err = await cache.recordSyncFailure(new TypeError('boom'));
    expect(err.lastError).toMatchObject({ kind: 'TypeError', message: 'boom' });
    expect((await cache.recordSyncFailure('plain')).lastError).toMatchObject({ kind: 'unknown', message: 'plain' });

    // A successful sync clears the error.
    const ok = await cache.replaceAll(baseData().snap);
    expect(ok.lastError).toBeNull();
    expect(ok.generation).toBe(2);
  });

  it('recordSyncFailure on an empty cache creates the metadata', async () => {
    const { cache } = freshCache();
    const meta = await cache.recordSyncFailure({ kind: 'auth', message: 'consent required' });
    expect(meta).toMatchObject({ generation: 0, lastSuccess: null, lastError: { kind: 'auth' } });
  });
});

describe('applyRelationshipUpdate / removeRelationship / clearAll', () => {
  it('an update replaces one relationship, keeps its assignments and bumps the generation', async () => {
    const { cache } = freshCache();
    const { relationships, snap } = baseData();
    await cache.replaceAll(snap);
    expect((await cache.getExpiring(30, NOW)).value.map((e) => e.relationship.id)).toEqual(['r2']);

    const extended = { ...relationships[1]!, autoExtendDuration: 'P180D', etag: 'W/"2"' };
    expect(await cache.applyRelationshipUpdate(extended)).toBe(2);
    const r2 = (await cache.getRelationship('r2')).value;
    expect(r2).toEqual({ relationship: extended, assignments: [] });
    expect((await cache.getExpiring(30, NOW)).value).toEqual([]);
    expect((await cache.getSummaries([T1], NOW)).value.get(T1)?.kind).toBe('active');
    expect((await cache.counts()).value.relationships).toBe(4);

    // With assignments given, they replace the cached list.
    await cache.applyRelationshipUpdate(extended, [makeAssignment('pending', 'p')]);
    expect((await cache.getRelationship('r2')).value?.assignments).toEqual([makeAssignment('pending', 'p')]);
    expect((await cache.getSyncMeta()).value.generation).toBe(3);
  });

  it('an update for a new tenant adds the relationship and a searchable customer', async () => {
    const { cache } = freshCache();
    await cache.replaceAll(baseData().snap);
    const T9 = tenant(9);
    await cache.applyRelationshipUpdate(rel('r9', T9, { customer: { tenantId: T9, displayName: 'Northwind' } }));
    expect((await cache.getCustomerRelationships(T9)).value.map((c) => c.relationship.id)).toEqual(['r9']);
    expect((await cache.searchCustomers('northwind')).value).toEqual([
      { tenantId: T9, displayName: 'Northwind', domains: [], source: 'relationship', matchedOn: 'name' },
    ]);
  });

  it('an update that moves a relationship to another customer moves its assignments too', async () => {
    const { cache } = freshCache();
    const { relationships, snap } = baseData();
    await cache.replaceAll(snap);
    await cache.applyRelationshipUpdate({ ...relationships[0]!, customer: { tenantId: T3, displayName: 'Fabrikam' } });
    const t3 = (await cache.getCustomerRelationships(T3)).value;
    expect(t3.map((c) => [c.relationship.id, c.assignments])).toEqual([['r1', [makeAssignment('active')]]]);
    expect((await cache.getCustomerRelationships(T1)).value.map((c) => c.relationship.id)).toEqual(['r2']);
  });

  it('refuses an update without an id', async () => {
    const { cache } = freshCache();
    await expect(cache.applyRelationshipUpdate({ ...rel('x', T1), id: '' })).rejects.toMatchObject({ kind: 'invalid-data' });
  });

  it('removeRelationship deletes the relationship and its assignments', async () => {
    const { cache } = freshCache();
    await cache.replaceAll(baseData().snap);
    expect(await cache.removeRelationship('r1')).toBe(true);
    expect((await cache.getRelationship('r1')).value).toBeNull();
    expect((await cache.counts()).value).toEqual({ relationships: 3, customers: 3, assignmentLists: 1 });
    expect((await cache.getSyncMeta()).value.generation).toBe(2);
    expect(await cache.removeRelationship('r1')).toBe(false);
    expect((await cache.getSyncMeta()).value.generation).toBe(2);
  });

  it('clearAll empties everything and still increases the generation', async () => {
    const { cache } = freshCache();
    await cache.replaceAll(baseData().snap);
    const meta = await cache.clearAll();
    expect(meta).toMatchObject({ generation: 2, lastSuccess: null, counts: null, partnerTenantId: null });
    expect((await cache.counts()).value).toEqual({ relationships: 0, customers: 0, assignmentLists: 0 });
  });
});

describe('getExpiring thresholds 1 / 7 / 30', () => {
  const GA = [GLOBAL_ADMINISTRATOR, GLOBAL_READER];
  const pending = (id: string, createdDaysAgo: number): Relationship =>
    rel(id, T1, {
      status: 'approvalPending',
      rawStatus: 'approvalPending',
      createdDateTime: at(-createdDaysAgo),
      activatedDateTime: null,
      endDateTime: null,
    });
  const data: Relationship[] = [
    rel('end-half-day', T1, { endDateTime: at(0.5) }),
    rel('end-1d', T1, { endDateTime: at(1) }),
    rel('end-1d-plus', T1, { endDateTime: new Date(NOW.getTime() + DAY + 1).toISOString() }),
    rel('end-7d', T1, { endDateTime: at(7) }),
    rel('end-30d', T1, { endDateTime: at(30) }),
    rel('end-31d', T1, { endDateTime: at(31) }),
    rel('auto-3d', T1, { endDateTime: at(3), autoExtendDuration: 'P180D' }),
    rel('ga-auto-3d', T1, { endDateTime: at(3), autoExtendDuration: 'P180D', roleIds: GA }),
    rel('graph-expiring-5d', T2, { status: 'expiring', rawStatus: 'expiring', endDateTime: at(5) }),
    rel('no-end', T2, { activatedDateTime: null, endDateTime: null }),
    pending('pending-lapse-0.5d', 89.5),
    pending('pending-lapse-5d', 85),
    pending('pending-lapse-80d', 10),
    pending('pending-lapsed-5d-ago', 95),
    rel('expired-100d', T2, { status: 'expired', rawStatus: 'expired', endDateTime: at(-100) }),
    rel('expired-400d', T2, { status: 'expired', rawStatus: 'expired', endDateTime: at(-400) }),
    rel('stale-active-ended-10d', T2, { endDateTime: at(-10) }),
    rel('terminated-10d', T2, { status: 'terminated', rawStatus: 'terminated', endDateTime: at(-10), lastModifiedDateTime: at(-10) }),
  ];
  const EXPIRED = ['pending-lapsed-5d-ago', 'stale-active-ended-10d', 'expired-100d'];

  it.each([
    [1, ['end-half-day', 'pending-lapse-0.5d', 'end-1d']],
    [7, ['end-half-day', 'pending-lapse-0.5d', 'end-1d', 'end-1d-plus', 'ga-auto-3d', 'graph-expiring-5d', 'pending-lapse-5d', 'end-7d']],
    [
      30,
      ['end-half-day', 'pending-lapse-0.5d', 'end-1d', 'end-1d-plus', 'ga-auto-3d', 'graph-expiring-5d', 'pending-lapse-5d', 'end-7d', 'end-30d'],
    ],
  ])('within %i days', async (days, upcoming) => {
    const { cache } = freshCache();
    await cache.replaceAll(snapshot(data));
    const result = await cache.getExpiring(days, NOW);
    expect(result.ok).toBe(true);
    expect(result.value.map((e) => e.relationship.id)).toEqual([...upcoming, ...EXPIRED]);
    const reasons = Object.fromEntries(result.value.map((e) => [e.relationship.id, e.reason]));
    expect(reasons['pending-lapse-0.5d']).toBe('pending-lapse');
    expect(reasons['end-half-day']).toBe('ending');
    expect(reasons['stale-active-ended-10d']).toBe('expired');
    for (const e of result.value) {
      if (e.reason !== 'expired') expect(e.state.daysLeft).toBeLessThanOrEqual(days);
    }
  });

  it('uses the time it is given', async () => {
    const { cache } = freshCache();
    await cache.replaceAll(snapshot(data));
    const later = new Date(NOW.getTime() + 25 * DAY);
    const ids = (await cache.getExpiring(7, later)).value.map((e) => e.relationship.id);
    expect(ids).toContain('end-30d');
    expect(ids).toContain('end-7d'); // now expired, 18 days ago
    expect(ids).not.toContain('pending-lapse-80d'); // lapses in 55 days
    // Lapsed 20 days ago: now listed as expired.
    expect((await cache.getExpiring(7, later)).value.find((e) => e.relationship.id === 'pending-lapse-5d')?.reason).toBe(
      'expired',
    );
  });
});

describe('searchCustomers', () => {
  const KOREAN = tenant(10);
  const HTML = tenant(11);
  const customers = [
    customer(T1, 'Contoso', ['contoso.com', 'contoso.onmicrosoft.com']),
    customer(T2, 'Contoso Pharmaceuticals'),
    customer(KOREAN, '삼성전자 주식회사', ['samsung.example.kr']),
    customer(HTML, '<img src=x onerror="alert(1)"> & Co. %_\'; DROP TABLE customers;--'),
  ];

  async function seeded(): Promise<RelationshipCache> {
    const { cache } = freshCache();
    await cache.replaceAll(
      snapshot([rel('r-only', T3, { customer: { tenantId: T3, displayName: '한국전력공사' } })], { customers }),
    );
    return cache;
  }

  it('finds Korean names, composed or decomposed, and tenants known only from relationships', async () => {
    const cache = await seeded();
    expect((await cache.searchCustomers('삼성')).value.map((m) => m.tenantId)).toEqual([KOREAN]);
    expect((await cache.searchCustomers('삼성'.normalize('NFD'))).value.map((m) => m.tenantId)).toEqual([KOREAN]);
    expect((await cache.searchCustomers('주식회사')).value.map((m) => m.tenantId)).toEqual([KOREAN]);
    expect((await cache.searchCustomers('전력')).value).toEqual([
      { tenantId: T3, displayName: '한국전력공사', domains: [], source: 'relationship', matchedOn: 'name' },
    ]);
  });

  it('HTML-like and SQL-like names are plain data, and queries are never patterns', async () => {
    const cache = await seeded();
    const html = await cache.searchCustomers('<IMG SRC=x');
    expect(html.value.map((m) => m.displayName)).toEqual([customers[3]!.displayName]);
    expect((await cache.searchCustomers("%_'; drop")).value.map((m) => m.tenantId)).toEqual([HTML]);
    expect((await cache.searchCustomers('.*')).value).toEqual([]);
    expect((await cache.searchCustomers('^c')).value).toEqual([]);
    expect((await cache.searchCustomers('[a-z]')).value).toEqual([]);
  });

  it('matches domains and tenant ids, case-insensitively, ranked exact > prefix > anywhere', async () => {
    const cache = await seeded();
    const byName = await cache.searchCustomers('CONTOSO');
    expect(byName.value.map((m) => [m.displayName, m.matchedOn])).toEqual([
      ['Contoso', 'name'],
      ['Contoso Pharmaceuticals', 'name'],
    ]);
    expect((await cache.searchCustomers('pharma')).value.map((m) => m.tenantId)).toEqual([T2]);
    expect((await cache.searchCustomers('samsung.example')).value).toEqual([
      { tenantId: KOREAN, displayName: '삼성전자 주식회사', domains: ['samsung.example.kr'], source: 'customer', matchedOn: 'domain' },
    ]);
    const byTenant = await cache.searchCustomers(HTML.toUpperCase());
    expect(byTenant.value.map((m) => [m.tenantId, m.matchedOn])).toEqual([[HTML, 'tenantId']]);
    // Every test tenant id shares this prefix.
    expect((await cache.searchCustomers('00000000-0000')).value).toHaveLength(5);
  });

  it('honours the limit and finds nothing for an empty query', async () => {
    const cache = await seeded();
    expect((await cache.searchCustomers('0000', 2)).value).toHaveLength(2);
    expect((await cache.searchCustomers('0000', 0)).value).toEqual([]);
    expect((await cache.searchCustomers('   ')).value).toEqual([]);
    expect((await cache.searchCustomers('')).value).toEqual([]);
  });
});

describe('robustness: the database changing under the cache', () => {
  it('deleted by another connection: reads return empty with reset, the next replaceAll works', async () => {
    const { cache, factory } = freshCache();
    await cache.replaceAll(baseData().snap);
    expect((await cache.getSyncMeta()).value.generation).toBe(1);

    // Another context deletes it; the cache's connection must get out of the way.
    await deleteGdapDb({ factory });

    const summaries = await cache.getSummaries([T1], NOW);
    expect(summaries).toMatchObject({ ok: true, reset: true });
    expect(summaries.value.get(T1)?.total).toBe(0);
    expect(await cache.counts()).toEqual({
      ok: true,
      reset: true,
      value: { relationships: 0, customers: 0, assignmentLists: 0 },
    });
    expect((await cache.getRelationship('r1')).value).toBeNull();
    const meta = await cache.getSyncMeta();
    expect(meta.value.lastSuccess).toBeNull();
    expect(meta.value.generation).toBeGreaterThan(1);

    const next = await cache.replaceAll(baseData().snap);
    expect(next.generation).toBeGreaterThan(meta.value.generation);
    const after = await cache.getSummaries([T1], NOW);
    expect(after).toMatchObject({ ok: true, reset: false });
    expect(after.value.get(T1)?.total).toBe(2);
  });

  it('deleted while the cache had no connection open: noticed on reopen', async () => {
    const { cache, factory } = freshCache();
    await cache.replaceAll(baseData().snap);
    cache.close();
    await deleteGdapDb({ factory });
    const counts = await cache.counts();
    expect(counts).toMatchObject({ ok: true, reset: true, value: { relationships: 0 } });
  });

  it('upgraded by a newer version elsewhere: reads return empty + error, writes throw a typed error', async () => {
    const { cache, factory } = freshCache();
    await cache.replaceAll(baseData().snap);
    // A newer extension version opens a higher version: our connection closes on versionchange.
    await new Promise<void>((resolve, reject) => {
      const request = factory.open(DB_NAME, DB_VERSION + 1);
      request.onsuccess = () => {
        request.result.close();
        resolve();
      };
      request.onerror = () => reject(request.error);
    });

    const summaries = await cache.getSummaries([T1], NOW);
    expect(summaries.ok).toBe(false);
    expect(summaries.value.size).toBe(0);
    if (!summaries.ok) expect(summaries.error.kind).toBe('version');
    for (const read of [
      cache.counts(),
      cache.getRelationship('r1'),
      cache.getCustomerRelationships(T1),
      cache.getExpiring(30, NOW),
      cache.getSyncMeta(),
      cache.searchCustomers('contoso'),
    ]) {
      await expect(read).resolves.toMatchObject({ ok: false, error: { kind: 'version' } });
    }
    await expect(cache.replaceAll(baseData().snap)).rejects.toMatchObject({ name: 'CacheError', kind: 'version' });
  });

  it('reopens lazily after close()', async () => {
    const { cache } = freshCache();
    await cache.replaceAll(baseData().snap);
    cache.close();
    expect((await cache.counts()).value.relationships).toBe(4);
    cache.close();
    await cache.applyRelationshipUpdate(rel('r7', T1));
    expect((await cache.counts()).value.relationships).toBe(5);
  });

  it('with no IndexedDB at all, reads report unavailable instead of throwing', async () => {
    const cache = new RelationshipCache({
      factory: {
        open: () => {
          throw new DOMException('no', 'InvalidStateError');
        },
      } as unknown as IDBFactory,
    });
    await expect(cache.counts()).resolves.toMatchObject({ ok: false, error: { kind: 'unavailable' } });
    await expect(cache.replaceAll(baseData().snap)).rejects.toBeInstanceOf(CacheError);
  });
});

describe('the in-memory picture behind batch reads', () => {
  it('follows every write: an update, a removal, a clear, another context writing, and a deletion', async () => {
    const { cache, factory } = freshCache();
    await cache.replaceAll(baseData().snap);
    const total = async (t: string) => (await cache.getSummaries([t], NOW)).value.get(t)?.total;
    const names = async () => (await cache.listRelationships()).value.map((r) => r.displayName);
    expect(await total(T1)).toBe(2);
    expect(await names()).toEqual(['GDAP r1', 'GDAP r2', 'GDAP r3', 'GDAP r4']);

    await cache.applyRelationshipUpdate(rel('r5', T1, { endDateTime: at(50) }));
    expect(await total(T1)).toBe(3);
    expect((await cache.getRelationships(['r5'])).value.get('r5')?.relationship.id).toBe('r5');

    await cache.removeRelationship('r1');
    expect(await total(T1)).toBe(2);
    expect(await names()).not.toContain('GDAP r1');

    // Another worker (a second cache over the same database) writes: seen through the generation.
    const other = new RelationshipCache({ factory, clock: () => NOW });
    await other.applyRelationshipUpdate(rel('r6', T2, { endDateTime: at(90) }));
    other.close();
    expect(await total(T2)).toBe(2);

    await cache.clearAll();
    expect(await total(T1)).toBe(0);
    expect(await names()).toEqual([]);

    await cache.replaceAll(baseData().snap);
    expect(await total(T1)).toBe(2);
    await deleteGdapDb({ factory });
    expect(await total(T1)).toBe(0);
    expect((await cache.getRelationships(['r1'])).value.get('r1')).toBeNull();
  });
});
