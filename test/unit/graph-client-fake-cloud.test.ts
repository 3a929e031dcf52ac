/**
 * The Graph client against the fake Microsoft Graph (test/fake-cloud), over real https:
 * paging of a large partner, R1's empty list, ETags, 409/400 answers, the 202 operation
 * path of PATCH, and injected faults (429 with Retry-After, 503, malformed JSON, reset).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGraphClient, GraphError, type GraphClientOptions } from '@/utils/graph/client';
import { CLOUDS } from '@/utils/graph/clouds';
import { GLOBAL_ADMINISTRATOR, GLOBAL_READER } from '@/utils/gdap/roles';
import { fakeCloudFetch as fakeFetch } from '../fake-cloud/client';
import { startFakeCloud, type FakeCloud } from '../fake-cloud/server';

let cloud: FakeCloud;
let token: string;
let sleeps: number[];
let graphRequests: Array<{ method: string; url: string }>;

const fakeCloudFetch: typeof fetch = (input, init) =>
  fakeFetch(cloud, (r) => graphRequests.push(r))(input, init);

function client(overrides: Partial<GraphClientOptions> = {}) {
  return createGraphClient({
    graphOrigin: CLOUDS.global.graph,
    getAccessToken: async () => token,
    fetch: fakeCloudFetch,
    // Records the wait and sleeps a token amount, so 202 operations (50 ms here) can finish.
    sleep: (ms) => {
      sleeps.push(ms);
      return new Promise((r) => setTimeout(r, Math.min(ms, 60)));
    },
    random: () => 0,
    ...overrides,
  });
}

beforeAll(async () => {
  cloud = await startFakeCloud({ customers: 700, seed: 11 });
  token = cloud.login.mintAccessToken({ user: cloud.world.users.find((u) => u.isAdminAgent)!.userPrincipalName });
});
afterAll(async () => {
  await cloud?.stop();
});
beforeEach(() => {
  sleeps = [];
  graphRequests = [];
  cloud.faults.clear();
  cloud.graph.setPatchMode('200');
  cloud.graph.setOperationDelay(1000);
  cloud.graph.setRetryAfter(1);
});

async function failure(p: Promise<unknown>): Promise<GraphError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(GraphError);
    return e as GraphError;
  }
  throw new Error('expected the call to fail');
}

function activeWithoutAutoExtend() {
  const rel = cloud.world.relationships.find(
    (r) =>
      r.status === 'active' &&
      (r.autoExtendDuration === 'PT0S' || r.autoExtendDuration === 'P0D') &&
      !r.accessDetails.unifiedRoles.some((x) => x.roleDefinitionId.toLowerCase() === GLOBAL_ADMINISTRATOR),
  );
  if (!rel) throw new Error('the generated world has no active relationship without auto-extend');
  return rel;
}

describe('Graph client against the fake Graph', () => {
  it('pages through every relationship of a large partner with $top=300', async () => {
    const result = await client().listRelationships();
    const expected = cloud.world.relationships.length;
    expect(expected).toBeGreaterThan(600);
    expect(result.items.length + result.skipped).toBe(expected);
    expect(new Set(result.items.map((r) => r.id)).size).toBe(result.items.length);
    expect(result.pages).toBe(Math.ceil(expected / 300));
    expect(graphRequests[0]?.url).toContain('$top=300');
    expect(result.emptyHint).toBeNull();
  });

  it('R1: a user outside the Admin agents group gets an empty list with the admin-agent-role hint', async () => {
    const outsider = cloud.world.users.find((u) => !u.isAdminAgent)!;
    const outsiderToken = cloud.login.mintAccessToken({ user: outsider.userPrincipalName });
    const result = await client({ getAccessToken: async () => outsiderToken }).listRelationships();
    expect(result.items).toEqual([]);
    expect(result.emptyHint).toBe('admin-agent-role');
  });

  it('a filter reaches Graph: only active relationships come back', async () => {
    const result = await client().listRelationships({ filter: "status eq 'active'" });
    expect(result.items.length).toBe(cloud.world.relationships.filter((r) => r.status === 'active').length);
    expect(result.items.every((r) => r.status === 'active')).toBe(true);
  });

  it('429 with Retry-After: 1 on page 2 waits exactly 1 s, then the listing completes', async () => {
    cloud.faults.add({ match: { host: 'graph.microsoft.com', path: /skiptoken/, nth: 1 }, fault: { kind: '429', retryAfter: 1 } });
    const result = await client().listRelationships();
    expect(sleeps).toEqual([1000]);
    expect(result.items.length + result.skipped).toBe(cloud.world.relationships.length);
  });

  it('503 without Retry-After and a TCP reset are retried for GET; malformed JSON is not', async () => {
    const rel = activeWithoutAutoExtend();
    cloud.faults.add({ match: { path: '/v1.0/tenantRelationships/delegatedAdminRelationships/' }, fault: { kind: '503' }, times: 1 });
    cloud.faults.add({ match: { path: '/v1.0/tenantRelationships/delegatedAdminRelationships/' }, fault: { kind: 'reset' }, times: 1 });
    expect((await client().getRelationship(rel.id)).id).toBe(rel.id);
    expect(sleeps).toEqual([500, 1000]);

    cloud.faults.clear();
    cloud.faults.add({ match: { path: '/v1.0/tenantRelationships/delegatedAdminRelationships/' }, fault: { kind: 'malformed-json' }, times: 1 });
    expect((await failure(client().getRelationship(rel.id))).kind).toBe('malformed');
  });

  it("a stale ETag → 'precondition-failed'; the current one switches auto-extend on (R5, 200 answer)", async () => {
    const rel = activeWithoutAutoExtend();
    const c = client();
    expect((await failure(c.setAutoExtend(rel.id, 'W/"stale"', true))).kind).toBe('precondition-failed');
    const current = await c.getRelationship(rel.id);
    const result = await c.setAutoExtend(rel.id, current.etag!, true);
    expect(result.state).toBe('applied');
    expect(result.relationship.autoExtendDuration).toBe('P180D');
    expect(cloud.world.relationships.find((r) => r.id === rel.id)?.autoExtendDuration).toBe('P180D');
  });

  it('R5: a 202 answer is followed to its operation and the relationship read back', async () => {
    cloud.graph.setPatchMode('202');
    cloud.graph.setOperationDelay(50);
    cloud.graph.setRetryAfter(2);
    const rel = activeWithoutAutoExtend();
    const c = client();
    const current = await c.getRelationship(rel.id);
    const result = await c.setAutoExtend(rel.id, current.etag!, true);
    expect(sleeps[0]).toBe(2000);
    expect(result.state).toBe('applied');
    expect(result.operation?.status).toBe('succeeded');
    expect(result.relationship.autoExtendDuration).toBe('P180D');
    expect(graphRequests.some((r) => r.url.includes('/operations/'))).toBe(true);
  });

  it("create → 409 on a duplicate name, 400 on a bad duration with Graph's message, lockForApproval", async () => {
    const c = client();
    const tenantId = cloud.world.customers[0]!.tenantId;
    const name = `GDAP Lens test ${Date.now()}`;
    const created = await c.createRelationship({
      displayName: name,
      duration: 'P730D',
      roleIds: [GLOBAL_READER],
      customerTenantId: tenantId,
      autoExtendDuration: 'P180D',
    });
    expect(created.status).toBe('created');
    expect(created.roleIds).toEqual([GLOBAL_READER]);

    const duplicate = await failure(
      c.createRelationship({ displayName: name, duration: 'P730D', roleIds: [GLOBAL_READER], autoExtendDuration: 'PT0S' }),
    );
    expect(duplicate.kind).toBe('conflict');
    expect(duplicate.attempts).toBe(1);

    const tooLong = await failure(
      c.createRelationship({ displayName: `${name} 2`, duration: 'P3Y', roleIds: [GLOBAL_READER], autoExtendDuration: 'PT0S' }),
    );
    expect(tooLong.kind).toBe('bad-request');
    expect(tooLong.message.length).toBeGreaterThan(0);
    expect(tooLong.message).not.toMatch(/^Graph answered HTTP/);

    const request = await c.lockForApproval(created.id);
    expect(request.action).toBe('lockForApproval');
    expect((await c.getRelationship(created.id)).status).toBe('approvalPending');
  });

  it('access assignments of the active relationships, a few at a time', async () => {
    const active = (await client().listRelationships({ filter: "status eq 'active'" })).items.slice(0, 12);
    const out = await client({ maxConcurrent: 3 }).listAccessAssignmentsForEach(active.map((r) => r.id));
    expect(out).toHaveLength(active.length);
    expect(out.every((o) => o.ok)).toBe(true);
    const total = out.reduce((n, o) => n + (o.ok ? o.value.items.length : 0), 0);
    const expected = active.reduce(
      (n, r) => n + (cloud.world.accessAssignments.get(r.id) ?? []).filter((a) => a.status !== 'deleted').length,
      0,
    );
    expect(total).toBe(expected);
  });
});
