/**
 * Microsoft Graph client for GDAP (shared/graph-contract.md), used by the background
 * worker. Pure TypeScript: `fetch` is injected (service worker, Node tests), no browser
 * extension API, no token storage (an async `getAccessToken()` callback is asked on
 * every attempt).
 *
 * - `request()` sends one logical request: bearer token, `client-request-id`, JSON body,
 *   `If-Match`; a per-attempt timeout; on a 401 it asks `getAccessToken({ forceRefresh: true })`
 *   once and sends the request once more, for every method (Graph refuses a bad token
 *   before doing anything), a second 401 is 'unauthorized'; retries as decided in ./retry.ts (429 always;
 *   503/504 and network errors for idempotent methods; 500/502 and timeouts once for
 *   idempotent methods; POST/PATCH on 503 only with Retry-After); caller cancellation
 *   through `signal`, at once, also while waiting for a slot or sleeping between retries.
 * - At most `maxConcurrent` attempts are in flight across the whole client (FIFO
 *   semaphore; a request sleeping between retries does not hold a slot).
 * - Every failure is a {@link GraphError} with a `kind`; words are the UI's job
 *   ({@link describeErrorKind}).
 * - Lists follow `@odata.nextLink` (first request with `$top=300`), validate each page with
 *   the shared schema parsers, skip and count malformed items, and refuse a next link that
 *   leaves the Graph origin (the bearer token is only ever sent to `graphOrigin`).
 * - `setAutoExtend` handles both answers of PATCH: 200 with the object, or 202 + `Location`
 *   (+ `Retry-After`): it polls the operation at `Location` (same origin only), waiting
 *   `Retry-After` (default 1 s, at most `maxRetryAfterMs`) between polls, at most
 *   `operationPollAttempts` times; then re-reads the relationship. Without a usable
 *   `Location` it re-reads the relationship until the change shows. When the budget runs
 *   out it returns the relationship as read with `state: 'pending'` (the change is on its way).
 */
import {
  parseAccessAssignmentPage,
  parseCustomerPage,
  parseRelationship,
  parseRelationshipOperation,
  parseRelationshipPage,
  parseRelationshipRequest,
  type AccessAssignment,
  type Customer,
  type Page,
  type ParseResult,
  type Relationship,
  type RelationshipOperation,
  type RelationshipRequest,
} from '@/utils/gdap/schema';
import { AUTO_EXTEND_DURATION, isAutoExtendSet } from '@/utils/gdap/rules';
import { GraphError, errorFromResponse, type EmptyHint, type GraphErrorInit } from './errors';
import { createSemaphore, forEachBounded, type Settled } from './pool';
import {
  DEFAULT_BACKOFF_BASE_MS,
  DEFAULT_BACKOFF_MAX_MS,
  DEFAULT_MAX_RETRY_AFTER_MS,
  backoffDelay,
  defaultSleep,
  parseRetryAfter,
  raceAbort,
  retryBudget,
  type AttemptFailure,
} from './retry';

export { GraphError, describeErrorKind, describeEmptyHint, isGraphError } from './errors';
export type { EmptyHint, GraphErrorKind, SerializedGraphError } from './errors';
export { forEachBounded } from './pool';
export type { Settled } from './pool';

/** Base path of the GDAP endpoints. */
export const GDAP_API = '/v1.0/tenantRelationships';
export const RELATIONSHIPS_PATH = `${GDAP_API}/delegatedAdminRelationships`;
export const CUSTOMERS_PATH = `${GDAP_API}/delegatedAdminCustomers`;
/** Graph's largest page for these endpoints. */
export const MAX_PAGE_SIZE = 300;
/** `autoExtendDuration` that switches auto-extend off. */
export const AUTO_EXTEND_OFF = 'PT0S';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
export type QueryValue = string | number | boolean | null | undefined;

export interface GraphClientOptions {
  /** e.g. `https://graph.microsoft.com` (CLOUDS[cloud].graph). Only this origin ever gets the token. */
  graphOrigin: string;
  /**
   * Called before every attempt; must return a valid access token for `graphOrigin`.
   * `forceRefresh: true` after Graph answered 401 to the previous attempt: the token it
   * held was refused (expired or revoked early), so a new one must be obtained even if
   * the cached one still looks valid.
   */
  getAccessToken: (context: { signal?: AbortSignal; forceRefresh?: boolean }) => Promise<string>;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Attempts in flight across the whole client (default 4). */
  maxConcurrent?: number;
  /** Per-attempt timeout, including reading the body (default 30 000 ms). */
  timeoutMs?: number;
  /** Retries after the first attempt, at most (default 4); see ./retry.ts for which failures. */
  maxRetries?: number;
  /** Sleep between retries and polls (default: a timer). Raced against the caller's signal. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Clock for HTTP-date `Retry-After` (default `Date.now`). */
  now?: () => number;
  /** Jitter source in [0, 1) (default `Math.random`). */
  random?: () => number;
  /** Back-off base (default 1 000 ms) and cap (default 32 000 ms) without Retry-After. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Longest Retry-After the client sleeps through (default 60 000 ms); longer → give up with `retryAfterMs`. */
  maxRetryAfterMs?: number;
  /** `$top` of list requests (default and maximum 300). */
  pageSize?: number;
  /** Safety stop for paging (default 1 000 pages). */
  maxPages?: number;
  /** Polls of a 202 operation before `setAutoExtend` returns `pending` (default 10). */
  operationPollAttempts?: number;
  /** `client-request-id` generator (default `crypto.randomUUID`). */
  newRequestId?: () => string;
}

export interface RequestOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** `If-Match` header (the object's `@odata.etag`). */
  ifMatch?: string;
  signal?: AbortSignal;
  /** Appended to the URL; `$` in names is kept literal, values are percent-encoded. */
  query?: Readonly<Record<string, QueryValue>>;
}

export interface GraphResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or `undefined` for an empty body (204, some 202). */
  body: unknown;
  /** `request-id` header. */
  requestId: string | null;
  attempts: number;
}

export interface ListOptions {
  signal?: AbortSignal;
  /** Query of the first request (`$top` is added unless given). */
  query?: Readonly<Record<string, QueryValue>>;
}

export interface ListResult<T> {
  items: T[];
  /** Malformed items skipped, over all pages. */
  skipped: number;
  pages: number;
  /** Why items were skipped (first few per page, prefixed with the page number). */
  issues: string[];
}

export interface HintedListResult<T> extends ListResult<T> {
  /** `admin-agent-role` when an unfiltered list came back empty (R1), else `null`. */
  emptyHint: EmptyHint | null;
}

export interface ListRelationshipsOptions {
  /** OData `$filter`, e.g. `status eq 'active'`. */
  filter?: string;
  orderBy?: string;
  signal?: AbortSignal;
}

export interface CreateRelationshipInput {
  displayName: string;
  /** ISO 8601 duration, `P1D` … `P730D` (R3 is checked by the form, not here). */
  duration: string;
  /** Entra role template ids. */
  roleIds: readonly string[];
  customerTenantId?: string;
  /** `P180D` (on) or `PT0S` (off); R6 is checked by the form, Graph refuses it too. */
  autoExtendDuration: string;
}

export interface SetAutoExtendResult {
  relationship: Relationship;
  /** `applied`: Graph confirmed it; `pending`: accepted (202) but not confirmed within the poll budget. */
  state: 'applied' | 'pending';
  /** The long-running operation behind a 202, as last read. */
  operation: RelationshipOperation | null;
}

export type AccessAssignmentsOutcome =
  | { relationshipId: string; ok: true; value: ListResult<AccessAssignment> }
  | { relationshipId: string; ok: false; error: GraphError };

export interface CallOptions {
  signal?: AbortSignal;
}

export interface GraphClient {
  readonly graphOrigin: string;
  request(method: HttpMethod, path: string, options?: RequestOptions): Promise<unknown>;
  requestRaw(method: HttpMethod, path: string, options?: RequestOptions): Promise<GraphResponse>;
  pages<T>(path: string, parsePage: (json: unknown) => ParseResult<Page<T>>, options?: ListOptions): AsyncGenerator<Page<T>, void, undefined>;
  listAll<T>(path: string, parsePage: (json: unknown) => ParseResult<Page<T>>, options?: ListOptions): Promise<ListResult<T>>;
  listRelationships(options?: ListRelationshipsOptions): Promise<HintedListResult<Relationship>>;
  getRelationship(id: string, options?: CallOptions): Promise<Relationship>;
  listCustomers(options?: CallOptions): Promise<HintedListResult<Customer>>;
  listAccessAssignments(relationshipId: string, options?: CallOptions): Promise<ListResult<AccessAssignment>>;
  listAccessAssignmentsForEach(
    relationshipIds: readonly string[],
    options?: CallOptions & { concurrency?: number },
  ): Promise<AccessAssignmentsOutcome[]>;
  createRelationship(input: CreateRelationshipInput, options?: CallOptions): Promise<Relationship>;
  lockForApproval(id: string, options?: CallOptions): Promise<RelationshipRequest>;
  terminate(id: string, options?: CallOptions): Promise<RelationshipRequest>;
  setAutoExtend(id: string, etag: string, on: boolean, options?: CallOptions): Promise<SetAutoExtendResult>;
}

/** Query string with `$` kept literal in names (Graph's style) and `%20` for spaces. */
function queryString(query: Readonly<Record<string, QueryValue>>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined) continue;
    parts.push(`${encodeURIComponent(key).replace(/%24/g, '$')}=${encodeURIComponent(String(value))}`);
  }
  return parts.join('&');
}

function normalizeOrigin(graphOrigin: string): string {
  let url: URL;
  try {
    url = new URL(graphOrigin);
  } catch {
    throw new TypeError(`graphOrigin is not a URL: ${graphOrigin}`);
  }
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new TypeError(`graphOrigin must be https: ${graphOrigin}`);
  }
  return url.origin;
}

function isAbortError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AbortError';
}

function defaultRequestId(): string {
  return globalThis.crypto.randomUUID();
}

type AttemptOutcome =
  | { type: 'response'; status: number; headers: Headers; body: unknown; invalidJson: boolean }
  | { type: 'network'; cause: unknown }
  | { type: 'timeout' };

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const origin = normalizeOrigin(options.graphOrigin);
  const getAccessToken = options.getAccessToken;
  const fetchImpl: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const maxConcurrent = options.maxConcurrent ?? 4;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 4;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const backoff = { baseMs: options.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS, maxMs: options.backoffMaxMs ?? DEFAULT_BACKOFF_MAX_MS, random };
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const pageSize = Math.min(Math.max(1, Math.floor(options.pageSize ?? MAX_PAGE_SIZE)), MAX_PAGE_SIZE);
  const maxPages = options.maxPages ?? 1_000;
  const operationPollAttempts = options.operationPollAttempts ?? 10;
  const newRequestId = options.newRequestId ?? defaultRequestId;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new RangeError(`maxRetries must be a non-negative integer, got ${maxRetries}`);
  if (!(timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${timeoutMs}`);
  const semaphore = createSemaphore(maxConcurrent);

  /** Absolute URL on the Graph origin, or a 'malformed' error (foreign origin: refused). */
  function resolveUrl(pathOrUrl: string, query: Readonly<Record<string, QueryValue>> | undefined, code: string): URL {
    let url: URL;
    try {
      url = new URL(pathOrUrl, `${origin}/`);
    } catch (cause) {
      throw new GraphError({ kind: 'malformed', code, message: 'Not a URL on the Graph origin', cause });
    }
    if (url.origin !== origin) {
      throw new GraphError({ kind: 'malformed', code, message: `Refused to follow a URL outside ${origin}: ${url.origin}` });
    }
    if (query) {
      const extra = queryString(query);
      if (extra !== '') url.search = url.search.length > 1 ? `${url.search}&${extra}` : `?${extra}`;
    }
    return url;
  }

  function abortedError(base: Partial<GraphErrorInit>, cause?: unknown): GraphError {
    return new GraphError({ ...base, kind: 'aborted', code: 'Aborted', message: 'The request was cancelled', cause });
  }

  /** One attempt: waits for a slot, asks for a token, fetches and reads the body, under the timeout. */
  async function attempt(
    method: HttpMethod,
    url: URL,
    opts: RequestOptions,
    clientRequestId: string,
    base: Partial<GraphErrorInit>,
    forceRefresh = false,
  ): Promise<AttemptOutcome> {
    const signal = opts.signal;
    let release: () => void;
    try {
      // Not raced: acquire() is abortable itself, and racing could drop a slot granted at the moment of abort.
      release = await semaphore.acquire(signal);
    } catch (cause) {
      throw abortedError(base, cause);
    }
    try {
      let token: string;
      try {
        const context = forceRefresh ? { signal, forceRefresh: true } : { signal };
        token = await raceAbort(Promise.resolve().then(() => getAccessToken(context)), signal);
      } catch (cause) {
        if (signal?.aborted) throw abortedError(base, cause);
        throw new GraphError({ ...base, kind: 'unauthorized', code: 'TokenUnavailable', message: 'No access token', cause });
      }
      if (typeof token !== 'string' || token === '') {
        throw new GraphError({ ...base, kind: 'unauthorized', code: 'TokenUnavailable', message: 'No access token' });
      }
      const headers: Record<string, string> = {
        Authorization: `Bearer ${token}`,
        Accept: 'application/json',
        'client-request-id': clientRequestId,
      };
      if (opts.ifMatch !== undefined) headers['If-Match'] = opts.ifMatch;
      let body: string | undefined;
      if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['Content-Type'] = 'application/json';
      }

      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
      const onCallerAbort = (): void => controller.abort();
      signal?.addEventListener('abort', onCallerAbort, { once: true });
      try {
        const init: RequestInit = { method, headers, signal: controller.signal, redirect: 'error' };
        if (body !== undefined) init.body = body;
        const response = await raceAbort(fetchImpl(url.href, init), controller.signal);
        const text = await raceAbort(response.text(), controller.signal);
        let parsed: unknown;
        let invalidJson = false;
        if (text.trim() !== '') {
          try {
            parsed = JSON.parse(text) as unknown;
          } catch {
            invalidJson = true;
          }
        }
        return { type: 'response', status: response.status, headers: response.headers, body: parsed, invalidJson };
      } catch (cause) {
        if (signal?.aborted) throw abortedError(base, cause);
        if (timedOut) return { type: 'timeout' };
        if (cause instanceof GraphError) throw cause;
        return { type: 'network', cause };
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onCallerAbort);
      }
    } finally {
      release();
    }
  }

  async function requestRaw(method: HttpMethod, path: string, opts: RequestOptions = {}): Promise<GraphResponse> {
    const url = resolveUrl(path, opts.query, 'ForeignUrl');
    const clientRequestId = newRequestId();
    const signal = opts.signal;
    const base: Partial<GraphErrorInit> = { method, path: url.pathname + url.search, clientRequestId };
    // `retries` counts the retries of ./retry.ts (their budget); the one re-send after a 401
    // is extra and does not use that budget.
    let retries = 0;
    let refreshedToken = false;
    let forceRefresh = false;
    for (let attempts = 1; ; attempts++) {
      if (signal?.aborted) throw abortedError({ ...base, attempts: attempts - 1 });
      const outcome = await attempt(method, url, opts, clientRequestId, { ...base, attempts }, forceRefresh);
      forceRefresh = false;
      if (outcome.type === 'response' && outcome.status === 401 && !refreshedToken) {
        // The token was refused before Graph did anything: get a fresh one and send again, once.
        refreshedToken = true;
        forceRefresh = true;
        continue;
      }

      let failure: AttemptFailure;
      let retryAfterMs: number | null = null;
      if (outcome.type === 'response') {
        const requestId = outcome.headers.get('request-id');
        if (outcome.status >= 200 && outcome.status < 300) {
          if (outcome.invalidJson) {
            throw new GraphError({ ...base, attempts, kind: 'malformed', status: outcome.status, code: 'InvalidJson', message: 'Graph answered with a body that is not JSON', requestId });
          }
          return { status: outcome.status, headers: outcome.headers, body: outcome.body, requestId, attempts };
        }
        retryAfterMs = parseRetryAfter(outcome.headers.get('retry-after'), now());
        failure = { type: 'status', status: outcome.status, hasRetryAfter: retryAfterMs !== null };
      } else {
        failure = outcome;
      }

      const finalError = (extra: { retryAfterMs?: number | null } = {}): GraphError => {
        if (outcome.type === 'response') {
          return errorFromResponse({
            status: outcome.status,
            body: outcome.body,
            headerRequestId: outcome.headers.get('request-id'),
            clientRequestId,
            retryAfterMs: extra.retryAfterMs ?? null,
            attempts,
            method,
            path: base.path,
          });
        }
        if (outcome.type === 'timeout') {
          return new GraphError({ ...base, attempts, kind: 'timeout', code: 'Timeout', message: `No answer within ${timeoutMs} ms` });
        }
        return new GraphError({ ...base, attempts, kind: 'network', code: 'NetworkError', message: 'The request did not reach Graph', cause: outcome.cause });
      };

      if (retries >= retryBudget(method, failure, maxRetries)) throw finalError();
      let wait: number;
      if (retryAfterMs !== null) {
        if (retryAfterMs > maxRetryAfterMs) throw finalError({ retryAfterMs });
        wait = retryAfterMs;
      } else {
        wait = backoffDelay(retries, backoff);
      }
      try {
        await raceAbort(Promise.resolve().then(() => sleep(wait, signal)), signal);
      } catch (cause) {
        if (signal?.aborted || isAbortError(cause)) throw abortedError({ ...base, attempts }, cause);
        throw cause;
      }
      retries++;
    }
  }

  async function request(method: HttpMethod, path: string, opts: RequestOptions = {}): Promise<unknown> {
    return (await requestRaw(method, path, opts)).body;
  }

  async function* pages<T>(
    path: string,
    parsePage: (json: unknown) => ParseResult<Page<T>>,
    opts: ListOptions = {},
  ): AsyncGenerator<Page<T>, void, undefined> {
    const hasTop =
      [...resolveUrl(path, undefined, 'ForeignUrl').searchParams.keys()].some((k) => k.toLowerCase() === '$top') ||
      Object.keys(opts.query ?? {}).some((k) => k.toLowerCase() === '$top');
    const firstQuery = hasTop ? opts.query : { ...opts.query, $top: pageSize };
    let next: string | null = resolveUrl(path, firstQuery, 'ForeignUrl').href;
    const seen = new Set<string>();
    let count = 0;
    while (next !== null) {
      if (count >= maxPages) {
        throw new GraphError({ kind: 'malformed', code: 'TooManyPages', message: `More than ${maxPages} pages`, method: 'GET', path });
      }
      const response = await requestRaw('GET', next, { signal: opts.signal });
      count++;
      const page = parsePage(response.body);
      if (!page.ok) {
        throw new GraphError({
          kind: 'malformed',
          status: response.status,
          code: 'InvalidPage',
          message: `Page ${count} is not a Graph list page`,
          requestId: response.requestId,
          method: 'GET',
          path,
          issues: page.issues,
        });
      }
      let link: string | null = null;
      if (page.value.nextLink !== null && page.value.nextLink !== '') {
        // Refuses a next link that leaves the Graph origin before anything is fetched from it.
        link = resolveUrl(page.value.nextLink, undefined, 'ForeignNextLink').href;
        if (seen.has(link)) {
          throw new GraphError({ kind: 'malformed', code: 'NextLinkLoop', message: 'The next link repeats an earlier page', method: 'GET', path });
        }
        seen.add(link);
      }
      yield page.value;
      next = link;
    }
  }

  async function listAll<T>(
    path: string,
    parsePage: (json: unknown) => ParseResult<Page<T>>,
    opts: ListOptions = {},
  ): Promise<ListResult<T>> {
    const result: ListResult<T> = { items: [], skipped: 0, pages: 0, issues: [] };
    for await (const page of pages(path, parsePage, opts)) {
      result.pages++;
      for (const item of page.items) result.items.push(item);
      result.skipped += page.skipped;
      for (const issue of page.issues) result.issues.push(`page ${result.pages} ${issue}`);
    }
    return result;
  }

  function malformedObject(what: string, response: GraphResponse, issues: string[], path: string, method: HttpMethod): GraphError {
    return new GraphError({
      kind: 'malformed',
      status: response.status,
      code: 'InvalidObject',
      message: `Graph's answer is not a valid ${what}`,
      requestId: response.requestId,
      method,
      path,
      issues,
    });
  }

  function relationshipPath(id: string): string {
    return `${RELATIONSHIPS_PATH}/${encodeURIComponent(id)}`;
  }

  async function getRelationship(id: string, opts: CallOptions = {}): Promise<Relationship> {
    const path = relationshipPath(id);
    const response = await requestRaw('GET', path, { signal: opts.signal });
    const parsed = parseRelationship(response.body);
    if (!parsed.ok) throw malformedObject('relationship', response, parsed.issues, path, 'GET');
    return parsed.value;
  }

  async function listRelationships(opts: ListRelationshipsOptions = {}): Promise<HintedListResult<Relationship>> {
    const filtered = opts.filter !== undefined && opts.filter.trim() !== '';
    const result = await listAll(RELATIONSHIPS_PATH, parseRelationshipPage, {
      signal: opts.signal,
      query: { $filter: filtered ? opts.filter : undefined, $orderby: opts.orderBy },
    });
    const empty = result.items.length === 0 && result.skipped === 0;
    return { ...result, emptyHint: empty && !filtered ? 'admin-agent-role' : null };
  }

  async function listCustomers(opts: CallOptions = {}): Promise<HintedListResult<Customer>> {
    const result = await listAll(CUSTOMERS_PATH, parseCustomerPage, { signal: opts.signal });
    const empty = result.items.length === 0 && result.skipped === 0;
    return { ...result, emptyHint: empty ? 'admin-agent-role' : null };
  }

  function listAccessAssignments(relationshipId: string, opts: CallOptions = {}): Promise<ListResult<AccessAssignment>> {
    return listAll(`${relationshipPath(relationshipId)}/accessAssignments`, parseAccessAssignmentPage, { signal: opts.signal });
  }

  async function listAccessAssignmentsForEach(
    relationshipIds: readonly string[],
    opts: CallOptions & { concurrency?: number } = {},
  ): Promise<AccessAssignmentsOutcome[]> {
    const settled: Array<Settled<ListResult<AccessAssignment>>> = await forEachBounded(
      relationshipIds,
      (id) => listAccessAssignments(id, { signal: opts.signal }),
      opts.concurrency ?? maxConcurrent,
      opts.signal,
    );
    return settled.map((s, i): AccessAssignmentsOutcome => {
      const relationshipId = relationshipIds[i] as string;
      if (s.ok) return { relationshipId, ok: true, value: s.value };
      const error =
        s.error instanceof GraphError
          ? s.error
          : isAbortError(s.error)
            ? abortedError({ method: 'GET' }, s.error)
            : new GraphError({ kind: 'malformed', code: 'UnexpectedError', message: String(s.error), cause: s.error });
      return { relationshipId, ok: false, error };
    });
  }

  async function createRelationship(input: CreateRelationshipInput, opts: CallOptions = {}): Promise<Relationship> {
    const body: Record<string, unknown> = {
      displayName: input.displayName,
      duration: input.duration,
      accessDetails: { unifiedRoles: input.roleIds.map((roleDefinitionId) => ({ roleDefinitionId })) },
      autoExtendDuration: input.autoExtendDuration,
    };
    if (input.customerTenantId !== undefined) body.customer = { tenantId: input.customerTenantId };
    const response = await requestRaw('POST', RELATIONSHIPS_PATH, { body, signal: opts.signal });
    if (response.body === undefined) {
      // Tolerated: 201 without a body; read the object at Location (same origin only).
      const location = response.headers.get('location');
      if (location) {
        const again = await requestRaw('GET', resolveUrl(location, undefined, 'ForeignLocation').href, { signal: opts.signal });
        const parsedAgain = parseRelationship(again.body);
        if (parsedAgain.ok) return parsedAgain.value;
        throw malformedObject('relationship', again, parsedAgain.issues, RELATIONSHIPS_PATH, 'GET');
      }
    }
    const parsed = parseRelationship(response.body);
    if (!parsed.ok) throw malformedObject('relationship', response, parsed.issues, RELATIONSHIPS_PATH, 'POST');
    return parsed.value;
  }

  async function postRequest(id: string, action: 'lockForApproval' | 'terminate', opts: CallOptions): Promise<RelationshipRequest> {
    const path = `${relationshipPath(id)}/requests`;
    const response = await requestRaw('POST', path, { body: { action }, signal: opts.signal });
    const parsed = parseRelationshipRequest(response.body);
    if (!parsed.ok) throw malformedObject('relationship request', response, parsed.issues, path, 'POST');
    return parsed.value;
  }

  async function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    try {
      await raceAbort(Promise.resolve().then(() => sleep(ms, signal)), signal);
    } catch (cause) {
      if (signal?.aborted || isAbortError(cause)) throw abortedError({}, cause);
      throw cause;
    }
  }

  function pollDelay(headers: Headers, fallback: number): number {
    const ms = parseRetryAfter(headers.get('retry-after'), now());
    return Math.min(ms ?? fallback, maxRetryAfterMs);
  }

  async function setAutoExtend(id: string, etag: string, on: boolean, opts: CallOptions = {}): Promise<SetAutoExtendResult> {
    const path = relationshipPath(id);
    const signal = opts.signal;
    const response = await requestRaw('PATCH', path, {
      body: { autoExtendDuration: on ? AUTO_EXTEND_DURATION : AUTO_EXTEND_OFF },
      ifMatch: etag,
      signal,
    });
    const matches = (rel: Relationship): boolean => isAutoExtendSet(rel) === on;

    if (response.status !== 202) {
      if (response.body !== undefined) {
        const parsed = parseRelationship(response.body);
        if (!parsed.ok) throw malformedObject('relationship', response, parsed.issues, path, 'PATCH');
        return { relationship: parsed.value, state: 'applied', operation: null };
      }
      // 200/204 without a body: the change is made; read it back.
      const rel = await getRelationship(id, { signal });
      return { relationship: rel, state: 'applied', operation: null };
    }

    // 202 Accepted: poll the operation at Location, or re-read the relationship.
    let operationUrl: string | null = null;
    const location = response.headers.get('location');
    if (location) {
      try {
        operationUrl = resolveUrl(location, undefined, 'ForeignLocation').href;
      } catch {
        operationUrl = null; // never send the token elsewhere; fall back to re-reading the relationship
      }
    }
    let delay = pollDelay(response.headers, 1_000);
    let operation: RelationshipOperation | null = null;
    for (let poll = 0; poll < operationPollAttempts; poll++) {
      await wait(delay, signal);
      if (operationUrl !== null) {
        let opResponse: GraphResponse | null = null;
        try {
          opResponse = await requestRaw('GET', operationUrl, { signal });
        } catch (e) {
          if (!(e instanceof GraphError) || e.kind !== 'not-found') throw e;
          operationUrl = null; // the operation is gone: watch the relationship instead
        }
        if (opResponse !== null) {
          const parsed = parseRelationshipOperation(opResponse.body);
          if (!parsed.ok) {
            operationUrl = null;
          } else {
            operation = parsed.value;
            if (operation.status === 'succeeded') {
              return { relationship: await getRelationship(id, { signal }), state: 'applied', operation };
            }
            if (operation.status === 'failed') {
              throw new GraphError({
                kind: 'server',
                status: opResponse.status,
                code: 'OperationFailed',
                message: `The operation ${operation.id} failed`,
                requestId: opResponse.requestId,
                method: 'PATCH',
                path,
              });
            }
            delay = pollDelay(opResponse.headers, delay);
            continue;
          }
        }
      }
      const rel = await getRelationship(id, { signal });
      if (matches(rel)) return { relationship: rel, state: 'applied', operation };
    }
    const rel = await getRelationship(id, { signal });
    return { relationship: rel, state: matches(rel) ? 'applied' : 'pending', operation };
  }

  return {
    graphOrigin: origin,
    request,
    requestRaw,
    pages,
    listAll,
    listRelationships,
    getRelationship,
    listCustomers,
    listAccessAssignments,
    listAccessAssignmentsForEach,
    createRelationship,
    lockForApproval: (id, opts = {}) => postRequest(id, 'lockForApproval', opts),
    terminate: (id, opts = {}) => postRequest(id, 'terminate', opts),
    setAutoExtend,
  };
}
