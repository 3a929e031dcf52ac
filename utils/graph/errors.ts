/**
 * The one error type of the Graph client (./client.ts). It carries a machine-readable
 * `kind`; words for people are never made here: the UI turns `kind` into a message key
 * with {@link describeErrorKind} and translates it (en/ko).
 *
 * `message` is Graph's own message when Graph sent one (English, for logs and support),
 * otherwise a short technical description. Never show it raw (R1: a 403 or an empty
 * list is explained as "your account needs the Admin agent role").
 */
import { parseGraphError } from '@/utils/gdap/schema';

export const GRAPH_ERROR_KINDS = [
  'unauthorized',
  'forbidden',
  'not-found',
  'conflict',
  'precondition-failed',
  'bad-request',
  'throttled',
  'server',
  'timeout',
  'network',
  'aborted',
  'malformed',
] as const;

/**
 * - `unauthorized`: 401 (token expired or refused), or no token could be obtained.
 * - `forbidden`: 403, consent missing for the scope or the user lacks the role (R1).
 * - `not-found`: 404 / 410.
 * - `conflict`: 409 (duplicate relationship name, wrong life-cycle state on some answers).
 * - `precondition-failed`: 412, the ETag sent in `If-Match` is stale.
 * - `bad-request`: 400 and every other 4xx not listed here (Graph's message kept).
 * - `throttled`: 429 after the retries.
 * - `server`: 5xx after the retries, or a long-running operation that failed.
 * - `timeout`: an attempt ran longer than `timeoutMs` (after the retries, when allowed).
 * - `network`: fetch failed (DNS, TLS, reset, CORS) after the retries, when allowed.
 * - `aborted`: the caller's `signal` aborted.
 * - `malformed`: unparseable JSON, an answer in the wrong shape, or a `@odata.nextLink` /
 *   `Location` that leaves the Graph origin (refused: the bearer token stays on Graph).
 */
export type GraphErrorKind = (typeof GRAPH_ERROR_KINDS)[number];

export interface GraphErrorInit {
  kind: GraphErrorKind;
  /** HTTP status, `null` when no answer arrived (network, timeout, aborted). */
  status?: number | null;
  /** Graph's `error.code`, or a code of this client (`ForeignNextLink`, `InvalidJson`, …). */
  code?: string | null;
  message?: string;
  /** `request-id` header or `innerError['request-id']`. */
  requestId?: string | null;
  /** The `client-request-id` this client sent. */
  clientRequestId?: string | null;
  /** Retry-After the server asked for (ms), when it was more than the client waits. */
  retryAfterMs?: number | null;
  /** Attempts made (1 = no retry). */
  attempts?: number;
  method?: string;
  /** Path and query on the Graph origin (never carries the token). */
  path?: string;
  /** Schema issues when `kind` is `malformed`. */
  issues?: string[];
  cause?: unknown;
}

export class GraphError extends Error {
  override readonly name = 'GraphError';
  readonly kind: GraphErrorKind;
  readonly status: number | null;
  readonly code: string | null;
  readonly requestId: string | null;
  readonly clientRequestId: string | null;
  readonly retryAfterMs: number | null;
  readonly attempts: number;
  readonly method: string | null;
  readonly path: string | null;
  readonly issues: string[];

  constructor(init: GraphErrorInit) {
    super(init.message ?? defaultMessage(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.status = init.status ?? null;
    this.code = init.code ?? null;
    this.requestId = init.requestId ?? null;
    this.clientRequestId = init.clientRequestId ?? null;
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.attempts = init.attempts ?? 1;
    this.method = init.method ?? null;
    this.path = init.path ?? null;
    this.issues = init.issues ?? [];
  }

  /** JSON-safe copy, for extension messaging and logs. */
  toJSON(): SerializedGraphError {
    return {
      name: 'GraphError',
      kind: this.kind,
      status: this.status,
      code: this.code,
      message: this.message,
      requestId: this.requestId,
      clientRequestId: this.clientRequestId,
      retryAfterMs: this.retryAfterMs,
      attempts: this.attempts,
      method: this.method,
      path: this.path,
      issues: [...this.issues],
    };
  }
}

export interface SerializedGraphError {
  name: 'GraphError';
  kind: GraphErrorKind;
  status: number | null;
  code: string | null;
  message: string;
  requestId: string | null;
  clientRequestId: string | null;
  retryAfterMs: number | null;
  attempts: number;
  method: string | null;
  path: string | null;
  issues: string[];
}

function defaultMessage(init: GraphErrorInit): string {
  return init.status ? `Graph answered HTTP ${init.status} (${init.kind})` : `Graph request failed (${init.kind})`;
}

export function isGraphError(e: unknown): e is GraphError {
  return e instanceof GraphError;
}

/** The kind for an HTTP error status (before any retry decision). */
export function kindForStatus(status: number): GraphErrorKind {
  switch (status) {
    case 400:
      return 'bad-request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
    case 410:
      return 'not-found';
    case 409:
      return 'conflict';
    case 412:
      return 'precondition-failed';
    case 429:
      return 'throttled';
    default:
      return status >= 500 ? 'server' : 'bad-request';
  }
}

/**
 * Builds the error for a non-2xx answer: the kind from the status, code and message from
 * Graph's error body when it has one (parsed with the shared schema), the request id from
 * the body or the `request-id` header.
 */
export function errorFromResponse(input: {
  status: number;
  body: unknown;
  headerRequestId: string | null;
  clientRequestId?: string | null;
  retryAfterMs?: number | null;
  attempts?: number;
  method?: string;
  path?: string;
}): GraphError {
  const parsed = parseGraphError(input.body);
  const graph = parsed.ok ? parsed.value : null;
  return new GraphError({
    kind: kindForStatus(input.status),
    status: input.status,
    code: graph?.code ?? null,
    message: graph && graph.message !== '' ? graph.message : `Graph answered HTTP ${input.status}`,
    requestId: graph?.requestId ?? input.headerRequestId,
    clientRequestId: input.clientRequestId ?? graph?.clientRequestId ?? null,
    retryAfterMs: input.retryAfterMs ?? null,
    attempts: input.attempts ?? 1,
    method: input.method,
    path: input.path,
  });
}

/**
 * Stable i18n message keys, one per kind (nested yml: `graphError: { unauthorized: … }`).
 * Keys are camelCase because browser i18n message names allow only letters, digits and `_`.
 */
const ERROR_KEYS: Readonly<Record<GraphErrorKind, string>> = {
  unauthorized: 'graphError.unauthorized',
  forbidden: 'graphError.forbidden',
  'not-found': 'graphError.notFound',
  conflict: 'graphError.conflict',
  'precondition-failed': 'graphError.preconditionFailed',
  'bad-request': 'graphError.badRequest',
  throttled: 'graphError.throttled',
  server: 'graphError.server',
  timeout: 'graphError.timeout',
  network: 'graphError.network',
  aborted: 'graphError.aborted',
  malformed: 'graphError.malformed',
};

/** The UI's message key for an error kind (the only mapping of kinds to words). */
export function describeErrorKind(kind: GraphErrorKind): string {
  return ERROR_KEYS[kind];
}

/** Why an empty list may be empty (R1): the user is not in the Admin agents group. */
export type EmptyHint = 'admin-agent-role';

const EMPTY_HINT_KEYS: Readonly<Record<EmptyHint, string>> = {
  'admin-agent-role': 'graphError.adminAgentRole',
};

/** The UI's message key for an empty-list hint. */
export function describeEmptyHint(hint: EmptyHint): string {
  return EMPTY_HINT_KEYS[hint];
}
