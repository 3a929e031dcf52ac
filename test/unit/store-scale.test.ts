import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AccessAssignment, Relationship } from '@/utils/gdap/schema';
import { EXPIRED_LOOKBACK_DAYS, relationshipState } from '@/utils/gdap/state';
import { summarizeCustomer } from '@/utils/gdap/summary';
import type { RelationshipCache } from '@/utils/store/cache';
import { DAY, NOW, bigData, freshCache, prng, snapshot, type BigData } from './store-fixtures';

const RELATIONSHIPS = 20_000;
const TENANTS = 6_000;

let data: BigData;
let cache: RelationshipCache;

beforeAll(async () => {
  data = bigData(RELATIONSHIPS, TENANTS);
  cache = freshCache().cache;
  const meta = await cache.replaceAll(snapshot(data.relationships, { assignments: data.assignments }));
  expect(meta.counts?.relationships).toBe(RELATIONSHIPS);
}, 30_000);

afterEach(() => {
  vi.restoreAllMocks();
});

function byTenant(): Map<string, Relationship[]> {
  const map = new Map<string, Relationship[]>();
  for (const r of data.relationships) {
    const key = r.customer.tenantId;
    if (key === null) continue;
    const list = map.get(key) ?? [];
    list.push(r);
    map.set(key, list);
  }
  return map;
}

describe('20,000 relationships', () => {
  it('getSummaries for 300 tenants equals summarizeCustomer computed directly; after one load, from memory', async () => {
    const random = prng(7);
    const requested = new Set<string>();
    while (requested.size < 290) requested.add(data.tenants[Math.floor(random() * data.tenants.length)]!);
    const ids = [...requested];
    // Ten tenants without any relationship.
    for (let i = 0; i < 10; i++) ids.push(`ffffffff-0000-4000-8000-${i.toString().padStart(12, '0')}`);
    expect(ids).toHaveLength(300);

    const indexGetAll = vi.spyOn(IDBIndex.prototype, 'getAll');
    const storeGetAll = vi.spyOn(IDBObjectStore.prototype, 'getAll');
    const storeCursor = vi.spyOn(IDBObjectStore.prototype, 'openCursor');
    const storeGet = vi.spyOn(IDBObjectStore.prototype, 'get');
    await cache.getSummaries(ids.slice(0, 1), NOW);
    // The first read loads the whole cache once: one getAll of each store, no per-tenant reads.
    expect(storeGetAll.mock.contexts.map((store) => (store as IDBObjectStore).name).sort()).toEqual(['accessAssignments', 'relationships']);
    storeGetAll.mockClear();
    storeGet.mockClear();
    const result = await cache.getSummaries(ids, NOW);
    // Later reads of the same generation only check the metadata.
    expect(storeGet.mock.contexts.map((store) => (store as IDBObjectStore).name)).toEqual(['meta']);
    expect(indexGetAll).not.toHaveBeenCalled();
    expect(storeGetAll).not.toHaveBeenCalled();
    expect(storeCursor).not.toHaveBeenCalled();

    expect(result.ok).toBe(true);
    expect(result.value.size).toBe(300);
    const rels = byTenant();
    let nonEmpty = 0;
    for (const id of ids) {
      const mine = (rels.get(id) ?? []).slice().sort((a, b) => (a.id < b.id ? -1 : 1));
      const assignments = new Map<string, AccessAssignment[]>();
      for (const r of mine) {
        const list = data.assignments.get(r.id);
        if (list) assignments.set(r.id, list);
      }
      const expected = summarizeCustomer(mine, assignments, NOW);
      expect(result.value.get(id)).toEqual(expected);
      if (expected.total > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(250);
  });

  it.each([1, 7, 30])('getExpiring(%i) equals a full scan of relationshipState, via the byEnd index', async (days) => {
    const storeGetAll = vi.spyOn(IDBObjectStore.prototype, 'getAll');
    const storeCursor = vi.spyOn(IDBObjectStore.prototype, 'openCursor');
    const indexGetAll = vi.spyOn(IDBIndex.prototype, 'getAll');
    const result = await cache.getExpiring(days, NOW);
    // A range of the byEnd index, never a scan of the relationships store.
    expect(indexGetAll.mock.contexts.map((index) => (index as IDBIndex).name)).toEqual(['byEnd']);
    expect(storeGetAll.mock.contexts.map((store) => (store as IDBObjectStore).name)).not.toContain('relationships');
    expect(storeCursor).not.toHaveBeenCalled();
    expect(result.ok).toBe(true);

    const expected = new Map<string, string>();
    for (const r of data.relationships) {
      const s = relationshipState(r, data.assignments.get(r.id), NOW);
      const end = s.endDate === null ? null : Date.parse(s.endDate);
      if ((s.kind === 'active' || s.kind === 'expiring') && s.autoExtend !== 'on' && s.daysLeft !== null && s.daysLeft <= days) {
        expected.set(r.id, 'ending');
      } else if (s.kind === 'pending' && s.daysLeft !== null && s.daysLeft <= days) {
        expected.set(r.id, 'pending-lapse');
      } else if (s.kind === 'expired' && end !== null && end <= NOW.getTime() && NOW.getTime() - end <= EXPIRED_LOOKBACK_DAYS * DAY) {
        expected.set(r.id, 'expired');
      }
    }
    const actual = new Map(result.value.map((e) => [e.relationship.id, e.reason as string]));
    expect(actual).toEqual(expected);
    expect([...expected.values()].filter((r) => r !== 'expired').length).toBeGreaterThan(days === 1 ? 0 : 20);
    expect(result.value.length).toBe(actual.size);
    // States are the ones relationshipState gives.
    const first = result.value[0];
    if (first) expect(first.state).toEqual(relationshipState(first.relationship, data.assignments.get(first.relationship.id), NOW));
  });

  it('a tenant with many relationships reads back completely', async () => {
    const rels = byTenant();
    const [tenantId, mine] = [...rels.entries()].sort((a, b) => b[1].length - a[1].length)[0]!;
    const result = await cache.getCustomerRelationships(tenantId);
    expect(result.value.map((c) => c.relationship.id)).toEqual(mine.map((r) => r.id).sort());
    expect((await cache.counts()).value.relationships).toBe(RELATIONSHIPS);
  });
});
