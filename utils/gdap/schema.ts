/**
 * Valibot schemas for Microsoft Graph's GDAP objects (shared/graph-contract.md), turning
 * Graph JSON into clean, JSON-safe domain objects.
 *
 * Tolerance policy (the contract asks the client to tolerate every reasonable answer):
 * - An item is **malformed** only when it is not an object, has no non-empty string `id`,
 *   or carries a core field with the wrong type (`displayName`/`status` not a string).
 *   Missing core fields get defaults (`$select` may leave them out): `''` and `unknown`.
 * - Every other field is lenient: missing, `null` or a wrong type → `null` (or `[]`).
 * - Dates: missing, `null`, `""`, unparseable, `0001-01-01…` → `null`; otherwise a
 *   normalised ISO UTC string (see ./dates.ts). Domain objects hold strings, not `Date`s,
 *   so they survive extension messaging and storage.
 * - Statuses: the raw string is kept in `rawStatus`; `status` is a known union that
 *   includes `'unknown'` for anything Microsoft adds later (and `unknownFutureValue`).
 * - Role ids (`roleDefinitionId`) are lower-cased and de-duplicated; entries without one
 *   are dropped.
 * - Unknown extra properties are ignored. Strings are passed through untouched (HTML,
 *   RTL marks, very long values): escaping is the UI's job.
 *
 * No function here throws, whatever the input.
 */
import * as v from 'valibot';
import { normalizeDateTime } from './dates';

// ---------------------------------------------------------------------------
// Domain types
// ---------------------------------------------------------------------------

export const RELATIONSHIP_STATUSES = [
  'created',
  'approvalPending',
  'approved',
  'activating',
  'active',
  'expiring',
  'expired',
  'terminationRequested',
  'terminating',
  'terminated',
] as const;
/** Graph's relationship statuses, plus `'unknown'` for anything else. */
export type RelationshipStatus = (typeof RELATIONSHIP_STATUSES)[number] | 'unknown';

export const ACCESS_ASSIGNMENT_STATUSES = ['pending', 'active', 'deleting', 'deleted', 'error'] as const;
export type AccessAssignmentStatus = (typeof ACCESS_ASSIGNMENT_STATUSES)[number] | 'unknown';

export const REQUEST_STATUSES = ['created', 'pending', 'succeeded', 'failed'] as const;
export type RelationshipRequestStatus = (typeof REQUEST_STATUSES)[number] | 'unknown';

export const OPERATION_STATUSES = ['notStarted', 'running', 'succeeded', 'failed'] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number] | 'unknown';

/** A delegatedAdminRelationship (direct or reseller variant). */
export interface Relationship {
  id: string;
  /** `''` when Graph left it out. */
  displayName: string;
  status: RelationshipStatus;
  /** Graph's status exactly as sent (`''` when missing). */
  rawStatus: string;
  /** ISO 8601 duration as sent, e.g. `P730D`; `null` when missing. */
  duration: string | null;
  /** ISO 8601 duration as sent (`PT0S`/`P0D` = off, `P180D` = on); `null` when missing. */
  autoExtendDuration: string | null;
  /** Missing or partial while `created`: the missing parts are `null`. */
  customer: { tenantId: string | null; displayName: string | null };
  /** Entra role template ids, lower-case, de-duplicated. */
  roleIds: string[];
  createdDateTime: string | null;
  lastModifiedDateTime: string | null;
  activatedDateTime: string | null;
  endDateTime: string | null;
  /** `@odata.etag`, to send back as `If-Match`. */
  etag: string | null;
  /** `@odata.type` as sent. */
  odataType: string | null;
  /** Reseller (indirect) variant: `@odata.type` says so or `indirectProviderTenantId` is set. */
  isReseller: boolean;
  indirectProviderTenantId: string | null;
  isPartnerConsentPending: boolean | null;
}

/** A delegatedAdminCustomer. */
export interface Customer {
  id: string;
  /** Graph uses the tenant id as `id`; `null` only if `tenantId` is missing. */
  tenantId: string | null;
  displayName: string;
  etag: string | null;
}

/** A delegatedAdminAccessAssignment: a partner security group mapped to roles. */
export interface AccessAssignment {
  id: string;
  /** The partner security group's id (`accessContainer.accessContainerId`). */
  securityGroupId: string | null;
  /** `securityGroup` in practice. */
  containerType: string | null;
  roleIds: string[];
  status: AccessAssignmentStatus;
  rawStatus: string;
  createdDateTime: string | null;
  lastModifiedDateTime: string | null;
  etag: string | null;
}

/** A delegatedAdminRelationshipRequest (`lockForApproval`, `terminate`, …). */
export interface RelationshipRequest {
  id: string;
  /** Raw action string (`lockForApproval`, `approve`, `terminate`, or newer). */
  action: string | null;
  status: RelationshipRequestStatus;
  rawStatus: string;
  createdDateTime: string | null;
  lastModifiedDateTime: string | null;
}

/** A delegatedAdminRelationshipOperation (long-running work behind a 202). */
export interface RelationshipOperation {
  id: string;
  operationType: string | null;
  /** A JSON string as Graph sends it; not parsed here. */
  data: string | null;
  status: OperationStatus;
  rawStatus: string;
  createdDateTime: string | null;
  lastModifiedDateTime: string | null;
  etag: string | null;
}

/** Graph's error body, flattened. */
export interface GraphError {
  code: string;
  message: string;
  requestId: string | null;
  clientRequestId: string | null;
  /** The error's own date (innerError.date), normalised like other dates. */
  date: string | null;
}

/** A Graph list page envelope, items not yet validated. */
export interface RawPage {
  value: unknown[];
  nextLink: string | null;
}

/** One validated page: good items, the number of malformed items skipped, the next link. */
export interface Page<T> {
  items: T[];
  skipped: number;
  /** Why items were skipped (`[3] id: …`), at most {@link MAX_REPORTED_ISSUES}. */
  issues: string[];
  nextLink: string | null;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: string[] };

export const MAX_REPORTED_ISSUES = 20;

// ---------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------

/** A string, or `null` when missing, null or of another type. */
const looseString = v.fallback(v.nullish(v.string(), null), null);
/** A boolean, or `null` when missing, null or of another type. */
const looseBoolean = v.fallback(v.nullish(v.boolean(), null), null);
/** A date-time: normalised ISO string, or `null` (missing, null, "", garbage). */
const looseDateTime = v.pipe(
  looseString,
  v.transform((s: string | null) => (s === null ? null : normalizeDateTime(s))),
);
/** Required opaque id. */
const idSchema = v.pipe(v.string(), v.nonEmpty('id must be a non-empty string'));
/** A core string: defaults to '' when missing or null, refuses other types. */
const coreString = v.nullish(v.string(), '');

const roleEntry = v.object({ roleDefinitionId: v.pipe(v.string(), v.nonEmpty()) });

/** `accessDetails.unifiedRoles[].roleDefinitionId` → lower-case unique ids; never fails. */
const accessDetailsSchema = v.pipe(
  v.fallback(
    v.nullish(v.object({ unifiedRoles: v.fallback(v.nullish(v.array(v.unknown()), []), []) }), {
      unifiedRoles: [],
    }),
    { unifiedRoles: [] },
  ),
  v.transform((details): string[] => {
    const ids = new Set<string>();
    for (const entry of details.unifiedRoles) {
      const r = v.safeParse(roleEntry, entry);
      if (r.success) ids.add(r.output.roleDefinitionId.toLowerCase());
    }
    return [...ids];
  }),
);

function knownStatus<const T extends readonly string[]>(known: T, raw: string): T[number] | 'unknown' {
  const found = known.find((k) => k === raw);
  return found ?? 'unknown';
}

// ---------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------

export const RelationshipSchema = v.pipe(
  v.object({
    id: idSchema,
    displayName: coreString,
    status: coreString,
    duration: looseString,
    autoExtendDuration: looseString,
    customer: v.fallback(
      v.nullish(v.object({ tenantId: looseString, displayName: looseString }), null),
      null,
    ),
    accessDetails: accessDetailsSchema,
    createdDateTime: looseDateTime,
    lastModifiedDateTime: looseDateTime,
    activatedDateTime: looseDateTime,
    endDateTime: looseDateTime,
    '@odata.etag': looseString,
    '@odata.type': looseString,
    indirectProviderTenantId: looseString,
    isPartnerConsentPending: looseBoolean,
  }),
  v.transform(
    (r): Relationship => ({
      id: r.id,
      displayName: r.displayName,
      status: knownStatus(RELATIONSHIP_STATUSES, r.status),
      rawStatus: r.status,
      duration: r.duration,
      autoExtendDuration: r.autoExtendDuration,
      customer: {
        tenantId: r.customer?.tenantId ?? null,
        displayName: r.customer?.displayName ?? null,
      },
      roleIds: r.accessDetails,
      createdDateTime: r.createdDateTime,
      lastModifiedDateTime: r.lastModifiedDateTime,
      activatedDateTime: r.activatedDateTime,
      endDateTime: r.endDateTime,
      etag: r['@odata.etag'],
      odataType: r['@odata.type'],
      isReseller:
        (r['@odata.type'] ?? '').toLowerCase().endsWith('resellerdelegatedadminrelationship') ||
        r.indirectProviderTenantId !== null,
      indirectProviderTenantId: r.indirectProviderTenantId,
      isPartnerConsentPending: r.isPartnerConsentPending,
    }),
  ),
);

export const CustomerSchema = v.pipe(
  v.object({
    id: idSchema,
    tenantId: looseString,
    displayName: coreString,
    '@odata.etag': looseString,
  }),
  v.transform(
    (c): Customer => ({
      id: c.id,
      tenantId: c.tenantId,
      displayName: c.displayName,
      etag: c['@odata.etag'],
    }),
  ),
);

export const AccessAssignmentSchema = v.pipe(
  v.object({
    id: idSchema,
    accessContainer: v.fallback(
      v.nullish(v.object({ accessContainerId: looseString, accessContainerType: looseString }), null),
      null,
    ),
    accessDetails: accessDetailsSchema,
    status: coreString,
    createdDateTime: looseDateTime,
    lastModifiedDateTime: looseDateTime,
    '@odata.etag': looseString,
  }),
  v.transform(
    (a): AccessAssignment => ({
      id: a.id,
      securityGroupId: a.accessContainer?.accessContainerId ?? null,
      containerType: a.accessContainer?.accessContainerType ?? null,
      roleIds: a.accessDetails,
      status: knownStatus(ACCESS_ASSIGNMENT_STATUSES, a.status),
      rawStatus: a.status,
      createdDateTime: a.createdDateTime,
      lastModifiedDateTime: a.lastModifiedDateTime,
      etag: a['@odata.etag'],
    }),
  ),
);

export const RelationshipRequestSchema = v.pipe(
  v.object({
    id: idSchema,
    action: looseString,
    status: coreString,
    createdDateTime: looseDateTime,
    lastModifiedDateTime: looseDateTime,
  }),
  v.transform(
    (q): RelationshipRequest => ({
      id: q.id,
      action: q.action,
      status: knownStatus(REQUEST_STATUSES, q.status),
      rawStatus: q.status,
      createdDateTime: q.createdDateTime,
      lastModifiedDateTime: q.lastModifiedDateTime,
    }),
  ),
);

export const RelationshipOperationSchema = v.pipe(
  v.object({
    id: idSchema,
    operationType: looseString,
    data: looseString,
    status: coreString,
    createdDateTime: looseDateTime,
    lastModifiedDateTime: looseDateTime,
    '@odata.etag': looseString,
  }),
  v.transform(
    (o): RelationshipOperation => ({
      id: o.id,
      operationType: o.operationType,
      data: o.data,
      status: knownStatus(OPERATION_STATUSES, o.status),
      rawStatus: o.status,
      createdDateTime: o.createdDateTime,
      lastModifiedDateTime: o.lastModifiedDateTime,
      etag: o['@odata.etag'],
    }),
  ),
);

/** `{ value: [...], '@odata.nextLink'?: string }`; a non-string next link is an error. */
export const ListPageSchema = v.pipe(
  v.object({
    value: v.array(v.unknown()),
    '@odata.nextLink': v.nullish(v.string(), null),
  }),
  v.transform((p): RawPage => ({ value: p.value, nextLink: p['@odata.nextLink'] })),
);

const innerErrorSchema = v.fallback(
  v.nullish(
    v.object({
      date: looseDateTime,
      'request-id': looseString,
      'client-request-id': looseString,
    }),
    null,
  ),
  null,
);

/** `{ error: { code, message, innerError | innererror } }`. */
export const GraphErrorSchema = v.pipe(
  v.object({
    error: v.object({
      code: v.string(),
      message: coreString,
      innerError: innerErrorSchema,
      innererror: innerErrorSchema,
    }),
  }),
  v.transform((b): GraphError => {
    const inner = b.error.innerError ?? b.error.innererror;
    return {
      code: b.error.code,
      message: b.error.message,
      requestId: inner?.['request-id'] ?? null,
      clientRequestId: inner?.['client-request-id'] ?? null,
      date: inner?.date ?? null,
    };
  }),
);

// ---------------------------------------------------------------------------
// Parse functions
// ---------------------------------------------------------------------------

function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string[] {
  return issues.map((issue) => {
    const path = v.getDotPath(issue);
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}

/** Runs a schema; never throws (an unexpected exception becomes an issue). */
function run<T>(schema: v.GenericSchema<unknown, T>, json: unknown): ParseResult<T> {
  try {
    const r = v.safeParse(schema, json);
    return r.success ? { ok: true, value: r.output } : { ok: false, issues: describeIssues(r.issues) };
  } catch {
    return { ok: false, issues: ['unexpected input'] };
  }
}

/** Validates a list page envelope only. */
export function parseListPage(json: unknown): ParseResult<RawPage> {
  return run(ListPageSchema, json);
}

/**
 * Validates a page envelope, then each item on its own: malformed items are skipped and
 * counted, never fatal. A malformed envelope is an error result.
 */
function parsePageWith<T>(schema: v.GenericSchema<unknown, T>, json: unknown): ParseResult<Page<T>> {
  const envelope = parseListPage(json);
  if (!envelope.ok) return envelope;
  const items: T[] = [];
  const issues: string[] = [];
  let skipped = 0;
  envelope.value.value.forEach((raw, index) => {
    const r = run(schema, raw);
    if (r.ok) {
      items.push(r.value);
      return;
    }
    skipped++;
    if (issues.length < MAX_REPORTED_ISSUES) issues.push(`[${index}] ${r.issues.join('; ')}`);
  });
  return { ok: true, value: { items, skipped, issues, nextLink: envelope.value.nextLink } };
}

export function parseRelationship(json: unknown): ParseResult<Relationship> {
  return run(RelationshipSchema, json);
}
export function parseRelationshipPage(json: unknown): ParseResult<Page<Relationship>> {
  return parsePageWith(RelationshipSchema, json);
}
export function parseCustomer(json: unknown): ParseResult<Customer> {
  return run(CustomerSchema, json);
}
export function parseCustomerPage(json: unknown): ParseResult<Page<Customer>> {
  return parsePageWith(CustomerSchema, json);
}
export function parseAccessAssignment(json: unknown): ParseResult<AccessAssignment> {
  return run(AccessAssignmentSchema, json);
}
export function parseAccessAssignmentPage(json: unknown): ParseResult<Page<AccessAssignment>> {
  return parsePageWith(AccessAssignmentSchema, json);
}
export function parseRelationshipRequest(json: unknown): ParseResult<RelationshipRequest> {
  return run(RelationshipRequestSchema, json);
}
export function parseRelationshipOperation(json: unknown): ParseResult<RelationshipOperation> {
  return run(RelationshipOperationSchema, json);
}
export function parseRelationshipOperationPage(json: unknown): ParseResult<Page<RelationshipOperation>> {
  return parsePageWith(RelationshipOperationSchema, json);
}
/** Graph's error body; `ok: false` when the body is not a Graph error. */
export function parseGraphError(json: unknown): ParseResult<GraphError> {
  return run(GraphErrorSchema, json);
}
