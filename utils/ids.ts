/** Identifier shapes used across GDAP Lens: tenant and role IDs are GUIDs; a sign-in tenant may also be a name. */

/** The GUID pattern without anchors, for composing route patterns. */
export const GUID_SOURCE = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

export const GUID_RE = new RegExp(`^${GUID_SOURCE}$`);

export function isGuid(value: unknown): value is string {
  return typeof value === 'string' && GUID_RE.test(value);
}

/** An Entra tenant for sign-in: `organizations`, `common`, a tenant ID, or a domain name. */
export const TENANT_RE = new RegExp(
  `^(organizations|common|${GUID_SOURCE}|[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+)$`,
  'i',
);
