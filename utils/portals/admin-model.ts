/**
 * What the background tells the admin center content script about the page it reads
 * (messages `analyzePartners` and `analyzeInvitation`, utils/messaging/protocol.ts): the
 * shapes both sides share, and nothing that needs the role catalog. The background fills
 * them from ./admin-center.ts and ./admin-risk.ts; components/admin renders them.
 */
import type { RoleRisk } from '../gdap/role-ids';

/**
 * The most the admin center content script sends of a page: partner rows, roles per row or
 * invitation, characters per text (protocol.ts schemas). It clips what it reads to these
 * (a customer has a handful of partners; no role name comes near 1,000 characters).
 */
export const ADMIN_PAGE_LIMITS = { rows: 500, roles: 200, text: 1000 } as const;

/** A GDAP end this close (or closer) is "ends soon": Partner Center's own 30-day window (portals.md). */
export const ENDS_SOON_DAYS = 30;

export type PartnerRiskLevel = 'high' | 'medium' | 'low' | 'none';

/**
 * Why a partner got its risk level. Codes, not words:
 * - `dap-global-admin`: DAP, so the partner's admin agents are Global Administrator (D7);
 * - `no-end-date`: DAP never expires (D7);
 * - `dap-and-gdap`: both; GDAP takes precedence for users in GDAP groups, DAP still applies to the others (R27);
 * - `global-admin`: Global Administrator through GDAP;
 * - `privileged-role`: another high-risk role (roleRisk);
 * - `write-roles`: medium-risk (non read-only) roles;
 * - `unrecognized-roles`: role names the catalog does not know (counted as medium, like unknown role ids);
 * - `no-roles-shown`: GDAP, but the page shows no role (counted as medium: unknown, not harmless);
 * - `read-only`: only read-only / low-risk roles (R23, R17);
 * - `no-admin-access`: no DAP, no GDAP, no roles (e.g. reseller only);
 * - `ends-soon`: the GDAP end is within {@link ENDS_SOON_DAYS} days.
 */
export const RISK_REASONS = [
  'dap-global-admin',
  'no-end-date',
  'dap-and-gdap',
  'global-admin',
  'privileged-role',
  'write-roles',
  'unrecognized-roles',
  'no-roles-shown',
  'read-only',
  'no-admin-access',
  'ends-soon',
] as const;
export type RiskReason = (typeof RISK_REASONS)[number];

/** One partner row's badge, as the background reads the row (everything but the partner's name). */
export interface PartnerBadgeModel {
  types: { reseller: boolean; dap: boolean; gdap: boolean };
  /** How many roles the page lists (Global Administrator counted for DAP, D7). */
  roleCount: number;
  /** The GDAP end as an ISO instant, when the page shows a date that parses. */
  gdapEnd: string | null;
  risk: PartnerRiskLevel;
  reasons: RiskReason[];
  /** The privileged (high-risk) roles among the partner's, by catalog name, each once: the pill counts them. */
  privilegedRoles: string[];
  /**
   * The partner's roles for the details, under the names the page shows (English or
   * Korean), privileged or not; privileged roles the page does not list come last, by
   * their catalog name.
   */
  roles: { privileged: string[]; other: string[] };
}

export interface PartnerSummary {
  total: number;
  /** Partners with DAP, GDAP or any role. */
  withAdminAccess: number;
  viaDap: number;
  /** Partners holding Global Administrator, through DAP (D7) or GDAP. */
  withGlobalAdmin: number;
}

/** The Partner relationships page: one badge per row sent, in the same order, and the summary. */
export interface PartnersAnalysis {
  partners: PartnerBadgeModel[];
  summary: PartnerSummary;
}

export interface InvitationRole {
  /** Catalog id (lower case); null for a name the catalog does not know. */
  id: string | null;
  /** The catalog's English name, or the page's name when unknown. */
  name: string;
  risk: RoleRisk;
  explanationKey: string;
}

export type LeastPrivilegePresetId = 'read-only' | 'support-tickets';

/** What the approval panel shows of a GDAP invitation (utils/portals/admin-risk.ts `analyzeInvitation`). */
export interface InvitationView {
  /** High → medium → low, then by name. Unknown names count as medium (like unknown ids in roleRisk). */
  roles: InvitationRole[];
  durationDays: number | null;
  /** now + duration, ISO instant; null without a duration. */
  endDate: string | null;
  /** R6: a request including Global Administrator can never auto-extend. Null when the page does not say. */
  autoExtend: 'on' | 'off' | 'not-allowed' | null;
  /**
   * Non-empty only when the request holds a high-risk role beyond what the least-privilege
   * presets grant: then one entry per preset (read-only R23, support-tickets R17) with the
   * requested roles that preset would not grant.
   */
  exceeds: Array<{ presetId: LeastPrivilegePresetId; extraRoleIds: string[] }>;
}
