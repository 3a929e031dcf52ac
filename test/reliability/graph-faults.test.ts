/**
 * Graph faults during sync and during writes, through the real background composition
 * (utils/background/app.ts) against the fake cloud's fault injector.
 *
 * For every fault that makes a sync fail: the cache is left as it was (raw IndexedDB dump
 * before/after; only `lastAttempt`/`lastError` of the metadata change), the status carries
 * a message key that reads as plain words in English and Korean, and the next sync
 * recovers with the right counts. Bursts shorter than the client's retry budget must not
 * fail the sync at all. Writes: a failed write changes neither the cache nor (for a POST
 * whose answer was lost) creates a second relationship.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Fault } from '../fake-cloud/faults';
import { holdGate } from '../fake-cloud/faults';
import type { FakeRelationship } from '../fake-cloud/model';
import { startFakeCloud, type FakeCloud } from '../fake-cloud/server';
import { tried } from './tally';
import {
  ATTEMPT_TIMEOUT_MS,
  dumpDb,
  expectPlainWords,
  expectSameCache,
  graphSleeps,
  newProfile,
  signIn,
  sleep,
  startWorker,
  type Worker,
} from './harness';

vi.mock('@/utils/graph/client', async (orig) => (await import('./graph-mock')).fastGraphClientMock(orig));

const RELATIONSHIP_LIST = /^\/v1\.0\/tenantRelationships\/delegatedAdminRelationships\?/;
const CUSTOMER_LIST = /^\/v1\.0\/tenantRelationships\/delegatedAdminCustomers\?/;
const GLOBAL_READER = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';
const DAY = 86_400_000;

let cloud: FakeCloud;
let w: Worker;
/** Customers the first sync cached (Graph's customers plus tenants only seen on relationships). */
let customerCount = 0;

/** A relationship Graph may send that the product must survive. */
function oddRelationship(id: string, patch: Partial<FakeRelationship>): FakeRelationship {
  const now = Date.now();
  return {
    id,
    displayName: `Odd ${id}`,
    duration: 'P730D',
    customer: { tenantId: '0d0d0d0d-0000-4000-8000-00000000000' + id.slice(-1), displayName: `Odd customer ${id}` },
    accessDetails: { unifiedRoles: [{ roleDefinitionId: GLOBAL_READER }] },
    autoExtendDuration: 'PT0S',
    status: 'active',
    createdDateTime: new Date(now - 100 * DAY).toISOString(),
    lastModifiedDateTime: new Date(now - 100 * DAY).toISOString(),
    activatedDateTime: new Date(now - 99 * DAY).toISOString(),
    endDateTime: new Date(now + 300 * DAY).toISOString(),
    etag: '1',
    ...patch,
  };
}

beforeAll(async () => {
  cloud = await startFakeCloud({ customers: 30, seed: 11 });
  // What Graph may send one day: a status this code does not know, a relationship whose customer is not known yet.
  cloud.world.relationships.push(
    oddRelationship('odd-status-1', { status: 'suspendedByMicrosoft' }),
    oddRelationship('odd-nocustomer-2', { customer: null, status: 'created', createdDateTime: new Date(Date.now() - 5 * DAY).toISOString(), activatedDateTime: null, endDateTime: null }),
    oddRelationship('odd-emptycustomer-3', { customer: {}, status: 'approvalPending', createdDateTime: new Date(Date.now() - 5 * DAY).toISOString(), activatedDateTime: null, endDateTime: null }),
  );
  w = startWorker(cloud, newProfile(cloud));
  await signIn(w);
  customerCount = (await w.api.getStatus(undefined)).sync.counts?.customers ?? -1;
  expect(customerCount).toBeGreaterThan(20);
}, 60_000);

afterAll(async () => {
  w?.app.scheduler.cancel();
  w?.app.cache.close();
  await cloud?.stop();
});

beforeEach(() => {
  cloud.faults.clear();
  graphSleeps.length = 0;
});

async function expectRecovered(): Promise<void> {
  cloud.faults.clear();
  const r = await w.api.syncNow(undefined);
  expect(r.ok, JSON.stringify(r)).toBe(true);
  if (!r.ok) return;
  expect(r.value.lastError).toBeNull();
  expect(r.value.counts?.relationships).toBe(cloud.world.relationships.length);
  expect(r.value.counts?.customers).toBe(customerCount);
}

describe('a sync that meets a fault it cannot get past', () => {
  const cases: Array<{ name: string; fault: Fault; kind: string; messageKey: string }> = [
    { name: '429 burst longer than the retry budget (Retry-After: 0)', fault: { kind: '429', retryAfter: 0 }, kind: 'throttled', messageKey: 'graphError.throttled' },
    { name: '429 asking for 10 minutes (more than the client waits)', fault: { kind: '429', retryAfter: 600 }, kind: 'throttled', messageKey: 'graphError.throttled' },
    { name: '429 without Retry-After (back-off)', fault: { kind: '429' }, kind: 'throttled', messageKey: 'graphError.throttled' },
    { name: '500 every time', fault: { kind: '500' }, kind: 'server', messageKey: 'graphError.server' },
    { name: '503 with Retry-After: 0 every time', fault: { kind: '503', retryAfter: 0 }, kind: 'server', messageKey: 'graphError.server' },
    { name: '503 without Retry-After every time', fault: { kind: '503' }, kind: 'server', messageKey: 'graphError.server' },
    { name: '504 every time', fault: { kind: '504' }, kind: 'server', messageKey: 'graphError.server' },
    { name: 'no answer (hang → timeout)', fault: { kind: 'hang' }, kind: 'timeout', messageKey: 'graphError.timeout' },
    { name: 'connection reset', fault: { kind: 'reset' }, kind: 'network', messageKey: 'graphError.network' },
    { name: 'truncated JSON (complete message, body cut)', fault: { kind: 'truncated-json', keepFraction: 0.4 }, kind: 'malformed', messageKey: 'graphError.malformed' },
    { name: 'truncated JSON (connection dropped mid-body)', fault: { kind: 'truncated-json', keepFraction: 0.4, abort: true }, kind: 'network', messageKey: 'graphError.network' },
    { name: 'malformed JSON', fault: { kind: 'malformed-json' }, kind: 'malformed', messageKey: 'graphError.malformed' },
  ];
  const targets = [
    { where: 'relationship list', path: RELATIONSHIP_LIST },
    { where: 'customer list', path: CUSTOMER_LIST },
  ];

  for (const target of targets) {
    it.each(cases)(`on the ${target.where}: $name → cache intact, plain words, next sync recovers`, async (c) => {
      const before = await dumpDb(w.profile.factory);
      cloud.faults.add({ match: { path: target.path }, fault: c.fault });
      const r = await w.api.syncNow(undefined);
      tried('graph-faults', `sync: ${c.fault.kind} on the ${target.where}`);

      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.kind).toBe(c.kind);
      expect(r.error.messageKey).toBe(c.messageKey);
      expectPlainWords(r.error.messageKey);
      expectSameCache(await dumpDb(w.profile.factory), before);

      const status = await w.api.getStatus(undefined);
      expect(status.sync.running).toBe(false);
      expect(status.sync.lastError).toEqual({ kind: c.kind, messageKey: c.messageKey });
      // What was there is still readable through the product's own reads.
      expect(status.sync.counts?.relationships).toBe(cloud.world.relationships.length);
      await expectRecovered();
    });
  }

  it('a 429 that asks for longer than the client waits gives up at once, without sleeping', async () => {
    cloud.faults.add({ match: { path: RELATIONSHIP_LIST }, fault: { kind: '429', retryAfter: 600 } });
    const r = await w.api.syncNow(undefined);
    tried('graph-faults', 'sync: 429 Retry-After 600 s, no sleep');
    expect(r.ok).toBe(false);
    expect(graphSleeps.filter((ms) => ms >= 600_000)).toEqual([]);
    await expectRecovered();
  });
});

describe('a burst shorter than the retry budget does not fail the sync', () => {
  const bursts: Array<{ name: string; fault: Fault; times: number; sleeps?: number[] }> = [
    { name: '429 ×3 with Retry-After: 2', fault: { kind: '429', retryAfter: 2 }, times: 3, sleeps: [2000, 2000, 2000] },
    { name: '503 ×2 with Retry-After: 1', fault: { kind: '503', retryAfter: 1 }, times: 2, sleeps: [1000, 1000] },
    { name: '503 ×2 without Retry-After', fault: { kind: '503' }, times: 2 },
    { name: '504 ×2', fault: { kind: '504' }, times: 2 },
    { name: '500 ×1', fault: { kind: '500' }, times: 1 },
    { name: 'reset ×2', fault: { kind: 'reset' }, times: 2 },
    { name: 'hang ×1 (one timeout)', fault: { kind: 'hang' }, times: 1 },
  ];
  it.each(bursts)('$name on the relationship list', async (b) => {
    const rule = cloud.faults.add({ match: { path: RELATIONSHIP_LIST }, fault: b.fault, times: b.times });
    const r = await w.api.syncNow(undefined);
    tried('graph-faults', `sync: burst of ${b.times} × ${b.fault.kind}`, b.times);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(rule.fired).toBe(b.times);
    // Retry-After honoured exactly (other waits may be back-off of unrelated requests).
    if (b.sleeps) expect(graphSleeps.filter((ms) => ms === b.sleeps![0])).toEqual(b.sleeps);
    if (r.ok) expect(r.value.counts?.relationships).toBe(cloud.world.relationships.length);
  });

  it('faults on some relationships’ access assignments leave those "not loaded", the sync succeeds', async () => {
    cloud.faults.add({ match: { path: /\/accessAssignments/ }, fault: { kind: '500' }, times: 6 });
    const r = await w.api.syncNow(undefined);
    tried('graph-faults', 'sync: 500 on access assignment lists');
    expect(r.ok, JSON.stringify(r)).toBe(true);
    await expectRecovered();
  });
});

describe('what Graph may send that this code does not know', () => {
  it('an unknown status is kept and shown as unknown; a relationship without a customer is synced, not badged', async () => {
    await expectRecovered();
    tried('graph-faults', 'sync: unknown relationship status');
    tried('graph-faults', 'sync: relationship without a customer', 2);
    const odd = await w.api.getRelationship({ id: 'odd-status-1' });
    expect(odd?.relationship.status).toBe('unknown');
    expect(odd?.relationship.rawStatus).toBe('suspendedByMicrosoft');
    expect(odd?.state.kind).toBe('unknown');
    for (const id of ['odd-nocustomer-2', 'odd-emptycustomer-3']) {
      const r = await w.api.getRelationship({ id });
      expect(r?.relationship.customer.tenantId ?? null).toBeNull();
      expect(r?.state.kind).toBe('pending');
    }
    // The CSV and the expiring list include them without crashing.
    const csv = await w.api.exportCsv(undefined);
    expect(csv.csv).toContain('Odd odd-nocustomer-2');
    await expect(w.api.getExpiring({ days: 30 })).resolves.toBeInstanceOf(Array);
  });
});

// ---------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------

/** A relationship in force, without Global Administrator, auto-extend as asked; from the cache. */
async function activeRelationship(autoExtend: boolean, skip = 0): Promise<FakeRelationship> {
  const candidates = cloud.world.relationships.filter(
    (r) =>
      r.status === 'active' &&
      r.customer?.tenantId &&
      !r.id.startsWith('odd-') &&
      !r.accessDetails.unifiedRoles.some((u) => u.roleDefinitionId === '62e90394-69f5-4237-9190-012177145e10') &&
      !/^(PT0S|P0D)$/.test(r.autoExtendDuration) === autoExtend,
  );
  const rel = candidates[skip];
  if (!rel) throw new Error('no such relationship in the world');
  return rel;
}

const snapshotOf = (r: FakeRelationship) => JSON.stringify(r);

describe('writes that meet a fault', () => {
  const writeFaults: Array<{ name: string; fault: Fault; kind: string }> = [
    { name: '429 longer than the budget', fault: { kind: '429', retryAfter: 0 }, kind: 'throttled' },
    { name: '500', fault: { kind: '500' }, kind: 'server' },
    { name: '503 without Retry-After', fault: { kind: '503' }, kind: 'server' },
    { name: '504', fault: { kind: '504' }, kind: 'server' },
    { name: 'reset', fault: { kind: 'reset' }, kind: 'network' },
    { name: 'hang', fault: { kind: 'hang' }, kind: 'timeout' },
    { name: 'malformed JSON', fault: { kind: 'malformed-json' }, kind: 'malformed' },
  ];

  it.each(writeFaults)('setAutoExtend PATCH: $name → clear error, cache and Graph unchanged, one attempt for non-retryable faults', async (c) => {
    await expectRecovered();
    const rel = await activeRelationship(false);
    const graphBefore = snapshotOf(rel);
    const before = await dumpDb(w.profile.factory);
    const rule = cloud.faults.add({ match: { method: 'PATCH', path: '/v1.0/tenantRelationships/delegatedAdminRelationships/' }, fault: c.fault });
    const r = await w.api.setAutoExtend({ id: rel.id, on: true });
    tried('graph-faults', `write: setAutoExtend PATCH with ${c.fault.kind}`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.kind).toBe(c.kind);
    expectPlainWords(r.error.messageKey);
    expectSameCache(await dumpDb(w.profile.factory), before);
    expect(snapshotOf(cloud.world.relationships.find((x) => x.id === rel.id)!)).toBe(graphBefore);
    // PATCH is not idempotent here: only a 429 (refused before processing) may be sent again.
    if (c.fault.kind === '429') expect(rule.seen).toBeGreaterThan(1);
    else expect(rule.seen).toBe(1);
    cloud.faults.clear();
    const again = await w.api.setAutoExtend({ id: rel.id, on: true });
    expect(again.ok, JSON.stringify(again)).toBe(true);
    expect((await w.api.getRelationship({ id: rel.id }))?.relationship.autoExtendDuration).toBe('P180D');
    // Back as it was, for the next case.
    expect((await w.api.setAutoExtend({ id: rel.id, on: false })).ok).toBe(true);
  });

  it('bulk auto-extend: a fault on some items fails those items only, the rest change; throttling stops the rest', async () => {
    await expectRecovered();
    const a = await activeRelationship(true, 0);
    const b = await activeRelationship(true, 1);
    const c = await activeRelationship(true, 2);
    const d = await activeRelationship(true, 3);
    const e = await activeRelationship(true, 4);
    cloud.faults.add({ match: { method: 'PATCH', path: `/v1.0/tenantRelationships/delegatedAdminRelationships/${b.id}` }, fault: { kind: 'reset' } });
    const r = await w.api.setAutoExtendMany({ ids: [a.id, b.id, c.id], on: false });
    tried('graph-faults', 'write: bulk auto-extend with a reset on one item');
    expect(r.map((x) => x.ok)).toEqual([true, false, true]);
    expect(r[1]?.error?.kind).toBe('network');
    expectPlainWords(r[1]!.error!.messageKey);
    expect((await w.api.getRelationship({ id: b.id }))?.relationship.autoExtendDuration).toBe(b.autoExtendDuration);
    expect((await w.api.getRelationship({ id: a.id }))?.relationship.autoExtendDuration).toBe('PT0S');

    cloud.faults.clear();
    cloud.faults.add({ match: { method: 'PATCH' }, fault: { kind: '429', retryAfter: 600 } });
    const throttled = await w.api.setAutoExtendMany({ ids: [b.id, d.id, e.id], on: false });
    tried('graph-faults', 'write: bulk auto-extend throttled');
    expect(throttled.every((x) => !x.ok && x.error?.kind === 'throttled'), JSON.stringify(throttled)).toBe(true);
    expect(throttled.every((x) => !x.ok && x.error?.kind === 'throttled')).toBe(true);
    expectPlainWords(throttled[0]!.error!.messageKey);
    cloud.faults.clear();
  });

  it.each([
    { name: 'terminate POST reset', fault: { kind: 'reset' } as Fault, kind: 'network' },
    { name: 'terminate POST 500', fault: { kind: '500' } as Fault, kind: 'server' },
    { name: 'terminate POST 504', fault: { kind: '504' } as Fault, kind: 'server' },
    { name: 'terminate POST hang', fault: { kind: 'hang' } as Fault, kind: 'timeout' },
  ])('$name → one attempt, clear error, cache unchanged', async (c) => {
    await expectRecovered();
    const rel = await activeRelationship(false, 1);
    const before = await dumpDb(w.profile.factory);
    const rule = cloud.faults.add({ match: { method: 'POST', path: /\/requests$/ }, fault: c.fault });
    const r = await w.api.terminate({ id: rel.id });
    tried('graph-faults', `write: terminate with ${c.fault.kind}`);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe(c.kind);
      expectPlainWords(r.error.messageKey);
    }
    expect(rule.seen).toBe(1);
    expectSameCache(await dumpDb(w.profile.factory), before);
    expect(cloud.world.relationships.find((x) => x.id === rel.id)?.status).toBe('active');
  });
});

describe('createInvitation: a POST that may have landed is never sent twice', () => {
  const created = (name: string) => cloud.world.relationships.filter((r) => r.displayName === name);
  const input = (displayName: string) => ({
    displayName,
    durationDays: 90,
    roleIds: [GLOBAL_READER],
    customerTenantId: cloud.world.customers[0]!.tenantId,
    autoExtend: false,
  });

  it.each([
    { fault: { kind: 'reset' } as Fault, kind: 'network', sent: 1, made: 0 },
    { fault: { kind: '500' } as Fault, kind: 'server', sent: 1, made: 0 },
    { fault: { kind: '503' } as Fault, kind: 'server', sent: 1, made: 0 },
    { fault: { kind: '504', retryAfter: 0 } as Fault, kind: 'server', sent: 1, made: 0 },
    { fault: { kind: 'hang' } as Fault, kind: 'timeout', sent: 1, made: 0 },
    { fault: { kind: 'malformed-json' } as Fault, kind: 'malformed', sent: 1, made: 0 },
  ])('POST with $fault.kind → sent once, error in plain words', async (c) => {
    await expectRecovered();
    const name = `Reliability ${c.fault.kind} ${Date.now() % 100000}`;
    const rule = cloud.faults.add({ match: { method: 'POST', path: /delegatedAdminRelationships$/ }, fault: c.fault });
    const r = await w.api.createInvitation(input(name));
    tried('graph-faults', `write: createInvitation POST with ${c.fault.kind}`);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe(c.kind);
      expectPlainWords(r.error.messageKey);
    }
    expect(rule.seen).toBe(c.sent);
    expect(created(name)).toHaveLength(c.made);
  });

  it('429 and 503 with Retry-After are refused before processing: sent again, exactly one relationship', async () => {
    for (const fault of [{ kind: '429', retryAfter: 0 }, { kind: '503', retryAfter: 0 }] as Fault[]) {
      const name = `Reliability retry ${fault.kind} ${Date.now() % 100000}`;
      const rule = cloud.faults.add({ match: { method: 'POST', path: /delegatedAdminRelationships$/ }, fault, times: 2 });
      const r = await w.api.createInvitation(input(name));
      tried('graph-faults', `write: createInvitation POST with ${fault.kind} ×2 then success`);
      expect(r.ok, JSON.stringify(r)).toBe(true);
      expect(rule.seen).toBe(3);
      expect(created(name)).toHaveLength(1);
      cloud.faults.clear();
    }
  });

  it('the answer is lost after Graph created it (timeout, then it lands): no retry; asking again is refused as a duplicate', async () => {
    const name = `Reliability lost ${Date.now() % 100000}`;
    const hold = holdGate();
    const rule = cloud.faults.add({ match: { method: 'POST', path: /delegatedAdminRelationships$/ }, fault: { kind: 'hold', gate: hold.gate }, times: 1 });
    const r = await w.api.createInvitation(input(name));
    tried('graph-faults', 'write: createInvitation answer lost after it landed');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe('timeout');
    expect(rule.seen).toBe(1);
    hold.release();
    await vi.waitFor(() => expect(created(name)).toHaveLength(1), { timeout: 5_000 });
    await sleep(ATTEMPT_TIMEOUT_MS);
    // The user tries again: Graph refuses the name, so there is still exactly one.
    const again = await w.api.createInvitation(input(name));
    expect(again.ok).toBe(false);
    if (!again.ok) {
      expect(again.error.kind).toBe('conflict');
      expectPlainWords(again.error.messageKey);
    }
    expect(created(name)).toHaveLength(1);
  });
});
