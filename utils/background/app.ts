/**
 * The background worker's logic, composed from the services in utils/: sign-in, the Graph
 * client, the cache, the sync scheduler, alerts and the message handlers. The entry point
 * (entrypoints/background.ts) only wires browser events to it, so all of this runs in unit
 * tests with in-memory storage and fake-indexeddb.
 */
import * as v from 'valibot';
import { createAuthService } from '../auth/service';
import { AuthError, type AuthService } from '../auth/types';
import { describeAuthErrorKey } from '../auth/errors';
import { badgeCount, badgeText, dueNotifications, partnerCenterCustomerUrl, pruneSent } from '../alerts/alerts';
import { relationshipState } from '../gdap/state';
import {
  autoExtendEligibility,
  canTerminate,
  isAutoExtendSet,
  suggestRelationshipName,
  validateDuration,
  validateRelationshipName,
  type NameIssue,
} from '../gdap/rules';
import { includesGlobalAdministrator, roleLines } from '../gdap/roles';
import { invitationUrl } from '../gdap/links';
import { csvFilename, relationshipCsvRow, relationshipsCsv, type RelationshipCsvRow } from '../gdap/csv';
import { toIso } from '../gdap/dates';
import type { Relationship } from '../gdap/schema';
import { createGraphClient, describeErrorKind, forEachBounded, GraphError, type GraphClient } from '../graph/client';
import { CLOUDS, type CloudId } from '../graph/clouds';
import type {
  AutoExtendOutcome,
  Command,
  CustomerChoice,
  RelationshipView,
  Results,
  StatusView,
  SyncStatusView,
} from '../messaging/protocol';
import { ANSWERS, CACHE_GENERATION_KEY, STATUS_GENERATION_KEY } from '../messaging/protocol';
import type { Handlers } from '../messaging/router';
import { createReadGate } from './read-gate';
import { badgeDetails, customerBadgeModel, relationshipBadgeModel } from '../portals/badge-model';
import { BADGE_INDEX_MAX, encodePill, type BadgeIndex, type PillCode } from '../portals/pill';
import { summarizeCustomer } from '../gdap/summary';
import { analyzeInvitationTexts, analyzePartnerTexts } from '../portals/admin-risk';
import { loadSettings, saveSettings, type Settings } from '../settings';
import { createRelationshipCache, MAX_SEARCH_LIMIT, type CachedRelationship, type CustomerMatch, type RelationshipCache } from '../store/cache';
import { searchKey } from '../store/db';
import type { KeyValueArea } from '../storage-area';
import { alarmPeriodMinutes, createSyncScheduler, shouldSyncOnStartup, SYNC_ALARM, type SyncScheduler } from '../sync/scheduler';
import { runSync, syncErrorMessageKey, type SyncErrorKind } from '../sync/sync';

/** What the background needs from the browser; entrypoints/background.ts provides it. */
export interface BackgroundPlatform {
  /** browser.identity.getRedirectURL() */
  redirectUri: string;
  /** browser.storage.local: settings and non-secret state only. */
  local: KeyValueArea;
  /** browser.storage.session: the only persistent place for tokens. */
  session: KeyValueArea;
  launchWebAuthFlow(url: string, interactive: boolean): Promise<string>;
  fetch: typeof fetch;
  idbFactory?: IDBFactory;
  setBadge(text: string, title: string): Promise<void>;
  notify(id: string, title: string, message: string): Promise<void>;
  openTab(url: string): Promise<void>;
  openOptions(): Promise<void>;
  /** Creates (or, with null, clears) the periodic sync alarm. */
  setAlarm(name: string, periodMinutes: number | null): Promise<void>;
  /** Localised text for notifications and the badge's tooltip. */
  t(key: string, substitutions?: Array<string | number>): string;
  now?: () => Date;
}

const SENT_KEY = 'alerts.sent';
const NAME_ISSUE_KEYS: Record<NameIssue['code'], string> = {
  empty: 'action.error.nameEmpty',
  'too-long': 'action.error.nameTooLong',
  duplicate: 'action.error.nameDuplicate',
  'recently-ended': 'action.error.nameRecentlyEnded',
};
/**
 * A relationship this partner created that never went out for approval (status `created`),
 * asking for exactly what `input` asks: the same name, roles, duration, auto-extend and
 * customer. Creating it again would fail on its name; locking it finishes the request.
 */
function isUnfinishedRequest(
  rel: Relationship,
  input: { displayName: string; roleIds: readonly string[]; autoExtend: boolean; customerTenantId?: string | undefined },
  duration: string,
): boolean {
  const roles = new Set(input.roleIds.map((id) => id.toLowerCase()));
  const autoExtend = rel.autoExtendDuration !== null && !['PT0S', 'P0D'].includes(rel.autoExtendDuration);
  return (
    rel.status === 'created' &&
    rel.displayName.trim() === input.displayName.trim() &&
    rel.duration === duration &&
    autoExtend === input.autoExtend &&
    (rel.customer.tenantId ?? '').toLowerCase() === (input.customerTenantId ?? '').toLowerCase() &&
    rel.roleIds.length === roles.size &&
    rel.roleIds.every((id) => roles.has(id))
  );
}

const HINT_KEY = 'sync.emptyHint';
/** Customers the picker shows when the popup does not say how many. */
const PICKER_LIMIT = 20;
/** Relationships whose auto-extend setAutoExtendMany changes at once (Graph calls in flight). */
const BULK_CONCURRENCY = 4;

type Failure = { ok: false; error: { kind: string; messageKey: string; detail?: string } };
/** The outcome of one auto-extend change, before the cache is told. */
type AutoExtendStep = { ok: true; relationship: Relationship; changed: boolean } | (Failure & { stopAll: boolean });

/** The picker's view of a cached customer: no `source`/`matchedOn`, a copy of the domains. */
function customerChoice(m: CustomerMatch): CustomerChoice {
  return { tenantId: m.tenantId, displayName: m.displayName, domains: [...m.domains] };
}

/** By name (search form: NFKC, lower case; nameless last), then tenant id. */
function compareCustomers(a: CustomerMatch, b: CustomerMatch): number {
  const an = searchKey(a.displayName);
  const bn = searchKey(b.displayName);
  if ((an === '') !== (bn === '')) return an === '' ? 1 : -1;
  if (an !== bn) return an < bn ? -1 : 1;
  return a.tenantId < b.tenantId ? -1 : a.tenantId > b.tenantId ? 1 : 0;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface BackgroundApp {
  handlers: Handlers;
  auth: AuthService;
  cache: RelationshipCache;
  scheduler: SyncScheduler;
  onAlarm(name: string): Promise<void>;
  /** Worker start: schedule, and sync when the cache is stale. */
  onStartup(): Promise<void>;
  onNotificationClicked(id: string): Promise<void>;
}

/**
 * Commands that only read, and never wait for the alerts: while one is being answered,
 * reminders wait (see refreshAlertsNow).
 */
const READ_COMMANDS = [
  'getStatus',
  'getSummaries',
  'getCustomerRelationships',
  'getRelationship',
  'getRelationships',
  'getBadges',
  'getBadgeDetails',
  'getExpiring',
  'searchCustomers',
  'checkRelationshipName',
  'suggestRelationshipName',
  'exportCsv',
] as const satisfies readonly Command[];

export function createBackgroundApp(p: BackgroundPlatform): BackgroundApp {
  const now = p.now ?? (() => new Date());
  const cache = createRelationshipCache({ ...(p.idbFactory ? { factory: p.idbFactory } : {}), clock: now });
  const auth = createAuthService({
    config: async () => {
      const s = await loadSettings(p.local);
      return s.clientId ? { cloud: s.cloud, clientId: s.clientId, tenant: s.tenant } : null;
    },
    redirectUri: p.redirectUri,
    launchWebAuthFlow: p.launchWebAuthFlow,
    session: p.session,
    fetch: p.fetch,
    now: () => now().getTime(),
  });

  let graph: { cloud: CloudId; client: GraphClient } | null = null;
  const graphFor = (cloud: CloudId): GraphClient => {
    if (graph?.cloud !== cloud) {
      graph = {
        cloud,
        client: createGraphClient({
          graphOrigin: CLOUDS[cloud].graph,
          getAccessToken: (ctx) => auth.getAccessToken(ctx),
          fetch: p.fetch,
        }),
      };
    }
    return graph.client;
  };

  const bump = async (key: string) => p.local.set(key, Date.now() + Math.random());

  const scheduler = createSyncScheduler({
    now,
    run: async (signal) => {
      const settings = await loadSettings(p.local);
      const status = await auth.status();
      return runSync({
        graph: graphFor(settings.cloud),
        cache,
        partnerTenantId: status.state === 'signed-in' ? status.account.tenantId : null,
        now,
        signal,
      });
    },
  });
  /** IndexedDB write time of the last successful sync (SyncStatusView.writeMs). */
  let lastWriteMs: number | null = null;
  scheduler.onChange((event) => {
    if (event.type === 'finished' && event.outcome.ok) lastWriteMs = event.outcome.writeMs;
    void (async () => {
      if (event.type === 'finished') {
        if (event.outcome.ok) {
          await p.local.set(HINT_KEY, event.outcome.emptyHint);
          await bump(CACHE_GENERATION_KEY);
          await refreshAlerts();
        }
      }
      await bump(STATUS_GENERATION_KEY);
    })().catch(() => undefined);
  });

  /**
   * Reads in progress. A burst of reminders (the first sync of a large partner can make
   * hundreds due at once, each one costs the worker an icon fetch and decode) would
   * otherwise interleave with the answers the popup and the portals wait for.
   */
  const reads = createReadGate();

  /** Alert refreshes run one after another, so a reminder can never be sent twice. */
  let alertsQueue: Promise<void> = Promise.resolve();
  function refreshAlerts(): Promise<void> {
    alertsQueue = alertsQueue.then(refreshAlertsNow, refreshAlertsNow);
    return alertsQueue;
  }

  async function refreshAlertsNow(): Promise<void> {
    const at = now();
    const expiring = await cache.getExpiring(30, at);
    if (!expiring.ok) return;
    const count = badgeCount(expiring.value, at);
    await p.setBadge(badgeText(count), count > 0 ? p.t('badge.tooltip', [count]) : '').catch(() => undefined);
    const settings = await loadSettings(p.local);
    if (!settings.notifications) return;
    const stored = await p.local.get(SENT_KEY);
    const sent = new Set(Array.isArray(stored) ? stored.filter((s): s is string => typeof s === 'string') : []);
    const due = dueNotifications(expiring.value, sent, at);
    for (const n of due.notifications) {
      await reads.quiet();
      const title = n.daysLeft <= 1 ? p.t('notify.titleOne') : p.t('notify.title', [n.daysLeft]);
      const body = p.t('notify.body', [n.customerName ?? n.customerTenantId ?? '', n.relationshipName]);
      await p.notify(`gdap:${n.key}:${n.customerTenantId ?? ''}`, title, body).catch(() => undefined);
    }
    const all = await cache.listRelationships();
    const kept = all.ok ? pruneSent(due.sent, all.value.map((r) => r.id)) : due.sent;
    await p.local.set(SENT_KEY, [...kept]);
  }

  async function applySchedule(settings?: Settings): Promise<void> {
    const s = settings ?? (await loadSettings(p.local));
    await p.setAlarm(SYNC_ALARM, alarmPeriodMinutes(s.syncIntervalHours));
  }

  /** Drops everything synced for the signed-in account (sign-out, or another app/cloud/tenant). */
  async function forgetData(): Promise<void> {
    scheduler.cancel();
    await cache.clearAll().catch(() => undefined);
    await p.local.remove(HINT_KEY);
    await p.setBadge('', '').catch(() => undefined);
    await bump(CACHE_GENERATION_KEY);
  }

  /** The last badge index of each kind, with the cache picture and time it was made from. */
  const badgeIndexes = new Map<'customers' | 'relationships', { source: object; at: number; index: BadgeIndex | null; renewing: boolean }>();

  /** Every cached customer's or relationship's pill now (null past BADGE_INDEX_MAX or when the cache cannot be read). */
  async function makeBadgeIndex(kind: 'customers' | 'relationships'): Promise<BadgeIndex | null> {
    const at = now();
    const all = await cache.getAllRelationships();
    if (!all.ok) return null;
    let index: BadgeIndex | null = null;
    if (kind === 'relationships') {
      if (all.value.size <= BADGE_INDEX_MAX) {
        const entries: Record<string, PillCode> = {};
        for (const [id, c] of all.value) entries[id] = encodePill(relationshipBadgeModel(c, at));
        index = { entries, absent: null };
      }
    } else {
      const summaries = await cache.getAllSummaries(at);
      if (!summaries.ok) return null;
      if (summaries.value.size <= BADGE_INDEX_MAX) {
        const entries: Record<string, PillCode> = {};
        for (const [tenant, s] of summaries.value) entries[tenant] = encodePill(customerBadgeModel(s, at));
        index = { entries, absent: encodePill(customerBadgeModel(summarizeCustomer([], new Map(), at), at)) };
      }
    }
    badgeIndexes.set(kind, { source: all.value, at: at.getTime(), index, renewing: false });
    return index;
  }

  const view = (c: CachedRelationship, at: Date): RelationshipView => ({
    relationship: c.relationship,
    assignments: c.assignments,
    roles: roleLines(c.relationship.roleIds),
    state: relationshipState(c.relationship, c.assignments ?? undefined, at),
  });

  const fail = (kind: string, messageKey: string, detail?: string): Failure => ({
    ok: false,
    error: { kind, messageKey, ...(detail ? { detail } : {}) },
  });

  /** Maps a thrown error to an action failure with a message key the UI localises. */
  const failFrom = (e: unknown) => {
    if (e instanceof GraphError) return fail(e.kind, describeErrorKind(e.kind), e.kind === 'bad-request' ? e.message : undefined);
    if (e instanceof AuthError) return fail(e.kind, describeAuthErrorKey(e.kind));
    return fail('unknown', 'syncError.unknown');
  };

  /** Puts what Graph answered after a write in the cache (one generation bump, alerts) and answers its view. */
  async function refreshOne(rel: Relationship): Promise<RelationshipView> {
    await cache.applyRelationshipUpdate(rel);
    await bump(CACHE_GENERATION_KEY);
    await refreshAlerts().catch(() => undefined);
    const cached = await cache.getRelationship(rel.id);
    return view(cached.value ?? { relationship: rel, assignments: null }, now());
  }

  /**
   * The single-item auto-extend logic, shared by setAutoExtend and setAutoExtendMany: R5/R6
   * checks on the cached relationship before anything is sent (switching on: never with
   * Global Administrator, only in force); nothing sent when the cached relationship is already
   * as asked; otherwise PATCH with the cached ETag in If-Match. The cache is not touched.
   * `stopAll` marks failures every other item would meet too (no token, no consent, throttled).
   */
  async function autoExtendStep(cached: CachedRelationship | null, on: boolean, client: () => Promise<GraphClient>): Promise<AutoExtendStep> {
    if (!cached) return { ...fail('not-found', 'graphError.notFound'), stopAll: false };
    const rel = cached.relationship;
    if (on) {
      const eligibility = autoExtendEligibility(rel);
      if (eligibility === 'global-admin') return { ...fail('global-admin', 'action.error.globalAdmin'), stopAll: false };
      if (eligibility === 'not-active') return { ...fail('not-active', 'action.error.notActive'), stopAll: false };
    }
    if (isAutoExtendSet(rel) === on) return { ok: true, relationship: rel, changed: false };
    try {
      const r = await (await client()).setAutoExtend(rel.id, rel.etag ?? '*', on);
      return { ok: true, relationship: r.relationship, changed: true };
    } catch (e) {
      const stopAll =
        e instanceof AuthError || (e instanceof GraphError && (e.kind === 'unauthorized' || e.kind === 'forbidden' || e.kind === 'throttled'));
      return { ...failFrom(e), stopAll };
    }
  }

  const clientForSettings = async (): Promise<GraphClient> => graphFor((await loadSettings(p.local)).cloud);

  /** Every cached relationship as a CSV row, by customer name, relationship name, id. */
  async function csvRows(at: Date): Promise<RelationshipCsvRow[]> {
    const rels = (await cache.listRelationships()).value;
    // Names of customers whose relationship does not carry one (Graph leaves it out while `created`).
    const names = new Map<string, string>();
    const nameless = [...new Set(rels.filter((r) => !r.customer.displayName && r.customer.tenantId).map((r) => r.customer.tenantId!.toLowerCase()))];
    for (const tenant of nameless) {
      const found = (await cache.searchCustomers(tenant, 1)).value[0];
      if (found && found.tenantId.toLowerCase() === tenant && found.displayName) names.set(tenant, found.displayName);
    }
    // No column depends on access assignments, so they are not read.
    return rels
      .map((rel) => {
        const row = relationshipCsvRow(rel, relationshipState(rel, undefined, at), names.get(rel.customer.tenantId?.toLowerCase() ?? ''));
        return { row, id: rel.id };
      })
      .sort(
        (a, b) =>
          compareText(searchKey(a.row.customerName), searchKey(b.row.customerName)) ||
          compareText(searchKey(a.row.relationshipName), searchKey(b.row.relationshipName)) ||
          compareText(a.id, b.id),
      )
      .map((x) => x.row);
  }

  async function syncStatus(): Promise<SyncStatusView> {
    const [meta, hint] = await Promise.all([cache.getSyncMeta(), p.local.get(HINT_KEY)]);
    const m = meta.value;
    return {
      running: scheduler.running,
      lastSuccess: m.lastSuccess,
      lastAttempt: m.lastAttempt,
      lastError: m.lastError ? { kind: m.lastError.kind, messageKey: syncErrorMessageKey(m.lastError.kind as SyncErrorKind) } : null,
      counts: m.counts ? { relationships: m.counts.relationships, customers: m.counts.customers, assignments: m.counts.assignments, skipped: m.counts.skipped } : null,
      durationMs: m.durationMs,
      writeMs: lastWriteMs,
      emptyHint: hint === 'admin-agent-role' ? 'admin-agent-role' : null,
    };
  }

  const handlers: Handlers = {
    openOptions: () => p.openOptions(),

    // The customer's admin center: what its pages say, read against the role catalog. No
    // sign-in and no cache: a customer admin uses these without being a partner. The answer
    // is held to its schema on the way out (a bug throws here, and the page shows nothing).
    analyzePartners: ({ rows }) => v.parse(ANSWERS.analyzePartners, analyzePartnerTexts(rows, now())),
    analyzeInvitation: (texts) => v.parse(ANSWERS.analyzeInvitation, analyzeInvitationTexts(texts, now())),

    getStatus: async (): Promise<StatusView> => {
      // Independent reads, side by side: every page and popup opens with this.
      const [authStatus, sync, settings] = await Promise.all([auth.status(), syncStatus(), loadSettings(p.local)]);
      return { auth: authStatus, sync, settings };
    },

    getSummaries: async ({ tenantIds }) => {
      const r = await cache.getSummaries(tenantIds, now());
      return Object.fromEntries(r.value);
    },

    getCustomerRelationships: async ({ tenantId }) => {
      const at = now();
      return (await cache.getCustomerRelationships(tenantId)).value.map((c) => view(c, at));
    },

    getRelationship: async ({ id }) => {
      const c = (await cache.getRelationship(id)).value;
      return c ? view(c, now()) : null;
    },

    getRelationships: async ({ ids }) => {
      const at = now();
      const found = (await cache.getRelationships(ids)).value;
      return Object.fromEntries([...found].map(([id, c]) => [id, c ? view(c, at) : null]));
    },

    getBadges: async ({ tenantIds, relationshipIds }) => {
      const at = now();
      const [summaries, relationships] = await Promise.all([
        tenantIds.length > 0 ? cache.getSummaries(tenantIds, at).then((r) => r.value) : new Map<string, never>(),
        relationshipIds.length > 0 ? cache.getRelationships(relationshipIds).then((r) => r.value) : new Map<string, null>(),
      ]);
      return {
        customers: Object.fromEntries([...summaries].map(([tenantId, s]) => [tenantId, customerBadgeModel(s, at)])),
        relationships: Object.fromEntries(
          [...relationships].flatMap(([id, c]) => (c ? [[id, relationshipBadgeModel(view(c, at), at)] as const] : [])),
        ),
      };
    },

    getBadgeIndex: async ({ kind }) => {
      const at = now();
      const all = await cache.getAllRelationships();
      if (!all.ok) return null;
      // Every Partner Center tab asks when it opens, and making the index of a large partner
      // takes a while: one per cache picture, fresh for a minute (pills show whole days).
      // Up to an hour old, it is answered at once and made anew for the next tab, as a page
      // that stays open re-reads its badges hourly anyway.
      const held = badgeIndexes.get(kind);
      if (held && held.source === all.value) {
        const age = at.getTime() - held.at;
        if (age >= 0 && age < 60_000) return held.index;
        if (age >= 0 && age < 60 * 60_000) {
          if (!held.renewing) {
            held.renewing = true;
            setTimeout(() => void makeBadgeIndex(kind).catch(() => (held.renewing = false)), 0);
          }
          return held.index;
        }
      }
      return makeBadgeIndex(kind);
    },

    getBadgeDetails: async (key) => {
      const at = now();
      if ('tenantId' in key) {
        const cached = (await cache.getCustomerRelationships(key.tenantId)).value;
        return badgeDetails(cached.map((c) => view(c, at)), at);
      }
      const c = (await cache.getRelationship(key.relationshipId)).value;
      return c ? badgeDetails([view(c, at)], at) : null;
    },

    getExpiring: async ({ days }) => {
      const at = now();
      return (await cache.getExpiring(days, at)).value.map((e) => ({
        relationship: e.relationship,
        state: e.state,
        assignments: null,
        reason: e.reason,
      }));
    },

    signIn: async (): Promise<Results['signIn']> => {
      try {
        const status = await auth.signIn();
        await bump(STATUS_GENERATION_KEY);
        if (status.state !== 'signed-in') return fail('sign-in-required', describeAuthErrorKey('sign-in-required'));
        void scheduler.syncNow('sign-in');
        await applySchedule();
        return { ok: true, value: status.account };
      } catch (e) {
        await bump(STATUS_GENERATION_KEY);
        return failFrom(e);
      }
    },

    signOut: async (): Promise<Results['signOut']> => {
      await auth.signOut();
      await forgetData();
      await bump(STATUS_GENERATION_KEY);
      return { ok: true };
    },

    syncNow: async (): Promise<Results['syncNow']> => {
      const outcome = await scheduler.syncNow('user');
      const status = await syncStatus();
      return outcome.ok ? { ok: true, value: status } : fail(outcome.error.kind, outcome.error.messageKey);
    },

    saveSettings: async (patch): Promise<Results['saveSettings']> => {
      const before = await loadSettings(p.local);
      const r = await saveSettings(p.local, patch as Partial<Settings>);
      if (!r.ok) return fail('invalid-settings', 'settings.clientIdInvalid', r.invalid.join(','));
      const s = r.settings;
      // Another cloud, app or tenant is another sign-in: the old account's data must not stay on show.
      if (s.cloud !== before.cloud || s.clientId !== before.clientId || s.tenant !== before.tenant) {
        await auth.signOut();
        await forgetData();
      }
      await applySchedule(r.settings);
      await bump(STATUS_GENERATION_KEY);
      return { ok: true, value: r.settings };
    },

    setAutoExtend: async ({ id, on }): Promise<Results['setAutoExtend']> => {
      const cached = (await cache.getRelationship(id)).value;
      const step = await autoExtendStep(cached, on, clientForSettings);
      if (!step.ok) return { ok: false, error: step.error };
      if (!step.changed && cached) return { ok: true, value: view(cached, now()) };
      try {
        return { ok: true, value: await refreshOne(step.relationship) };
      } catch (e) {
        return failFrom(e);
      }
    },

    setAutoExtendMany: async ({ ids, on }): Promise<Results['setAutoExtendMany']> => {
      const unique = [...new Set(ids)];
      const cached = (await cache.getRelationships(unique)).value;
      let client: Promise<GraphClient> | null = null;
      const sharedClient = () => (client ??= clientForSettings());
      let stopped: Failure['error'] | null = null;
      let changed = 0;
      const settled = await forEachBounded(
        unique,
        async (id): Promise<AutoExtendOutcome> => {
          if (stopped) return { id, ok: false, error: stopped };
          const step = await autoExtendStep(cached.get(id) ?? null, on, sharedClient);
          if (!step.ok) {
            if (step.stopAll) stopped ??= step.error;
            return { id, ok: false, error: step.error };
          }
          if (!step.changed) return { id, ok: true, unchanged: true };
          changed++;
          // Graph has the change; a cache that cannot store it catches up at the next sync.
          await cache.applyRelationshipUpdate(step.relationship).catch(() => undefined);
          return { id, ok: true };
        },
        BULK_CONCURRENCY,
      );
      const byId = new Map<string, AutoExtendOutcome>();
      settled.forEach((s, i) => {
        const id = unique[i]!;
        byId.set(id, s.ok ? s.value : { id, ...failFrom(s.error) });
      });
      if (changed > 0) {
        await bump(CACHE_GENERATION_KEY);
        await refreshAlerts().catch(() => undefined);
      }
      return ids.map((id) => byId.get(id) ?? { id, ok: false, error: fail('unknown', 'syncError.unknown').error });
    },

    searchCustomers: async ({ query, limit }): Promise<Results['searchCustomers']> => {
      const max = limit ?? PICKER_LIMIT;
      if (query.trim() !== '') return (await cache.searchCustomers(query, max)).value.map(customerChoice);
      // Empty query: the first customers by name, so the picker has something to show. The
      // cache has no list call; every tenant id (a GUID) contains '-', so this finds them all
      // (up to the cache's search cap), and they are ordered by name here.
      const all = (await cache.searchCustomers('-', MAX_SEARCH_LIMIT)).value;
      return all.sort(compareCustomers).slice(0, max).map(customerChoice);
    },

    checkRelationshipName: async ({ name }): Promise<Results['checkRelationshipName']> => {
      const existing = (await cache.listRelationships()).value;
      const issues = validateRelationshipName(name, existing, now());
      return {
        issues: issues.map((issue) => ({
          code: issue.code,
          messageKey: NAME_ISSUE_KEYS[issue.code],
          reusableFrom: issue.code === 'recently-ended' ? toIso(issue.reusableFrom) : null,
        })),
      };
    },

    suggestRelationshipName: async ({ customerName }): Promise<Results['suggestRelationshipName']> => {
      const existing = (await cache.listRelationships()).value;
      return { name: suggestRelationshipName(customerName, existing, now()) };
    },

    exportCsv: async (): Promise<Results['exportCsv']> => {
      const at = now();
      return { filename: csvFilename(at), csv: relationshipsCsv(await csvRows(at)) };
    },

    createInvitation: async (input): Promise<Results['createInvitation']> => {
      const at = now();
      const existing = await cache.listRelationships();
      const duration = validateDuration(input.durationDays);
      if (!duration.ok) return fail('invalid-duration', 'action.error.duration');
      // A request made earlier whose lock for approval failed: finish it rather than
      // refuse its name as taken (R19) — but only when it asks for exactly the same.
      const unfinished = existing.value.find((r) => isUnfinishedRequest(r, input, duration.duration));
      if (!unfinished) {
        const issue = validateRelationshipName(input.displayName, existing.value, at)[0];
        if (issue) return fail('invalid-name', NAME_ISSUE_KEYS[issue.code]);
      }
      if (input.autoExtend && includesGlobalAdministrator(input.roleIds)) return fail('global-admin', 'action.error.globalAdmin');
      try {
        const client = graphFor((await loadSettings(p.local)).cloud);
        let created = unfinished;
        if (!created) {
          created = await client.createRelationship({
            displayName: input.displayName.trim(),
            duration: duration.duration,
            roleIds: input.roleIds,
            autoExtendDuration: input.autoExtend ? 'P180D' : 'PT0S',
            ...(input.customerTenantId ? { customerTenantId: input.customerTenantId } : {}),
          });
          // Cached at once, so that trying again after a failed lock finds it.
          await refreshOne(created);
        }
        try {
          await client.lockForApproval(created.id);
        } catch (e) {
          const f = failFrom(e);
          return fail(f.error.kind, 'action.error.lockFailed', f.error.detail);
        }
        const locked = await client.getRelationship(created.id);
        return {
          ok: true,
          value: {
            relationship: await refreshOne(locked),
            invitationUrl: invitationUrl(created.id),
          },
        };
      } catch (e) {
        return failFrom(e);
      }
    },

    terminate: async ({ id }): Promise<Results['terminate']> => {
      const cached = (await cache.getRelationship(id)).value;
      if (!cached) return fail('not-found', 'graphError.notFound');
      if (!canTerminate(cached.relationship)) return fail('not-active', 'action.error.cannotTerminate');
      try {
        const client = graphFor((await loadSettings(p.local)).cloud);
        await client.terminate(id);
        return { ok: true, value: await refreshOne(await client.getRelationship(id)) };
      } catch (e) {
        return failFrom(e);
      }
    },
  };

  for (const c of READ_COMMANDS) {
    const read = handlers[c] as (data: unknown, sender: unknown) => unknown;
    (handlers as Record<Command, unknown>)[c] = (data: unknown, sender: unknown) => reads.run(() => read(data, sender));
  }

  return {
    handlers,
    auth,
    cache,
    scheduler,
    async onAlarm(name) {
      if (name !== SYNC_ALARM) return;
      if ((await auth.status()).state !== 'signed-in') return;
      await scheduler.syncNow('alarm');
    },
    async onStartup() {
      const settings = await loadSettings(p.local);
      await applySchedule(settings);
      if ((await auth.status()).state !== 'signed-in') return;
      const meta = await cache.getSyncMeta();
      if (shouldSyncOnStartup(meta.value, now(), settings.syncIntervalHours)) void scheduler.syncNow('startup');
      else await refreshAlerts();
    },
    async onNotificationClicked(id) {
      const m = /^gdap:[^:]+:\d+:(.*)$/.exec(id);
      if (!m) return;
      await p.openTab(partnerCenterCustomerUrl(m[1] || null));
    },
  };
}

