/**
 * runSync against the fake Microsoft cloud over real https: the real Graph client (sleep
 * injected, so Retry-After is recorded, not waited), the real RelationshipCache on
 * fake-indexeddb. Faults are injected in the fake server.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthError } from '@/utils/auth/types';
import { CacheError, type RelationshipCache } from '@/utils/store/cache';
import { PARTIAL_ASSIGNMENTS_REASON, runSync, type RunSyncOptions, type SyncOutcome } from '@/utils/sync/sync';
import { GRAPH_HOST, startFakeCloud, type FakeCloud } from '../fake-cloud/server';
import {
  ASSIGNMENT_LIST,
  CUSTOMER_LIST,
  RELATIONSHIP_LIST,
  adminToken,
  expectedFrom,
  graphFor,
  newCache,
  outsiderToken,
  readAll,
  type Expected,
} from './sync-fixtures';

let small: FakeCloud; // 40 customers: the demo's size
let big: FakeCloud; // 400 customers: > 300 relationships, so lists take 2 pages

beforeAll(async () => {
  [small, big] = await Promise.all([startFakeCloud({ customers: 40, seed: 3 }), startFakeCloud({ customers: 400, seed: 5 })]);
});
afterAll(async () => {
  await Promise.all([small?.stop(), big?.stop()]);
});
beforeEach(() => {
  small.faults.clear();
  big.faults.clear();
});

function sync(cloud: FakeCloud, cache: RelationshipCache, wiring = graphFor(cloud), extra: Partial<RunSyncOptions> = {}): Promise<SyncOutcome> {
  return runSync({ graph: wiring.graph, cache, partnerTenantId: cloud.world.partner.tenantId, now: () => new Date(), ...extra });
}

function pathAndQuery(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

function ok(outcome: SyncOutcome): Extract<SyncOutcome, { ok: true }> {
  if (!outcome.ok) throw new Error(`sync failed: ${outcome.error.kind} ${outcome.error.message}`);
  return outcome;
}

function failed(outcome: SyncOutcome): Extract<SyncOutcome, { ok: false }> {
  if (outcome.ok) throw new Error('expected the sync to fail');
  return outcome;
}

/** Checks that the cache holds exactly the world: relationships, tenants, assignments of the live ones. */
async function expectCacheMatches(cache: RelationshipCache, expected: Expected): Promise<void> {
  const all = await readAll(cache, expected.relationshipIds);
  expect(all.relationships.map((r) => r.id)).toEqual(expected.relationshipIds);
  expect(all.counts.relationships).toBe(expected.relationshipIds.length);
  expect(all.counts.customers).toBe(expected.tenants.length);
  expect(all.counts.assignmentLists).toBe(expected.assignments.size);
  for (const r of all.relationships) {
    expect(r.assignments, r.id).toEqual(expected.assignments.get(r.id) ?? null);
  }
}

describe('runSync against the fake cloud', () => {
  it('40 customers: every relationship, customer and live assignment list is cached and readable, in one write', async () => {
    const cache = newCache();
    const expected = expectedFrom(small.world, new Date());
    expect(expected.assignments.size).toBeGreaterThan(10);
    const wiring = graphFor(small);
    const outcome = ok(await sync(small, cache, wiring));

    await expectCacheMatches(cache, expected);
    // Customers with a relationship are searchable by name.
    const someone = small.world.customers.find((c) => small.world.relationships.some((r) => r.customer?.tenantId === c.tenantId));
    const found = await cache.searchCustomers(someone!.displayName);
    expect(found.value.some((m) => m.tenantId.toLowerCase() === someone!.tenantId.toLowerCase())).toBe(true);

    expect(outcome.emptyHint).toBeNull();
    expect(outcome.stats).toMatchObject({
      relationships: expected.relationshipIds.length,
      assignmentRequests: expected.assignments.size,
      assignmentFailures: 0,
      assignments: expected.assignmentTotal,
      skipped: 0,
    });
    expect(outcome.meta).toMatchObject({
      generation: 1, // exactly one write
      lastError: null,
      partial: null,
      partnerTenantId: small.world.partner.tenantId,
      counts: { relationships: expected.relationshipIds.length, customers: expected.tenants.length, assignments: expected.assignmentTotal, skipped: 0 },
    });
    expect(outcome.meta.lastSuccess).not.toBeNull();
    // Assignments were asked for the live relationships only, each once.
    const asked = wiring.requests.filter((r) => ASSIGNMENT_LIST.test(pathAndQuery(r.url)));
    expect(asked).toHaveLength(expected.assignments.size);
  });

  it('a second sync replaces, never duplicates', async () => {
    const cache = newCache();
    const expected = expectedFrom(small.world, new Date());
    ok(await sync(small, cache));
    const second = ok(await sync(small, cache));
    expect(second.meta.generation).toBe(2);
    await expectCacheMatches(cache, expected);
    expect(second.meta.counts?.relationships).toBe(expected.relationshipIds.length);
  });

  it('400 customers: lists take 2 pages each, everything arrives', async () => {
    const cache = newCache();
    const expected = expectedFrom(big.world, new Date());
    expect(expected.relationshipIds.length).toBeGreaterThan(300);
    const wiring = graphFor(big);
    const outcome = ok(await sync(big, cache, wiring));
    const relationshipPages = wiring.requests.filter((r) => RELATIONSHIP_LIST.test(pathAndQuery(r.url)));
    expect(relationshipPages).toHaveLength(2);
    expect(relationshipPages[1]?.url).toContain('skiptoken');
    expect(outcome.stats.pages).toBeGreaterThanOrEqual(3 + expected.assignments.size);
    await expectCacheMatches(cache, expected);
  });

  it('429 with Retry-After in the middle of paging (page 2 of relationships) → waits 1 s and completes', async () => {
    const rule = big.faults.add({ match: { host: GRAPH_HOST, path: RELATIONSHIP_LIST, nth: 2 }, fault: { kind: '429', retryAfter: 1 } });
    const cache = newCache();
    const wiring = graphFor(big);
    const outcome = ok(await sync(big, cache, wiring));
    expect(rule.fired).toBe(1);
    expect(wiring.sleeps).toEqual([1000]);
    expect(outcome.meta.counts?.relationships).toBe(big.world.relationships.length);
    await expectCacheMatches(cache, expectedFrom(big.world, new Date()));
  });

  it('a 500 then success on the relationship list → retried, completes', async () => {
    const rule = big.faults.add({ match: { host: GRAPH_HOST, path: RELATIONSHIP_LIST, nth: 2 }, fault: { kind: '500' } });
    const cache = newCache();
    ok(await sync(big, cache));
    expect(rule.fired).toBe(1);
    await expectCacheMatches(cache, expectedFrom(big.world, new Date()));
  });

  it('a malformed page → malformed error, nothing written: the previous sync stays whole, lastError recorded', async () => {
    const cache = newCache();
    const expected = expectedFrom(big.world, new Date());
    const first = ok(await sync(big, cache));
    const before = await readAll(cache, expected.relationshipIds);

    const rule = big.faults.add({ match: { host: GRAPH_HOST, path: RELATIONSHIP_LIST, nth: 2 }, fault: { kind: 'malformed-json' } });
    const outcome = failed(await sync(big, cache));
    expect(rule.fired).toBe(1);
    expect(outcome.error).toMatchObject({ kind: 'malformed', messageKey: 'graphError.malformed' });

    expect(await readAll(cache, expected.relationshipIds)).toEqual(before);
    await expectCacheMatches(cache, expected);
    const meta = (await cache.getSyncMeta()).value;
    expect(meta.lastError?.kind).toBe('malformed');
    expect(meta.lastSuccess).toBe(first.meta.lastSuccess);
    expect(meta.generation).toBe(first.meta.generation);
    expect(meta.counts).toEqual(first.meta.counts);
    expect(outcome.meta?.lastError?.kind).toBe('malformed');
  });

  it('a malformed customer page fails the sync as well, and stops the relationship paging', async () => {
    const cache = newCache();
    big.faults.add({ match: { host: GRAPH_HOST, path: CUSTOMER_LIST, nth: 1 }, fault: { kind: 'malformed-json' } });
    const wiring = graphFor(big);
    const outcome = failed(await sync(big, cache, wiring));
    expect(outcome.error.kind).toBe('malformed');
    expect(wiring.requests.some((r) => ASSIGNMENT_LIST.test(pathAndQuery(r.url)))).toBe(false);
    expect((await cache.counts()).value.relationships).toBe(0);
  });

  it('the token expires mid-sync → the client forces one refresh, and the sync completes', async () => {
    const cache = newCache();
    let token = adminToken(big);
    let calls = 0;
    let refreshes = 0;
    const wiring = graphFor(big, {
      getAccessToken: async ({ forceRefresh }) => {
        calls++;
        if (forceRefresh === true) {
          refreshes++;
          token = adminToken(big);
        }
        const handedOut = token;
        // After the first pages: the token handed out now is dead before it reaches Graph.
        if (calls === 3) big.login.expireAllAccessTokens();
        return handedOut;
      },
    });
    big.clearRequests();
    const outcome = ok(await sync(big, cache, wiring));
    expect(refreshes).toBeGreaterThanOrEqual(1);
    expect(big.requests.filter((r) => r.host === GRAPH_HOST && r.status === 401).length).toBeGreaterThanOrEqual(1);
    expect(outcome.meta.counts?.relationships).toBe(big.world.relationships.length);
    await expectCacheMatches(cache, expectedFrom(big.world, new Date()));
  });

  it('the token expires and the refresh needs an interactive sign-in → sign-in-required, previous cache intact', async () => {
    const cache = newCache();
    const expected = expectedFrom(small.world, new Date());
    ok(await sync(small, cache));
    const before = await readAll(cache, expected.relationshipIds);

    const stale = adminToken(small);
    small.login.expireAllAccessTokens();
    const wiring = graphFor(small, {
      getAccessToken: async ({ forceRefresh }) => {
        if (forceRefresh === true) throw new AuthError('sign-in-required', 'The refresh token has lived its 24 hours');
        return stale;
      },
    });
    const outcome = failed(await sync(small, cache, wiring));
    expect(outcome.error).toMatchObject({ kind: 'sign-in-required', messageKey: 'syncError.signInRequired' });
    expect(await readAll(cache, expected.relationshipIds)).toEqual(before);
    expect((await cache.getSyncMeta()).value.lastError?.kind).toBe('sign-in-required');
  });

  it('abort mid-sync (during the assignments) → aborted, previous cache intact, no more requests', async () => {
    const cache = newCache();
    const expected = expectedFrom(big.world, new Date());
    const first = ok(await sync(big, cache));
    const before = await readAll(cache, expected.relationshipIds);

    const controller = new AbortController();
    let assignmentRequests = 0;
    const wiring = graphFor(big, {
      onRequest: (r) => {
        if (ASSIGNMENT_LIST.test(pathAndQuery(r.url)) && ++assignmentRequests === 20) controller.abort();
      },
    });
    const outcome = failed(await sync(big, cache, wiring, { signal: controller.signal }));
    expect(outcome.error).toMatchObject({ kind: 'aborted', messageKey: 'graphError.aborted' });
    const sent = wiring.requests.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(wiring.requests.length).toBe(sent);
    expect(assignmentRequests).toBeLessThan(expected.assignments.size);

    expect(await readAll(cache, expected.relationshipIds)).toEqual(before);
    const meta = (await cache.getSyncMeta()).value;
    expect(meta.lastError?.kind).toBe('aborted');
    expect(meta.generation).toBe(first.meta.generation);
  });

  it('an already aborted signal sends nothing and writes nothing but the failure', async () => {
    const cache = newCache();
    const controller = new AbortController();
    controller.abort();
    const wiring = graphFor(small);
    const outcome = failed(await sync(small, cache, wiring, { signal: controller.signal }));
    expect(outcome.error.kind).toBe('aborted');
    expect(wiring.requests).toEqual([]);
    expect((await cache.counts()).value.relationships).toBe(0);
  });

  it('R1: a user outside the Admin agents group → an empty list with emptyHint admin-agent-role', async () => {
    const cache = newCache();
    const token = outsiderToken(small);
    const outcome = ok(await sync(small, cache, graphFor(small, { token: () => token })));
    expect(outcome.emptyHint).toBe('admin-agent-role');
    expect(outcome.stats.relationships).toBe(0);
    expect((await cache.counts()).value).toEqual({ relationships: 0, customers: 0, assignmentLists: 0 });
  });

  it("one relationship's assignments failing → not fatal: that list stays null, counted, meta.partial set", async () => {
    const cache = newCache();
    const expected = expectedFrom(small.world, new Date());
    const victim = [...expected.assignments.keys()][3]!;
    // 500 is retried once for GET: two 500s make this relationship's request fail for good.
    const rule = small.faults.add({
      match: { host: GRAPH_HOST, path: `/v1.0/tenantRelationships/delegatedAdminRelationships/${victim}/accessAssignments` },
      fault: { kind: '500' },
      times: 2,
    });
    const outcome = ok(await sync(small, cache));
    expect(rule.fired).toBe(2);
    expect(outcome.stats.assignmentFailures).toBe(1);
    expect(outcome.meta.partial?.reason).toBe(`${PARTIAL_ASSIGNMENTS_REASON}:1`);
    const read = await cache.getRelationship(victim);
    expect(read.value?.relationship.id).toBe(victim);
    expect(read.value?.assignments).toBeNull();
    expect((await cache.counts()).value.assignmentLists).toBe(expected.assignments.size - 1);
  });

  it('malformed items are skipped and counted into meta', async () => {
    const cache = newCache();
    const wiring = graphFor(small, {
      wrapFetch: (inner) => async (input, init) => {
        const response = await inner(input, init);
        const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
        if (!RELATIONSHIP_LIST.test(url.pathname + url.search) || response.status !== 200) return response;
        const page = (await response.json()) as { value: unknown[] };
        page.value.push({ id: 42 }, 'not an object');
        return new Response(JSON.stringify(page), { status: 200, headers: response.headers });
      },
    });
    const outcome = ok(await sync(small, cache, wiring));
    expect(outcome.stats.skipped).toBe(2);
    expect(outcome.meta.counts?.skipped).toBe(2);
    expect(outcome.meta.counts?.relationships).toBe(small.world.relationships.length);
  });

  it('assignments are fetched at most assignmentConcurrency at a time', async () => {
    const cache = newCache();
    let inFlight = 0;
    let peak = 0;
    const wiring = graphFor(small, {
      maxConcurrent: 8,
      wrapFetch: (inner) => async (input, init) => {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        if (!ASSIGNMENT_LIST.test(new URL(url).pathname)) return inner(input, init);
        inFlight++;
        peak = Math.max(peak, inFlight);
        try {
          await new Promise((r) => setTimeout(r, 5));
          return await inner(input, init);
        } finally {
          inFlight--;
        }
      },
    });
    ok(await sync(small, cache, wiring, { assignmentConcurrency: 2 }));
    expect(peak).toBe(2);
  });

  it('a failed write (quota) → storage error; the failure is still recorded and the old data stays', async () => {
    const cache = newCache();
    const expected = expectedFrom(small.world, new Date());
    ok(await sync(small, cache));
    const before = await readAll(cache, expected.relationshipIds);
    const failingCache: RunSyncOptions['cache'] = {
      replaceAll: () => Promise.reject(new CacheError('quota', 'QuotaExceededError')),
      recordSyncFailure: (error, at) => cache.recordSyncFailure(error, at),
    };
    const outcome = failed(await runSync({ graph: graphFor(small).graph, cache: failingCache, partnerTenantId: null }));
    expect(outcome.error).toMatchObject({ kind: 'storage', messageKey: 'syncError.storage' });
    expect(outcome.meta?.lastError?.kind).toBe('storage');
    expect(await readAll(cache, expected.relationshipIds)).toEqual(before);
  });

  it('never throws: a cache that cannot even record the failure still gives an outcome', async () => {
    const broken: RunSyncOptions['cache'] = {
      replaceAll: () => Promise.reject(new CacheError('unavailable', 'gone')),
      recordSyncFailure: () => Promise.reject(new CacheError('unavailable', 'gone')),
    };
    const wiring = graphFor(small, { getAccessToken: () => Promise.reject(new AuthError('sign-in-required', 'sign in')) });
    const outcome = failed(await runSync({ graph: wiring.graph, cache: broken, partnerTenantId: null }));
    expect(outcome.error.kind).toBe('sign-in-required');
    expect(outcome.meta).toBeNull();
    expect(wiring.requests).toEqual([]);
  });

  it('measures the duration and records it in the metadata', async () => {
    const cache = newCache();
    let t = 0;
    const outcome = ok(await sync(small, cache, graphFor(small), { elapsed: () => (t += 250) }));
    expect(outcome.meta.durationMs).toBeGreaterThan(0);
    expect(outcome.durationMs).toBeGreaterThan(outcome.meta.durationMs ?? Infinity);
    expect((await cache.getSyncMeta()).value.durationMs).toBe(outcome.meta.durationMs);
  });

  it('measures the cache write on its own (writeMs): the time replaceAll took, part of durationMs', async () => {
    const cache = newCache();
    let t = 0;
    const timed: RunSyncOptions['cache'] = {
      recordSyncFailure: (e, at) => cache.recordSyncFailure(e, at),
      replaceAll: async (snapshot, options) => {
        const meta = await cache.replaceAll(snapshot, options);
        t += 700; // the write "takes" 700 ms on the test clock
        return meta;
      },
    };
    const outcome = ok(await sync(small, cache, graphFor(small), { cache: timed, elapsed: () => t }));
    expect(outcome.writeMs).toBe(700);
    expect(outcome.durationMs).toBe(700);
  });
});
