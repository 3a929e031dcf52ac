/**
 * The relationship cache: Graph's GDAP data for the signed-in partner, kept in IndexedDB
 * (./db.ts) by the background worker, which alone opens it.
 *
 * Contract:
 * - **Writes are atomic.** {@link RelationshipCache.replaceAll} clears and refills every
 *   store in ONE readwrite transaction: if it fails (exception, invalid data, quota, the
 *   worker stopped mid-write), IndexedDB rolls it back and the previous cache stays whole
 *   and readable. Writes throw a {@link CacheError} with a `kind`.
 * - **Reads never throw.** They resolve to a {@link CacheRead}: `ok: false` with an empty
 *   value and an `error` when the database cannot be read, and `reset: true` while the
 *   database is known to have been deleted under us (until the next successful sync).
 * - **The connection is lazy and self-healing.** Opened on first use; closed when another
 *   context upgrades or deletes the database (`versionchange`) or the browser closes it;
 *   reopened on next use (a deleted database comes back empty at the current version).
 * - Tenant ids are compared case-insensitively (GUIDs). Values are JSON-safe domain objects.
 * - No token or secret is ever stored: only Graph's GDAP data and sync metadata.
 */
import { unwrap, type IDBPObjectStore, type IDBPTransaction } from 'idb';
import type { AccessAssignment, Customer, Relationship } from '../gdap/schema';
import { relationshipState, EXPIRED_LOOKBACK_DAYS, type RelationshipState } from '../gdap/state';
import { summarizeCustomer, type CustomerSummary } from '../gdap/summary';
import { DAY_MS } from '../gdap/duration';
import {
  ALL_STORES,
  META_KEY,
  OpenTimeoutError,
  emptySyncMeta,
  openGdapDb,
  searchKey,
  tenantKey,
  toRelationshipRecord,
  type AssignmentsRecord,
  type CustomerRecord,
  type GdapDb,
  type GdapLensDB,
  type RelationshipRecord,
  type StoreName,
  type SyncMeta,
} from './db';

export type { SyncMeta, SyncError, SyncCounts } from './db';

// ---------------------------------------------------------------------------
// Errors and read results
// ---------------------------------------------------------------------------

/**
 * - `quota`: the browser refused the space (QuotaExceededError);
 * - `aborted`: the transaction was aborted (worker stopped, another abort);
 * - `invalid-data`: a value could not be stored (bad key, not cloneable, bad snapshot);
 * - `version`: the database on disk is newer than this code (another version of the
 *   extension upgraded it);
 * - `unavailable`: no connection (IndexedDB missing, blocked, closed under us);
 * - `unknown`: anything else.
 */
export type CacheErrorKind = 'quota' | 'aborted' | 'invalid-data' | 'version' | 'unavailable' | 'unknown';

export class CacheError extends Error {
  readonly kind: CacheErrorKind;
  constructor(kind: CacheErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CacheError';
    this.kind = kind;
  }
}

/** JSON-safe error of a failed read. */
export interface CacheReadError {
  kind: CacheErrorKind;
  message: string;
}

export type CacheRead<T> =
  | { ok: true; value: T; reset: boolean }
  | { ok: false; value: T; reset: boolean; error: CacheReadError };

function errorName(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'name' in error) {
    const name = (error as { name: unknown }).name;
    if (typeof name === 'string') return name;
  }
  return '';
}

function errorMessage(error: unknown): string {
  if (error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)) {
    const message = (error as { message: unknown }).message;
    if (typeof message === 'string') return message;
  }
  return String(error);
}

export function errorKind(error: unknown): CacheErrorKind {
  if (error instanceof CacheError) return error.kind;
  if (error instanceof OpenTimeoutError) return 'unavailable';
  switch (errorName(error)) {
    case 'QuotaExceededError':
      return 'quota';
    case 'AbortError':
      return 'aborted';
    case 'DataError':
    case 'DataCloneError':
    case 'ConstraintError':
      return 'invalid-data';
    case 'VersionError':
      return 'version';
    case 'InvalidStateError':
    case 'TransactionInactiveError':
    case 'NotFoundError':
    case 'NotSupportedError':
    case 'UnknownError':
      return 'unavailable';
    default:
      return 'unknown';
  }
}

function toCacheError(error: unknown): CacheError {
  if (error instanceof CacheError) return error;
  return new CacheError(errorKind(error), errorMessage(error), { cause: error });
}

/** Errors after which the connection is dropped and the operation may be retried once. */
function isConnectionError(error: unknown): boolean {
  const kind = errorKind(error);
  return kind === 'unavailable' || kind === 'aborted';
}

// ---------------------------------------------------------------------------
// Inputs and outputs
// ---------------------------------------------------------------------------

/** A delegatedAdminCustomer, optionally with the domains the sync learnt for it. */
export type SnapshotCustomer = Customer & { domains?: readonly string[] };

/**
 * Access assignments by relationship id. A relationship without an entry has "not loaded"
 * assignments; `[]` means "loaded, none". Entries for relationships not in the snapshot
 * are ignored.
 */
export type AssignmentsInput =
  | ReadonlyMap<string, readonly AccessAssignment[]>
  | Readonly<Record<string, readonly AccessAssignment[] | undefined>>;

export interface SyncSnapshot {
  relationships: readonly Relationship[];
  customers: readonly SnapshotCustomer[];
  assignmentsByRelationship: AssignmentsInput;
  meta: {
    partnerTenantId: string | null;
    durationMs: number;
    /** Malformed Graph items skipped by the parsers. */
    skipped: number;
    /** When the sync finished; the cache's clock by default. */
    finishedAt?: Date;
  };
}

export interface ReplaceAllOptions {
  /**
   * The snapshot is knowingly incomplete (e.g. the assignments of some relationships could
   * not be fetched). Recorded in `meta.partial`. With `keepMissingAssignments`, a
   * relationship without an assignments entry in the snapshot keeps its previously cached
   * list (if any) instead of becoming "not loaded".
   */
  partial?: { reason: string; keepMissingAssignments?: boolean };
}

export interface CachedRelationship {
  relationship: Relationship;
  /** `null` when not loaded. */
  assignments: AccessAssignment[] | null;
}

export type ExpiringReason = 'ending' | 'pending-lapse' | 'expired';

export interface ExpiringEntry {
  relationship: Relationship;
  state: RelationshipState;
  /**
   * `ending`: active/expiring, auto-extend not on, effective end within the threshold;
   * `pending-lapse`: a pending request lapsing (R2) within the threshold;
   * `expired`: expired (or lapsed) within the last {@link EXPIRED_LOOKBACK_DAYS} days.
   */
  reason: ExpiringReason;
}

export interface CustomerMatch {
  tenantId: string;
  displayName: string;
  domains: string[];
  source: CustomerRecord['source'];
  matchedOn: 'tenantId' | 'name' | 'domain';
}

export interface CacheCounts {
  relationships: number;
  customers: number;
  /** Relationships whose assignments are loaded. */
  assignmentLists: number;
}

export interface RelationshipCacheOptions {
  /** IndexedDB factory; `globalThis.indexedDB` by default. Tests inject `new IDBFactory()`. */
  factory?: IDBFactory;
  /** Database name, `gdap-lens` by default. */
  name?: string;
  /** How long an open may stay blocked before reads give up (`unavailable`). Default 10 s. */
  openTimeoutMs?: number;
  /** Default time for sync metadata. */
  clock?: () => Date;
}

export const DEFAULT_SEARCH_LIMIT = 20;
export const MAX_SEARCH_LIMIT = 500;
/** Longest stored sync error message. */
export const MAX_ERROR_MESSAGE_LENGTH = 1000;

// ---------------------------------------------------------------------------
// Snapshot preparation (pure)
// ---------------------------------------------------------------------------

interface PreparedSnapshot {
  relationships: RelationshipRecord[];
  assignments: AssignmentsRecord[];
  /** Relationship ids (in the snapshot) without an assignments entry. */
  missingAssignments: Map<string, string>;
  customers: CustomerRecord[];
}

function invalid(message: string): CacheError {
  return new CacheError('invalid-data', message);
}

function assignmentsEntry(input: AssignmentsInput, id: string): readonly AccessAssignment[] | undefined {
  if (input instanceof Map) return input.get(id);
  const record = input as Readonly<Record<string, readonly AccessAssignment[] | undefined>>;
  return Object.prototype.hasOwnProperty.call(record, id) ? record[id] : undefined;
}

function customerRecord(
  key: string,
  displayName: string,
  domains: readonly string[],
  customer: Customer | null,
): CustomerRecord {
  const cleanDomains = [...new Set(domains.filter((d): d is string => typeof d === 'string' && d !== ''))];
  return {
    tenantId: key,
    displayName,
    domains: cleanDomains,
    source: customer === null ? 'relationship' : 'customer',
    customer,
    searchName: searchKey(displayName),
    searchDomains: cleanDomains.map(searchKey),
  };
}

function derivedCustomer(rel: Relationship): CustomerRecord | null {
  const key = tenantKey(rel.customer.tenantId);
  if (key === '') return null;
  return customerRecord(key, rel.customer.displayName ?? '', [], null);
}

function prepareSnapshot(snapshot: SyncSnapshot): PreparedSnapshot {
  if (!Array.isArray(snapshot.relationships) || !Array.isArray(snapshot.customers)) {
    throw invalid('snapshot relationships and customers must be arrays');
  }
  const byId = new Map<string, RelationshipRecord>();
  const namesByTenant = new Map<string, string>();
  for (const rel of snapshot.relationships) {
    if (typeof rel !== 'object' || rel === null || typeof rel.id !== 'string' || rel.id === '') {
      throw invalid('a relationship has no id');
    }
    if (typeof rel.customer !== 'object' || rel.customer === null) {
      throw invalid(`relationship ${rel.id} has no customer object`);
    }
    const record = toRelationshipRecord(rel);
    byId.set(rel.id, record);
    const name = rel.customer.displayName;
    if (record.customerKey !== '' && name && !namesByTenant.get(record.customerKey)) {
      namesByTenant.set(record.customerKey, name);
    }
  }
  const relationships = [...byId.values()];

  const assignments: AssignmentsRecord[] = [];
  const missingAssignments = new Map<string, string>();
  for (const record of relationships) {
    const list = assignmentsEntry(snapshot.assignmentsByRelationship, record.id);
    if (list === undefined) {
      missingAssignments.set(record.id, record.customerKey);
      continue;
    }
    if (!Array.isArray(list)) throw invalid(`assignments of ${record.id} are not an array`);
    assignments.push({ relationshipId: record.id, customerKey: record.customerKey, assignments: [...list] });
  }

  const customers = new Map<string, CustomerRecord>();
  for (const c of snapshot.customers) {
    if (typeof c !== 'object' || c === null) throw invalid('a customer is not an object');
    const key = tenantKey(c.tenantId ?? c.id);
    if (key === '') throw invalid('a customer has no tenant id');
    const { domains, ...customer } = c;
    const name = c.displayName || namesByTenant.get(key) || '';
    customers.set(key, customerRecord(key, name, domains ?? [], customer));
  }
  for (const record of relationships) {
    if (record.customerKey === '' || customers.has(record.customerKey)) continue;
    customers.set(
      record.customerKey,
      customerRecord(record.customerKey, namesByTenant.get(record.customerKey) ?? '', [], null),
    );
  }
  return { relationships, assignments, missingAssignments, customers: [...customers.values()] };
}

function isoOf(date: Date): string {
  return Number.isFinite(date.getTime()) ? date.toISOString() : new Date().toISOString();
}

// ---------------------------------------------------------------------------
// The cache
// ---------------------------------------------------------------------------

type Tx<S extends StoreName[], M extends IDBTransactionMode> = IDBPTransaction<GdapLensDB, S, M>;

/** The whole cache as one consistent, read-only picture (see RelationshipCache.snapshot). */
interface MemorySnapshot {
  /** Id order. */
  readonly relationships: readonly Relationship[];
  readonly byId: ReadonlyMap<string, CachedRelationship>;
  /** By tenant key; each list in id order. */
  readonly byTenant: ReadonlyMap<string, readonly CachedRelationship[]>;
}

const emptySnapshot = (): MemorySnapshot => ({ relationships: [], byId: new Map(), byTenant: new Map() });

function buildSnapshot(
  records: ReadonlyArray<{ id: string; customerKey: string; relationship: Relationship }>,
  lists: ReadonlyArray<{ relationshipId: string; assignments: AccessAssignment[] }>,
): MemorySnapshot {
  const assignments = new Map(lists.map((l) => [l.relationshipId, l.assignments]));
  const byId = new Map<string, CachedRelationship>();
  const byTenant = new Map<string, CachedRelationship[]>();
  const relationships: Relationship[] = [];
  for (const r of records) {
    const entry: CachedRelationship = { relationship: r.relationship, assignments: assignments.get(r.id) ?? null };
    relationships.push(r.relationship);
    byId.set(r.id, entry);
    if (r.customerKey === '') continue;
    const list = byTenant.get(r.customerKey);
    if (list) list.push(entry);
    else byTenant.set(r.customerKey, [entry]);
  }
  return { relationships, byId, byTenant };
}

export class RelationshipCache {
  private connection: Promise<GdapDb> | null = null;
  /** Highest generation seen or written, so it keeps increasing if the database is deleted. */
  private generationSeen = 0;
  private everOpened = false;
  private resetPending = false;
  private readonly clock: () => Date;
  /** Every relationship in memory, valid while the stored generation is `generation`. */
  private memory: { generation: number; snapshot: MemorySnapshot } | null = null;
  private loadingMemory: Promise<CacheRead<MemorySnapshot>> | null = null;

  constructor(private readonly options: RelationshipCacheOptions = {}) {
    this.clock = options.clock ?? (() => new Date());
  }

  // -- connection -------------------------------------------------------------

  private connect(): Promise<GdapDb> {
    if (this.connection !== null) return this.connection;
    const opening: Promise<GdapDb> = openGdapDb({
      ...(this.options.factory === undefined ? {} : { factory: this.options.factory }),
      ...(this.options.name === undefined ? {} : { name: this.options.name }),
      timeoutMs: this.options.openTimeoutMs ?? 10_000,
      onUpgrade: (oldVersion) => {
        // Created afresh although we had it open before: deleted under us.
        if (oldVersion === 0 && this.everOpened) this.markReset();
      },
      onVersionChange: (event) => {
        // Another context upgrades or deletes the database: let it, reopen lazily.
        if (event.newVersion === null) this.markReset();
        (event.target as IDBDatabase | null)?.close();
        this.forget(opening);
      },
      onClose: () => this.forget(opening),
    });
    this.connection = opening;
    opening.then(
      () => {
        this.everOpened = true;
      },
      () => this.forget(opening),
    );
    return opening;
  }

  private markReset(): void {
    if (!this.resetPending) this.generationSeen++;
    this.resetPending = true;
  }

  private forget(connection: Promise<GdapDb>): void {
    if (this.connection === connection) this.connection = null;
  }

  /** Closes and forgets the connection (it will be reopened on next use). */
  private drop(connection: Promise<GdapDb>): void {
    this.forget(connection);
    connection.then(
      (db) => db.close(),
      () => undefined,
    );
  }

  /** Closes the connection; later calls reopen it. */
  close(): void {
    if (this.connection !== null) this.drop(this.connection);
  }

  /** Runs `body` in one readonly transaction; never throws. Retries once on a lost connection. */
  private async read<S extends StoreName[], T>(
    stores: S,
    empty: () => T,
    body: (tx: Tx<S, 'readonly'>) => Promise<T>,
  ): Promise<CacheRead<T>> {
    let lastError: unknown = null;
    for (let attempt = 0; attempt < 2; attempt++) {
      let connection: Promise<GdapDb> | null = null;
      try {
        connection = this.connect();
        const db = await connection;
        const tx = db.transaction(stores, 'readonly');
        const [value] = await Promise.all([body(tx), tx.done]);
        return { ok: true, value, reset: this.resetPending };
      } catch (error) {
        lastError = error;
        if (!isConnectionError(error)) break;
        if (connection !== null) this.drop(connection);
      }
    }
    return {
      ok: false,
      value: empty(),
      reset: this.resetPending,
      error: { kind: errorKind(lastError), message: errorMessage(lastError) },
    };
  }

  /**
   * Runs `body` in one readwrite transaction and waits for it to commit. `body` must issue
   * every request synchronously or after awaiting IndexedDB requests only. On any failure
   * the transaction is aborted (nothing is written) and a {@link CacheError} is thrown.
   */
  private async write<S extends StoreName[], T>(stores: S, body: (tx: Tx<S, 'readwrite'>) => Promise<T>): Promise<T> {
    let lastError: unknown = null;
    for (let attempt = 0; attempt < 2; attempt++) {
      let connection: Promise<GdapDb> | null = null;
      let tx: Tx<S, 'readwrite'>;
      try {
        connection = this.connect();
        const db = await connection;
        tx = db.transaction(stores, 'readwrite');
      } catch (error) {
        // Nothing written yet: safe to retry on a fresh connection.
        lastError = error;
        if (!isConnectionError(error)) break;
        if (connection !== null) this.drop(connection);
        continue;
      }
      return this.commit(tx, body);
    }
    throw toCacheError(lastError);
  }

  private async commit<S extends StoreName[], T>(
    tx: Tx<S, 'readwrite'>,
    body: (tx: Tx<S, 'readwrite'>) => Promise<T>,
  ): Promise<T> {
    const raw = unwrap(tx);
    // The first request error (e.g. QuotaExceededError) explains a later abort. AbortErrors
    // of requests only say that the transaction was aborted for another reason.
    let requestError: unknown = null;
    raw.addEventListener('error', (event) => {
      const error = (event.target as IDBRequest | null)?.error ?? null;
      if (error !== null && errorName(error) !== 'AbortError') requestError ??= error;
    });
    let result: T;
    try {
      result = await body(tx);
    } catch (error) {
      let abortedElsewhere = false;
      try {
        raw.abort();
      } catch {
        // Already aborted (by the browser, or the worker going away) or finished.
        abortedElsewhere = true;
      }
      await tx.done.catch(() => undefined);
      const cause = requestError ?? raw.error;
      if (cause === null && abortedElsewhere) {
        throw new CacheError('aborted', 'the transaction was aborted', { cause: error });
      }
      throw toCacheError(cause ?? error);
    }
    try {
      await tx.done;
    } catch (error) {
      throw toCacheError(requestError ?? raw.error ?? error);
    }
    return result;
  }

  private nextMeta(previous: SyncMeta | undefined): SyncMeta {
    const base = previous ?? emptySyncMeta();
    return { ...base, generation: Math.max(base.generation, this.generationSeen) + 1 };
  }

  private noteGeneration(meta: SyncMeta): void {
    this.generationSeen = Math.max(this.generationSeen, meta.generation);
  }

  // -- writes -----------------------------------------------------------------

  /**
   * Replaces the whole cache with a sync's result, atomically (see the module header).
   * Relationships with the same id: the last wins. Clears `lastError`, sets `lastSuccess`
   * and `lastAttempt` to `finishedAt`, increments `generation`. Returns the new meta.
   * @throws CacheError (`invalid-data` before anything is written; `quota`, `aborted`, …)
   */
  async replaceAll(snapshot: SyncSnapshot, options: ReplaceAllOptions = {}): Promise<SyncMeta> {
    const prepared = prepareSnapshot(snapshot);
    const at = isoOf(snapshot.meta.finishedAt ?? this.clock());
    const partial = options.partial;

    const meta = await this.write([...ALL_STORES], async (tx) => {
      const previous = await tx.objectStore('meta').get(META_KEY);
      let kept: AssignmentsRecord[] = [];
      if (partial?.keepMissingAssignments === true && prepared.missingAssignments.size > 0) {
        const old = await tx.objectStore('accessAssignments').getAll();
        kept = old
          .filter((r) => prepared.missingAssignments.has(r.relationshipId))
          .map((r) => ({ ...r, customerKey: prepared.missingAssignments.get(r.relationshipId) ?? '' }));
      }

      // From here on, plain IndexedDB requests issued synchronously: no promise per record.
      const relationships = unwrap(tx.objectStore('relationships'));
      const assignments = unwrap(tx.objectStore('accessAssignments'));
      const customers = unwrap(tx.objectStore('customers'));
      relationships.clear();
      assignments.clear();
      customers.clear();
      for (const record of prepared.relationships) relationships.put(record);
      let assignmentTotal = 0;
      for (const record of [...prepared.assignments, ...kept]) {
        assignments.put(record);
        assignmentTotal += record.assignments.length;
      }
      for (const record of prepared.customers) customers.put(record);

      const next: SyncMeta = {
        ...this.nextMeta(previous),
        lastSuccess: at,
        lastAttempt: at,
        lastError: null,
        counts: {
          relationships: prepared.relationships.length,
          customers: prepared.customers.length,
          assignments: assignmentTotal,
          skipped: Number.isFinite(snapshot.meta.skipped) ? snapshot.meta.skipped : 0,
        },
        durationMs: Number.isFinite(snapshot.meta.durationMs) ? snapshot.meta.durationMs : null,
        partnerTenantId: snapshot.meta.partnerTenantId,
        partial: partial === undefined ? null : { reason: String(partial.reason) },
      };
      unwrap(tx.objectStore('meta')).put(next, META_KEY);
      return next;
    });
    this.noteGeneration(meta);
    this.resetPending = false;
    return meta;
  }

  /**
   * Records a failed sync in the metadata only (`lastAttempt`, `lastError`); the cached
   * data and `generation` stay as they are. `error` may be `{ kind, message }`, an `Error`
   * (kind = its name) or anything else.
   * @throws CacheError
   */
  async recordSyncFailure(error: unknown, at: Date = this.clock()): Promise<SyncMeta> {
    const iso = isoOf(at);
    let kind = 'unknown';
    let message: string;
    if (typeof error === 'object' && error !== null && typeof (error as { kind?: unknown }).kind === 'string') {
      kind = (error as { kind: string }).kind;
      message = errorMessage(error);
    } else if (error instanceof Error) {
      kind = error.name || 'Error';
      message = error.message;
    } else {
      message = errorMessage(error);
    }
    const meta = await this.write(['meta'], async (tx) => {
      const store = tx.objectStore('meta');
      const previous = (await store.get(META_KEY)) ?? { ...emptySyncMeta(), generation: this.generationSeen };
      const next: SyncMeta = {
        ...previous,
        lastAttempt: iso,
        lastError: { kind, message: message.slice(0, MAX_ERROR_MESSAGE_LENGTH), at: iso },
      };
      unwrap(store).put(next, META_KEY);
      return next;
    });
    this.noteGeneration(meta);
    return meta;
  }

  /**
   * Stores one relationship as Graph now returns it (after an action such as switching
   * auto-extend on), with its assignments when given (otherwise the cached ones are kept).
   * Adds a customer record for a tenant not known yet. Returns the new generation.
   * @throws CacheError
   */
  async applyRelationshipUpdate(rel: Relationship, assignments?: readonly AccessAssignment[]): Promise<number> {
    if (typeof rel !== 'object' || rel === null || typeof rel.id !== 'string' || rel.id === '') {
      throw invalid('a relationship has no id');
    }
    if (typeof rel.customer !== 'object' || rel.customer === null) throw invalid('relationship has no customer');
    const record = toRelationshipRecord(rel);
    const meta = await this.write(['relationships', 'accessAssignments', 'customers', 'meta'], async (tx) => {
      const assignmentStore = tx.objectStore('accessAssignments');
      const customerStore = tx.objectStore('customers');
      const [previousAssignments, knownCustomer, previousMeta] = await Promise.all([
        assignmentStore.get(rel.id),
        record.customerKey === '' ? Promise.resolve(undefined) : customerStore.get(record.customerKey),
        tx.objectStore('meta').get(META_KEY),
      ]);
      unwrap(tx.objectStore('relationships')).put(record);
      if (assignments !== undefined) {
        unwrap(assignmentStore).put({
          relationshipId: rel.id,
          customerKey: record.customerKey,
          assignments: [...assignments],
        });
      } else if (previousAssignments !== undefined && previousAssignments.customerKey !== record.customerKey) {
        unwrap(assignmentStore).put({ ...previousAssignments, customerKey: record.customerKey });
      }
      if (knownCustomer === undefined) {
        const derived = derivedCustomer(rel);
        if (derived !== null) unwrap(customerStore).put(derived);
      }
      const next = this.nextMeta(previousMeta);
      unwrap(tx.objectStore('meta')).put(next, META_KEY);
      return next;
    });
    this.noteGeneration(meta);
    return meta.generation;
  }

  /**
   * Removes a relationship and its assignments (the customer record stays). Returns whether
   * it was cached.
   * @throws CacheError
   */
  async removeRelationship(id: string): Promise<boolean> {
    if (typeof id !== 'string' || id === '') return false;
    const result = await this.write(['relationships', 'accessAssignments', 'meta'], async (tx) => {
      const [existing, previousMeta] = await Promise.all([
        tx.objectStore('relationships').getKey(id),
        tx.objectStore('meta').get(META_KEY),
      ]);
      if (existing === undefined) return { found: false, meta: null };
      unwrap(tx.objectStore('relationships')).delete(id);
      unwrap(tx.objectStore('accessAssignments')).delete(id);
      const next = this.nextMeta(previousMeta);
      unwrap(tx.objectStore('meta')).put(next, META_KEY);
      return { found: true, meta: next };
    });
    if (result.meta !== null) this.noteGeneration(result.meta);
    return result.found;
  }

  /**
   * Empties the cache (sign-out, another partner): every store cleared, metadata reset
   * except `generation`, which increases.
   * @throws CacheError
   */
  async clearAll(): Promise<SyncMeta> {
    const meta = await this.write([...ALL_STORES], async (tx) => {
      const previous = await tx.objectStore('meta').get(META_KEY);
      for (const name of ALL_STORES) unwrap(tx.objectStore(name)).clear();
      const next: SyncMeta = { ...emptySyncMeta(), generation: this.nextMeta(previous).generation };
      unwrap(tx.objectStore('meta')).put(next, META_KEY);
      return next;
    });
    this.noteGeneration(meta);
    return meta;
  }

  // -- reads ------------------------------------------------------------------

  /**
   * Every relationship with its assignments, grouped by customer and by id, held in memory
   * for as long as the stored generation stays the same: every write bumps it, and a
   * database deleted under us starts without one. Batch reads (a page of badges, the R19
   * name checks) then cost one small read of the metadata instead of hundreds of indexed
   * reads. Loaded in one transaction, so it is a consistent picture; one load at a time.
   */
  private async snapshot(): Promise<CacheRead<MemorySnapshot>> {
    const probe = await this.read(['meta'], () => undefined as number | undefined, async (tx) => (await tx.objectStore('meta').get(META_KEY))?.generation);
    if (!probe.ok) return { ...probe, value: emptySnapshot() };
    const held = this.memory;
    if (held !== null && probe.value !== undefined && held.generation === probe.value) return { ok: true, value: held.snapshot, reset: probe.reset };
    this.loadingMemory ??= this.loadSnapshot().finally(() => (this.loadingMemory = null));
    return this.loadingMemory;
  }

  private async loadSnapshot(): Promise<CacheRead<MemorySnapshot>> {
    let generation: number | undefined;
    const result = await this.read(['relationships', 'accessAssignments', 'meta'], emptySnapshot, async (tx) => {
      const [records, lists, meta] = await Promise.all([
        tx.objectStore('relationships').getAll(),
        tx.objectStore('accessAssignments').getAll(),
        tx.objectStore('meta').get(META_KEY),
      ]);
      generation = meta?.generation;
      return buildSnapshot(records, lists);
    });
    // Without metadata (nothing ever written) there is no generation to check it against.
    if (result.ok && generation !== undefined) this.memory = { generation, snapshot: result.value };
    return result;
  }

  /**
   * Customer summaries (R25) at `now` for a batch of tenants, from the in-memory picture
   * (see `snapshot`). Every requested tenant gets an entry (keyed as passed); a tenant
   * without cached relationships gets the `none` summary. Relationships are summarised in
   * id order. On failure: an empty map and `ok: false`.
   */
  async getSummaries(tenantIds: readonly string[], now: Date): Promise<CacheRead<Map<string, CustomerSummary>>> {
    const snap = await this.snapshot();
    const result = new Map<string, CustomerSummary>();
    if (!snap.ok) return { ...snap, value: result };
    for (const id of tenantIds) {
      if (result.has(id)) continue;
      const rels = snap.value.byTenant.get(tenantKey(id)) ?? [];
      const assignments = new Map<string, AccessAssignment[]>();
      for (const c of rels) if (c.assignments !== null) assignments.set(c.relationship.id, c.assignments);
      result.set(id, summarizeCustomer(rels.map((c) => c.relationship), assignments, now));
    }
    return { ok: true, value: result, reset: snap.reset };
  }

  /**
   * Summaries (R25) at `now` of every customer the cache holds relationships of, keyed by
   * tenant key (lower case), from the in-memory picture. On failure: an empty map, `ok: false`.
   */
  async getAllSummaries(now: Date): Promise<CacheRead<Map<string, CustomerSummary>>> {
    const snap = await this.snapshot();
    const result = new Map<string, CustomerSummary>();
    if (!snap.ok) return { ...snap, value: result };
    for (const [key, rels] of snap.value.byTenant) {
      const assignments = new Map<string, AccessAssignment[]>();
      for (const c of rels) if (c.assignments !== null) assignments.set(c.relationship.id, c.assignments);
      result.set(key, summarizeCustomer(rels.map((c) => c.relationship), assignments, now));
    }
    return { ok: true, value: result, reset: snap.reset };
  }

  /**
   * Every cached relationship with its assignments, by id, from the in-memory picture. The
   * same (read-only) map until the cache changes, so a caller may remember what it derived
   * from it for as long as it gets the same map back.
   */
  async getAllRelationships(): Promise<CacheRead<ReadonlyMap<string, CachedRelationship>>> {
    const snap = await this.snapshot();
    if (!snap.ok) return { ...snap, value: new Map() };
    return { ok: true, value: snap.value.byId, reset: snap.reset };
  }

  /** A customer's relationships (id order) with their assignments (`null` = not loaded). */
  async getCustomerRelationships(tenantId: string): Promise<CacheRead<CachedRelationship[]>> {
    const key = tenantKey(tenantId);
    return this.read(
      ['relationships', 'accessAssignments'],
      () => [],
      async (tx) => {
        if (key === '') return [];
        const [rels, lists] = await Promise.all([
          tx.objectStore('relationships').index('byCustomer').getAll(key),
          tx.objectStore('accessAssignments').index('byCustomer').getAll(key),
        ]);
        const byId = new Map(lists.map((l) => [l.relationshipId, l.assignments]));
        return rels.map((r) => ({ relationship: r.relationship, assignments: byId.get(r.id) ?? null }));
      },
    );
  }

  /** Several relationships with their assignments (from the in-memory picture); unknown ids map to `null`. */
  async getRelationships(ids: readonly string[]): Promise<CacheRead<Map<string, CachedRelationship | null>>> {
    const snap = await this.snapshot();
    if (!snap.ok) return { ...snap, value: new Map() };
    const unique = [...new Set(ids.filter((id) => typeof id === 'string' && id !== ''))];
    return { ok: true, value: new Map(unique.map((id) => [id, snap.value.byId.get(id) ?? null])), reset: snap.reset };
  }

  /** Every cached relationship (no assignments), in id order: for checks across all of them, such as R19 names. */
  async listRelationships(): Promise<CacheRead<Relationship[]>> {
    const snap = await this.snapshot();
    if (!snap.ok) return { ...snap, value: [] };
    return { ok: true, value: [...snap.value.relationships], reset: snap.reset };
  }

  /** One relationship with its assignments, `null` when not cached. */
  async getRelationship(id: string): Promise<CacheRead<CachedRelationship | null>> {
    return this.read(
      ['relationships', 'accessAssignments'],
      () => null,
      async (tx) => {
        if (typeof id !== 'string' || id === '') return null;
        const [record, list] = await Promise.all([
          tx.objectStore('relationships').get(id),
          tx.objectStore('accessAssignments').get(id),
        ]);
        return record === undefined ? null : { relationship: record.relationship, assignments: list?.assignments ?? null };
      },
    );
  }

  /**
   * What needs attention within `thresholdDays` of `now` (states from {@link relationshipState}):
   * active/expiring relationships without auto-extend whose effective end is at most
   * `thresholdDays` away (days counted as `daysUntil`, so "within 1 day" includes any part
   * of a day), pending requests lapsing (R2) within it, and relationships expired (or
   * lapsed) within the last 365 days. Uses a `byEnd` range, not a full scan.
   * Order: upcoming first (fewest days left), then expired (most recent first); ties by id.
   */
  async getExpiring(thresholdDays: number, now: Date): Promise<CacheRead<ExpiringEntry[]>> {
    const days = Number.isFinite(thresholdDays) && thresholdDays > 0 ? thresholdDays : 0;
    const nowMs = now.getTime();
    return this.read(
      ['relationships', 'accessAssignments'],
      () => [],
      async (tx) => {
        if (!Number.isFinite(nowMs)) return [];
        const range = IDBKeyRange.bound(nowMs - EXPIRED_LOOKBACK_DAYS * DAY_MS, nowMs + days * DAY_MS);
        const records = await tx.objectStore('relationships').index('byEnd').getAll(range);
        // Assignments only change `noSecurityGroup`, never whether an entry is listed: filter
        // first, then load the assignments of what is listed.
        const listed: { rel: Relationship; reason: ExpiringReason }[] = [];
        for (const { relationship: rel } of records) {
          const reason = expiringReason(relationshipState(rel, undefined, now), days, now);
          if (reason !== null) listed.push({ rel, reason });
        }
        const assignments = await loadAssignments(
          tx.objectStore('accessAssignments'),
          listed.map((e) => e.rel.id),
        );
        return listed
          .map(({ rel, reason }) => ({ relationship: rel, state: relationshipState(rel, assignments.get(rel.id), now), reason }))
          .sort(compareExpiring);
      },
    );
  }

  /** The sync metadata; the empty metadata when never synced. */
  async getSyncMeta(): Promise<CacheRead<SyncMeta>> {
    const result = await this.read(
      ['meta'],
      () => ({ ...emptySyncMeta(), generation: this.generationSeen }),
      async (tx) => (await tx.objectStore('meta').get(META_KEY)) ?? { ...emptySyncMeta(), generation: this.generationSeen },
    );
    if (result.ok) this.noteGeneration(result.value);
    return result;
  }

  /**
   * Customers whose name, a domain or the tenant id contains `query`, case-insensitively
   * (NFKC, so composed and decomposed Hangul match). The query is plain text, never a
   * pattern. Ranked: exact match, then prefix, then anywhere; then by name and tenant id.
   * `limit` defaults to 20, at most 500. An empty query finds nothing.
   */
  async searchCustomers(query: string, limit: number = DEFAULT_SEARCH_LIMIT): Promise<CacheRead<CustomerMatch[]>> {
    const q = typeof query === 'string' ? searchKey(query) : '';
    const max = Number.isFinite(limit) ? Math.min(Math.floor(limit), MAX_SEARCH_LIMIT) : DEFAULT_SEARCH_LIMIT;
    return this.read(
      ['customers'],
      () => [],
      async (tx) => {
        if (q === '' || max <= 0) return [];
        const all = await tx.objectStore('customers').getAll();
        const scored: { rank: number; record: CustomerRecord; matchedOn: CustomerMatch['matchedOn'] }[] = [];
        for (const record of all) {
          const match = matchCustomer(record, q);
          if (match !== null) scored.push({ ...match, record });
        }
        scored.sort(
          (a, b) =>
            a.rank - b.rank ||
            compareStrings(a.record.searchName, b.record.searchName) ||
            compareStrings(a.record.tenantId, b.record.tenantId),
        );
        return scored.slice(0, max).map(({ record, matchedOn }) => ({
          tenantId: record.customer?.tenantId ?? record.tenantId,
          displayName: record.displayName,
          domains: record.domains,
          source: record.source,
          matchedOn,
        }));
      },
    );
  }

  /** Records per store. */
  async counts(): Promise<CacheRead<CacheCounts>> {
    return this.read(
      ['relationships', 'accessAssignments', 'customers'],
      () => ({ relationships: 0, customers: 0, assignmentLists: 0 }),
      async (tx) => {
        const [relationships, assignmentLists, customers] = await Promise.all([
          tx.objectStore('relationships').count(),
          tx.objectStore('accessAssignments').count(),
          tx.objectStore('customers').count(),
        ]);
        return { relationships, customers, assignmentLists };
      },
    );
  }
}

export function createRelationshipCache(options: RelationshipCacheOptions = {}): RelationshipCache {
  return new RelationshipCache(options);
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/** Above this many ids, one `getAll` of the store beats a `get` per id. */
const BULK_ASSIGNMENT_READ = 256;

async function loadAssignments(
  store: IDBPObjectStore<GdapLensDB, ['relationships', 'accessAssignments'], 'accessAssignments', 'readonly'>,
  ids: readonly string[],
): Promise<Map<string, AccessAssignment[]>> {
  const result = new Map<string, AccessAssignment[]>();
  if (ids.length > BULK_ASSIGNMENT_READ) {
    const wanted = new Set(ids);
    for (const record of await store.getAll()) {
      if (wanted.has(record.relationshipId)) result.set(record.relationshipId, record.assignments);
    }
    return result;
  }
  const records = await Promise.all(ids.map((id) => store.get(id)));
  for (const record of records) if (record !== undefined) result.set(record.relationshipId, record.assignments);
  return result;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** 0 = exact, 1 = prefix, 2 = anywhere. */
function rankOf(text: string, q: string): number | null {
  if (text === q) return 0;
  if (text.startsWith(q)) return 1;
  if (text.includes(q)) return 2;
  return null;
}

function matchCustomer(record: CustomerRecord, q: string): { rank: number; matchedOn: CustomerMatch['matchedOn'] } | null {
  let best: { rank: number; matchedOn: CustomerMatch['matchedOn'] } | null = null;
  const consider = (text: string, matchedOn: CustomerMatch['matchedOn']): void => {
    const rank = rankOf(text, q);
    if (rank !== null && (best === null || rank < best.rank)) best = { rank, matchedOn };
  };
  consider(record.searchName, 'name');
  for (const domain of record.searchDomains) consider(domain, 'domain');
  consider(record.tenantId, 'tenantId');
  return best;
}

function expiringReason(state: RelationshipState, days: number, now: Date): ExpiringReason | null {
  switch (state.kind) {
    case 'pending':
      return state.daysLeft !== null && state.daysLeft <= days ? 'pending-lapse' : null;
    case 'active':
    case 'expiring':
      return state.autoExtend !== 'on' && state.daysLeft !== null && state.daysLeft <= days ? 'ending' : null;
    case 'expired': {
      if (state.endDate === null) return null;
      const ago = now.getTime() - Date.parse(state.endDate);
      return ago >= 0 && ago <= EXPIRED_LOOKBACK_DAYS * DAY_MS ? 'expired' : null;
    }
    default:
      return null;
  }
}

function compareExpiring(a: ExpiringEntry, b: ExpiringEntry): number {
  const aExpired = a.reason === 'expired';
  const bExpired = b.reason === 'expired';
  if (aExpired !== bExpired) return aExpired ? 1 : -1;
  const ea = a.state.endDate === null ? 0 : Date.parse(a.state.endDate);
  const eb = b.state.endDate === null ? 0 : Date.parse(b.state.endDate);
  if (ea !== eb) return aExpired ? eb - ea : ea - eb;
  return compareStrings(a.relationship.id, b.relationship.id);
}
