import { defineExtensionMessaging } from '@webext-core/messaging';
import * as v from 'valibot';
import type { Account, AuthStatus } from '../auth/types';
import type { AccessAssignment, Relationship } from '../gdap/schema';
import type { RoleLine } from '../gdap/role-ids';
import type { RelationshipState } from '../gdap/state';
import type { CustomerSummary } from '../gdap/summary';
import type { BadgeDetails, BadgeModel } from '../portals/badge-model';
import type { BadgeIndex } from '../portals/pill';
import { ADMIN_PAGE_LIMITS, RISK_REASONS, type InvitationView, type PartnersAnalysis } from '../portals/admin-model';
import type { Settings } from '../settings';
import { GUID_RE as GUID } from '../ids';

/**
 * The one typed protocol between content scripts, the popup, the options page and the
 * background. Every command has a payload schema and a sender policy (./router.ts checks
 * both before a handler runs); anything else is dropped. Nothing that crosses it ever
 * carries a token.
 */

// ---------------------------------------------------------------------------
// What crosses the boundary (JSON-safe views)
// ---------------------------------------------------------------------------

export interface RelationshipView {
  relationship: Relationship;
  state: RelationshipState;
  /** `null` when not loaded. */
  assignments: AccessAssignment[] | null;
  /** Role names and risks from the background's role catalog (content scripts do not ship it). */
  roles?: RoleLine[];
}

export interface SyncStatusView {
  running: boolean;
  lastSuccess: string | null;
  lastAttempt: string | null;
  lastError: { kind: string; messageKey: string } | null;
  counts: { relationships: number; customers: number; assignments: number; skipped: number } | null;
  durationMs: number | null;
  /**
   * IndexedDB write time (ms) of the last successful sync this worker ran; `null` before
   * one (the worker keeps it in memory only, so a restarted worker says `null`).
   */
  writeMs: number | null;
  /** R1: the last sync found nothing, which usually means the account is not an admin agent. */
  emptyHint: 'admin-agent-role' | null;
}

export interface StatusView {
  auth: AuthStatus;
  sync: SyncStatusView;
  settings: Settings;
}

/** Result of an action: plain outcome, with a message key the UI localises. */
export type ActionResult<T = undefined> =
  | ({ ok: true } & (T extends undefined ? unknown : { value: T }))
  | { ok: false; error: { kind: string; messageKey: string; detail?: string } };

/** A customer the popup's picker offers (searchCustomers). */
export interface CustomerChoice {
  tenantId: string;
  displayName: string;
  /** Domains the cache knows for the customer (Graph's customer list has none: often `[]`). */
  domains: string[];
}

/** R19: one problem with a relationship name (checkRelationshipName). */
export interface NameIssueView {
  code: 'empty' | 'too-long' | 'duplicate' | 'recently-ended';
  /** One of the existing `action.error.name*` keys. */
  messageKey: string;
  /** `recently-ended` only: ISO date-time from which the name may be used again; `null` otherwise or when unknown. */
  reusableFrom: string | null;
}

/**
 * One relationship's outcome in setAutoExtendMany. `unchanged: true` when the cached
 * relationship was already in the requested state, so nothing was sent to Graph.
 */
export interface AutoExtendOutcome {
  id: string;
  ok: boolean;
  error?: { kind: string; messageKey: string };
  unchanged?: true;
}

export interface CsvExport {
  /** `gdap-relationships-YYYY-MM-DD.csv` (local date). */
  filename: string;
  /** UTF-8 text with a BOM, CRLF line ends (utils/gdap/csv.ts). */
  csv: string;
}

export interface InvitationCreated {
  relationship: RelationshipView;
  /** The link the customer opens to approve (shared/graph-contract.md). */
  invitationUrl: string;
}

// ---------------------------------------------------------------------------
// Payload schemas
// ---------------------------------------------------------------------------

/** The most customers or relationships one `getBadges` message may ask for. */
export const BADGE_BATCH = 1000;

const Tenant = v.pipe(v.string(), v.regex(GUID));
/** Relationship IDs are opaque; bounded and URL-safe is all we ask. */
const RelationshipId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9._~-]{1,200}$/));
const Empty = v.optional(v.union([v.undefined(), v.null(), v.strictObject({})]));

const PageText = v.pipe(v.string(), v.maxLength(ADMIN_PAGE_LIMITS.text));

export const PAYLOADS = {
  openOptions: Empty,
  getStatus: Empty,
  getSummaries: v.strictObject({ tenantIds: v.pipe(v.array(Tenant), v.maxLength(BADGE_BATCH)) }),
  getCustomerRelationships: v.strictObject({ tenantId: Tenant }),
  getRelationship: v.strictObject({ id: RelationshipId }),
  getRelationships: v.strictObject({ ids: v.pipe(v.array(RelationshipId), v.maxLength(BADGE_BATCH)) }),
  getBadges: v.strictObject({
    tenantIds: v.pipe(v.array(Tenant), v.maxLength(BADGE_BATCH)),
    relationshipIds: v.pipe(v.array(RelationshipId), v.maxLength(BADGE_BATCH)),
  }),
  getBadgeDetails: v.union([v.strictObject({ tenantId: Tenant }), v.strictObject({ relationshipId: RelationshipId })]),
  getBadgeIndex: v.strictObject({ kind: v.picklist(['customers', 'relationships']) }),
  getExpiring: v.strictObject({ days: v.picklist([1, 7, 30]) }),
  signIn: Empty,
  signOut: Empty,
  syncNow: Empty,
  saveSettings: v.strictObject({
    cloud: v.optional(v.picklist(['global', 'usgov-l4', 'usgov-l5', 'china'])),
    clientId: v.optional(v.pipe(v.string(), v.maxLength(64))),
    tenant: v.optional(v.pipe(v.string(), v.maxLength(256))),
    syncIntervalHours: v.optional(v.number()),
    notifications: v.optional(v.boolean()),
  }),
  setAutoExtend: v.strictObject({ id: RelationshipId, on: v.boolean() }),
  createInvitation: v.strictObject({
    displayName: v.pipe(v.string(), v.maxLength(200)),
    durationDays: v.pipe(v.number(), v.integer()),
    roleIds: v.pipe(v.array(Tenant), v.minLength(1), v.maxLength(150)),
    customerTenantId: v.optional(Tenant),
    autoExtend: v.boolean(),
  }),
  terminate: v.strictObject({ id: RelationshipId }),
  searchCustomers: v.strictObject({
    query: v.pipe(v.string(), v.maxLength(200)),
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(50))),
  }),
  checkRelationshipName: v.strictObject({ name: v.pipe(v.string(), v.maxLength(200)) }),
  suggestRelationshipName: v.strictObject({ customerName: v.pipe(v.string(), v.maxLength(300)) }),
  setAutoExtendMany: v.strictObject({
    ids: v.pipe(v.array(RelationshipId), v.minLength(1), v.maxLength(1000)),
    on: v.boolean(),
  }),
  exportCsv: Empty,
  // The admin center's pages as utils/portals/admin-center-dom.ts reads them (texts only).
  analyzePartners: v.strictObject({
    rows: v.pipe(
      v.array(
        v.strictObject({
          types: PageText,
          roles: v.pipe(v.array(PageText), v.maxLength(ADMIN_PAGE_LIMITS.roles)),
          end: v.nullable(v.strictObject({ datetime: v.nullable(PageText), text: PageText })),
        }),
      ),
      v.maxLength(ADMIN_PAGE_LIMITS.rows),
    ),
  }),
  analyzeInvitation: v.strictObject({
    roles: v.pipe(v.array(v.strictObject({ name: PageText, id: v.nullable(PageText) })), v.minLength(1), v.maxLength(ADMIN_PAGE_LIMITS.roles)),
    duration: v.nullable(PageText),
    autoExtend: v.nullable(PageText),
  }),
} as const;

export type Command = keyof typeof PAYLOADS;
export type Payload<C extends Command> = v.InferOutput<(typeof PAYLOADS)[C]>;

/**
 * Who may send a command: `own` = any context of this extension (its pages and its content
 * scripts on the portals); `page` = only this extension's own pages (options, popup);
 * `admin-center` = only this extension's content script on the Microsoft 365 admin center
 * (the customer's view, which needs no sign-in and no cache).
 * Sign-in, settings and actions that create or end access stay out of content scripts, and
 * so do the popup's quick actions (the customer list, name checks, bulk auto-extend, the CSV
 * export of the whole cache): a portal page has no need of them.
 */
export type SenderPolicy = 'own' | 'page' | 'admin-center';

export const POLICY: Readonly<Record<Command, SenderPolicy>> = {
  openOptions: 'own',
  getStatus: 'own',
  getSummaries: 'own',
  getCustomerRelationships: 'own',
  getRelationship: 'own',
  getRelationships: 'own',
  getBadges: 'own',
  getBadgeDetails: 'own',
  getBadgeIndex: 'own',
  getExpiring: 'own',
  setAutoExtend: 'own',
  syncNow: 'page',
  signIn: 'page',
  signOut: 'page',
  saveSettings: 'page',
  createInvitation: 'page',
  terminate: 'page',
  searchCustomers: 'page',
  checkRelationshipName: 'page',
  suggestRelationshipName: 'page',
  setAutoExtendMany: 'page',
  exportCsv: 'page',
  analyzePartners: 'admin-center',
  analyzeInvitation: 'admin-center',
};

/** What each command answers. */
export interface Results {
  openOptions: void;
  getStatus: StatusView;
  getSummaries: Record<string, CustomerSummary>;
  getCustomerRelationships: RelationshipView[];
  getRelationship: RelationshipView | null;
  /** By id; `null` for an id that is not cached. */
  getRelationships: Record<string, RelationshipView | null>;
  /**
   * The inline badges' models, computed by the background at the time of the request: one
   * per requested customer (R25; `none` when it has no relationship), and one per cached
   * relationship (an id the cache does not know is left out: it gets no badge).
   */
  getBadges: { customers: Record<string, BadgeModel>; relationships: Record<string, BadgeModel> };
  /** What a badge's details list: a customer's relationships or one; `null` when not cached. */
  getBadgeDetails: BadgeDetails | null;
  /**
   * Every cached customer's (or relationship's) pill at once, so that a grid's badges need
   * no round trip when its rows arrive; `null` when there are more than BADGE_INDEX_MAX
   * (the badges then ask with `getBadges`). Computed at the time of asking.
   */
  getBadgeIndex: BadgeIndex | null;
  getExpiring: Array<RelationshipView & { reason: 'ending' | 'pending-lapse' | 'expired' }>;
  signIn: ActionResult<Account>;
  signOut: ActionResult;
  syncNow: ActionResult<SyncStatusView>;
  saveSettings: ActionResult<Settings>;
  setAutoExtend: ActionResult<RelationshipView>;
  createInvitation: ActionResult<InvitationCreated>;
  terminate: ActionResult<RelationshipView>;
  /** Matches by name, domain or tenant id; an empty query lists the first customers by name. */
  searchCustomers: CustomerChoice[];
  /** `issues: []` when the name can be used (R19). */
  checkRelationshipName: { issues: NameIssueView[] };
  /** A name that passes R19 (unique, at most 50 characters). */
  suggestRelationshipName: { name: string };
  /** One outcome per id, in the order sent. */
  setAutoExtendMany: AutoExtendOutcome[];
  exportCsv: CsvExport;
  /** One badge per row sent, in the same order, and the summary of them all ({@link ANSWERS}). */
  analyzePartners: PartnersAnalysis;
  /** What the approval panel shows; `null` when the role list names no role (no panel). */
  analyzeInvitation: InvitationView | null;
}

// ---------------------------------------------------------------------------
// Answer schemas (the admin center content script checks the background's answers)
// ---------------------------------------------------------------------------

const Names = v.array(v.string());
const Count = v.pipe(v.number(), v.integer(), v.minValue(0));

const PartnersAnalysisSchema: v.GenericSchema<unknown, PartnersAnalysis> = v.object({
  partners: v.array(
    v.object({
      types: v.object({ reseller: v.boolean(), dap: v.boolean(), gdap: v.boolean() }),
      roleCount: Count,
      gdapEnd: v.nullable(v.string()),
      risk: v.picklist(['high', 'medium', 'low', 'none']),
      reasons: v.array(v.picklist(RISK_REASONS)),
      privilegedRoles: Names,
      roles: v.object({ privileged: Names, other: Names }),
    }),
  ),
  summary: v.object({ total: Count, withAdminAccess: Count, viaDap: Count, withGlobalAdmin: Count }),
});

const InvitationViewSchema: v.GenericSchema<unknown, InvitationView | null> = v.nullable(
  v.object({
    roles: v.array(
      v.object({ id: v.nullable(v.string()), name: v.string(), risk: v.picklist(['high', 'medium', 'low']), explanationKey: v.string() }),
    ),
    durationDays: v.nullable(v.number()),
    endDate: v.nullable(v.string()),
    autoExtend: v.nullable(v.picklist(['on', 'off', 'not-allowed'])),
    exceeds: v.array(v.object({ presetId: v.picklist(['read-only', 'support-tickets']), extraRoleIds: Names })),
  }),
);

/** What the admin center commands may answer; anything else is treated as no answer. */
export const ANSWERS = {
  analyzePartners: PartnersAnalysisSchema,
  analyzeInvitation: InvitationViewSchema,
} as const;

export type ProtocolMap = {
  [C in Command]: (data: Payload<C>) => Results[C];
};

export const { sendMessage, onMessage } = defineExtensionMessaging<ProtocolMap>();

/**
 * storage.local key the background bumps after every change to the cache; content scripts
 * and pages listen with storage.onChanged and refresh without a reload. Holds a number only.
 */
export const CACHE_GENERATION_KEY = 'cache.generation';
/** storage.local key bumped when sign-in, sync or settings change (pages refresh their status). */
export const STATUS_GENERATION_KEY = 'status.generation';
