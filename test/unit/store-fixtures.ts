/** Shared builders for the store-* unit tests (not a test file itself). */
import { mulberry32 } from '../fake-cloud/prng';
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import type { AccessAssignment, Customer, Relationship, RelationshipStatus } from '@/utils/gdap/schema';
import { GLOBAL_ADMINISTRATOR, GLOBAL_READER } from '@/utils/gdap/roles';
import { RelationshipCache, type SyncSnapshot } from '@/utils/store/cache';
import { makeAssignment, makeRel } from './gdap-fixtures';

export const DAY = 86_400_000;
export const NOW = new Date('2025-06-01T00:00:00.000Z');
export const at = (days: number, now: Date = NOW): string => new Date(now.getTime() + days * DAY).toISOString();

/** A cache on its own in-memory IndexedDB (fresh factory: no state shared between tests). */
export function freshCache(): { cache: RelationshipCache; factory: IDBFactory } {
  const factory = new IDBFactory();
  return { cache: new RelationshipCache({ factory, clock: () => NOW, openTimeoutMs: 2_000 }), factory };
}

export function tenant(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export function customer(tenantId: string, displayName: string, domains?: string[]): Customer & { domains?: string[] } {
  return { id: tenantId, tenantId, displayName, etag: null, ...(domains ? { domains } : {}) };
}

export function rel(id: string, tenantId: string | null, overrides: Partial<Relationship> = {}): Relationship {
  return makeRel({
    id,
    displayName: `GDAP ${id}`,
    customer: { tenantId, displayName: tenantId === null ? null : `Customer ${tenantId.slice(-4)}` },
    ...overrides,
  });
}

export function snapshot(
  relationships: Relationship[],
  options: {
    customers?: SyncSnapshot['customers'];
    assignments?: SyncSnapshot['assignmentsByRelationship'];
    skipped?: number;
    finishedAt?: Date;
  } = {},
): SyncSnapshot {
  return {
    relationships,
    customers: options.customers ?? [],
    assignmentsByRelationship: options.assignments ?? {},
    meta: {
      partnerTenantId: 'partner-tenant',
      durationMs: 1234,
      skipped: options.skipped ?? 0,
      ...(options.finishedAt ? { finishedAt: options.finishedAt } : {}),
    },
  };
}

/** Small deterministic PRNG: the fake cloud's mulberry32. */
export const prng = mulberry32;

export interface BigData {
  relationships: Relationship[];
  assignments: Map<string, AccessAssignment[]>;
  tenants: string[];
}

const STATUSES: RelationshipStatus[] = [
  'active', 'active', 'active', 'active', 'expiring', 'approvalPending', 'created', 'expired', 'terminated',
  'approved', 'terminationRequested', 'unknown',
];
const ASSIGNMENT_STATUSES: AccessAssignment['status'][] = ['active', 'pending', 'deleted', 'error'];

/**
 * `count` varied relationships over `tenantCount` tenants (some with no tenant), dates
 * spread around {@link NOW}; assignments loaded for about two thirds of them.
 */
export function bigData(count: number, tenantCount: number, seed = 42): BigData {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const tenants = Array.from({ length: tenantCount }, (_, i) => tenant(i + 1));
  const relationships: Relationship[] = [];
  const assignments = new Map<string, AccessAssignment[]>();
  for (let i = 0; i < count; i++) {
    const id = `rel-${i.toString().padStart(6, '0')}`;
    const tenantId = random() < 0.02 ? null : pick(tenants);
    const status = pick(STATUSES);
    // Whole and fractional days, -500…+800, so window edges get hit.
    const endDays = Math.round((random() * 1300 - 500) * 4) / 4;
    const autoExtend = random() < 0.3 ? 'P180D' : random() < 0.5 ? 'PT0S' : null;
    const roleIds = random() < 0.1 ? [GLOBAL_ADMINISTRATOR, GLOBAL_READER] : [GLOBAL_READER];
    const hasEnd = random() < 0.95;
    relationships.push(
      makeRel({
        id,
        displayName: `GDAP ${i}`,
        status,
        rawStatus: status,
        autoExtendDuration: autoExtend,
        customer: { tenantId, displayName: tenantId === null ? null : `Customer ${tenantId.slice(-6)}` },
        roleIds,
        createdDateTime: at(-Math.floor(random() * 120)),
        lastModifiedDateTime: at(-Math.floor(random() * 400)),
        activatedDateTime: hasEnd ? at(endDays - 730) : null,
        endDateTime: hasEnd ? at(endDays) : null,
      }),
    );
    if (random() < 0.66) {
      const n = Math.floor(random() * 3);
      assignments.set(
        id,
        Array.from({ length: n }, (_, k) => makeAssignment(pick(ASSIGNMENT_STATUSES), `${id}-a${k}`)),
      );
    }
  }
  return { relationships, assignments, tenants };
}
