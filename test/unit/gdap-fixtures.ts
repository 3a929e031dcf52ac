/** Shared builders for the gdap-* unit tests (not a test file itself). */
import type { AccessAssignment, Relationship } from '@/utils/gdap/schema';

/** A domain relationship: active, 730 days from 2024-01-01, auto-extend off, Global Reader only. */
export function makeRel(overrides: Partial<Relationship> = {}): Relationship {
  return {
    id: 'rel-1',
    displayName: 'Contoso GDAP',
    status: 'active',
    rawStatus: overrides.status ?? 'active',
    duration: 'P730D',
    autoExtendDuration: 'PT0S',
    customer: { tenantId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', displayName: 'Contoso' },
    roleIds: ['f2ef992c-3afb-46b9-b7cf-a126ee74c451'],
    createdDateTime: '2023-12-20T00:00:00.000Z',
    lastModifiedDateTime: '2024-01-01T00:00:00.000Z',
    activatedDateTime: '2024-01-01T00:00:00.000Z',
    endDateTime: '2025-12-31T00:00:00.000Z',
    etag: 'W/"1"',
    odataType: null,
    isReseller: false,
    indirectProviderTenantId: null,
    isPartnerConsentPending: null,
    ...overrides,
  };
}

export function makeAssignment(status: AccessAssignment['status'], id = 'a-1'): AccessAssignment {
  return {
    id,
    securityGroupId: 'group-1',
    containerType: 'securityGroup',
    roleIds: ['f2ef992c-3afb-46b9-b7cf-a126ee74c451'],
    status,
    rawStatus: status,
    createdDateTime: null,
    lastModifiedDateTime: null,
    etag: null,
  };
}

/** `Date` from ISO, for brevity. */
export const d = (iso: string): Date => new Date(iso);
