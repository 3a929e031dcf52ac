/** Builders for the badge tests (not a test file itself). All dates are relative to {@link NOW}. */
import { roleLines } from '@/utils/gdap/roles';
import type { AccessAssignment, Relationship } from '@/utils/gdap/schema';
import { relationshipState } from '@/utils/gdap/state';
import { summarizeCustomer } from '@/utils/gdap/summary';
import type { RelationshipView } from '@/utils/messaging/protocol';
import {
  DIRECTORY_READERS,
  GLOBAL_ADMINISTRATOR,
  GLOBAL_READER,
  PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
  ROLE_PRESETS,
  USER_ADMINISTRATOR,
} from '@/utils/gdap/roles';

export const NOW = new Date('2026-03-01T12:00:00.000Z');
export const TENANT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
/** R26's nine default roles. */
export const NINE_ROLES = [...ROLE_PRESETS.find((p) => p.id === 'default-gdap')!.roleIds];
export { DIRECTORY_READERS, GLOBAL_ADMINISTRATOR, GLOBAL_READER, PRIVILEGED_AUTHENTICATION_ADMINISTRATOR, USER_ADMINISTRATOR };

/** Active since 2025-06-01, ends 2026-11-01 (245 days after NOW), auto-extend off, nine roles. */
export function rel(overrides: Partial<Relationship> = {}): Relationship {
  return {
    id: 'rel-active',
    displayName: 'Contoso GDAP',
    status: 'active',
    rawStatus: overrides.status ?? 'active',
    duration: 'P730D',
    autoExtendDuration: 'PT0S',
    customer: { tenantId: TENANT, displayName: 'Contoso' },
    roleIds: NINE_ROLES,
    createdDateTime: '2025-05-20T12:00:00.000Z',
    lastModifiedDateTime: '2025-06-01T12:00:00.000Z',
    activatedDateTime: '2025-06-01T12:00:00.000Z',
    endDateTime: '2026-11-01T12:00:00.000Z',
    etag: null,
    odataType: null,
    isReseller: false,
    indirectProviderTenantId: null,
    isPartnerConsentPending: null,
    ...overrides,
  };
}

export function assignment(status: AccessAssignment['status']): AccessAssignment {
  return {
    id: `a-${status}`,
    securityGroupId: 'group-1',
    containerType: 'securityGroup',
    roleIds: [GLOBAL_READER],
    status,
    rawStatus: status,
    createdDateTime: null,
    lastModifiedDateTime: null,
    etag: null,
  };
}

/** A view as the background sends it; by default with one active security group. */
export function view(r: Relationship, assignments: AccessAssignment[] | null = [assignment('active')]): RelationshipView {
  return { relationship: r, state: relationshipState(r, assignments ?? undefined, NOW), assignments, roles: roleLines(r.roleIds) };
}

/** One relationship per badge state, at NOW. */
export const SCENARIOS = {
  /** 245 days left, auto-extend off. */
  active: rel(),
  /** R4: auto-extends in 245 days. */
  activeAuto: rel({ id: 'rel-auto', autoExtendDuration: 'P180D' }),
  /** R6: includes Global Administrator, 245 days left. */
  globalAdmin: rel({ id: 'rel-ga', roleIds: [GLOBAL_ADMINISTRATOR, GLOBAL_READER], autoExtendDuration: 'PT0S' }),
  /** Ends in 5 days, auto-extend off. */
  expiring: rel({ id: 'rel-expiring', endDateTime: '2026-03-06T12:00:00.000Z' }),
  /** Ends in 20 days, auto-extend off. */
  expiring20: rel({ id: 'rel-expiring-20', endDateTime: '2026-03-21T12:00:00.000Z' }),
  /** R2: sent 2025-12-06, lapses 2026-03-06: 5 days left. */
  pending: rel({
    id: 'rel-pending',
    status: 'approvalPending',
    createdDateTime: '2025-12-06T12:00:00.000Z',
    activatedDateTime: null,
    endDateTime: null,
    customer: { tenantId: TENANT, displayName: 'Contoso' },
  }),
  /** R2: sent 2026-01-03, lapses in 33 days. */
  pendingFar: rel({
    id: 'rel-pending-far',
    status: 'approvalPending',
    createdDateTime: '2026-01-03T12:00:00.000Z',
    activatedDateTime: null,
    endDateTime: null,
  }),
  expired: rel({ id: 'rel-expired', status: 'expired', endDateTime: '2026-01-01T12:00:00.000Z' }),
  terminated: rel({
    id: 'rel-terminated',
    status: 'terminated',
    endDateTime: '2026-05-01T12:00:00.000Z',
    lastModifiedDateTime: '2026-02-01T12:00:00.000Z',
  }),
  unknown: rel({ id: 'rel-unknown', status: 'unknown', rawStatus: 'somethingNew' }),
} satisfies Record<string, Relationship>;

/** A customer summary at NOW from relationships, each with an active security group unless given. */
export function summary(rels: Relationship[], noGroup: string[] = []) {
  const byId = Object.fromEntries(rels.map((r) => [r.id, noGroup.includes(r.id) ? [] : [assignment('active')]]));
  return summarizeCustomer(rels, byId, NOW);
}
