/**
 * The GDAP data rules of shared/gdap-rules.md, one function per rule. Pure: every function
 * takes `now` explicitly, returns codes (never sentences) and never throws.
 *
 * R29 (an accepted invitation link cannot be reused for another customer) needs no code
 * here: a relationship is created per customer, so its invitation link is too; see
 * {@link suggestRelationshipName}, which names one relationship per customer.
 */
import { DAY_MS, addDuration, daysToDuration, durationToDays, isZeroDuration, parseDuration, type Duration } from './duration';
import { toDate } from './dates';
import { includesGlobalAdministrator } from './role-ids';
import type { AccessAssignment, Relationship, RelationshipStatus } from './schema';

// ---------------------------------------------------------------------------
// Status groups
// ---------------------------------------------------------------------------

/** Waiting for the customer (R2 applies). */
export const PENDING_STATUSES: ReadonlySet<RelationshipStatus> = new Set(['created', 'approvalPending']);
/** Approved and live or about to be: access exists (or is being set up). */
export const LIVE_STATUSES: ReadonlySet<RelationshipStatus> = new Set([
  'approved',
  'activating',
  'active',
  'expiring',
]);
/** Being terminated, not ended yet. */
export const ENDING_STATUSES: ReadonlySet<RelationshipStatus> = new Set(['terminationRequested', 'terminating']);
/** Over: the name is held for 365 days (R19). */
export const ENDED_STATUSES: ReadonlySet<RelationshipStatus> = new Set(['expired', 'terminated']);
/**
 * Graph statuses in which the relationship's access is in force and its settings can be
 * changed: `active`, and Graph's own `expiring`, which is the last phase of an active
 * relationship (life cycle `active → expiring → expired`).
 */
export const IN_FORCE_STATUSES: ReadonlySet<RelationshipStatus> = new Set(['active', 'expiring']);

// ---------------------------------------------------------------------------
// Days
// ---------------------------------------------------------------------------

/**
 * Whole days from `now` until `date`, as a person would say it, for badges:
 * `Math.ceil` of the exact difference, so any part of a day left counts as a day
 * ("ends in 0.2 days" → 1, "ends in 6.5 days" → 7) and a date is never shown as
 * "0 days left" while time remains. Exactly now → 0. Past dates give 0 or a negative
 * number: -1 means "more than a day ago". `-0` is returned as `0`. Invalid dates → NaN.
 */
export function daysUntil(date: Date, now: Date): number {
  const days = Math.ceil((date.getTime() - now.getTime()) / DAY_MS);
  return days === 0 ? 0 : days;
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

// ---------------------------------------------------------------------------
// R2: pending requests lapse after 90 days
// ---------------------------------------------------------------------------

export const PENDING_LAPSE_DAYS = 90;

/** R2: the date an unanswered request lapses, `createdDateTime + 90 days`; `null` without a date. */
export function pendingLapseDate(createdDateTime: string | Date | null | undefined): Date | null {
  const created = toDate(createdDateTime);
  return created === null ? null : addDays(created, PENDING_LAPSE_DAYS);
}

// ---------------------------------------------------------------------------
// R3: duration 1–730 days
// ---------------------------------------------------------------------------

export const MIN_DURATION_DAYS = 1;
export const MAX_DURATION_DAYS = 730;

export type DurationError = 'not-a-duration' | 'too-short' | 'too-long';
export type DurationCheck =
  | { ok: true; /** Length in days (Y = 365, M = 30). */ days: number; /** ISO duration to send. */ duration: string }
  | { ok: false; error: DurationError };

/**
 * R3: checks a relationship duration before any request is sent: 1 to 730 days inclusive.
 *
 * - Strings are trimmed; an ISO 8601 duration (`P730D`, `P2Y`, `P1Y6M`, `PT48H`) or a
 *   plain count of days (`"365"`, for form fields) is accepted.
 * - A number is a count of days (fractions allowed, like `P1.5D`).
 * - Years and months count as 365 and 30 days, **not** calendar lengths, so `P2Y` is 730
 *   days and allowed: Graph documents `P2Y` as the maximum whatever the start date.
 */
export function validateDuration(input: string | number): DurationCheck {
  let days: number;
  let duration: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) return { ok: false, error: 'not-a-duration' };
    days = input;
    duration = daysToDuration(input);
  } else if (typeof input === 'string') {
    const text = input.trim();
    if (/^\d{1,9}$/.test(text)) {
      days = Number(text);
      duration = daysToDuration(days);
    } else {
      const parsed = parseDuration(text);
      if (parsed === null) return { ok: false, error: 'not-a-duration' };
      days = durationToDays(parsed);
      duration = text;
    }
  } else {
    return { ok: false, error: 'not-a-duration' };
  }
  if (days < MIN_DURATION_DAYS) return { ok: false, error: 'too-short' };
  if (days > MAX_DURATION_DAYS) return { ok: false, error: 'too-long' };
  return { ok: true, days, duration };
}

// ---------------------------------------------------------------------------
// R24: one expiry per relationship
// ---------------------------------------------------------------------------

/**
 * R24: the relationship's single expiry (all roles share it): `endDateTime`, or when Graph
 * has not filled it yet, `activatedDateTime + duration` (the contract's definition);
 * `null` while not activated. Auto-extension is not applied here; see {@link effectiveEndDate}.
 */
export function relationshipExpiry(
  rel: Pick<Relationship, 'endDateTime' | 'activatedDateTime' | 'duration'>,
): Date | null {
  const end = toDate(rel.endDateTime);
  if (end !== null) return end;
  const activated = toDate(rel.activatedDateTime);
  const duration = parseDuration(rel.duration);
  if (activated === null || duration === null) return null;
  const computed = addDuration(activated, duration);
  return Number.isFinite(computed.getTime()) ? computed : null;
}

// ---------------------------------------------------------------------------
// R4 / R5 / R6: auto-extend
// ---------------------------------------------------------------------------

export const AUTO_EXTEND_DURATION = 'P180D';

type AutoExtendFields = Pick<
  Relationship,
  'status' | 'autoExtendDuration' | 'roleIds' | 'endDateTime' | 'activatedDateTime' | 'duration'
>;

/** True when `autoExtendDuration` is set to a non-zero duration (`PT0S`/`P0D`/missing = off). */
export function isAutoExtendSet(rel: Pick<Relationship, 'autoExtendDuration'>): boolean {
  const d = parseDuration(rel.autoExtendDuration);
  return d !== null && !isZeroDuration(d);
}

/**
 * The step by which the end date moves (R4), or `null` when the relationship does not
 * auto-extend. A relationship with Global Administrator never auto-extends (R6), even if
 * the data claims otherwise: we never promise an extension that will not happen.
 */
function autoExtendStep(rel: Pick<Relationship, 'autoExtendDuration' | 'roleIds'>): Duration | null {
  if (includesGlobalAdministrator(rel.roleIds)) return null;
  const d = parseDuration(rel.autoExtendDuration);
  return d === null || isZeroDuration(d) ? null : d;
}

/** Largest number of extension steps walked one by one (calendar steps such as `P6M`). */
const MAX_CALENDAR_STEPS = 10_000;

/**
 * Moves `end` forward by `step` until it is after `now` (R4: the end is reached when
 * `now >= end`, and then moves). Returns `null` if the step never gets there.
 */
function advancePast(end: Date, step: Duration, now: Date): Date | null {
  if (end.getTime() > now.getTime()) return end;
  const fixed = step.years === undefined && step.months === undefined;
  if (fixed) {
    const stepMs = durationToDays(step) * DAY_MS;
    if (!(stepMs > 0)) return null;
    const n = Math.floor((now.getTime() - end.getTime()) / stepMs) + 1;
    return new Date(end.getTime() + n * stepMs);
  }
  let current = end;
  for (let i = 0; i < MAX_CALENDAR_STEPS; i++) {
    current = addDuration(current, step);
    const t = current.getTime();
    if (!Number.isFinite(t)) return null;
    if (t > now.getTime()) return current;
  }
  return null;
}

/**
 * R4: the date access actually ends as seen at `now`. For a live relationship that
 * auto-extends, the end moves 180 days (the `autoExtendDuration`) each time it is reached,
 * until it lies after `now` (Graph updates `endDateTime` itself, but cached data may be
 * older). Otherwise the expiry of {@link relationshipExpiry}. `null` when there is no end yet.
 */
export function effectiveEndDate(rel: AutoExtendFields, now: Date): Date | null {
  const end = relationshipExpiry(rel);
  if (end === null) return null;
  if (!LIVE_STATUSES.has(rel.status)) return end;
  const step = autoExtendStep(rel);
  if (step === null) return end;
  return advancePast(end, step, now) ?? end;
}

/**
 * R4: for a live auto-extending relationship, the next date its end moves ("auto-extends
 * on DATE"); `null` when it does not auto-extend or has no end date yet.
 */
export function nextAutoExtendDate(rel: AutoExtendFields, now: Date): Date | null {
  if (!LIVE_STATUSES.has(rel.status) || autoExtendStep(rel) === null) return null;
  return effectiveEndDate(rel, now);
}

export type AutoExtendEligibility = 'allowed' | 'already-on' | 'not-active' | 'global-admin';

/**
 * R5/R6: may the partner switch auto-extend on? Reasons are checked in this order:
 * `global-admin` (R6: never, whatever the status), `not-active` (R5: only relationships
 * in force, Graph `active` or `expiring`), `already-on`, else `allowed` (no customer
 * consent needed, R5).
 */
export function autoExtendEligibility(
  rel: Pick<Relationship, 'status' | 'autoExtendDuration' | 'roleIds'>,
): AutoExtendEligibility {
  if (includesGlobalAdministrator(rel.roleIds)) return 'global-admin';
  if (!IN_FORCE_STATUSES.has(rel.status)) return 'not-active';
  if (isAutoExtendSet(rel)) return 'already-on';
  return 'allowed';
}

// ---------------------------------------------------------------------------
// R18: termination
// ---------------------------------------------------------------------------

/**
 * R18: the partner can terminate a relationship in force (Graph `active`, or `expiring`,
 * the last phase of active). Never one in `approvalPending` or any other status.
 */
export function canTerminate(rel: Pick<Relationship, 'status'>): boolean {
  return IN_FORCE_STATUSES.has(rel.status);
}

// ---------------------------------------------------------------------------
// R19: names
// ---------------------------------------------------------------------------

export const MAX_NAME_LENGTH = 50;
export const NAME_REUSE_DAYS = 365;

export type NameIssue =
  | { code: 'empty' }
  /** `length` is in UTF-16 code units, as Graph (.NET) counts. */
  | { code: 'too-long'; length: number; max: number }
  | { code: 'duplicate'; relationshipId: string }
  /** `reusableFrom` is `null` when the ended relationship carries no date at all. */
  | { code: 'recently-ended'; relationshipId: string; reusableFrom: Date | null };

type NamedRelationship = Pick<Relationship, 'id' | 'displayName' | 'status' | 'endDateTime' | 'lastModifiedDateTime'>;

/** Case-insensitive comparison key: trimmed, NFC, lower-case (locale-independent). */
function nameKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase();
}

/**
 * When an ended relationship ended. Expired: its `endDateTime`. Terminated: the earlier of
 * `endDateTime` and `lastModifiedDateTime`, since `endDateTime` may still hold the planned
 * end while the termination itself is the last modification. `null` when no date is known.
 */
export function endedAt(rel: Pick<Relationship, 'status' | 'endDateTime' | 'lastModifiedDateTime'>): Date | null {
  const end = toDate(rel.endDateTime);
  const modified = toDate(rel.lastModifiedDateTime);
  if (rel.status === 'expired') return end ?? modified;
  const known = [end, modified].filter((d): d is Date => d !== null);
  if (known.length === 0) return null;
  return new Date(Math.min(...known.map((d) => d.getTime())));
}

/**
 * R19: checks a relationship name against the partner's cached relationships. The name is
 * judged trimmed (send it trimmed). Returns every issue found, `[]` when the name is fine:
 * - `empty`: nothing but whitespace;
 * - `too-long`: more than 50 UTF-16 code units (`String.length`, which is how Graph's .NET
 *   back end counts; an emoji counts 2);
 * - `duplicate`: same name, case-insensitively, as a relationship that has not ended
 *   (pending, live, being terminated or of unknown status);
 * - `recently-ended`: same name as an expired or terminated relationship that ended less
 *   than 365 days before `now`; `reusableFrom` = end + 365 days (the latest, if several).
 * `ignoreId` leaves out the relationship being renamed.
 */
export function validateRelationshipName(
  name: string,
  existing: readonly NamedRelationship[],
  now: Date,
  options: { ignoreId?: string } = {},
): NameIssue[] {
  const trimmed = name.trim();
  if (trimmed.length === 0) return [{ code: 'empty' }];
  const issues: NameIssue[] = [];
  if (trimmed.length > MAX_NAME_LENGTH) {
    issues.push({ code: 'too-long', length: trimmed.length, max: MAX_NAME_LENGTH });
  }
  const key = nameKey(trimmed);
  const same = existing.filter((r) => r.id !== options.ignoreId && nameKey(r.displayName) === key);

  const live = same.find((r) => !ENDED_STATUSES.has(r.status));
  if (live) issues.push({ code: 'duplicate', relationshipId: live.id });

  // Ended relationships whose name is still held; an unknown end date holds it indefinitely.
  const held = same
    .filter((r) => ENDED_STATUSES.has(r.status))
    .map((r) => {
      const ended = endedAt(r);
      return { id: r.id, reusableFrom: ended === null ? null : addDays(ended, NAME_REUSE_DAYS) };
    })
    .filter((h) => h.reusableFrom === null || h.reusableFrom.getTime() > now.getTime());
  const heldUntil = (h: { reusableFrom: Date | null }): number => h.reusableFrom?.getTime() ?? Infinity;
  const longest = held.reduce<(typeof held)[number] | null>(
    (best, h) => (best === null || heldUntil(h) > heldUntil(best) ? h : best),
    null,
  );
  if (longest) issues.push({ code: 'recently-ended', relationshipId: longest.id, reusableFrom: longest.reusableFrom });
  return issues;
}

/** Cuts a string to at most `max` UTF-16 units without splitting a surrogate pair. */
function truncateUtf16(s: string, max: number): string {
  let out = '';
  for (const ch of s) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out.trimEnd();
}

/**
 * Characters Graph accepts in names are undocumented (some are refused with 400), so the
 * suggestion keeps only letters, marks, digits, spaces, `-`, `_` and `.`, and collapses
 * whitespace.
 */
function sanitizeForName(s: string): string {
  return s
    .normalize('NFC')
    .replace(/[^\p{L}\p{M}\p{N} ._-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * R19: a name for a new relationship with `customerName` that passes
 * {@link validateRelationshipName}: `"{customer} GDAP"`, then `"{customer} GDAP 2"`, `… 3`
 * and so on, the customer part shortened so the whole stays within 50 UTF-16 units.
 * One relationship per customer (R29), so the customer's name is the natural base.
 */
export function suggestRelationshipName(
  customerName: string,
  existing: readonly NamedRelationship[],
  now: Date,
): string {
  const customer = sanitizeForName(customerName);
  // Each existing relationship can block at most one candidate, so this always finds one.
  for (let i = 1; i <= existing.length + 1; i++) {
    const suffix = i === 1 ? 'GDAP' : `GDAP ${i}`;
    const room = MAX_NAME_LENGTH - suffix.length - 1;
    const head = truncateUtf16(customer, room);
    const candidate = head === '' ? suffix : `${head} ${suffix}`;
    if (validateRelationshipName(candidate, existing, now).length === 0) return candidate;
  }
  // Unreachable by the pigeonhole argument above; still a valid-length name.
  return `GDAP ${now.getTime()}`.slice(0, MAX_NAME_LENGTH);
}

// ---------------------------------------------------------------------------
// R16: no security group
// ---------------------------------------------------------------------------

/**
 * R16: true when the relationship is in force (Graph `active`/`expiring`) but no access
 * assignment is `active` or `pending`, so no partner user can use it.
 */
export function hasNoSecurityGroup(
  rel: Pick<Relationship, 'status'>,
  assignments: readonly Pick<AccessAssignment, 'status'>[],
): boolean {
  if (!IN_FORCE_STATUSES.has(rel.status)) return false;
  return !assignments.some((a) => a.status === 'active' || a.status === 'pending');
}

// ---------------------------------------------------------------------------
// R27: DAP and GDAP
// ---------------------------------------------------------------------------

export type DapGdapPrecedence = 'dap-only' | 'gdap-only' | 'dap-and-gdap-gdap-wins' | 'none';

/** R27: which model applies; with both, GDAP takes precedence for users in GDAP groups. */
export function dapGdapPrecedence(input: { hasDap: boolean; hasGdap: boolean }): DapGdapPrecedence {
  if (input.hasDap && input.hasGdap) return 'dap-and-gdap-gdap-wins';
  if (input.hasDap) return 'dap-only';
  if (input.hasGdap) return 'gdap-only';
  return 'none';
}
