/**
 * Issue 3's acceptance in a real browser: a new user signs in through the options page,
 * the worker syncs the fake Graph into IndexedDB, and the messaging API reads it back;
 * then Graph faults, an expiring token, a stopped service worker and an ended sign-in.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type FakeCloud } from '../fake-cloud/server';
import { launchExtension, type ExtensionBrowser } from './harness';

const CLIENT_ID = '2b0b1e7a-5c3d-4e8f-9a1b-6c7d8e9f0a1b';
const RELATIONSHIPS_PATH = /^\/v1\.0\/tenantRelationships\/delegatedAdminRelationships(\?|$)/;

let cloud: FakeCloud;
let browser: ExtensionBrowser;
let options: Page;
let portal: Page;
/** Every answer the messaging API gave in this file, checked for tokens at the end. */
const answers: unknown[] = [];

/** Sends one protocol message from an extension page, in the messaging library's wire format. */
async function send<T = unknown>(type: string, data?: unknown, from: Page = options): Promise<T> {
  const reply = await from.evaluate(
    async ({ type, data }) => {
      const api = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome;
      return api.runtime.sendMessage({ id: Math.floor(Math.random() * 1e9), type, data, timestamp: Date.now() });
    },
    { type, data },
  );
  answers.push(reply);
  return (reply as { res: T } | undefined)?.res as T;
}

interface Status {
  auth: { state: string; account?: { name: string; tenantId: string } };
  sync: { running: boolean; lastSuccess: string | null; lastError: { kind: string } | null; counts: { relationships: number; customers: number } | null };
}
interface SyncResult {
  ok: boolean;
  error?: { kind: string; messageKey: string };
}

const graphListCalls = () => cloud.requests.filter((r) => r.host === 'graph.microsoft.com' && RELATIONSHIPS_PATH.test(r.path));
const allTenants = () => cloud.world.customers.map((c) => c.tenantId);

beforeAll(async () => {
  cloud = await startFakeCloud({ customers: 40, seed: 11 });
  browser = await launchExtension({ cloud });
  cloud.login.registerApp({ clientId: CLIENT_ID, redirectUris: [browser.redirectUri] });
  options = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
});

describe('sign-in through the options page, as a new user would', () => {
  it('shows the redirect URI to register, takes the client ID, signs in and syncs 40 customers', async () => {
    portal = await browser.newPage();
    await portal.goto('https://partner.microsoft.com/dashboard/v2/customers/list');
    await expect.poll(() => portal.locator('[data-gdap-prompt]').count(), { timeout: 15_000 }).toBe(1);
    await portal.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

    await options.goto(browser.extensionUrl('options.html'));
    await expect.poll(() => options.getByTestId('redirect-uri').textContent()).toBe(browser.redirectUri);
    await expect.poll(() => send<Status>('getStatus').then((s) => s.auth.state)).toBe('not-configured');
    const signIn = options.getByRole('button', { name: 'Sign in' });
    expect(await signIn.isDisabled()).toBe(true);

    await options.getByLabel('Application (client) ID').fill(CLIENT_ID);
    await options.getByLabel('Application (client) ID').blur();
    await expect.poll(() => signIn.isEnabled(), { timeout: 10_000 }).toBe(true);
    await signIn.click();

    const user = cloud.login.currentUser!;
    await expect.poll(() => options.getByText(`Signed in as ${user.displayName} (${user.userPrincipalName})`).count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => options.getByText(`Partner tenant: ${cloud.world.partner.tenantId}`).count()).toBe(1);
    await expect.poll(() => options.getByRole('button', { name: 'Sign out' }).count()).toBe(1);

    // The sync that sign-in starts completes, and the page shows it.
    await expect.poll(() => send<Status>('getStatus').then((s) => s.sync.lastSuccess !== null), { timeout: 30_000 }).toBe(true);
    const status = await send<Status>('getStatus');
    expect(status.sync.counts?.relationships).toBe(cloud.world.relationships.length);
    expect(status.sync.counts?.customers).toBeGreaterThan(0);
    await expect
      .poll(() => options.getByText(`${cloud.world.relationships.length} relationships`, { exact: false }).count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    expect(cloud.requests.some((r) => r.host === 'login.microsoftonline.com' && r.path.includes('/oauth2/v2.0/token') && r.status === 200)).toBe(true);

    // The portal tab heard about it without a reload: no more sign-in prompt.
    await expect.poll(() => portal.locator('[data-gdap-prompt]').count(), { timeout: 10_000 }).toBe(0);
    expect(await portal.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  });

  it('shows in the popup who is signed in, since when, and the last sync', async () => {
    const popup = await browser.newPage();
    await popup.goto(browser.extensionUrl('popup.html'));
    const user = cloud.login.currentUser!;
    await expect.poll(() => popup.getByText(`Signed in as ${user.displayName} (${user.userPrincipalName})`).count(), { timeout: 10_000 }).toBe(1);
    expect(await popup.getByText(`Partner tenant: ${cloud.world.partner.tenantId}`).count()).toBe(1);
    expect(await popup.getByText(/^Since /).count()).toBe(1);
    await expect.poll(() => popup.getByTestId('last-sync').textContent()).toMatch(/^Last sync: /);
    expect(await popup.getByRole('button', { name: 'Sync now' }).isEnabled()).toBe(true);
    await popup.close();
  });

  it('shows on the toolbar badge what needs attention within 7 days, and notifies once per relationship ending within 30', async () => {
    const now = Date.now();
    const DAY = 86_400_000;
    const GA = '62e90394-69f5-4237-9190-012177145e10';
    const live = new Set(['active', 'approved', 'activating', 'expiring']);
    const endsWithin = (days: number) =>
      cloud.world.relationships.filter((r) => {
        const end = r.endDateTime ? Date.parse(r.endDateTime) : NaN;
        const extends180 = r.autoExtendDuration === 'P180D' && !r.accessDetails.unifiedRoles.some((x) => x.roleDefinitionId === GA);
        return live.has(r.status) && !extends180 && end > now && end - now <= days * DAY;
      });
    const lapsingWithin7 = cloud.world.relationships.filter((r) => {
      const lapse = Date.parse(r.createdDateTime) + 90 * DAY;
      return (r.status === 'approvalPending' || r.status === 'created') && lapse > now && lapse - now <= 7 * DAY;
    });
    const expected = endsWithin(7).length + lapsingWithin7.length;
    expect(expected).toBeGreaterThan(0);
    const readBadge = () =>
      options.evaluate(() => (globalThis as unknown as { chrome: { action: { getBadgeText(d: object): Promise<string> } } }).chrome.action.getBadgeText({}));
    await expect.poll(readBadge, { timeout: 10_000 }).toBe(String(expected));

    const readNotifications = () =>
      options.evaluate(async () =>
        Object.keys(await (globalThis as unknown as { chrome: { notifications: { getAll(): Promise<object> } } }).chrome.notifications.getAll()),
      );
    const ending = endsWithin(30);
    await expect.poll(async () => (await readNotifications()).length, { timeout: 10_000 }).toBe(ending.length);
    const ids = await readNotifications();
    for (const r of ending) expect(ids.filter((id) => id.includes(r.id)), r.displayName).toHaveLength(1);
  });

  it('reads the synced customers back through the messaging API', async () => {
    const summaries = await send<Record<string, { kind: string; total: number; roleIds: string[] }>>('getSummaries', { tenantIds: allTenants() });
    expect(Object.keys(summaries).sort()).toEqual(allTenants().sort());
    for (const c of cloud.world.customers) {
      const own = cloud.world.relationships.filter((r) => r.customer?.tenantId === c.tenantId);
      expect(summaries[c.tenantId]?.total, c.displayName).toBe(own.length);
      if (own.length === 0) expect(summaries[c.tenantId]?.kind).toBe('none');
    }
    const several = cloud.world.customers.find((c) => c.scenario === 'several-relationships')!;
    const views = await send<Array<{ relationship: { id: string }; state: { kind: string } }>>('getCustomerRelationships', { tenantId: several.tenantId });
    expect(views.map((v) => v.relationship.id).sort()).toEqual(
      cloud.world.relationships.filter((r) => r.customer?.tenantId === several.tenantId).map((r) => r.id).sort(),
    );
    const soon = cloud.world.customers.find((c) => c.scenario === 'expiring-7d')!;
    const expiring = await send<Array<{ relationship: { customer: { tenantId: string | null } } }>>('getExpiring', { days: 7 });
    expect(expiring.some((e) => e.relationship.customer.tenantId === soon.tenantId)).toBe(true);
  });

  it('drops an unknown command and a malformed payload without an answer', async () => {
    expect(await send('getToken')).toBeUndefined();
    expect(await send('getSummaries', { tenantIds: ['<script>'] })).toBeUndefined();
  });
});

describe('Graph faults during a sync', () => {
  const sync = () => send<SyncResult>('syncNow');

  beforeAll(() => cloud.graph.setServerPageLimit(10)); // 40 customers → several pages
  afterAll(() => {
    cloud.graph.setServerPageLimit(null);
    cloud.faults.clear();
  });

  it('waits out a 429 with Retry-After in the middle of paging and completes', async () => {
    const rule = cloud.faults.add({ match: { host: 'graph.microsoft.com', path: RELATIONSHIPS_PATH, nth: 2 }, fault: { kind: '429', retryAfter: 1 }, times: 1 });
    const started = Date.now();
    expect(await sync()).toMatchObject({ ok: true });
    expect(rule.fired).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect((await send<Status>('getStatus')).sync.counts?.relationships).toBe(cloud.world.relationships.length);
  });

  it('retries a 500 and completes', async () => {
    const rule = cloud.faults.add({ match: { host: 'graph.microsoft.com', path: RELATIONSHIPS_PATH }, fault: { kind: '500' }, times: 1 });
    expect(await sync()).toMatchObject({ ok: true });
    expect(rule.fired).toBe(1);
  });

  it('keeps the previous cache whole after a malformed page, says so in plain words, and recovers', async () => {
    const before = await send('getSummaries', { tenantIds: allTenants() });
    cloud.faults.add({ match: { host: 'graph.microsoft.com', path: RELATIONSHIPS_PATH, nth: 3 }, fault: { kind: 'malformed-json' }, times: 1 });
    expect(await sync()).toMatchObject({ ok: false, error: { kind: 'malformed' } });
    expect(await send('getSummaries', { tenantIds: allTenants() })).toEqual(before);
    expect((await send<Status>('getStatus')).sync.lastError?.kind).toBe('malformed');
    await expect.poll(() => options.getByRole('alert').filter({ hasText: 'could not read' }).count(), { timeout: 10_000 }).toBe(1);
    expect(await sync()).toMatchObject({ ok: true });
    expect((await send<Status>('getStatus')).sync.lastError).toBeNull();
  });

  it('refreshes a token that expires during the sync and completes', async () => {
    const refreshesBefore = cloud.login.tokenLog.filter((t) => t.grantType === 'refresh_token').length;
    // Expire every access token as soon as the first relationships page has been served.
    const firstPage = graphListCalls().length;
    const watcher = (async () => {
      for (let i = 0; i < 400 && graphListCalls().length === firstPage; i++) await new Promise((r) => setTimeout(r, 5));
      cloud.login.expireAllAccessTokens();
    })();
    cloud.faults.add({ match: { host: 'graph.microsoft.com', path: RELATIONSHIPS_PATH, nth: 2 }, fault: { kind: 'latency', ms: 300 }, times: 1 });
    expect(await sync()).toMatchObject({ ok: true });
    await watcher;
    expect(cloud.login.tokenLog.filter((t) => t.grantType === 'refresh_token').length).toBeGreaterThan(refreshesBefore);
    expect(cloud.requests.some((r) => r.host === 'graph.microsoft.com' && r.status === 401)).toBe(true);
  });
});

describe('service worker life cycle', () => {
  it('stopped in the middle of a sync, leaves the cache whole; the next sync completes without duplicates', async () => {
    const before = await send('getSummaries', { tenantIds: allTenants() });
    const statusBefore = await send<Status>('getStatus');
    cloud.graph.setServerPageLimit(10);
    const slowPage = cloud.faults.add({ match: { host: 'graph.microsoft.com', path: RELATIONSHIPS_PATH, nth: 2 }, fault: { kind: 'latency', ms: 5000 }, times: 1 });
    void send('syncNow').catch(() => undefined);
    // The sync is mid-paging: page 1 is read, page 2 is being served slowly.
    await expect.poll(() => slowPage.fired, { timeout: 10_000 }).toBe(1);

    // CDP reports the worker's running status; Playwright's own handle goes stale on a stop.
    const cdp = await browser.context.newCDPSession(options);
    const statuses: string[] = [];
    cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
      for (const v of e.versions) if (v.scriptURL.endsWith('/background.js')) statuses.push(v.runningStatus);
    });
    await cdp.send('ServiceWorker.enable');
    await expect.poll(() => statuses.at(-1)).toBe('running');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await expect.poll(() => statuses.at(-1), { timeout: 10_000 }).toBe('stopped');
    cloud.faults.clear();
    cloud.graph.setServerPageLimit(null);

    // The worker starts again on the next message; the cache is what the last good sync wrote.
    await expect.poll(() => send('getSummaries', { tenantIds: allTenants() }), { timeout: 15_000 }).toEqual(before);
    expect(statuses.at(-1)).toBe('running'); // started again by the message
    await cdp.detach();
    const after = await send<Status>('getStatus');
    expect(after.sync.lastSuccess).toBe(statusBefore.sync.lastSuccess);
    expect(after.auth.state).toBe('signed-in');
    expect(await send<SyncResult>('syncNow')).toMatchObject({ ok: true });
    expect((await send<Status>('getStatus')).sync.counts?.relationships).toBe(cloud.world.relationships.length);
  });

  it('two pages asking at once get one sync', async () => {
    const second = await browser.newPage();
    await second.goto(browser.extensionUrl('popup.html'));
    cloud.faults.add({ match: { host: 'graph.microsoft.com', path: RELATIONSHIPS_PATH }, fault: { kind: 'latency', ms: 500 }, times: 1 });
    const calls = graphListCalls().length;
    const [a, b] = await Promise.all([send<SyncResult>('syncNow'), send<SyncResult>('syncNow', undefined, second)]);
    expect(a).toMatchObject({ ok: true });
    expect(b).toMatchObject({ ok: true });
    expect(graphListCalls().length - calls).toBe(1);
    await second.close();
  });
});

describe('tokens stay in the background', () => {
  it('keeps the access token in storage.session only: never in storage.local or in any answer', async () => {
    const stores = await options.evaluate(async () => {
      const api = (globalThis as unknown as { chrome: { storage: Record<'local' | 'session', { get(k: null): Promise<unknown> }> } }).chrome;
      return { local: JSON.stringify(await api.storage.local.get(null)), session: JSON.stringify(await api.storage.session.get(null)) };
    });
    const jwts = stores.session.match(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g) ?? [];
    expect(jwts.length).toBeGreaterThan(0); // the check below means something
    for (const token of jwts) {
      expect(stores.local).not.toContain(token);
      expect(JSON.stringify(answers)).not.toContain(token);
    }
    expect(stores.local).not.toMatch(/eyJ[\w-]+\.[\w-]+\.|refresh_?token|access_?token/i);
  });
});

describe('the 24-hour sign-in ends', () => {
  it('asks to sign in again in plain words, and never opens a sign-in window by itself', async () => {
    cloud.login.advanceClock(25 * 3600 * 1000);
    cloud.login.expireAllAccessTokens();
    const authorizeBefore = cloud.requests.filter((r) => r.path.includes('/oauth2/v2.0/authorize')).length;
    const pagesBefore = browser.context.pages().length;
    expect(await send<SyncResult>('syncNow')).toMatchObject({ ok: false, error: { kind: 'sign-in-required' } });
    expect((await send<Status>('getStatus')).auth.state).toBe('sign-in-required');
    await expect.poll(() => options.getByRole('alert').filter({ hasText: 'Sign in again' }).count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await options.getByRole('button', { name: 'Sign in' }).isEnabled()).toBe(true);
    expect(cloud.requests.filter((r) => r.path.includes('/oauth2/v2.0/authorize')).length).toBe(authorizeBefore);
    expect(browser.context.pages().length).toBe(pagesBefore);
    // The cache stays readable for the badges until the partner signs in again.
    const summaries = await send<Record<string, unknown>>('getSummaries', { tenantIds: allTenants() });
    expect(Object.keys(summaries)).toHaveLength(allTenants().length);
  });
});
