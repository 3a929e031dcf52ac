/**
 * Wiring for the reliability suite (not a test file): the real background composition
 * (utils/background/app.ts) over a "browser profile" (storage.local, storage.session and an
 * IndexedDB factory) that outlives any one app instance, so a test can stop the worker and
 * start a new one over the same data, as the browser does with an MV3 service worker.
 *
 * The app talks to the in-process fake cloud over https. The platform's fetch honours the
 * abort signal (the browser's does; the fake's Node client does not), so the client's
 * per-attempt timeout turns a hung request into a timeout.
 *
 * Test files make the Graph client's waits short with {@link fastGraphClientMock}:
 * Retry-After and back-off are recorded and not slept through, and an attempt times out
 * after {@link ATTEMPT_TIMEOUT_MS}. Everything else of the client is the real code.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import { createBackgroundApp, type BackgroundApp, type BackgroundPlatform } from '@/utils/background/app';
import { PAYLOADS, type Command, type Payload, type Results } from '@/utils/messaging/protocol';
import type { SenderLike } from '@/utils/messaging/guard';
import { memoryArea } from '@/utils/storage-area';
import { DB_NAME } from '@/utils/store/db';
import { fakeCloudFetch } from '../fake-cloud/client';
import type { FakeCloud } from '../fake-cloud/server';

export { ATTEMPT_TIMEOUT_MS, graphSleeps, fastGraphClientMock } from './graph-mock';

export const OWN_ID = 'abcdefghijklmnopabcdefghijklmnop';
export const OWN_ORIGIN = `chrome-extension://${OWN_ID}/`;
export const REDIRECT_URI = `https://${OWN_ID}.chromiumapp.org/`;
/** The options page (an extension page). */
export const PAGE_SENDER: SenderLike = { id: OWN_ID, url: `${OWN_ORIGIN}options.html`, origin: OWN_ORIGIN.slice(0, -1) };
export const LOGIN_HOST = 'login.microsoftonline.com';
export const GRAPH_HOST = 'graph.microsoft.com';
/** What outlives a worker: the storage areas and the IndexedDB of one browser profile. */
export interface Profile {
  local: ReturnType<typeof memoryArea>;
  session: ReturnType<typeof memoryArea>;
  factory: IDBFactory;
  clientId: string;
}

export function newProfile(cloud: FakeCloud): Profile {
  const clientId = randomUUID();
  cloud.login.registerApp({ clientId, redirectUris: [REDIRECT_URI] });
  return { local: memoryArea(), session: memoryArea(), factory: new IDBFactory(), clientId };
}

export type Api = { [C in Command]: (data: Payload<C>) => Promise<Results[C]> };

/** One running background worker over a profile. */
export interface Worker {
  app: BackgroundApp;
  api: Api;
  profile: Profile;
  /** Requests that left the platform's fetch. */
  sent: Array<{ method: string; host: string; path: string }>;
  /** Every answer a handler gave, for the token check. */
  answers: Array<{ command: Command; result: unknown }>;
  /** Called before each request; may throw to simulate a fetch failure. */
  hooks: { beforeFetch?: (r: { method: string; host: string; path: string }) => void };
}

/** Rejects with an AbortError as soon as `signal` aborts (the browser's fetch does). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | null | undefined): Promise<T> {
  if (!signal) return promise;
  promise.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      const e = new Error('The operation was aborted');
      e.name = 'AbortError';
      reject(e);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function startWorker(cloud: FakeCloud, profile: Profile, extra: Partial<BackgroundPlatform> = {}): Worker {
  const base = fakeCloudFetch(cloud);
  const w = { sent: [], answers: [], hooks: {}, profile } as unknown as Worker;
  const platform: BackgroundPlatform = {
    redirectUri: REDIRECT_URI,
    local: profile.local,
    session: profile.session,
    async launchWebAuthFlow(url) {
      const res = await base(url);
      const location = res.headers.get('location');
      if (res.status !== 302 || !location) throw new Error('The user did not approve access.');
      return location;
    },
    fetch: async (input, init) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      const r = { method: (init?.method ?? 'GET').toUpperCase(), host: url.hostname, path: url.pathname + url.search };
      w.sent.push(r);
      w.hooks.beforeFetch?.(r);
      const headers = new Headers(init?.headers);
      headers.set('Origin', OWN_ORIGIN.slice(0, -1));
      return abortable(base(url.href, { ...init, headers }), init?.signal);
    },
    idbFactory: profile.factory,
    setBadge: async () => undefined,
    notify: async () => undefined,
    openTab: async () => undefined,
    openOptions: async () => undefined,
    setAlarm: async () => undefined,
    t: (key, subs) => `${key}|${(subs ?? []).join('|')}`,
    ...extra,
  };
  const app = createBackgroundApp(platform);
  const api: Record<string, (data: unknown) => Promise<unknown>> = {};
  for (const command of Object.keys(PAYLOADS) as Command[]) {
    const fn = app.handlers[command] as (data: unknown, sender: SenderLike) => unknown;
    api[command] = async (data) => {
      const result = await fn(data, PAGE_SENDER);
      w.answers.push({ command, result });
      return result;
    };
  }
  w.app = app;
  w.api = api as unknown as Api;
  return w;
}

/** Saves the profile's client id and signs in (the sign-in's own sync is awaited). */
export async function signIn(w: Worker): Promise<void> {
  const saved = await w.api.saveSettings({ clientId: w.profile.clientId });
  if (!saved.ok) throw new Error(`saveSettings failed: ${JSON.stringify(saved.error)}`);
  const r = await w.api.signIn(undefined);
  if (!r.ok) throw new Error(`sign-in failed: ${JSON.stringify(r.error)}`);
  await w.app.scheduler.syncNow('test');
}

/** Stops a worker: its cache connection closes (the browser ends the process). */
export function stopWorker(w: Worker): void {
  w.app.scheduler.cancel();
  w.app.cache.close();
}

// ---------------------------------------------------------------------------
// The database, read raw: the "byte for byte" comparison of the cache
// ---------------------------------------------------------------------------

function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

export interface Dump {
  version: number;
  /** store → [key, value] pairs, in key order, as JSON. */
  stores: Record<string, string>;
}

/** Every store of the profile's database, keys and values, serialised. */
export async function dumpDb(factory: IDBFactory): Promise<Dump> {
  const open = factory.open(DB_NAME);
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
    open.onupgradeneeded = () => undefined;
  });
  try {
    const stores: Record<string, string> = {};
    const names = [...db.objectStoreNames];
    if (names.length === 0) return { version: db.version, stores };
    const tx = db.transaction(names, 'readonly');
    for (const name of names) {
      const store = tx.objectStore(name);
      const [keys, values] = await Promise.all([req(store.getAllKeys()), req(store.getAll())]);
      stores[name] = JSON.stringify(keys.map((k, i) => [k, values[i]]));
    }
    return { version: db.version, stores };
  } finally {
    db.close();
  }
}

/**
 * The data stores are identical, and the `meta` record differs at most in the fields a
 * failed attempt records (`lastAttempt`, `lastError`).
 */
export function expectSameCache(after: Dump, before: Dump): void {
  expect(after.version).toBe(before.version);
  const { meta: metaAfter, ...dataAfter } = after.stores;
  const { meta: metaBefore, ...dataBefore } = before.stores;
  expect(dataAfter).toEqual(dataBefore);
  const strip = (json: string | undefined) =>
    (JSON.parse(json ?? '[]') as Array<[unknown, Record<string, unknown>]>).map(([k, v]) => {
      const { lastAttempt: _a, lastError: _e, ...rest } = v;
      return [k, rest];
    });
  expect(strip(metaAfter)).toEqual(strip(metaBefore));
}

// ---------------------------------------------------------------------------
// Messages in plain words
// ---------------------------------------------------------------------------

type Messages = Record<string, string>;
const localeCache = new Map<string, Messages>();

/** A locale file flattened to `a.b.c` → text (the YAML is two levels of `key: text`). */
export function localeMessages(locale: 'en' | 'ko'): Messages {
  let m = localeCache.get(locale);
  if (m) return m;
  m = {};
  const text = readFileSync(join(__dirname, `../../utils/i18n/locales/${locale}.yml`), 'utf8');
  const path: Array<{ indent: number; key: string }> = [];
  for (const line of text.split('\n')) {
    const match = /^(\s*)([A-Za-z0-9_]+):\s*(.*)$/.exec(line);
    if (!match || line.trimStart().startsWith('#')) continue;
    const indent = match[1]!.length;
    while (path.length && path.at(-1)!.indent >= indent) path.pop();
    const value = match[3]!.trim();
    if (value === '' || value === '|' || value === '>') path.push({ indent, key: match[2]! });
    else m[[...path.map((p) => p.key), match[2]!].join('.')] = value.replace(/^(['"])(.*)\1$/, '$2');
  }
  localeCache.set(locale, m);
  return m;
}

/** The key exists in English and Korean and reads as a sentence for people, not a code. */
export function expectPlainWords(messageKey: string): void {
  const en = localeMessages('en')[messageKey];
  const ko = localeMessages('ko')[messageKey];
  expect(en, `en.yml has ${messageKey}`).toBeTypeOf('string');
  expect(ko, `ko.yml has ${messageKey}`).toBeTypeOf('string');
  for (const text of [en!, ko!]) {
    expect(text.length).toBeGreaterThan(8);
    expect(text).not.toMatch(/[<>{}]|\b(undefined|null|NaN|Error|Exception|ECONN\w*|ETIMEDOUT|HTTP|\d{3})\b|Failed to fetch/);
  }
  expect(en).toMatch(/[a-z]{3,} [a-z]{2,}/i);
  expect(ko).toMatch(/[\uac00-\ud7a3]/);
}

/** The fields of an object tree, as one JSON string (for "contains no token" checks). */
export function textOf(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v instanceof Map ? [...v] : v instanceof Set ? [...v] : v)) ?? '';
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
