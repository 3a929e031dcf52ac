/**
 * Links into Microsoft's portals for one GDAP relationship (shared/graph-contract.md,
 * shared/portals.md). Ids are encoded: they come from Graph and are never trusted as URL text.
 */

/** The link the customer opens to approve a GDAP request. */
export function invitationUrl(relationshipId: string): string {
  return `https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/${encodeURIComponent(relationshipId)}`;
}

/** The relationship's page in Partner Center. */
export function partnerCenterRelationshipUrl(tenantId: string, relationshipId: string): string {
  return `https://partner.microsoft.com/dashboard/v2/customers/${encodeURIComponent(tenantId)}/adminrelationships/${encodeURIComponent(relationshipId)}`;
}
