/**
 * The fake Partner Center pages (test/fake-cloud/partner-center): served at the real
 * origin through Chromium's host-resolver rules, built with nested open shadow roots,
 * client-side navigation and late rows, deterministic row by row.
 */
import type { Browser, Page } from 'playwright-core';
import { generateWorld } from '../fake-cloud/data';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { detectPartnerCenterPage } from '@/utils/portals/partner-center';
import type { World } from '../fake-cloud/model';
import {
  buildTestWorld,
  deepEval,
  gridRows,
  HOSTILE_NAMES,
  launchChromium,
  PC,
  type PortalServer,
  startPortalServer,
  tenantGuid,
  waitDeep,
  waitForGrid,
} from './portal-kit';

let server: PortalServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const dialogs: string[] = [];

beforeAll(async () => {
  server = await startPortalServer(buildTestWorld());
  browser = await launchChromium(server);
  page = await browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

beforeEach(() => {
  server.world = buildTestWorld();
});

async function open(path: string): Promise<void> {
  const res = await page.goto(PC + path);
  expect(res?.status()).toBe(200);
  await waitForGrid(page);
}

const pwned = (): Promise<unknown> => page.evaluate('window.__pwned');

async function allPages(): Promise<Awaited<ReturnType<typeof gridRows>>> {
  const rows = await gridRows(page);
  for (let guard = 0; guard < 100; guard++) {
    const next = page.locator('button[data-action="next"]');
    if (await next.isDisabled()) break;
    await next.click();
    await waitForGrid(page);
    rows.push(...(await gridRows(page)));
  }
  return rows;
}

describe('fake Partner Center: structure', () => {
  it('shows a loading state first, then rows inside nested open shadow roots that document.querySelectorAll cannot see', async () => {
    await page.goto(`${PC}/dashboard/v2/customers/list?delay=1500`, { waitUntil: 'commit' });
    // One snapshot: while the grid shows its loading state, it holds no rows.
    await waitDeep(page, `deepOne('[role="progressbar"]')`);
    const loading = await deepEval<{ busy: boolean; rows: number }>(
      page,
      `({ busy: !!deepOne('[role="progressbar"]'), rows: deepAll('[role="row"][id^="row-"]').length })`,
    );
    expect(loading).toEqual({ busy: true, rows: 0 });
    await waitForGrid(page);
    const rows = await gridRows(page);
    expect(rows).toHaveLength(20);
    expect(rows[0]?.hosts).toEqual(['customersvcadmin-data-grid', 'pc-customer-list-page', 'pc-shell']);
    const light = await page.evaluate(`({
      rows: document.querySelectorAll('[role="row"], [id^="row-"]').length,
      grids: document.querySelectorAll('customersvcadmin-data-grid').length,
      buttons: document.querySelectorAll('customersvcadmin_he-button').length,
      shells: document.querySelectorAll('pc-shell').length,
      anchorsToCustomers: [...document.querySelectorAll('a')].filter((a) => a.href.includes('/customers/')).length,
    })`);
    expect(light).toEqual({ rows: 0, grids: 0, buttons: 0, shells: 1, anchorsToCustomers: 0 });
    // The anchor lives in the link button's own shadow root; the name is its slotted text.
    const link = await deepEval<{ appearance: string | null; anchorsInRow: number; slotted: boolean; anchorHosts: string[] }>(
      page,
      `(() => {
        const row = deepOne('[role="row"][id^="row-"]');
        const btn = row.querySelector('customersvcadmin_he-button');
        const a = btn.shadowRoot.querySelector('a[href]');
        return { appearance: btn.getAttribute('appearance'), anchorsInRow: row.querySelectorAll('a').length, slotted: !!a.querySelector('slot'), anchorHosts: hosts(a) };
      })()`,
    );
    expect(link).toEqual({
      appearance: 'link',
      anchorsInRow: 0,
      slotted: true,
      anchorHosts: ['customersvcadmin_he-button', 'customersvcadmin-data-grid', 'pc-customer-list-page', 'pc-shell'],
    });
  });

  it('lists every customer exactly once with its tenant id, name and link; hostile names render as text', async () => {
    await open('/dashboard/v2/customers/list?delay=0');
    const rows = await allPages();
    const world = server.world;
    expect(rows.map((r) => r.id)).toEqual(world.customers.map((c) => `row-${c.tenantId}`));
    expect(new Set(rows.map((r) => r.id)).size).toBe(world.customers.length);
    rows.forEach((r, i) => {
      const c = world.customers[i]!;
      expect(r.name).toBe(c.displayName);
      expect(r.cells.domain).toBe(c.domain);
      expect(r.href).toBe(`/dashboard/v2/customers/${c.tenantId}/account`);
      expect(detectPartnerCenterPage(PC + r.href!)).toEqual({ kind: 'customer', tenantId: c.tenantId });
    });
    expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(HOSTILE_NAMES));
    // Relationship column: reseller, delegated admin (DAP), granular admin (live GDAP).
    expect(rows[0]?.cells.relationship).toBe('Delegated admin, Granular admin');
    expect(rows[1]?.cells.relationship).toBe('Reseller');
    expect(rows[3]?.cells.relationship).toBe('—');
    expect(await pwned()).toBeUndefined();
    expect(await deepEval<number>(page, `deepAll('[role="row"] img, [role="row"] script, [role="row"] svg').length`)).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('pages with Next / Previous without navigating, and shows everything with a large page size', async () => {
    await open('/dashboard/v2/customers/list?delay=0');
    const requests: string[] = [];
    const onRequest = (r: { resourceType(): string; url(): string }): void => {
      if (r.resourceType() === 'document') requests.push(r.url());
    };
    page.on('request', onRequest);
    try {
      const first = (await gridRows(page)).map((r) => r.id);
      expect(await page.locator('button[data-action="previous"]').isDisabled()).toBe(true);
      await page.locator('button[data-action="next"]').click();
      await waitForGrid(page);
      const second = (await gridRows(page)).map((r) => r.id);
      expect(second[0]).toBe(`row-${tenantGuid(20)}`);
      expect(second).toHaveLength(20);
      expect(await deepEval<string>(page, `text(deepOne('.range'))`)).toBe('21–40 of 45');
      await page.locator('button[data-action="previous"]').click();
      await waitForGrid(page);
      expect((await gridRows(page)).map((r) => r.id)).toEqual(first);
      await page.locator('select[data-action="page-size"]').selectOption('1000');
      await waitForGrid(page);
      expect(await gridRows(page)).toHaveLength(45);
      expect(await page.locator('button[data-action="next"]').isDisabled()).toBe(true);
      expect(requests).toEqual([]);
    } finally {
      page.off('request', onRequest);
    }
    await open('/dashboard/v2/customers/list?delay=0&pageSize=5000');
    expect(await gridRows(page)).toHaveLength(45);
    await open('/dashboard/v2/customers/list?delay=0&pageSize=7');
    expect(await gridRows(page)).toHaveLength(7);
  });

  it('filters rows with the search box, also by hostile text', async () => {
    await open('/dashboard/v2/customers/list?delay=0');
    const search = page.locator('input[data-action="search"]');
    await search.fill('customer 01');
    await waitDeep(page, `deepAll('[role="row"][id^="row-"]').length === 10 && !deepOne('customersvcadmin-data-grid').hasAttribute('aria-busy')`);
    expect((await gridRows(page)).map((r) => r.name)).toEqual(Array.from({ length: 10 }, (_, i) => `Customer 01${i}`));
    await search.fill('<script>');
    await waitDeep(page, `deepAll('[role="row"][id^="row-"]').length === 1`);
    expect((await gridRows(page))[0]?.name).toBe(HOSTILE_NAMES[1]);
    await search.fill('no such customer');
    await waitDeep(page, `deepAll('[role="row"][id^="row-"]').length === 0 && deepOne('.empty')`);
    await search.fill('');
    await waitDeep(page, `deepAll('[role="row"][id^="row-"]').length === 20`);
    expect(await pwned()).toBeUndefined();
  });

  it('reads the world at request time: changes show up on the next fetch', async () => {
    await open('/dashboard/v2/customers/list?delay=0');
    server.world.customers[0]!.displayName = 'Renamed Holdings';
    await page.locator('button[data-action="next"]').click();
    await waitForGrid(page);
    await page.locator('button[data-action="previous"]').click();
    await waitForGrid(page);
    expect((await gridRows(page))[0]?.name).toBe('Renamed Holdings');
  });
});

describe('fake Partner Center: routes and locales', () => {
  const LISTS: Array<{ path: string; kind: 'customer-list' | 'gdap-list'; linkRoot: string }> = [
    { path: '/dashboard/v2/customers/list', kind: 'customer-list', linkRoot: '/dashboard/v2' },
    { path: '/dashboard/commerce2/customers/list', kind: 'customer-list', linkRoot: '/dashboard/commerce2' },
    { path: '/commerce/customers/list', kind: 'customer-list', linkRoot: '/dashboard/v2' },
    { path: '/dashboard/v2/customers/granularadminaccess/list', kind: 'gdap-list', linkRoot: '/dashboard/v2' },
    { path: '/dashboard/commerce2/granularadminaccess/list', kind: 'gdap-list', linkRoot: '/dashboard/commerce2' },
    { path: '/commerce/granularadminaccess/list', kind: 'gdap-list', linkRoot: '/dashboard/v2' },
  ];
  const HEADINGS = {
    '': { 'customer-list': 'Customers', 'gdap-list': 'Granular administrative relationships' },
    '/en-us': { 'customer-list': 'Customers', 'gdap-list': 'Granular administrative relationships' },
    '/ko-kr': { 'customer-list': '고객', 'gdap-list': '세분화된 관리 관계' },
  } as const;

  it('renders every list route generation with and without a locale prefix, linking within the generation', async () => {
    for (const locale of ['', '/en-us', '/ko-kr'] as const) {
      for (const route of LISTS) {
        const path = `${locale}${route.path}`;
        expect(detectPartnerCenterPage(PC + path)?.kind, path).toBe(route.kind);
        await open(`${path}?delay=0`);
        const rows = await gridRows(page);
        expect(rows.length, path).toBeGreaterThan(0);
        const info = await deepEval<{ h1: string | null; lang: string }>(page, `({ h1: text(deepOne('h1')), lang: document.documentElement.lang })`);
        expect(info.h1, path).toBe(HEADINGS[locale][route.kind]);
        expect(info.lang).toBe(locale ? locale.slice(1) : 'en-us');
        const first = rows[0]!;
        if (route.kind === 'customer-list') {
          expect(first.href).toBe(`${locale}${route.linkRoot}/customers/${tenantGuid(0)}/account`);
        } else {
          expect(first.href).toBe(`${locale}${route.linkRoot}/customers/${tenantGuid(0)}/adminrelationships/${encodeURIComponent(first.relationshipId!)}`);
          expect(detectPartnerCenterPage(PC + first.href!)).toEqual({ kind: 'relationship', tenantId: tenantGuid(0), relationshipId: first.relationshipId });
        }
      }
    }
    // Partner Center's paths are case-insensitive.
    await open('/EN-US/Dashboard/V2/Customers/List?delay=0');
    expect(await gridRows(page)).toHaveLength(20);
  });

  it('GDAP list: one row per relationship with status words, end date, auto-extend and links', async () => {
    await open('/dashboard/v2/customers/granularadminaccess/list?delay=0&pageSize=100');
    const rows = await gridRows(page);
    const world: World = server.world;
    expect(rows.map((r) => r.relationshipId)).toEqual(world.relationships.map((r) => r.id));
    expect(rows.map((r) => r.id)).toEqual(world.relationships.map((r) => `row-${r.id}`));
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(byName.get('Relationship_00')?.cells).toMatchObject({ customer: 'Customer 000', status: 'Active', autoExtend: 'On' });
    expect(byName.get('Relationship_01')?.cells).toMatchObject({ status: 'Approval pending', endDate: '—', autoExtend: 'Off' });
    expect(byName.get('Relationship_07')?.cells.status).toBe('somethingNewFromMicrosoft');
    expect(byName.get('Second_for_000')?.cells).toMatchObject({ customer: 'Customer 000', autoExtend: 'Off' });
    // Created, no customer yet: no link anywhere.
    expect(byName.get('Relationship_11')?.cells.customer).toBe('—');
    expect(byName.get('Relationship_11')?.href).toBeNull();
    const ends = await deepEval<Array<string | null>>(page, `deepAll('[role="row"][id^="row-"] [data-column="endDate"]').map((c) => { const t = c.querySelector('time'); return t ? t.getAttribute('datetime') : null; })`);
    expect(ends).toEqual(world.relationships.map((r) => r.endDateTime || null));
    // The customer column links to the customer's admin relationships page.
    const customerHref = await deepEval<string>(page, `deepOne('[role="row"][id^="row-"] [data-column="customer"] customersvcadmin_he-button').shadowRoot.querySelector('a').getAttribute('href')`);
    expect(customerHref).toBe(`/dashboard/v2/customers/${tenantGuid(0)}/adminrelationships`);
    await open('/ko-kr/dashboard/v2/customers/granularadminaccess/list?delay=0&pageSize=100');
    const ko = await gridRows(page);
    expect(ko.find((r) => r.name === 'Relationship_00')?.cells).toMatchObject({ status: '활성', autoExtend: '켜짐' });
  });

  it("one customer's admin relationships (both generations) and one relationship page", async () => {
    for (const root of ['/dashboard/v2', '/dashboard/commerce2', '/en-us/dashboard/commerce2']) {
      const path = `${root}/customers/${tenantGuid(0)}/adminrelationships`;
      expect(detectPartnerCenterPage(PC + path)).toEqual({ kind: 'customer-relationships', tenantId: tenantGuid(0) });
      await open(`${path}?delay=0`);
      await waitDeep(page, `deepOne('h1.customer-name') && !deepOne('h1.customer-name').hasAttribute('aria-busy')`);
      expect(await deepEval<string>(page, `text(deepOne('h1.customer-name'))`)).toBe('Customer 000');
      const rows = await gridRows(page);
      expect(rows.map((r) => r.name)).toEqual(['Relationship_00', 'Second_for_000']);
      expect(rows[0]?.hosts).toEqual(['customersvcadmin-data-grid', 'pc-customer-admin-relationships-page', 'pc-shell']);
      expect(rows[0]?.href?.startsWith(`${root}/customers/${tenantGuid(0)}/adminrelationships/`)).toBe(true);
    }
    const rel = server.world.relationships[10]!;
    const relPath = `/dashboard/v2/customers/${tenantGuid(0)}/adminrelationships/${encodeURIComponent(rel.id)}`;
    await page.goto(`${PC}${relPath}?delay=0`);
    await waitDeep(page, `deepOne('h1.relationship-name') && !deepOne('h1.relationship-name').hasAttribute('aria-busy')`);
    const details = await deepEval<{ h1: string | null; id: string | null; dd: string[]; roles: string[] }>(
      page,
      `({ h1: text(deepOne('h1.relationship-name')), id: deepOne('h1.relationship-name').getAttribute('data-relationship-id'),
          dd: deepAll('dl.details dd').map(text), roles: deepAll('ul.roles li').map(text) })`,
    );
    expect(details.h1).toBe('Second_for_000');
    expect(details.id).toBe(rel.id);
    expect(details.dd).toEqual(expect.arrayContaining(['Customer 000', 'Active', '730 days', 'Off', rel.id]));
    expect(details.roles).toEqual(['Global Administrator']);
    // Unknown ids and tenants say so, with no rows.
    await page.goto(`${PC}/dashboard/v2/customers/${tenantGuid(0)}/adminrelationships/no-such-id?delay=0`);
    await waitDeep(page, `text(deepOne('h1.relationship-name')) === 'This relationship was not found.'`);
    await open(`/dashboard/v2/customers/${tenantGuid(999)}/adminrelationships?delay=0`);
    await waitDeep(page, `text(deepOne('h1.customer-name')) === 'This customer was not found.'`);
    expect(await gridRows(page)).toHaveLength(0);
  });

  it('dashboard home has no grid; unknown paths under the app show its not-found page; others are 404', async () => {
    const home = await page.goto(`${PC}/`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/home');
    expect(home?.status()).toBe(200);
    await waitDeep(page, `deepOne('pc-home-page h1, h1')`);
    expect(detectPartnerCenterPage(page.url())).toBeNull();
    expect(await deepEval<number>(page, `deepAll('customersvcadmin-data-grid, [id^="row-"]').length`)).toBe(0);
    expect(await deepEval<string>(page, `text(deepOne('h1'))`)).toBe('Welcome to Partner Center');
    await page.goto(`${PC}/ko-kr/dashboard/home`);
    await waitDeep(page, `text(deepOne('h1')) === '파트너 센터에 오신 것을 환영합니다'`);
    await page.goto(`${PC}/dashboard/v2/customers/not-a-guid/adminrelationships`);
    await waitDeep(page, `text(deepOne('h1')) === "We can't find that page"`);
    expect((await page.goto(`${PC}/somewhere/else`))?.status()).toBe(404);
    expect((await page.goto(`${PC}/__fake/pc/api/nothing`))?.status()).toBe(404);
  });

  it('unknown layout: same data, no row ids, no known components, no customer links', async () => {
    for (const path of ['/dashboard/v2/customers/list', '/dashboard/v2/customers/granularadminaccess/list', `/dashboard/v2/customers/${tenantGuid(0)}/adminrelationships`]) {
      await page.goto(`${PC}${path}?layout=unknown&delay=0`);
      await waitDeep(page, `deepOne('.entity-list') && !deepOne('.entity-list').hasAttribute('aria-busy')`);
      const seen = await deepEval<{ entities: number; known: number; links: number; text: string }>(
        page,
        `({ entities: deepAll('.entity').length,
            known: deepAll('[id^="row-"], [data-relationship-id], [role="row"], pc-shell, customersvcadmin-data-grid, customersvcadmin_he-button').length,
            links: deepAll('a[href*="/customers/"]').length,
            text: deepAll('.entity').map((e) => e.textContent).join('\\n') })`,
      );
      expect(seen.entities, path).toBeGreaterThan(0);
      expect(seen.known, path).toBe(0);
      expect(seen.links, path).toBe(0);
      expect(seen.text).toMatch(path.endsWith('/list') && !path.includes('granular') ? /Customer 000/ : /Relationship_00/);
    }
  });
});

describe('fake Partner Center: client-side navigation', () => {
  it('follows links inside nested shadow roots with pushState; back and forward work; the document stays', async () => {
    await open('/en-us/dashboard/v2/customers/list?delay=0');
    await page.evaluate('window.__marker = 42');
    const documents: string[] = [];
    const onRequest = (r: { resourceType(): string; url(): string }): void => {
      if (r.resourceType() === 'document') documents.push(r.url());
    };
    page.on('request', onRequest);
    try {
      const t1 = tenantGuid(1);
      await page.locator(`#row-${t1} customersvcadmin_he-button`).click();
      await page.waitForURL(`${PC}/en-us/dashboard/v2/customers/${t1}/account`);
      await waitDeep(page, `text(deepOne('h1.customer-name')) === 'Customer 001'`);
      expect(detectPartnerCenterPage(page.url())).toEqual({ kind: 'customer', tenantId: t1 });

      await page.locator('nav.tabs a[href$="/adminrelationships"]').click();
      await page.waitForURL(`${PC}/en-us/dashboard/v2/customers/${t1}/adminrelationships`);
      await waitForGrid(page);
      expect((await gridRows(page)).map((r) => r.name)).toEqual(['Relationship_01']);

      await page.locator('[role="row"][data-relationship-id] customersvcadmin_he-button').first().click();
      await page.waitForURL(/\/adminrelationships\/[^/]+$/);
      await waitDeep(page, `text(deepOne('h1.relationship-name')) === 'Relationship_01'`);
      expect(await deepEval<string[]>(page, `deepAll('ul.roles li').map(text)`)).toEqual(['Global Reader', 'Directory Readers']);

      await page.goBack();
      await page.waitForURL(`${PC}/en-us/dashboard/v2/customers/${t1}/adminrelationships`);
      await waitForGrid(page);
      await page.goBack();
      await page.goBack();
      await page.waitForURL(`${PC}/en-us/dashboard/v2/customers/list?delay=0`);
      await waitForGrid(page);
      expect(await gridRows(page)).toHaveLength(20);
      await page.goForward();
      await waitDeep(page, `text(deepOne('h1.customer-name')) === 'Customer 001'`);

      // The shell's own navigation is client-side too.
      await page.locator('nav.side a', { hasText: 'Granular admin relationships' }).click();
      await page.waitForURL(`${PC}/en-us/dashboard/v2/customers/granularadminaccess/list`);
      await waitForGrid(page);
      expect((await gridRows(page)).length).toBeGreaterThan(0);

      expect(await page.evaluate('window.__marker')).toBe(42);
      expect(documents).toEqual([]);
    } finally {
      page.off('request', onRequest);
    }
    expect(pageErrors).toEqual([]);
  });
});

describe('fake Partner Center: larger worlds', () => {
  it('renders 5,000 customers on one page (?pageSize=5000)', async () => {
    server.world = buildTestWorld(5000);
    const started = Date.now();
    await open('/dashboard/v2/customers/list?delay=0&pageSize=5000');
    const count = await deepEval<number>(page, `deepAll('[role="row"][id^="row-"]').length`);
    expect(count).toBe(5000);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('shows every customer of a generated world (test/fake-cloud/data.ts)', async () => {
    server.world = generateWorld({ customers: 40, seed: 7, now: new Date('2025-06-01T00:00:00Z') });
    await open('/dashboard/v2/customers/list?delay=0&pageSize=100');
    const rows = await gridRows(page);
    expect(rows.map((r) => [r.id, r.name])).toEqual(server.world.customers.map((c) => [`row-${c.tenantId}`, c.displayName]));
    await open('/dashboard/v2/customers/granularadminaccess/list?delay=0&pageSize=1000');
    expect((await gridRows(page)).map((r) => r.relationshipId)).toEqual(server.world.relationships.map((r) => r.id));
    expect(await pwned()).toBeUndefined();
    expect(dialogs).toEqual([]);
  });
});
