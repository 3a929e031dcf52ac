/**
 * Fake Microsoft 365 admin center (https://admin.microsoft.com, also
 * https://admin.cloud.microsoft, same content on both): an SPA with hash routes, its
 * browser script (./app.js, plain JS served as is) and the same-origin JSON API the
 * script reads and writes. Everything is built from `ctx.world` at request time.
 *
 * Served:
 *   GET /AdminPortal/Home (any case, also /AdminPortal, /, /exchange) → the SPA
 *       #/partners, #/partners/invitation/granularAdminRelationships/{id},
 *       ?invType=…&partnerId=…#/BillingAccounts/partner-invitation, #/homepage
 *   GET  /__fake/ac/app.js
 *   GET  /__fake/ac/api/tenant
 *   GET  /__fake/ac/api/partners
 *   POST /__fake/ac/api/partners/{partnerId}/removeDelegatedAdmin
 *   GET  /__fake/ac/api/gdap-invitations/{relationshipId}
 *   POST /__fake/ac/api/gdap-invitations/{relationshipId}/approve
 *   GET  /__fake/ac/api/reseller-invitation?partnerId=…
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { approve as graphApprove } from '../graph';
import type { AdminCenterPartner, FakeRelationship, HostHandler, World } from '../model';
import {
  browserScript,
  durationDays,
  isAutoExtendOn,
  roleDisplayName,
  sendError,
  sendHtml,
  sendJson,
  sendNoContent,
  sendScript,
  spaDocument,
} from '../pages-common';

export const AC_SCRIPT_PATH = '/__fake/ac/app.js';
const API = '/__fake/ac/api/';
const DAY_MS = 86_400_000;
/** R2: a request the customer does not act on expires 90 days after it was created. */
const INVITATION_LIFETIME_DAYS = 90;

const SHELL_PATH = /^\/(?:adminportal(?:\/home)?\/?|exchange\/?)?$/i;

export const adminCenterHandler: HostHandler = (req, res, url, ctx) => {
  const path = url.pathname;
  if (path === '/favicon.ico') return sendNoContent(req, res);
  if (path === AC_SCRIPT_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
    return sendScript(req, res, browserScript(new URL('./app.js', import.meta.url)));
  }
  if (path.startsWith(API)) return api(req, res, url, ctx.world, path.slice(API.length));
  if ((req.method === 'GET' || req.method === 'HEAD') && SHELL_PATH.test(path)) {
    const unknownLayout = url.searchParams.get('layout') === 'unknown';
    return sendHtml(
      req,
      res,
      spaDocument({
        lang: 'en-us',
        title: 'Microsoft 365 admin center',
        scriptSrc: AC_SCRIPT_PATH,
        body: unknownLayout ? '<div id="root" data-layout="unknown"></div>' : '<div id="root"></div>',
      }),
    );
  }
  return false;
};

function api(req: IncomingMessage, res: ServerResponse, url: URL, world: World, rest: string): true {
  let seg: string[];
  try {
    seg = rest.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  } catch {
    return sendError(req, res, 400, 'BadRequest', 'Malformed path.');
  }
  const method = req.method ?? 'GET';
  const [resource, id, action, extra] = seg;
  if (extra !== undefined) return sendError(req, res, 404, 'NotFound', 'No such resource.');

  if (resource === 'tenant' && id === undefined && method === 'GET') {
    return sendJson(req, res, 200, { tenantId: world.adminCenter.tenantId, displayName: world.adminCenter.displayName });
  }
  if (resource === 'partners' && id === undefined && method === 'GET') {
    return sendJson(req, res, 200, { value: world.adminCenter.partners });
  }
  if (resource === 'partners' && id !== undefined && action === 'removeDelegatedAdmin' && method === 'POST') {
    const p = world.adminCenter.partners.find((x) => x.id === id);
    if (!p) return sendError(req, res, 404, 'PartnerNotFound', 'This partner was not found.');
    removeDelegatedAdmin(world, p);
    return sendJson(req, res, 200, p);
  }
  if (resource === 'gdap-invitations' && id !== undefined && action === undefined && method === 'GET') {
    const r = world.relationships.find((x) => x.id === id);
    return r ? sendJson(req, res, 200, invitationView(world, r)) : sendError(req, res, 404, 'InvitationNotFound', 'This request was not found.');
  }
  if (resource === 'gdap-invitations' && id !== undefined && action === 'approve' && method === 'POST') {
    const r = world.relationships.find((x) => x.id === id);
    if (!r) return sendError(req, res, 404, 'InvitationNotFound', 'This request was not found.');
    const state = invitationState(world, r);
    if (state !== 'pending') return sendError(req, res, 409, 'InvitationNotPending', `This request can't be approved (${state}).`);
    try {
      // approvalPending → active through the fake Graph's own life-cycle helper (its fake clock stamps the dates).
      graphApprove(world, r.id);
    } catch (e) {
      return sendError(req, res, 409, 'ApprovalFailed', e instanceof Error ? e.message : 'The request could not be approved.');
    }
    const after = world.relationships.find((x) => x.id === id) ?? r;
    syncAdminCenterAfterApproval(world, after);
    return sendJson(req, res, 200, invitationView(world, after));
  }
  if (resource === 'reseller-invitation' && id === undefined && method === 'GET') {
    const partnerId = url.searchParams.get('partnerId') ?? '';
    const known = partnerId !== '' && partnerId.toLowerCase() === world.partner.tenantId.toLowerCase();
    return sendJson(req, res, 200, { partnerId, partnerName: known ? world.partner.displayName : null });
  }
  return sendError(req, res, method === 'GET' || method === 'POST' ? 404 : 405, 'NotFound', 'No such resource.');
}

// ---------------------------------------------------------------------------
// GDAP invitations.

type InvitationState = 'pending' | 'expired' | 'approved' | 'unavailable';

/**
 * What the page offers. A pending request lapses 90 days after creation (R2), judged
 * against `world.now` (the fake Graph does not model the lapse itself).
 */
function invitationState(world: World, r: FakeRelationship): InvitationState {
  if (r.status === 'approvalPending') {
    const created = Date.parse(r.createdDateTime);
    const lapsed = Number.isFinite(created) && created + INVITATION_LIFETIME_DAYS * DAY_MS < world.now.getTime();
    return lapsed ? 'expired' : 'pending';
  }
  if (['approved', 'activating', 'active', 'expiring'].includes(r.status)) return 'approved';
  if (r.status === 'expired') return 'expired';
  return 'unavailable';
}

export interface InvitationView {
  id: string;
  displayName: string;
  partnerName: string;
  partnerTenantId: string;
  customerTenantId: string | null;
  customerName: string | null;
  roles: Array<{ id: string; name: string }>;
  duration: string;
  durationDays: number | null;
  autoExtend: boolean;
  autoExtendDays: number | null;
  status: string;
  state: InvitationState;
  createdDateTime: string;
  /** createdDateTime + 90 days (R2). */
  expiresDateTime: string | null;
  activatedDateTime: string | null;
  endDateTime: string | null;
}

function invitationView(world: World, r: FakeRelationship): InvitationView {
  const days = durationDays(r.duration);
  const ext = durationDays(r.autoExtendDuration);
  const created = Date.parse(r.createdDateTime);
  const tenantId = r.customer?.tenantId || null;
  const customer = tenantId ? world.customers.find((c) => c.tenantId.toLowerCase() === tenantId.toLowerCase()) : undefined;
  return {
    id: r.id,
    displayName: r.displayName,
    partnerName: world.partner.displayName,
    partnerTenantId: world.partner.tenantId,
    customerTenantId: tenantId,
    customerName: r.customer?.displayName || customer?.displayName || null,
    roles: r.accessDetails.unifiedRoles.map((u) => ({ id: u.roleDefinitionId, name: roleDisplayName(u.roleDefinitionId) })),
    duration: r.duration,
    durationDays: days === null ? null : Math.round(days),
    autoExtend: isAutoExtendOn(r.autoExtendDuration),
    autoExtendDays: ext === null || ext <= 0 ? null : Math.round(ext),
    status: r.status,
    state: invitationState(world, r),
    createdDateTime: r.createdDateTime,
    expiresDateTime: Number.isFinite(created) ? new Date(created + INVITATION_LIFETIME_DAYS * DAY_MS).toISOString() : null,
    activatedDateTime: r.activatedDateTime || null,
    endDateTime: r.endDateTime || null,
  };
}

const GDAP_TYPE = 'Granular delegated admin (GDAP)';
const DAP_TYPE = 'Delegated admin (DAP)';

/** When the approving customer is the admin center's tenant, its Partner relationships page now lists the GDAP relationship. */
function syncAdminCenterAfterApproval(world: World, r: FakeRelationship): void {
  const tenantId = r.customer?.tenantId;
  if (!tenantId || tenantId.toLowerCase() !== world.adminCenter.tenantId.toLowerCase()) return;
  const partners = world.adminCenter.partners;
  let p = partners.find((x) => x.id === world.partner.tenantId || x.displayName === world.partner.displayName);
  if (!p) {
    p = { id: world.partner.tenantId, displayName: world.partner.displayName, relationshipTypes: [], roles: [] };
    partners.push(p);
  }
  if (!p.relationshipTypes.includes(GDAP_TYPE)) p.relationshipTypes.push(GDAP_TYPE);
  for (const u of r.accessDetails.unifiedRoles) {
    const name = roleDisplayName(u.roleDefinitionId);
    if (!p.roles.includes(name)) p.roles.push(name);
  }
  if (r.endDateTime && (!p.gdapEndDateTime || Date.parse(r.endDateTime) > Date.parse(p.gdapEndDateTime))) {
    p.gdapEndDateTime = r.endDateTime;
    p.gdapRelationshipName = r.displayName;
  }
}

/**
 * D5: "Remove delegated admin" drops DAP and keeps the other relationships. The DAP role
 * (Global Administrator) goes too unless a GDAP relationship remains to explain the roles.
 */
function removeDelegatedAdmin(world: World, p: AdminCenterPartner): void {
  if (!p.relationshipTypes.includes(DAP_TYPE)) return;
  p.relationshipTypes = p.relationshipTypes.filter((t) => t !== DAP_TYPE);
  if (!p.relationshipTypes.includes(GDAP_TYPE)) p.roles = p.roles.filter((r) => r !== 'Global Administrator');
  if (p.id === world.partner.tenantId) {
    const me = world.customers.find((c) => c.tenantId.toLowerCase() === world.adminCenter.tenantId.toLowerCase());
    if (me) me.hasDap = false;
  }
}
