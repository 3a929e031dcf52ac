/**
 * Reliability, worker life cycle, in real Chromium with the production build.
 *
 * Already covered elsewhere (not repeated here): the worker stopped in the middle of a
 * sync, and two extension pages asking for a sync at once (background.test.ts).
 *
 * Here: the worker stopped in the middle of a WRITE (the popup's auto-extend, held open by
 * the fake Graph, which then applies it: the answer is lost, the change is not); the popup
 * open while a sync runs; two Partner Center tabs opened at once on a cold cache while the
 * worker is asleep.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdGate } from '../fake-cloud/faults';
import { startFakeCloud, type FakeCloud } from '../fake-cloud/server';
import type { FakeRelationship } from '../fake-cloud/model';
import { tried } from '../reliability/tally';
import { launchExtension, stopServiceWorkers, type ExtensionBrowser } from './harness';
import { sendFrom, signInAndSync } from './session';
import { DB_NAME } from '../../utils/store/db';

const PC = 'https://partner.microsoft.com';
const RELATIONSHIPS = '/v1.0/tenantRelationships/delegatedAdminRelationships';
const RELATIONSHIPS_LIST = /^\/v1\.0\/tenantRelationships\/delegatedAdminRelationships(\?|$)/;

let cloud: FakeCloud;
let browser: ExtensionBrowser;
let options: Page;

interface Status {
  auth: { state: string };
  sync: { running: boolean; lastSuccess: string | null; lastError: { kind: string } | null; counts: { relationships: number } | null };
}
interface View {
  relationship: { id: string; autoExtendDuration: string; etag: string | null };
  state: { autoExtend: string };
}

const listCalls = () => cloud.requests.filter((r) => r.host === 'graph.microsoft.com' && r.method === 'GET' && RELATIONSHIPS_LIST.test(r.path)).length;
const patches = () => cloud.requests.filter((r) => r.host === 'graph.microsoft.com' && r.method === 'PATCH');
const graphRel = (id: string) => cloud.world.relationships.find((r) => r.id === id)!;
const allTenants = () => cloud.world.customers.map((c) => c.tenantId);

/** The Expiring tab of a fresh popup, with the ids of the rows whose auto-extend can be switched on. */
async function openExpiring(): Promise<{ popup: Page; eligible: string[] }> {
  const popup = await browser.newPage();
  await popup.setViewportSize({ width: 420, height: 900 });
  await popup.goto(browser.extensionUrl('popup.html'));
  await popup.getByRole('tab', { name: /Expiring/ }).click();
  const rows = popup.locator('li[data-relationship-id]:has(input[type="checkbox"]:not([disabled]))');
  await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(0);
  const eligible = (await rows.evaluateAll((ls) => ls.map((l) => l.getAttribute('data-relationship-id')))) as string[];
  return { popup, eligible };
}

beforeAll(async () => {
  cloud = await startFakeCloud({ customers: 60, seed: 51 });
  browser = await launchExtension({ cloud });
  options = await signInAndSync(browser, cloud);
});

afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
});

describe('the service worker stopped during a write', () => {
  it('shows no false success, keeps the cache whole, and the next sync shows what Graph did', async () => {
    const { popup, eligible } = await openExpiring();
    const id = eligible[0]!;
    expect(graphRel(id).autoExtendDuration).toBe('PT0S');
    const before = await sendFrom<View>(options, 'getRelationship', { id });
    const summariesBefore = await sendFrom(options, 'getSummaries', { tenantIds: allTenants() });
    expect(before.state.autoExtend).toBe('off');

    const gate = holdGate();
    const hold = cloud.faults.add({ match: { host: 'graph.microsoft.com', method: 'PATCH', path: `${RELATIONSHIPS}/${id}` }, fault: { kind: 'hold', gate: gate.gate }, times: 1 });
    await popup.locator(`li[data-relationship-id="${id}"] input[type="checkbox"]`).check();
    await popup.getByRole('button', { name: 'Enable auto-extend' }).first().click();
    await expect.poll(() => hold.fired, { timeout: 10_000 }).toBe(1); // the PATCH is at Graph, unanswered

    await stopServiceWorkers(browser, options);
    tried('worker-lifecycle', 'service worker stopped during an auto-extend PATCH');
    // The popup lost its answer with the worker: it says the action did not work, never that it did.
    const outcome = popup.locator(`li[data-relationship-id="${id}"] [data-outcome]`);
    await expect.poll(() => outcome.getAttribute('data-outcome'), { timeout: 15_000 }).toBe('error');
    expect(await outcome.textContent()).toBe('That did not work. Try again later.');
    expect(await popup.getByTestId('bulk-summary').textContent()).toBe('Auto-extend switched on for 0 of 1.');
    expect(await popup.getByText('Auto-extend is on.').count()).toBe(0);

    // Graph applies the write after all (its answer went nowhere).
    gate.release();
    await expect.poll(() => graphRel(id).autoExtendDuration, { timeout: 10_000 }).toBe('P180D');
    cloud.faults.remove(hold);

    // The worker starts again on the next message: the cache is what it was, whole.
    expect(await sendFrom(options, 'getSummaries', { tenantIds: allTenants() })).toEqual(summariesBefore);
    expect(await sendFrom<View>(options, 'getRelationship', { id })).toEqual(before);
    expect((await sendFrom<Status>(options, 'getStatus')).auth.state).toBe('signed-in');

    // The next sync brings the cache to what Graph did.
    expect(await sendFrom(options, 'syncNow')).toMatchObject({ ok: true });
    const after = await sendFrom<View>(options, 'getRelationship', { id });
    expect(after.relationship.autoExtendDuration).toBe('P180D');
    expect(after.state.autoExtend).toBe('on');
    expect(after.relationship.etag).toContain(graphRel(id).etag);
    const status = await sendFrom<Status>(options, 'getStatus');
    expect(status.sync.counts?.relationships).toBe(cloud.world.relationships.length);
    expect(patches().filter((p) => p.path.startsWith(`${RELATIONSHIPS}/${id}`))).toHaveLength(1); // never re-sent on its own
    await popup.close();
  });
});

describe('the popup open during a sync', () => {
  it('shows the sync running, then the new data, without a reopen and without an error', async () => {
    const popup = await browser.newPage();
    await popup.goto(browser.extensionUrl('popup.html'));
    const lastSync = popup.getByTestId('last-sync');
    await expect.poll(() => lastSync.textContent(), { timeout: 10_000 }).toMatch(/^Last sync: /);
    await popup.evaluate(() => ((window as unknown as { __samePopup: boolean }).__samePopup = true));

    // Graph gains a relationship; the sync that finds it is slow.
    const template = cloud.world.relationships.find((r) => r.status === 'active')!;
    const added: FakeRelationship = { ...structuredClone(template), id: `${crypto.randomUUID()}-${crypto.randomUUID()}`, displayName: 'E2E_Added_During_Sync' };
    cloud.world.relationships.push(added);
    const total = cloud.world.relationships.length;
    const slow = cloud.faults.add({ match: { host: 'graph.microsoft.com', path: RELATIONSHIPS_LIST }, fault: { kind: 'latency', ms: 2500 }, times: 1 });
    const sync = sendFrom(options, 'syncNow');
    tried('worker-lifecycle', 'popup open during a sync');

    await expect.poll(() => lastSync.textContent(), { timeout: 5_000 }).toBe('Syncing…');
    expect(await popup.getByRole('button', { name: 'Sync now' }).isDisabled()).toBe(true);
    expect(await sync).toMatchObject({ ok: true });
    expect(slow.fired).toBe(1);
    await expect.poll(() => lastSync.textContent(), { timeout: 10_000 }).toMatch(/^Last sync: /);
    await expect.poll(() => popup.getByText(`${total} relationships,`, { exact: false }).count(), { timeout: 10_000 }).toBe(1);
    expect(await popup.getByRole('button', { name: 'Sync now' }).isEnabled()).toBe(true);
    expect(await popup.getByRole('alert').count()).toBe(0);
    expect(await popup.evaluate(() => (window as unknown as { __samePopup?: boolean }).__samePopup)).toBe(true);
    expect(browser.consoleErrors.filter((e) => e.pageUrl.includes('/popup.html'))).toEqual([]);
    await popup.close();
  });
});

describe('two Partner Center tabs at once, on a cold cache, with the worker asleep', () => {
  it('both get their badges from one sync', async () => {
    // Cold cache: the database is gone while the worker sleeps (still signed in).
    await stopServiceWorkers(browser, options);
    await options.evaluate(
      (name) =>
        new Promise<void>((resolve, reject) => {
          const r = indexedDB.deleteDatabase(name);
          r.onsuccess = () => resolve();
          r.onerror = () => reject(r.error);
          r.onblocked = () => reject(new Error('blocked'));
        }),
      DB_NAME,
    );
    const callsBefore = listCalls();
    const [a, b] = await Promise.all([browser.newPage(), browser.newPage()]);
    await Promise.all([a.goto(`${PC}/dashboard/v2/customers/list?pageSize=50`), b.goto(`${PC}/dashboard/commerce2/customers/list?pageSize=50`)]);
    tried('worker-lifecycle', 'two Partner Center tabs opened at once on a cold cache, worker asleep');

    const badgeCount = (p: Page) => p.locator('[data-gdap-badge]').count();
    const rowCount = (p: Page) => p.locator('[role="row"][id^="row-"]').count();
    await expect.poll(() => rowCount(a), { timeout: 15_000 }).toBe(50);
    await expect.poll(() => rowCount(b), { timeout: 15_000 }).toBe(50);
    await expect.poll(() => badgeCount(a), { timeout: 30_000 }).toBe(50);
    await expect.poll(() => badgeCount(b), { timeout: 30_000 }).toBe(50);
    expect(await a.locator('[data-gdap-prompt]').count()).toBe(0);
    expect(await b.locator('[data-gdap-prompt]').count()).toBe(0);
    expect(listCalls() - callsBefore).toBe(1);
    const status = await sendFrom<Status>(options, 'getStatus');
    expect(status.sync.counts?.relationships).toBe(cloud.world.relationships.length);
    expect(browser.consoleErrors.filter((e) => e.pageUrl.startsWith(PC))).toEqual([]);
    await Promise.all([a.close(), b.close()]);
  });
});
