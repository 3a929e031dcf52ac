import { GUID_RE as GUID } from '../ids';
/**
 * Links into Microsoft's portals (shared/graph-contract.md, shared/portals.md), and the
 * `mailto:` drafts the popup opens. Pure. Ids are checked or encoded: they come from Graph
 * or the cache and are never trusted as URL text. Builders that take a tenant ID answer
 * `null` (or no links) for anything that is not a GUID, rather than a link to the wrong place.
 */


/** The GUID, trimmed and lower-cased; `null` when `value` is not a GUID. */
function guid(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const v = value.trim();
  return GUID.test(v) ? v.toLowerCase() : null;
}

/** The link the customer opens to approve a GDAP request. */
export function invitationUrl(relationshipId: string): string {
  return `https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/${encodeURIComponent(relationshipId)}`;
}

/** The relationship's page in Partner Center. */
export function partnerCenterRelationshipUrl(tenantId: string, relationshipId: string): string {
  return `https://partner.microsoft.com/dashboard/v2/customers/${encodeURIComponent(tenantId)}/adminrelationships/${encodeURIComponent(relationshipId)}`;
}

// ---------------------------------------------------------------------------
// Reseller relationship links (D1, R31)
// ---------------------------------------------------------------------------

const RESELLER_BASE = 'https://admin.microsoft.com/Adminportal/Home';
const RESELLER_FRAGMENT = '#/BillingAccounts/partner-invitation';

/**
 * D1: the partner's personalised reseller relationship link, exactly as Partner Center's
 * `GET /v1/customers/relationshiprequests` returns it. R31: always `DAP=false` (since
 * 10 October 2023 the link no longer grants DAP, and this product never asks for it).
 * `null` when `partnerTenantId` is not a GUID.
 */
export function resellerInvitationUrl(partnerTenantId: string): string | null {
  const partner = guid(partnerTenantId);
  if (partner === null) return null;
  return `${RESELLER_BASE}?invType=ResellerRelationship&partnerId=${partner}&msppId=0&DAP=false${RESELLER_FRAGMENT}`;
}

export interface IndirectResellerLinkInput {
  /** The indirect reseller's tenant ID (`partnerId`). */
  resellerTenantId: string;
  /** The reseller's partner location (MPN) ID, digits only (`msppId`). */
  locationId: string;
  /** The indirect provider's tenant ID (`indirectCSPId`). */
  providerTenantId: string;
}

/**
 * D1, indirect model: the reseller relationship link an indirect reseller sends, naming its
 * indirect provider. R31: always `DAP=false`. `null` when a tenant ID is not a GUID or the
 * location ID is not 1–20 digits.
 */
export function indirectResellerInvitationUrl(input: IndirectResellerLinkInput): string | null {
  const reseller = guid(input.resellerTenantId);
  const provider = guid(input.providerTenantId);
  const location = typeof input.locationId === 'string' ? input.locationId.trim() : '';
  if (reseller === null || provider === null || !/^\d{1,20}$/.test(location)) return null;
  return (
    `${RESELLER_BASE}?invType=IndirectResellerRelationship&partnerId=${reseller}` +
    `&msppId=${location}&indirectCSPId=${provider}&DAP=false${RESELLER_FRAGMENT}`
  );
}

// ---------------------------------------------------------------------------
// Customer admin portals (D2, shared/portals.md)
// ---------------------------------------------------------------------------

export type PortalId = 'm365' | 'exchange' | 'teams' | 'entra' | 'intune' | 'azure' | 'defender' | 'purview' | 'partnerCenter';

export interface PortalLink {
  id: PortalId;
  url: string;
}

/** Order of {@link portalLinks}. */
export const PORTAL_IDS: readonly PortalId[] = ['m365', 'exchange', 'teams', 'entra', 'intune', 'azure', 'defender', 'purview', 'partnerCenter'];

/** A DNS name such as `contoso.onmicrosoft.com`: labels of letters, digits and inner hyphens. */
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * D2: deep links into the customer's admin portals, as the partner opens them on the
 * customer's behalf. Where portals.md's pattern says `{domain}`, the customer's (initial)
 * domain is used when known and a valid DNS name, otherwise its tenant ID (every one of those
 * portals accepts either); Defender and Purview always take `?tid={tenantId}`. Partner
 * Center's page of the customer's admin relationships comes last. No links at all when
 * `tenantId` is not a GUID.
 */
export function portalLinks(input: { tenantId: string; domain: string | null }): PortalLink[] {
  const tenant = guid(input.tenantId);
  if (tenant === null) return [];
  const domain = typeof input.domain === 'string' ? input.domain.trim().toLowerCase() : '';
  const org = encodeURIComponent(DOMAIN.test(domain) ? domain : tenant);
  return [
    { id: 'm365', url: `https://admin.cloud.microsoft/?delegatedOrg=${org}` },
    { id: 'exchange', url: `https://admin.cloud.microsoft/exchange?delegatedOrg=${org}` },
    { id: 'teams', url: `https://admin.teams.microsoft.com/?delegatedOrg=${org}` },
    { id: 'entra', url: `https://entra.microsoft.com/${org}` },
    { id: 'intune', url: `https://intune.microsoft.com/${org}` },
    { id: 'azure', url: `https://portal.azure.com/${org}` },
    { id: 'defender', url: `https://security.microsoft.com/?tid=${tenant}` },
    { id: 'purview', url: `https://purview.microsoft.com/?tid=${tenant}` },
    { id: 'partnerCenter', url: `https://partner.microsoft.com/dashboard/v2/customers/${tenant}/adminrelationships` },
  ];
}

// ---------------------------------------------------------------------------
// mailto: drafts (D1: "open a drafted e-mail")
// ---------------------------------------------------------------------------

/** Longest `mailto:` URL {@link mailtoDraft} returns: mail programs and browsers cut or refuse longer ones. */
export const MAILTO_MAX_LENGTH = 1800;
/** Longest subject kept, in characters (code points), before encoding. */
const MAX_SUBJECT_CHARS = 200;
/** Longest encoded subject: the rest of {@link MAILTO_MAX_LENGTH} is the body's. */
const MAX_SUBJECT_ENCODED = 400;
/** Appended where the body was cut. */
const ELLIPSIS = '\u2026';
/** A plain e-mail address: no characters that would end or split the `to` part of the URL. */
const ADDRESS = /^[A-Za-z0-9.!#$&'*+/=^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;

/** Lone surrogates become U+FFFD, so that encodeURIComponent cannot throw. */
function wellFormed(s: string): string {
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** RFC 6068: every line break in a body is CRLF (encoded %0D%0A). */
function crlf(s: string): string {
  return s.replace(/\r\n|\r|\n/g, '\r\n');
}

/**
 * Cuts `text` so that its encoding (plus the encoded ellipsis) fits `budget` characters:
 * whole code points only (never half an escape or half a surrogate pair), preferably after
 * the last line break or space in the last fifth of what fits, then `…`.
 */
function fitEncoded(text: string, budget: number): string {
  const encoded = encodeURIComponent(text);
  if (encoded.length <= budget) return encoded;
  const room = budget - encodeURIComponent(ELLIPSIS).length;
  if (room <= 0) return '';
  const chars = Array.from(text);
  let used = 0;
  let count = 0;
  for (const ch of chars) {
    const len = encodeURIComponent(ch).length;
    if (used + len > room) break;
    used += len;
    count++;
  }
  let cut = chars.slice(0, count).join('');
  const boundary = Math.max(cut.lastIndexOf('\r\n'), cut.lastIndexOf(' '));
  if (boundary > 0 && boundary >= cut.length * 0.8) cut = cut.slice(0, boundary);
  return encodeURIComponent(cut.trimEnd() + ELLIPSIS);
}

/**
 * A `mailto:` URL (RFC 6068) that opens a drafted e-mail in the default mail program.
 * Subject and body are percent-encoded with encodeURIComponent (so `&`, `?`, `#`, `%`, `=`
 * and non-ASCII text such as Korean survive as text), line breaks of the body become
 * `%0D%0A`, line breaks in the subject become spaces. `to` is used when it is one plain
 * address, else left out (the user picks the recipient).
 *
 * The URL is never longer than {@link MAILTO_MAX_LENGTH}: the subject is kept to 200
 * characters and 400 encoded characters (so a long Korean subject cannot crowd out the body),
 * and the body is cut at the end (at a line break or space where one is near) with `…`. Put what must survive, such as the invitation link, at the start of the body.
 */
export function mailtoDraft(draft: { subject: string; body: string; to?: string }): string {
  const to = typeof draft.to === 'string' && ADDRESS.test(draft.to.trim()) ? draft.to.trim() : '';
  const head = `mailto:${to.split('@').map(encodeURIComponent).join('@')}`;
  const subjectText = Array.from(wellFormed(String(draft.subject ?? '')).replace(/[\r\n]+/g, ' ').trim());
  let subject = subjectText.slice(0, MAX_SUBJECT_CHARS).join('');
  if (subjectText.length > MAX_SUBJECT_CHARS) subject = subject.trimEnd() + ELLIPSIS;
  const body = crlf(wellFormed(String(draft.body ?? '')));

  // The subject never takes more than its share, so the body (with the link) keeps room.
  const subjectPart = `?subject=${fitEncoded(subject, MAX_SUBJECT_ENCODED)}`;
  const bodyPrefix = '&body=';
  const room = MAILTO_MAX_LENGTH - head.length - subjectPart.length - bodyPrefix.length;
  if (body === '' || room <= 0) return head + subjectPart;
  const encodedBody = fitEncoded(body, room);
  return encodedBody === '' ? head + subjectPart : head + subjectPart + bodyPrefix + encodedBody;
}
