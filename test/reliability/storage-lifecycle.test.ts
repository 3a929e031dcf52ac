/**
 * Storage and worker life cycle at the Node level: the real background app over a
 * "browser profile" (storage areas + fake IndexedDB) that outlives the app instance.
 *
 * - Upgrades from every earlier schema version (built from the migration history), a
 *   database newer than this code, quota exceeded during the sync's write, and the
 *   database deleted under an open connection.
 * - A worker stopped mid-sync or mid-write and a new one started over the same profile:
 *   nothing half-written; two callers at once get one sync.
 */
import { IDBObjectStore as FakeIDBObjectStore } from 'fake-indexeddb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DB_NAME, DB_VERSION, MIGRATIONS, openGdapDb } from '@/utils/store/db';
import { SYNC_ALARM } from '@/utils/sync/scheduler';
import { holdGate } from '../fake-cloud/faults';
import { startFakeCloud, type FakeCloud } from '../fake-cloud/server';
import { tried } from './tally';
import { dumpDb, expectPlainWords, expectSameCache, newProfile, signIn, startWorker, stopWorker, type Worker } from './harness';

vi.mock('@/utils/graph/client', async (orig) => (await import('./graph-mock')).fastGraphClientMock(orig));

const RELATIONSHIP_LIST = /^\/v1\.0\/tenantRelationships\/delegatedAdminRelationships\?/;

let cloud: FakeCloud;
const workers: Worker[] = [];
const start = (...args: Parameters<typeof startWorker>) => {
  const w = startWorker(...args);
  workers.push(w);
  return w;
};

beforeAll(async () => {
  cloud = await startFakeCloud({ customers: 10, seed: 3 });
}, 60_000);
afterEach(() => {
  cloud.faults.clear();
  for (const w of workers.splice(0)) stopWorker(w);
});
afterAll(async () => cloud?.stop());

async function syncedWorker(): Promise<Worker> {
  const w = start(cloud, newProfile(cloud));
  await signIn(w);
  const status = await w.api.getStatus(undefined);
  expect(status.sync.counts?.relationships).toBe(cloud.world.relationships.length);
  return w;
}

describe('storage', () => {
  it.each(Array.from({ length: DB_VERSION }, (_, v) => v))('a database at earlier version %i, with what that version could hold, upgrades and then syncs', async (from) => {
    const profile = newProfile(cloud);
    if (from > 0) {
      // The old shape, from the migration history: MIGRATIONS[0..from) ran.
      const old = await openGdapDb({ factory: profile.factory, version: from });
      expect([...old.objectStoreNames].length).toBeGreaterThan(0);
      old.close();
    }
    const w = start(cloud, profile);
    await signIn(w);
    tried('storage', `upgrade from schema version ${from}`);
    const dump = await dumpDb(profile.factory);
    expect(dump.version).toBe(MIGRATIONS.length);
    expect((await w.api.getStatus(undefined)).sync.counts?.relationships).toBe(cloud.world.relationships.length);
  });

  it('a worker update at the same version keeps the data: a new app over the old database reads it without a sync', async () => {
    const a = await syncedWorker();
    const before = await dumpDb(a.profile.factory);
    stopWorker(a);
    const b = start(cloud, a.profile);
    const sent = b.sent.length;
    const status = await b.api.getStatus(undefined);
    tried('storage', 'reopen at the current version with data');
    expect(status.sync.counts?.relationships).toBe(cloud.world.relationships.length);
    const rel = cloud.world.relationships[0]!;
    expect((await b.api.getRelationship({ id: rel.id }))?.relationship.id).toBe(rel.id);
    expect(b.sent.length).toBe(sent);
    expectSameCache(await dumpDb(a.profile.factory), before);
  });

  it('a database newer than this code: no crash, reads are empty, the sync fails in plain words', async () => {
    const profile = newProfile(cloud);
    await new Promise<void>((resolve, reject) => {
      const open = profile.factory.open(DB_NAME, DB_VERSION + 5);
      open.onupgradeneeded = () => open.result.createObjectStore('future');
      open.onsuccess = () => (open.result.close(), resolve());
      open.onerror = () => reject(open.error);
    });
    const w = start(cloud, profile);
    await w.api.saveSettings({ clientId: profile.clientId });
    expect((await w.api.signIn(undefined)).ok).toBe(true);
    const r = await w.api.syncNow(undefined);
    tried('storage', 'database from a newer version');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('storage');
      expectPlainWords(r.error.messageKey);
    }
    await expect(w.api.getSummaries({ tenantIds: [cloud.world.customers[0]!.tenantId] })).resolves.toEqual({});
    expect((await dumpDb(profile.factory)).version).toBe(DB_VERSION + 5);
  });

  it('quota exceeded during the sync write: the old cache stays, plain words, the next sync recovers', async () => {
    const w = await syncedWorker();
    const before = await dumpDb(w.profile.factory);
    const put = vi.spyOn(FakeIDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    let r;
    try {
      r = await w.api.syncNow(undefined);
    } finally {
      put.mockRestore();
    }
    tried('storage', 'QuotaExceededError during the sync write');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('storage');
      expect(r.error.messageKey).toBe('syncError.storage');
      expectPlainWords(r.error.messageKey);
    }
    expectSameCache(await dumpDb(w.profile.factory), before);
    const again = await w.api.syncNow(undefined);
    expect(again.ok).toBe(true);
  });

  it('the database deleted under the open connection: the delete is not blocked, the app reports empty, the next sync fills it', async () => {
    const w = await syncedWorker();
    const deleted = new Promise<string>((resolve) => {
      const req = w.profile.factory.deleteDatabase(DB_NAME);
      req.onsuccess = () => resolve('deleted');
      req.onblocked = () => resolve('blocked');
      req.onerror = () => resolve('error');
    });
    const outcome = await Promise.race([deleted, new Promise<string>((r) => setTimeout(() => r('timed out'), 5_000))]);
    tried('storage', 'database deleted under an open connection');
    expect(outcome).toBe('deleted');
    const status = await w.api.getStatus(undefined);
    expect(status.sync.counts).toBeNull();
    expect(status.sync.lastSuccess).toBeNull();
    const rel = cloud.world.relationships[0]!;
    expect(await w.api.getRelationship({ id: rel.id })).toBeNull();
    const r = await w.api.syncNow(undefined);
    expect(r.ok).toBe(true);
    expect((await w.api.getRelationship({ id: rel.id }))?.relationship.id).toBe(rel.id);
  });
});

describe('worker life cycle', () => {
  it('stopped mid-sync: nothing half-written; a new worker reads the old cache and its own sync succeeds', async () => {
    const a = await syncedWorker();
    const before = await dumpDb(a.profile.factory);
    const hold = holdGate();
    cloud.faults.add({ match: { path: RELATIONSHIP_LIST }, fault: { kind: 'hold', gate: hold.gate }, times: 1 });
    const running = a.api.syncNow(undefined);
    await vi.waitFor(() => expect(cloud.faults.rules[0]?.fired).toBe(1));
    expect((await a.api.getStatus(undefined)).sync.running).toBe(true);
    stopWorker(a);
    hold.release();
    await running;
    tried('worker-lifecycle', 'worker stopped mid-sync');
    expectSameCache(await dumpDb(a.profile.factory), before);

    const b = start(cloud, a.profile);
    expect((await b.api.getStatus(undefined)).sync.counts?.relationships).toBe(cloud.world.relationships.length);
    const r = await b.api.syncNow(undefined);
    expect(r.ok).toBe(true);
  });

  it('stopped mid-write (PATCH landed, answer lost): the cache is not half-updated; the next worker’s sync shows what Graph did', async () => {
    const a = await syncedWorker();
    const rel = cloud.world.relationships.find(
      (r) => r.status === 'active' && /^(PT0S|P0D)$/.test(r.autoExtendDuration) && !r.accessDetails.unifiedRoles.some((u) => u.roleDefinitionId === '62e90394-69f5-4237-9190-012177145e10'),
    )!;
    expect(rel).toBeDefined();
    const before = await dumpDb(a.profile.factory);
    const hold = holdGate();
    cloud.faults.add({ match: { method: 'PATCH' }, fault: { kind: 'hold', gate: hold.gate }, times: 1 });
    const writing = a.api.setAutoExtend({ id: rel.id, on: true });
    await vi.waitFor(() => expect(cloud.faults.rules[0]?.fired).toBe(1));
    stopWorker(a);
    hold.release();
    await vi.waitFor(() => expect(rel.autoExtendDuration).toBe('P180D'));
    await writing.catch(() => undefined);
    tried('worker-lifecycle', 'worker stopped mid-write');
    const afterStop = await dumpDb(a.profile.factory);
    // Either the old record or the new one, never a mix: compare the one record.
    const recordOf = (d: typeof before) => (JSON.parse(d.stores.relationships!) as Array<[string, { relationship: { autoExtendDuration: string } }]>).find(([k]) => k === rel.id)?.[1];
    expect([before, afterStop].map((d) => recordOf(d)?.relationship.autoExtendDuration)).toContain(recordOf(afterStop)?.relationship.autoExtendDuration);

    const b = start(cloud, a.profile);
    expect((await b.api.syncNow(undefined)).ok).toBe(true);
    expect((await b.api.getRelationship({ id: rel.id }))?.relationship.autoExtendDuration).toBe('P180D');
  });

  it('two tabs, the alarm and the popup at once: one sync, everyone gets its outcome, the popup sees it running', async () => {
    const w = await syncedWorker();
    const listsBefore = w.sent.filter((r) => RELATIONSHIP_LIST.test(r.path)).length;
    const hold = holdGate();
    cloud.faults.add({ match: { path: RELATIONSHIP_LIST }, fault: { kind: 'hold', gate: hold.gate }, times: 1 });
    const first = w.api.syncNow(undefined);
    await vi.waitFor(() => expect(cloud.faults.rules[0]?.fired).toBe(1));
    const second = w.api.syncNow(undefined);
    const alarm = w.app.onAlarm(SYNC_ALARM);
    const popup = await w.api.getStatus(undefined);
    expect(popup.sync.running).toBe(true);
    // The popup reads the cache while the sync runs.
    expect(popup.sync.counts?.relationships).toBe(cloud.world.relationships.length);
    hold.release();
    const [a, b] = await Promise.all([first, second, alarm]);
    tried('worker-lifecycle', 'concurrent sync requests (two tabs, alarm, popup)', 4);
    expect(a.ok && b.ok).toBe(true);
    expect(w.sent.filter((r) => RELATIONSHIP_LIST.test(r.path)).length - listsBefore).toBe(1);
  });
});
