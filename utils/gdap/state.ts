/**
 * THE relationship state model: every UI (badges, popup, options) derives what it shows
 * from {@link relationshipState}, so that a relationship reads the same everywhere.
 * States are JSON-safe (dates as ISO strings) and carry codes, never words.
 */
import { toDate, toIso } from './dates';
import { includesGlobalAdministrator } from './role-ids';
import {
  ENDING_STATUSES,
  LIVE_STATUSES,
  PENDING_STATUSES,
  daysUntil,
  effectiveEndDate,
  endedAt,
  hasNoSecurityGroup,
  isAutoExtendSet,
  pendingLapseDate,
  relationshipExpiry,
} from './rules';
import type { AccessAssignment, Relationship, RelationshipStatus } from './schema';
import { DAY_MS } from './duration';

export type RelationshipKind = 'none' | 'pending' | 'active' | 'expiring' | 'expired' | 'terminated' | 'unknown';
export type AutoExtendState = 'on' | 'off' | 'not-allowed';
/** Partner Center's reminder windows: within 1, 7 or 30 days. */
export type ExpiringWindow = 1 | 7 | 30;

export interface RelationshipState {
  kind: RelationshipKind;
  /** Graph's normalised status; `null` for `none`. */
  status: RelationshipStatus | null;
  /**
   * Whole days left ({@link daysUntil}: ceil, "any part of a day counts"): for `pending`
   * until the R2 lapse, for `active`/`expiring` until the effective end (R4). `null`
   * otherwise or when no date is known.
   */
  daysLeft: number | null;
  /** For `active`/`expiring` only: `not-allowed` when Global Administrator is included (R6). */
  autoExtend: AutoExtendState | null;
  /** For `expiring` only: the narrowest Partner Center window (≤1, ≤7, ≤30 days). */
  expiringWindow: ExpiringWindow | null;
  /**
   * ISO date: `pending` → when the request lapses (R2); `active`/`expiring` → effective
   * end (the next auto-extension date when auto-extend is on); `expired`/`terminated` →
   * when it ended; `unknown` → Graph's expiry if any.
   */
  endDate: string | null;
  /** R16: in force with no active/pending access assignment; `null` when assignments are not loaded. */
  noSecurityGroup: boolean | null;
}

export const NONE_STATE: RelationshipState = {
  kind: 'none',
  status: null,
  daysLeft: null,
  autoExtend: null,
  expiringWindow: null,
  endDate: null,
  noSecurityGroup: null,
};

/** Days before the end at which a relationship without auto-extend counts as expiring. */
export const EXPIRING_THRESHOLD_DAYS = 30;

/** The narrowest window holding `daysLeft` (≤1 → 1, ≤7 → 7, ≤30 → 30), else `null`. */
export function expiringWindowFor(daysLeft: number): ExpiringWindow | null {
  if (daysLeft <= 1) return 1;
  if (daysLeft <= 7) return 7;
  if (daysLeft <= 30) return 30;
  return null;
}

function autoExtendState(rel: Pick<Relationship, 'roleIds' | 'autoExtendDuration'>): AutoExtendState {
  if (includesGlobalAdministrator(rel.roleIds)) return 'not-allowed';
  return isAutoExtendSet(rel) ? 'on' : 'off';
}

/**
 * The state of one relationship at `now`. `assignments` are its access assignments, or
 * `undefined` when not loaded (then `noSecurityGroup` is `null`). A missing relationship
 * is `none`.
 *
 * Graph statuses map as: `created`/`approvalPending` → pending; `approved`/`activating`/
 * `active` → active, or expiring when ≤ 30 days are left and auto-extend is not on (an
 * auto-extending relationship is never expiring, R4); Graph's `expiring` → expiring;
 * `expired` → expired; `terminationRequested`/`terminating`/`terminated` → terminated;
 * anything else → unknown.
 *
 * Time wins over a stale cached status: a pending request past its 90-day lapse (R2), or a
 * live relationship whose effective end has passed, is `expired`.
 */
export function relationshipState(
  rel: Relationship | null | undefined,
  assignments: readonly Pick<AccessAssignment, 'status'>[] | undefined,
  now: Date,
): RelationshipState {
  if (rel === null || rel === undefined) return NONE_STATE;
  const noSecurityGroup = assignments === undefined ? null : hasNoSecurityGroup(rel, assignments);
  const base: RelationshipState = { ...NONE_STATE, status: rel.status, noSecurityGroup };

  if (PENDING_STATUSES.has(rel.status)) {
    const lapse = pendingLapseDate(rel.createdDateTime);
    if (lapse !== null && lapse.getTime() <= now.getTime()) {
      return { ...base, kind: 'expired', endDate: toIso(lapse) };
    }
    return {
      ...base,
      kind: 'pending',
      daysLeft: lapse === null ? null : daysUntil(lapse, now),
      endDate: toIso(lapse),
    };
  }

  if (LIVE_STATUSES.has(rel.status)) {
    const autoExtend = autoExtendState(rel);
    const end = effectiveEndDate(rel, now);
    if (end !== null && end.getTime() <= now.getTime()) {
      return { ...base, kind: 'expired', endDate: toIso(end) };
    }
    const daysLeft = end === null ? null : daysUntil(end, now);
    const expiring =
      rel.status === 'expiring' ||
      (autoExtend !== 'on' && daysLeft !== null && daysLeft <= EXPIRING_THRESHOLD_DAYS);
    return {
      ...base,
      kind: expiring ? 'expiring' : 'active',
      daysLeft,
      autoExtend,
      expiringWindow: expiring && daysLeft !== null ? expiringWindowFor(daysLeft) : null,
      endDate: toIso(end),
    };
  }

  if (rel.status === 'expired') return { ...base, kind: 'expired', endDate: toIso(endedAt(rel)) };
  if (rel.status === 'terminated') return { ...base, kind: 'terminated', endDate: toIso(endedAt(rel)) };
  if (ENDING_STATUSES.has(rel.status)) return { ...base, kind: 'terminated' };
  return { ...base, kind: 'unknown', endDate: toIso(relationshipExpiry(rel)) };
}

export type ExpiringFilter = 'within-1' | 'within-7' | 'within-30' | 'after-30' | 'expired-last-year';

/** "Expired in the last year" counts 365 days back. */
export const EXPIRED_LOOKBACK_DAYS = 365;

/**
 * Which of Partner Center's "expiring granular relationships" filters (R8, portals.md) a
 * state falls in at `now`, the narrowest one: `within-1`/`within-7`/`within-30` (days
 * left, counted as in {@link daysUntil}), `after-30`, or `expired-last-year` (ended at
 * most 365 days ago). Auto-extending relationships are included by their next extension
 * date, as Partner Center lists them to let the partner switch auto-extend off. Pending,
 * terminated and unknown relationships, and those ended longer ago, give `null`.
 */
export function expiringFilter(state: RelationshipState, now: Date): ExpiringFilter | null {
  const end = toDate(state.endDate);
  if (end === null) return null;
  const live = state.kind === 'active' || state.kind === 'expiring';
  if (live && end.getTime() > now.getTime()) {
    const days = daysUntil(end, now);
    if (days <= 1) return 'within-1';
    if (days <= 7) return 'within-7';
    if (days <= 30) return 'within-30';
    return 'after-30';
  }
  if (live || state.kind === 'expired') {
    const ago = now.getTime() - end.getTime();
    return ago >= 0 && ago <= EXPIRED_LOOKBACK_DAYS * DAY_MS ? 'expired-last-year' : null;
  }
  return null;
}

/**
 * Whether a state shows under a Partner Center filter. The "within" windows nest, as the
 * portal's do: a relationship ending within 1 day also shows under 7 and 30 days.
 */
export function inExpiringFilter(state: RelationshipState, filter: ExpiringFilter, now: Date): boolean {
  const actual = expiringFilter(state, now);
  if (actual === null) return false;
  if (actual === filter) return true;
  const nested: Record<ExpiringFilter, readonly ExpiringFilter[]> = {
    'within-1': [],
    'within-7': ['within-1'],
    'within-30': ['within-1', 'within-7'],
    'after-30': [],
    'expired-last-year': [],
  };
  return nested[filter].includes(actual);
}
