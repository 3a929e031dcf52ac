/**
 * The fake Microsoft cloud's state: one "world" that the fake login, the fake Graph,
 * the fake Partner Center and the fake Microsoft 365 admin center all read and change.
 *
 * Shapes follow Microsoft Graph's JSON (shared/graph-contract.md) on purpose, and are
 * declared here independently of the extension's own schemas in utils/: the fake must
 * not share validation code with the client it tests.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface FakeUnifiedRole {
  roleDefinitionId: string;
}

/** A delegatedAdminRelationship as Graph serialises it (the fake adds `@odata.etag` on output). */
export interface FakeRelationship {
  '@odata.type'?: string;
  id: string;
  displayName: string;
  duration: string;
  /** May be missing or partial while `created`. */
  customer?: { tenantId?: string; displayName?: string } | null;
  accessDetails: { unifiedRoles: FakeUnifiedRole[] };
  autoExtendDuration: string;
  /** Any string: the generator also produces values Graph may add later. */
  status: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  /** null, missing or "" until active. */
  activatedDateTime?: string | null;
  endDateTime?: string | null;
  /** Reseller relationships only. */
  indirectProviderTenantId?: string;
  isPartnerConsentPending?: boolean;
  /** The fake's own ETag counter; serialised as `"@odata.etag": W/"<etag>"`. */
  etag: string;
}

export interface FakeAccessAssignment {
  id: string;
  accessContainer: { accessContainerId: string; accessContainerType: 'securityGroup' };
  accessDetails: { unifiedRoles: FakeUnifiedRole[] };
  status: 'pending' | 'active' | 'deleting' | 'deleted' | 'error';
  createdDateTime: string;
  lastModifiedDateTime: string;
  etag: string;
}

export interface FakeRelationshipRequest {
  id: string;
  action: 'lockForApproval' | 'approve' | 'terminate';
  status: 'created' | 'pending' | 'succeeded' | 'failed';
  createdDateTime: string;
  lastModifiedDateTime: string;
}

export interface FakeOperation {
  id: string;
  operationType: string;
  /** A JSON string, as Graph returns it. */
  data: string;
  status: 'notStarted' | 'running' | 'succeeded' | 'failed';
  createdDateTime: string;
  lastModifiedDateTime: string;
}

/** What the generator decided a customer should look like; tests check badges against it. */
export type CustomerScenario =
  | 'active-auto-extend'
  | 'active-no-auto-extend'
  | 'active-global-admin'
  | 'expiring-1d'
  | 'expiring-7d'
  | 'expiring-30d'
  | 'pending-near-lapse'
  | 'pending-fresh'
  | 'created-not-locked'
  | 'expired'
  | 'terminated'
  | 'several-relationships'
  | 'no-security-group'
  | 'dap-only'
  | 'unknown-status';

export interface FakeCustomer {
  /** delegatedAdminCustomer.id (Graph uses the tenant ID here too). */
  id: string;
  tenantId: string;
  displayName: string;
  /** Initial domain, e.g. contoso123.onmicrosoft.com */
  domain: string;
  scenario: CustomerScenario;
  /** The customer still grants the partner DAP (Admin agents = Global Administrator). */
  hasDap: boolean;
  /** Reseller relationship with the partner (shown in Partner Center's customer list). */
  isResellerCustomer: boolean;
}

/** One partner as the customer's admin center "Partner relationships" page lists it. */
export interface AdminCenterPartner {
  id: string;
  displayName: string;
  /** What the page shows in its relationship column. */
  relationshipTypes: Array<'Reseller' | 'Delegated admin (DAP)' | 'Granular delegated admin (GDAP)' | 'Microsoft Partner Agreement'>;
  /** Role display names as the page shows them (DAP appears as Global Administrator). */
  roles: string[];
  /** GDAP only: relationship end date, when the page shows it. */
  gdapEndDateTime?: string;
  gdapRelationshipName?: string;
}

export interface FakePartner {
  tenantId: string;
  displayName: string;
  /** MPN / partner location ID used in indirect reseller links. */
  locationId: string;
}

export interface FakeUser {
  objectId: string;
  displayName: string;
  userPrincipalName: string;
  /** Member of the partner's Admin agents group (R1): otherwise Graph lists nothing. */
  isAdminAgent: boolean;
}

/** The signed-in customer admin's tenant that the fake admin center shows. */
export interface FakeAdminCenterTenant {
  tenantId: string;
  displayName: string;
  partners: AdminCenterPartner[];
}

export interface World {
  /** Generation time; relationship dates are relative to it. */
  now: Date;
  partner: FakePartner;
  users: FakeUser[];
  customers: FakeCustomer[];
  relationships: FakeRelationship[];
  /** By relationship id. */
  accessAssignments: Map<string, FakeAccessAssignment[]>;
  /** By relationship id. */
  requests: Map<string, FakeRelationshipRequest[]>;
  /** By relationship id. */
  operations: Map<string, FakeOperation[]>;
  adminCenter: FakeAdminCenterTenant;
}

export interface GenerateOptions {
  /** Number of customers (40 for the demo, up to 10,000 for benchmarks). */
  customers: number;
  /** PRNG seed; the same seed and `now` give the same world. */
  seed?: number;
  now?: Date;
}

/** Context every host handler of the fake server receives. */
export interface HostContext {
  world: World;
  /** The https origin a browser uses for a host, e.g. https://graph.microsoft.com */
  origin(host: string): string;
}

/** One host's request handler. Returns false when it did not handle the request (→ 404). */
export type HostHandler = (req: IncomingMessage, res: ServerResponse, url: URL, ctx: HostContext) => Promise<boolean> | boolean;
