/**
 * Reliability, hostile input, in real Chromium with the production build: customer,
 * relationship and partner names that are markup with script (each would set a global flag
 * if it ran), a right-to-left override, 5,000 characters without a space, emoji ZWJ
 * sequences. Everywhere GDAP Lens shows them: as text (the literal string in textContent),
 * nothing executed (the flag unset, no element made from a name), layout intact.
 *
 * Already covered (not repeated): the older `alert(1)` names on the customer list and the
 * admin center partner page (partner-center-badges.test.ts, admin-center.test.ts), pages of
 * unknown layout on both portals (no badge, no console error, same files).
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NAME_5000, plantHostileNames, SCRIPT_PROBE_NAMES, SCRIPT_RAN_FLAG, type PlantedNames } from '../fake-cloud/data';
import { startFakeCloud, type FakeCloud } from '../fake-cloud/server';
import { tried } from '../reliability/tally';
import { launchExtension, type ExtensionBrowser } from './harness';
import { signInAndSync } from './session';

const PC = 'https://partner.microsoft.com';
let cloud: FakeCloud;
let browser: ExtensionBrowser;
let planted: PlantedNames;
let page: Page;

const scriptRan = (p: Page) => p.evaluate((flag) => (window as unknown as Record<string, unknown>)[flag] ?? null, SCRIPT_RAN_FLAG);

/** Elements a name could have turned into, inside every GDAP Lens shadow root of the page. */
const madeElements = (p: Page) =>
  p.locator('[data-gdap-badge], [data-gdap-summary], [data-gdap-approval]').evaluateAll(
    (hosts) => hosts.reduce((n, h) => n + (h.shadowRoot?.querySelectorAll('img, script, svg, iframe, object, embed').length ?? 0), 0),
  );

/** Every badge's box against its grid row's: inside it, and no taller than a pill. */
async function badgeLayout(p: Page): Promise<Array<{ tenantId: string | null; problem: string }>> {
  return p.locator('[data-gdap-badge]').evaluateAll((hosts) =>
    hosts.flatMap((h) => {
      let row: Element | null = h;
      while (row && row.getAttribute('role') !== 'row') row = row.parentElement ?? ((row.getRootNode() as ShadowRoot).host as Element | undefined) ?? null;
      if (!row) return [];
      const b = h.getBoundingClientRect();
      const r = row.getBoundingClientRect();
      const problems: string[] = [];
      if (b.width > r.width + 1) problems.push(`wider than its row (${b.width} > ${r.width})`);
      if (b.left < r.left - 1 || b.right > r.right + 1) problems.push(`outside its row horizontally (${b.left}–${b.right} vs ${r.left}–${r.right})`);
      if (b.top < r.top - 1 || b.bottom > r.bottom + 1) problems.push(`outside its row vertically (${b.top}–${b.bottom} vs ${r.top}–${r.bottom})`);
      if (b.height > 48) problems.push(`taller than a pill (${b.height})`);
      return problems.map((problem) => ({ tenantId: h.getAttribute('data-tenant-id'), problem }));
    }),
  );
}

/** No horizontal scroll in an extension page (the popup). */
const horizontalOverflow = (p: Page) => p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

beforeAll(async () => {
  cloud = await startFakeCloud({ customers: 60, seed: 71 });
  planted = plantHostileNames(cloud.world);
  expect(planted.customers).toHaveLength(SCRIPT_PROBE_NAMES.length);
  expect(NAME_5000).toHaveLength(5000);
  browser = await launchExtension({ cloud });
  await signInAndSync(browser, cloud);
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
});

describe('Partner Center', () => {
  it('customer list: every hostile customer has its badge, inside its row; nothing ran', async () => {
    await page.goto(`${PC}/dashboard/v2/customers/list?pageSize=100`);
    await expect.poll(() => page.locator('[data-gdap-badge]').count(), { timeout: 15_000 }).toBe(cloud.world.customers.length);
    for (const c of planted.customers) expect(await page.locator(`[data-gdap-badge][data-tenant-id="${c.tenantId}"]`).count(), c.displayName.slice(0, 40)).toBe(1);
    expect(await badgeLayout(page)).toEqual([]);
    expect(await madeElements(page)).toBe(0);
    expect(await scriptRan(page)).toBeNull();
    tried('hostile-input', 'Partner Center customer list with hostile customer names', planted.customers.length);
  });

  it("badge details show each hostile relationship name as text, within the window", async () => {
    for (const c of planted.customers) {
      const host = page.locator(`[data-gdap-badge][data-tenant-id="${c.tenantId}"]`);
      const button = host.locator('button').first();
      await button.click();
      await expect.poll(() => button.getAttribute('aria-expanded')).toBe('true');
      const dialog = host.locator('[role="dialog"]');
      await expect.poll(() => host.locator('a[href*="/adminrelationships/"]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
      const text = (await dialog.textContent()) ?? '';
      expect(text.includes(c.displayName), `details of ${c.displayName.slice(0, 40)} show the name as text`).toBe(true);
      const box = (await dialog.boundingBox())!;
      const viewport = page.viewportSize()!;
      expect(box.x, 'dialog left edge').toBeGreaterThanOrEqual(-1);
      expect(box.x + box.width, 'dialog right edge').toBeLessThanOrEqual(viewport.width + 1);
      expect(await madeElements(page)).toBe(0);
      await page.keyboard.press('Escape');
      await expect.poll(() => button.getAttribute('aria-expanded')).toBe('false');
    }
    expect(await scriptRan(page)).toBeNull();
    tried('hostile-input', 'Partner Center badge details with hostile relationship names', planted.customers.length);
  });

  it("a hostile customer's own page and a hostile relationship's page: header badges, nothing ran", async () => {
    for (const c of planted.customers) {
      await page.goto(`${PC}/dashboard/v2/customers/${c.tenantId}/adminrelationships`);
      const own = cloud.world.relationships.filter((r) => r.customer?.tenantId === c.tenantId);
      await expect.poll(() => page.locator('[data-gdap-badge]').count(), { timeout: 15_000 }).toBe(own.length + 1);
      expect(await badgeLayout(page)).toEqual([]);
      expect(await madeElements(page)).toBe(0);
      expect(await scriptRan(page)).toBeNull();
    }
    tried('hostile-input', "Partner Center customer pages with hostile names", planted.customers.length);
  });

  it('no console error came from any of it', () => {
    expect(browser.consoleErrors.filter((e) => e.pageUrl.startsWith(PC))).toEqual([]);
  });
});

describe('Microsoft 365 admin center', () => {
  it('partner page: hostile partner names badged as text; nothing ran', async () => {
    await page.goto('https://admin.microsoft.com/AdminPortal/Home#/partners');
    const partners = cloud.world.adminCenter.partners;
    await expect.poll(() => page.locator('[data-gdap-badge][data-partner-name]').count(), { timeout: 15_000 }).toBe(partners.length);
    const names = await page.locator('[data-gdap-badge][data-partner-name]').evaluateAll((hs) => hs.map((h) => h.getAttribute('data-partner-name')));
    for (const p of planted.partners) expect(names).toContain(p.displayName);
    // Open every badge's details: the names show there too.
    const hosts = page.locator('[data-gdap-badge][data-partner-name]');
    for (let i = 0; i < partners.length; i++) {
      const button = hosts.nth(i).locator('button').first();
      await button.click();
      await expect.poll(() => button.getAttribute('aria-expanded')).toBe('true');
      await page.keyboard.press('Escape');
    }
    expect(await madeElements(page)).toBe(0);
    expect(await scriptRan(page)).toBeNull();
    tried('hostile-input', 'admin center partner page with hostile partner names', planted.partners.length);
  });

  it('approval page: a hostile partner and relationship name; the panel shows, nothing ran', async () => {
    const inv = planted.relationships.at(-1)!;
    await page.goto(`https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/${inv.id}`);
    await expect.poll(() => page.locator('[data-gdap-approval]').count(), { timeout: 15_000 }).toBe(1);
    await page.waitForTimeout(500);
    expect(await madeElements(page)).toBe(0);
    expect(await scriptRan(page)).toBeNull();
    tried('hostile-input', 'admin center approval page with hostile partner and relationship names', 2);
  });

  it('no console error came from any of it', () => {
    expect(browser.consoleErrors.filter((e) => e.pageUrl.startsWith('https://admin.'))).toEqual([]);
  });
});

describe('the popup', () => {
  let popup: Page;
  const noMarkup = (where: Locator) => where.locator('img, script, svg, iframe, object, embed').count();

  beforeAll(async () => {
    popup = await browser.newPage();
    await popup.setViewportSize({ width: 400, height: 600 }); // Chromium's popup is at most 800×600
    await popup.goto(browser.extensionUrl('popup.html'));
    await popup.getByText(/^Last sync: /).waitFor({ timeout: 10_000 });
  });

  it('find: each hostile customer is a search result shown as text; no horizontal scroll', async () => {
    await popup.getByRole('tab', { name: 'Find' }).click();
    const box = popup.getByLabel('Name, domain or tenant ID');
    for (const c of planted.customers) {
      await box.fill(c.tenantId);
      const result = popup.locator(`li.customer[data-tenant-id="${c.tenantId}"] .name`);
      await expect.poll(() => result.count(), { timeout: 10_000 }).toBe(1);
      expect(await result.textContent()).toBe(c.displayName);
      expect(await noMarkup(popup.locator('main'))).toBe(0);
      expect(await horizontalOverflow(popup)).toBeLessThanOrEqual(0);
    }
    tried('hostile-input', 'popup search results with hostile customer names', planted.customers.length);
  });

  it('expiring: the hostile relationships and customers are listed as text; no horizontal scroll', async () => {
    await popup.getByRole('tab', { name: /Expiring/ }).click();
    for (const c of planted.customers) {
      const soon = Date.now() + 30 * 86_400_000;
      const rel = planted.relationships.find(
        (r) => r.customer?.tenantId === c.tenantId && r.status === 'active' && r.autoExtendDuration === 'PT0S' && Date.parse(r.endDateTime ?? '') <= soon,
      )!;
      const row = popup.locator(`li[data-relationship-id="${rel.id}"]`);
      await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
      expect(await row.locator('.name').textContent()).toBe(rel.displayName);
      expect((await row.textContent()) ?? '').toContain(c.displayName);
    }
    expect(await noMarkup(popup.locator('main'))).toBe(0);
    expect(await horizontalOverflow(popup)).toBeLessThanOrEqual(0);
    tried('hostile-input', 'popup expiring list with hostile relationship and customer names', planted.customers.length);
  });

  it("invitation: the customer picker offers the hostile names as text; no horizontal scroll", async () => {
    await popup.getByRole('tab', { name: 'Invite' }).click();
    const field = popup.getByLabel('Customer', { exact: true });
    for (const c of planted.customers) {
      await field.fill(c.tenantId);
      const option = popup.locator('[role="option"]:has(.name)');
      await expect.poll(() => option.count(), { timeout: 10_000 }).toBe(1);
      expect(await option.locator('.name').textContent()).toBe(c.displayName);
      expect(await noMarkup(popup.locator('main'))).toBe(0);
      expect(await horizontalOverflow(popup)).toBeLessThanOrEqual(0);
    }
    tried('hostile-input', 'popup customer picker with hostile customer names', planted.customers.length);
  });

  it('nothing ran and nothing reached the console', async () => {
    expect(await scriptRan(popup)).toBeNull();
    expect(browser.consoleErrors.filter((e) => e.pageUrl.includes('/popup.html'))).toEqual([]);
  });
});
