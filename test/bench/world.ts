/**
 * The benchmark's world: the generator's customers plus ended relationships (expired or
 * terminated, as a partner's list keeps them) until there are about two relationships per
 * customer. Ended relationships have no access assignments, so they add to the list pages
 * and the cache, not to the per-relationship assignment requests of a sync.
 */
import { generateWorld, isoDate, DAY_MS } from '../fake-cloud/data';
import type { FakeRelationship, World } from '../fake-cloud/model';
import { createPrng } from '../fake-cloud/prng';

export interface BenchWorldOptions {
  customers: number;
  /** Total relationships wanted (at least what the generator made). */
  relationships: number;
  seed: number;
  now: Date;
}

export function benchWorld(opts: BenchWorldOptions): World {
  const world = generateWorld({ customers: opts.customers, seed: opts.seed, now: opts.now });
  addEndedRelationships(world, opts.relationships, opts.seed);
  return world;
}

/** Adds ended relationships, one per customer in turn, until `target`; returns how many. */
export function addEndedRelationships(world: World, target: number, seed: number): number {
  const prng = createPrng(seed ^ 0x5eed);
  const now = world.now.getTime();
  const template = world.relationships.find((r) => r.status === 'expired' || r.status === 'terminated');
  if (!template) throw new Error('the generated world has no ended relationship to copy');
  let added = 0;
  for (let i = 0; world.relationships.length < target && world.customers.length > 0; i++) {
    const c = world.customers[i % world.customers.length]!;
    const endMs = now - prng.int(1, 700) * DAY_MS;
    const createdMs = endMs - 730 * DAY_MS;
    const rel: FakeRelationship = {
      ...template,
      id: `${prng.guid()}-${prng.guid()}`,
      displayName: `Ended_${c.displayName.replace(/[^A-Za-z0-9]+/g, '').slice(0, 30)}_${i}`.slice(0, 50),
      duration: 'P730D',
      autoExtendDuration: 'PT0S',
      customer: { tenantId: c.tenantId, displayName: c.displayName },
      accessDetails: { unifiedRoles: template.accessDetails.unifiedRoles.map((u) => ({ ...u })) },
      status: i % 3 === 0 ? 'terminated' : 'expired',
      createdDateTime: isoDate(createdMs),
      activatedDateTime: isoDate(createdMs + DAY_MS),
      lastModifiedDateTime: isoDate(endMs),
      endDateTime: isoDate(endMs),
    };
    delete rel['@odata.type'];
    delete rel.indirectProviderTenantId;
    world.relationships.push(rel);
    added++;
  }
  return added;
}
