/**
 * What the customer's admin center pages mean for the customer: how much a partner can
 * do in the tenant (Partner relationships page, D4–D7, R27) and what a GDAP invitation
 * asks for (R6, R17, R23). Pure functions over what ./admin-center.ts read from the
 * page: no DOM, no clock (callers pass `now`), no words (reasons are codes, role
 * explanations are i18n keys). They run in the background, which holds the role catalog;
 * the admin center content script gets their results as ./admin-model.ts shapes.
 */
import { addDuration } from '../gdap/duration';
import { GLOBAL_ADMINISTRATOR, ROLES, includesGlobalAdministrator, roleName, rolePreset, roleRisk, type RoleRisk } from '../gdap/roles';
import { GUID_RE } from '../ids';
import { matchRoleName, readInvitationTexts, readPartnerTexts, type Invitation, type PartnerRow, type PartnerRowFacts } from './admin-center';
import type { InvitationTexts, PartnerRowTexts } from './admin-center-dom';
import {
  ENDS_SOON_DAYS,
  type InvitationRole,
  type InvitationView,
  type LeastPrivilegePresetId,
  type PartnerBadgeModel,
  type PartnerRiskLevel,
  type PartnerSummary,
  type PartnersAnalysis,
  type RiskReason,
} from './admin-model';

export {
  ENDS_SOON_DAYS,
  type InvitationRole,
  type LeastPrivilegePresetId,
  type PartnerBadgeModel,
  type PartnerRiskLevel,
  type PartnerSummary,
  type PartnersAnalysis,
  type RiskReason,
} from './admin-model';

const DAY_MS = 86_400_000;

export interface PartnerRisk {
  risk: PartnerRiskLevel;
  reasons: RiskReason[];
}

/** The parts of a {@link PartnerRow} the analysis reads. */
export type PartnerFacts = Pick<PartnerRow, 'types' | 'roleIds' | 'unknownRoleNames' | 'gdapEnd'>;

const LEVEL_RANK: Record<PartnerRiskLevel, number> = { none: 0, low: 1, medium: 2, high: 3 };

function atLeast(a: PartnerRiskLevel, b: PartnerRiskLevel): PartnerRiskLevel {
  return LEVEL_RANK[a] >= LEVEL_RANK[b] ? a : b;
}

function uniqueIds(ids: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of ids) {
    const id = raw.trim().toLowerCase();
    if (id !== '' && !out.includes(id)) out.push(id);
  }
  return out;
}

/**
 * How much a partner can do in the customer's tenant.
 * - DAP → high: `dap-global-admin`, `no-end-date` (D7), plus `dap-and-gdap` when GDAP too (R27).
 * - Global Administrator (GDAP) or any high-risk role → high; other admin roles → medium;
 *   only read-only / low roles → low (`read-only`); nothing → none (`no-admin-access`).
 * - `ends-soon` when the GDAP end is between yesterday and `now` + 30 days.
 */
export function partnerRisk(row: PartnerFacts, now: Date = new Date()): PartnerRisk {
  const reasons: RiskReason[] = [];
  let risk: PartnerRiskLevel = 'none';
  const { dap, gdap } = row.types;
  const ids = uniqueIds(row.roleIds);
  if (dap && !ids.includes(GLOBAL_ADMINISTRATOR)) ids.unshift(GLOBAL_ADMINISTRATOR);

  if (dap) {
    reasons.push('dap-global-admin', 'no-end-date');
    risk = 'high';
    if (gdap) reasons.push('dap-and-gdap');
  }
  // Under DAP, Global Administrator is already `dap-global-admin`: the page cannot tell
  // whether a GDAP relationship grants it too.
  if (!dap && ids.includes(GLOBAL_ADMINISTRATOR)) {
    reasons.push('global-admin');
    risk = 'high';
  }
  const others = ids.filter((id) => id !== GLOBAL_ADMINISTRATOR);
  if (others.some((id) => roleRisk(id) === 'high')) {
    reasons.push('privileged-role');
    risk = 'high';
  }
  if (others.some((id) => roleRisk(id) === 'medium')) {
    reasons.push('write-roles');
    risk = atLeast(risk, 'medium');
  }
  if (row.unknownRoleNames.length > 0) {
    reasons.push('unrecognized-roles');
    risk = atLeast(risk, 'medium');
  }
  if (ids.length === 0 && row.unknownRoleNames.length === 0) {
    if (gdap) {
      reasons.push('no-roles-shown');
      risk = atLeast(risk, 'medium');
    } else {
      reasons.push('no-admin-access');
    }
  } else if (risk === 'none') {
    // Roles, all of them low.
    reasons.push('read-only');
    risk = 'low';
  }

  if (gdap && row.gdapEnd) {
    const end = Date.parse(row.gdapEnd);
    const t = now.getTime();
    if (Number.isFinite(end) && Number.isFinite(t) && end >= t - DAY_MS && end <= t + ENDS_SOON_DAYS * DAY_MS) reasons.push('ends-soon');
  }
  return { risk, reasons };
}

/** The high-risk roles among `roleIds` (roleRisk), lower case, each once, in input order. */
export function privilegedRoles(roleIds: readonly string[]): string[] {
  return uniqueIds(roleIds).filter((id) => roleRisk(id) === 'high');
}

export function summarizePartners(rows: ReadonlyArray<Pick<PartnerRow, 'types' | 'roleIds' | 'unknownRoleNames'>>): PartnerSummary {
  let withAdminAccess = 0;
  let viaDap = 0;
  let withGlobalAdmin = 0;
  for (const r of rows) {
    if (r.types.dap || r.types.gdap || r.roleIds.length > 0 || r.unknownRoleNames.length > 0) withAdminAccess++;
    if (r.types.dap) viaDap++;
    if (r.types.dap || includesGlobalAdministrator(r.roleIds)) withGlobalAdmin++;
  }
  return { total: rows.length, withAdminAccess, viaDap, withGlobalAdmin };
}

// ---------------------------------------------------------------------------
// Invitation

/**
 * i18n keys explaining the commonest roles, by English catalog name (resolved to ids at
 * load; a unit test checks that every name is in the catalog). Other roles get
 * `adminRole.generic.{risk}`.
 */
const EXPLAINED_ROLES: ReadonlyArray<readonly [string, string]> = [
  ['Global Administrator', 'adminRole.globalAdministrator'],
  ['Privileged Role Administrator', 'adminRole.privilegedRoleAdministrator'],
  ['Privileged Authentication Administrator', 'adminRole.privilegedAuthenticationAdministrator'],
  ['Security Administrator', 'adminRole.securityAdministrator'],
  ['Exchange Administrator', 'adminRole.exchangeAdministrator'],
  ['User Administrator', 'adminRole.userAdministrator'],
  ['Helpdesk Administrator', 'adminRole.helpdeskAdministrator'],
  ['Service Support Administrator', 'adminRole.serviceSupportAdministrator'],
  ['Global Reader', 'adminRole.globalReader'],
  ['Directory Readers', 'adminRole.directoryReaders'],
  ['Directory Writers', 'adminRole.directoryWriters'],
  ['License Administrator', 'adminRole.licenseAdministrator'],
  ['Intune Administrator', 'adminRole.intuneAdministrator'],
  ['Teams Administrator', 'adminRole.teamsAdministrator'],
  ['SharePoint Administrator', 'adminRole.sharePointAdministrator'],
  ['Application Administrator', 'adminRole.applicationAdministrator'],
  ['Cloud Application Administrator', 'adminRole.cloudApplicationAdministrator'],
  ['Conditional Access Administrator', 'adminRole.conditionalAccessAdministrator'],
  ['Authentication Administrator', 'adminRole.authenticationAdministrator'],
  ['Billing Administrator', 'adminRole.billingAdministrator'],
  ['Security Reader', 'adminRole.securityReader'],
  ['Reports Reader', 'adminRole.reportsReader'],
];

const GENERIC_KEYS: Record<RoleRisk, string> = {
  high: 'adminRole.generic.high',
  medium: 'adminRole.generic.medium',
  low: 'adminRole.generic.low',
};

/** The curated role names whose catalog entry is missing (expected: none). */
export const UNRESOLVED_EXPLAINED_ROLES: readonly string[] = EXPLAINED_ROLES.filter(([name]) => !ROLES.some((r) => r.name === name)).map(
  ([name]) => name,
);

const EXPLANATION_BY_ID: ReadonlyMap<string, string> = new Map(
  EXPLAINED_ROLES.flatMap(([name, key]) => {
    const role = ROLES.find((r) => r.name === name);
    return role ? [[role.id, key] as [string, string]] : [];
  }),
);

/** Every i18n key {@link roleExplanationKey} can return (for the locale files and their test). */
export const ADMIN_ROLE_EXPLANATION_KEYS: readonly string[] = [...EXPLAINED_ROLES.map(([, key]) => key), ...Object.values(GENERIC_KEYS)];

/** The i18n key explaining a role: a curated one, else `adminRole.generic.{risk}`. */
export function roleExplanationKey(id: string): string {
  return EXPLANATION_BY_ID.get(id.trim().toLowerCase()) ?? GENERIC_KEYS[roleRisk(id)];
}

export interface InvitationAnalysis extends InvitationView {
  /** Requested catalog roles outside read-only (R23) ∪ support tickets (R17), high → low then by name. */
  beyondLeastPrivilege: string[];
}

const RISK_RANK: Record<RoleRisk, number> = { high: 0, medium: 1, low: 2 };

function compareRoles(a: InvitationRole, b: InvitationRole): number {
  return (
    RISK_RANK[a.risk] - RISK_RANK[b.risk] ||
    a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) ||
    (a.id ?? '').localeCompare(b.id ?? '')
  );
}

const LEAST_PRIVILEGE_PRESETS: readonly LeastPrivilegePresetId[] = ['read-only', 'support-tickets'];

function presetIds(id: LeastPrivilegePresetId): string[] {
  return (rolePreset(id)?.roleIds ?? []).map((r) => r.toLowerCase());
}

/**
 * What a GDAP invitation asks for.
 *
 * Least-privilege rule (conservative, since the partner's intent is unknowable): the
 * baseline is what the two least-privilege presets grant together, read-only (R23:
 * Global Reader, Directory Readers) and support tickets (R17: Service Support
 * Administrator). Requested roles outside that baseline are `beyondLeastPrivilege`;
 * the request is flagged (`exceeds` non-empty) only when one of them is high-risk, so a
 * request adding, say, Reports Reader or License Administrator is not flagged.
 */
export function analyzeInvitation(
  inv: Pick<Invitation, 'roleIds' | 'unknownRoleNames' | 'durationDays' | 'autoExtend'>,
  now: Date,
): InvitationAnalysis {
  const ids = uniqueIds(inv.roleIds);
  const roles: InvitationRole[] = ids.map((id) => {
    const risk = roleRisk(id);
    return { id, name: roleName(id) ?? id, risk, explanationKey: roleExplanationKey(id) };
  });
  for (const name of new Set(inv.unknownRoleNames)) {
    if (name.trim() !== '') roles.push({ id: null, name, risk: 'medium', explanationKey: GENERIC_KEYS.medium });
  }
  roles.sort(compareRoles);

  const days = inv.durationDays;
  const durationDays = typeof days === 'number' && Number.isFinite(days) && days > 0 ? days : null;
  let endDate: string | null = null;
  if (durationDays !== null) {
    const end = addDuration(now, { days: durationDays });
    endDate = Number.isFinite(end.getTime()) ? end.toISOString() : null;
  }

  const autoExtend: InvitationAnalysis['autoExtend'] = includesGlobalAdministrator(ids)
    ? 'not-allowed'
    : inv.autoExtend === null
      ? null
      : inv.autoExtend
        ? 'on'
        : 'off';

  const ordered = roles.filter((r): r is InvitationRole & { id: string } => r.id !== null).map((r) => r.id);
  const baseline = new Set(LEAST_PRIVILEGE_PRESETS.flatMap(presetIds));
  const beyondLeastPrivilege = ordered.filter((id) => !baseline.has(id));
  const flagged = beyondLeastPrivilege.some((id) => roleRisk(id) === 'high');
  const exceeds = flagged
    ? LEAST_PRIVILEGE_PRESETS.map((presetId) => {
        const granted = new Set(presetIds(presetId));
        return { presetId, extraRoleIds: ordered.filter((id) => !granted.has(id)) };
      })
    : [];

  return { roles, durationDays, endDate, autoExtend, beyondLeastPrivilege, exceeds };
}

// ---------------------------------------------------------------------------
// Role names for the partner badge

const norm = (s: string) => s.trim().toLowerCase();

/** The privileged roles as names (ids are named from the catalog), without blanks or repeats. */
export function privilegedNames(list: readonly string[]): string[] {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const entry of list) {
    const text = String(entry ?? '').trim();
    const name = GUID_RE.test(text) ? (roleName(text) ?? text) : text;
    if (name && !seen.has(norm(name))) {
      seen.add(norm(name));
      names.push(name);
    }
  }
  return names;
}

/**
 * The partner's roles split into privileged and other, each under the name the page shows
 * (English or Korean: page names are matched to catalog roles), privileged ones the page
 * does not list named from the catalog. `privileged`: role template ids or names.
 */
export function splitRoles(roleNames: readonly string[], privileged: readonly string[]): { privileged: string[]; other: string[] } {
  const ids = new Set<string>();
  const names = new Set<string>();
  for (const entry of privileged) {
    const text = String(entry ?? '').trim();
    if (GUID_RE.test(text)) ids.add(text.toLowerCase());
    else if (text) names.add(norm(text));
  }
  const out = { privileged: [] as string[], other: [] as string[] };
  const covered = new Set<string>();
  for (const raw of roleNames) {
    const name = String(raw ?? '').trim();
    if (!name) continue;
    const role = matchRoleName(name);
    const flagged = (role !== null && (ids.has(role.id) || names.has(norm(role.name)))) || names.has(norm(name));
    (flagged ? out.privileged : out.other).push(name);
    if (flagged) {
      covered.add(norm(name));
      if (role) covered.add(role.id).add(norm(role.name));
    }
  }
  for (const extra of privilegedNames(privileged)) {
    const id = [...ids].find((i) => roleName(i) === extra);
    if (!covered.has(norm(extra)) && !(id && covered.has(id))) out.privileged.push(extra);
  }
  return out;
}

// ---------------------------------------------------------------------------
// The pages, as the content script sends them (./admin-center-dom.ts texts)

/** A partner row's badge: its risk (partnerRisk) and its roles by name. */
export function partnerBadgeModel(row: PartnerRowFacts, now: Date): PartnerBadgeModel {
  const { risk, reasons } = partnerRisk(row, now);
  const privileged = privilegedRoles(row.roleIds);
  return {
    types: { reseller: row.types.reseller, dap: row.types.dap, gdap: row.types.gdap },
    roleCount: row.roleNames.length,
    gdapEnd: row.gdapEnd,
    risk,
    reasons,
    privilegedRoles: privilegedNames(privileged),
    roles: splitRoles(row.roleNames, privileged),
  };
}

/** The Partner relationships page from its rows' texts: one badge per row, in order, and the summary. */
export function analyzePartnerTexts(rows: readonly PartnerRowTexts[], now: Date): PartnersAnalysis {
  const facts = rows.map(readPartnerTexts);
  return { partners: facts.map((f) => partnerBadgeModel(f, now)), summary: summarizePartners(facts) };
}

/** A GDAP invitation from its page's texts; null when its role list names no role (no panel). */
export function analyzeInvitationTexts(texts: InvitationTexts, now: Date): InvitationView | null {
  const facts = readInvitationTexts(texts);
  if (!facts) return null;
  const { roles, durationDays, endDate, autoExtend, exceeds } = analyzeInvitation(facts, now);
  return { roles, durationDays, endDate, autoExtend, exceeds };
}
