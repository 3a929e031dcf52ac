/**
 * Wiring for test/unit/background-app.test.ts (not a test file itself): the real background
 * app (utils/background/app.ts) on a Node "platform" that talks to the fake cloud over
 * https, with in-memory storage areas, its own fake IndexedDB and recorded browser calls.
 *
 * Every handler result and every secret the fake hands out is collected at module level,
 * so the test file can check at its end that no result and no `local` area ever held a token.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { randomUUID } from 'node:crypto';
import { vi } from 'vitest';
import { createBackgroundApp, type BackgroundApp, type BackgroundPlatform } from '@/utils/background/app';
import { PAYLOADS, type Command, type Payload, type Results } from '@/utils/messaging/protocol';
import type { Handlers } from '@/utils/messaging/router';
import type { SenderLike } from '@/utils/messaging/guard';
import type { Settings } from '@/utils/settings';
import { memoryArea } from '@/utils/storage-area';
import { fakeCloudFetch } from '../fake-cloud/client';
import type { CustomerScenario, FakeCustomer, FakeRelationship, World } from '../fake-cloud/model';
import type { FakeCloud } from '../fake-cloud/server';

export const OWN_ID = 'abcdefghijklmnopabcdefghijklmnop';
export const OWN_ORIGIN = `chrome-extension://${OWN_ID}/`;
export const REDIRECT_URI = `https://${OWN_ID}.chromiumapp.org/`;
export const LOGIN_HOST = 'login.microsoftonline.com';
export const GRAPH_HOST = 'graph.microsoft.com';
export const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
export const SERVICE_SUPPORT_ADMINISTRATOR = 'f023fd81-a637-4b56-95fd-791ac0226033';
export const DAY_MS = 86_400_000;

/** The options page (an extension page). */
export const PAGE_SENDER: SenderLike = { id: OWN_ID, url: `${OWN_ORIGIN}options.html`, origin: OWN_ORIGIN.slice(0, -1) };
/** A content script on Partner Center: our id, the web page's URL. */
export const CONTENT_SENDER: SenderLike = {
  id: OWN_ID,
  url: 'https://partner.microsoft.com/dashboard/v2/customers/list',
  origin: 'https://partner.microsoft.com',
};

/** Paths (with query) of the two list endpoints a sync pages through. */
export const RELATIONSHIP_LIST = /^\/v1\.0\/tenantRelationships\/delegatedAdminRelationships\?/;
export const CUSTOMER_LIST = /^\/v1\.0\/tenantRelationships\/delegatedAdminCustomers\?/;

/** Every handler answer of the file: `{ command, result }`. */
export const allResults: Array<{ command: Command; result: unknown }> = [];
/** Every access/refresh/ID token and authorization code the fake issued to any harness. */
export const issuedSecrets = new Set<string>();
/** Every harness made in the file (their `local` areas are checked at the end). */
export const harnesses: Harness[] = [];

/** One request the app sent, as it left the platform's `fetch`. */
export interface SentRequest {
  method: string;
  host: string;
  /** Path and query. */
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** The handlers, called as the options page would (sender = an extension page). */
export type Api = { [C in Command]: (data: Payload<C>) => Promise<Results[C]> };

export interface Harness {
  app: BackgroundApp;
  /** The app's handlers, wrapped so that every result lands in {@link allResults}. */
  handlers: Handlers;
  api: Api;
  local: ReturnType<typeof memoryArea>;
  session: ReturnType<typeof memoryArea>;
  /** Keys written to `local`, in order. */
  localWrites: string[];
  /** `key=JSON(value)` of every write to `local`, in order (also values removed since). */
  localHistory: string[];
  /** URLs handed to launchWebAuthFlow. */
  launches: string[];
  badges: Array<{ text: string; title: string }>;
  notifications: Array<{ id: string; title: string; message: string }>;
  tabs: string[];
  optionsOpened: number;
  alarms: Array<{ name: string; period: number | null }>;
  sent: SentRequest[];
  /** Called before each request is sent (tests change the fake mid-sync), and as each reminder is shown. */
  hooks: { beforeFetch?: (r: SentRequest, index: number) => void; onNotify?: (id: string) => void };
  clientId: string;
}

function collectSecrets(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  for (const k of ['access_token', 'refresh_token', 'id_token'] as const) {
    const s = (value as Record<string, unknown>)[k];
    if (typeof s === 'string' && s.length > 0) issuedSecrets.add(s);
  }
}

function bodyText(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  return undefined;
}

function recording(inner: Handlers): { handlers: Handlers; api: Api } {
  const wrapped: Record<string, (data: unknown, sender: SenderLike) => Promise<unknown>> = {};
  for (const command of Object.keys(PAYLOADS) as Command[]) {
    const fn = inner[command] as (data: unknown, sender: SenderLike) => unknown;
    wrapped[command] = async (data, sender) => {
      const result = await fn(data, sender);
      allResults.push({ command, result });
      return result;
    };
  }
  const api: Record<string, (data: unknown) => Promise<unknown>> = {};
  for (const command of Object.keys(wrapped)) api[command] = (data) => wrapped[command]!(data, PAGE_SENDER);
  return { handlers: wrapped as unknown as Handlers, api: api as unknown as Api };
}

export interface HarnessOptions {
  /** Save settings with the registered client ID (default true). */
  configure?: boolean;
  /** More settings to save with the client ID. */
  settings?: Partial<Settings>;
  /** The app's clock (default: the real one). */
  now?: () => Date;
}

/** A background app on its own storage and IndexedDB, with an app registered in the fake. */
export async function createHarness(cloud: FakeCloud, opts: HarnessOptions = {}): Promise<Harness> {
  const clientId = randomUUID();
  cloud.login.registerApp({ clientId, redirectUris: [REDIRECT_URI] });
  const local = memoryArea();
  const session = memoryArea();
  const base = fakeCloudFetch(cloud);
  const h = {
    local,
    session,
    localWrites: [] as string[],
    localHistory: [] as string[],
    launches: [] as string[],
    badges: [] as Array<{ text: string; title: string }>,
    notifications: [] as Array<{ id: string; title: string; message: string }>,
    tabs: [] as string[],
    optionsOpened: 0,
    alarms: [] as Array<{ name: string; period: number | null }>,
    sent: [] as SentRequest[],
    hooks: {} as Harness['hooks'],
    clientId,
  };

  const fetchImpl: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const headers = new Headers(init?.headers);
    // A service worker's fetch carries the extension's origin; Node's does not.
    headers.set('Origin', OWN_ORIGIN.slice(0, -1));
    const recorded: SentRequest = {
      method: (init?.method ?? 'GET').toUpperCase(),
      host: url.hostname,
      path: url.pathname + url.search,
      headers: Object.fromEntries(headers.entries()),
      body: bodyText(init?.body),
    };
    h.sent.push(recorded);
    h.hooks.beforeFetch?.(recorded, h.sent.length);
    const bearer = headers.get('authorization');
    if (bearer?.startsWith('Bearer ')) issuedSecrets.add(bearer.slice('Bearer '.length));
    const res = await base(url.href, { ...init, headers });
    if (url.hostname === LOGIN_HOST) {
      try {
        collectSecrets(await res.clone().json());
      } catch {
        /* not JSON */
      }
    }
    return res;
  };

  const platform: BackgroundPlatform = {
    redirectUri: REDIRECT_URI,
    local: {
      get: (key) => local.get(key),
      set: async (key, value) => {
        h.localWrites.push(key);
        h.localHistory.push(`${key}=${JSON.stringify(value)}`);
        await local.set(key, value);
      },
      remove: (key) => local.remove(key),
    },
    session,
    async launchWebAuthFlow(url) {
      h.launches.push(url);
      // The fake has no UI: authorize answers 302 to the redirect URI right away.
      const res = await base(url);
      const location = res.headers.get('location');
      if (res.status !== 302 || !location) throw new Error('The user did not approve access.');
      const code = new URL(location).searchParams.get('code');
      if (code) issuedSecrets.add(code);
      return location;
    },
    fetch: fetchImpl,
    idbFactory: new IDBFactory(),
    setBadge: async (text, title) => void h.badges.push({ text, title }),
    notify: async (id, title, message) => {
      h.notifications.push({ id, title, message });
      h.hooks.onNotify?.(id);
    },
    openTab: async (url) => void h.tabs.push(url),
    openOptions: async () => void h.optionsOpened++,
    setAlarm: async (name, period) => void h.alarms.push({ name, period }),
    t: (key, subs) => `${key}|${(subs ?? []).join('|')}`,
    ...(opts.now ? { now: opts.now } : {}),
  };

  const app = createBackgroundApp(platform);
  const { handlers, api } = recording(app.handlers);
  const harness: Harness = { ...h, app, handlers, api };
  harnesses.push(harness);
  if (opts.configure !== false) {
    const saved = await api.saveSettings({ clientId, ...opts.settings });
    if (!saved.ok) throw new Error(`saveSettings failed: ${JSON.stringify(saved.error)}`);
  }
  return harness;
}

/**
 * Waits until the work the app does after a successful sync (empty hint, cache generation,
 * badge, notifications, then the status bump) has finished: it runs in a listener, after
 * `syncNow` has already resolved. `from` = `localWrites.length` before the sync started.
 */
export async function alertsSettled(h: Harness, from: number): Promise<void> {
  await vi.waitFor(
    () => {
      const log = h.localWrites.slice(from);
      const i = log.indexOf('sync.emptyHint');
      if (i < 0 || !log.slice(i + 1).includes('status.generation')) throw new Error('the post-sync work has not finished');
    },
    { timeout: 10_000, interval: 5 },
  );
}

/** Signs in through the handler, joins the sync it starts and waits for its alerts. */
export async function signInAndSync(h: Harness) {
  const from = h.localWrites.length;
  const signIn = await h.api.signIn(undefined);
  if (!signIn.ok) return { signIn, outcome: null };
  const outcome = await h.app.scheduler.syncNow('test');
  if (outcome.ok) await alertsSettled(h, from);
  return { signIn, outcome };
}

/** `syncNow` through the handler; waits for the alerts when it succeeded. */
export async function syncAndSettle(h: Harness): Promise<Results['syncNow']> {
  const from = h.localWrites.length;
  const r = await h.api.syncNow(undefined);
  if (r.ok) await alertsSettled(h, from);
  return r;
}

/** Requests sent to Graph from index `from` on. */
export function graphRequests(h: Harness, from = 0): SentRequest[] {
  return h.sent.slice(from).filter((r) => r.host === GRAPH_HOST);
}

// ---------------------------------------------------------------------------
// Expectations computed from the fake world directly (not through the app's code)
// ---------------------------------------------------------------------------

export function customersWith(world: World, scenario: CustomerScenario): FakeCustomer[] {
  return world.customers.filter((c) => c.scenario === scenario);
}

export function relationshipsOf(world: World, tenantId: string): FakeRelationship[] {
  const t = tenantId.toLowerCase();
  return world.relationships.filter((r) => r.customer?.tenantId?.toLowerCase() === t);
}

/** The only relationship of the first customer of a scenario that has exactly one. */
export function soleRelationship(world: World, scenario: CustomerScenario, skip = 0): { customer: FakeCustomer; rel: FakeRelationship } {
  const found = customersWith(world, scenario)
    .map((customer) => ({ customer, rels: relationshipsOf(world, customer.tenantId) }))
    .filter((x) => x.rels.length === 1)[skip];
  if (!found) throw new Error(`the world has no (or too few) '${scenario}' customers`);
  return { customer: found.customer, rel: found.rels[0]! };
}

export function includesGa(r: FakeRelationship): boolean {
  return r.accessDetails.unifiedRoles.some((u) => u.roleDefinitionId.toLowerCase() === GLOBAL_ADMINISTRATOR);
}

/** R4/R6: auto-extends when the duration is not zero and Global Administrator is not included. */
export function autoExtends(r: FakeRelationship): boolean {
  return !/^(PT0S|P0D)$/.test(r.autoExtendDuration) && !includesGa(r);
}

/** Whole days left, "any part of a day counts". */
export function daysLeft(iso: string, now: Date): number {
  return Math.ceil((Date.parse(iso) - now.getTime()) / DAY_MS);
}

/** Relationships in force that end (no auto-extend) within `days` days: id → days left. */
export function endingWithin(world: World, now: Date, days: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of world.relationships) {
    if (r.status !== 'active' && r.status !== 'expiring') continue;
    if (autoExtends(r) || !r.endDateTime) continue;
    const left = daysLeft(r.endDateTime, now);
    if (left > 0 && left <= days) out.set(r.id, left);
  }
  return out;
}

/** Pending requests (R2: lapse 90 days after creation) within `days` days of the lapse. */
export function pendingLapsingWithin(world: World, now: Date, days: number): string[] {
  return world.relationships
    .filter((r) => r.status === 'approvalPending' || r.status === 'created')
    .filter((r) => {
      const left = Math.ceil((Date.parse(r.createdDateTime) + 90 * DAY_MS - now.getTime()) / DAY_MS);
      return left > 0 && left <= days;
    })
    .map((r) => r.id);
}

/** Customers the cache knows after a sync: every tenant that has a relationship. */
export function relationshipTenants(world: World): Set<string> {
  const out = new Set<string>();
  for (const r of world.relationships) if (r.customer?.tenantId) out.add(r.customer.tenantId.toLowerCase());
  return out;
}

/** Access assignments of the relationships in force (what a sync loads). */
export function assignmentsInForce(world: World, now: Date): number {
  let n = 0;
  for (const r of world.relationships) {
    if (r.status !== 'active' && r.status !== 'expiring') continue;
    if (r.endDateTime && Date.parse(r.endDateTime) <= now.getTime() && !autoExtends(r)) continue;
    n += (world.accessAssignments.get(r.id) ?? []).filter((a) => a.status !== 'deleted').length;
  }
  return n;
}

/** `gdap:<relationshipId>:<threshold>:<tenant>` → its parts. */
export function parseNotificationId(id: string): { relationshipId: string; threshold: number; tenantId: string } {
  const m = /^gdap:([^:]+):(\d+):(.*)$/.exec(id);
  if (!m) throw new Error(`not a GDAP Lens notification id: ${id}`);
  return { relationshipId: m[1]!, threshold: Number(m[2]), tenantId: m[3]! };
}
