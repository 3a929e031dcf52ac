/**
 * Issue 5's acceptance: on the fake Microsoft 365 admin center, on both of its hosts, the
 * customer sees what each partner can do: badges and a summary matching the partners on
 * the page, an approval panel listing the requested roles by risk; hostile partner names
 * stay text; a page of unknown layout gets nothing and no console error. No sign-in.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type FakeCloud } from '../fake-cloud/server';
import { findInvitationRelationship } from '../fake-cloud/data';
import type { AdminCenterPartner } from '../fake-cloud/model';
import { launchExtension, type ExtensionBrowser } from './harness';

const HOSTS = ['https://admin.microsoft.com', 'https://admin.cloud.microsoft'];
let cloud: FakeCloud;
let browser: ExtensionBrowser;
let page: Page;

/** The rule, written out plainly (D7: DAP is Global Administrator with no end date). */
const PRIVILEGED = new Set([
  'Global Administrator',
  'Privileged Role Administrator',
  'Privileged Authentication Administrator',
  'Security Administrator',
  'Exchange Administrator',
  'User Administrator',
]);
const READ_ONLY_OR_SUPPORT = new Set(['Global Reader', 'Directory Readers', 'Service Support Administrator', 'Security Reader', 'Reports Reader']);

function expectedRisk(p: AdminCenterPartner): 'high' | 'medium' | 'low' | 'none' {
  if (p.relationshipTypes.includes('Delegated admin (DAP)')) return 'high';
  if (p.roles.some((r) => PRIVILEGED.has(r))) return 'high';
  if (p.roles.length === 0) return 'none';
  if (p.roles.every((r) => READ_ONLY_OR_SUPPORT.has(r))) return 'low';
  return 'medium';
}

async function partnerBadges() {
  return page.locator('[data-gdap-badge][data-partner-name]').evaluateAll((hosts) =>
    hosts.map((h) => ({
      name: h.getAttribute('data-partner-name'),
      risk: h.getAttribute('data-risk'),
      text: (h.shadowRoot?.textContent ?? '').replace(/\s+/g, ' '),
      label: h.shadowRoot?.querySelector('button')?.getAttribute('aria-label') ?? null,
    })),
  );
}

beforeAll(async () => {
  cloud = await startFakeCloud({ customers: 40, seed: 31 });
  browser = await launchExtension({ cloud });
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
});

describe.each(HOSTS)('Partner relationships on %s', (origin) => {
  it('badges every partner with its risk, in plain words', async () => {
    const partners = cloud.world.adminCenter.partners;
    await page.goto(`${origin}/AdminPortal/Home#/partners`);
    await expect.poll(async () => (await partnerBadges()).length, { timeout: 15_000 }).toBe(partners.length);
    const seen = await partnerBadges();
    for (const p of partners) {
      const mine = seen.filter((b) => b.name === p.displayName);
      expect(mine, p.displayName).toHaveLength(1);
      expect(mine[0]!.risk, `risk of ${p.displayName}`).toBe(expectedRisk(p));
      expect(mine[0]!.label ?? '', `aria-label of ${p.displayName}`).toMatch(/\S+ \S+ \S+/);
      if (p.relationshipTypes.includes('Delegated admin (DAP)')) expect(mine[0]!.text).toMatch(/Global Administrator/);
    }
  });

  it('sums up above the list: admin access, DAP, Global Administrator', async () => {
    const partners = cloud.world.adminCenter.partners;
    const admin = partners.filter((p) => p.roles.length > 0 || p.relationshipTypes.includes('Delegated admin (DAP)')).length;
    const dap = partners.filter((p) => p.relationshipTypes.includes('Delegated admin (DAP)')).length;
    const ga = partners.filter((p) => p.roles.includes('Global Administrator') || p.relationshipTypes.includes('Delegated admin (DAP)')).length;
    const summary = page.locator('[data-gdap-summary]');
    await expect.poll(() => summary.count(), { timeout: 10_000 }).toBe(1);
    const text = (await summary.evaluate((h) => h.shadowRoot?.textContent ?? '')).replace(/\s+/g, ' ');
    expect(text).toContain(String(admin));
    expect(text).toContain(String(dap));
    expect(text).toContain(String(ga));
  });

  it('says how to remove DAP and what removal leaves in place (D5, D9)', async () => {
    const dap = cloud.world.adminCenter.partners.find((p) => p.relationshipTypes.includes('Delegated admin (DAP)'))!;
    expect(dap.displayName).toMatch(/^[\w .&-]+$/); // safe inside a CSS attribute selector
    const target = page.locator(`[data-gdap-badge][data-partner-name="${dap.displayName}"]`);
    expect(await target.count()).toBe(1);
    const button = target.locator('button').first();
    await button.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => button.getAttribute('aria-expanded')).toBe('true');
    const details = (await target.evaluate((h) => h.shadowRoot?.textContent ?? '')).replace(/\s+/g, ' ');
    expect(details).toMatch(/Remove delegated admin/);
    expect(details).toMatch(/Azure/);
    await page.keyboard.press('Escape');
    await expect.poll(() => button.getAttribute('aria-expanded')).toBe('false');
  });

  it('keeps hostile partner names as text', async () => {
    const hostile = cloud.world.adminCenter.partners.find((p) => p.displayName.includes('<'))!;
    expect((await partnerBadges()).some((b) => b.name === hostile.displayName)).toBe(true);
    expect(await page.locator('[data-gdap-badge] img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  });

  it('analyses a GDAP invitation on the approval page: roles by risk, duration, auto-extend', async () => {
    const inv = findInvitationRelationship(cloud.world)!;
    await page.goto(`${origin}/AdminPortal/Home#/partners/invitation/granularAdminRelationships/${inv.id}`);
    const panel = page.locator('[data-gdap-approval]');
    await expect.poll(() => panel.count(), { timeout: 15_000 }).toBe(1);
    const text = (await panel.evaluate((h) => h.shadowRoot?.textContent ?? '')).replace(/\s+/g, ' ');
    const days = /^P(\d+)D$/.exec(inv.duration)?.[1];
    if (days) expect(text).toContain(days);
    const includesGa = inv.accessDetails.unifiedRoles.some((r) => r.roleDefinitionId === '62e90394-69f5-4237-9190-012177145e10');
    if (includesGa) {
      expect(text).toMatch(/Global Administrator/);
      expect(text.indexOf('Global Administrator')).toBeLessThan(text.search(/Global Reader|Directory Readers|Service Support/) === -1 ? Infinity : text.search(/Global Reader|Directory Readers|Service Support/));
    }
    // Roles appear most risky first: no low-risk chip before a high-risk one.
    const risks = await panel.evaluate((h) => Array.from(h.shadowRoot?.querySelectorAll('ul [data-risk]') ?? []).map((e) => e.getAttribute('data-risk')));
    expect(risks.length).toBe(inv.accessDetails.unifiedRoles.length);
    const order = { high: 0, medium: 1, low: 2 } as Record<string, number>;
    for (let i = 1; i < risks.length; i++) expect(order[risks[i]!]!).toBeGreaterThanOrEqual(order[risks[i - 1]!]!);
  });

  it('adds nothing to a page of unknown layout, or to other admin pages', async () => {
    await page.goto(`${origin}/AdminPortal/Home?layout=unknown#/partners`);
    await page.waitForTimeout(1500);
    expect(await page.locator('[data-gdap-badge], [data-gdap-approval]').count()).toBe(0);
    await page.goto(`${origin}/AdminPortal/Home#/homepage`);
    await page.waitForTimeout(800);
    expect(await page.locator('[data-gdap-badge], [data-gdap-approval]').count()).toBe(0);
  });
});

describe('console', () => {
  it('nothing GDAP Lens did reached the admin center console', () => {
    const fromPortal = browser.consoleErrors.filter((e) => HOSTS.some((h) => e.pageUrl.startsWith(h)));
    expect(fromPortal).toEqual([]);
  });
});
