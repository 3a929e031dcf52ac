/**
 * The background worker's messaging API (utils/background/app.ts → app.handlers), in Node,
 * against the real fake cloud: real sign-in (PKCE through the fake Entra, launchWebAuthFlow
 * emulated by reading the authorize 302), real Graph client over https, real cache on
 * fake-indexeddb, real scheduler and alerts. Browser calls (badge, notifications, tabs,
 * alarms) are recorded. Rules of /work/shared/gdap-rules.md are cited where checked.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SYNC_ALARM } from '@/utils/sync/scheduler';
import { createRouter } from '@/utils/messaging/router';
import * as v from 'valibot';
import { ANSWERS, CACHE_GENERATION_KEY } from '@/utils/messaging/protocol';
import { SESSION_KEY } from '@/utils/auth/service';
import { customerBadgeModel } from '@/utils/portals/badge-model';
import { decodePill, encodePill } from '@/utils/portals/pill';
import { startFakeCloud, type FakeCloud } from '../fake-cloud/server';
import type { FakeRelationship } from '../fake-cloud/model';
import {
  CONTENT_SENDER,
  CUSTOMER_LIST,
  GLOBAL_ADMINISTRATOR,
  GRAPH_HOST,
  OWN_ID,
  OWN_ORIGIN,
  PAGE_SENDER,
  RELATIONSHIP_LIST,
  SERVICE_SUPPORT_ADMINISTRATOR,
  allResults,
  alertsSettled,
  assignmentsInForce,
  autoExtends,
  createHarness,
  customersWith,
  endingWithin,
  graphRequests,
  harnesses,
  issuedSecrets,
  parseNotificationId,
  pendingLapsingWithin,
  relationshipTenants,
  relationshipsOf,
  signInAndSync,
  soleRelationship,
  syncAndSettle,
  type Harness,
} from './background-fixtures';

let cloud: FakeCloud;
/** The shared app: configured, signed in and synced by the sign-in test. */
let main: Harness;

const world = () => cloud.world;
const adminAgent = () => world().users.find((u) => u.isAdminAgent)!;
const allTenants = () => world().customers.map((c) => c.tenantId.toLowerCase());
const graphListCount = (h: Harness, re: RegExp, from = 0) => graphRequests(h, from).filter((r) => r.method === 'GET' && re.test(r.path)).length;

beforeAll(async () => {
  cloud = await startFakeCloud({ customers: 40, seed: 11 });
});
afterAll(async () => {
  await cloud?.stop();
});

describe('configuration and sign-in', () => {
  it('not configured: status says so and sign-in is refused with auth.error.notConfigured', async () => {
    const h = await createHarness(cloud, { configure: false });
    expect((await h.api.getStatus(undefined)).auth.state).toBe('not-configured');
    expect((await h.api.getStatus(undefined)).sync.writeMs).toBeNull();
    const r = await h.api.signIn(undefined);
    expect(r).toEqual({ ok: false, error: { kind: 'not-configured', messageKey: 'auth.error.notConfigured' } });
    expect(h.launches).toEqual([]);
    expect(h.sent).toEqual([]);
  });

  it('signs in, syncs once (the sign-in sync is joined), counts match the world, 6-hour alarm set', async () => {
    cloud.login.signInAs(adminAgent().userPrincipalName);
    main = await createHarness(cloud);
    const r = await main.api.signIn(undefined);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.name).toBe(adminAgent().displayName);
    expect(r.value.username).toBe(adminAgent().userPrincipalName);
    expect(r.value.tenantId).toBe(world().partner.tenantId);
    expect(main.launches).toHaveLength(1);
    expect((await main.api.getStatus(undefined)).auth).toMatchObject({ state: 'signed-in', account: { tenantId: world().partner.tenantId } });

    const outcome = await main.app.scheduler.syncNow('test');
    expect(outcome.ok).toBe(true);
    await alertsSettled(main, 0);
    // Joined, not a second sync: one list request of each kind.
    expect(graphListCount(main, RELATIONSHIP_LIST)).toBe(1);
    expect(graphListCount(main, CUSTOMER_LIST)).toBe(1);

    const status = await main.api.getStatus(undefined);
    expect(status.sync.lastError).toBeNull();
    expect(status.sync.lastSuccess).not.toBeNull();
    expect(status.sync.running).toBe(false);
    expect(status.sync.counts).toEqual({
      relationships: world().relationships.length,
      customers: relationshipTenants(world()).size,
      assignments: assignmentsInForce(world(), new Date()),
      skipped: 0,
    });
    expect(status.sync.emptyHint).toBeNull();
    expect(status.sync.writeMs).toBe(outcome.ok ? outcome.writeMs : NaN);
    expect(status.sync.writeMs).toBeGreaterThanOrEqual(0);
    expect(main.alarms).toContainEqual({ name: SYNC_ALARM, period: 360 });
  });

  it('R1: a user outside the Admin agents group syncs an empty list, explained by emptyHint', async () => {
    const outsider = world().users.find((u) => !u.isAdminAgent)!;
    cloud.login.signInAs(outsider.userPrincipalName);
    try {
      const h = await createHarness(cloud);
      const { signIn, outcome } = await signInAndSync(h);
      expect(signIn.ok).toBe(true);
      expect(outcome?.ok).toBe(true);
      const status = await h.api.getStatus(undefined);
      expect(status.sync.counts?.relationships).toBe(0);
      expect(status.sync.emptyHint).toBe('admin-agent-role');
      const again = await h.api.syncNow(undefined);
      expect(again.ok && again.value.emptyHint).toBe('admin-agent-role');
    } finally {
      cloud.login.signInAs(adminAgent().userPrincipalName);
    }
  });
});

describe('reads after the sync', () => {
  it('getSummaries answers for every customer of the world, matching its relationships (R16, R25)', async () => {
    const summaries = await main.api.getSummaries({ tenantIds: allTenants() });
    expect(Object.keys(summaries).sort()).toEqual([...allTenants()].sort());
    for (const c of world().customers) {
      const s = summaries[c.tenantId.toLowerCase()];
      const rels = relationshipsOf(world(), c.tenantId);
      expect(s?.total, c.scenario).toBe(rels.length);
      if (rels.length === 0) expect(s?.kind).toBe('none');
    }
    for (const c of customersWith(world(), 'dap-only')) expect(summaries[c.tenantId.toLowerCase()]).toMatchObject({ kind: 'none', total: 0, worst: null });
    const several = customersWith(world(), 'several-relationships');
    expect(several.length).toBeGreaterThan(0);
    for (const c of several) expect(summaries[c.tenantId.toLowerCase()]!.total).toBeGreaterThanOrEqual(2);
    // One relationship each: the summary is that relationship's state.
    const expectKind = (scenario: Parameters<typeof customersWith>[1], kind: string) => {
      const { customer, rel } = soleRelationship(world(), scenario);
      const s = summaries[customer.tenantId.toLowerCase()]!;
      expect(s.kind, scenario).toBe(kind);
      expect(s.worst?.relationshipId, scenario).toBe(rel.id);
    };
    expectKind('expiring-1d', 'expiring');
    expectKind('expiring-7d', 'expiring');
    expectKind('active-auto-extend', 'active');
    expectKind('pending-fresh', 'pending');
    expectKind('expired', 'expired');
    expectKind('terminated', 'terminated');
    expectKind('unknown-status', 'unknown');
    // R16: active but no security group.
    const noGroup = soleRelationship(world(), 'no-security-group');
    expect(summaries[noGroup.customer.tenantId.toLowerCase()]).toMatchObject({ kind: 'active', noSecurityGroup: true });
    // R6: a Global Administrator relationship cannot auto-extend.
    const ga = soleRelationship(world(), 'active-global-admin');
    expect(summaries[ga.customer.tenantId.toLowerCase()]).toMatchObject({ hasGlobalAdministrator: true });
    expect(summaries[ga.customer.tenantId.toLowerCase()]!.worst?.state.autoExtend).toBe('not-allowed');
  });

  it('getCustomerRelationships and getRelationship (null for an unknown id)', async () => {
    const c = customersWith(world(), 'several-relationships')[0]!;
    const views = await main.api.getCustomerRelationships({ tenantId: c.tenantId });
    expect(views.map((v) => v.relationship.id).sort()).toEqual(relationshipsOf(world(), c.tenantId).map((r) => r.id).sort());
    for (const v of views) {
      if (v.state.kind === 'active' || v.state.kind === 'expiring') expect(v.assignments).not.toBeNull();
    }
    const { rel } = soleRelationship(world(), 'active-no-auto-extend');
    const one = await main.api.getRelationship({ id: rel.id });
    expect(one?.relationship).toMatchObject({ id: rel.id, displayName: rel.displayName, status: 'active' });
    expect(one?.state).toMatchObject({ kind: 'active', autoExtend: 'off' });
    // Role names and risks come with the view, so content scripts need no role catalog.
    expect(one?.roles?.map((r) => r.id).sort()).toEqual(rel.accessDetails.unifiedRoles.map((r) => r.roleDefinitionId.toLowerCase()).sort());
    expect(one?.roles?.every((r) => r.name.length > 0 && r.name !== r.id)).toBe(true);
    expect(one?.assignments?.map((a) => a.id).sort()).toEqual((world().accessAssignments.get(rel.id) ?? []).map((a) => a.id).sort());
    expect(await main.api.getRelationship({ id: 'no-such-relationship' })).toBeNull();

    // The batch read answers the same views, and null for unknown ids.
    const ids = [...views.map((v) => v.relationship.id), rel.id, 'no-such-relationship'];
    const batch = await main.api.getRelationships({ ids });
    expect(Object.keys(batch).sort()).toEqual([...ids].sort());
    expect(batch['no-such-relationship']).toBeNull();
    expect(batch[rel.id]).toEqual(one);
    for (const v of views) expect(batch[v.relationship.id]?.state).toEqual(v.state);
  });

  it('getBadges: the badge models the background computes, one per customer and per cached relationship', async () => {
    const at = new Date();
    const several = customersWith(world(), 'several-relationships')[0]!;
    const noGroup = soleRelationship(world(), 'no-security-group');
    const ga = soleRelationship(world(), 'active-global-admin');
    const pending = soleRelationship(world(), 'pending-fresh');
    const tenantIds = [several.tenantId, noGroup.customer.tenantId, customersWith(world(), 'dap-only')[0]!.tenantId];
    const relationshipIds = [ga.rel.id, pending.rel.id, 'no-such-relationship'];
    const badges = await main.api.getBadges({ tenantIds, relationshipIds });
    // Exactly what the models compute from the background's own reads.
    const summaries = await main.api.getSummaries({ tenantIds });
    for (const t of tenantIds) {
      const key = t.toLowerCase();
      expect(badges.customers[key], key).toEqual(customerBadgeModel(summaries[key]!, at));
    }
    expect(badges.customers[noGroup.customer.tenantId.toLowerCase()]).toMatchObject({ state: 'active', noSecurityGroup: true, tone: 'danger' });
    expect(badges.customers[tenantIds[2]!.toLowerCase()]).toMatchObject({ state: 'none', relationshipCount: 0 });
    expect(badges.customers[several.tenantId.toLowerCase()]!.relationshipCount).toBeGreaterThanOrEqual(2);
    // An unknown relationship gets no model (no badge), the others their own.
    expect(Object.keys(badges.relationships).sort()).toEqual([ga.rel.id, pending.rel.id].sort());
    expect(badges.relationships[ga.rel.id]).toMatchObject({ scope: 'relationship', autoExtend: 'not-allowed' });
    expect(badges.relationships[pending.rel.id]).toMatchObject({ state: 'pending', relationshipId: pending.rel.id });
    expect(badges.relationships[pending.rel.id]!.daysLeft).toBeGreaterThan(0);
    expect(await main.api.getBadges({ tenantIds: [], relationshipIds: [] })).toEqual({ customers: {}, relationships: {} });
  });

  it('getBadgeIndex: every cached customer and relationship, each pill what getBadges computes', async () => {
    const customers = await main.api.getBadgeIndex({ kind: 'customers' });
    const relationships = await main.api.getBadgeIndex({ kind: 'relationships' });
    if (!customers || !relationships) throw new Error('no index');
    const tenants = [...new Set(world().relationships.map((r) => (r.customer?.tenantId ?? '').toLowerCase()))].filter(Boolean);
    expect(Object.keys(customers.entries).sort()).toEqual(tenants.sort());
    const badges = await main.api.getBadges({ tenantIds: tenants.slice(0, 1000), relationshipIds: world().relationships.slice(0, 1000).map((r) => r.id) });
    for (const [tenant, model] of Object.entries(badges.customers)) expect(customers.entries[tenant], tenant).toEqual(encodePill(model));
    // A customer the cache does not know shows "no GDAP".
    const dapOnly = customersWith(world(), 'dap-only')[0]!.tenantId.toLowerCase();
    expect(customers.entries[dapOnly]).toBeUndefined();
    expect(customers.absent).toEqual(encodePill((await main.api.getBadges({ tenantIds: [dapOnly], relationshipIds: [] })).customers[dapOnly]!));
    expect(decodePill(customers.absent)).toMatchObject({ state: 'none', relationshipCount: 0 });
    expect(Object.keys(relationships.entries).sort()).toEqual(world().relationships.map((r) => r.id).sort());
    for (const [id, model] of Object.entries(badges.relationships)) expect(relationships.entries[id], id).toEqual(encodePill(model));
    expect(relationships.absent).toBeNull();
  });

  it('getBadgeIndex: one per cache picture, fresh for a minute; up to an hour old answered at once and made anew; older made before answering', async () => {
    let offset = 0;
    cloud.login.signInAs(adminAgent().userPrincipalName);
    const h = await createHarness(cloud, { now: () => new Date(Date.now() + offset) });
    expect((await h.api.signIn(undefined)).ok).toBe(true);
    expect((await h.app.scheduler.syncNow('test')).ok).toBe(true);
    await alertsSettled(h, 0);
    const at = (ms: number) => {
      offset = ms;
      return h.api.getBadgeIndex({ kind: 'customers' });
    };
    const first = await at(0);
    expect(first).not.toBeNull();
    // Fresh: the same index, not made again.
    expect(await at(59_000)).toBe(first);
    // Stale but under an hour: still answered at once with it, and a new one is made for the next ask.
    expect(await at(30 * 60_000)).toBe(first);
    await new Promise((r) => setTimeout(r, 50));
    const renewed = await at(30 * 60_000 + 1_000);
    expect(renewed).not.toBe(first);
    expect(Object.keys(renewed!.entries).sort()).toEqual(Object.keys(first!.entries).sort());
    // Fresh again from when it was made.
    expect(await at(30 * 60_000 + 50_000)).toBe(renewed);
    // Over an hour old: made before answering.
    const late = await at(2 * 60 * 60_000);
    expect(late).not.toBe(renewed);
    expect(await at(2 * 60 * 60_000 + 1_000)).toBe(late);
    // Each kind has its own.
    expect(await h.api.getBadgeIndex({ kind: 'relationships' })).not.toBe(late);
  });

  it("getBadgeDetails: a customer's relationships most urgent first, or one; null for an unknown one", async () => {
    const c = customersWith(world(), 'several-relationships')[0]!;
    const d = await main.api.getBadgeDetails({ tenantId: c.tenantId });
    expect(d?.relationships.map((r) => r.id).sort()).toEqual(relationshipsOf(world(), c.tenantId).map((r) => r.id).sort());
    expect(d?.relationships.every((r) => r.roles.every((role) => role.name.length > 0 && role.name !== role.id))).toBe(true);
    const pending = soleRelationship(world(), 'pending-fresh');
    const one = await main.api.getBadgeDetails({ relationshipId: pending.rel.id });
    expect(one?.relationships).toHaveLength(1);
    expect(one?.relationships[0]).toMatchObject({ id: pending.rel.id, actions: ['copy-invitation'] });
    expect(one?.relationships[0]?.invitationUrl).toContain(pending.rel.id);
    expect(await main.api.getBadgeDetails({ relationshipId: 'no-such-relationship' })).toBeNull();
    const none = await main.api.getBadgeDetails({ tenantId: customersWith(world(), 'dap-only')[0]!.tenantId });
    expect(none).toEqual({ relationships: [], lockoutRecoveryMissing: false });
  });

  it('R4: getExpiring(7) lists the relationships ending in 1 and 7 days, never auto-extending ones', async () => {
    const list = await main.api.getExpiring({ days: 7 });
    const ids = new Set(list.map((e) => e.relationship.id));
    for (const scenario of ['expiring-1d', 'expiring-7d'] as const) {
      const customers = customersWith(world(), scenario);
      expect(customers.length).toBeGreaterThan(0);
      for (const c of customers) for (const r of relationshipsOf(world(), c.tenantId)) expect(ids.has(r.id), `${scenario} ${r.id}`).toBe(true);
    }
    for (const e of list) expect(e.state.autoExtend).not.toBe('on');
    for (const r of world().relationships.filter(autoExtends)) expect(ids.has(r.id)).toBe(false);
    // Nothing ending in 30 days sneaks into the 7-day list.
    for (const c of customersWith(world(), 'expiring-30d')) for (const r of relationshipsOf(world(), c.tenantId)) expect(ids.has(r.id)).toBe(false);
    const ending = list.filter((e) => e.reason === 'ending').map((e) => e.relationship.id).sort();
    expect(ending).toEqual([...endingWithin(world(), new Date(), 7).keys()].sort());
  });
});

describe('badge and notifications', () => {
  it('R2, R4, R6: badge = ending within 7 days without auto-extend + pending within 7 days of the lapse', async () => {
    const now = new Date();
    const expected = endingWithin(world(), now, 7).size + pendingLapsingWithin(world(), now, 7).length;
    expect(expected).toBeGreaterThan(0);
    expect(main.badges.at(-1)).toEqual({ text: String(expected), title: `badge.tooltip|${expected}` });
  });

  it('one notification per relationship due (30/7/1 days), none repeated by a second sync; a click opens Partner Center', async () => {
    const now = new Date();
    const due = endingWithin(world(), now, 30);
    expect(due.size).toBeGreaterThan(0);
    const sent = main.notifications.map((n) => ({ ...n, ...parseNotificationId(n.id) }));
    expect(sent.map((n) => n.relationshipId).sort()).toEqual([...due.keys()].sort());
    for (const n of sent) {
      const left = due.get(n.relationshipId)!;
      expect(n.threshold).toBe(left <= 1 ? 1 : left <= 7 ? 7 : 30);
      expect(n.title).toBe(left <= 1 ? 'notify.titleOne|' : `notify.title|${left}`);
      const rel = world().relationships.find((r) => r.id === n.relationshipId)!;
      expect(n.tenantId.toLowerCase()).toBe(rel.customer!.tenantId!.toLowerCase());
      expect(n.message).toBe(`notify.body|${rel.customer!.displayName}|${rel.displayName}`);
    }

    const before = main.notifications.length;
    const again = await syncAndSettle(main);
    expect(again.ok).toBe(true);
    expect(main.notifications).toHaveLength(before);

    const first = sent[0]!;
    await main.app.onNotificationClicked(first.id);
    expect(main.tabs.at(-1)).toBe(`https://partner.microsoft.com/dashboard/v2/customers/${first.tenantId.toLowerCase()}/adminrelationships`);
  });

  it('a burst of reminders waits while a page is being answered', async () => {
    const h = await createHarness(cloud);
    let read: Promise<{ before: number; after: number }> | null = null;
    h.hooks.onNotify = () => {
      // At the first reminder the popup opens and asks for the status.
      read ??= (async () => {
        const before = h.notifications.length;
        const status = await h.api.getStatus(undefined);
        expect(status.auth.state).toBe('signed-in');
        return { before, after: h.notifications.length };
      })();
    };
    const { outcome } = await signInAndSync(h);
    expect(outcome?.ok).toBe(true);
    expect(read).not.toBeNull();
    const { before, after } = await read!;
    // At most the reminder already on its way when the answer is handed back; then the rest.
    expect(after - before).toBeLessThanOrEqual(1);
    expect(h.notifications.length).toBe(endingWithin(world(), new Date(), 30).size);
    expect(h.notifications.length).toBeGreaterThan(before + 2);
  });

  it('notifications off in the settings: the badge is set, nothing is notified', async () => {
    const h = await createHarness(cloud, { settings: { notifications: false } });
    const { outcome } = await signInAndSync(h);
    expect(outcome?.ok).toBe(true);
    const now = new Date();
    const expected = endingWithin(world(), now, 7).size + pendingLapsingWithin(world(), now, 7).length;
    expect(h.badges.at(-1)?.text).toBe(String(expected));
    expect(h.notifications).toEqual([]);
  });
});

describe('setAutoExtend', () => {
  it('R6: refused for a Global Administrator relationship, with no PATCH sent', async () => {
    const { rel } = soleRelationship(world(), 'active-global-admin');
    const from = main.sent.length;
    const cloudFrom = cloud.requests.length;
    const r = await main.api.setAutoExtend({ id: rel.id, on: true });
    expect(r).toEqual({ ok: false, error: { kind: 'global-admin', messageKey: 'action.error.globalAdmin' } });
    expect(main.sent.slice(from)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(cloud.requests.slice(cloudFrom).filter((q) => q.method === 'PATCH')).toEqual([]);
  });

  it('R5: switched on for an active relationship with If-Match; view, cache and cache.generation follow', async () => {
    const { rel } = soleRelationship(world(), 'active-no-auto-extend');
    const cached = await main.api.getRelationship({ id: rel.id });
    expect(cached?.state.autoExtend).toBe('off');
    const generation = main.local.dump()[CACHE_GENERATION_KEY];
    const from = main.sent.length;

    const indexBefore = await main.api.getBadgeIndex({ kind: 'relationships' });
    expect(decodePill(indexBefore?.entries[rel.id])?.autoExtend).toBe('off');
    const r = await main.api.setAutoExtend({ id: rel.id, on: true });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // The index is made anew after a write, not served from memory.
    expect(decodePill((await main.api.getBadgeIndex({ kind: 'relationships' }))?.entries[rel.id])?.autoExtend).toBe('on');
    const patches = graphRequests(main, from).filter((q) => q.method === 'PATCH');
    expect(patches).toHaveLength(1);
    expect(patches[0]!.path).toBe(`/v1.0/tenantRelationships/delegatedAdminRelationships/${encodeURIComponent(rel.id)}`);
    expect(patches[0]!.headers['if-match']).toBe(cached!.relationship.etag);
    expect(JSON.parse(patches[0]!.body ?? '{}')).toEqual({ autoExtendDuration: 'P180D' });
    expect(world().relationships.find((x) => x.id === rel.id)?.autoExtendDuration).toBe('P180D');

    expect(r.value.state.autoExtend).toBe('on');
    expect(r.value.relationship.autoExtendDuration).toBe('P180D');
    const after = await main.api.getRelationship({ id: rel.id });
    expect(after?.state.autoExtend).toBe('on');
    expect(after?.relationship.etag).not.toBe(cached!.relationship.etag);
    // Assignments survive the update (R7).
    expect(after?.assignments?.length).toBe(cached?.assignments?.length);
    expect(main.local.dump()[CACHE_GENERATION_KEY]).not.toEqual(generation);
  });

  it('a stale ETag answers precondition-failed and the cache keeps the old state', async () => {
    const { rel } = soleRelationship(world(), 'active-no-auto-extend', 1);
    const live = world().relationships.find((x) => x.id === rel.id)!;
    live.etag = `${live.etag}-changed-elsewhere`;
    const r = await main.api.setAutoExtend({ id: rel.id, on: true });
    expect(r).toEqual({ ok: false, error: { kind: 'precondition-failed', messageKey: 'graphError.preconditionFailed' } });
    expect(live.autoExtendDuration).not.toBe('P180D');
    expect((await main.api.getRelationship({ id: rel.id }))?.state.autoExtend).toBe('off');
  });
});

describe('alerts after an action', () => {
  // A successful write recomputes the badge at once, not at the next sync (6 hours later).
  it('R4: switching auto-extend on for a relationship ending within 7 days updates the badge', async () => {
    const { rel } = soleRelationship(world(), 'expiring-7d');
    const now = new Date();
    const before = endingWithin(world(), now, 7).size + pendingLapsingWithin(world(), now, 7).length;
    expect(main.badges.at(-1)?.text).toBe(String(before));
    const r = await main.api.setAutoExtend({ id: rel.id, on: true });
    expect(r.ok && r.value.state.autoExtend).toBe('on');
    const expected = endingWithin(world(), new Date(), 7).size + pendingLapsingWithin(world(), new Date(), 7).length;
    expect(expected).toBe(before - 1);
    await vi.waitFor(() => expect(main.badges.at(-1)?.text).toBe(expected > 0 ? String(expected) : ''), { timeout: 1_000, interval: 10 });
  });
});

describe('createInvitation', () => {
  const base = () => ({
    durationDays: 730,
    roleIds: [SERVICE_SUPPORT_ADMINISTRATOR],
    customerTenantId: soleRelationship(world(), 'active-auto-extend').customer.tenantId,
    autoExtend: true,
  });

  it('R19: a 51-character name is refused before any request', async () => {
    const from = main.sent.length;
    const r = await main.api.createInvitation({ ...base(), displayName: 'x'.repeat(51) });
    expect(r).toEqual({ ok: false, error: { kind: 'invalid-name', messageKey: 'action.error.nameTooLong' } });
    expect(main.sent.slice(from)).toEqual([]);
  });

  it('R19: the name of a cached relationship is refused before any request', async () => {
    const { rel } = soleRelationship(world(), 'active-auto-extend', 1);
    const from = main.sent.length;
    const r = await main.api.createInvitation({ ...base(), displayName: ` ${rel.displayName.toUpperCase()} ` });
    expect(r).toEqual({ ok: false, error: { kind: 'invalid-name', messageKey: 'action.error.nameDuplicate' } });
    expect(main.sent.slice(from)).toEqual([]);
  });

  it('R3: 731 days is refused before any request', async () => {
    const from = main.sent.length;
    const r = await main.api.createInvitation({ ...base(), displayName: 'BG test too long', durationDays: 731 });
    expect(r).toEqual({ ok: false, error: { kind: 'invalid-duration', messageKey: 'action.error.duration' } });
    expect(main.sent.slice(from)).toEqual([]);
  });

  it('R6: Global Administrator with auto-extend is refused before any request', async () => {
    const from = main.sent.length;
    const r = await main.api.createInvitation({ ...base(), displayName: 'BG test GA', roleIds: [SERVICE_SUPPORT_ADMINISTRATOR, GLOBAL_ADMINISTRATOR.toUpperCase()] });
    expect(r).toEqual({ ok: false, error: { kind: 'global-admin', messageKey: 'action.error.globalAdmin' } });
    expect(main.sent.slice(from)).toEqual([]);
  });

  it('R3, R4, R17: a valid request is created for 730 days with auto-extend, locked for approval and cached as pending', async () => {
    const input = { ...base(), displayName: 'BG test support tickets' };
    const from = main.sent.length;
    const r = await main.api.createInvitation(input);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const id = r.value.relationship.relationship.id;
    expect(r.value.invitationUrl).toBe(`https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/${id}`);

    const posts = graphRequests(main, from).filter((q) => q.method === 'POST');
    expect(posts.map((p) => p.path)).toEqual([
      '/v1.0/tenantRelationships/delegatedAdminRelationships',
      `/v1.0/tenantRelationships/delegatedAdminRelationships/${encodeURIComponent(id)}/requests`,
    ]);
    expect(JSON.parse(posts[0]!.body ?? '{}')).toEqual({
      displayName: input.displayName,
      duration: 'P730D',
      accessDetails: { unifiedRoles: [{ roleDefinitionId: SERVICE_SUPPORT_ADMINISTRATOR }] },
      autoExtendDuration: 'P180D',
      customer: { tenantId: input.customerTenantId },
    });
    expect(JSON.parse(posts[1]!.body ?? '{}')).toEqual({ action: 'lockForApproval' });
    expect(world().relationships.find((x) => x.id === id)?.status).toBe('approvalPending');

    expect(r.value.relationship.relationship.status).toBe('approvalPending');
    expect(r.value.relationship.state.kind).toBe('pending');
    const cached = await main.api.getRelationship({ id });
    expect(cached?.relationship).toMatchObject({ status: 'approvalPending', displayName: input.displayName, duration: 'P730D', autoExtendDuration: 'P180D' });
    const customer = await main.api.getCustomerRelationships({ tenantId: input.customerTenantId });
    expect(customer.map((v) => v.relationship.id)).toContain(id);

    // R19: now cached, the same name is refused locally.
    const again = await main.api.createInvitation(input);
    expect(again).toEqual({ ok: false, error: { kind: 'invalid-name', messageKey: 'action.error.nameDuplicate' } });
  });

  it('a lock for approval that fails leaves a request that trying again finishes, never a second relationship', async () => {
    // A customer without GDAP, so the scenarios the other tests pick keep their single relationship.
    const input = { ...base(), customerTenantId: customersWith(world(), 'dap-only')[0]!.tenantId, displayName: 'BG test lock fails' };
    const rule = cloud.faults.add({ match: { host: GRAPH_HOST, method: 'POST', path: /\/requests$/ }, fault: { kind: '500' } });
    let first;
    try {
      first = await main.api.createInvitation(input);
    } finally {
      cloud.faults.remove(rule);
    }
    expect(first).toMatchObject({ ok: false, error: { messageKey: 'action.error.lockFailed' } });
    const made = world().relationships.filter((x) => x.displayName === input.displayName);
    expect(made.map((x) => x.status)).toEqual(['created']);

    // Asking for something else under that name is still refused (R19).
    const other = await main.api.createInvitation({ ...input, roleIds: [GLOBAL_ADMINISTRATOR], autoExtend: false });
    expect(other).toEqual({ ok: false, error: { kind: 'invalid-name', messageKey: 'action.error.nameDuplicate' } });

    const from = main.sent.length;
    const again = await main.api.createInvitation(input);
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    expect(again.value.relationship.relationship.id).toBe(made[0]!.id);
    const posts = graphRequests(main, from).filter((q) => q.method === 'POST');
    expect(posts.map((p) => p.path)).toEqual([`/v1.0/tenantRelationships/delegatedAdminRelationships/${encodeURIComponent(made[0]!.id)}/requests`]);
    expect(world().relationships.filter((x) => x.displayName === input.displayName).map((x) => x.status)).toEqual(['approvalPending']);
  });

  it('a 409 from Graph (name taken but not cached yet) answers conflict / graphError.conflict', async () => {
    const template = soleRelationship(world(), 'active-auto-extend').rel;
    const name = 'BG test taken elsewhere';
    const intruder: FakeRelationship = { ...structuredClone(template), id: `bg-test-${Date.now()}`, displayName: name };
    world().relationships.push(intruder);
    try {
      const from = main.sent.length;
      const r = await main.api.createInvitation({ ...base(), displayName: name });
      expect(r).toEqual({ ok: false, error: { kind: 'conflict', messageKey: 'graphError.conflict' } });
      const posts = graphRequests(main, from).filter((q) => q.method === 'POST');
      expect(posts.map((p) => p.path)).toEqual(['/v1.0/tenantRelationships/delegatedAdminRelationships']);
    } finally {
      world().relationships.splice(world().relationships.indexOf(intruder), 1);
    }
  });
});

describe('terminate', () => {
  it('R18: a pending relationship is not terminated, and nothing is sent', async () => {
    const { rel } = soleRelationship(world(), 'pending-fresh');
    const from = main.sent.length;
    const r = await main.api.terminate({ id: rel.id });
    expect(r).toEqual({ ok: false, error: { kind: 'not-active', messageKey: 'action.error.cannotTerminate' } });
    expect(main.sent.slice(from)).toEqual([]);
    expect((await main.api.getRelationship({ id: rel.id }))?.relationship.status).toBe('approvalPending');
  });

  it('an active relationship is terminated and the cache says so', async () => {
    const { rel } = soleRelationship(world(), 'active-auto-extend', 2);
    const from = main.sent.length;
    const r = await main.api.terminate({ id: rel.id });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const posts = graphRequests(main, from).filter((q) => q.method === 'POST');
    expect(posts.map((p) => [p.path, JSON.parse(p.body ?? '{}')])).toEqual([
      [`/v1.0/tenantRelationships/delegatedAdminRelationships/${encodeURIComponent(rel.id)}/requests`, { action: 'terminate' }],
    ]);
    expect(r.value.relationship.status).toBe('terminated');
    expect(r.value.state.kind).toBe('terminated');
    expect((await main.api.getRelationship({ id: rel.id }))?.state.kind).toBe('terminated');
  });
});

describe('sync scheduling', () => {
  it('two syncNow calls at once make one sync', async () => {
    const from = main.sent.length;
    const [a, b] = await Promise.all([main.api.syncNow(undefined), main.api.syncNow(undefined)]);
    expect(a.ok && b.ok).toBe(true);
    expect(graphListCount(main, RELATIONSHIP_LIST, from)).toBe(1);
    expect(graphListCount(main, CUSTOMER_LIST, from)).toBe(1);
  });
});

describe('router in front of the real handlers', () => {
  it('a content script may read summaries but not sign in, invite or terminate (nothing reaches Graph)', async () => {
    const router = createRouter(main.handlers, { ownId: OWN_ID, ownOrigin: OWN_ORIGIN });
    const tenant = soleRelationship(world(), 'active-global-admin').customer.tenantId;
    const read = await router.dispatch('getSummaries', { tenantIds: [tenant] }, CONTENT_SENDER);
    expect(read.handled).toBe(true);
    if (read.handled) expect((read.result as Record<string, { total: number }>)[tenant.toLowerCase()]?.total).toBe(1);

    const from = main.sent.length;
    const launches = main.launches.length;
    const cloudFrom = cloud.requests.length;
    const { rel: active } = soleRelationship(world(), 'expiring-30d');
    const attempts: Array<[string, unknown]> = [
      ['signIn', undefined],
      ['createInvitation', { displayName: 'BG test from a content script', durationDays: 30, roleIds: [SERVICE_SUPPORT_ADMINISTRATOR], autoExtend: false }],
      ['terminate', { id: active.id }],
      ['signOut', undefined],
      ['saveSettings', { notifications: false }],
    ];
    for (const [command, data] of attempts) {
      expect(await router.dispatch(command, data, CONTENT_SENDER), command).toEqual({ handled: false, reason: 'not-an-extension-page' });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(main.sent.slice(from)).toEqual([]);
    expect(cloud.requests.slice(cloudFrom)).toEqual([]);
    expect(main.launches).toHaveLength(launches);
    expect(world().relationships.find((r) => r.id === active.id)?.status).toBe('active');
    // The same router serves the options page.
    const status = await router.dispatch('getStatus', undefined, PAGE_SENDER);
    expect(status.handled && (status.result as { auth: { state: string } }).auth.state).toBe('signed-in');
  });
});

describe("the admin center's commands (a customer admin, no partner sign-in)", () => {
  const ADMIN_SENDER = { id: OWN_ID, url: 'https://admin.microsoft.com/AdminPortal/Home#/partners', origin: 'https://admin.microsoft.com' };

  it('D7, R6: analyzePartners and analyzeInvitation answer without anyone signed in, and reach no one', async () => {
    const h = await createHarness(cloud);
    const router = createRouter(h.handlers, { ownId: OWN_ID, ownOrigin: OWN_ORIGIN });
    const cloudFrom = cloud.requests.length;
    const partners = await router.dispatch(
      'analyzePartners',
      {
        rows: [
          { types: 'Reseller, Delegated admin (DAP)', roles: [], end: null },
          { types: 'Granular delegated admin (GDAP)', roles: ['Global Reader'], end: { datetime: null, text: 'soon' } },
        ],
      },
      ADMIN_SENDER,
    );
    expect(partners.handled).toBe(true);
    if (!partners.handled) return;
    expect(v.safeParse(ANSWERS.analyzePartners, partners.result).success).toBe(true);
    const answer = partners.result as { partners: Array<{ risk: string; roles: unknown }>; summary: unknown };
    expect(answer.partners.map((p) => p.risk)).toEqual(['high', 'low']);
    expect(answer.partners[0]!.roles).toEqual({ privileged: ['Global Administrator'], other: [] });
    expect(answer.summary).toEqual({ total: 2, withAdminAccess: 2, viaDap: 1, withGlobalAdmin: 1 });

    const invitation = await router.dispatch(
      'analyzeInvitation',
      { roles: [{ name: 'Global Administrator', id: null }], duration: '730 days', autoExtend: 'On' },
      ADMIN_SENDER,
    );
    expect(invitation.handled && v.safeParse(ANSWERS.analyzeInvitation, invitation.result).success).toBe(true);
    expect(invitation.handled && (invitation.result as { autoExtend: string }).autoExtend).toBe('not-allowed');

    // Our own pages and the Partner Center content script are refused.
    expect(await router.dispatch('analyzePartners', { rows: [] }, PAGE_SENDER)).toEqual({ handled: false, reason: 'not-the-admin-center' });
    expect(await router.dispatch('analyzePartners', { rows: [] }, CONTENT_SENDER)).toEqual({ handled: false, reason: 'not-the-admin-center' });
    expect(cloud.requests.slice(cloudFrom)).toEqual([]);
    expect(h.launches).toEqual([]);
    expect((await h.api.getStatus(undefined)).auth.state).toBe('signed-out');
  });
});

describe('faults through syncNow', () => {
  it('a malformed page fails the sync, keeps the previous data readable, and the next sync recovers', async () => {
    const before = await main.api.getSummaries({ tenantIds: allTenants() });
    const rule = cloud.faults.add({ match: { host: GRAPH_HOST, method: 'GET', path: RELATIONSHIP_LIST }, fault: { kind: 'malformed-json' } });
    try {
      const r = await main.api.syncNow(undefined);
      expect(r).toEqual({ ok: false, error: { kind: 'malformed', messageKey: 'graphError.malformed' } });
      expect(rule.fired).toBeGreaterThan(0);
      const status = await main.api.getStatus(undefined);
      expect(status.sync.lastError).toEqual({ kind: 'malformed', messageKey: 'graphError.malformed' });
      expect(await main.api.getSummaries({ tenantIds: allTenants() })).toEqual(before);
    } finally {
      cloud.faults.remove(rule);
    }
    const again = await syncAndSettle(main);
    expect(again.ok).toBe(true);
    expect((await main.api.getStatus(undefined)).sync.lastError).toBeNull();
  });

  it('access tokens expiring during a sync: refreshed silently, the sync completes', async () => {
    const refreshes = () => cloud.login.tokenLog.filter((e) => e.grantType === 'refresh_token' && e.ok).length;
    const refreshesBefore = refreshes();
    const launches = main.launches.length;
    const cloudFrom = cloud.requests.length;
    let graphSeen = 0;
    main.hooks.beforeFetch = (req) => {
      if (req.host === GRAPH_HOST && ++graphSeen === 3) cloud.login.expireAllAccessTokens();
    };
    try {
      const r = await syncAndSettle(main);
      expect(r.ok).toBe(true);
    } finally {
      main.hooks.beforeFetch = undefined;
    }
    expect(graphSeen).toBeGreaterThanOrEqual(3);
    expect(cloud.requests.slice(cloudFrom).some((q) => q.host === GRAPH_HOST && q.status === 401)).toBe(true);
    expect(refreshes()).toBeGreaterThan(refreshesBefore);
    expect(main.launches).toHaveLength(launches);
    expect((await main.api.getStatus(undefined)).auth.state).toBe('signed-in');
  });

  it('revoked refresh token and expired access token: sign-in-required, without opening a sign-in window', async () => {
    const launches = main.launches.length;
    const before = await main.api.getSummaries({ tenantIds: allTenants() });
    cloud.login.expireAllAccessTokens();
    cloud.login.revokeAll();
    const r = await main.api.syncNow(undefined);
    expect(r).toEqual({ ok: false, error: { kind: 'sign-in-required', messageKey: 'syncError.signInRequired' } });
    const status = await main.api.getStatus(undefined);
    expect(status.auth.state).toBe('sign-in-required');
    expect(status.sync.lastError?.kind).toBe('sign-in-required');
    expect(main.launches).toHaveLength(launches);
    expect(await main.api.getSummaries({ tenantIds: allTenants() })).toEqual(before);
    // No token is left in the session once the grant is dead.
    const session = JSON.stringify(main.session.dump());
    for (const s of issuedSecrets) expect(session.includes(s)).toBe(false);
  });
});

describe('sign-out', () => {
  it('empties the cache, forgets the tokens, clears the badge, status signed-out', async () => {
    cloud.login.signInAs(adminAgent().userPrincipalName);
    const { signIn, outcome } = await signInAndSync(main);
    expect(signIn.ok && outcome?.ok).toBe(true);
    expect(main.session.dump()[SESSION_KEY]).toBeDefined();
    const tenants = allTenants();
    const withData = await main.api.getSummaries({ tenantIds: tenants });
    expect(Object.values(withData).some((s) => s.total > 0)).toBe(true);

    const r = await main.api.signOut(undefined);
    expect(r).toEqual({ ok: true });
    const after = await main.api.getSummaries({ tenantIds: tenants });
    for (const t of tenants) expect(after[t]).toMatchObject({ kind: 'none', total: 0 });
    expect(await main.api.getExpiring({ days: 30 })).toEqual([]);
    expect(main.session.dump()[SESSION_KEY]).toBeUndefined();
    const session = JSON.stringify(main.session.dump());
    for (const s of issuedSecrets) expect(session.includes(s)).toBe(false);
    expect(main.badges.at(-1)).toEqual({ text: '', title: '' });
    const status = await main.api.getStatus(undefined);
    expect(status.auth.state).toBe('signed-out');
    expect(status.sync.counts).toBeNull();
  });
});

describe('settings that mean another sign-in', () => {
  it('changing the app (client ID) signs out and drops the previous account\'s data', async () => {
    cloud.login.signInAs(adminAgent().userPrincipalName);
    const { outcome } = await signInAndSync(main);
    expect(outcome?.ok).toBe(true);
    const tenants = allTenants();
    expect(Object.values(await main.api.getSummaries({ tenantIds: tenants })).some((s) => s.total > 0)).toBe(true);

    const saved = await main.api.saveSettings({ clientId: '99999999-8888-4777-8666-555555555555' });
    expect(saved.ok).toBe(true);
    const status = await main.api.getStatus(undefined);
    expect(status.auth.state).toBe('signed-out');
    for (const t of tenants) expect((await main.api.getSummaries({ tenantIds: [t] }))[t]).toMatchObject({ kind: 'none', total: 0 });
    expect(main.session.dump()[SESSION_KEY]).toBeUndefined();
  });

  it('saving the same settings again keeps the session and the data', async () => {
    const h = await createHarness(cloud);
    const { outcome } = await signInAndSync(h);
    expect(outcome?.ok).toBe(true);
    const before = await h.api.getStatus(undefined);
    expect(before.auth.state).toBe('signed-in');
    await h.api.saveSettings({ clientId: before.settings.clientId, notifications: false });
    const after = await h.api.getStatus(undefined);
    expect(after.auth.state).toBe('signed-in');
    expect(after.sync.counts).toEqual(before.sync.counts);
  });
});

describe('throttling in a world large enough to page (400 customers)', () => {
  let big: FakeCloud;
  beforeAll(async () => {
    big = await startFakeCloud({ customers: 400, seed: 5 });
  });
  afterAll(async () => {
    await big?.stop();
  });

  it('429 with Retry-After 1 mid paging: waited for, retried, the sync completes', async () => {
    const h = await createHarness(big);
    const first = await signInAndSync(h);
    expect(first.outcome?.ok).toBe(true);
    const from = h.sent.length;
    const cloudFrom = big.requests.length;
    const rule = big.faults.add({ match: { host: GRAPH_HOST, path: /delegatedAdminRelationships\?.*\$skiptoken=/, nth: 1 }, fault: { kind: '429', retryAfter: 1 } });
    const r = await syncAndSettle(h);
    expect(rule.fired).toBe(1);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(graphListCount(h, RELATIONSHIP_LIST, from)).toBeGreaterThanOrEqual(3); // 2 pages + the retry
    expect(r.value.counts?.relationships).toBe(big.world.relationships.length);
    const log = big.requests.slice(cloudFrom);
    const throttled = log.find((q) => q.status === 429)!;
    const retried = log.find((q) => q !== throttled && q.path === throttled.path && q.status === 200)!;
    expect(retried).toBeDefined();
    expect(Date.parse(retried.time) - Date.parse(throttled.time)).toBeGreaterThanOrEqual(900);
  });
});

describe('security', () => {
  it('no handler result and no storage.local value ever held a token', () => {
    expect(issuedSecrets.size).toBeGreaterThan(3);
    expect(allResults.length).toBeGreaterThan(50);
    const results = JSON.stringify(allResults);
    for (const s of issuedSecrets) expect(results.includes(s)).toBe(false);
    for (const h of harnesses) {
      const dump = h.local.dump();
      for (const key of Object.keys(dump)) expect(key.toLowerCase()).not.toContain('token');
      // Everything ever written, not only what is left at the end.
      expect(h.localHistory.length).toBeGreaterThan(0);
      for (const entry of h.localHistory) expect(entry.split('=')[0]!.toLowerCase()).not.toContain('token');
      const text = JSON.stringify(dump) + h.localHistory.join('\n');
      for (const s of issuedSecrets) expect(text.includes(s)).toBe(false);
    }
  });
});
