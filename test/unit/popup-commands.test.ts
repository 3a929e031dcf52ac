/**
 * The popup's quick-action commands (utils/background/app.ts), in Node against the fake
 * cloud, through the same harness as background-app.test.ts: searchCustomers,
 * checkRelationshipName, suggestRelationshipName, setAutoExtendMany and exportCsv. Rules of
 * /work/shared/gdap-rules.md are cited where checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHE_GENERATION_KEY } from '@/utils/messaging/protocol';
import { createRouter } from '@/utils/messaging/router';
import { csvFilename } from '@/utils/gdap/csv';
import { ROLES } from '@/utils/gdap/roles';
import { startFakeCloud, type FakeCloud } from '../fake-cloud/server';
import { HOSTILE_CUSTOMER_NAMES } from '../fake-cloud/data';
import type { FakeRelationship } from '../fake-cloud/model';
import {
  CONTENT_SENDER,
  DAY_MS,
  GRAPH_HOST,
  LOGIN_HOST,
  OWN_ID,
  OWN_ORIGIN,
  SERVICE_SUPPORT_ADMINISTRATOR,
  allResults,
  autoExtends,
  createHarness,
  graphRequests,
  includesGa,
  issuedSecrets,
  relationshipTenants,
  signInAndSync,
  type Harness,
} from './background-fixtures';

let cloud: FakeCloud;
let h: Harness;
const world = () => cloud.world;
const adminAgent = () => world().users.find((u) => u.isAdminAgent)!;
const PATCH_PATH = '/v1.0/tenantRelationships/delegatedAdminRelationships/';
const patchesFrom = (from: number) => graphRequests(h, from).filter((r) => r.method === 'PATCH');
const idOfPatch = (path: string) => decodeURIComponent(path.slice(PATCH_PATH.length));
/** The cache's name order: NFKC, lower case, code units; nameless last. */
const nameKey = (s: string) => s.normalize('NFKC').toLowerCase().trim();

beforeAll(async () => {
  cloud = await startFakeCloud({ customers: 80, seed: 23 });
  cloud.login.signInAs(adminAgent().userPrincipalName);
  h = await createHarness(cloud);
  const { signIn, outcome } = await signInAndSync(h);
  if (!signIn.ok || !outcome?.ok) throw new Error('sign-in or the first sync failed');
});
afterAll(async () => {
  await cloud?.stop();
});

/** Customers the cache knows (tenants with a relationship), with their world data. */
const cachedCustomers = () => {
  const tenants = relationshipTenants(world());
  return world().customers.filter((c) => tenants.has(c.tenantId.toLowerCase()));
};

/** Relationship statuses for which the fake lists the customer in delegatedAdminCustomers (test/fake-cloud/graph.ts). */
const LISTED = new Set(['approved', 'activating', 'active', 'expiring', 'terminationRequested', 'terminating']);

/**
 * The name the cache can know for a customer: from Graph's customer list when the fake lists
 * it, else from one of its relationships; '' when neither carries it (a `created` request
 * whose customer part is partial).
 */
function knownName(tenantId: string): string {
  const c = world().customers.find((x) => x.tenantId.toLowerCase() === tenantId.toLowerCase())!;
  const rels = world().relationships.filter((r) => r.customer?.tenantId?.toLowerCase() === tenantId.toLowerCase());
  if (rels.some((r) => LISTED.has(r.status))) return c.displayName;
  return rels.map((r) => r.customer?.displayName ?? '').find((n) => n !== '') ?? '';
}

describe('searchCustomers', () => {
  it('finds a customer by part of its name, case-insensitively, with only tenantId, displayName and domains', async () => {
    const c = cachedCustomers().find((x) => /^[A-Za-z ]{6,}/.test(x.displayName))!;
    const part = c.displayName.slice(1, 6).toUpperCase();
    const r = await h.api.searchCustomers({ query: part });
    const hit = r.find((x) => x.tenantId.toLowerCase() === c.tenantId.toLowerCase());
    expect(hit).toEqual({ tenantId: hit!.tenantId, displayName: c.displayName, domains: [] });
    for (const x of r) expect(Object.keys(x).sort()).toEqual(['displayName', 'domains', 'tenantId']);
    for (const x of r) expect(nameKey(x.displayName).includes(nameKey(part)) || x.tenantId.toLowerCase().includes(nameKey(part))).toBe(true);
  });

  it('finds Korean names, also when the query is in decomposed (NFD) Hangul', async () => {
    const korean = cachedCustomers().find((x) => x.displayName === '주식회사 한빛소프트')!;
    expect(korean).toBeDefined();
    for (const query of ['한빛', '한빛'.normalize('NFD'), '주식회사 한빛소프트']) {
      const r = await h.api.searchCustomers({ query });
      expect(r.map((x) => x.displayName), query).toContain('주식회사 한빛소프트');
    }
    // Exact match ranks first.
    expect((await h.api.searchCustomers({ query: '주식회사 한빛소프트' }))[0]?.tenantId.toLowerCase()).toBe(korean.tenantId.toLowerCase());
  });

  it('hostile names come back as the same text; a query is plain text, never a pattern', async () => {
    const hostile = cachedCustomers().filter((x) => HOSTILE_CUSTOMER_NAMES.includes(x.displayName) && knownName(x.tenantId) !== '');
    expect(hostile.length).toBeGreaterThan(1);
    for (const c of hostile) {
      const r = await h.api.searchCustomers({ query: c.displayName, limit: 50 });
      expect(r[0]?.displayName, c.displayName).toBe(c.displayName);
    }
    expect(await h.api.searchCustomers({ query: '.*' })).toEqual([]);
    expect(await h.api.searchCustomers({ query: '[a-z]+' })).toEqual([]);
    expect(await h.api.searchCustomers({ query: "' OR 1=1 --" })).toEqual([]);
  });

  it('finds a customer by its tenant ID (any case) and ranks the exact match first', async () => {
    const c = cachedCustomers()[5]!;
    const r = await h.api.searchCustomers({ query: c.tenantId.toUpperCase() });
    expect(r[0]?.tenantId.toLowerCase()).toBe(c.tenantId.toLowerCase());
    const prefix = await h.api.searchCustomers({ query: c.tenantId.slice(0, 13) });
    expect(prefix.map((x) => x.tenantId.toLowerCase())).toContain(c.tenantId.toLowerCase());
  });

  it('finds a customer by domain, and answers its domains (the cache holds domains when a sync learnt them)', async () => {
    // Graph's customer list has no domains: fill a second cache from a snapshot that has them.
    const other = await createHarness(cloud);
    const customers = cachedCustomers().map((c) => ({ id: c.tenantId, tenantId: c.tenantId, displayName: c.displayName, etag: null, domains: [c.domain] }));
    await other.app.cache.replaceAll({
      relationships: (await h.app.cache.listRelationships()).value,
      customers,
      assignmentsByRelationship: {},
      meta: { partnerTenantId: world().partner.tenantId, durationMs: 1, skipped: 0 },
    });
    const c = cachedCustomers().find((x) => x.domain.length > 20)!;
    const r = await other.api.searchCustomers({ query: c.domain.toUpperCase() });
    expect(r[0]).toEqual({ tenantId: c.tenantId, displayName: c.displayName, domains: [c.domain] });
    const part = await other.api.searchCustomers({ query: c.domain.slice(0, -'.onmicrosoft.com'.length) });
    expect(part.map((x) => x.tenantId)).toContain(c.tenantId);
  });

  it('an empty (or blank) query lists the first customers by name, `limit` of them (20 by default)', async () => {
    const expected = cachedCustomers()
      .map((c) => ({ key: nameKey(knownName(c.tenantId)), tenant: c.tenantId.toLowerCase() }))
      // By name, nameless customers last; then by tenant id.
      .sort((a, b) => (a.key === '') !== (b.key === '') ? (a.key === '' ? 1 : -1) : a.key < b.key ? -1 : a.key > b.key ? 1 : a.tenant < b.tenant ? -1 : 1)
      .map((x) => x.tenant);
    expect(expected.length).toBeGreaterThan(50);
    expect(cachedCustomers().some((c) => knownName(c.tenantId) === '')).toBe(true);
    const first = await h.api.searchCustomers({ query: '' });
    expect(first.map((x) => x.tenantId.toLowerCase())).toEqual(expected.slice(0, 20));
    const fifty = await h.api.searchCustomers({ query: '   ', limit: 50 });
    expect(fifty.map((x) => x.tenantId.toLowerCase())).toEqual(expected.slice(0, 50));
    expect(await h.api.searchCustomers({ query: '', limit: 3 })).toHaveLength(3);
  });

  it('never asks Graph (the cache answers)', async () => {
    const from = h.sent.length;
    await h.api.searchCustomers({ query: 'a' });
    await h.api.searchCustomers({ query: '' });
    expect(h.sent.slice(from)).toEqual([]);
  });
});

describe('checkRelationshipName (R19)', () => {
  const check = (name: string) => h.api.checkRelationshipName({ name });

  it('R19: 51 characters is too long; 50 is fine', async () => {
    expect(await check('n'.repeat(51))).toEqual({ issues: [{ code: 'too-long', messageKey: 'action.error.nameTooLong', reusableFrom: null }] });
    expect(await check('n'.repeat(50))).toEqual({ issues: [] });
  });

  it('R19: an empty or blank name', async () => {
    expect(await check('   ')).toEqual({ issues: [{ code: 'empty', messageKey: 'action.error.nameEmpty', reusableFrom: null }] });
  });

  it('R19: the name of a live relationship, in another case and with spaces, is a duplicate', async () => {
    const live = world().relationships.find((r) => r.status === 'active')!;
    expect(await check(`  ${live.displayName.toUpperCase()} `)).toEqual({
      issues: [{ code: 'duplicate', messageKey: 'action.error.nameDuplicate', reusableFrom: null }],
    });
  });

  it('R19: the name of a relationship that ended less than 365 days ago is held, with the date it frees up', async () => {
    const now = Date.now();
    const endedAt = (r: FakeRelationship): number => {
      const end = r.endDateTime ? Date.parse(r.endDateTime) : NaN;
      const modified = Date.parse(r.lastModifiedDateTime);
      return r.status === 'expired' ? (Number.isFinite(end) ? end : modified) : Math.min(...[end, modified].filter(Number.isFinite));
    };
    const recent = world().relationships.filter((r) => (r.status === 'expired' || r.status === 'terminated') && now - endedAt(r) < 365 * DAY_MS);
    expect(recent.length).toBeGreaterThan(0);
    for (const r of recent) {
      const sameName = world().relationships.filter((x) => x.displayName.toLowerCase() === r.displayName.toLowerCase());
      if (sameName.length > 1) continue;
      expect(await check(r.displayName), r.status).toEqual({
        issues: [{ code: 'recently-ended', messageKey: 'action.error.nameRecentlyEnded', reusableFrom: new Date(endedAt(r) + 365 * DAY_MS).toISOString() }],
      });
    }
  });

  it('a fresh name passes, and nothing is sent to Graph', async () => {
    const from = h.sent.length;
    expect(await check('Popup fresh name 1')).toEqual({ issues: [] });
    expect(h.sent.slice(from)).toEqual([]);
  });
});

describe('suggestRelationshipName (R19)', () => {
  it('suggests "{customer} GDAP", and "{customer} GDAP 2" once that is taken', async () => {
    expect(await h.api.suggestRelationshipName({ customerName: 'Popup Test Customer' })).toEqual({ name: 'Popup Test Customer GDAP' });
    const created = await h.api.createInvitation({
      displayName: 'Popup Test Customer GDAP',
      customerTenantId: cachedCustomers()[0]!.tenantId,
      durationDays: 90,
      roleIds: [SERVICE_SUPPORT_ADMINISTRATOR],
      autoExtend: false,
    });
    expect(created.ok).toBe(true);
    const next = await h.api.suggestRelationshipName({ customerName: 'Popup Test Customer' });
    expect(next).toEqual({ name: 'Popup Test Customer GDAP 2' });
    expect(await h.api.checkRelationshipName({ name: next.name })).toEqual({ issues: [] });
  });

  it('unique and at most 50 characters for every cached customer name, Korean, hostile and very long ones included', async () => {
    const names = [...cachedCustomers().map((c) => c.displayName).filter((n) => n.length <= 300), 'x'.repeat(300), '가'.repeat(300), '🚀'.repeat(150)];
    const taken = new Set(world().relationships.map((r) => r.displayName.toLowerCase()));
    for (const customerName of names) {
      const { name } = await h.api.suggestRelationshipName({ customerName });
      expect(name.length, customerName).toBeLessThanOrEqual(50);
      expect(name.length).toBeGreaterThan(0);
      expect(taken.has(name.toLowerCase()), name).toBe(false);
      expect(name).not.toMatch(/[<>"'{}()]/);
    }
    expect((await h.api.suggestRelationshipName({ customerName: '주식회사 한빛소프트' })).name).toBe('주식회사 한빛소프트 GDAP');
  });
});

describe('setAutoExtendMany', () => {
  const inForce = (r: FakeRelationship) => r.status === 'active' && !!r.endDateTime && Date.parse(r.endDateTime) > Date.now() + DAY_MS;

  it('R5, R6: 30 relationships, every outcome reported in order; GA refused and already-on skipped before Graph; a 412 reported; one generation bump', async () => {
    const ga = world().relationships.filter((r) => inForce(r) && includesGa(r)).slice(0, 3);
    const on = world().relationships.filter((r) => inForce(r) && !includesGa(r) && autoExtends(r)).slice(0, 5);
    const off = world().relationships.filter((r) => inForce(r) && !includesGa(r) && !autoExtends(r)).slice(0, 22);
    expect([ga.length, on.length, off.length]).toEqual([3, 5, 22]);
    // Interleave so that refusals and PATCHes mix within the concurrency window.
    const chosen: FakeRelationship[] = [];
    for (let i = 0; i < 22; i++) chosen.push(...[off[i], on[i], ga[i]].filter((r): r is FakeRelationship => r !== undefined));
    expect(chosen).toHaveLength(30);
    const ids = chosen.map((r) => r.id);
    const before = await h.api.getRelationships({ ids });

    // One relationship changed elsewhere: its ETag in Graph moves on, the cache keeps the old one.
    const stale = off[7]!;
    stale.etag = `${stale.etag}-changed-elsewhere`;

    // Every PATCH waits 60 ms in the fake, so that concurrent requests overlap visibly.
    const latency = cloud.faults.add({ match: { host: GRAPH_HOST, method: 'PATCH' }, fault: { kind: 'latency', ms: 60 } });
    const from = h.sent.length;
    const cloudFrom = cloud.requests.length;
    const writesFrom = h.localWrites.length;
    const badgesFrom = h.badges.length;
    let result;
    try {
      result = await h.api.setAutoExtendMany({ ids, on: true });
    } finally {
      cloud.faults.remove(latency);
    }
    // PATCHes in the fake at once: each one's time there (arrival → answer closed), less 20 ms
    // so that an answer still closing while the next request arrives does not count as overlap.
    const spans = cloud.requests
      .slice(cloudFrom)
      .filter((q) => q.method === 'PATCH')
      .map((q) => ({ start: Date.parse(q.time), end: Date.parse(q.time) + q.durationMs - 20 }));
    const maxInFlight = Math.max(...spans.map((a) => spans.filter((b) => b.start <= a.start && a.start < b.end).length));

    expect(result.map((o) => o.id)).toEqual(ids);
    for (const r of ga) {
      expect(result.find((o) => o.id === r.id)).toEqual({ id: r.id, ok: false, error: { kind: 'global-admin', messageKey: 'action.error.globalAdmin' } });
    }
    for (const r of on) expect(result.find((o) => o.id === r.id)).toEqual({ id: r.id, ok: true, unchanged: true });
    expect(result.find((o) => o.id === stale.id)).toEqual({
      id: stale.id,
      ok: false,
      error: { kind: 'precondition-failed', messageKey: 'graphError.preconditionFailed' },
    });
    const changed = off.filter((r) => r !== stale);
    for (const r of changed) expect(result.find((o) => o.id === r.id)).toEqual({ id: r.id, ok: true });

    // Only the relationships allowed (and not already on) were PATCHed, each once, with the cached ETag.
    const patches = patchesFrom(from);
    expect(patches.map((p) => idOfPatch(p.path)).sort()).toEqual(off.map((r) => r.id).sort());
    for (const p of patches) {
      const id = idOfPatch(p.path);
      expect(p.headers['if-match'], id).toBe(before[id]!.relationship.etag);
      expect(JSON.parse(p.body ?? '{}')).toEqual({ autoExtendDuration: 'P180D' });
    }
    // Bounded concurrency: requests overlap, never more than 4 at once.
    expect(maxInFlight).toBeGreaterThanOrEqual(2);
    expect(maxInFlight).toBeLessThanOrEqual(4);

    // Graph and the cache agree: on for the changed ones, unchanged for the rest.
    const after = await h.api.getRelationships({ ids });
    for (const r of changed) {
      expect(r.autoExtendDuration).toBe('P180D');
      expect(after[r.id]?.state.autoExtend).toBe('on');
      expect(after[r.id]?.relationship.etag).not.toBe(before[r.id]?.relationship.etag);
    }
    expect(stale.autoExtendDuration).not.toBe('P180D');
    expect(after[stale.id]?.state.autoExtend).toBe('off');
    for (const r of ga) expect(after[r.id]).toEqual(before[r.id]);
    for (const r of on) expect(after[r.id]).toEqual(before[r.id]);

    // One cache-generation bump and one alerts refresh for the whole batch.
    expect(h.localWrites.slice(writesFrom).filter((k) => k === CACHE_GENERATION_KEY)).toHaveLength(1);
    expect(h.badges.length - badgesFrom).toBe(1);
  });

  it('switching off; an unknown id and a repeated id each get their outcome; nothing changed → no bump', async () => {
    const target = world().relationships.find((r) => inForce(r) && !includesGa(r) && autoExtends(r))!;
    const pending = world().relationships.find((r) => r.status === 'approvalPending')!;
    const from = h.sent.length;
    const r = await h.api.setAutoExtendMany({ ids: [target.id, 'no-such-relationship', target.id, pending.id], on: false });
    expect(r).toEqual([
      { id: target.id, ok: true },
      { id: 'no-such-relationship', ok: false, error: { kind: 'not-found', messageKey: 'graphError.notFound' } },
      { id: target.id, ok: true },
      // Already off (pending requests usually are): nothing to send.
      autoExtends(pending) ? expect.objectContaining({ id: pending.id }) : { id: pending.id, ok: true, unchanged: true },
    ]);
    const patches = patchesFrom(from);
    expect(patches.map((p) => idOfPatch(p.path))).toContain(target.id);
    expect(patches.filter((p) => idOfPatch(p.path) === target.id)).toHaveLength(1);
    expect(JSON.parse(patches.find((p) => idOfPatch(p.path) === target.id)!.body ?? '{}')).toEqual({ autoExtendDuration: 'PT0S' });
    expect(target.autoExtendDuration).toBe('PT0S');

    const writesFrom = h.localWrites.length;
    const again = await h.api.setAutoExtendMany({ ids: [target.id], on: false });
    expect(again).toEqual([{ id: target.id, ok: true, unchanged: true }]);
    expect(h.localWrites.slice(writesFrom)).not.toContain(CACHE_GENERATION_KEY);
  });

  it('R5: switching on a relationship that is not in force is refused before Graph', async () => {
    const pending = world().relationships.find((r) => r.status === 'approvalPending' && !includesGa(r))!;
    const from = h.sent.length;
    expect(await h.api.setAutoExtendMany({ ids: [pending.id], on: true })).toEqual([
      { id: pending.id, ok: false, error: { kind: 'not-active', messageKey: 'action.error.notActive' } },
    ]);
    expect(h.sent.slice(from)).toEqual([]);
  });
});

describe('exportCsv', () => {
  /** RFC 4180 records of a CSV (quoted fields, doubled quotes, CRLF). */
  function records(text: string): string[][] {
    const out: string[][] = [];
    let fields: string[] = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (quoted) {
        if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
        else if (ch === '"') quoted = false;
        else field += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') fields.push(field), (field = '');
      else if (ch === '\r' && text[i + 1] === '\n') fields.push(field), out.push(fields), (fields = []), (field = ''), i++;
      else field += ch;
    }
    return out;
  }

  it('one row per cached relationship with names, roles, state, end date and auto-extend; dated filename', async () => {
    const r = await h.api.exportCsv(undefined);
    expect(r.filename).toBe(csvFilename(new Date()));
    expect(r.filename).toMatch(/^gdap-relationships-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(r.csv.startsWith('\uFEFFCustomer,Tenant ID,Relationship,Status,Roles,End date,Auto-extend\r\n')).toBe(true);
    const rows = records(r.csv.slice(1)).slice(1);
    const cached = (await h.app.cache.listRelationships()).value;
    expect(rows).toHaveLength(cached.length);
    expect(rows).toHaveLength(world().relationships.length);
    const shown = (f: string) => (/^'[=+\-@\t\r]/.test(f) ? f.slice(1) : f);
    expect(rows.map((x) => shown(x[2]!)).sort()).toEqual(world().relationships.map((x) => x.displayName).sort());

    const roleNames = new Map(ROLES.map((role) => [role.id, role.name]));
    for (const rel of world().relationships) {
      const row = rows.find((x) => shown(x[2]!) === rel.displayName)!;
      expect(row, rel.displayName).toHaveLength(7);
      expect(row[1]!.toLowerCase()).toBe((rel.customer?.tenantId ?? '').toLowerCase());
      expect(row[4]!.split('; ').filter(Boolean).sort()).toEqual(
        rel.accessDetails.unifiedRoles.map((u) => roleNames.get(u.roleDefinitionId.toLowerCase()) ?? u.roleDefinitionId).sort(),
      );
      expect(row[5]).toMatch(/^(\d{4}-\d{2}-\d{2})?$/);
      expect(row[6]).toBe(includesGa(rel) ? 'not allowed' : /^(PT0S|P0D)$/.test(rel.autoExtendDuration) ? 'off' : 'on');
      expect(['pending', 'active', 'expiring', 'expired', 'terminated', 'unknown']).toContain(row[3]);
      if (rel.status === 'terminated') expect(row[3]).toBe('terminated');
      if (rel.status === 'approvalPending' && Date.parse(rel.createdDateTime) + 90 * DAY_MS > Date.now()) expect(row[3]).toBe('pending');
      const name = rel.customer?.displayName;
      if (name) expect(shown(row[0]!)).toBe(name);
    }
    // Korean names as they are; hostile ones cannot start a formula.
    expect(rows.some((x) => x[0] === '주식회사 한빛소프트')).toBe(true);
    for (const x of rows) for (const f of x) expect(f).not.toMatch(/^[=+\-@\t\r]/);
    // Sorted by customer name.
    const keys = rows.map((x) => nameKey(shown(x[0]!)));
    expect(keys).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });
});

describe('router in front of the real handlers', () => {
  it('a content script cannot search, check names, bulk-change auto-extend or export; nothing reaches Graph', async () => {
    const router = createRouter(h.handlers, { ownId: OWN_ID, ownOrigin: OWN_ORIGIN });
    const target = world().relationships.find((r) => r.status === 'active' && !includesGa(r) && !autoExtends(r))!;
    const from = h.sent.length;
    const cloudFrom = cloud.requests.length;
    const attempts: Array<[string, unknown]> = [
      ['searchCustomers', { query: '' }],
      ['checkRelationshipName', { name: 'x' }],
      ['suggestRelationshipName', { customerName: 'x' }],
      ['setAutoExtendMany', { ids: [target.id], on: true }],
      ['exportCsv', undefined],
    ];
    for (const [command, data] of attempts) {
      expect(await router.dispatch(command, data, CONTENT_SENDER), command).toEqual({ handled: false, reason: 'not-an-extension-page' });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(h.sent.slice(from)).toEqual([]);
    expect(cloud.requests.slice(cloudFrom)).toEqual([]);
    expect(target.autoExtendDuration).not.toBe('P180D');
  });
});

describe('failures every relationship would meet', () => {
  it('throttled after the retries: reported for every id; the relationships not started yet are not tried', async () => {
    const targets = world().relationships.filter((r) => r.status === 'active' && !includesGa(r) && !autoExtends(r)).slice(0, 12);
    expect(targets.length).toBe(12);
    const rule = cloud.faults.add({ match: { host: GRAPH_HOST, method: 'PATCH' }, fault: { kind: '429', retryAfter: 0 } });
    const from = h.sent.length;
    let r;
    try {
      r = await h.api.setAutoExtendMany({ ids: targets.map((t) => t.id), on: true });
    } finally {
      cloud.faults.remove(rule);
    }
    r.forEach((o, i) => expect(o).toEqual({ id: targets[i]!.id, ok: false, error: { kind: 'throttled', messageKey: 'graphError.throttled' } }));
    // The Graph client retries each PATCH (5 attempts at most); with the batch stopped after the
    // first throttled answers, only the (at most 4) relationships in flight were tried.
    const tried = new Set(patchesFrom(from).map((p) => idOfPatch(p.path)));
    expect(tried.size).toBeGreaterThan(0);
    expect(tried.size).toBeLessThanOrEqual(4);
    for (const t of targets) expect(t.autoExtendDuration).not.toBe('P180D');
  });

  it('sign-in gone: setAutoExtendMany reports the same failure for every id', async () => {
    const targets = world().relationships.filter((r) => r.status === 'active' && !includesGa(r) && !autoExtends(r)).slice(0, 12);
    expect(targets.length).toBe(12);
    cloud.login.expireAllAccessTokens();
    cloud.login.revokeAll();
    const from = h.sent.length;
    const r = await h.api.setAutoExtendMany({ ids: targets.map((t) => t.id), on: true });
    expect(r).toHaveLength(12);
    const first = r[0]!;
    expect(first.ok).toBe(false);
    expect(['unauthorized', 'sign-in-required']).toContain(first.error?.kind);
    r.forEach((o, i) => expect(o).toEqual({ id: targets[i]!.id, ok: false, error: first.error }));
    // The access token the app holds is refused (401) and cannot be refreshed: the first
    // attempts (at most one per worker, 4) fail, the other relationships are not tried.
    expect(patchesFrom(from).length).toBeGreaterThan(0);
    expect(patchesFrom(from).length).toBeLessThanOrEqual(4);
    expect(h.sent.slice(from).filter((q) => q.host === LOGIN_HOST).length).toBeLessThanOrEqual(4);
    for (const t of targets) expect(t.autoExtendDuration).not.toBe('P180D');
  });
});

describe('security', () => {
  it('no answer of these commands holds a token', () => {
    const mine = allResults.filter((x) => ['searchCustomers', 'checkRelationshipName', 'suggestRelationshipName', 'setAutoExtendMany', 'exportCsv'].includes(x.command));
    expect(mine.length).toBeGreaterThan(20);
    expect(issuedSecrets.size).toBeGreaterThan(2);
    const text = JSON.stringify(allResults);
    for (const s of issuedSecrets) expect(text.includes(s)).toBe(false);
  });
});
