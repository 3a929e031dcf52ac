/**
 * The built-in Entra role catalog (./data/entra-roles.json, from Microsoft's permissions
 * reference), the role presets the invite form offers, and a coarse risk classification.
 * Role ids are Entra role template ids (Graph's `roleDefinitionId`), compared
 * case-insensitively. Names here are Microsoft's English role names (data, not UI text).
 */
import catalog from './data/entra-roles.json';

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
export const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
export const GLOBAL_READER = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';
export const DIRECTORY_READERS = '88d8e3e3-8f55-4a1e-953a-9b9898b8876b';
export const DIRECTORY_WRITERS = '9360feb5-f418-4baa-8175-e2a00bac4301';
export const LICENSE_ADMINISTRATOR = '4d6ac14f-3453-41d0-bef9-a3e0c569773a';
export const SERVICE_SUPPORT_ADMINISTRATOR = 'f023fd81-a637-4b56-95fd-791ac0226033';
export const USER_ADMINISTRATOR = 'fe930be7-5e62-47db-91af-98c3a49a38b1';
export const PRIVILEGED_ROLE_ADMINISTRATOR = 'e8611ab8-c189-46e8-94e1-60213ab1f814';
export const HELPDESK_ADMINISTRATOR = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
export const PRIVILEGED_AUTHENTICATION_ADMINISTRATOR = '7be44c8a-adaf-4e2a-84d6-ab2649e08a13';
export const AUTHENTICATION_ADMINISTRATOR = 'c4e39bd9-1100-46d3-8c65-fb160da0071f';
export const APPLICATION_ADMINISTRATOR = '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3';
export const CLOUD_APPLICATION_ADMINISTRATOR = '158c047a-c907-4556-b7ef-446551a6b5f7';
export const EXTERNAL_IDENTITY_PROVIDER_ADMINISTRATOR = 'be2f45a1-457d-42af-a067-6ec1fa63bc45';
export const DOMAIN_NAME_ADMINISTRATOR = '8329153b-31d0-4727-b945-745eb3bc5f31';
export const EXCHANGE_ADMINISTRATOR = '29232cdf-9323-42fd-ade2-1d097af3e4de';
export const INTUNE_ADMINISTRATOR = '3a2c62db-5318-420d-8d74-23affee5d9d5';
export const TEAMS_ADMINISTRATOR = '69091246-20e8-4a56-aa4d-066075b2a7a8';
export const SECURITY_ADMINISTRATOR = '194ae4cb-b126-40b2-bd5b-6091b380977d';
export const SECURITY_OPERATOR = '5f2222b1-57c3-48ba-8ad5-d4759f1fde6f';
export const SECURITY_READER = '5d6b6bb7-de71-4623-b4af-96380a352509';
export const CONDITIONAL_ACCESS_ADMINISTRATOR = 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9';
export const SHAREPOINT_ADMINISTRATOR = 'f28a1f50-f6e7-4571-818b-6a12f2af6b6c';
export const HYBRID_IDENTITY_ADMINISTRATOR = '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2';
export const AUTHENTICATION_POLICY_ADMINISTRATOR = '0526716b-113d-4c15-b2c8-68e3c22b9f80';
export const AUTHENTICATION_EXTENSIBILITY_ADMINISTRATOR = '25a516ed-2fa0-40ea-a2d0-12923a21473a';
export const PARTNER_TIER2_SUPPORT = 'e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8';
export const DIRECTORY_SYNCHRONIZATION_ACCOUNTS = 'd29b2b05-8046-44ba-8758-1e26182fcf32';
export const B2C_IEF_KEYSET_ADMINISTRATOR = 'aaf43236-0c0d-4d5f-883a-6955382ac081';
export const MESSAGE_CENTER_READER = '790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b';
export const REPORTS_READER = '4a5d8f65-41da-4de4-8968-e035b65339cf';

/** True when the role ids include Global Administrator (R6: such a relationship never auto-extends). */
export function includesGlobalAdministrator(roleIds: readonly string[]): boolean {
  return roleIds.some((id) => id.trim().toLowerCase() === GLOBAL_ADMINISTRATOR);
}

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

export type RoleRisk = 'high' | 'medium' | 'low';

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
