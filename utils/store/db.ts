/**
 * The relationship cache's IndexedDB schema and migrations (background worker only).
 *
 * Database `gdap-lens`. Version = number of migrations: `MIGRATIONS[i]` upgrades a
 * database from version `i` to `i + 1`, so an upgrade from any earlier version runs every
 * later migration in order, within the single `versionchange` transaction (all or nothing).
 *
 * Adding a schema change:
 * 1. append `migrateToV2` to {@link MIGRATIONS} (never edit a shipped migration);
 * 2. update {@link GdapLensDB} (the *current* schema) and the record builders in ./cache.ts;
 * 3. in test/unit/store-migrations.test.ts add a seed for version 1 (data written in the v1
 *    shape) to `SEEDS`, and assert what the upgraded data looks like; the test opens the
 *    database at every earlier version with {@link openGdapDb}'s `version` option, seeds it,
 *    then upgrades it to {@link DB_VERSION}.
 *
 * Migrations work on the *untyped* database: they describe historical schemas, which the
 * current {@link GdapLensDB} type no longer matches after a later change.
 *
 * Schema decisions (v1):
 * - `relationships`, keyPath `id`. The domain {@link Relationship} is stored untouched in
 *   `relationship`, next to derived index keys: `customerKey` (lower-cased tenant id, `''`
 *   when the relationship has no customer yet, since IndexedDB cannot index `null`),
 *   `status`, and `endKey` (epoch ms of the date the relationship's state turns on, see
 *   {@link relationshipEndKey}; the field is left out when there is no such date, so the
 *   record is simply not in the `byEnd` index).
 * - `accessAssignments`, keyPath `relationshipId`: ONE record per relationship holding its
 *   whole list. A record with `[]` means "loaded, none" and a missing record means "not
 *   loaded", the distinction {@link summarizeCustomer} and R16 need (a compound key
 *   `[relationshipId, id]` could not represent "loaded, none"). Indexed `byCustomer` too, so
 *   a customer's assignments come with one `getAll`.
 * - `customers`, keyPath `tenantId` (lower-cased): Graph's delegatedAdminCustomers, plus a
 *   record derived from the relationships for any tenant that only appears there, so every
 *   tenant with a relationship can be searched. Pre-normalised search fields.
 * - `meta`, out-of-line key `'sync'`: one {@link SyncMeta} record. No tokens, ever.
 */
import { wrap, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import type { AccessAssignment, Customer, Relationship } from '../gdap/schema';
import { endedAt, ENDED_STATUSES, PENDING_STATUSES, pendingLapseDate, relationshipExpiry } from '../gdap/rules';

export const DB_NAME = 'gdap-lens';

// ---------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------

export interface RelationshipRecord {
  id: string;
  /** Lower-cased customer tenant id, `''` when unknown (IndexedDB cannot index null). */
  customerKey: string;
  status: Relationship['status'];
  /** Epoch ms; absent when no date is known (then not in `byEnd`). */
  endKey?: number;
  relationship: Relationship;
}

export interface AssignmentsRecord {
  relationshipId: string;
  customerKey: string;
  assignments: AccessAssignment[];
}

export interface CustomerRecord {
  /** Lower-cased tenant id (the key). */
  tenantId: string;
  displayName: string;
  domains: string[];
  /** `customer`: from delegatedAdminCustomers; `relationship`: only seen on a relationship. */
  source: 'customer' | 'relationship';
  /** The Graph customer as parsed; `null` when derived from a relationship. */
  customer: Customer | null;
  /** {@link searchKey} of the name, and of each domain. */
  searchName: string;
  searchDomains: string[];
}

export interface SyncError {
  /** A code chosen by the caller (`network`, `auth`, `throttled`, …); never a sentence to show. */
  kind: string;
  message: string;
  /** ISO date. */
  at: string;
}

export interface SyncCounts {
  relationships: number;
  customers: number;
  /** Total access assignments (not lists). */
  assignments: number;
  /** Malformed Graph items skipped during the sync. */
  skipped: number;
}

export interface SyncMeta {
  /** Increases with every change of the cached data (sync, update, removal, clear); 0 = never written. */
  generation: number;
  /** ISO date of the last successful sync, `null` when never. */
  lastSuccess: string | null;
  /** ISO date of the last sync attempt, successful or not. */
  lastAttempt: string | null;
  /** The last attempt's error; cleared by a successful sync. */
  lastError: SyncError | null;
  counts: SyncCounts | null;
  durationMs: number | null;
  partnerTenantId: string | null;
  /** Set when the last successful sync was knowingly incomplete. */
  partial: { reason: string } | null;
}

export const META_KEY = 'sync';

export function emptySyncMeta(): SyncMeta {
  return {
    generation: 0,
    lastSuccess: null,
    lastAttempt: null,
    lastError: null,
    counts: null,
    durationMs: null,
    partnerTenantId: null,
    partial: null,
  };
}

/** The current schema (version {@link DB_VERSION}). */
export interface GdapLensDB extends DBSchema {
  relationships: {
    key: string;
    value: RelationshipRecord;
    indexes: { byCustomer: string; byStatus: string; byEnd: number };
  };
  accessAssignments: {
    key: string;
    value: AssignmentsRecord;
    indexes: { byCustomer: string };
  };
  customers: {
    key: string;
    value: CustomerRecord;
  };
  meta: {
    key: typeof META_KEY;
    value: SyncMeta;
  };
}

export type StoreName = 'relationships' | 'accessAssignments' | 'customers' | 'meta';
export const ALL_STORES: StoreName[] = ['relationships', 'accessAssignments', 'customers', 'meta'];

export type GdapDb = IDBPDatabase<GdapLensDB>;

// ---------------------------------------------------------------------------
// Derived keys
// ---------------------------------------------------------------------------

/** Tenant ids are GUIDs: compared trimmed and lower-cased. */
export function tenantKey(tenantId: string | null | undefined): string {
  return typeof tenantId === 'string' ? tenantId.trim().toLowerCase() : '';
}

/** Case- and form-insensitive search text (NFKC, lower case, locale-independent). */
export function searchKey(s: string): string {
  return s.normalize('NFKC').toLowerCase().trim();
}

/**
 * The `byEnd` key, epoch ms, independent of `now`: the date {@link relationshipState}
 * turns on for states the expiry list shows:
 * - pending (`created`/`approvalPending`): the R2 lapse date (`createdDateTime + 90 d`);
 * - expired/terminated: when it ended ({@link endedAt});
 * - otherwise (live, ending, unknown): the expiry of {@link relationshipExpiry}, without
 *   auto-extension (an auto-extended end only lies later).
 * `undefined` when no date is known.
 */
export function relationshipEndKey(rel: Relationship): number | undefined {
  let date: Date | null;
  if (PENDING_STATUSES.has(rel.status)) date = pendingLapseDate(rel.createdDateTime);
  else if (ENDED_STATUSES.has(rel.status)) date = endedAt(rel);
  else date = relationshipExpiry(rel);
  const t = date?.getTime();
  return t !== undefined && Number.isFinite(t) ? t : undefined;
}

export function toRelationshipRecord(rel: Relationship): RelationshipRecord {
  const record: RelationshipRecord = {
    id: rel.id,
    customerKey: tenantKey(rel.customer.tenantId),
    status: rel.status,
    relationship: rel,
  };
  const endKey = relationshipEndKey(rel);
  if (endKey !== undefined) record.endKey = endKey;
  return record;
}

// ---------------------------------------------------------------------------
// Migrations
// ---------------------------------------------------------------------------

export type UpgradeTransaction = IDBPTransaction<unknown, string[], 'versionchange'>;
/** Upgrades the database by one version; runs inside the `versionchange` transaction. */
export type Migration = (db: IDBPDatabase<unknown>, tx: UpgradeTransaction) => void;

/** 0 → 1: the initial schema. */
const migrateToV1: Migration = (db) => {
  const relationships = db.createObjectStore('relationships', { keyPath: 'id' });
  relationships.createIndex('byCustomer', 'customerKey');
  relationships.createIndex('byStatus', 'status');
  relationships.createIndex('byEnd', 'endKey');

  const assignments = db.createObjectStore('accessAssignments', { keyPath: 'relationshipId' });
  assignments.createIndex('byCustomer', 'customerKey');

  db.createObjectStore('customers', { keyPath: 'tenantId' });
  db.createObjectStore('meta');
};

/** `MIGRATIONS[i]` upgrades version `i` to `i + 1`. Append only. */
export const MIGRATIONS: readonly Migration[] = [migrateToV1];

export const DB_VERSION = MIGRATIONS.length;

/** Runs the migrations from `oldVersion` up to `newVersion`. */
export function runMigrations(
  db: IDBPDatabase<unknown>,
  tx: UpgradeTransaction,
  oldVersion: number,
  newVersion: number,
  migrations: readonly Migration[] = MIGRATIONS,
): void {
  for (let v = oldVersion; v < newVersion; v++) {
    const migrate = migrations[v];
    if (migrate === undefined) throw new Error(`no migration from version ${v}`);
    migrate(db, tx);
  }
}

// ---------------------------------------------------------------------------
// Opening
// ---------------------------------------------------------------------------

export interface OpenOptions {
  /** The IndexedDB factory; `globalThis.indexedDB` by default (tests inject `new IDBFactory()`). */
  factory?: IDBFactory;
  name?: string;
  /** For migration tests: open at an earlier version. Defaults to {@link DB_VERSION}. */
  version?: number;
  /** Called when another context wants a newer version or deletes the database. */
  onVersionChange?: (event: IDBVersionChangeEvent) => void;
  /** Called when the browser closes the connection abnormally. */
  onClose?: () => void;
  /** Called with `oldVersion` when an upgrade runs (0 = the database did not exist). */
  onUpgrade?: (oldVersion: number, newVersion: number) => void;
  /** Gives up (rejects) when the open is still blocked or pending after this long. */
  timeoutMs?: number;
}

export class OpenTimeoutError extends Error {
  constructor() {
    super('opening the database timed out');
    this.name = 'OpenTimeoutError';
  }
}

function defaultFactory(): IDBFactory {
  const f = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (f === undefined) {
    const error = new Error('IndexedDB is not available');
    error.name = 'NotSupportedError';
    throw error;
  }
  return f;
}

/**
 * Opens (creating or upgrading) the database, like idb's `openDB` but with an injectable
 * factory. The migrations run in the upgrade transaction; the returned promise rejects if
 * any of them throws (the upgrade is then rolled back).
 */
export function openGdapDb(options: OpenOptions = {}): Promise<GdapDb> {
  const factory = options.factory ?? defaultFactory();
  const version = options.version ?? DB_VERSION;
  const request = factory.open(options.name ?? DB_NAME, version);
  let migrationError: unknown = null;

  request.addEventListener('upgradeneeded', (event) => {
    const tx = request.transaction;
    if (tx === null) return;
    const newVersion = event.newVersion ?? version;
    options.onUpgrade?.(event.oldVersion, newVersion);
    const upgradeTx = wrap(tx) as unknown as UpgradeTransaction;
    // The open request reports a failed upgrade; this promise must not go unhandled.
    upgradeTx.done.catch(() => undefined);
    try {
      runMigrations(wrap(request.result), upgradeTx, event.oldVersion, newVersion);
    } catch (error) {
      // Rolls the whole upgrade back; the open then rejects with this error.
      migrationError = error;
      tx.abort();
    }
  });

  let gaveUp = false;
  const opened = (wrap(request) as Promise<IDBPDatabase | undefined>).then((raw) => {
    if (raw === undefined) throw new Error('open returned no database');
    const db = raw as unknown as GdapDb;
    if (gaveUp) {
      db.close();
      throw new OpenTimeoutError();
    }
    db.addEventListener('versionchange', (event) => options.onVersionChange?.(event));
    db.addEventListener('close', () => options.onClose?.());
    return db;
  }, (error: unknown) => {
    throw migrationError ?? error;
  });
  if (options.timeoutMs === undefined) return opened;

  const timeoutMs = options.timeoutMs;
  return new Promise<GdapDb>((resolve, reject) => {
    const timer = setTimeout(() => {
      gaveUp = true;
      reject(new OpenTimeoutError());
    }, timeoutMs);
    opened.then(
      (db) => {
        clearTimeout(timer);
        resolve(db);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Deletes the database (used on sign-out, and by tests). */
export async function deleteGdapDb(options: { factory?: IDBFactory; name?: string } = {}): Promise<void> {
  const factory = options.factory ?? defaultFactory();
  await wrap(factory.deleteDatabase(options.name ?? DB_NAME));
}
