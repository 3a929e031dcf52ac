/** Shared wiring for the sync unit tests (not a test file itself): real Graph client → fake cloud, real cache. */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { createGraphClient, type GraphClient, type GraphClientOptions } from '@/utils/graph/client';
import { CLOUDS } from '@/utils/graph/clouds';
import { relationshipState } from '@/utils/gdap/state';
import { parseRelationship, type Relationship } from '@/utils/gdap/schema';
import { RelationshipCache } from '@/utils/store/cache';
import { fakeCloudFetch } from '../fake-cloud/client';
import type { FakeCloud } from '../fake-cloud/server';
import type { FakeRelationship, World } from '../fake-cloud/model';

/** A cache on its own in-memory IndexedDB. */
export function newCache(): RelationshipCache {
  return new RelationshipCache({ factory: new IDBFactory(), openTimeoutMs: 5_000 });
}

export function adminToken(cloud: FakeCloud): string {
  const user = cloud.world.users.find((u) => u.isAdminAgent);
  if (!user) throw new Error('the world has no admin agent');
  return cloud.login.mintAccessToken({ user: user.userPrincipalName });
}

export function outsiderToken(cloud: FakeCloud): string {
  const user = cloud.world.users.find((u) => !u.isAdminAgent);
  if (!user) throw new Error('the world has no user outside the Admin agents group');
  return cloud.login.mintAccessToken({ user: user.userPrincipalName });
}

export interface GraphWiring {
  graph: GraphClient;
  /** Every wait the client asked for (ms); the injected sleep does not really wait. */
  sleeps: number[];
  /** Every Graph request, in the order sent. */
  requests: Array<{ method: string; url: string }>;
}

/**
 * The real Graph client talking to the fake cloud over https, with a sleep that records and
 * returns at once. `wrapFetch` may rewrite answers (malformed items) or observe requests.
 */
export function graphFor(
  cloud: FakeCloud,
  options: Partial<GraphClientOptions> & {
    token?: () => string;
    onRequest?: (r: { method: string; url: string }, index: number) => void;
    wrapFetch?: (inner: typeof fetch) => typeof fetch;
  } = {},
): GraphWiring {
  const sleeps: number[] = [];
  const requests: Array<{ method: string; url: string }> = [];
  const base = fakeCloudFetch(cloud, (r) => {
    requests.push(r);
    options.onRequest?.(r, requests.length);
  });
  const { token, onRequest: _o, wrapFetch, ...rest } = options;
  const staticToken = token ?? (() => adminToken(cloud));
  let cached: string | null = null;
  const graph = createGraphClient({
    graphOrigin: CLOUDS.global.graph,
    getAccessToken: async () => (cached ??= staticToken()),
    fetch: wrapFetch ? wrapFetch(base) : base,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0,
    ...rest,
  });
  return { graph, sleeps, requests };
}

/** What the cache should hold after a sync of `world` at `now`. */
export interface Expected {
  relationshipIds: string[];
  /** Relationship id → sorted assignment ids (non-deleted), for relationships active/expiring at `now`. */
  assignments: Map<string, string[]>;
  /** Lower-cased tenant ids the cache should know (customers and relationship tenants). */
  tenants: string[];
  /** Assignments in total. */
  assignmentTotal: number;
}

function asDomain(r: FakeRelationship): Relationship {
  const parsed = parseRelationship(JSON.parse(JSON.stringify(r)));
  if (!parsed.ok) throw new Error(`the fake world has a relationship the parser refuses: ${parsed.issues.join('; ')}`);
  return parsed.value;
}

/** Computed from the fake world directly, independently of the Graph client and the cache. */
export function expectedFrom(world: World, now: Date): Expected {
  const assignments = new Map<string, string[]>();
  const tenants = new Set<string>();
  let assignmentTotal = 0;
  for (const r of world.relationships) {
    const t = r.customer?.tenantId;
    if (t) tenants.add(t.toLowerCase());
    const kind = relationshipState(asDomain(r), undefined, now).kind;
    if (kind === 'active' || kind === 'expiring') {
      const ids = (world.accessAssignments.get(r.id) ?? []).filter((a) => a.status !== 'deleted').map((a) => a.id).sort();
      assignments.set(r.id, ids);
      assignmentTotal += ids.length;
    }
  }
  return { relationshipIds: world.relationships.map((r) => r.id).sort(), assignments, tenants: [...tenants].sort(), assignmentTotal };
}

/** Everything a reader sees, through the cache's public reads: for "intact" comparisons. */
export async function readAll(cache: RelationshipCache, relationshipIds: readonly string[]): Promise<{
  relationships: Array<{ id: string; status: string; etag: string | null; assignments: string[] | null }>;
  counts: { relationships: number; customers: number; assignmentLists: number };
}> {
  const relationships: Array<{ id: string; status: string; etag: string | null; assignments: string[] | null }> = [];
  for (const id of relationshipIds) {
    const read = await cache.getRelationship(id);
    if (!read.ok) throw new Error(`cache read failed: ${read.error.message}`);
    if (read.value === null) continue;
    relationships.push({
      id,
      status: read.value.relationship.status,
      etag: read.value.relationship.etag,
      assignments: read.value.assignments === null ? null : read.value.assignments.map((a) => a.id).sort(),
    });
  }
  const counts = await cache.counts();
  if (!counts.ok) throw new Error(`cache counts failed: ${counts.error.message}`);
  return { relationships, counts: counts.value };
}

/** The list endpoint of relationships (not a single relationship, not its assignments). */
export const RELATIONSHIP_LIST = /^\/v1\.0\/tenantRelationships\/delegatedAdminRelationships\?/;
export const CUSTOMER_LIST = /^\/v1\.0\/tenantRelationships\/delegatedAdminCustomers\?/;
export const ASSIGNMENT_LIST = /\/delegatedAdminRelationships\/[^/?]+\/accessAssignments/;
