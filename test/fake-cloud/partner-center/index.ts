/**
 * Fake Partner Center (https://partner.microsoft.com): an SPA shell for every route
 * shared/portals.md lists, its browser script (./app.js, plain JS served as is) and the
 * same-origin JSON API the script reads. The API is built from `ctx.world` at request
 * time, so whatever the fake Graph changes shows up on the next fetch.
 *
 * Served:
 *   GET /                                   → 302 /dashboard/home
 *   GET [/{locale}]/dashboard/…, /commerce/… → the SPA shell (the script routes client-side)
 *   GET /__fake/pc/app.js                   → the SPA's script
 *   GET /__fake/pc/api/customers?page=&pageSize=&q=
 *   GET /__fake/pc/api/customers/{tenantId}
 *   GET /__fake/pc/api/relationships?page=&pageSize=&q=&tenantId=
 *   GET /__fake/pc/api/relationships/{relationshipId}
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeCustomer, FakeRelationship, HostHandler, World } from '../model';
import {
  browserScript,
  durationDays,
  escapeHtml,
  intParam,
  isAutoExtendOn,
  roleDisplayName,
  sendError,
  sendHtml,
  sendJson,
  sendNoContent,
  sendRedirect,
  sendScript,
  spaDocument,
} from '../pages-common';

export const PC_SCRIPT_PATH = '/__fake/pc/app.js';
const API = '/__fake/pc/api/';

/** Paths the SPA shell answers: optional locale, then /dashboard/… or /commerce/…. */
const SHELL_PATH = /^(?:\/([a-z]{2}(?:-[a-z]{2,4})?))?\/(?:dashboard|commerce)(?:\/|$)/i;

/** Relationship states in which the customer list says "Granular admin". */
const GDAP_LIVE = new Set(['approved', 'activating', 'active', 'expiring']);

export const partnerCenterHandler: HostHandler = (req, res, url, ctx) => {
  const path = url.pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (path === '/favicon.ico') return sendNoContent(req, res);
  if (path === PC_SCRIPT_PATH) return sendScript(req, res, browserScript(new URL('./app.js', import.meta.url)));
  if (path.startsWith(API)) return api(req, res, url, ctx.world, decodeSegments(path.slice(API.length)));
  if (path === '/' || path === '') return sendRedirect(req, res, '/dashboard/home');
  const m = SHELL_PATH.exec(path);
  if (!m) return false;
  const locale = (m[1] ?? 'en-us').toLowerCase();
  const unknownLayout = url.searchParams.get('layout') === 'unknown';
  return sendHtml(
    req,
    res,
    spaDocument({
      lang: locale,
      title: locale.startsWith('ko') ? '파트너 센터' : 'Partner Center',
      scriptSrc: PC_SCRIPT_PATH,
      // The real shell element is in the served HTML and upgrades when the script runs.
      body: unknownLayout ? '<div id="app-root"></div>' : `<pc-shell data-locale="${escapeHtml(locale)}"></pc-shell>`,
    }),
  );
};

function decodeSegments(rest: string): string[] | null {
  try {
    return rest.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
}

function api(req: IncomingMessage, res: ServerResponse, url: URL, world: World, seg: string[] | null): true {
  if (!seg) return sendError(req, res, 400, 'BadRequest', 'Malformed path.');
  const [resource, id, extra] = seg;
  if (extra !== undefined) return sendError(req, res, 404, 'NotFound', 'No such resource.');
  if (resource === 'customers') {
    if (id === undefined) return sendJson(req, res, 200, page(url, customerList(world, url.searchParams.get('q'))));
    const c = customerDetail(world, id);
    return c ? sendJson(req, res, 200, c) : sendError(req, res, 404, 'CustomerNotFound', 'This customer was not found.');
  }
  if (resource === 'relationships') {
    if (id === undefined) {
      return sendJson(req, res, 200, page(url, relationshipList(world, url.searchParams.get('q'), url.searchParams.get('tenantId'))));
    }
    const r = world.relationships.find((x) => x.id === id);
    return r ? sendJson(req, res, 200, relationshipItem(world, r)) : sendError(req, res, 404, 'RelationshipNotFound', 'This relationship was not found.');
  }
  return sendError(req, res, 404, 'NotFound', 'No such resource.');
}

interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

function page<T>(url: URL, all: T[]): Page<T> {
  const pageSize = intParam(url, 'pageSize', 20, 1, 10_000);
  const pageCount = Math.max(1, Math.ceil(all.length / pageSize));
  const p = intParam(url, 'page', 1, 1, 1_000_000);
  return { items: all.slice((p - 1) * pageSize, p * pageSize), total: all.length, page: p, pageSize, pageCount };
}

function matches(q: string | null, ...fields: Array<string | null | undefined>): boolean {
  const needle = (q ?? '').trim().toLowerCase();
  if (!needle) return true;
  return fields.some((f) => typeof f === 'string' && f.toLowerCase().includes(needle));
}

const sameTenant = (a: string | null | undefined, b: string | null | undefined): boolean =>
  typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();

export interface PcCustomerItem {
  tenantId: string;
  displayName: string;
  domain: string | null;
  /** What the "relationship" column shows: reseller, dap (delegated admin), gdap (granular admin). */
  relationships: Array<'reseller' | 'dap' | 'gdap'>;
}

/** Tenants (lower case) with a relationship in a live GDAP state: one pass over the relationships. */
function liveGdapTenants(world: World): Set<string> {
  const out = new Set<string>();
  for (const r of world.relationships) {
    const t = r.customer?.tenantId;
    if (typeof t === 'string' && GDAP_LIVE.has(r.status)) out.add(t.toLowerCase());
  }
  return out;
}

function customerItem(c: FakeCustomer, liveGdap: ReadonlySet<string>): PcCustomerItem {
  const kinds: PcCustomerItem['relationships'] = [];
  if (c.isResellerCustomer) kinds.push('reseller');
  if (c.hasDap) kinds.push('dap');
  if (liveGdap.has(c.tenantId.toLowerCase())) kinds.push('gdap');
  return { tenantId: c.tenantId, displayName: c.displayName, domain: c.domain, relationships: kinds };
}

/** Linear in customers + relationships, so lists of 10,000 customers answer quickly. */
function customerList(world: World, q: string | null): PcCustomerItem[] {
  const live = liveGdapTenants(world);
  return world.customers.filter((c) => matches(q, c.displayName, c.domain, c.tenantId)).map((c) => customerItem(c, live));
}

function customerDetail(world: World, tenantId: string): PcCustomerItem | null {
  const c = world.customers.find((x) => sameTenant(x.tenantId, tenantId));
  if (c) return customerItem(c, liveGdapTenants(world));
  // A GDAP-only customer the list does not know yet: what the relationships say of it.
  const r = world.relationships.find((x) => sameTenant(x.customer?.tenantId, tenantId));
  if (!r || !r.customer?.tenantId) return null;
  return {
    tenantId: r.customer.tenantId,
    displayName: r.customer.displayName ?? r.customer.tenantId,
    domain: null,
    relationships: GDAP_LIVE.has(r.status) ? ['gdap'] : [],
  };
}

export interface PcRelationshipItem {
  id: string;
  displayName: string;
  tenantId: string | null;
  customerName: string | null;
  /** Graph's status value; the page turns it into Partner Center's words. */
  status: string;
  createdDateTime: string;
  activatedDateTime: string | null;
  endDateTime: string | null;
  duration: string;
  durationDays: number | null;
  autoExtend: boolean;
  roles: Array<{ id: string; name: string }>;
}

function relationshipItem(world: World, r: FakeRelationship): PcRelationshipItem {
  const tenantId = r.customer?.tenantId || null;
  const known = tenantId ? world.customers.find((c) => sameTenant(c.tenantId, tenantId)) : undefined;
  const days = durationDays(r.duration);
  return {
    id: r.id,
    displayName: r.displayName,
    tenantId,
    customerName: r.customer?.displayName || known?.displayName || null,
    status: r.status,
    createdDateTime: r.createdDateTime,
    activatedDateTime: r.activatedDateTime || null,
    endDateTime: r.endDateTime || null,
    duration: r.duration,
    durationDays: days === null ? null : Math.round(days),
    autoExtend: isAutoExtendOn(r.autoExtendDuration),
    roles: r.accessDetails.unifiedRoles.map((u) => ({ id: u.roleDefinitionId, name: roleDisplayName(u.roleDefinitionId) })),
  };
}

function relationshipList(world: World, q: string | null, tenantId: string | null): PcRelationshipItem[] {
  return world.relationships
    .filter((r) => !tenantId || sameTenant(r.customer?.tenantId, tenantId))
    .map((r) => relationshipItem(world, r))
    .filter((r) => matches(q, r.displayName, r.customerName, r.tenantId, r.id));
}
