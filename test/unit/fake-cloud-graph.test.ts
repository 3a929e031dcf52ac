import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeRequest, type FakeResponse } from '../fake-cloud/client';
import { ROLE, addIsoDuration, isoDate } from '../fake-cloud/data';
import { approve } from '../fake-cloud/graph';
import type { FakeRelationship } from '../fake-cloud/model';
import { startFakeCloud, type FakeCloud } from '../fake-cloud/server';

const G = 'https://graph.microsoft.com/v1.0/tenantRelationships';
const RELS = `${G}/delegatedAdminRelationships`;
const DAY = 86_400_000;

interface Rel {
  '@odata.etag': string;
  '@odata.type'?: string;
  id: string;
  displayName: string;
  status: string;
  duration: string;
  autoExtendDuration: string;
  activatedDateTime?: string | null;
  endDateTime?: string | null;
  customer?: { tenantId?: string; displayName?: string };
  accessDetails: { unifiedRoles: Array<{ roleDefinitionId: string }> };
}
interface Page<T> {
  '@odata.context': string;
  '@odata.nextLink'?: string;
  '@odata.count'?: number;
  value: T[];
}
interface GraphErrorBody {
  error: { code: string; message: string; innerError: { date: string; 'request-id': string; 'client-request-id': string } };
}

let cloud: FakeCloud;
let token: string;

beforeAll(async () => {
  cloud = await startFakeCloud({ customers: 1000, seed: 4 });
  token = cloud.login.mintAccessToken();
});
afterAll(async () => {
  await cloud?.stop();
});
beforeEach(() => {
  cloud.graph.setPatchMode('200');
  cloud.graph.setAssignmentPatchMode('202');
  cloud.graph.setMissingIfMatchStatus(400);
  cloud.graph.setWrongStateStatus(400);
  cloud.graph.setTerminateDelay(0);
  cloud.graph.setOperationDelay(1000);
  cloud.graph.setDefaultPageSize(100);
});

/** GET with the admin agent's token, another token, or none (null). */
function get(url: string, t: string | null = token): Promise<FakeResponse> {
  return fakeRequest(cloud, url, t ? { token: t } : {});
}
function send(method: string, url: string, body?: unknown, headers: Record<string, string> = {}, t = token): Promise<FakeResponse> {
  return fakeRequest(cloud, url, { method, token: t, body, headers });
}
function expectGraphError(res: FakeResponse, status: number, code: string): GraphErrorBody {
  expect(res.status, res.text.slice(0, 300)).toBe(status);
  const body = res.json<GraphErrorBody>();
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.innerError['request-id']).toMatch(/^[0-9a-f-]{36}$/);
  expect(Date.parse(body.error.innerError.date)).not.toBeNaN();
  return body;
}
async function listAll<T>(first: string, t = token): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let pages = 0;
  let url: string | undefined = first;
  while (url) {
    const res = await get(url, t);
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    const page = res.json<Page<T>>();
    items.push(...page.value);
    pages++;
    url = page['@odata.nextLink'];
  }
  return { items, pages };
}

let nameCounter = 0;
function uniqueName(prefix = 'Test'): string {
  nameCounter += 1;
  return `${prefix}_${Date.now().toString(36)}_${nameCounter}`;
}
function customerTenant(): string {
  return cloud.world.customers[5]!.tenantId;
}
async function create(over: Record<string, unknown> = {}): Promise<Rel> {
  const res = await send('POST', RELS, {
    displayName: uniqueName(),
    duration: 'P730D',
    customer: { tenantId: customerTenant() },
    accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE.globalReader }, { roleDefinitionId: ROLE.serviceSupportAdministrator }] },
    ...over,
  });
  expect(res.status, res.text).toBe(201);
  return res.json<Rel>();
}
async function lock(id: string): Promise<FakeResponse> {
  return send('POST', `${RELS}/${id}/requests`, { action: 'lockForApproval' });
}
async function activeRelationship(over: Record<string, unknown> = {}): Promise<Rel> {
  const rel = await create(over);
  expect((await lock(rel.id)).status).toBe(201);
  cloud.graph.approve(rel.id);
  return (await get(`${RELS}/${rel.id}`)).json<Rel>();
}

describe('list delegatedAdminRelationships', () => {
  it('pages with $top=300 and @odata.nextLink until every relationship is read once', async () => {
    const total = cloud.world.relationships.length;
    const { items, pages } = await listAll<Rel>(`${RELS}?$top=300`);
    expect(pages).toBe(Math.ceil(total / 300));
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(items).toHaveLength(total);
    expect(new Set(items.map((r) => r.id)).size).toBe(total);
    const first = await get(`${RELS}?$top=300`);
    const body = first.json<Page<Rel>>();
    expect(body['@odata.context']).toBe('https://graph.microsoft.com/v1.0/$metadata#tenantRelationships/delegatedAdminRelationships');
    expect(body['@odata.nextLink']).toMatch(/^https:\/\/graph\.microsoft\.com\/v1\.0\/tenantRelationships\/delegatedAdminRelationships\?\$top=300&\$skiptoken=[\w-]+$/);
    expect(first.headers['access-control-allow-origin']).toBe('*');
    expect(first.headers['content-type']).toContain('application/json');
  });

  it('uses 100 items per page without $top (configurable)', async () => {
    expect((await get(RELS)).json<Page<Rel>>().value).toHaveLength(100);
    cloud.graph.setDefaultPageSize(7);
    expect((await get(RELS)).json<Page<Rel>>().value).toHaveLength(7);
  });

  it('can page server-side below $top, as Graph may, and every item still arrives once', async () => {
    cloud.graph.setServerPageLimit(17);
    try {
      const first = (await get(`${RELS}?$top=300`)).json<Page<Rel>>();
      expect(first.value).toHaveLength(17);
      expect(first['@odata.nextLink']).toContain('$top=300');
      const { items } = await listAll<Rel>(`${RELS}?$top=300`);
      expect(new Set(items.map((r) => r.id)).size).toBe(cloud.world.relationships.length);
    } finally {
      cloud.graph.setServerPageLimit(null);
    }
    expect((await get(`${RELS}?$top=300`)).json<Page<Rel>>().value.length).toBe(Math.min(300, cloud.world.relationships.length));
  });

  it('refuses $top=301, $top=0 and a tampered $skiptoken with 400', async () => {
    expectGraphError(await get(`${RELS}?$top=301`), 400, 'BadRequest');
    expectGraphError(await get(`${RELS}?$top=0`), 400, 'BadRequest');
    expectGraphError(await get(`${RELS}?$top=abc`), 400, 'BadRequest');
    expectGraphError(await get(`${RELS}?$skiptoken=garbage`), 400, 'BadRequest');
    const next = (await get(`${RELS}?$top=10`)).json<Page<Rel>>()['@odata.nextLink']!;
    expectGraphError(await get(next.replace('$top=10', '$top=20')), 400, 'BadRequest');
    expectGraphError(await get(`${RELS}?$expand=accessAssignments`), 400, 'BadRequest');
  });

  it('every item carries a weak @odata.etag; reseller relationships carry @odata.type', async () => {
    const { items } = await listAll<Rel>(`${RELS}?$top=300`);
    for (const r of items) expect(r['@odata.etag']).toMatch(/^W\/".+"$/);
    const resellers = items.filter((r) => r['@odata.type'] === '#microsoft.graph.resellerDelegatedAdminRelationship');
    expect(resellers.length).toBeGreaterThan(0);
    expect(resellers[0]).toHaveProperty('indirectProviderTenantId');
    expect(resellers[0]).toHaveProperty('isPartnerConsentPending');
  });

  it('keeps missing dates missing, and null and "" as they are', async () => {
    const { items } = await listAll<Rel>(`${RELS}?$top=300&$filter=status eq 'approvalPending'`);
    expect(items.some((r) => !('endDateTime' in r))).toBe(true);
    expect(items.some((r) => r.endDateTime === null)).toBe(true);
    expect(items.some((r) => r.endDateTime === '')).toBe(true);
  });

  it('filters on status and customer/tenantId, with and/or/in/not and parentheses', async () => {
    const world = cloud.world.relationships;
    const count = async (filter: string): Promise<number> => (await listAll<Rel>(`${RELS}?$top=300&$filter=${encodeURIComponent(filter)}`)).items.length;
    const active = world.filter((r) => r.status === 'active').length;
    const pending = world.filter((r) => r.status === 'approvalPending').length;
    expect(await count("status eq 'active'")).toBe(active);
    expect(await count("status eq 'active' or status eq 'approvalPending'")).toBe(active + pending);
    expect(await count("status in ('active','approvalPending')")).toBe(active + pending);
    expect(await count("status ne 'active'")).toBe(world.length - active);
    expect(await count("not (status eq 'active')")).toBe(world.length - active);
    const several = cloud.world.customers.find((c) => c.scenario === 'several-relationships')!;
    const ofSeveral = world.filter((r) => r.customer?.tenantId === several.tenantId);
    expect(await count(`customer/tenantId eq '${several.tenantId}'`)).toBe(ofSeveral.length);
    expect(await count(`customer/tenantId eq '${several.tenantId.toUpperCase()}' and status eq 'active'`)).toBe(ofSeveral.filter((r) => r.status === 'active').length);
    expect(await count(`(status eq 'expired' or status eq 'terminated') and customer/tenantId eq '${several.tenantId}'`)).toBe(0);
  });

  it.each([
    "displayName eq 'x'",
    "status eq active",
    "status gt 'active'",
    "status eq 'active' and",
    "startswith(displayName,'x')",
    "(status eq 'active'",
    "status eq 'it''s' xor status eq 'b'",
  ])('refuses the filter %j with 400', async (filter) => {
    expectGraphError(await get(`${RELS}?$filter=${encodeURIComponent(filter)}`), 400, 'BadRequest');
  });

  it('orders by endDateTime, displayName and createdDateTime, asc and desc', async () => {
    const read = async (orderby: string): Promise<Rel[]> => (await listAll<Rel>(`${RELS}?$top=300&$filter=${encodeURIComponent("status eq 'active'")}&$orderby=${encodeURIComponent(orderby)}`)).items;
    const ends = (await read('endDateTime asc')).map((r) => r.endDateTime ?? '');
    expect(ends).toEqual([...ends].sort());
    const endsDesc = (await read('endDateTime desc')).map((r) => r.endDateTime ?? '');
    expect(endsDesc).toEqual([...endsDesc].sort().reverse());
    const names = (await read('displayName')).map((r) => r.displayName);
    expect(names).toEqual([...names].sort());
    const created = (await read('createdDateTime desc')).map((r) => (r as unknown as { createdDateTime: string }).createdDateTime);
    expect(created).toEqual([...created].sort().reverse());
    expectGraphError(await get(`${RELS}?$orderby=duration`), 400, 'BadRequest');
  });

  it('selects properties with $select and refuses unknown ones', async () => {
    const res = await get(`${RELS}?$top=3&$select=id,displayName,endDateTime`);
    const body = res.json<Page<Record<string, unknown>>>();
    expect(body['@odata.context']).toContain('delegatedAdminRelationships(id,displayName,endDateTime)');
    for (const r of body.value) {
      expect(Object.keys(r).filter((k) => !k.startsWith('@odata.')).every((k) => ['id', 'displayName', 'endDateTime'].includes(k))).toBe(true);
      expect(r).toHaveProperty('id');
    }
    expectGraphError(await get(`${RELS}?$select=id,secret`), 400, 'BadRequest');
  });

  it('counts with $count=true', async () => {
    const body = (await get(`${RELS}?$top=1&$count=true`)).json<Page<Rel>>();
    expect(body['@odata.count']).toBe(cloud.world.relationships.length);
  });

  it('accumulates graphServeTimeMs', async () => {
    const before = cloud.graphServeTimeMs;
    await get(`${RELS}?$top=300`);
    expect(cloud.graphServeTimeMs).toBeGreaterThan(before);
  });
});

describe('authentication and authorization', () => {
  it('answers 401 InvalidAuthenticationToken without, with a garbage and with an expired token', async () => {
    const none = await get(RELS, null);
    expectGraphError(none, 401, 'InvalidAuthenticationToken');
    expect(none.headers['www-authenticate']).toContain('Bearer');
    expect(none.headers['access-control-allow-origin']).toBe('*');
    expectGraphError(await get(RELS, 'not-a-jwt'), 401, 'InvalidAuthenticationToken');
    const short = cloud.login.mintAccessToken({ lifetimeSec: 1 });
    cloud.clock.advance(2000);
    try {
      expectGraphError(await get(RELS, short), 401, 'InvalidAuthenticationToken');
    } finally {
      cloud.clock.advance(-2000);
    }
  });

  it('answers 200 with an empty list to a user who is not an admin agent (R1)', async () => {
    const nonAgent = cloud.world.users.find((u) => !u.isAdminAgent)!;
    const t = cloud.login.mintAccessToken({ user: nonAgent.userPrincipalName });
    const res = await get(`${RELS}?$top=300`, t);
    expect(res.status).toBe(200);
    expect(res.json<Page<Rel>>().value).toEqual([]);
    expect(res.json<Page<Rel>>()['@odata.nextLink']).toBeUndefined();
    expect((await get(`${G}/delegatedAdminCustomers`, t)).json<Page<unknown>>().value).toEqual([]);
    expectGraphError(await send('POST', RELS, { displayName: 'x', duration: 'P1D', accessDetails: { unifiedRoles: [] } }, {}, t), 403, 'Authorization_RequestDenied');
  });

  it('answers 403 Authorization_RequestDenied to a write with a Read.All-only token, and to a read without any GDAP scope', async () => {
    const readOnly = cloud.login.mintAccessToken({ scopes: ['DelegatedAdminRelationship.Read.All'] });
    expect((await get(`${RELS}?$top=1`, readOnly)).status).toBe(200);
    expectGraphError(
      await send('POST', RELS, { displayName: uniqueName(), duration: 'P1D', accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE.globalReader }] } }, {}, readOnly),
      403,
      'Authorization_RequestDenied',
    );
    const userRead = cloud.login.mintAccessToken({ scopes: ['User.Read'] });
    expectGraphError(await get(RELS, userRead), 403, 'Authorization_RequestDenied');
  });

  it('answers CORS preflights like Graph', async () => {
    const res = await fakeRequest(cloud, RELS, {
      method: 'OPTIONS',
      headers: { Origin: 'chrome-extension://x', 'Access-Control-Request-Method': 'PATCH', 'Access-Control-Request-Headers': 'authorization,if-match,content-type' },
    });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-methods']).toContain('PATCH');
    expect(res.headers['access-control-allow-headers']).toContain('if-match');
  });

  it('echoes client-request-id', async () => {
    const res = await fakeRequest(cloud, `${RELS}/nope`, { token, headers: { 'client-request-id': 'abc-123' } });
    expect(expectGraphError(res, 404, 'ResourceNotFound').error.innerError['client-request-id']).toBe('abc-123');
  });
});

describe('one relationship', () => {
  it('GET returns it with @odata.context and etag; unknown id → 404 ResourceNotFound', async () => {
    const r = cloud.world.relationships[0]!;
    const body = (await get(`${RELS}/${r.id}`)).json<Rel & { '@odata.context': string }>();
    expect(body.id).toBe(r.id);
    expect(body['@odata.context']).toContain('delegatedAdminRelationships/$entity');
    expect(body['@odata.etag']).toBe(`W/"${r.etag}"`);
    expectGraphError(await get(`${RELS}/00000000-0000-0000-0000-000000000000-00000000-0000-0000-0000-000000000000`), 404, 'ResourceNotFound');
  });
});

describe('POST delegatedAdminRelationships', () => {
  it('creates a relationship in status created with 201 and Location', async () => {
    const name = uniqueName();
    const res = await send('POST', RELS, {
      displayName: name,
      duration: 'P2Y',
      customer: { tenantId: customerTenant() },
      accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE.globalReader }] },
      autoExtendDuration: 'P180D',
    });
    expect(res.status).toBe(201);
    const rel = res.json<Rel>();
    expect(res.headers.location).toBe(`${RELS}/${rel.id}`);
    expect(rel).toMatchObject({ displayName: name, status: 'created', duration: 'P2Y', autoExtendDuration: 'P180D', activatedDateTime: null, endDateTime: null });
    expect(rel.customer?.displayName).toBe(cloud.world.customers[5]!.displayName);
    expect(rel['@odata.etag']).toMatch(/^W\//);
    expect((await get(res.headers.location!)).status).toBe(200);
  });

  it.each(['P1D', 'P730D', 'P2Y', 'P1Y6M', 'P24M'])('accepts the duration %s', async (duration) => {
    await create({ duration });
  });

  it.each([
    ['a 51-character name', { displayName: 'x'.repeat(51) }],
    ['an empty name', { displayName: '' }],
    ['a blank name', { displayName: '   ' }],
    ['a missing name', { displayName: undefined }],
    ['a name with <', { displayName: 'Bad<Name' }],
    ['a name with /', { displayName: 'Bad/Name' }],
    ['a name with %', { displayName: 'Bad%Name' }],
    ['P731D', { duration: 'P731D' }],
    ['P2Y1D', { duration: 'P2Y1D' }],
    ['PT1H', { duration: 'PT1H' }],
    ['P0D', { duration: 'P0D' }],
    ['a duration that is not ISO 8601', { duration: '730 days' }],
    ['no duration', { duration: undefined }],
    ['no roles', { accessDetails: { unifiedRoles: [] } }],
    ['no accessDetails', { accessDetails: undefined }],
    ['an unknown role id', { accessDetails: { unifiedRoles: [{ roleDefinitionId: '11111111-1111-4111-8111-111111111111' }] } }],
    ['autoExtendDuration P90D', { autoExtendDuration: 'P90D' }],
    ['Global Administrator with P180D (R6)', { autoExtendDuration: 'P180D', accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE.globalAdministrator }] } }],
    ['a customer tenantId that is not a GUID', { customer: { tenantId: 'contoso.com' } }],
  ])('refuses %s with 400', async (_label, over) => {
    const body: Record<string, unknown> = {
      displayName: uniqueName(),
      duration: 'P730D',
      accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE.globalReader }] },
      ...over,
    };
    for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
    expectGraphError(await send('POST', RELS, body), 400, 'BadRequest');
  });

  it('accepts a 50-character name and Global Administrator without auto-extend', async () => {
    await create({ displayName: `${uniqueName('N')}`.padEnd(50, 'x') });
    await create({ accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE.globalAdministrator }] }, autoExtendDuration: 'PT0S' });
  });

  it('refuses invalid JSON and a non-object body with 400', async () => {
    expectGraphError(await send('POST', RELS, '{not json', { 'Content-Type': 'application/json' }), 400, 'BadRequest');
    expectGraphError(await send('POST', RELS, '[1,2]', { 'Content-Type': 'application/json' }), 400, 'BadRequest');
  });

  it('answers 409 to a duplicate name (case-insensitive), including one ended within 365 days (R19)', async () => {
    const rel = await create();
    expectGraphError(await send('POST', RELS, { displayName: rel.displayName, duration: 'P1D', accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE.globalReader }] } }), 409, 'Conflict');
    expectGraphError(await send('POST', RELS, { displayName: rel.displayName.toUpperCase(), duration: 'P1D', accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE.globalReader }] } }), 409, 'Conflict');

    const recent = cloud.world.relationships.find((r) => r.status === 'expired' && Date.now() - Date.parse(r.endDateTime!) < 300 * DAY)!;
    expectGraphError(await send('POST', RELS, { displayName: recent.displayName, duration: 'P1D', accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE.globalReader }] } }), 409, 'Conflict');

    const old: FakeRelationship = { ...recent, id: 'old-relationship', displayName: uniqueName('Old'), etag: 'x', endDateTime: isoDate(Date.now() - 400 * DAY) };
    cloud.world.relationships.push(old);
    const reuse = await send('POST', RELS, { displayName: old.displayName, duration: 'P1D', accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE.globalReader }] } });
    expect(reuse.status).toBe(201);
  });
});

describe('PATCH delegatedAdminRelationships/{id}', () => {
  it('needs If-Match: missing → 400 (or 428 when configured), stale → 412, current → 200 with a new etag', async () => {
    const rel = await create();
    const url = `${RELS}/${rel.id}`;
    const missing = expectGraphError(await send('PATCH', url, { duration: 'P365D' }), 400, 'BadRequest');
    expect(missing.error.message).toContain('If-Match');
    cloud.graph.setMissingIfMatchStatus(428);
    expectGraphError(await send('PATCH', url, { duration: 'P365D' }), 428, 'PreconditionRequired');
    expectGraphError(await send('PATCH', url, { duration: 'P365D' }, { 'If-Match': 'W/"stale"' }), 412, 'PreconditionFailed');
    const ok = await send('PATCH', url, { duration: 'P365D', displayName: uniqueName('Renamed') }, { 'If-Match': rel['@odata.etag'] });
    expect(ok.status).toBe(200);
    const updated = ok.json<Rel>();
    expect(updated.duration).toBe('P365D');
    expect(updated['@odata.etag']).not.toBe(rel['@odata.etag']);
    expectGraphError(await send('PATCH', url, { duration: 'P90D' }, { 'If-Match': rel['@odata.etag'] }), 412, 'PreconditionFailed');
    expect((await send('PATCH', url, { duration: 'P90D' }, { 'If-Match': '*' })).status).toBe(200);
  });

  it('while active, changes only autoExtendDuration, and never to P180D with Global Administrator (R5, R6)', async () => {
    const rel = await activeRelationship();
    const url = `${RELS}/${rel.id}`;
    const on = await send('PATCH', url, { autoExtendDuration: 'P180D' }, { 'If-Match': rel['@odata.etag'] });
    expect(on.status).toBe(200);
    expect(on.json<Rel>().autoExtendDuration).toBe('P180D');
    const etag = on.json<Rel>()['@odata.etag'];
    expectGraphError(await send('PATCH', url, { displayName: uniqueName() }, { 'If-Match': etag }), 400, 'BadRequest');
    cloud.graph.setWrongStateStatus(409);
    expectGraphError(await send('PATCH', url, { duration: 'P90D' }, { 'If-Match': etag }), 409, 'Conflict');

    const ga = await activeRelationship({ accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE.globalAdministrator }] } });
    expectGraphError(await send('PATCH', `${RELS}/${ga.id}`, { autoExtendDuration: 'P180D' }, { 'If-Match': ga['@odata.etag'] }), 400, 'BadRequest');
  });

  it('refuses changes to a pending relationship', async () => {
    const rel = await create();
    await lock(rel.id);
    const cur = (await get(`${RELS}/${rel.id}`)).json<Rel>();
    expectGraphError(await send('PATCH', `${RELS}/${rel.id}`, { duration: 'P90D' }, { 'If-Match': cur['@odata.etag'] }), 400, 'BadRequest');
  });

  it('in 202 mode answers 202 + Location + Retry-After and applies the change when the operation completes', async () => {
    cloud.graph.setPatchMode('202');
    cloud.graph.setOperationDelay(50);
    const rel = await activeRelationship();
    const res = await send('PATCH', `${RELS}/${rel.id}`, { autoExtendDuration: 'P180D' }, { 'If-Match': rel['@odata.etag'] });
    expect(res.status).toBe(202);
    expect(res.headers['retry-after']).toBe('1');
    const location = res.headers.location!;
    expect(location).toMatch(new RegExp(`/delegatedAdminRelationships/${rel.id}/operations/[0-9a-f-]{36}$`));
    const running = (await get(location)).json<{ status: string; operationType: string; data: string }>();
    expect(running.status).toBe('running');
    expect(running.operationType).toBe('delegatedAdminRelationshipUpdate');
    expect(JSON.parse(running.data)).toEqual({ autoExtendDuration: 'P180D' });
    expect((await get(`${RELS}/${rel.id}`)).json<Rel>().autoExtendDuration).not.toBe('P180D');
    await expect.poll(async () => (await get(location)).json<{ status: string }>().status, { timeout: 5000 }).toBe('succeeded');
    const after = (await get(`${RELS}/${rel.id}`)).json<Rel>();
    expect(after.autoExtendDuration).toBe('P180D');
    expect(after['@odata.etag']).not.toBe(rel['@odata.etag']);
    const ops = (await get(`${RELS}/${rel.id}/operations`)).json<Page<{ id: string }>>();
    expect(ops.value.map((o) => o.id)).toContain(location.split('/').pop());
    expectGraphError(await get(`${RELS}/${rel.id}/operations/nope`), 404, 'ResourceNotFound');
  });

  it('settleAll() completes running operations at once', async () => {
    cloud.graph.setPatchMode('202');
    cloud.graph.setOperationDelay(60_000);
    const rel = await create();
    expect((await send('PATCH', `${RELS}/${rel.id}`, { duration: 'P30D' }, { 'If-Match': rel['@odata.etag'] })).status).toBe(202);
    expect(cloud.graph.pendingCount).toBeGreaterThan(0);
    cloud.graph.settleAll();
    expect(cloud.graph.pendingCount).toBe(0);
    expect((await get(`${RELS}/${rel.id}`)).json<Rel>().duration).toBe('P30D');
  });
});

describe('life cycle: lockForApproval, approve, terminate, DELETE', () => {
  it('lockForApproval turns created into approvalPending, and needs a customer', async () => {
    const rel = await create();
    const res = await lock(rel.id);
    expect(res.status).toBe(201);
    const request = res.json<{ id: string; action: string; status: string }>();
    expect(request.action).toBe('lockForApproval');
    expect(res.headers.location).toBe(`${RELS}/${rel.id}/requests/${request.id}`);
    expect((await get(`${RELS}/${rel.id}`)).json<Rel>().status).toBe('approvalPending');
    expect((await get(`${RELS}/${rel.id}/requests`)).json<Page<{ id: string }>>().value.map((r) => r.id)).toContain(request.id);
    expect((await get(`${RELS}/${rel.id}/requests/${request.id}`)).status).toBe(200);
    expectGraphError(await lock(rel.id), 400, 'BadRequest');

    const noCustomer = await create({ customer: undefined });
    expectGraphError(await lock(noCustomer.id), 400, 'BadRequest');
    expectGraphError(await send('POST', `${RELS}/${rel.id}/requests`, { action: 'dance' }), 400, 'BadRequest');
  });

  it('approve() makes it active with activatedDateTime and endDateTime = activated + duration', async () => {
    const rel = await create({ duration: 'P1Y6M' });
    await lock(rel.id);
    approve(cloud.world, rel.id);
    const active = (await get(`${RELS}/${rel.id}`)).json<Rel>();
    expect(active.status).toBe('active');
    expect(Math.abs(Date.parse(active.activatedDateTime!) - Date.now())).toBeLessThan(60_000);
    expect(Date.parse(active.endDateTime!)).toBe(addIsoDuration(Date.parse(active.activatedDateTime!), 'P1Y6M'));
    expect(() => approve(cloud.world, rel.id)).toThrow(/not approvalPending/);
  });

  it('terminate ends an active relationship; not a pending one (R18)', async () => {
    const rel = await activeRelationship();
    const res = await send('POST', `${RELS}/${rel.id}/requests`, { action: 'terminate' });
    expect(res.status).toBe(201);
    const after = (await get(`${RELS}/${rel.id}`)).json<Rel>();
    expect(after.status).toBe('terminated');
    expect(Math.abs(Date.parse(after.endDateTime!) - Date.now())).toBeLessThan(60_000);

    const pending = await create();
    await lock(pending.id);
    expectGraphError(await send('POST', `${RELS}/${pending.id}/requests`, { action: 'terminate' }), 400, 'BadRequest');
  });

  it('terminate goes through terminationRequested when a delay is set', async () => {
    cloud.graph.setTerminateDelay(50);
    const rel = await activeRelationship();
    const res = await send('POST', `${RELS}/${rel.id}/requests`, { action: 'terminate' });
    expect(res.json<{ status: string }>().status).toBe('pending');
    expect((await get(`${RELS}/${rel.id}`)).json<Rel>().status).toBe('terminationRequested');
    await expect.poll(async () => (await get(`${RELS}/${rel.id}`)).json<Rel>().status, { timeout: 5000 }).toBe('terminated');
  });

  it('DELETE needs If-Match and works only in created', async () => {
    const rel = await create();
    const url = `${RELS}/${rel.id}`;
    expectGraphError(await send('DELETE', url), 400, 'BadRequest');
    expectGraphError(await send('DELETE', url, undefined, { 'If-Match': 'W/"old"' }), 412, 'PreconditionFailed');
    const del = await send('DELETE', url, undefined, { 'If-Match': rel['@odata.etag'] });
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expectGraphError(await get(url), 404, 'ResourceNotFound');

    const active = await activeRelationship();
    expectGraphError(await send('DELETE', `${RELS}/${active.id}`, undefined, { 'If-Match': active['@odata.etag'] }), 400, 'BadRequest');
    cloud.graph.setWrongStateStatus(409);
    expectGraphError(await send('DELETE', `${RELS}/${active.id}`, undefined, { 'If-Match': active['@odata.etag'] }), 409, 'Conflict');
  });
});

describe('access assignments', () => {
  interface Assignment {
    '@odata.etag': string;
    id: string;
    status: string;
    accessContainer: { accessContainerId: string; accessContainerType: string };
    accessDetails: { unifiedRoles: Array<{ roleDefinitionId: string }> };
  }
  const GROUP = '0d1c2b3a-4f5e-4a6b-8c7d-9e0f1a2b3c4d';

  it('lists the generated assignments of an active relationship', async () => {
    const rel = cloud.world.relationships.find((r) => r.status === 'active' && (cloud.world.accessAssignments.get(r.id)?.length ?? 0) > 0)!;
    const body = (await get(`${RELS}/${rel.id}/accessAssignments`)).json<Page<Assignment>>();
    expect(body.value.length).toBe(cloud.world.accessAssignments.get(rel.id)!.length);
    expect(body['@odata.context']).toContain(`delegatedAdminRelationships('${rel.id}')/accessAssignments`);
    for (const a of body.value) expect(a['@odata.etag']).toMatch(/^W\//);
  });

  it('creates (201, only when active, roles within the relationship), reads, patches (202) and deletes one', async () => {
    const pending = await create();
    const assignment = { accessContainer: { accessContainerId: GROUP, accessContainerType: 'securityGroup' }, accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE.globalReader }] } };
    expectGraphError(await send('POST', `${RELS}/${pending.id}/accessAssignments`, assignment), 400, 'BadRequest');

    const rel = await activeRelationship();
    const base = `${RELS}/${rel.id}/accessAssignments`;
    expectGraphError(
      await send('POST', base, { ...assignment, accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE.exchangeAdministrator }] } }),
      400,
      'BadRequest',
    );
    expectGraphError(await send('POST', base, { ...assignment, accessContainer: { accessContainerId: 'group-name' } }), 400, 'BadRequest');
    const created = await send('POST', base, assignment);
    expect(created.status).toBe(201);
    const a = created.json<Assignment>();
    expect(created.headers.location).toBe(`${base}/${a.id}`);
    expect(a.status).toBe('active');
    expectGraphError(await send('POST', base, assignment), 409, 'Conflict');
    expect((await get(`${base}/${a.id}`)).json<Assignment>().id).toBe(a.id);

    const both = { accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE.globalReader }, { roleDefinitionId: ROLE.serviceSupportAdministrator }] } };
    expectGraphError(await send('PATCH', `${base}/${a.id}`, both), 400, 'BadRequest');
    cloud.graph.setOperationDelay(0);
    const patched = await send('PATCH', `${base}/${a.id}`, both, { 'If-Match': a['@odata.etag'] });
    expect(patched.status).toBe(202);
    expect(patched.headers.location).toMatch(/\/operations\/[0-9a-f-]{36}$/);
    await expect.poll(async () => (await get(`${base}/${a.id}`)).json<Assignment>().accessDetails.unifiedRoles.length, { timeout: 5000 }).toBe(2);
    const op = (await get(patched.headers.location!)).json<{ operationType: string; status: string }>();
    expect(op).toMatchObject({ operationType: 'delegatedAdminAccessAssignmentUpdate', status: 'succeeded' });

    cloud.graph.setAssignmentPatchMode('200');
    const current = (await get(`${base}/${a.id}`)).json<Assignment>();
    const sync = await send('PATCH', `${base}/${a.id}`, { accessDetails: assignment.accessDetails }, { 'If-Match': current['@odata.etag'] });
    expect(sync.status).toBe(200);
    expect(sync.json<Assignment>().accessDetails.unifiedRoles).toHaveLength(1);

    expectGraphError(await send('DELETE', `${base}/${a.id}`, undefined, { 'If-Match': current['@odata.etag'] }), 412, 'PreconditionFailed');
    const del = await send('DELETE', `${base}/${a.id}`, undefined, { 'If-Match': sync.json<Assignment>()['@odata.etag'] });
    expect(del.status).toBe(204);
    expectGraphError(await get(`${base}/${a.id}`), 404, 'ResourceNotFound');
  });
});

describe('delegatedAdminCustomers', () => {
  it('pages through customers with a delegating relationship, $top ≤ 300', async () => {
    const { items, pages } = await listAll<{ id: string; tenantId: string; displayName: string; '@odata.etag': string }>(`${G}/delegatedAdminCustomers?$top=300`);
    const expected = new Set(cloud.world.relationships.filter((r) => r.status === 'active' && r.customer?.tenantId).map((r) => r.customer!.tenantId!));
    expect(items.length).toBeGreaterThanOrEqual(expected.size);
    expect(pages).toBe(Math.ceil(items.length / 300));
    for (const id of expected) expect(items.some((c) => c.tenantId === id)).toBe(true);
    const dapOnly = cloud.world.customers.find((c) => c.scenario === 'dap-only')!;
    expect(items.some((c) => c.tenantId === dapOnly.tenantId)).toBe(false);
    expect(items[0]).toMatchObject({ id: expect.any(String), tenantId: expect.any(String), displayName: expect.any(String) });
    expectGraphError(await get(`${G}/delegatedAdminCustomers?$top=301`), 400, 'BadRequest');
    expect((await get(`${G}/delegatedAdminCustomers/${items[0]!.id}`)).status).toBe(200);
  });
});

describe('unknown paths', () => {
  it('answers 400 for an unknown segment', async () => {
    expectGraphError(await get(`${G}/somethingElse`), 400, 'BadRequest');
    expectGraphError(await get('https://graph.microsoft.com/v1.0/me'), 400, 'BadRequest');
  });
});
