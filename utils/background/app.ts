/**
 * The background worker's logic, composed from the services in utils/: sign-in, the Graph
 * client, the cache, the sync scheduler, alerts and the message handlers. The entry point
 * (entrypoints/background.ts) only wires browser events to it, so all of this runs in unit
 * tests with in-memory storage and fake-indexeddb.
 */
import { createAuthService } from '../auth/service';
import { AuthError, type AuthService } from '../auth/types';
import { describeAuthErrorKey } from '../auth/errors';
import { badgeCount, badgeText, dueNotifications, partnerCenterCustomerUrl, pruneSent } from '../alerts/alerts';
import { relationshipState } from '../gdap/state';
import { autoExtendEligibility, canTerminate, validateDuration, validateRelationshipName, type NameIssue } from '../gdap/rules';
import { includesGlobalAdministrator } from '../gdap/roles';
import { invitationUrl } from '../gdap/links';
import type { Relationship } from '../gdap/schema';
import { createGraphClient, describeErrorKind, GraphError, type GraphClient } from '../graph/client';
import { CLOUDS, type CloudId } from '../graph/clouds';
import type { ActionResult, RelationshipView, Results, StatusView, SyncStatusView } from '../messaging/protocol';
import { CACHE_GENERATION_KEY, STATUS_GENERATION_KEY } from '../messaging/protocol';
import type { Handlers } from '../messaging/router';
import { loadSettings, saveSettings, type Settings } from '../settings';
import { createRelationshipCache, type CachedRelationship, type RelationshipCache } from '../store/cache';
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
const HINT_KEY = 'sync.emptyHint';

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
  scheduler.onChange((event) => {
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

  const view = (c: CachedRelationship, at: Date): RelationshipView => ({
    relationship: c.relationship,
    assignments: c.assignments,
    state: relationshipState(c.relationship, c.assignments ?? undefined, at),
  });

  const fail = (kind: string, messageKey: string, detail?: string): { ok: false; error: { kind: string; messageKey: string; detail?: string } } => ({
    ok: false,
    error: { kind, messageKey, ...(detail ? { detail } : {}) },
  });

  /** Maps a thrown error to an action failure with a message key the UI localises. */
  const failFrom = (e: unknown) => {
    if (e instanceof GraphError) return fail(e.kind, describeErrorKind(e.kind), e.kind === 'bad-request' ? e.message : undefined);
    if (e instanceof AuthError) return fail(e.kind, describeAuthErrorKey(e.kind));
    return fail('unknown', 'syncError.unknown');
  };

  /** Re-reads a relationship from Graph after a write and puts it in the cache. */
  async function refreshOne(client: GraphClient, rel: Relationship): Promise<RelationshipView> {
    await cache.applyRelationshipUpdate(rel);
    await bump(CACHE_GENERATION_KEY);
    await refreshAlerts().catch(() => undefined);
    const cached = await cache.getRelationship(rel.id);
    return view(cached.value ?? { relationship: rel, assignments: null }, now());
  }

  async function syncStatus(): Promise<SyncStatusView> {
    const meta = await cache.getSyncMeta();
    const hint = await p.local.get(HINT_KEY);
    const m = meta.value;
    return {
      running: scheduler.running,
      lastSuccess: m.lastSuccess,
      lastAttempt: m.lastAttempt,
      lastError: m.lastError ? { kind: m.lastError.kind, messageKey: syncErrorMessageKey(m.lastError.kind as SyncErrorKind) } : null,
      counts: m.counts ? { relationships: m.counts.relationships, customers: m.counts.customers, assignments: m.counts.assignments, skipped: m.counts.skipped } : null,
      durationMs: m.durationMs,
      emptyHint: hint === 'admin-agent-role' ? 'admin-agent-role' : null,
    };
  }

  const handlers: Handlers = {
    openOptions: () => p.openOptions(),

    getStatus: async (): Promise<StatusView> => ({
      auth: await auth.status(),
      sync: await syncStatus(),
      settings: await loadSettings(p.local),
    }),

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
      if (!cached) return fail('not-found', 'graphError.notFound');
      const rel = cached.relationship;
      if (on) {
        const eligibility = autoExtendEligibility(rel);
        if (eligibility === 'global-admin') return fail('global-admin', 'action.error.globalAdmin');
        if (eligibility === 'not-active') return fail('not-active', 'action.error.notActive');
      }
      try {
        const client = graphFor((await loadSettings(p.local)).cloud);
        const r = await client.setAutoExtend(rel.id, rel.etag ?? '*', on);
        return { ok: true, value: await refreshOne(client, r.relationship) };
      } catch (e) {
        return failFrom(e);
      }
    },

    createInvitation: async (input): Promise<Results['createInvitation']> => {
      const at = now();
      const existing = await cache.listRelationships();
      const issues = validateRelationshipName(input.displayName, existing.value, at);
      const issue = issues[0];
      if (issue) return fail('invalid-name', NAME_ISSUE_KEYS[issue.code]);
      const duration = validateDuration(input.durationDays);
      if (!duration.ok) return fail('invalid-duration', 'action.error.duration');
      if (input.autoExtend && includesGlobalAdministrator(input.roleIds)) return fail('global-admin', 'action.error.globalAdmin');
      try {
        const client = graphFor((await loadSettings(p.local)).cloud);
        const created = await client.createRelationship({
          displayName: input.displayName.trim(),
          duration: duration.duration,
          roleIds: input.roleIds,
          autoExtendDuration: input.autoExtend ? 'P180D' : 'PT0S',
          ...(input.customerTenantId ? { customerTenantId: input.customerTenantId } : {}),
        });
        await client.lockForApproval(created.id);
        const locked = await client.getRelationship(created.id);
        return {
          ok: true,
          value: {
            relationship: await refreshOne(client, locked),
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
        return { ok: true, value: await refreshOne(client, await client.getRelationship(id)) };
      } catch (e) {
        return failFrom(e);
      }
    },
  };

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

export type { ActionResult };
