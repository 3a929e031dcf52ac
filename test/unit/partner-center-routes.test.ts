import { describe, expect, it } from 'vitest';
import { detectPartnerCenterPage } from '@/utils/portals/partner-center';

const T = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const R = `${'a'.repeat(8)}-1111-2222-3333-444444444444-${'b'.repeat(8)}-5555-6666-7777-888888888888`;

describe('Partner Center route detection', () => {
  const table: Array<[string, ReturnType<typeof detectPartnerCenterPage>]> = [
    ['https://partner.microsoft.com/dashboard/commerce2/customers/list', { kind: 'customer-list' }],
    ['https://partner.microsoft.com/dashboard/v2/customers/list', { kind: 'customer-list' }],
    ['https://partner.microsoft.com/commerce/customers/list', { kind: 'customer-list' }],
    ['https://partner.microsoft.com/en-us/dashboard/commerce2/customers/list', { kind: 'customer-list' }],
    ['https://partner.microsoft.com/ko-kr/dashboard/v2/customers/list?filter=x#top', { kind: 'customer-list' }],
    ['https://partner.microsoft.com/dashboard/v2/customers/granularadminaccess/list', { kind: 'gdap-list' }],
    ['https://partner.microsoft.com/dashboard/commerce2/granularadminaccess/list', { kind: 'gdap-list' }],
    ['https://partner.microsoft.com/ko-kr/commerce/granularadminaccess/list', { kind: 'gdap-list' }],
    [`https://partner.microsoft.com/dashboard/v2/customers/${T}/adminrelationships`, { kind: 'customer-relationships', tenantId: T }],
    [`https://partner.microsoft.com/en-gb/dashboard/commerce2/customers/${T.toUpperCase()}/adminrelationships/`, { kind: 'customer-relationships', tenantId: T }],
    [`https://partner.microsoft.com/dashboard/v2/customers/${T}/adminrelationships/${R}`, { kind: 'relationship', tenantId: T, relationshipId: R }],
    [`https://partner.microsoft.com/dashboard/commerce2/customers/${T}/account`, { kind: 'customer', tenantId: T }],
    // Non-matches: other hosts, other pages, malformed input.
    ['https://partner.microsoft.com/dashboard/home', null],
    ['https://partner.microsoft.com/dashboard/v2/customers/not-a-guid/adminrelationships', null],
    ['https://partner.microsoft.com.evil.example/dashboard/v2/customers/list', null],
    ['http://partner.microsoft.com/dashboard/v2/customers/list', null],
    ['https://admin.microsoft.com/dashboard/v2/customers/list', null],
    ['not a url', null],
  ];
  it.each(table)('%s', (url, expected) => {
    expect(detectPartnerCenterPage(url)).toEqual(expected);
  });
});
