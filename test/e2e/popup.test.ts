/**
 * Issue 6's acceptance, as a new user would: sign in, create an invitation for a cached
 * customer with the "Support tickets" preset, see the link, copy it; bad input is refused
 * before any request; bulk auto-extend reports every outcome, including a 412.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type FakeCloud } from '../fake-cloud/server';
import { launchExtension, type ExtensionBrowser } from './harness';
import { signInAndSync } from './session';

const SERVICE_SUPPORT_ADMINISTRATOR = 'f023fd81-a637-4b56-95fd-791ac0226033';
const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
const RELATIONSHIPS = '/v1.0/tenantRelationships/delegatedAdminRelationships';

let cloud: FakeCloud;
let browser: ExtensionBrowser;
let popup: Page;

/** Reads the browser's clipboard from a normal https page, which can be granted the permission. */
async function readClipboard(): Promise<string> {
  const reader = await browser.newPage();
  try {
    await reader.goto('https://partner.microsoft.com/dashboard/home');
    await reader.bringToFront();
    return await reader.evaluate(() => navigator.clipboard.readText());
  } finally {
    await reader.close();
    await popup.bringToFront();
  }
}

const writes = () => cloud.requests.filter((r) => r.host === 'graph.microsoft.com' && r.method !== 'GET' && r.method !== 'OPTIONS');

beforeAll(async () => {
  cloud = await startFakeCloud({ customers: 200, seed: 41 });
  browser = await launchExtension({ cloud });
  await signInAndSync(browser, cloud);
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: 'https://partner.microsoft.com' });
  popup = await browser.newPage();
  await popup.setViewportSize({ width: 420, height: 900 });
  await popup.goto(browser.extensionUrl('popup.html'));
});

afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
});

describe('create a GDAP invitation link', () => {
  it('refuses an invalid name, 731 days and Global Administrator with auto-extend before any request', async () => {
    const before = writes().length;
    const create = popup.getByRole('button', { name: 'Create invitation' });
    await popup.getByRole('button', { name: 'Support tickets' }).click();

    await popup.getByLabel('Relationship name').fill('x'.repeat(51));
    await expect.poll(() => create.isDisabled()).toBe(true);
    await popup.getByLabel('Relationship name').fill('E2E_Refusals');

    await popup.getByLabel('Duration (days)').fill('731');
    await expect.poll(() => create.isDisabled()).toBe(true);
    await popup.getByLabel('Duration (days)').fill('730');

    await popup.getByLabel('Find a role').fill('Global Administrator');
    await popup.getByTestId('role-list').locator(`input[value="${GLOBAL_ADMINISTRATOR}"]`).check();
    const auto = popup.getByLabel('Auto-extend', { exact: true });
    await expect.poll(() => auto.isChecked()).toBe(false); // switched off and explained (R6)
    await auto.check({ force: true }).catch(() => undefined);
    const refusedOrOff = (await auto.isChecked()) === false || (await create.isDisabled());
    expect(refusedOrOff).toBe(true);
    await create.click({ force: true }).catch(() => undefined);

    expect(writes().length).toBe(before);
    // Back to the preset for the real invitation.
    await popup.getByRole('button', { name: 'Support tickets' }).click();
    await expect.poll(() => auto.isDisabled()).toBe(false);
    if (!(await auto.isChecked())) await auto.check();
  });

  it('creates it for a cached customer with the Support tickets preset: POST, then lockForApproval, then the link', async () => {
    const customer = cloud.world.customers.find((c) => c.scenario === 'active-auto-extend' && /^[A-Za-z]/.test(c.displayName))!;
    await popup.getByLabel('Customer', { exact: true }).fill(customer.displayName.slice(0, 12));
    await popup.getByRole('option', { name: new RegExp(customer.displayName.slice(0, 12).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).first().click();
    await popup.getByLabel('Relationship name').fill('E2E_Support');
    await popup.getByRole('button', { name: 'Support tickets' }).click();
    await expect.poll(() => popup.getByLabel('Auto-extend', { exact: true }).isChecked()).toBe(true);
    const create = popup.getByRole('button', { name: 'Create invitation' });
    await expect.poll(() => create.isEnabled(), { timeout: 10_000 }).toBe(true);
    const before = cloud.requests.length;
    await create.click();

    const link = popup.getByTestId('invitation-url');
    await expect.poll(() => link.count(), { timeout: 15_000 }).toBe(1);
    const created = cloud.world.relationships.find((r) => r.displayName === 'E2E_Support')!;
    expect(created).toBeDefined();
    expect(created.duration).toMatch(/^P730D$|^P2Y$/);
    expect(created.accessDetails.unifiedRoles.map((r) => r.roleDefinitionId)).toEqual([SERVICE_SUPPORT_ADMINISTRATOR]);
    expect(created.autoExtendDuration).toBe('P180D');
    expect(created.customer?.tenantId).toBe(customer.tenantId);
    expect(created.status).toBe('approvalPending');

    const sent = cloud.requests.slice(before).filter((r) => r.host === 'graph.microsoft.com' && r.method === 'POST');
    expect(sent.map((r) => r.path.split('?')[0])).toEqual([RELATIONSHIPS, `${RELATIONSHIPS}/${created.id}/requests`]);

    const url = `https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/${created.id}`;
    expect((await link.textContent())?.trim()).toBe(url);
    // Extension pages are opaque origins to the test driver, which cannot grant them a
    // clipboard read; a normal https page reads what the popup copied.
    await popup.bringToFront();
    await popup.getByRole('button', { name: 'Copy link' }).click();
    await expect.poll(() => readClipboard(), { timeout: 10_000 }).toBe(url);
    expect(await popup.getByRole('button', { name: 'Draft e-mail' }).count()).toBe(1);
  });
});

describe('expiring soon', () => {
  it('enables auto-extend on many at once and reports every outcome, including a 412', async () => {
    await popup.goto(browser.extensionUrl('popup.html'));
    await popup.getByRole('tab', { name: /Expiring/ }).click();
    const rows = popup.locator('li[data-relationship-id]');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const selectable = popup.locator('li[data-relationship-id] input[type="checkbox"]:not([disabled])');
    const n = await selectable.count();
    expect(n).toBeGreaterThanOrEqual(30);

    // Make one of them stale: the relationship changed in Graph behind the cache's back.
    const staleId = await popup.locator('li[data-relationship-id]:has(input[type="checkbox"]:not([disabled]))').first().getAttribute('data-relationship-id');
    const stale = cloud.world.relationships.find((r) => r.id === staleId)!;
    stale.etag = `${stale.etag}-changed`;

    await popup.getByLabel(/Select all/).check();
    const patchesBefore = writes().filter((r) => r.method === 'PATCH').length;
    await popup.getByRole('button', { name: 'Enable auto-extend' }).first().click();
    const outcomes = popup.locator('li[data-relationship-id] [data-outcome]');
    await expect.poll(() => outcomes.count(), { timeout: 30_000 }).toBe(n);
    const failed = await popup.locator('li[data-relationship-id]:has([data-outcome="error"])').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-relationship-id')));
    expect(failed).toEqual([staleId]);
    expect(writes().filter((r) => r.method === 'PATCH').length - patchesBefore).toBe(n);
    expect(writes().some((r) => r.method === 'PATCH' && r.status === 412)).toBe(true);
  });
});

describe('status and no console errors', () => {
  it('the popup shows the signed-in partner and nothing reached the console', async () => {
    await popup.goto(browser.extensionUrl('popup.html'));
    await expect.poll(() => popup.getByText(/^Signed in as /).count(), { timeout: 10_000 }).toBe(1);
    expect(await popup.getByRole('button', { name: 'Sync now' }).count()).toBe(1);
    const fromPopup = browser.consoleErrors.filter((e) => e.pageUrl.includes('/popup.html') && e.type !== 'warning');
    expect(fromPopup).toEqual([]);
  });
});

