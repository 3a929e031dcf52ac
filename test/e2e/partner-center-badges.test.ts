/**
 * Issue 4's acceptance: every row of every Partner Center page variant gets the right
 * badge for the generated data, checked row by row against the generator — also after
 * client-side navigation and pagination; hostile names stay text; a page of unknown
 * layout gets no badge and no console error.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type FakeCloud } from '../fake-cloud/server';
import { launchExtension, type ExtensionBrowser } from './harness';
import { signInAndSync } from './session';
import { expectedCustomer, expectedRelationship } from './expected-badges';

const PC = 'https://partner.microsoft.com';
let cloud: FakeCloud;
let browser: ExtensionBrowser;
let page: Page;

interface SeenBadge {
  tenantId: string | null;
  relationshipId: string | null;
  state: string | null;
  daysLeft: string | null;
  text: string;
  label: string | null;
  /** The row (or header) id the badge sits in, through shadow roots. */
  rowId: string | null;
}

/** Every badge host on the page, through open shadow roots, with what it shows. */
async function badges(p: Page = page): Promise<SeenBadge[]> {
  return p.locator('[data-gdap-badge]').evaluateAll((hosts) =>
    hosts.map((h) => {
      let row: Element | null = h;
      while (row && !(row instanceof Element && row.getAttribute('role') === 'row')) {
        row = row.parentElement ?? ((row.getRootNode() as ShadowRoot).host as Element | undefined) ?? null;
      }
      const button = h.shadowRoot?.querySelector('button');
      return {
        tenantId: h.getAttribute('data-tenant-id'),
        relationshipId: h.getAttribute('data-relationship-id'),
        state: h.getAttribute('data-state'),
        daysLeft: h.getAttribute('data-days-left'),
        text: (h.shadowRoot?.textContent ?? '').replace(/\s+/g, ' '),
        label: button?.getAttribute('aria-label') ?? null,
        rowId: row?.id ?? null,
      };
    }),
  );
}

/** Row ids the grid shows (customer rows: row-{tenantId}; relationship rows: data-relationship-id). */
async function gridRows(p: Page = page): Promise<Array<{ id: string; relationshipId: string | null }>> {
  return p.locator('[role="row"][id^="row-"]').evaluateAll((rows) => rows.map((r) => ({ id: r.id, relationshipId: r.getAttribute('data-relationship-id') })));
}

async function waitForBadges(count: number, p: Page = page): Promise<SeenBadge[]> {
  await expect.poll(async () => (await badges(p)).length, { timeout: 15_000 }).toBe(count);
  return badges(p);
}

function checkCustomerBadge(b: SeenBadge | undefined, tenantId: string) {
  const expected = expectedCustomer(cloud.world, tenantId, Date.now());
  const name = cloud.world.customers.find((c) => c.tenantId === tenantId)?.displayName;
  expect(b, `badge for ${name}`).toBeDefined();
  expect(b!.state, `state of ${name}`).toBe(expected.state);
  if (expected.daysLeft === null) expect(b!.daysLeft, `days of ${name}`).toBeNull();
  else {
    expect(b!.daysLeft, `days of ${name}`).toBe(String(expected.daysLeft));
    expect(b!.text, `visible days of ${name}`).toContain(String(expected.daysLeft));
  }
  expect(b!.label ?? '', `aria-label of ${name}`).toMatch(/\S+ \S+/);
}

function checkRelationshipBadge(b: SeenBadge | undefined, relationshipId: string) {
  const rel = cloud.world.relationships.find((r) => r.id === relationshipId)!;
  const expected = expectedRelationship(cloud.world, rel, Date.now());
  expect(b, `badge for ${rel.displayName}`).toBeDefined();
  expect(b!.state, `state of ${rel.displayName} (${rel.status})`).toBe(expected.state);
  if (expected.daysLeft === null) expect(b!.daysLeft).toBeNull();
  else {
    expect(b!.daysLeft, `days of ${rel.displayName}`).toBe(String(expected.daysLeft));
    expect(b!.text).toContain(String(expected.daysLeft));
  }
}

beforeAll(async () => {
  cloud = await startFakeCloud({ customers: 40, seed: 21 });
  browser = await launchExtension({ cloud });
  await signInAndSync(browser, cloud);
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
});

describe('customer list', () => {
  const routes = ['/dashboard/commerce2/customers/list', '/en-us/dashboard/v2/customers/list', '/ko-kr/commerce/customers/list'];

  it.each(routes)('%s: one badge per customer row, right for the generated data', async (route) => {
    await page.goto(`${PC}${route}?pageSize=50`);
    const seen = await waitForBadges(cloud.world.customers.length);
    const rows = await gridRows();
    expect(rows).toHaveLength(cloud.world.customers.length);
    for (const row of rows) {
      const tenantId = row.id.slice('row-'.length);
      const mine = seen.filter((b) => b.rowId === row.id);
      expect(mine, `badges in ${row.id}`).toHaveLength(1);
      expect(mine[0]!.tenantId).toBe(tenantId);
      checkCustomerBadge(mine[0], tenantId);
    }
  });

  it('customers with several relationships get one summary badge (R25); customers without GDAP say so', async () => {
    await page.goto(`${PC}/dashboard/v2/customers/list?pageSize=50`);
    const seen = await waitForBadges(cloud.world.customers.length);
    const dapOnly = cloud.world.customers.filter((c) => c.scenario === 'dap-only');
    expect(dapOnly.length).toBeGreaterThan(0);
    for (const c of dapOnly) expect(seen.find((b) => b.tenantId === c.tenantId)?.state).toBe('none');
    const several = cloud.world.customers.find((c) => c.scenario === 'several-relationships')!;
    expect(seen.filter((b) => b.tenantId === several.tenantId)).toHaveLength(1);
  });

  it('follows pagination: page 2 rows get their badges, page 1 badges go with their rows', async () => {
    await page.goto(`${PC}/dashboard/v2/customers/list?pageSize=20`);
    const first = await waitForBadges(20);
    const firstIds = new Set(first.map((b) => b.tenantId));
    await page.locator('button[data-action="next"]').click();
    await expect.poll(async () => (await gridRows()).some((r) => !firstIds.has(r.id.slice(4))), { timeout: 10_000 }).toBe(true);
    const rows = await gridRows();
    const seen = await waitForBadges(rows.length);
    for (const row of rows) checkCustomerBadge(seen.find((b) => b.rowId === row.id), row.id.slice(4));
    expect(seen.some((b) => firstIds.has(b.tenantId))).toBe(false);
  });

  it('never badges a row twice, even as the grid re-renders', async () => {
    await page.goto(`${PC}/dashboard/v2/customers/list?pageSize=50`);
    await waitForBadges(cloud.world.customers.length);
    const search = page.locator('input[data-action="search"]');
    await search.fill('a');
    await search.fill('');
    await page.waitForTimeout(600);
    const seen = await badges();
    const perRow = new Map<string, number>();
    for (const b of seen) perRow.set(b.rowId ?? '', (perRow.get(b.rowId ?? '') ?? 0) + 1);
    expect([...perRow.values()].every((n) => n === 1)).toBe(true);
    expect(seen).toHaveLength((await gridRows()).length);
  });
});

describe('relationship lists', () => {
  it.each(['/dashboard/v2/customers/granularadminaccess/list', '/ko-kr/dashboard/commerce2/granularadminaccess/list'])(
    '%s: one badge per relationship row',
    async (route) => {
      await page.goto(`${PC}${route}?pageSize=100`);
      const rows = await (async () => {
        await expect.poll(async () => (await gridRows()).length, { timeout: 15_000 }).toBe(cloud.world.relationships.length);
        return gridRows();
      })();
      const seen = await waitForBadges(rows.length);
      for (const row of rows) {
        const mine = seen.filter((b) => b.rowId === row.id);
        expect(mine, `badges in ${row.id}`).toHaveLength(1);
        expect(mine[0]!.relationshipId).toBe(row.relationshipId);
        checkRelationshipBadge(mine[0], row.relationshipId!);
      }
    },
  );

  it("a customer's admin relationships: a header badge and one badge per relationship", async () => {
    const several = cloud.world.customers.find((c) => c.scenario === 'several-relationships')!;
    const own = cloud.world.relationships.filter((r) => r.customer?.tenantId === several.tenantId);
    await page.goto(`${PC}/dashboard/v2/customers/${several.tenantId}/adminrelationships`);
    const seen = await waitForBadges(own.length + 1);
    const header = seen.filter((b) => b.tenantId === several.tenantId);
    expect(header).toHaveLength(1);
    checkCustomerBadge(header[0], several.tenantId);
    for (const r of own) checkRelationshipBadge(seen.find((b) => b.relationshipId === r.id), r.id);
  });

  it('a relationship page: one header badge', async () => {
    const rel = cloud.world.relationships.find((r) => r.status === 'active' && r.customer?.tenantId)!;
    await page.goto(`${PC}/dashboard/commerce2/customers/${rel.customer!.tenantId}/adminrelationships/${rel.id}`);
    const seen = await waitForBadges(1);
    expect(seen[0]!.relationshipId).toBe(rel.id);
    checkRelationshipBadge(seen[0], rel.id);
  });
});

describe('client-side navigation', () => {
  it('badges each page the portal navigates to without a reload', async () => {
    await page.goto(`${PC}/dashboard/v2/customers/list?pageSize=50`);
    await waitForBadges(cloud.world.customers.length);
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

    // A customer's name link lives in a link button's own shadow root.
    const target = cloud.world.customers.find((c) => c.scenario === 'expiring-7d')!;
    await page.locator(`[id="row-${target.tenantId}"] customersvcadmin_he-button a`).click();
    await expect.poll(() => page.url()).toContain(`/customers/${target.tenantId}/`);
    const header = await waitForBadges(1);
    checkCustomerBadge(header[0], target.tenantId);

    await page.locator('pc-shell nav.side a[href*="granularadminaccess"]').click();
    await expect.poll(async () => (await gridRows()).length, { timeout: 15_000 }).toBeGreaterThan(0);
    const rows = await gridRows();
    const seen = await waitForBadges(rows.length);
    for (const row of rows) checkRelationshipBadge(seen.find((b) => b.rowId === row.id), row.relationshipId!);
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  });
});

describe('details and hostile data', () => {
  it('opens details by keyboard with role names and a Partner Center link; hostile names stay text', async () => {
    await page.goto(`${PC}/dashboard/v2/customers/list?pageSize=50`);
    await waitForBadges(cloud.world.customers.length);
    const hostile = cloud.world.customers.find((c) => c.displayName.includes('<img') && cloud.world.relationships.some((r) => r.customer?.tenantId === c.tenantId));
    const subject = hostile ?? cloud.world.customers.find((c) => c.scenario === 'active-auto-extend')!;
    const button = page.locator(`[data-gdap-badge][data-tenant-id="${subject.tenantId}"] button`).first();
    await button.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => button.getAttribute('aria-expanded')).toBe('true');
    const host = page.locator(`[data-gdap-badge][data-tenant-id="${subject.tenantId}"]`);
    await expect.poll(() => host.locator('a[href*="/adminrelationships/"]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await host.locator('img, script, svg[onload]').count()).toBe(0);
    await page.keyboard.press('Escape');
    await expect.poll(() => button.getAttribute('aria-expanded')).toBe('false');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  });
});

describe('pages GDAP Lens does not know', () => {
  it('a customer list of unknown layout gets no badge and no console error', async () => {
    await page.goto(`${PC}/dashboard/v2/customers/list?layout=unknown`);
    await page.waitForTimeout(1500);
    expect(await page.locator('[data-gdap-badge]').count()).toBe(0);
  });

  it('the dashboard home gets nothing', async () => {
    await page.goto(`${PC}/dashboard/home`);
    await page.waitForTimeout(1000);
    expect(await page.locator('[data-gdap-badge]').count()).toBe(0);
  });

  it('nothing GDAP Lens did reached the portal console', () => {
    const fromPortal = browser.consoleErrors.filter((e) => e.pageUrl.startsWith(PC));
    expect(fromPortal).toEqual([]);
  });
});
