/**
 * Fake Microsoft Graph (`graph.microsoft.com`) for GDAP: every endpoint of
 * shared/graph-contract.md under `/v1.0/tenantRelationships`, with its rules.
 *
 * Defaults where the contract says "undocumented" (each switchable from tests):
 * - Page size without `$top`: 100 (`setDefaultPageSize`); `$top` must be 1…300, else 400;
 *   `setServerPageLimit(n)` answers at most n items a page whatever `$top` asks, as Graph may.
 * - `$skiptoken` is opaque (base64url); `@odata.nextLink` keeps the other query options.
 * - `$filter`: `status` and `customer/tenantId` with `eq`, `ne`, `in (…)`, combined with
 *   `and`, `or`, `not` and parentheses; anything else → 400. String comparison is
 *   case-insensitive for these two fields (an enum and a GUID).
 * - `$orderby`: endDateTime, displayName, createdDateTime, activatedDateTime,
 *   lastModifiedDateTime, `asc`/`desc`; null and "" sort first ascending.
 * - Refused displayName characters: `< > % & \ ? /` and control characters (Microsoft's
 *   list is undocumented; see REFUSED_NAME_CHARACTERS). Names compare case-insensitively
 *   for uniqueness; an expired/terminated relationship keeps its name for 365 days (R19).
 * - Missing `If-Match` → 400 BadRequest "If-Match header is required" (`setMissingIfMatchStatus(428)`
 *   for 428 PreconditionRequired). `If-Match: *` matches any ETag. Stale → 412 PreconditionFailed.
 * - A write in the wrong life-cycle state (PATCH of an approvalPending relationship, DELETE of an
 *   active one, terminate of a pending one, …) → 400 BadRequest (`setWrongStateStatus(409)` for 409 Conflict).
 * - PATCH of a relationship answers 200 with the object (`setPatchMode('202')` for 202 + Location +
 *   Retry-After, change applied when the operation completes after `setOperationDelay` ms, default 1000).
 *   PATCH of an access assignment answers 202 by default (`setAssignmentPatchMode('200')`).
 * - `terminate` ends the relationship at once (`setTerminateDelay(ms)` to stay in
 *   `terminationRequested` for a while). The request object is answered with its current status.
 * - A signed-in user who is not an admin agent (R1) gets 200 with an empty list from every
 *   list endpoint and 403 Authorization_RequestDenied from everything else.
 * - Reads need DelegatedAdminRelationship.Read.All or .ReadWrite.All in `scp`; writes need
 *   .ReadWrite.All; otherwise 403 Authorization_RequestDenied.
 * - delegatedAdminCustomers lists customers with at least one relationship in approved,
 *   activating, active, expiring, terminationRequested or terminating.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  DAY_MS,
  addDuration,
  durationDays,
  entraRoles,
  isoDate,
  newEtag,
  parseIsoDuration,
  ROLE,
} from './data';
import { readRequestBody, type FakeClock, type FakeLogin } from './login';
import type {
  FakeAccessAssignment,
  FakeCustomer,
  FakeOperation,
  FakeRelationship,
  FakeRelationshipRequest,
  FakeUser,
  HostContext,
  World,
} from './model';

export const GRAPH_HOST = 'graph.microsoft.com';
const BASE = '/v1.0/tenantRelationships';
export const MAX_PAGE_SIZE = 300;
/** Characters this fake refuses in a relationship displayName (Microsoft's own list is undocumented). */
export const REFUSED_NAME_CHARACTERS = ['<', '>', '%', '&', '\\', '?', '/'] as const;
const REFUSED_NAME_RE = /[<>%&\\?/\u0000-\u001f\u007f]/;
const READ_SCOPES = ['delegatedadminrelationship.read.all', 'delegatedadminrelationship.readwrite.all'];
const WRITE_SCOPE = 'delegatedadminrelationship.readwrite.all';
const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ENDED = new Set(['expired', 'terminated']);
const DELEGATING = new Set(['approved', 'activating', 'active', 'expiring', 'terminationRequested', 'terminating']);
const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const EXPOSED_HEADERS = 'Location, Retry-After, ETag, request-id, client-request-id, Preference-Applied';

export type PatchMode = '200' | '202';

/** A Graph error answer, thrown by route code and turned into `{ error: { … } }`. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Caller {
  user: FakeUser;
  scopes: string[];
}

// ---------------------------------------------------------------------------
// Life-cycle helpers usable without a server (the fake admin center calls these)
// ---------------------------------------------------------------------------

/** The fake clock of the server that serves a world, so that `approve(world, id)` stamps fake time. */
const worldClocks = new WeakMap<World, FakeClock>();

function worldNow(world: World): Date {
  return worldClocks.get(world)?.now() ?? new Date();
}

/** Position of each relationship id in `world.relationships`, rebuilt when found stale. */
const relationshipIndexes = new WeakMap<World, Map<string, number>>();

/**
 * The relationship with this id. Indexed, so that a sync's thousands of per-relationship
 * requests do not each scan the whole list; every hit is checked against the list itself
 * (which tests may change in place), and a miss falls back to a scan.
 */
function findRelationship(world: World, id: string): FakeRelationship | undefined {
  let index = relationshipIndexes.get(world);
  const at = index?.get(id);
  if (at !== undefined && world.relationships[at]?.id === id) return world.relationships[at];
  const found = world.relationships.findIndex((r) => r.id === id);
  if (found < 0) return undefined;
  index = new Map();
  world.relationships.forEach((r, i) => {
    if (!index!.has(r.id)) index!.set(r.id, i);
  });
  relationshipIndexes.set(world, index);
  return world.relationships[found];
}

function hasGlobalAdmin(roles: ReadonlyArray<{ roleDefinitionId: string }>): boolean {
  return roles.some((r) => r.roleDefinitionId.toLowerCase() === ROLE.globalAdministrator);
}

/**
 * The customer approves an invitation: approvalPending → active, activatedDateTime = now,
 * endDateTime = now + duration. Throws when the relationship is unknown or not pending.
 */
export function approve(world: World, relationshipId: string, now: Date = worldNow(world)): FakeRelationship {
  const rel = findRelationship(world, relationshipId);
  if (!rel) throw new Error(`no relationship ${relationshipId}`);
  if (rel.status !== 'approvalPending') throw new Error(`relationship ${relationshipId} is ${rel.status}, not approvalPending`);
  const duration = parseIsoDuration(rel.duration);
  if (!duration) throw new Error(`relationship ${relationshipId} has an invalid duration ${rel.duration}`);
  const at = now.getTime();
  rel.status = 'active';
  rel.activatedDateTime = isoDate(at);
  rel.endDateTime = isoDate(addDuration(at, duration));
  rel.lastModifiedDateTime = isoDate(at);
  rel.etag = newEtag(at);
  const requests = world.requests.get(rel.id) ?? [];
  requests.push({ id: randomUUID(), action: 'approve', status: 'succeeded', createdDateTime: isoDate(at), lastModifiedDateTime: isoDate(at) });
  world.requests.set(rel.id, requests);
  return rel;
}

/** Ends a relationship at once (the partner's terminate once complete, or the customer's own terminate). */
export function terminateNow(world: World, relationshipId: string, now: Date = worldNow(world)): FakeRelationship {
  const rel = findRelationship(world, relationshipId);
  if (!rel) throw new Error(`no relationship ${relationshipId}`);
  const at = now.getTime();
  rel.status = 'terminated';
  rel.endDateTime = isoDate(at);
  rel.lastModifiedDateTime = isoDate(at);
  rel.etag = newEtag(at);
  for (const a of world.accessAssignments.get(rel.id) ?? []) {
    a.status = 'deleted';
    a.lastModifiedDateTime = isoDate(at);
    a.etag = newEtag(at);
  }
  return rel;
}

// ---------------------------------------------------------------------------
// Serialisation
// ---------------------------------------------------------------------------

const RELATIONSHIP_PROPS = [
  'id',
  'displayName',
  'duration',
  'customer',
  'accessDetails',
  'autoExtendDuration',
  'status',
  'createdDateTime',
  'lastModifiedDateTime',
  'activatedDateTime',
  'endDateTime',
  'indirectProviderTenantId',
  'isPartnerConsentPending',
] as const;
const SELECTABLE = new Map<string, (typeof RELATIONSHIP_PROPS)[number]>(RELATIONSHIP_PROPS.map((p) => [p.toLowerCase(), p]));

function weakEtag(etag: string): string {
  return `W/"${etag}"`;
}

function relationshipJson(r: FakeRelationship, select?: ReadonlySet<string>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (r['@odata.type']) o['@odata.type'] = r['@odata.type'];
  o['@odata.etag'] = weakEtag(r.etag);
  for (const p of RELATIONSHIP_PROPS) {
    if (select && !select.has(p)) continue;
    if (p in r) o[p] = r[p];
  }
  return o;
}

function assignmentJson(a: FakeAccessAssignment): Record<string, unknown> {
  const { etag, ...rest } = a;
  return { '@odata.etag': weakEtag(etag), ...rest };
}

function stampEtag(obj: { id: string; lastModifiedDateTime: string }): string {
  return weakEtag(Buffer.from(`${obj.id}:${obj.lastModifiedDateTime}`).toString('base64'));
}

function requestJson(r: FakeRelationshipRequest): Record<string, unknown> {
  return { '@odata.etag': stampEtag(r), ...r };
}

function operationJson(o: FakeOperation): Record<string, unknown> {
  return { '@odata.etag': stampEtag(o), ...o };
}

function customerJson(c: FakeCustomer): Record<string, unknown> {
  return { '@odata.etag': weakEtag(Buffer.from(`customer:${c.tenantId}`).toString('base64')), id: c.id, tenantId: c.tenantId, displayName: c.displayName };
}

// ---------------------------------------------------------------------------
// $filter
// ---------------------------------------------------------------------------

type Predicate = (r: FakeRelationship) => boolean;
type Token = { kind: 'ident' | 'string' | 'punct'; text: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: 'punct', text: c });
      i++;
    } else if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new GraphError(400, 'BadRequest', 'Invalid filter clause: unterminated string literal.');
        const ch = text[i] as string;
        if (ch === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += ch;
        i++;
      }
      tokens.push({ kind: 'string', text: value });
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < text.length && /[A-Za-z0-9_/.]/.test(text[j] as string)) j++;
      tokens.push({ kind: 'ident', text: text.slice(i, j) });
      i = j;
    } else {
      throw new GraphError(400, 'BadRequest', `Invalid filter clause: syntax error at position ${i} in '${text}'.`);
    }
  }
  return tokens;
}

const FILTER_FIELDS: Record<string, (r: FakeRelationship) => string | undefined> = {
  status: (r) => r.status,
  'customer/tenantid': (r) => r.customer?.tenantId ?? undefined,
};

/** Parses the supported subset of OData `$filter` into a predicate (400 for anything else). */
export function parseRelationshipFilter(text: string): Predicate {
  const tokens = tokenize(text);
  let pos = 0;
  const bad = (why: string): GraphError => new GraphError(400, 'BadRequest', `Invalid filter clause: ${why}`);
  const peek = (): Token | undefined => tokens[pos];
  const isWord = (t: Token | undefined, w: string): boolean => t?.kind === 'ident' && t.text.toLowerCase() === w;
  const expectPunct = (p: string): void => {
    const t = tokens[pos++];
    if (t?.kind !== 'punct' || t.text !== p) throw bad(`expected '${p}'.`);
  };
  const literal = (): string => {
    const t = tokens[pos++];
    if (t?.kind !== 'string') throw bad('expected a string literal.');
    return t.text.toLowerCase();
  };

  const comparison = (): Predicate => {
    const fieldTok = tokens[pos++];
    if (fieldTok?.kind !== 'ident') throw bad('expected a property name.');
    const get = FILTER_FIELDS[fieldTok.text.toLowerCase()];
    if (!get) throw bad(`filtering on '${fieldTok.text}' is not supported.`);
    const op = tokens[pos++];
    if (isWord(op, 'eq') || isWord(op, 'ne')) {
      const value = literal();
      const eq = isWord(op, 'eq');
      return (r) => ((get(r) ?? '').toLowerCase() === value) === eq;
    }
    if (isWord(op, 'in')) {
      expectPunct('(');
      const values = new Set<string>([literal()]);
      while (peek()?.kind === 'punct' && peek()?.text === ',') {
        pos++;
        values.add(literal());
      }
      expectPunct(')');
      return (r) => values.has((get(r) ?? '').toLowerCase());
    }
    throw bad(`operator '${op?.text ?? ''}' is not supported.`);
  };
  const primary = (): Predicate => {
    const t = peek();
    if (t?.kind === 'punct' && t.text === '(') {
      pos++;
      const inner = orExpr();
      expectPunct(')');
      return inner;
    }
    return comparison();
  };
  const unary = (): Predicate => {
    if (isWord(peek(), 'not')) {
      pos++;
      const inner = unary();
      return (r) => !inner(r);
    }
    return primary();
  };
  const andExpr = (): Predicate => {
    let left = unary();
    while (isWord(peek(), 'and')) {
      pos++;
      const l = left;
      const right = unary();
      left = (r) => l(r) && right(r);
    }
    return left;
  };
  function orExpr(): Predicate {
    let left = andExpr();
    while (isWord(peek(), 'or')) {
      pos++;
      const l = left;
      const right = andExpr();
      left = (r) => l(r) || right(r);
    }
    return left;
  }
  if (tokens.length === 0) throw bad('empty filter.');
  const predicate = orExpr();
  if (pos !== tokens.length) throw bad(`unexpected '${tokens[pos]?.text ?? ''}'.`);
  return predicate;
}

// ---------------------------------------------------------------------------
// $orderby, $select, $top, $skiptoken
// ---------------------------------------------------------------------------

const ORDERABLE: Record<string, (r: FakeRelationship) => string> = {
  enddatetime: (r) => r.endDateTime ?? '',
  displayname: (r) => r.displayName,
  createddatetime: (r) => r.createdDateTime,
  activateddatetime: (r) => r.activatedDateTime ?? '',
  lastmodifieddatetime: (r) => r.lastModifiedDateTime,
};

function parseOrderBy(text: string): (a: FakeRelationship, b: FakeRelationship) => number {
  const keys = text.split(',').map((part) => {
    const m = /^\s*([A-Za-z/]+)(?:\s+(asc|desc))?\s*$/i.exec(part);
    const get = m?.[1] ? ORDERABLE[m[1].toLowerCase()] : undefined;
    if (!m || !get) throw new GraphError(400, 'BadRequest', `Invalid $orderby: ordering by '${part.trim()}' is not supported.`);
    return { get, dir: m[2]?.toLowerCase() === 'desc' ? -1 : 1 };
  });
  return (a, b) => {
    for (const k of keys) {
      const x = k.get(a);
      const y = k.get(b);
      if (x !== y) return (x < y ? -1 : 1) * k.dir;
    }
    return 0;
  };
}

function parseSelect(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of text.split(',')) {
    const name = raw.trim();
    const prop = SELECTABLE.get(name.toLowerCase());
    if (!prop) throw new GraphError(400, 'BadRequest', `Could not find a property named '${name}' on type 'microsoft.graph.delegatedAdminRelationship'.`);
    out.add(prop);
  }
  return out;
}

interface PageQuery {
  top: number;
  offset: number;
  count: boolean;
  /** A fingerprint of the options a skiptoken belongs to. */
  key: string;
}

function encodeSkipToken(offset: number, key: string): string {
  return Buffer.from(JSON.stringify({ o: offset, k: key }), 'utf8').toString('base64url');
}

function decodeSkipToken(token: string, key: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; k?: unknown };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0 && parsed.k === key) return parsed.o;
  } catch {
    // fall through
  }
  throw new GraphError(400, 'BadRequest', 'The $skiptoken is invalid or does not belong to this query.');
}

function parsePageQuery(url: URL, allowed: ReadonlySet<string>, defaultTop: number, serverLimit = MAX_PAGE_SIZE): PageQuery {
  const sp = url.searchParams;
  for (const name of sp.keys()) {
    if (name.startsWith('$') && !allowed.has(name.toLowerCase())) {
      throw new GraphError(400, 'BadRequest', `Query option '${name}' is not allowed. Make sure that it is supported for this request.`);
    }
  }
  let top = defaultTop;
  const topText = sp.get('$top');
  if (topText !== null) {
    if (!/^\d+$/.test(topText)) throw new GraphError(400, 'BadRequest', `Invalid value '${topText}' for query option '$top'.`);
    top = Number(topText);
    if (top < 1 || top > MAX_PAGE_SIZE) {
      throw new GraphError(400, 'BadRequest', `The limit of '${MAX_PAGE_SIZE}' for Top query has been exceeded. The value from the incoming request is '${topText}'.`);
    }
  }
  // Server-driven paging: Graph may answer fewer items than $top, with a nextLink.
  top = Math.min(top, serverLimit);
  const key = ['$filter', '$orderby', '$select', '$top'].map((k) => sp.get(k) ?? '').join('\u0001');
  const skip = sp.get('$skiptoken');
  const offset = skip === null ? 0 : decodeSkipToken(skip, key);
  const countText = sp.get('$count');
  return { top, offset, count: countText?.toLowerCase() === 'true', key };
}

/** Percent-encodes a query key or value but keeps `$`, `,` and `/` readable, as Graph's links do. */
function encodeQueryPart(text: string): string {
  return encodeURIComponent(text).replace(/%24/g, '$').replace(/%2C/gi, ',').replace(/%2F/gi, '/');
}

function nextLink(origin: string, url: URL, q: PageQuery, nextOffset: number): string {
  const parts: string[] = [];
  for (const [k, v] of url.searchParams) if (k !== '$skiptoken') parts.push(`${encodeQueryPart(k)}=${encodeQueryPart(v)}`);
  parts.push(`$skiptoken=${encodeSkipToken(nextOffset, q.key)}`);
  return `${origin}${url.pathname}?${parts.join('&')}`;
}

// ---------------------------------------------------------------------------
// Request validation helpers
// ---------------------------------------------------------------------------

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseJsonBody(raw: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new GraphError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
  }
  if (!isObject(value)) throw new GraphError(400, 'BadRequest', 'The request body must be a JSON object.');
  return value;
}

function badRequest(message: string): GraphError {
  return new GraphError(400, 'BadRequest', message);
}

function validateDuration(value: unknown): string {
  if (typeof value !== 'string') throw badRequest("The property 'duration' is required and must be an ISO 8601 duration.");
  const d = parseIsoDuration(value);
  if (!d) throw badRequest(`The value '${value}' of property 'duration' is not a valid ISO 8601 duration.`);
  const days = durationDays(d);
  if (days < 1 || days > 730) throw badRequest(`The duration '${value}' is outside the allowed range: it must be between P1D and P2Y (730 days).`);
  return value;
}

function validateRoles(value: unknown): Array<{ roleDefinitionId: string }> {
  const roles = isObject(value) ? value.unifiedRoles : undefined;
  if (!Array.isArray(roles) || roles.length === 0) throw badRequest("The property 'accessDetails.unifiedRoles' is required and must not be empty.");
  const known = entraRoles();
  const out: Array<{ roleDefinitionId: string }> = [];
  const seen = new Set<string>();
  for (const r of roles) {
    const id = isObject(r) && typeof r.roleDefinitionId === 'string' ? r.roleDefinitionId.toLowerCase() : undefined;
    if (!id || !known.has(id)) throw badRequest(`The role definition '${isObject(r) ? String(r.roleDefinitionId) : String(r)}' is not a supported role.`);
    if (!seen.has(id)) out.push({ roleDefinitionId: id });
    seen.add(id);
  }
  return out;
}

function validateAutoExtend(value: unknown, roles: ReadonlyArray<{ roleDefinitionId: string }>): string {
  if (value !== 'PT0S' && value !== 'P0D' && value !== 'P180D') {
    throw badRequest(`The value '${String(value)}' of property 'autoExtendDuration' is not valid: use PT0S (off) or P180D.`);
  }
  if (value === 'P180D' && hasGlobalAdmin(roles)) {
    throw badRequest('Auto-extend is not allowed for relationships that include the Global Administrator role.');
  }
  return value;
}

function normalizeEtag(value: string): string {
  let v = value.trim();
  if (v.startsWith('W/')) v = v.slice(2);
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
  return v;
}

// ---------------------------------------------------------------------------
// FakeGraph
// ---------------------------------------------------------------------------

interface PendingWork {
  timer: NodeJS.Timeout | undefined;
  run: () => void;
}

export class FakeGraph {
  /** Total milliseconds spent producing Graph answers (after the request body was read). */
  serveTimeMs = 0;
  /** Graph requests answered. */
  served = 0;
  private patchMode: PatchMode = '200';
  private assignmentPatchMode: PatchMode = '202';
  private defaultPageSize = 100;
  private serverPageLimit = MAX_PAGE_SIZE;
  private missingIfMatchStatus: 400 | 428 = 400;
  private wrongStateStatus: 400 | 409 = 400;
  private operationDelayMs = 1000;
  private terminateDelayMs = 0;
  private retryAfterSeconds = 1;
  private readonly pending = new Map<string, PendingWork>();

  constructor(
    readonly world: World,
    private readonly login: FakeLogin,
    private readonly clock: FakeClock,
  ) {
    worldClocks.set(world, clock);
  }

  // ----- controls -----

  /** How PATCH of a relationship answers: '200' (default) with the object, or '202' + Location + Retry-After. */
  setPatchMode(mode: PatchMode): void {
    this.patchMode = mode;
  }
  /** How PATCH of an access assignment answers (default '202'). */
  setAssignmentPatchMode(mode: PatchMode): void {
    this.assignmentPatchMode = mode;
  }
  /** Page size when no `$top` is given (default 100). */
  /** Answers at most `n` items per page whatever `$top` asks (server-driven paging); null = no cap. */
  setServerPageLimit(n: number | null): void {
    this.serverPageLimit = n === null ? MAX_PAGE_SIZE : Math.min(Math.max(1, Math.floor(n)), MAX_PAGE_SIZE);
  }

  setDefaultPageSize(n: number): void {
    this.defaultPageSize = Math.min(Math.max(1, Math.floor(n)), MAX_PAGE_SIZE);
  }
  /** Status for a write without If-Match: 400 (default) or 428. */
  setMissingIfMatchStatus(status: 400 | 428): void {
    this.missingIfMatchStatus = status;
  }
  /** Status for a write in the wrong life-cycle state: 400 (default) or 409. */
  setWrongStateStatus(status: 400 | 409): void {
    this.wrongStateStatus = status;
  }
  /** How long a 202 operation runs before its change applies (ms, default 1000). */
  setOperationDelay(ms: number): void {
    this.operationDelayMs = Math.max(0, ms);
  }
  /** How long a relationship stays `terminationRequested` after terminate (ms, default 0 = at once). */
  setTerminateDelay(ms: number): void {
    this.terminateDelayMs = Math.max(0, ms);
  }
  /** Retry-After (seconds) sent with 202 answers (default 1). */
  setRetryAfter(seconds: number): void {
    this.retryAfterSeconds = seconds;
  }
  /** Customer approval (see `approve`), stamped with the fake clock. */
  approve(relationshipId: string): FakeRelationship {
    return approve(this.world, relationshipId, this.clock.now());
  }
  /** Completes every running operation and pending termination now. */
  settleAll(): void {
    for (const [id, work] of [...this.pending]) {
      if (work.timer) clearTimeout(work.timer);
      this.pending.delete(id);
      work.run();
    }
  }
  /** Number of operations / terminations still running. */
  get pendingCount(): number {
    return this.pending.size;
  }
  /** Drops pending timers (server stop); their changes are not applied. */
  stop(): void {
    for (const work of this.pending.values()) if (work.timer) clearTimeout(work.timer);
    this.pending.clear();
  }

  // ----- HTTP -----

  /** The HostHandler for graph.microsoft.com. */
  readonly handle = async (req: IncomingMessage, res: ServerResponse, url: URL, ctx: HostContext): Promise<boolean> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const requestId = randomUUID();
    const clientRequestIdHeader = req.headers['client-request-id'];
    const clientRequestId = typeof clientRequestIdHeader === 'string' ? clientRequestIdHeader : requestId;
    const baseHeaders: Record<string, string> = {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Expose-Headers': EXPOSED_HEADERS,
      'request-id': requestId,
      'client-request-id': clientRequestId,
      'Cache-Control': 'no-cache',
      'Strict-Transport-Security': 'max-age=31536000',
    };

    if (method === 'OPTIONS') {
      res.writeHead(200, {
        ...baseHeaders,
        'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
        'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? 'authorization, content-type, if-match',
        'Access-Control-Max-Age': '3600',
      });
      res.end();
      return true;
    }

    let raw = '';
    if (method === 'POST' || method === 'PATCH' || method === 'PUT') {
      try {
        raw = await readRequestBody(req);
      } catch {
        res.destroy();
        return true;
      }
    }

    const started = performance.now();
    let reply: Reply;
    try {
      reply = this.route(req, method, url, ctx.origin(GRAPH_HOST), raw);
    } catch (err) {
      const e = err instanceof GraphError ? err : new GraphError(500, 'InternalServerError', err instanceof Error ? err.message : String(err));
      reply = {
        status: e.status,
        headers: e.headers,
        body: {
          error: {
            code: e.code,
            message: e.message,
            innerError: { date: isoDate(this.clock.nowMs()), 'request-id': requestId, 'client-request-id': clientRequestId },
          },
        },
      };
    }
    const headers: Record<string, string> = { ...baseHeaders, ...reply.headers };
    if (reply.body !== undefined) {
      headers['Content-Type'] = JSON_TYPE;
      res.writeHead(reply.status, headers);
      res.end(JSON.stringify(reply.body));
    } else {
      res.writeHead(reply.status, headers);
      res.end();
    }
    this.serveTimeMs += performance.now() - started;
    this.served += 1;
    return true;
  };

  private route(req: IncomingMessage, method: string, url: URL, origin: string, raw: string): Reply {
    const path = url.pathname.replace(/\/+$/, '');
    if (!path.toLowerCase().startsWith(BASE.toLowerCase() + '/')) {
      const segment = path.split('/').filter(Boolean).slice(1).join('/') || path;
      throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
    }
    const segs = path
      .slice(BASE.length + 1)
      .split('/')
      .map((s) => {
        try {
          return decodeURIComponent(s);
        } catch {
          throw badRequest(`The path segment '${s}' is not valid.`);
        }
      });
    const [collection, id, sub, subId, extra] = segs;
    const col = collection?.toLowerCase();
    const subLower = sub?.toLowerCase();
    if (extra !== undefined || (col !== 'delegatedadminrelationships' && col !== 'delegatedadmincustomers')) {
      throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${segs.join('/')}'.`);
    }

    const caller = this.authenticate(req);
    const isWrite = method !== 'GET' && method !== 'HEAD';
    this.authorize(caller, isWrite);
    const isList =
      method === 'GET' &&
      (id === undefined || (subId === undefined && (subLower === 'accessassignments' || subLower === 'requests' || subLower === 'operations')));
    if (!caller.user.isAdminAgent) {
      if (isList) return { status: 200, body: { '@odata.context': `${origin}/v1.0/$metadata#tenantRelationships/${collection}`, value: [] } };
      throw new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation. The signed-in user is not a member of the Admin agents group.');
    }

    const ctx = `${origin}/v1.0/$metadata#tenantRelationships`;
    if (col === 'delegatedadmincustomers') {
      if (sub !== undefined || method !== 'GET') throw new GraphError(405, 'MethodNotAllowed', `The ${method} method is not supported on this resource.`);
      return id === undefined ? this.listCustomers(url, origin, ctx) : this.getCustomer(id, ctx);
    }

    if (id === undefined) {
      if (method === 'GET') return this.listRelationships(url, origin, ctx);
      if (method === 'POST') return this.createRelationship(parseJsonBody(raw), origin, ctx);
      throw new GraphError(405, 'MethodNotAllowed', `The ${method} method is not supported on this resource.`);
    }
    const rel = findRelationship(this.world, id);
    if (!rel) throw new GraphError(404, 'ResourceNotFound', `The delegated admin relationship with id '${id}' was not found.`);
    const relUrl = `${origin}${BASE}/delegatedAdminRelationships/${encodeURIComponent(rel.id)}`;
    const relCtx = `${ctx}/delegatedAdminRelationships('${rel.id}')`;

    if (sub === undefined) {
      if (method === 'GET') return { status: 200, body: { '@odata.context': `${ctx}/delegatedAdminRelationships/$entity`, ...relationshipJson(rel) } };
      if (method === 'PATCH') return this.patchRelationship(req, rel, parseJsonBody(raw), relUrl, ctx);
      if (method === 'DELETE') return this.deleteRelationship(req, rel);
      throw new GraphError(405, 'MethodNotAllowed', `The ${method} method is not supported on this resource.`);
    }
    if (subLower === 'requests') {
      if (subId === undefined && method === 'GET') {
        return { status: 200, body: { '@odata.context': `${relCtx}/requests`, value: (this.world.requests.get(rel.id) ?? []).map(requestJson) } };
      }
      if (subId === undefined && method === 'POST') return this.postRequest(rel, parseJsonBody(raw), relUrl, relCtx);
      if (subId !== undefined && method === 'GET') {
        const r = (this.world.requests.get(rel.id) ?? []).find((x) => x.id === subId);
        if (!r) throw new GraphError(404, 'ResourceNotFound', `The request '${subId}' was not found.`);
        return { status: 200, body: { '@odata.context': `${relCtx}/requests/$entity`, ...requestJson(r) } };
      }
    } else if (subLower === 'accessassignments') {
      if (subId === undefined && method === 'GET') {
        return { status: 200, body: { '@odata.context': `${relCtx}/accessAssignments`, value: this.assignmentsOf(rel).map(assignmentJson) } };
      }
      if (subId === undefined && method === 'POST') return this.createAssignment(rel, parseJsonBody(raw), relUrl, relCtx);
      if (subId !== undefined) {
        const a = this.assignmentsOf(rel).find((x) => x.id === subId);
        if (!a) throw new GraphError(404, 'ResourceNotFound', `The access assignment '${subId}' was not found.`);
        if (method === 'GET') return { status: 200, body: { '@odata.context': `${relCtx}/accessAssignments/$entity`, ...assignmentJson(a) } };
        if (method === 'PATCH') return this.patchAssignment(req, rel, a, parseJsonBody(raw), relUrl, relCtx);
        if (method === 'DELETE') return this.deleteAssignment(req, rel, a);
      }
    } else if (subLower === 'operations') {
      if (method === 'GET' && subId === undefined) {
        return { status: 200, body: { '@odata.context': `${relCtx}/operations`, value: (this.world.operations.get(rel.id) ?? []).map(operationJson) } };
      }
      if (method === 'GET' && subId !== undefined) {
        const o = (this.world.operations.get(rel.id) ?? []).find((x) => x.id === subId);
        if (!o) throw new GraphError(404, 'ResourceNotFound', `The operation '${subId}' was not found.`);
        return { status: 200, body: { '@odata.context': `${relCtx}/operations/$entity`, ...operationJson(o) } };
      }
    } else {
      throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${sub ?? ''}'.`);
    }
    throw new GraphError(405, 'MethodNotAllowed', `The ${method} method is not supported on this resource.`);
  }

  private authenticate(req: IncomingMessage): Caller {
    const header = req.headers.authorization;
    const result = this.login.validateAccessToken(header);
    if (result.ok) return { user: result.user, scopes: result.scopes.map((s) => s.toLowerCase()) };
    const messages: Record<typeof result.reason, string> = {
      missing: 'Access token is empty.',
      malformed: 'IDX14100: JWT is not well formed, there are no dots (.).',
      'invalid-signature': 'Access token validation failure. Invalid signature.',
      'wrong-audience': 'Access token validation failure. Invalid audience.',
      expired: 'Lifetime validation failed, the token is expired.',
      'not-yet-valid': 'Lifetime validation failed, the token is not yet valid.',
      'unknown-user': 'Access token validation failure. The user does not exist.',
    };
    throw new GraphError(401, 'InvalidAuthenticationToken', messages[result.reason], {
      'WWW-Authenticate': 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
    });
  }

  private authorize(caller: Caller, write: boolean): void {
    const ok = write ? caller.scopes.includes(WRITE_SCOPE) : caller.scopes.some((s) => READ_SCOPES.includes(s));
    if (!ok) {
      throw new GraphError(403, 'Authorization_RequestDenied', `Insufficient privileges to complete the operation. Missing scope ${write ? 'DelegatedAdminRelationship.ReadWrite.All' : 'DelegatedAdminRelationship.Read.All'}.`);
    }
  }

  private checkIfMatch(req: IncomingMessage, etag: string): void {
    const header = req.headers['if-match'];
    if (typeof header !== 'string' || header.trim() === '') {
      throw this.missingIfMatchStatus === 428
        ? new GraphError(428, 'PreconditionRequired', 'If-Match header is required')
        : new GraphError(400, 'BadRequest', 'If-Match header is required');
    }
    const tags = header.split(',').map(normalizeEtag);
    if (tags.includes('*') || tags.includes(normalizeEtag(etag))) return;
    throw new GraphError(412, 'PreconditionFailed', 'The provided If-Match header value does not match the current ETag value of the resource.');
  }

  private wrongState(message: string): GraphError {
    return new GraphError(this.wrongStateStatus, this.wrongStateStatus === 409 ? 'Conflict' : 'BadRequest', message);
  }

  private now(): number {
    return this.clock.nowMs();
  }

  private touch(obj: { lastModifiedDateTime: string; etag: string }): void {
    const now = this.now();
    obj.lastModifiedDateTime = isoDate(now);
    obj.etag = newEtag(now);
  }

  // ----- relationships -----

  private listRelationships(url: URL, origin: string, ctx: string): Reply {
    const q = parsePageQuery(url, new Set(['$top', '$skiptoken', '$filter', '$orderby', '$select', '$count']), this.defaultPageSize, this.serverPageLimit);
    const filterText = url.searchParams.get('$filter');
    const orderText = url.searchParams.get('$orderby');
    const selectText = url.searchParams.get('$select');
    const predicate = filterText !== null ? parseRelationshipFilter(filterText) : undefined;
    const order = orderText !== null ? parseOrderBy(orderText) : undefined;
    const select = selectText !== null ? parseSelect(selectText) : undefined;
    let items = predicate ? this.world.relationships.filter(predicate) : this.world.relationships;
    if (order) items = [...items].sort(order);
    const page = items.slice(q.offset, q.offset + q.top);
    const body: Record<string, unknown> = {
      '@odata.context': `${ctx}/delegatedAdminRelationships${select ? `(${[...select].join(',')})` : ''}`,
    };
    if (q.count) body['@odata.count'] = items.length;
    body.value = page.map((r) => relationshipJson(r, select));
    if (q.offset + q.top < items.length) body['@odata.nextLink'] = nextLink(origin, url, q, q.offset + q.top);
    return { status: 200, body };
  }

  private nameTaken(name: string, exceptId?: string): boolean {
    const wanted = name.toLowerCase();
    const now = this.now();
    return this.world.relationships.some((r) => {
      if (r.id === exceptId || r.displayName.toLowerCase() !== wanted) return false;
      if (!ENDED.has(r.status)) return true;
      const endedAt = Date.parse(r.endDateTime || r.lastModifiedDateTime);
      return Number.isNaN(endedAt) || now - endedAt < 365 * DAY_MS;
    });
  }

  private validateName(value: unknown, exceptId?: string): string {
    if (typeof value !== 'string' || value.trim() === '') throw badRequest("The property 'displayName' is required and must not be empty.");
    if ([...value].length > 50) throw badRequest('The displayName must be at most 50 characters long.');
    if (REFUSED_NAME_RE.test(value)) throw badRequest(`The displayName contains characters that are not allowed (${REFUSED_NAME_CHARACTERS.join(' ')} and control characters).`);
    if (this.nameTaken(value, exceptId)) {
      throw new GraphError(409, 'Conflict', `A delegated admin relationship with the name '${value}' already exists. A name can be reused 365 days after its relationship ended.`);
    }
    return value;
  }

  private validateCustomer(value: unknown): FakeRelationship['customer'] {
    if (value === undefined || value === null) return undefined;
    if (!isObject(value)) throw badRequest("The property 'customer' must be an object with a tenantId.");
    const tenantId = value.tenantId;
    if (tenantId === undefined || tenantId === null) return {};
    if (typeof tenantId !== 'string' || !GUID_RE.test(tenantId)) throw badRequest(`The customer tenantId '${String(tenantId)}' is not a valid GUID.`);
    const known = this.world.customers.find((c) => c.tenantId.toLowerCase() === tenantId.toLowerCase());
    return known ? { tenantId: known.tenantId, displayName: known.displayName } : { tenantId: tenantId.toLowerCase() };
  }

  private createRelationship(body: Record<string, unknown>, origin: string, ctx: string): Reply {
    const displayName = this.validateName(body.displayName);
    const duration = validateDuration(body.duration);
    const roles = validateRoles(body.accessDetails);
    const autoExtendDuration = validateAutoExtend(body.autoExtendDuration ?? 'PT0S', roles);
    const customer = this.validateCustomer(body.customer);
    const now = this.now();
    const rel: FakeRelationship = {
      id: `${randomUUID()}-${randomUUID()}`,
      displayName,
      duration,
      accessDetails: { unifiedRoles: roles },
      autoExtendDuration,
      status: 'created',
      createdDateTime: isoDate(now),
      lastModifiedDateTime: isoDate(now),
      activatedDateTime: null,
      endDateTime: null,
      etag: newEtag(now),
    };
    if (customer !== undefined) rel.customer = customer;
    this.world.relationships.push(rel);
    const location = `${origin}${BASE}/delegatedAdminRelationships/${encodeURIComponent(rel.id)}`;
    return { status: 201, headers: { Location: location }, body: { '@odata.context': `${ctx}/delegatedAdminRelationships/$entity`, ...relationshipJson(rel) } };
  }

  /** Validates a PATCH body against the relationship's state; returns the change to apply. */
  private validatePatch(rel: FakeRelationship, body: Record<string, unknown>): Partial<FakeRelationship> {
    const keys = Object.keys(body).filter((k) => !k.startsWith('@odata.'));
    if (keys.length === 0) throw badRequest('The request body contains no property to update.');
    if (rel.status === 'active') {
      const other = keys.filter((k) => k !== 'autoExtendDuration');
      if (other.length > 0) throw this.wrongState(`Only autoExtendDuration can be updated while the relationship is active (got ${other.join(', ')}).`);
      return { autoExtendDuration: validateAutoExtend(body.autoExtendDuration, rel.accessDetails.unifiedRoles) };
    }
    if (rel.status !== 'created') throw this.wrongState(`The relationship cannot be updated while its status is '${rel.status}'.`);
    const writable = new Set(['displayName', 'duration', 'customer', 'accessDetails', 'autoExtendDuration']);
    const unknown = keys.filter((k) => !writable.has(k));
    if (unknown.length > 0) throw badRequest(`The properties ${unknown.join(', ')} cannot be updated.`);
    const change: Partial<FakeRelationship> = {};
    if ('displayName' in body) change.displayName = this.validateName(body.displayName, rel.id);
    if ('duration' in body) change.duration = validateDuration(body.duration);
    if ('accessDetails' in body) change.accessDetails = { unifiedRoles: validateRoles(body.accessDetails) };
    if ('customer' in body) change.customer = this.validateCustomer(body.customer) ?? null;
    const roles = change.accessDetails?.unifiedRoles ?? rel.accessDetails.unifiedRoles;
    const autoExtend = 'autoExtendDuration' in body ? body.autoExtendDuration : rel.autoExtendDuration;
    const checked = validateAutoExtend(autoExtend, roles);
    if ('autoExtendDuration' in body) change.autoExtendDuration = checked;
    return change;
  }

  private patchRelationship(req: IncomingMessage, rel: FakeRelationship, body: Record<string, unknown>, relUrl: string, ctx: string): Reply {
    this.checkIfMatch(req, rel.etag);
    const change = this.validatePatch(rel, body);
    const apply = (): void => {
      Object.assign(rel, change);
      this.touch(rel);
    };
    if (this.patchMode === '200') {
      apply();
      return { status: 200, body: { '@odata.context': `${ctx}/delegatedAdminRelationships/$entity`, ...relationshipJson(rel) } };
    }
    const op = this.startOperation(rel.id, 'delegatedAdminRelationshipUpdate', change, () => {
      if (!findRelationship(this.world, rel.id)) return false;
      apply();
      return true;
    });
    return { status: 202, headers: { Location: `${relUrl}/operations/${op.id}`, 'Retry-After': String(this.retryAfterSeconds) } };
  }

  private deleteRelationship(req: IncomingMessage, rel: FakeRelationship): Reply {
    this.checkIfMatch(req, rel.etag);
    if (rel.status !== 'created') throw this.wrongState(`Only a relationship in status 'created' can be deleted; this one is '${rel.status}'.`);
    const i = this.world.relationships.indexOf(rel);
    if (i >= 0) this.world.relationships.splice(i, 1);
    this.world.accessAssignments.delete(rel.id);
    this.world.requests.delete(rel.id);
    this.world.operations.delete(rel.id);
    return { status: 204 };
  }

  // ----- requests (lockForApproval, terminate) -----

  private postRequest(rel: FakeRelationship, body: Record<string, unknown>, relUrl: string, relCtx: string): Reply {
    const action = body.action;
    if (action !== 'lockForApproval' && action !== 'terminate') {
      throw badRequest(`The action '${String(action)}' is not supported. Use 'lockForApproval' or 'terminate'.`);
    }
    const now = this.now();
    const request: FakeRelationshipRequest = { id: randomUUID(), action, status: 'created', createdDateTime: isoDate(now), lastModifiedDateTime: isoDate(now) };
    if (action === 'lockForApproval') {
      if (rel.status !== 'created') throw this.wrongState(`lockForApproval needs a relationship in status 'created'; this one is '${rel.status}'.`);
      if (!rel.customer?.tenantId) throw badRequest('The relationship has no customer tenantId; set customer before lockForApproval.');
      rel.status = 'approvalPending';
      this.touch(rel);
      request.status = 'succeeded';
    } else {
      if (rel.status === 'approvalPending') throw this.wrongState('A relationship pending approval cannot be terminated by the partner.');
      if (rel.status !== 'active' && rel.status !== 'expiring') throw this.wrongState(`Only an active relationship can be terminated; this one is '${rel.status}'.`);
      rel.status = 'terminationRequested';
      this.touch(rel);
      const finish = (): void => {
        if (!findRelationship(this.world, rel.id)) return;
        terminateNow(this.world, rel.id, this.clock.now());
        request.status = 'succeeded';
        request.lastModifiedDateTime = isoDate(this.now());
      };
      if (this.terminateDelayMs === 0) finish();
      else {
        request.status = 'pending';
        this.schedule(`terminate:${request.id}`, this.terminateDelayMs, finish);
      }
    }
    const list = this.world.requests.get(rel.id) ?? [];
    list.push(request);
    this.world.requests.set(rel.id, list);
    return {
      status: 201,
      headers: { Location: `${relUrl}/requests/${request.id}` },
      body: { '@odata.context': `${relCtx}/requests/$entity`, ...requestJson(request) },
    };
  }

  // ----- access assignments -----

  private assignmentsOf(rel: FakeRelationship): FakeAccessAssignment[] {
    return (this.world.accessAssignments.get(rel.id) ?? []).filter((a) => a.status !== 'deleted');
  }

  private validateAssignmentRoles(rel: FakeRelationship, value: unknown): Array<{ roleDefinitionId: string }> {
    const roles = validateRoles(value);
    const granted = new Set(rel.accessDetails.unifiedRoles.map((r) => r.roleDefinitionId.toLowerCase()));
    const outside = roles.filter((r) => !granted.has(r.roleDefinitionId));
    if (outside.length > 0) {
      throw badRequest(`The roles ${outside.map((r) => r.roleDefinitionId).join(', ')} are not part of the relationship's access details.`);
    }
    return roles;
  }

  private createAssignment(rel: FakeRelationship, body: Record<string, unknown>, relUrl: string, relCtx: string): Reply {
    if (rel.status !== 'active') throw this.wrongState(`Access assignments can only be created for an active relationship; this one is '${rel.status}'.`);
    const container = body.accessContainer;
    const containerId = isObject(container) ? container.accessContainerId : undefined;
    if (typeof containerId !== 'string' || !GUID_RE.test(containerId)) throw badRequest("The property 'accessContainer.accessContainerId' must be a security group id (GUID).");
    const containerType = isObject(container) ? container.accessContainerType ?? 'securityGroup' : undefined;
    if (containerType !== 'securityGroup') throw badRequest("The property 'accessContainer.accessContainerType' must be 'securityGroup'.");
    const roles = this.validateAssignmentRoles(rel, body.accessDetails);
    const existing = this.assignmentsOf(rel);
    if (existing.some((a) => a.accessContainer.accessContainerId.toLowerCase() === containerId.toLowerCase())) {
      throw new GraphError(409, 'Conflict', `The security group '${containerId}' already has an access assignment in this relationship.`);
    }
    const now = this.now();
    const assignment: FakeAccessAssignment = {
      id: randomUUID(),
      accessContainer: { accessContainerId: containerId.toLowerCase(), accessContainerType: 'securityGroup' },
      accessDetails: { unifiedRoles: roles },
      status: 'active',
      createdDateTime: isoDate(now),
      lastModifiedDateTime: isoDate(now),
      etag: newEtag(now),
    };
    const list = this.world.accessAssignments.get(rel.id) ?? [];
    list.push(assignment);
    this.world.accessAssignments.set(rel.id, list);
    return {
      status: 201,
      headers: { Location: `${relUrl}/accessAssignments/${assignment.id}` },
      body: { '@odata.context': `${relCtx}/accessAssignments/$entity`, ...assignmentJson(assignment) },
    };
  }

  private patchAssignment(req: IncomingMessage, rel: FakeRelationship, a: FakeAccessAssignment, body: Record<string, unknown>, relUrl: string, relCtx: string): Reply {
    this.checkIfMatch(req, a.etag);
    const keys = Object.keys(body).filter((k) => !k.startsWith('@odata.'));
    const other = keys.filter((k) => k !== 'accessDetails');
    if (keys.length === 0 || other.length > 0) throw badRequest('Only accessDetails of an access assignment can be updated.');
    if (rel.status !== 'active') throw this.wrongState(`Access assignments can only be changed while the relationship is active; this one is '${rel.status}'.`);
    const roles = this.validateAssignmentRoles(rel, body.accessDetails);
    const apply = (): void => {
      a.accessDetails = { unifiedRoles: roles };
      a.status = 'active';
      this.touch(a);
    };
    if (this.assignmentPatchMode === '200') {
      apply();
      return { status: 200, body: { '@odata.context': `${relCtx}/accessAssignments/$entity`, ...assignmentJson(a) } };
    }
    a.status = 'pending';
    const op = this.startOperation(rel.id, 'delegatedAdminAccessAssignmentUpdate', { id: a.id, accessDetails: { unifiedRoles: roles } }, () => {
      if (a.status === 'deleted') return false;
      apply();
      return true;
    });
    return { status: 202, headers: { Location: `${relUrl}/operations/${op.id}`, 'Retry-After': String(this.retryAfterSeconds) } };
  }

  private deleteAssignment(req: IncomingMessage, rel: FakeRelationship, a: FakeAccessAssignment): Reply {
    this.checkIfMatch(req, a.etag);
    const list = this.world.accessAssignments.get(rel.id) ?? [];
    const i = list.indexOf(a);
    if (i >= 0) list.splice(i, 1);
    a.status = 'deleted';
    return { status: 204 };
  }

  // ----- operations -----

  private startOperation(relationshipId: string, operationType: string, data: unknown, run: () => boolean): FakeOperation {
    const now = this.now();
    const op: FakeOperation = {
      id: randomUUID(),
      operationType,
      data: JSON.stringify(data),
      status: 'running',
      createdDateTime: isoDate(now),
      lastModifiedDateTime: isoDate(now),
    };
    const list = this.world.operations.get(relationshipId) ?? [];
    list.push(op);
    this.world.operations.set(relationshipId, list);
    this.schedule(`op:${op.id}`, this.operationDelayMs, () => {
      op.status = run() ? 'succeeded' : 'failed';
      op.lastModifiedDateTime = isoDate(this.now());
    });
    return op;
  }

  private schedule(key: string, delayMs: number, run: () => void): void {
    const work: PendingWork = { timer: undefined, run };
    work.timer = setTimeout(() => {
      this.pending.delete(key);
      run();
    }, delayMs);
    work.timer.unref();
    this.pending.set(key, work);
  }

  // ----- customers -----

  private delegatingCustomers(): FakeCustomer[] {
    const tenants = new Set<string>();
    for (const r of this.world.relationships) {
      const t = r.customer?.tenantId;
      if (t && DELEGATING.has(r.status)) tenants.add(t.toLowerCase());
    }
    return this.world.customers.filter((c) => tenants.has(c.tenantId.toLowerCase()));
  }

  private listCustomers(url: URL, origin: string, ctx: string): Reply {
    const q = parsePageQuery(url, new Set(['$top', '$skiptoken', '$count']), this.defaultPageSize, this.serverPageLimit);
    const items = this.delegatingCustomers();
    const body: Record<string, unknown> = { '@odata.context': `${ctx}/delegatedAdminCustomers` };
    if (q.count) body['@odata.count'] = items.length;
    body.value = items.slice(q.offset, q.offset + q.top).map(customerJson);
    if (q.offset + q.top < items.length) body['@odata.nextLink'] = nextLink(origin, url, q, q.offset + q.top);
    return { status: 200, body };
  }

  private getCustomer(id: string, ctx: string): Reply {
    const c = this.delegatingCustomers().find((x) => x.id.toLowerCase() === id.toLowerCase());
    if (!c) throw new GraphError(404, 'ResourceNotFound', `The delegated admin customer '${id}' was not found.`);
    return { status: 200, body: { '@odata.context': `${ctx}/delegatedAdminCustomers/$entity`, ...customerJson(c) } };
  }
}
