/**
 * The built-in Entra role catalog (./data/entra-roles.json, from Microsoft's permissions
 * reference), the role presets the invite form offers, and a coarse risk classification.
 * Role ids are Entra role template ids (Graph's `roleDefinitionId`), compared
 * case-insensitively. Names here are Microsoft's English role names (data, not UI text).
 */
import catalog from './data/entra-roles.json';
import {
  GLOBAL_ADMINISTRATOR,
  GLOBAL_READER,
  DIRECTORY_READERS,
  DIRECTORY_WRITERS,
  LICENSE_ADMINISTRATOR,
  SERVICE_SUPPORT_ADMINISTRATOR,
  USER_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  HELPDESK_ADMINISTRATOR,
  PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
  AUTHENTICATION_ADMINISTRATOR,
  APPLICATION_ADMINISTRATOR,
  CLOUD_APPLICATION_ADMINISTRATOR,
  EXTERNAL_IDENTITY_PROVIDER_ADMINISTRATOR,
  DOMAIN_NAME_ADMINISTRATOR,
  EXCHANGE_ADMINISTRATOR,
  INTUNE_ADMINISTRATOR,
  TEAMS_ADMINISTRATOR,
  SECURITY_ADMINISTRATOR,
  SECURITY_OPERATOR,
  SECURITY_READER,
  CONDITIONAL_ACCESS_ADMINISTRATOR,
  SHAREPOINT_ADMINISTRATOR,
  HYBRID_IDENTITY_ADMINISTRATOR,
  AUTHENTICATION_POLICY_ADMINISTRATOR,
  AUTHENTICATION_EXTENSIBILITY_ADMINISTRATOR,
  PARTNER_TIER2_SUPPORT,
  DIRECTORY_SYNCHRONIZATION_ACCOUNTS,
  B2C_IEF_KEYSET_ADMINISTRATOR,
  type RoleLine,
  type RoleRisk,
} from './role-ids';

export * from './role-ids';

export interface Role {
  /** Lower-case role template id. */
  id: string;
  name: string;
}

/** All built-in roles, ids lower-cased, in the catalog's order. */
export const ROLES: readonly Role[] = catalog.roles.map((r) => ({ id: r.id.toLowerCase(), name: r.name }));

/** Where the catalog comes from (page and date), for an "about" line. */
export const ROLE_CATALOG_SOURCE: string = catalog.source;

const BY_ID: ReadonlyMap<string, Role> = new Map(ROLES.map((r) => [r.id, r]));

/** The catalog entry for a role id (any case), or `null` when unknown. */
export function findRole(id: string): Role | null {
  return BY_ID.get(id.trim().toLowerCase()) ?? null;
}

/** The role's name for an id (any case), or `null` when the id is not a built-in role. */
export function roleName(id: string): string | null {
  return findRole(id)?.name ?? null;
}

// Role template ids used by presets, rules and risk classification. Tests check every one
// against the catalog by name.


// ---------------------------------------------------------------------------
// Presets
// ---------------------------------------------------------------------------

export type RolePresetId =
  | 'default-gdap'
  | 'read-only'
  | 'support-tickets'
  | 'helpdesk-lockout'
  | 'exchange'
  | 'intune'
  | 'teams'
  | 'security';

export interface RolePreset {
  id: RolePresetId;
  roleIds: readonly string[];
  /** The rule in shared/gdap-rules.md the preset comes from, if any. */
  ruleId?: string;
}

export const ROLE_PRESETS: readonly RolePreset[] = [
  {
    // R26: the nine roles the default GDAP grants for five of the partner types.
    id: 'default-gdap',
    ruleId: 'R26',
    roleIds: [
      DIRECTORY_READERS,
      DIRECTORY_WRITERS,
      LICENSE_ADMINISTRATOR,
      SERVICE_SUPPORT_ADMINISTRATOR,
      USER_ADMINISTRATOR,
      PRIVILEGED_ROLE_ADMINISTRATOR,
      HELPDESK_ADMINISTRATOR,
      PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
      GLOBAL_READER,
    ],
  },
  // R23: read-only access.
  { id: 'read-only', ruleId: 'R23', roleIds: [GLOBAL_READER, DIRECTORY_READERS] },
  // R17: the least-privileged role that can open support tickets.
  { id: 'support-tickets', ruleId: 'R17', roleIds: [SERVICE_SUPPORT_ADMINISTRATOR] },
  {
    // R10: resetting a locked-out customer admin's password or MFA needs Privileged
    // Authentication Administrator (credentials and authentication methods of any user,
    // admins included). Helpdesk Administrator covers the everyday help-desk work on
    // non-admin users (password resets, sign-out, reading users); each role is mapped to
    // its own security group (R16), so the wide help-desk group need not hold the
    // admin-level reset. Service Support Administrator (R17) lets the desk open a
    // Microsoft support ticket when a lock-out cannot be solved from the partner side.
    // No role that can grant roles or change tenant policy is included.
    id: 'helpdesk-lockout',
    ruleId: 'R10',
    roleIds: [HELPDESK_ADMINISTRATOR, PRIVILEGED_AUTHENTICATION_ADMINISTRATOR, SERVICE_SUPPORT_ADMINISTRATOR],
  },
  // Exchange: Exchange Administrator is the workload-scoped role for the whole Exchange
  // Online service (mailboxes, mail flow, connectors). Exchange Recipient Administrator is
  // narrower but cannot manage mail flow, which managing Exchange for a customer needs;
  // nothing outside Exchange is granted.
  { id: 'exchange', roleIds: [EXCHANGE_ADMINISTRATOR] },
  // Intune: Intune Administrator manages devices, apps and policies in Intune only; it
  // grants no directory-wide write beyond the device and group objects Intune needs.
  { id: 'intune', roleIds: [INTUNE_ADMINISTRATOR] },
  // Teams: Teams Administrator manages the Teams service (policies, meetings, calling);
  // the narrower Teams Communications roles cannot manage teams themselves.
  { id: 'teams', roleIds: [TEAMS_ADMINISTRATOR] },
  // Security: a monitoring/response service needs to read security posture (Security
  // Reader) and act on alerts and incidents (Security Operator). Security Administrator
  // is deliberately left out: it can change security policy tenant-wide; add it by hand
  // when the service includes configuring the customer's security.
  { id: 'security', roleIds: [SECURITY_OPERATOR, SECURITY_READER] },
];

/** A preset by id, or `null`. */
export function rolePreset(id: string): RolePreset | null {
  return ROLE_PRESETS.find((p) => p.id === id) ?? null;
}

// ---------------------------------------------------------------------------
// Risk
// ---------------------------------------------------------------------------


/**
 * Tenant-wide write roles: they can take over the tenant, its identities, its sign-in
 * security or a whole workload's data. The brief's list, plus the roles Microsoft itself
 * marks "privileged" for the same reasons (authentication policy and extensibility,
 * Directory Writers, domain federation, external identity providers, Partner Tier2
 * Support, directory sync, B2C keysets).
 */
const HIGH_RISK: ReadonlySet<string> = new Set([
  GLOBAL_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
  SECURITY_ADMINISTRATOR,
  EXCHANGE_ADMINISTRATOR,
  USER_ADMINISTRATOR,
  APPLICATION_ADMINISTRATOR,
  CLOUD_APPLICATION_ADMINISTRATOR,
  AUTHENTICATION_ADMINISTRATOR,
  CONDITIONAL_ACCESS_ADMINISTRATOR,
  INTUNE_ADMINISTRATOR,
  SHAREPOINT_ADMINISTRATOR,
  HYBRID_IDENTITY_ADMINISTRATOR,
  AUTHENTICATION_POLICY_ADMINISTRATOR,
  AUTHENTICATION_EXTENSIBILITY_ADMINISTRATOR,
  DIRECTORY_WRITERS,
  DOMAIN_NAME_ADMINISTRATOR,
  EXTERNAL_IDENTITY_PROVIDER_ADMINISTRATOR,
  PARTNER_TIER2_SUPPORT,
  DIRECTORY_SYNCHRONIZATION_ACCOUNTS,
  B2C_IEF_KEYSET_ADMINISTRATOR,
]);

/** Read-only by name: "Reader" or "Readers" as a word (Global Reader, Directory Readers, …). */
const READER_NAME = /\bReaders?\b/;

/**
 * Coarse risk of granting a role to a partner:
 * - `high`: tenant-wide write roles (list above);
 * - `low`: read-only roles (every role named "… Reader(s)", e.g. Global Reader, Directory
 *   Readers, Reports Reader, Security Reader, Message Center Reader) and Service Support
 *   Administrator (opens tickets, reads service health);
 * - `medium`: everything else, including ids not in the catalog.
 */
export function roleRisk(id: string): RoleRisk {
  const role = findRole(id);
  if (role === null) return 'medium';
  if (HIGH_RISK.has(role.id)) return 'high';
  if (role.id === SERVICE_SUPPORT_ADMINISTRATOR || READER_NAME.test(role.name)) return 'low';
  return 'medium';
}

const RISK_ORDER: Record<RoleRisk, number> = { high: 0, medium: 1, low: 2 };

/** Roles as the UI lists them: catalog name (or the id when unknown) and risk, most risky first, then by name. */
export function roleLines(roleIds: readonly string[]): RoleLine[] {
  return roleIds
    .map((id) => ({ id, name: roleName(id) ?? id, risk: roleRisk(id) }))
    .sort((a, b) => RISK_ORDER[a.risk] - RISK_ORDER[b.risk] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
