/**
 * Retry policy of the Graph client (./client.ts), as pure functions.
 *
 * Decisions (shared/graph-contract.md, "Errors and throttling"):
 * - **429** is retried for every method: Graph throttles before it processes a request,
 *   so even a POST is safe to send again.
 * - **503 / 504** are retried for idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS).
 *   A non-idempotent method (POST, PATCH) is retried on 503 only when it carries
 *   `Retry-After` (Graph's "come back later", sent before any processing) and never on
 *   504 (a gateway timeout may hide a request that went through: a second
 *   `createRelationship` could make a duplicate).
 * - **500 / 502** are retried for idempotent methods at most {@link MAX_INTERNAL_ERROR_RETRIES}
 *   time: usually a transient fault, but a persistent bug should surface quickly.
 *   Never for POST/PATCH.
 * - **Network errors** (fetch rejects) are retried for idempotent methods only (with the
 *   full budget); **timeouts** for idempotent methods at most {@link MAX_TIMEOUT_RETRIES}
 *   time (each attempt already waited `timeoutMs`). POST/PATCH never: they may have landed.
 * - Budgets count the retries of the whole logical request: one that already retried twice
 *   for 503 does not retry a 500 that follows.
 * - Nothing else is retried: 401 (the client itself re-sends once after a forced token refresh, outside this budget), 403, 404,
 *   409, 412, 400, malformed answers.
 * - Waiting: `Retry-After` (seconds or an HTTP date) is honoured exactly when present. When
 *   it asks for more than `maxRetryAfterMs` (60 s by default), the client does not sleep
 *   through it: it gives up at once with the error carrying `retryAfterMs`, so the
 *   scheduler can come back later (a service worker should not sleep for minutes, and a
 *   shortened wait would only earn another 429). Without `Retry-After`: exponential
 *   back-off with jitter, `base · 2^retry` scaled by a random factor in [0.5, 1], capped.
 */

export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
export const MAX_INTERNAL_ERROR_RETRIES = 1;
export const MAX_TIMEOUT_RETRIES = 1;
export const DEFAULT_BACKOFF_BASE_MS = 1_000;
export const DEFAULT_BACKOFF_MAX_MS = 32_000;
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

export function isIdempotent(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase());
}

/** What went wrong with one attempt, as far as the retry decision cares. */
export type AttemptFailure =
  | { type: 'status'; status: number; hasRetryAfter: boolean }
  | { type: 'network' }
  | { type: 'timeout' };

/**
 * How many retries this failure allows at most (0 = never), given the client's
 * `maxRetries`. The caller retries while `retriesSoFar < retryBudget(...)`.
 */
export function retryBudget(method: string, failure: AttemptFailure, maxRetries: number): number {
  const idempotent = isIdempotent(method);
  switch (failure.type) {
    case 'network':
      return idempotent ? maxRetries : 0;
    case 'timeout':
      return idempotent ? Math.min(maxRetries, MAX_TIMEOUT_RETRIES) : 0;
    case 'status': {
      const s = failure.status;
      if (s === 429) return maxRetries;
      if (s === 503) return idempotent || failure.hasRetryAfter ? maxRetries : 0;
      if (s === 504) return idempotent ? maxRetries : 0;
      if (s === 500 || s === 502) return idempotent ? Math.min(maxRetries, MAX_INTERNAL_ERROR_RETRIES) : 0;
      return 0;
    }
  }
}

/**
 * `Retry-After` in milliseconds: delta-seconds (`"2"`, also `"1.5"`) or an HTTP date
 * (relative to `nowMs`, never negative). `null` when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text === '') return null;
  if (/^\d+(\.\d+)?$/.test(text)) {
    const seconds = Number(text);
    return Number.isFinite(seconds) ? Math.round(seconds * 1000) : null;
  }
  // An HTTP date needs a letter (day or month name); refuse bare numbers like "-1".
  if (!/[a-z]/i.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  /** A number in [0, 1); `Math.random` by default. */
  random?: () => number;
}

/** Delay before retry number `retry` (0-based) without Retry-After: exponential with jitter. */
export function backoffDelay(retry: number, opts: BackoffOptions = {}): number {
  const base = opts.baseMs ?? DEFAULT_BACKOFF_BASE_MS;
  const max = opts.maxMs ?? DEFAULT_BACKOFF_MAX_MS;
  const r = Math.min(Math.max((opts.random ?? Math.random)(), 0), 1);
  const ceiling = Math.min(max, base * 2 ** Math.max(0, retry));
  return Math.round(ceiling * (0.5 + r / 2));
}

/** An Error whose name is `AbortError`, as fetch rejects with. */
export function abortError(): Error {
  const e = new Error('The operation was aborted');
  e.name = 'AbortError';
  return e;
}

/** Default sleep: a timer, cleared when `signal` aborts (then rejects with AbortError). */
export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Races `promise` against `signal`: rejects with AbortError as soon as the signal aborts,
 * even if the promise (an injected sleep, a token callback) ignores the signal.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(abortError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
