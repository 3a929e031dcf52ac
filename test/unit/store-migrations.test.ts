import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { unwrap } from 'idb';
import { describe, expect, it } from 'vitest';
import { RelationshipCache } from '@/utils/store/cache';
import { DB_NAME, DB_VERSION, MIGRATIONS, openGdapDb, runMigrations, type GdapDb } from '@/utils/store/db';
import { NOW, rel, snapshot, tenant } from './store-fixtures';

/** What the current schema must look like, store → keyPath and indexes (name → keyPath). */
const EXPECTED_SCHEMA = {
  accessAssignments: { keyPath: 'relationshipId', indexes: { byCustomer: 'customerKey' } },
  customers: { keyPath: 'tenantId', indexes: {} },
  meta: { keyPath: null, indexes: {} },
  relationships: { keyPath: 'id', indexes: { byCustomer: 'customerKey', byEnd: 'endKey', byStatus: 'status' } },
};

function describeSchema(db: GdapDb): Record<string, { keyPath: unknown; indexes: Record<string, unknown> }> {
  const raw = unwrap(db);
  const tx = raw.transaction([...raw.objectStoreNames], 'readonly');
  const out: Record<string, { keyPath: unknown; indexes: Record<string, unknown> }> = {};
  for (const name of raw.objectStoreNames) {
    const store = tx.objectStore(name);
    const indexes: Record<string, unknown> = {};
    for (const index of store.indexNames) {
      const idx = store.index(index);
      expect(idx.unique).toBe(false);
      expect(idx.multiEntry).toBe(false);
      indexes[index] = idx.keyPath;
    }
    out[name] = { keyPath: store.keyPath, indexes };
  }
  return out;
}

/**
 * Data written in the shape of each EARLIER version, to upgrade from. When a migration to
 * version N+1 is appended, add `N: seed` here (written with raw IndexedDB, in the version-N
 * shape) and extend `checkUpgraded` with what that data must look like afterwards.
 */
const SEEDS: Record<number, (db: IDBDatabase) => Promise<void>> = {
  // Version 0 is "no database": nothing to seed.
  0: async () => undefined,
};

async function checkUpgraded(db: GdapDb, from: number): Promise<void> {
  expect(db.version).toBe(DB_VERSION);
  expect(describeSchema(db)).toEqual(EXPECTED_SCHEMA);
  if (from === 0) expect(await db.count('relationships')).toBe(0);
}

describe('migrations', () => {
  it('the version is the number of migrations, and every earlier version has a seed', () => {
    expect(DB_VERSION).toBe(MIGRATIONS.length);
    expect(DB_VERSION).toBeGreaterThanOrEqual(1);
    expect(Object.keys(SEEDS).map(Number).sort()).toEqual(Array.from({ length: DB_VERSION }, (_, v) => v));
  });

  it('from version 0 (fresh) creates the whole current schema', async () => {
    const factory = new IDBFactory();
    const upgrades: [number, number][] = [];
    const db = await openGdapDb({ factory, onUpgrade: (o, n) => upgrades.push([o, n]) });
    expect(db.name).toBe(DB_NAME);
    expect(upgrades).toEqual([[0, DB_VERSION]]);
    await checkUpgraded(db, 0);
    db.close();

    // Reopening at the same version runs no migration and keeps the schema.
    const again = await openGdapDb({ factory, onUpgrade: (o, n) => upgrades.push([o, n]) });
    expect(upgrades).toHaveLength(1);
    expect(describeSchema(again)).toEqual(EXPECTED_SCHEMA);
    again.close();
  });

  it.each(Array.from({ length: DB_VERSION }, (_, v) => v))('upgrades from version %i with data in it', async (from) => {
    const factory = new IDBFactory();
    if (from > 0) {
      const old = await openGdapDb({ factory, version: from });
      await SEEDS[from]!(unwrap(old));
      old.close();
    }
    const db = await openGdapDb({ factory });
    await checkUpgraded(db, from);
    db.close();
  });

  it('a cache on a freshly migrated database reads and writes', async () => {
    const factory = new IDBFactory();
    const cache = new RelationshipCache({ factory });
    const T = tenant(1);
    await cache.replaceAll(snapshot([rel('r1', T)]));
    const summaries = await cache.getSummaries([T], NOW);
    expect(summaries.value.get(T)?.total).toBe(1);
    cache.close();
    const db = await openGdapDb({ factory });
    expect((await db.get('relationships', 'r1'))?.customerKey).toBe(T);
    db.close();
  });

  it('runMigrations runs exactly the steps between two versions, in order', () => {
    const ran: number[] = [];
    const steps = [0, 1, 2, 3].map((i) => () => void ran.push(i));
    runMigrations({} as never, {} as never, 1, 3, steps);
    expect(ran).toEqual([1, 2]);
    expect(() => runMigrations({} as never, {} as never, 0, 5, steps)).toThrow(/no migration from version 4/);
  });

  it('a failing migration rolls the upgrade back and rejects the open', async () => {
    const factory = new IDBFactory();
    // Version DB_VERSION + 1 has no migration: the upgrade must fail and leave nothing behind.
    await expect(openGdapDb({ factory, version: DB_VERSION + 1 })).rejects.toThrow(/no migration/);
    const names = await factory.databases();
    expect(names.find((d) => d.name === DB_NAME && (d.version ?? 0) > 0)).toBeUndefined();
  });
});
