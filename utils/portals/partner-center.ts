/**
 * Everything GDAP Lens knows about Partner Center's pages (shared/portals.md):
 * which routes exist and what kind of page each is. Selectors and row extraction
 * join this module as the badges arrive; a Partner Center redesign is a fix here.
 */
import { GUID_SOURCE } from '../ids';
import { BADGE_HOST_TAG, closestAcrossShadow, deepQueryGroups, type OpaqueHost, type TreeScopes } from './dom';

export type PartnerCenterPage =
  | { kind: 'customer-list' }
  | { kind: 'gdap-list' }
  | { kind: 'customer-relationships'; tenantId: string }
  | { kind: 'relationship'; tenantId: string; relationshipId: string }
  | { kind: 'customer'; tenantId: string };

const GUID = GUID_SOURCE;
/** Optional locale prefix such as /en-us or /ko-kr. */
const LOCALE = '(?:/[a-z]{2}(?:-[a-z]{2,4})?)?'; // matched case-insensitively
/** Generations of route roots that are live at once. */
const ROOT = '(?:/dashboard/commerce2|/dashboard/v2|/commerce)';
/** Relationship IDs are opaque (never parsed): any URL-safe segment. */
const OPAQUE = '[A-Za-z0-9._~-]{1,200}';

interface RouteRule {
  pattern: RegExp;
  page: (m: RegExpMatchArray) => PartnerCenterPage;
}

/** Most specific first. */
const ROUTES: RouteRule[] = [
  {
    pattern: new RegExp(`^${LOCALE}${ROOT}/customers/(${GUID})/adminrelationships/(${OPAQUE})/?$`, 'i'),
    page: (m) => ({ kind: 'relationship', tenantId: m[1]!.toLowerCase(), relationshipId: m[2]! }),
  },
  {
    pattern: new RegExp(`^${LOCALE}${ROOT}/customers/(${GUID})/adminrelationships/?$`, 'i'),
    page: (m) => ({ kind: 'customer-relationships', tenantId: m[1]!.toLowerCase() }),
  },
  { pattern: new RegExp(`^${LOCALE}${ROOT}/customers/list/?$`, 'i'), page: () => ({ kind: 'customer-list' }) },
  {
    pattern: new RegExp(`^${LOCALE}(?:/dashboard/v2/customers|/dashboard/commerce2|/commerce)/granularadminaccess/list/?$`, 'i'),
    page: () => ({ kind: 'gdap-list' }),
  },
  {
    pattern: new RegExp(`^${LOCALE}${ROOT}/customers/(${GUID})(?:/[A-Za-z0-9_-]+)*/?$`, 'i'),
    page: (m) => ({ kind: 'customer', tenantId: m[1]!.toLowerCase() }),
  },
];

/** The kind of Partner Center page at `url`, or null when GDAP Lens has nothing to add there. */
export function detectPartnerCenterPage(url: string | URL): PartnerCenterPage | null {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' || parsed.hostname !== 'partner.microsoft.com') return null;
  for (const rule of ROUTES) {
    const m = parsed.pathname.match(rule.pattern);
    if (m) return rule.page(m);
  }
  return null;
}

// ---------------------------------------------------------------------------
// Where badges go. Anchored on what survives redesigns: the route (page kind), row
// roles and ids carrying a GUID, and hrefs to customers and relationships. Class names
// and visible text are never read. Anything unrecognised yields nothing.

export { BADGE_HOST_TAG } from './dom';

export type BadgeTarget =
  | { kind: 'customer-row'; tenantId: string; row: Element; anchor: Element }
  | { kind: 'relationship-row'; relationshipId: string; tenantId: string | null; row: Element; anchor: Element }
  | { kind: 'customer-header'; tenantId: string; anchor: Element }
  | { kind: 'relationship-header'; relationshipId: string; tenantId: string; anchor: Element };

/** Grid rows: ARIA rows (implicit on <tr>) and the `row-…` ids seen on Partner Center's grids. */
const ROW_SELECTOR = '[role="row"], tr, [id^="row-"]';
/** Cells of a row; the badge goes into the one holding the row's identifying link. */
const CELL_SELECTOR = '[role="gridcell"], [role="rowheader"], [role="cell"], td, th';
const LINK_SELECTOR = '[href]';
const HEADER_SELECTOR = 'h1';

const CUSTOMER_ROW_ID = new RegExp(`^row-(${GUID})$`, 'i');
/** `/customers/{tenantId}`, optionally `/adminrelationships[/{relationshipId}]`, anywhere in a path. */
const LINK_PATH = new RegExp(`/customers/(${GUID})(?:/adminrelationships(?:/([^/]+))?)?(?:/|$)`, 'i');
const RELATIONSHIP_ID = new RegExp(`^${OPAQUE}$`);
/** What every href LINK_PATH can match contains (in any case; percent-escapes never match it). */
const CUSTOMERS_IN_HREF = /customers\//i;
const PARTNER_CENTER_HOST = 'partner.microsoft.com';

/**
 * A shadow host with its own href is a link-button: its shadow root only draws the same link
 * around the host's label, so it is neither read nor watched (a grid has a thousand). A
 * link-button without an href on the host is read through its shadow root.
 */
export const isLinkHost: OpaqueHost = (host) => host.hasAttribute('href');

interface LinkInfo extends LinkIds {
  el: Element;
}

interface RowInfo {
  row: Element;
  links: LinkInfo[];
}

/**
 * The elements GDAP Lens badges on `page`, in page order (header first). Never throws:
 * a page that does not look as expected yields []. `scopes`: the document's tree scopes if
 * the observer just walked them (skipping our badge hosts), so the page is walked once.
 */
export function findBadgeTargets(root: Document, page: PartnerCenterPage, scopes?: TreeScopes): BadgeTarget[] {
  try {
    return collectTargets(root, page, scopes);
  } catch {
    return [];
  }
}

function collectTargets(root: Document, page: PartnerCenterPage, scopes: TreeScopes | undefined): BadgeTarget[] {
  const base = baseUrlOf(root);
  const out: BadgeTarget[] = [];

  const headed = page.kind === 'customer' || page.kind === 'customer-relationships' || page.kind === 'relationship';
  // One walk of the page for all that is looked for: the heading, rows and links.
  const selectors = page.kind === 'customer' ? [HEADER_SELECTOR] : headed ? [HEADER_SELECTOR, ROW_SELECTOR, LINK_SELECTOR] : [ROW_SELECTOR, LINK_SELECTOR];
  const groups = deepQueryGroups(root, selectors, BADGE_HOST_TAG, isLinkHost, scopes);
  if (headed) {
    // The outermost first heading.
    const h1 = groups.shift()![0];
    const header = h1 ? headerTarget(h1, page) : null;
    if (header) out.push(header);
  }
  if (page.kind === 'customer') return out;

  // Rows, then each link attached to the row it sits in (climbing out of link-buttons' shadow roots).
  const [foundRows, foundLinks] = groups as [Element[], Element[]];
  const rows = new Map<Element, RowInfo>();
  // Every candidate is a row; a link belongs to the innermost row around it, so a wrapper that
  // happens to carry a `row-…` id around a whole grid owns no links and is skipped.
  for (const el of foundRows) rows.set(el, { row: el, links: [] });
  if (rows.size === 0) return out;
  for (const el of foundLinks) {
    const ids = parseHref(el.getAttribute('href')!, base);
    const row = ids && closestAcrossShadow(el, ROW_SELECTOR);
    if (row) rows.get(row)?.links.push({ el, tenantId: ids.tenantId, relationshipId: ids.relationshipId });
  }

  for (const info of rows.values()) {
    const target =
      page.kind === 'customer-list' ? customerRow(info) : relationshipRow(info, page.kind === 'customer-relationships' ? page.tenantId : null);
    if (target) out.push(target);
  }
  return out;
}

function headerTarget(h1: Element, page: PartnerCenterPage): BadgeTarget | null {
  const headerTenant = h1.getAttribute('data-tenant-id');
  const headerRelationship = h1.getAttribute('data-relationship-id');
  if (page.kind === 'relationship') {
    // A header that names another relationship or customer is a stale page: nothing.
    if (headerRelationship !== null && headerRelationship.trim().toLowerCase() !== page.relationshipId.toLowerCase()) return null;
    if (headerTenant !== null && headerTenant.trim().toLowerCase() !== page.tenantId) return null;
    return { kind: 'relationship-header', relationshipId: page.relationshipId, tenantId: page.tenantId, anchor: h1 };
  }
  if (page.kind === 'customer' || page.kind === 'customer-relationships') {
    if (headerRelationship !== null) return null;
    if (headerTenant !== null && headerTenant.trim().toLowerCase() !== page.tenantId) return null;
    return { kind: 'customer-header', tenantId: page.tenantId, anchor: h1 };
  }
  return null;
}

/** A row is a customer's when its `row-{GUID}` id and its customer links name one tenant. */
function customerRow(info: RowInfo): BadgeTarget | null {
  const { row, links } = info;
  if (row.hasAttribute('data-relationship-id')) return null;
  let tenantId = row.id.match(CUSTOMER_ROW_ID)?.[1]?.toLowerCase() ?? null;
  // Every link names the one customer (the id's, when there is one); the badge goes by the
  // first link to the customer itself, else by the first link.
  let named: LinkInfo | undefined;
  for (const l of links) {
    if (tenantId === null) tenantId = l.tenantId;
    else if (l.tenantId !== tenantId) return null;
    if (!named || (named.relationshipId !== null && l.relationshipId === null)) named = l;
  }
  if (!tenantId) return null;
  return { kind: 'customer-row', tenantId, row, anchor: anchorOf(row, named?.el) };
}

/**
 * A row is a relationship's when its relationship links and `data-relationship-id` name
 * one relationship. The tenant comes from links only, never from the relationship id;
 * on one customer's page, a row linking to another customer is stale and skipped.
 */
function relationshipRow(info: RowInfo, routeTenant: string | null): BadgeTarget | null {
  const { row, links } = info;
  let relationshipId = row.getAttribute('data-relationship-id')?.trim() ?? null;
  if (relationshipId !== null && !RELATIONSHIP_ID.test(relationshipId)) return null;
  // undefined: no link yet; null: links to more than one customer.
  let tenantId: string | null | undefined;
  let named: LinkInfo | undefined;
  for (const l of links) {
    if (l.relationshipId !== null) {
      if (relationshipId === null) relationshipId = l.relationshipId;
      else if (l.relationshipId.toLowerCase() !== relationshipId.toLowerCase()) return null;
      named ??= l;
    }
    tenantId = tenantId === undefined || tenantId === l.tenantId ? l.tenantId : null;
  }
  if (relationshipId === null) return null;
  if (routeTenant !== null && tenantId !== undefined && tenantId !== routeTenant) return null;
  return { kind: 'relationship-row', relationshipId, tenantId: tenantId ?? null, row, anchor: anchorOf(row, named?.el) };
}

/** The cell holding `link` (through the link-button's shadow root), else the row's first cell, else the row. */
function anchorOf(row: Element, link: Element | undefined): Element {
  if (link) {
    const cell = closestAcrossShadow(link, CELL_SELECTOR);
    if (cell && cell !== row && row.contains(cell)) return cell;
  }
  return firstCell(row) ?? row;
}

function firstCell(row: Element): Element | null {
  for (const el of deepQueryGroups(row, [CELL_SELECTOR], BADGE_HOST_TAG, isLinkHost)[0]!) {
    if (closestAcrossShadow(el.parentNode, ROW_SELECTOR) === row) return el;
  }
  return null;
}

function baseUrlOf(doc: Document): URL {
  for (const candidate of [doc.baseURI, doc.URL]) {
    try {
      const url = new URL(candidate);
      if (url.protocol === 'https:' || url.protocol === 'http:') return url;
    } catch {
      // next candidate
    }
  }
  return new URL(`https://${PARTNER_CENTER_HOST}/`);
}

/**
 * A path-absolute href that needs no resolving: no scheme or host, and a path of plain URL
 * characters only (no escape, backslash, space, control or non-ASCII character, which the URL
 * parser would rewrite or strip).
 */
const PLAIN_PATH = /^\/(?!\/)[A-Za-z0-9\-._~!$&'()*+,;=:@/]*(?=[?#]|$)/;
const DOT_SEGMENT = /\/\.\.?(?:\/|$)/;

/**
 * The path of a link on Partner Center itself, or null for a link elsewhere. A grid has
 * thousands of links, nearly all plain paths such as `/dashboard/v2/customers/{id}/...`:
 * those are read as they are; anything else is resolved as the browser would.
 */
function linkPath(href: string, base: URL): string | null {
  const plain = href.match(PLAIN_PATH);
  if (plain && !DOT_SEGMENT.test(plain[0])) return plain[0];
  let url: URL;
  try {
    url = new URL(href, base);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.host !== base.host && url.hostname !== PARTNER_CENTER_HOST) return null;
  return url.pathname;
}

interface LinkIds {
  tenantId: string;
  relationshipId: string | null;
}

/** The customer (and maybe one of its relationships) an href links to on Partner Center itself, or null. */
function parseHref(href: string, base: URL): LinkIds | null {
  // Most links on a page name no customer: skip them before parsing a URL (a grid has thousands).
  if (!CUSTOMERS_IN_HREF.test(href)) return null;
  const m = linkPath(href, base)?.match(LINK_PATH);
  if (!m) return null;
  const tenantId = m[1]!.toLowerCase();
  let relationshipId: string | null = null;
  if (m[2] !== undefined) {
    try {
      relationshipId = decodeURIComponent(m[2]);
    } catch {
      return null;
    }
    if (!RELATIONSHIP_ID.test(relationshipId)) return null;
  }
  return { tenantId, relationshipId };
}
