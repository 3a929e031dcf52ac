/**
 * Test-only helpers for the fake portal page tests (test/e2e/fake-portals-*.test.ts):
 * the fake cloud with a small hand-built World that tests can swap, Chromium from the
 * shared harness, and shadow-DOM walking helpers evaluated in the page.
 */
import type { Browser, Page } from 'playwright-core';
import type { FakeCustomer, FakeRelationship, World } from '../fake-cloud/model';
import { startFakeCloud, type FakeCloud } from '../fake-cloud/server';
import { launchPlainBrowser } from './harness';

export const PC = 'https://partner.microsoft.com';
export const AC = 'https://admin.microsoft.com';
export const AC2 = 'https://admin.cloud.microsoft';

export interface PortalServer {
  cloud: FakeCloud;
  /** The world the handlers see; assigning replaces its contents in place. */
  world: World;
  close(): Promise<void>;
}

/** The fake cloud serving `world`, with a world that tests can swap between cases. */
export async function startPortalServer(world: World): Promise<PortalServer> {
  const cloud = await startFakeCloud({ world });
  return {
    cloud,
    get world() {
      return cloud.world;
    },
    set world(next: World) {
      Object.assign(cloud.world, next);
    },
    close: () => cloud.stop(),
  };
}

/** Chromium from the shared harness, mapped to the fake cloud, without the extension. */
export function launchChromium(server: PortalServer): Promise<Browser> {
  return launchPlainBrowser({ cloud: server.cloud });
}

/**
 * Browser-side helpers (plain JS source): `deepAll(selector)` finds elements across all
 * open shadow roots; `hosts(el)` lists the shadow hosts above an element, innermost first.
 */
const DEEP_LIB = `
const deepAll = (selector, root = document, out = []) => {
  for (const e of root.querySelectorAll(selector)) out.push(e);
  for (const e of root.querySelectorAll('*')) if (e.shadowRoot) deepAll(selector, e.shadowRoot, out);
  return out;
};
const deepOne = (selector) => deepAll(selector)[0] || null;
const hosts = (e) => { const out = []; let r = e.getRootNode(); while (r instanceof ShadowRoot) { out.push(r.host.localName); r = r.host.getRootNode(); } return out; };
const text = (e) => (e ? e.textContent.trim() : null);
`;

/** Evaluates `expr` (a JS expression using deepAll/deepOne/hosts/text) in the page. */
export function deepEval<T>(page: Page, expr: string): Promise<T> {
  // A string, not a function: nothing the test transpiler adds can leak into the page.
  return page.evaluate(`(() => { ${DEEP_LIB}; return (${expr}); })()`) as Promise<T>;
}

export interface GridRow {
  id: string;
  relationshipId: string | null;
  /** Text of each cell by data-column. */
  cells: Record<string, string>;
  /** The name link button's text (its light DOM, shown through its slot). */
  name: string | null;
  /** The href of the anchor inside the name link button's shadow root. */
  href: string | null;
  /** Shadow hosts above the row, innermost first. */
  hosts: string[];
}

/** All Partner Center grid rows (`[role=row][id^="row-"]`) in the page, through shadow roots. */
export function gridRows(page: Page): Promise<GridRow[]> {
  return deepEval<GridRow[]>(
    page,
    `deepAll('[role="row"][id^="row-"]').map((r) => {
      const btn = r.querySelector('[data-column="name"] customersvcadmin_he-button');
      const a = btn && btn.shadowRoot ? btn.shadowRoot.querySelector('a[href]') : null;
      const cells = {};
      for (const c of r.querySelectorAll('[role="gridcell"]')) cells[c.getAttribute('data-column')] = c.textContent.trim();
      return { id: r.id, relationshipId: r.getAttribute('data-relationship-id'), cells, name: btn ? btn.textContent : null, href: a ? a.getAttribute('href') : null, hosts: hosts(r) };
    })`,
  );
}

/** Waits until the data grid in the page has rendered (no longer busy). */
export async function waitForGrid(page: Page): Promise<void> {
  await page.waitForFunction(
    `(() => { ${DEEP_LIB}; const g = deepOne('customersvcadmin-data-grid'); return !!g && !g.hasAttribute('aria-busy') && !deepOne('[role="progressbar"]'); })()`,
    undefined,
    { timeout: 10_000 },
  );
}

/** Waits until the expression (using the deep helpers) is truthy. */
export async function waitDeep(page: Page, expr: string, timeout = 10_000): Promise<void> {
  await page.waitForFunction(`(() => { ${DEEP_LIB}; return !!(${expr}); })()`, undefined, { timeout });
}

// ---------------------------------------------------------------------------
// A small hand-built World.

export const NOW = new Date('2025-06-01T00:00:00.000Z');
const DAY = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString();
const hex = (n: number, len: number): string => n.toString(16).padStart(len, '0');
export const tenantGuid = (i: number): string => `${hex(i + 1, 8)}-0000-4000-8000-${hex(i + 1, 12)}`;
export const relationshipGuid = (i: number): string => `${hex(0xa0000 + i, 8)}-1111-4111-8111-${hex(i, 12)}-${hex(0xb0000 + i, 8)}-2222-4222-8222-${hex(i, 12)}`;

export const ROLE_GLOBAL_READER = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';
export const ROLE_DIRECTORY_READERS = '88d8e3e3-8f55-4a1e-953a-9b9898b8876b';
export const ROLE_GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';

/** Names that must render as text; running any of them sets window.__pwned. */
export const HOSTILE_NAMES = ['<img src=x onerror="window.__pwned=1">', '"><script>window.__pwned=2</script>', '<svg onload="window.__pwned=3"></svg> Ltd'];

const STATUSES = ['active', 'approvalPending', 'expired', 'terminated', 'created', 'active', 'expiring', 'somethingNewFromMicrosoft', 'active', 'approvalPending'];

/** 45 customers (three pages of 20), relationships for the first ten, an admin center tenant. */
export function buildTestWorld(customerCount = 45): World {
  const now = NOW.getTime();
  const customers: FakeCustomer[] = [];
  for (let i = 0; i < customerCount; i++) {
    const tenantId = tenantGuid(i);
    const special = i === 3 ? HOSTILE_NAMES[0] : i === 4 ? HOSTILE_NAMES[1] : i === 6 ? HOSTILE_NAMES[2] : i === 5 ? '주식회사 테스트' : undefined;
    customers.push({
      id: tenantId,
      tenantId,
      displayName: special ?? `Customer ${String(i).padStart(3, '0')}`,
      domain: `customer${i}.onmicrosoft.com`,
      scenario: 'active-auto-extend',
      hasDap: i % 5 === 0,
      isResellerCustomer: i % 3 !== 0,
    });
  }
  const relationships: FakeRelationship[] = [];
  const rel = (i: number, customerIndex: number | null, status: string, extra: Partial<FakeRelationship> = {}): FakeRelationship => {
    const c = customerIndex === null ? undefined : customers[customerIndex];
    const created = now - (20 + i) * DAY;
    const live = ['active', 'expiring', 'expired', 'terminated'].includes(status);
    const activated = created + DAY;
    return {
      id: relationshipGuid(i),
      displayName: `Relationship_${String(i).padStart(2, '0')}`,
      duration: 'P730D',
      customer: c ? { tenantId: c.tenantId, displayName: c.displayName } : null,
      accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE_GLOBAL_READER }, { roleDefinitionId: ROLE_DIRECTORY_READERS }] },
      autoExtendDuration: i % 2 === 0 ? 'P180D' : 'PT0S',
      status,
      createdDateTime: iso(created),
      lastModifiedDateTime: iso(created),
      activatedDateTime: live ? iso(activated) : null,
      endDateTime: live ? iso(status === 'expired' ? now - 3 * DAY : activated + 730 * DAY) : null,
      etag: `etag-${i}`,
      ...extra,
    };
  };
  if (customerCount >= 10) {
    for (let i = 0; i < 10; i++) relationships.push(rel(i, i, STATUSES[i] ?? 'active'));
    // A second relationship for customer 0 (R25), a Global Administrator one (no auto-extend, R6).
    relationships.push(rel(10, 0, 'active', { displayName: 'Second_for_000', accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE_GLOBAL_ADMIN }] }, autoExtendDuration: 'PT0S' }));
    // Created, customer not set yet.
    relationships.push(rel(11, null, 'created'));
    // A pending request older than 90 days (R2): lapsed.
    relationships.push(rel(12, 2, 'approvalPending', { createdDateTime: iso(now - 100 * DAY), displayName: 'Lapsed_request' }));
  }
  const adminTenant = customers[1];
  return {
    now: new Date(now),
    partner: { tenantId: 'c0ffee00-0000-4000-8000-00000000beef', displayName: 'Contoso Test Partner', locationId: '1234567' },
    users: [],
    customers,
    relationships,
    accessAssignments: new Map(),
    requests: new Map(),
    operations: new Map(),
    adminCenter: {
      tenantId: adminTenant?.tenantId ?? '',
      displayName: adminTenant?.displayName ?? '',
      partners: [
        { id: 'partner-dap', displayName: 'Northwind DAP Partner', relationshipTypes: ['Reseller', 'Delegated admin (DAP)'], roles: ['Global Administrator'] },
        {
          id: 'partner-gdap',
          displayName: 'Woodgrove GDAP Partner',
          relationshipTypes: ['Granular delegated admin (GDAP)'],
          roles: ['Global Reader', 'Directory Readers'],
          gdapEndDateTime: iso(now + 240 * DAY),
          gdapRelationshipName: 'Woodgrove_ReadOnly',
        },
        {
          id: 'partner-hostile',
          displayName: HOSTILE_NAMES[0] ?? '',
          relationshipTypes: ['Reseller', 'Delegated admin (DAP)', 'Granular delegated admin (GDAP)'],
          roles: ['Global Administrator', 'Exchange Administrator'],
          gdapEndDateTime: iso(now + 30 * DAY),
          gdapRelationshipName: HOSTILE_NAMES[1] ?? '',
        },
        { id: 'partner-reseller', displayName: 'Proseware Licensing', relationshipTypes: ['Reseller'], roles: [] },
      ],
    },
  };
}
