/**
 * What the toolbar badge counts and which desktop notifications are due, from the cache's
 * expiry list (`RelationshipCache.getExpiring(30, now)`). Pure: no browser API, no words
 * (the background worker localises and shows them), `now` always passed in.
 *
 * Every decision goes through {@link relationshipState}, the one state model, recomputed at
 * the `now` given here (the entries may have been read a little earlier):
 * - a relationship "ends" when it is active/expiring and does not auto-extend. An
 *   auto-extending one never ends (R4); one that includes Global Administrator cannot
 *   auto-extend whatever its `autoExtendDuration` says (R6), so it ends;
 * - a pending request lapses 90 days after it was created (R2).
 *
 * Reminders follow Partner Center's (portals.md): 30, 7 and 1 days before the end, when
 * auto-extend is off. Each `${relationshipId}:${threshold}` key is sent once; the caller
 * keeps the set of sent keys (storage) and prunes it with {@link pruneSent}.
 */
import type { ExpiringEntry } from '../store/cache';
import type { Relationship } from '../gdap/schema';
import { GUID_RE as GUID } from '../ids';
import { relationshipState, type RelationshipState } from '../gdap/state';

/** Days before the end (or lapse) within which the badge counts a relationship. */
export const BADGE_WINDOW_DAYS = 7;
/** Partner Center's reminder thresholds, widest first. */
export const REMINDER_THRESHOLDS = [30, 7, 1] as const;
export type ReminderThreshold = (typeof REMINDER_THRESHOLDS)[number];
/** Largest number the badge shows; above it, `99+`. */
export const BADGE_MAX = 99;

/** What the badge and reminders need of an entry (an {@link ExpiringEntry} fits). */
export type AlertEntry = Pick<ExpiringEntry, 'relationship'>;

/** The state at `now` of relationships that end without auto-extending (R4, R6); `null` otherwise. */
function endingState(rel: Relationship, now: Date): RelationshipState | null {
  const state = relationshipState(rel, undefined, now);
  if (state.kind !== 'active' && state.kind !== 'expiring') return null;
  if (state.autoExtend === 'on') return null; // R4: it moves on by 180 days, it does not end
  if (state.daysLeft === null || state.daysLeft <= 0 || state.endDate === null) return null;
  return state;
}

/** The state at `now` of a pending request (R2), with its days until the lapse; `null` otherwise. */
function pendingState(rel: Relationship, now: Date): RelationshipState | null {
  const state = relationshipState(rel, undefined, now);
  return state.kind === 'pending' && state.daysLeft !== null && state.daysLeft > 0 ? state : null;
}

/** Each relationship once (the first entry wins). */
function uniqueRelationships(entries: readonly AlertEntry[]): Relationship[] {
  const seen = new Set<string>();
  const out: Relationship[] = [];
  for (const entry of entries) {
    const rel = entry?.relationship;
    if (rel === undefined || rel === null || typeof rel.id !== 'string' || seen.has(rel.id)) continue;
    seen.add(rel.id);
    out.push(rel);
  }
  return out;
}

/**
 * The badge number: relationships that end within {@link BADGE_WINDOW_DAYS} days without
 * auto-extend (R4: auto-extending ones never count; R6: Global Administrator ones cannot
 * auto-extend, so they count), plus pending requests within 7 days of their 90-day lapse
 * (R2). Days as the state model counts them (any part of a day counts as a day).
 */
export function badgeCount(entries: readonly AlertEntry[], now: Date): number {
  let n = 0;
  for (const rel of uniqueRelationships(entries)) {
    const state = endingState(rel, now) ?? pendingState(rel, now);
    if (state !== null && state.daysLeft !== null && state.daysLeft <= BADGE_WINDOW_DAYS) n++;
  }
  return n;
}

/** The badge text: `''` for none (no badge), the number, or `99+` above 99. */
export function badgeText(n: number): string {
  if (!Number.isFinite(n) || n <= 0) return '';
  const whole = Math.floor(n);
  if (whole <= 0) return '';
  return whole > BADGE_MAX ? `${BADGE_MAX}+` : String(whole);
}

/** One reminder to show; words are the background's job. */
export interface ExpiryNotification {
  /** `${relationshipId}:${threshold}`; also a good notification id. */
  key: string;
  relationshipId: string;
  customerTenantId: string | null;
  customerName: string | null;
  relationshipName: string;
  /** Whole days left at `now` (1 … 30). */
  daysLeft: number;
  /** The narrowest threshold reached. */
  threshold: ReminderThreshold;
  /** ISO date the access ends. */
  endDate: string;
}

export interface DueNotifications {
  /** At most one per relationship, soonest end first. */
  notifications: ExpiryNotification[];
  /**
   * The new set of sent keys (the input is not modified): the input plus every threshold
   * reached now, including the wider ones skipped, so they are never sent later.
   */
  sent: Set<string>;
}

export function reminderKey(relationshipId: string, threshold: ReminderThreshold): string {
  return `${relationshipId}:${threshold}`;
}

/**
 * The reminders to send now. For each relationship ending without auto-extend, the
 * thresholds it has reached (days left ≤ 30, 7, 1): only the narrowest is sent, and only
 * if its key is not in `sent`; every reached key is marked in the returned set. A
 * relationship at 5 days that never got its 30-day reminder gets the 7-day one only.
 */
export function dueNotifications(entries: readonly AlertEntry[], sent: ReadonlySet<string>, now: Date): DueNotifications {
  const next = new Set(sent);
  const notifications: ExpiryNotification[] = [];
  for (const rel of uniqueRelationships(entries)) {
    const state = endingState(rel, now);
    if (state === null || state.daysLeft === null || state.endDate === null) continue;
    const daysLeft = state.daysLeft;
    const reached = REMINDER_THRESHOLDS.filter((t) => daysLeft <= t);
    const narrowest = reached[reached.length - 1];
    if (narrowest === undefined) continue;
    const key = reminderKey(rel.id, narrowest);
    if (!sent.has(key)) {
      notifications.push({
        key,
        relationshipId: rel.id,
        customerTenantId: rel.customer.tenantId,
        customerName: rel.customer.displayName,
        relationshipName: rel.displayName,
        daysLeft,
        threshold: narrowest,
        endDate: state.endDate,
      });
    }
    for (const t of reached) next.add(reminderKey(rel.id, t));
  }
  notifications.sort(
    (a, b) => a.daysLeft - b.daysLeft || Date.parse(a.endDate) - Date.parse(b.endDate) || (a.relationshipId < b.relationshipId ? -1 : a.relationshipId > b.relationshipId ? 1 : 0),
  );
  return { notifications, sent: next };
}

/**
 * The sent keys whose relationship is still in `currentRelationshipIds` (a new set). Pass
 * the ids of every cached relationship to forget deleted ones; pass the ids of the
 * entries currently ending (reason `ending` of `getExpiring(30, now)`) to also re-arm the
 * reminders of a relationship that was extended. Do not prune after a failed cache read:
 * an empty list would forget every key and repeat reminders already sent.
 */
export function pruneSent(sent: ReadonlySet<string>, currentRelationshipIds: Iterable<string>): Set<string> {
  const current = new Set(currentRelationshipIds);
  const out = new Set<string>();
  for (const key of sent) {
    const colon = key.lastIndexOf(':'); // ids are opaque: split at the last colon
    if (colon <= 0) continue;
    if (current.has(key.slice(0, colon))) out.add(key);
  }
  return out;
}


/** Partner Center's customer list (the fallback of {@link partnerCenterCustomerUrl}). */
export const PARTNER_CENTER_CUSTOMERS_URL = 'https://partner.microsoft.com/dashboard/v2/customers/list';

/**
 * Partner Center's page of one customer's admin relationships (where a reminder leads).
 * The tenant id must be a GUID (it goes into a URL path); anything else gives the customer
 * list instead.
 */
export function partnerCenterCustomerUrl(tenantId: string | null | undefined): string {
  const id = typeof tenantId === 'string' ? tenantId.trim() : '';
  if (!GUID.test(id)) return PARTNER_CENTER_CUSTOMERS_URL;
  return `https://partner.microsoft.com/dashboard/v2/customers/${id.toLowerCase()}/adminrelationships`;
}
