/**
 * What a badge should say for the generated data, computed from the fake cloud's raw
 * Graph objects with the rules written out plainly here — deliberately NOT with the
 * extension's own code, so the end-to-end tests check the product against the rules.
 */
import type { FakeRelationship, World } from '../fake-cloud/model';

const DAY = 86_400_000;
const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';

export interface ExpectedBadge {
  state: 'none' | 'pending' | 'active' | 'expiring' | 'expired' | 'terminated' | 'unknown';
  /** Whole days (any part of a day counts as a day), where a date applies. */
  daysLeft: number | null;
  /** Active with no security group assigned (R16). */
  noSecurityGroup: boolean;
}

const ceilDays = (ms: number) => Math.ceil(ms / DAY);

/** R2, R4, R6, R16: one relationship at `now`. */
export function expectedRelationship(world: World, r: FakeRelationship, now: number): ExpectedBadge {
  const status = r.status;
  if (status === 'created' || status === 'approvalPending') {
    const lapse = Date.parse(r.createdDateTime) + 90 * DAY;
    return lapse <= now ? { state: 'expired', daysLeft: null, noSecurityGroup: false } : { state: 'pending', daysLeft: ceilDays(lapse - now), noSecurityGroup: false };
  }
  if (['approved', 'activating', 'active', 'expiring'].includes(status)) {
    const ga = r.accessDetails.unifiedRoles.some((x) => x.roleDefinitionId === GLOBAL_ADMINISTRATOR);
    const autoExtends = r.autoExtendDuration === 'P180D' && !ga;
    let end = r.endDateTime ? Date.parse(r.endDateTime) : NaN;
    if (autoExtends) while (end <= now) end += 180 * DAY;
    const assignments = (world.accessAssignments.get(r.id) ?? []).filter((a) => a.status === 'active' || a.status === 'pending');
    const noSecurityGroup = assignments.length === 0;
    if (!Number.isFinite(end)) return { state: status === 'expiring' ? 'expiring' : 'active', daysLeft: null, noSecurityGroup };
    if (end <= now) return { state: 'expired', daysLeft: null, noSecurityGroup: false };
    const daysLeft = ceilDays(end - now);
    const expiring = status === 'expiring' || (!autoExtends && daysLeft <= 30);
    return { state: expiring ? 'expiring' : 'active', daysLeft, noSecurityGroup };
  }
  if (status === 'expired') return { state: 'expired', daysLeft: null, noSecurityGroup: false };
  if (['terminationRequested', 'terminating', 'terminated'].includes(status)) return { state: 'terminated', daysLeft: null, noSecurityGroup: false };
  return { state: 'unknown', daysLeft: null, noSecurityGroup: false };
}

/** Most urgent first: what a partner must act on soonest (R25's "worst state"). */
function urgency(b: ExpectedBadge): number {
  if (b.state === 'expiring') return 0;
  if (b.state === 'active' && b.noSecurityGroup) return 1;
  return { pending: 2, unknown: 3, active: 4, expired: 5, terminated: 6, expiring: 0, none: 7 }[b.state];
}

/** R25: one badge per customer, over all its relationships. */
export function expectedCustomer(world: World, tenantId: string, now: number): ExpectedBadge {
  const own = world.relationships.filter((r) => r.customer?.tenantId === tenantId).map((r) => expectedRelationship(world, r, now));
  if (own.length === 0) return { state: 'none', daysLeft: null, noSecurityGroup: false };
  own.sort((a, b) => urgency(a) - urgency(b) || (a.daysLeft ?? Infinity) - (b.daysLeft ?? Infinity));
  return own[0]!;
}
