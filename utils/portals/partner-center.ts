/**
 * Everything GDAP Lens knows about Partner Center's pages (shared/portals.md):
 * which routes exist and what kind of page each is. Selectors and row extraction
 * join this module as the badges arrive; a Partner Center redesign is a fix here.
 */
export type PartnerCenterPage =
  | { kind: 'customer-list' }
  | { kind: 'gdap-list' }
  | { kind: 'customer-relationships'; tenantId: string }
  | { kind: 'relationship'; tenantId: string; relationshipId: string }
  | { kind: 'customer'; tenantId: string };

const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
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
