/**
 * One full sync of the partner's GDAP data from Microsoft Graph into the relationship
 * cache (background worker only; pure TypeScript, everything injected).
 *
 * Order:
 * 1. customers (`listCustomers`) and every relationship (`listRelationships`, all pages),
 *    both at once;
 * 2. access assignments of the relationships whose state ({@link relationshipState} at
 *    `now`) is `active` or `expiring`, a few relationships at a time;
 * 3. ONE `cache.replaceAll(...)` with everything (one IndexedDB transaction).
 *
 * Nothing is written before step 3. When anything fails first (token, throttling after the
 * client's retries, a malformed page, cancellation), the cache is left exactly as it was
 * (whole and readable) and only the failure is recorded in its metadata
 * (`recordSyncFailure`). A failed write is rolled back by IndexedDB, so the previous cache
 * survives that too.
 *
 * Per-relationship failures of the assignments are not fatal: that relationship's
 * assignments are left "not loaded" (`null` in the cache), counted in the outcome, and the
 * snapshot is marked partial. Two exceptions, which are not about one relationship:
 * `aborted` (the sync was cancelled) and `unauthorized` / sign-in required (the token is
 * gone for every request) fail the whole sync.
 *
 * {@link runSync} never throws; it resolves to a {@link SyncOutcome} carrying codes and
 * i18n message keys, never words.
 */
import { AuthError } from '../auth/types';
import type { AccessAssignment } from '../gdap/schema';
import { relationshipState } from '../gdap/state';
import { GraphError, describeErrorKind, type EmptyHint, type GraphClient, type GraphErrorKind } from '../graph/client';
import type { RelationshipCache, SyncMeta } from '../store/cache';

/** Why a sync failed: a Graph error kind, or one of the sync's own. */
export type SyncErrorKind = GraphErrorKind | 'sign-in-required' | 'aborted' | 'storage' | 'unknown';

export interface SyncFailure {
  kind: SyncErrorKind;
  /** i18n key for the UI ({@link syncErrorMessageKey}). */
  messageKey: string;
  /** Technical detail for logs and support (Graph's own message); never shown as is. */
  message: string;
  /** HTTP status of the failing Graph answer, when there was one. */
  status: number | null;
  /** Graph asked to come back after this long (ms) and the client did not wait: the scheduler may. */
  retryAfterMs: number | null;
}

/** What a sync fetched, for logs and the options page. */
export interface SyncStats {
  customers: number;
  relationships: number;
  /** Relationships whose assignments were asked for (active/expiring at `now`). */
  assignmentRequests: number;
  /** Of those, how many failed: their assignments stay "not loaded". */
  assignmentFailures: number;
  /** Access assignments stored. */
  assignments: number;
  /** Malformed Graph items skipped (customers + relationships + assignments). */
  skipped: number;
  /** Graph pages read (customers + relationships + assignments). */
  pages: number;
}

export type SyncOutcome =
  | {
      ok: true;
      /** The cache's metadata after the write. */
      meta: SyncMeta;
      /** R1: `admin-agent-role` when the relationship list came back empty. */
      emptyHint: EmptyHint | null;
      stats: SyncStats;
      /** Whole sync, fetch and write (ms). */
      durationMs: number;
      /** Of that, the cache write: `cache.replaceAll`, one IndexedDB transaction until it completed (ms). */
      writeMs: number;
    }
  | {
      ok: false;
      error: SyncFailure;
      /** The cache's metadata with the failure recorded; `null` if even that could not be written. */
      meta: SyncMeta | null;
      durationMs: number;
    };

export interface RunSyncOptions {
  graph: Pick<GraphClient, 'listCustomers' | 'listRelationships' | 'listAccessAssignmentsForEach'>;
  cache: Pick<RelationshipCache, 'replaceAll' | 'recordSyncFailure'>;
  /** Recorded in the metadata (the signed-in partner's `tid`). */
  partnerTenantId: string | null;
  /**
   * The clock (or a fixed time): decides which relationships are active/expiring, and the
   * times written in the metadata. Default: the real time.
   */
  now?: Date | (() => Date);
  /** Cancels the sync; nothing is written once it aborts before the write. */
  signal?: AbortSignal;
  /** Relationships whose assignments are fetched at once (default 4). */
  assignmentConcurrency?: number;
  /** Monotonic milliseconds for the duration (default `performance.now`). */
  elapsed?: () => number;
}

export const DEFAULT_ASSIGNMENT_CONCURRENCY = 4;

/** `meta.partial.reason` when some relationships' assignments could not be fetched. */
export const PARTIAL_ASSIGNMENTS_REASON = 'assignments-unavailable';

const SYNC_ERROR_KEYS: Readonly<Record<Exclude<SyncErrorKind, GraphErrorKind>, string>> = {
  'sign-in-required': 'syncError.signInRequired',
  storage: 'syncError.storage',
  unknown: 'syncError.unknown',
};

/** The UI's message key for a sync failure: Graph kinds use the Graph client's keys. */
export function syncErrorMessageKey(kind: SyncErrorKind): string {
  if (kind === 'sign-in-required' || kind === 'storage' || kind === 'unknown') return SYNC_ERROR_KEYS[kind];
  return describeErrorKind(kind);
}

function isSignInRequired(e: unknown): boolean {
  if (e instanceof AuthError) return e.kind === 'sign-in-required';
  // An AuthError from another realm or bundle chunk: compare by shape.
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { name?: unknown }).name === 'AuthError' &&
    (e as { kind?: unknown }).kind === 'sign-in-required'
  );
}

function isAbort(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AbortError';
}

function isCacheError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'CacheError';
}

function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string') {
    return (e as { message: string }).message;
  }
  return String(e);
}

function failure(kind: SyncErrorKind, message: string, extra: { status?: number | null; retryAfterMs?: number | null } = {}): SyncFailure {
  return {
    kind,
    messageKey: syncErrorMessageKey(kind),
    message,
    status: extra.status ?? null,
    retryAfterMs: extra.retryAfterMs ?? null,
  };
}

/**
 * Classifies anything a sync step threw. `signal` decides cancellation first: once the
 * caller aborted, whatever error the abort caused is reported as `aborted`.
 */
export function classifySyncError(e: unknown, signal?: AbortSignal): SyncFailure {
  if (signal?.aborted) return failure('aborted', 'The sync was cancelled');
  if (e instanceof GraphError) {
    // The token callback failed because only an interactive sign-in can help.
    if (e.kind === 'unauthorized' && isSignInRequired(e.cause)) {
      return failure('sign-in-required', messageOf(e.cause), { status: e.status });
    }
    return failure(e.kind, e.message, { status: e.status, retryAfterMs: e.retryAfterMs });
  }
  if (isSignInRequired(e)) return failure('sign-in-required', messageOf(e));
  if (isAbort(e)) return failure('aborted', messageOf(e));
  if (isCacheError(e)) return failure('storage', messageOf(e));
  return failure('unknown', messageOf(e));
}

/** Assignment failures that concern every relationship, not one: they fail the sync. */
function isFatalAssignmentError(e: GraphError): boolean {
  return e.kind === 'aborted' || e.kind === 'unauthorized';
}

function clockOf(now: RunSyncOptions['now']): () => Date {
  if (now === undefined) return () => new Date();
  if (typeof now === 'function') return now;
  return () => now;
}

function defaultElapsed(): number {
  return globalThis.performance?.now() ?? Date.now();
}

/** Stops the other half of a parallel fetch when one half fails. */
function linkedController(signal: AbortSignal | undefined): { controller: AbortController; dispose: () => void } {
  const controller = new AbortController();
  if (signal === undefined) return { controller, dispose: () => undefined };
  const onAbort = (): void => controller.abort(signal.reason);
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener('abort', onAbort, { once: true });
  return { controller, dispose: () => signal.removeEventListener('abort', onAbort) };
}

/** Runs one full sync; never throws. See the module header. */
export async function runSync(options: RunSyncOptions): Promise<SyncOutcome> {
  const clock = clockOf(options.now);
  const elapsed = options.elapsed ?? defaultElapsed;
  const started = elapsed();
  const since = (): number => Math.max(0, Math.round(elapsed() - started));
  const { graph, cache, signal } = options;

  const fail = async (error: SyncFailure): Promise<SyncOutcome> => {
    let meta: SyncMeta | null = null;
    try {
      meta = await cache.recordSyncFailure({ kind: error.kind, message: error.message }, clock());
    } catch {
      meta = null; // the cache itself is unavailable: the outcome still tells the caller
    }
    return { ok: false, error, meta, durationMs: since() };
  };

  try {
    const concurrency = options.assignmentConcurrency ?? DEFAULT_ASSIGNMENT_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      return await fail(failure('unknown', `assignmentConcurrency must be a positive integer, got ${concurrency}`));
    }
    if (signal?.aborted) return await fail(failure('aborted', 'The sync was cancelled'));

    // 1. Customers and relationships, at once; the first failure stops the other.
    const link = linkedController(signal);
    let customers: Awaited<ReturnType<GraphClient['listCustomers']>>;
    let relationships: Awaited<ReturnType<GraphClient['listRelationships']>>;
    try {
      const inner = link.controller.signal;
      const errors: unknown[] = []; // in the order they happened: the first one is the cause
      const stopOthers = (error: unknown): never => {
        errors.push(error);
        link.controller.abort();
        throw error;
      };
      // allSettled: both have stopped before we go on, so nothing runs on after a failure.
      const [c, r] = await Promise.allSettled([
        graph.listCustomers({ signal: inner }).catch(stopOthers),
        graph.listRelationships({ signal: inner }).catch(stopOthers),
      ]);
      if (c.status === 'rejected' || r.status === 'rejected') {
        return await fail(classifySyncError(errors[0], signal));
      }
      customers = c.value;
      relationships = r.value;
    } finally {
      link.dispose();
    }

    // 2. Access assignments of the relationships in force.
    const at = clock();
    const inForce: string[] = [];
    const seen = new Set<string>();
    for (const rel of relationships.items) {
      if (seen.has(rel.id)) continue;
      seen.add(rel.id);
      const kind = relationshipState(rel, undefined, at).kind;
      if (kind === 'active' || kind === 'expiring') inForce.push(rel.id);
    }
    const assignmentsByRelationship = new Map<string, AccessAssignment[]>();
    let assignmentFailures = 0;
    let assignmentSkipped = 0;
    let assignmentPages = 0;
    let assignmentTotal = 0;
    if (inForce.length > 0) {
      let outcomes: Awaited<ReturnType<GraphClient['listAccessAssignmentsForEach']>>;
      try {
        outcomes = await graph.listAccessAssignmentsForEach(inForce, { signal, concurrency });
      } catch (e) {
        return await fail(classifySyncError(e, signal));
      }
      for (const outcome of outcomes) {
        if (outcome.ok) {
          assignmentsByRelationship.set(outcome.relationshipId, outcome.value.items);
          assignmentSkipped += outcome.value.skipped;
          assignmentPages += outcome.value.pages;
          assignmentTotal += outcome.value.items.length;
        } else if (isFatalAssignmentError(outcome.error)) {
          return await fail(classifySyncError(outcome.error, signal));
        } else {
          assignmentFailures++;
        }
      }
    }
    if (signal?.aborted) return await fail(failure('aborted', 'The sync was cancelled'));

    // 3. One write.
    const skipped = customers.skipped + relationships.skipped + assignmentSkipped;
    const stats: SyncStats = {
      customers: customers.items.length,
      relationships: relationships.items.length,
      assignmentRequests: inForce.length,
      assignmentFailures,
      assignments: assignmentTotal,
      skipped,
      pages: customers.pages + relationships.pages + assignmentPages,
    };
    let meta: SyncMeta;
    const writeStarted = elapsed();
    try {
      meta = await cache.replaceAll(
        {
          relationships: relationships.items,
          customers: customers.items,
          assignmentsByRelationship,
          meta: {
            partnerTenantId: options.partnerTenantId,
            durationMs: since(),
            skipped,
            finishedAt: clock(),
          },
        },
        assignmentFailures > 0 ? { partial: { reason: `${PARTIAL_ASSIGNMENTS_REASON}:${assignmentFailures}` } } : {},
      );
    } catch (e) {
      // Rolled back: the previous cache is still whole. Not an abort: the write was under way.
      return await fail(classifySyncError(e));
    }
    const writeMs = Math.max(0, Math.round(elapsed() - writeStarted));
    return { ok: true, meta, emptyHint: relationships.emptyHint, stats, durationMs: since(), writeMs };
  } catch (e) {
    // Defensive: nothing above should throw, but runSync never does.
    return await fail(classifySyncError(e, signal));
  }
}
