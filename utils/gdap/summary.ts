/**
 * R25: a customer can have several relationships with the same partner; customer-level
 * badges summarise all of them.
 */
import { PRIVILEGED_AUTHENTICATION_ADMINISTRATOR, GLOBAL_ADMINISTRATOR } from './role-ids';
import type { AccessAssignment, Relationship } from './schema';
import { relationshipState, type AutoExtendState, type RelationshipKind, type RelationshipState } from './state';

/** Access assignments by relationship id; a missing entry means "not loaded". */
export type AssignmentsById =
  | Readonly<Record<string, readonly Pick<AccessAssignment, 'status'>[] | undefined>>
  | ReadonlyMap<string, readonly Pick<AccessAssignment, 'status'>[]>;

export interface RelationshipStateEntry {
  relationshipId: string;
  state: RelationshipState;
}

export interface CustomerSummary {
  /** The kind of the most urgent relationship ({@link URGENCY_ORDER}); `none` without relationships. */
  kind: RelationshipKind;
  /** The most urgent relationship and its state; `null` without relationships. */
  worst: RelationshipStateEntry | null;
  /** The soonest effective end (R4) among active/expiring relationships. */
  soonestEnd: { relationshipId: string; endDate: string; daysLeft: number; autoExtend: AutoExtendState } | null;
  /** Union of the role ids of active/expiring relationships (the access the partner holds), de-duplicated, sorted. */
  roleIds: string[];
  /** How many relationships are in each kind. */
  counts: Record<Exclude<RelationshipKind, 'none'>, number>;
  total: number;
  /** R16: some active/expiring relationship is known to have no security group. */
  noSecurityGroup: boolean;
  /** An active/expiring relationship includes Global Administrator. */
  hasGlobalAdministrator: boolean;
  /** R10: an active/expiring relationship includes Privileged Authentication Administrator. */
  hasLockoutRecovery: boolean;
  /** Every relationship's state, most urgent first. */
  states: RelationshipStateEntry[];
}

/**
 * "Worst" means "needs the partner's attention most", most urgent first:
 *
 * 1. `expiring`: access ends soon and auto-extend is off;
 * 2. `active` with no security group (R16): live, but nobody can use it;
 * 3. `pending`: waiting for the customer, lapses after 90 days (R2);
 * 4. `unknown`: a status we cannot interpret;
 * 5. `active`: healthy;
 * 6. `expired`, 7. `terminated`: history, nothing to act on.
 *
 * Ended relationships rank last so that an old expired relationship next to a healthy one
 * does not colour the customer. Ties: fewer days left first (unknown days last), then id.
 */
export const URGENCY_ORDER = [
  'expiring',
  'active-no-security-group',
  'pending',
  'unknown',
  'active',
  'expired',
  'terminated',
] as const;
export type UrgencyClass = (typeof URGENCY_ORDER)[number];

/** Where a state falls in {@link URGENCY_ORDER}. */
export function urgencyClass(state: RelationshipState): UrgencyClass {
  switch (state.kind) {
    case 'active':
      return state.noSecurityGroup === true ? 'active-no-security-group' : 'active';
    case 'expiring':
    case 'pending':
    case 'unknown':
    case 'expired':
    case 'terminated':
      return state.kind;
    case 'none':
      return 'terminated';
  }
}

/** Sort comparator: negative when `a` is more urgent than `b`. */
export function compareUrgency(a: RelationshipStateEntry, b: RelationshipStateEntry): number {
  const rank = URGENCY_ORDER.indexOf(urgencyClass(a.state)) - URGENCY_ORDER.indexOf(urgencyClass(b.state));
  if (rank !== 0) return rank;
  const da = a.state.daysLeft ?? Infinity;
  const db = b.state.daysLeft ?? Infinity;
  if (da !== db) return da < db ? -1 : 1;
  return a.relationshipId < b.relationshipId ? -1 : a.relationshipId > b.relationshipId ? 1 : 0;
}

function assignmentsFor(byId: AssignmentsById, id: string): readonly Pick<AccessAssignment, 'status'>[] | undefined {
  if (byId instanceof Map) return byId.get(id);
  const record = byId as Readonly<Record<string, readonly Pick<AccessAssignment, 'status'>[] | undefined>>;
  return Object.prototype.hasOwnProperty.call(record, id) ? record[id] : undefined;
}

function emptyCounts(): CustomerSummary['counts'] {
  return { pending: 0, active: 0, expiring: 0, expired: 0, terminated: 0, unknown: 0 };
}

/** R25: one summary of all of a customer's relationships at `now`. */
export function summarizeCustomer(
  relationships: readonly Relationship[],
  assignmentsById: AssignmentsById,
  now: Date,
): CustomerSummary {
  const pairs = relationships.map((rel) => ({
    rel,
    entry: { relationshipId: rel.id, state: relationshipState(rel, assignmentsFor(assignmentsById, rel.id), now) },
  }));

  const counts = emptyCounts();
  const roles = new Set<string>();
  let soonestEnd: CustomerSummary['soonestEnd'] = null;
  let noSecurityGroup = false;

  for (const { rel, entry } of pairs) {
    const { state } = entry;
    if (state.kind !== 'none') counts[state.kind]++;
    if (state.kind !== 'active' && state.kind !== 'expiring') continue;
    for (const id of rel.roleIds) roles.add(id.toLowerCase());
    if (state.noSecurityGroup === true) noSecurityGroup = true;
    if (state.endDate === null || state.daysLeft === null || state.autoExtend === null) continue;
    if (soonestEnd === null || Date.parse(state.endDate) < Date.parse(soonestEnd.endDate)) {
      soonestEnd = {
        relationshipId: rel.id,
        endDate: state.endDate,
        daysLeft: state.daysLeft,
        autoExtend: state.autoExtend,
      };
    }
  }

  const states = pairs.map((p) => p.entry).sort(compareUrgency);
  const worst = states[0] ?? null;
  return {
    kind: worst?.state.kind ?? 'none',
    worst,
    soonestEnd,
    roleIds: [...roles].sort(),
    counts,
    total: relationships.length,
    noSecurityGroup,
    hasGlobalAdministrator: roles.has(GLOBAL_ADMINISTRATOR),
    hasLockoutRecovery: roles.has(PRIVILEGED_AUTHENTICATION_ADMINISTRATOR),
    states,
  };
}
