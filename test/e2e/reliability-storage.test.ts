/**
 * Reliability, storage, in real Chromium with the production build: the cache's IndexedDB
 * database deleted under the running extension (from one of its own pages, as a browser's
 * "clear site data" or a profile cleaner would).
 *
 * Already covered elsewhere: upgrades from every earlier schema version with data in it
 * and quota exceeded (Node-level, test/unit/store-migrations.test.ts and test/reliability);
 * a cold cache with the worker asleep (reliability-lifecycle.test.ts).
 *
 * Here: the background lets the delete through and keeps answering; the popup shows the
 * signed-in, not-yet-synced state and empty lists; a Partner Center page asks for a sync
 * instead of showing badges; the next sync restores everything, and the open page gets
 * its badges back without a reload. No console error anywhere.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type FakeCloud } from '../fake-cloud/server';
import { tried } from '../reliability/tally';
import { launchExtension, type ExtensionBrowser } from './harness';
import { sendFrom, signInAndSync } from './session';
import { DB_NAME } from '../../utils/store/db';

const PC_LIST = 'https://partner.microsoft.com/dashboard/v2/customers/list?pageSize=50';

let cloud: FakeCloud;
let browser: ExtensionBrowser;
let options: Page;

interface Status {
  auth: { state: string };
  sync: { lastSuccess: string | null; lastError: unknown; counts: { relationships: number; customers: number } | null };
}
const allTenants = () => cloud.world.customers.map((c) => c.tenantId);

beforeAll(async () => {
  cloud = await startFakeCloud({ customers: 40, seed: 101 });
  browser = await launchExtension({ cloud });
  options = await signInAndSync(browser, cloud);
});

afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
});

describe('the database deleted under the running extension', () => {
  it('degrades to "not synced yet" without a crash, and the next sync restores everything', async () => {
    const portal = await browser.newPage();
    await portal.goto(PC_LIST);
    await expect.poll(() => portal.locator('[data-gdap-badge]').count(), { timeout: 15_000 }).toBe(cloud.world.customers.length);
    const before = await sendFrom(options, 'getSummaries', { tenantIds: allTenants() });
    const statusBefore = await sendFrom<Status>(options, 'getStatus');
    // The worker has the database open: it must let the delete through (versionchange), not block it.
    expect(await sendFrom(options, 'getExpiring', { days: 30 })).not.toEqual([]);

    const outcome = await options.evaluate(
      (name) =>
        new Promise<string>((resolve) => {
          let blocked = false;
          const r = indexedDB.deleteDatabase(name);
          r.onblocked = () => (blocked = true);
          r.onsuccess = () => resolve(blocked ? 'deleted after being blocked' : 'deleted');
          r.onerror = () => resolve(`error: ${String(r.error)}`);
          setTimeout(() => resolve('still pending after 10 s'), 10_000);
        }),
      DB_NAME,
    );
    tried('storage', 'IndexedDB database deleted under the running extension');
    expect(outcome).toMatch(/^deleted/);

    // The background answers from an empty cache: signed in, never synced, nothing cached.
    const status = await sendFrom<Status>(options, 'getStatus');
    expect(status.auth.state).toBe('signed-in');
    expect(status.sync.lastSuccess).toBeNull();
    expect(status.sync.counts).toBeNull();
    const empty = await sendFrom<Record<string, { total: number }>>(options, 'getSummaries', { tenantIds: allTenants() });
    expect(Object.values(empty).every((s) => s.total === 0)).toBe(true);
    expect(await sendFrom(options, 'getExpiring', { days: 30 })).toEqual([]);

    // The popup: signed in, not synced yet, empty lists, no error.
    const popup = await browser.newPage();
    await popup.goto(browser.extensionUrl('popup.html'));
    await expect.poll(() => popup.getByTestId('last-sync').textContent(), { timeout: 10_000 }).toBe('Not synced yet.');
    expect(await popup.getByText(/^Signed in as /).count()).toBe(1);
    expect(await popup.getByRole('alert').count()).toBe(0);
    await popup.getByRole('tab', { name: /Expiring/ }).click();
    await expect.poll(() => popup.locator('section.group[data-reason]').count(), { timeout: 10_000 }).toBe(3);
    expect(await popup.locator('li[data-relationship-id]').count()).toBe(0);

    // A Partner Center page opened now asks for a sync instead of showing badges.
    const fresh = await browser.newPage();
    await fresh.goto(PC_LIST);
    await expect.poll(() => fresh.locator('[data-gdap-prompt]').count(), { timeout: 15_000 }).toBe(1);
    expect(await fresh.locator('[data-gdap-badge][data-tenant-id]').count()).toBe(0);
    // Still signed in: it says a sync is missing, not that the partner must sign in.
    await expect.poll(() => fresh.locator('[data-gdap-prompt]').getByRole('status').textContent()).toContain('nothing is synced yet');
    expect(await fresh.locator('[data-gdap-prompt]').getByRole('button', { name: 'Open GDAP Lens' }).count()).toBe(1);

    // The next sync restores everything; the open page gets its badges without a reload.
    await popup.bringToFront();
    await popup.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => popup.getByTestId('last-sync').textContent(), { timeout: 30_000 }).toMatch(/^Last sync: /);
    expect(await sendFrom(options, 'getSummaries', { tenantIds: allTenants() })).toEqual(before);
    const restored = await sendFrom<Status>(options, 'getStatus');
    expect(restored.sync.counts).toEqual(statusBefore.sync.counts);
    expect(restored.sync.lastError).toBeNull();
    await expect.poll(() => fresh.locator('[data-gdap-badge][data-tenant-id]').count(), { timeout: 15_000 }).toBe(cloud.world.customers.length);
    expect(await fresh.locator('[data-gdap-prompt]').count()).toBe(0);
    await expect.poll(() => portal.locator('[data-gdap-badge]').count(), { timeout: 10_000 }).toBe(cloud.world.customers.length);

    expect(browser.consoleErrors).toEqual([]);
    await Promise.all([portal.close(), popup.close(), fresh.close()]);
  });
});
