import { describe, expect, it } from 'vitest';
import { detectAdminCenterPage, type AdminCenterPage } from '@/utils/portals/admin-center';

const AC = 'https://admin.microsoft.com';
const AC2 = 'https://admin.cloud.microsoft';
/** Graph-style relationship id: two GUIDs joined by '-'. */
const R = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d-11112222-3333-4444-5555-666677778888';

describe('admin center route detection (D4: Settings → Partner relationships; GDAP invitation link)', () => {
  const table: Array<[string, AdminCenterPage | null]> = [
    // Partner relationships, both hosts, path spellings and cases.
    [`${AC}/AdminPortal/Home#/partners`, { kind: 'partners' }],
    [`${AC2}/AdminPortal/Home#/partners`, { kind: 'partners' }],
    [`${AC}/Adminportal/Home#/partners`, { kind: 'partners' }],
    [`${AC2}/adminportal/home/#/partners`, { kind: 'partners' }],
    [`${AC}/ADMINPORTAL/HOME#/partners/`, { kind: 'partners' }],
    [`${AC}/AdminPortal/Home#/partners?tab=all`, { kind: 'partners' }],
    [`${AC}/AdminPortal/Home?ref=settings#/partners`, { kind: 'partners' }],
    [`${AC}/AdminPortal/Home#/Partners`, { kind: 'partners' }],
    [`https://ADMIN.microsoft.com:443/AdminPortal/Home#/partners`, { kind: 'partners' }],
    // GDAP invitation.
    [`${AC}/AdminPortal/Home#/partners/invitation/granularAdminRelationships/${R}`, { kind: 'gdap-invitation', relationshipId: R }],
    [`${AC2}/Adminportal/Home#/partners/invitation/granularAdminRelationships/${R}/`, { kind: 'gdap-invitation', relationshipId: R }],
    [`${AC}/AdminPortal/Home#/partners/invitation/granularadminrelationships/${R}?x=1`, { kind: 'gdap-invitation', relationshipId: R }],
    [`${AC}/AdminPortal/Home#/partners/invitation/granularAdminRelationships/abc%2Edef~1`, { kind: 'gdap-invitation', relationshipId: 'abc.def~1' }],
    // Non-matches.
    [`${AC}/AdminPortal/Home#/partners/invitation/granularAdminRelationships/`, null],
    [`${AC}/AdminPortal/Home#/partners/invitation/granularAdminRelationships/a%2Fb`, null],
    [`${AC}/AdminPortal/Home#/partners/invitation/granularAdminRelationships/a%20b`, null],
    [`${AC}/AdminPortal/Home#/partners/invitation/granularAdminRelationships/%E0%A4%A`, null],
    [`${AC}/AdminPortal/Home#/partners/invitation/granularAdminRelationships/${'a'.repeat(201)}`, null],
    [`${AC}/AdminPortal/Home#/partners/invitation/granularAdminRelationships/${R}/extra`, null],
    [`${AC}/Adminportal/Home?invType=ResellerRelationship&partnerId=x&DAP=false#/BillingAccounts/partner-invitation`, null],
    [`${AC}/AdminPortal/Home#/homepage`, null],
    [`${AC}/AdminPortal/Home#/partnersx`, null],
    [`${AC}/AdminPortal/Home#partners`, null],
    [`${AC}/AdminPortal/Home`, null],
    [`${AC}/AdminPortal/Home/#/users`, null],
    [`${AC}/AdminPortal#/partners`, null],
    [`${AC}/AdminPortal/Home/partners`, null],
    [`${AC}/exchange#/partners`, null],
    [`${AC}/?delegatedOrg=contoso.onmicrosoft.com#/partners`, null],
    [`http://admin.microsoft.com/AdminPortal/Home#/partners`, null],
    [`https://admin.microsoft.com.evil.example/AdminPortal/Home#/partners`, null],
    [`https://evil.example/AdminPortal/Home#/partners`, null],
    [`https://partner.microsoft.com/AdminPortal/Home#/partners`, null],
    [`https://admin.microsoft.us/AdminPortal/Home#/partners`, null],
    ['not a url', null],
    ['', null],
  ];
  it.each(table)('%s', (url, expected) => {
    expect(detectAdminCenterPage(url)).toEqual(expected);
  });

  it('accepts URL objects as well as strings', () => {
    expect(detectAdminCenterPage(new URL(`${AC2}/AdminPortal/Home#/partners`))).toEqual({ kind: 'partners' });
    expect(detectAdminCenterPage(new URL(`${AC2}/AdminPortal/Home#/users`))).toBeNull();
  });
});
