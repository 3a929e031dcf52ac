/**
 * The view model of the inline GDAP badge (components/badge): pure, no DOM, no words.
 * Everything is derived from THE state model (utils/gdap/state.ts) and the rules, so that
 * a badge reads the same as the popup. The UI turns these codes into text.
 */
import { invitationUrl, partnerCenterRelationshipUrl } from '../gdap/links';
import { PRIVILEGED_AUTHENTICATION_ADMINISTRATOR, type RoleLine } from '../gdap/role-ids';
import { autoExtendEligibility, nextAutoExtendDate } from '../gdap/rules';
import { relationshipState, type AutoExtendState, type RelationshipKind, type RelationshipState } from '../gdap/state';
import { compareUrgency, type CustomerSummary } from '../gdap/summary';
import type { RelationshipView } from '../messaging/protocol';

export type BadgeState = RelationshipKind;
export type BadgeTone = 'ok' | 'warn' | 'danger' | 'muted';
export type BadgeAction = 'enable-auto-extend' | 'copy-invitation';

export interface BadgeModel {
  /** What the badge stands for: one relationship, or all of a customer's (R25). */
  scope: 'relationship' | 'customer';
  state: BadgeState;
  /** The relationship the days and auto-extend refer to; `null` for `none`. */
  relationshipId: string | null;
  /**
   * Whole days left (ceil, as in the state model): `pending` → until the 90-day lapse (R2);
   * `active`/`expiring` → until the effective end, which for an auto-extending
   * relationship is its next extension date (R4). `null` for every other state, for
   * `expired`/`terminated` too (the details show when it ended), and when no date is known.
   */
  daysLeft: number | null;
  /** ISO date `daysLeft` counts to; for `expired`/`terminated` when it ended. */
  endDate: string | null;
  /** `active`/`expiring` only; `not-allowed` = includes Global Administrator (R6). */
  autoExtend: AutoExtendState | null;
  /** Relationship: its roles. Customer: the union of roles of its live relationships (R25). */
  roleCount: number;
  /** R16: in force, but no security group is assigned: nobody can use it. */
  noSecurityGroup: boolean;
  tone: BadgeTone;
  /** 1 for a relationship; a customer's number of relationships, any state (R25). */
  relationshipCount: number;
}

/** Days at or below which an expiring relationship is `danger` and a pending request `warn`. */
export const URGENT_DAYS = 7;

/**
 * The badge's colour, from the most to the least urgent:
 * - `danger`: in force with no security group (R16), or expiring within 7 days (or on an
 *   unknown day);
 * - `warn`: expiring within 30 days (the state model's threshold), or a pending request
 *   that lapses within 7 days (R2);
 * - `ok`: active (auto-extending, or more than 30 days left);
 * - `muted`: nothing to act on now: pending with more than 7 days left, expired,
 *   terminated, unknown status, no GDAP.
 */
export function badgeTone(m: Pick<BadgeModel, 'state' | 'daysLeft' | 'noSecurityGroup'>): BadgeTone {
  const live = m.state === 'active' || m.state === 'expiring';
  if (live && m.noSecurityGroup) return 'danger';
  if (m.state === 'expiring') return m.daysLeft === null || m.daysLeft <= URGENT_DAYS ? 'danger' : 'warn';
  if (m.state === 'pending') return m.daysLeft !== null && m.daysLeft <= URGENT_DAYS ? 'warn' : 'muted';
  return m.state === 'active' ? 'ok' : 'muted';
}

function model(
  scope: BadgeModel['scope'],
  relationshipId: string | null,
  state: Pick<RelationshipState, 'kind' | 'daysLeft' | 'endDate' | 'autoExtend'>,
  roleCount: number,
  noSecurityGroup: boolean,
  relationshipCount: number,
): BadgeModel {
  const days = state.kind === 'pending' || state.kind === 'active' || state.kind === 'expiring' ? state.daysLeft : null;
  const m = {
    scope,
    state: state.kind,
    relationshipId,
    daysLeft: days === null || !Number.isFinite(days) ? null : Math.max(0, Math.round(days)),
    endDate: state.endDate,
    autoExtend: state.autoExtend,
    roleCount,
    noSecurityGroup,
    relationshipCount,
  };
  return { ...m, tone: badgeTone(m) };
}

/**
 * One relationship's badge at `now`. The state is recomputed from the relationship and its
 * assignments with THE state model (the same function that made `view.state`), so a badge
 * that stays on screen counts down correctly. R24: one expiry for the whole relationship.
 */
export function relationshipBadgeModel(view: Pick<RelationshipView, 'relationship' | 'assignments'>, now: Date): BadgeModel {
  const rel = view.relationship;
  const state = relationshipState(rel, view.assignments ?? undefined, now);
  return model('relationship', rel.id, state, rel.roleIds.length, state.noSecurityGroup === true, 1);
}

/**
 * A customer's badge (R25), from the background's summary (states computed at the
 * summary's own time by the state model; `now` is not needed to read it and is accepted so
 * both builders are called alike). The state is the most urgent relationship's; days and
 * auto-extend are that relationship's, except for a healthy `active` customer, where they
 * are the soonest effective end of all its live relationships. Roles: the union of the
 * live relationships' roles. No relationship at all → `none`.
 */
export function customerBadgeModel(summary: CustomerSummary, now: Date): BadgeModel {
  void now;
  const worst = summary.worst;
  if (worst === null || summary.kind === 'none') {
    return model('customer', null, { kind: 'none', daysLeft: null, endDate: null, autoExtend: null }, 0, false, summary.total);
  }
  const soonest = summary.soonestEnd;
  const useSoonest = worst.state.kind === 'active' && soonest !== null;
  const state = useSoonest ? { ...soonest, kind: worst.state.kind } : worst.state;
  return model(
    'customer',
    useSoonest ? soonest.relationshipId : worst.relationshipId,
    state,
    summary.roleIds.length,
    summary.noSecurityGroup,
    summary.total,
  );
}

// ---------------------------------------------------------------------------
// Details
// ---------------------------------------------------------------------------

export type { RoleLine };

export interface RelationshipDetails {
  /** The relationship's own badge model (R24: one expiry for all its roles). */
  model: BadgeModel;
  id: string;
  /** As Graph sent it (may be `''`, may contain markup: render as text only). */
  name: string;
  /** ISO dates: requested, activated (start), the end `model.daysLeft` counts to, next auto-extension (R4). */
  created: string | null;
  start: string | null;
  end: string | null;
  nextAutoExtend: string | null;
  /** Most risky first, then by name. */
  roles: RoleLine[];
  /** `null` while Graph has not filled in the customer's tenant. */
  partnerCenterUrl: string | null;
  /** Approval pending only (the link works once the request is locked for approval). */
  invitationUrl: string | null;
  actions: BadgeAction[];
}

export interface BadgeDetails {
  /** Most urgent first (the summary's order). */
  relationships: RelationshipDetails[];
  /**
   * R10: there are relationships, but none that is pending or in force includes Privileged
   * Authentication Administrator (needed to reset a locked-out customer admin).
   */
  lockoutRecoveryMissing: boolean;
}

/**
 * The roles the details list: the background fills `view.roles` from the role catalog, so the
 * catalog never ships in a content script. Without them, ids stand in for names.
 */
function rolesOf(view: RelationshipView): RoleLine[] {
  return view.roles ?? view.relationship.roleIds.map((id) => ({ id, name: id, risk: 'medium' as const }));
}

/** Everything the details popover shows for one relationship at `now`. */
export function relationshipDetails(view: RelationshipView, now: Date): RelationshipDetails {
  const rel = view.relationship;
  const m = relationshipBadgeModel(view, now);
  const live = m.state === 'active' || m.state === 'expiring';
  const pending = m.state === 'pending' && rel.status === 'approvalPending';
  const actions: BadgeAction[] = [];
  if (live && autoExtendEligibility(rel) === 'allowed') actions.push('enable-auto-extend');
  if (pending) actions.push('copy-invitation');
  const tenantId = rel.customer.tenantId;
  return {
    model: m,
    id: rel.id,
    name: rel.displayName,
    created: rel.createdDateTime,
    start: rel.activatedDateTime,
    end: m.endDate,
    nextAutoExtend: live ? (nextAutoExtendDate(rel, now)?.toISOString() ?? null) : null,
    roles: rolesOf(view),
    partnerCenterUrl: tenantId ? partnerCenterRelationshipUrl(tenantId, rel.id) : null,
    invitationUrl: pending ? invitationUrl(rel.id) : null,
    actions,
  };
}

/** The details of a customer's (or one) relationship(s), most urgent first (R25). */
export function badgeDetails(views: readonly RelationshipView[], now: Date): BadgeDetails {
  const entries = views.map((view) => ({
    view,
    entry: { relationshipId: view.relationship.id, state: relationshipState(view.relationship, view.assignments ?? undefined, now) },
  }));
  entries.sort((a, b) => compareUrgency(a.entry, b.entry));
  const holdsRecovery = entries.some(
    ({ view, entry: { state } }) =>
      (state.kind === 'pending' || state.kind === 'active' || state.kind === 'expiring') &&
      view.relationship.roleIds.some((id) => id.toLowerCase() === PRIVILEGED_AUTHENTICATION_ADMINISTRATOR),
  );
  return {
    relationships: entries.map(({ view }) => relationshipDetails(view, now)),
    lockoutRecoveryMissing: entries.length > 0 && !holdsRecovery,
  };
}
