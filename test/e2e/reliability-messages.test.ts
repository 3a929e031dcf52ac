/**
 * Reliability, messages from strangers, in real Chromium with the production build.
 *
 * Already covered (not repeated): an unknown command and a malformed payload from our own
 * page (background.test.ts); every command against every kind of sender, at the router
 * (test/unit/messaging-router.test.ts, test/reliability/messages.test.ts).
 *
 * Here, through the browser's real channels: a web page on partner.microsoft.com (it has no
 * `chrome.runtime`; it can only post window messages and DOM events, including the one WXT
 * uses to retire an older copy of a content script, and ours), ANOTHER extension sending every command
 * to GDAP Lens's id, GDAP Lens's own content script asking for what only its pages may, and
 * the Partner Center script and the options page asking for what only the admin center
 * script may.
 * Each time: no answer, nothing changed (still signed in, same settings, no write to Graph),
 * and no answer anywhere contains a token the fake login issued.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type FakeCloud } from '../fake-cloud/server';
import { tried } from '../reliability/tally';
import { launchExtension, type ExtensionBrowser } from './harness';
import { sendFrom, signInAndSync } from './session';
import { PAYLOADS, POLICY, type Command } from '../../utils/messaging/protocol';

const PC_LIST = 'https://partner.microsoft.com/dashboard/v2/customers/list?pageSize=20';
const SUPPORT = 'f023fd81-a637-4b56-95fd-791ac0226033';

let cloud: FakeCloud;
let browser: ExtensionBrowser;
let options: Page;
let strangerDir: string;
/** Every answer any sender got in this file. */
const answers: unknown[] = [];

interface Status {
  auth: { state: string };
  settings: { clientId: string | null };
  sync: { lastSuccess: string | null };
}

/** A valid payload for every command: if a stranger got through, something would happen. */
function everyCommand(relationshipId: string, tenantId: string): Array<[Command, unknown]> {
  const data: Record<Command, unknown> = {
    openOptions: undefined,
    getStatus: undefined,
    getSummaries: { tenantIds: [tenantId] },
    getCustomerRelationships: { tenantId },
    getRelationship: { id: relationshipId },
    getRelationships: { ids: [relationshipId] },
    getBadges: { tenantIds: [tenantId], relationshipIds: [relationshipId] },
    getBadgeDetails: { relationshipId },
    getBadgeIndex: { kind: 'customers' },
    getExpiring: { days: 30 },
    signIn: undefined,
    signOut: undefined,
    syncNow: undefined,
    saveSettings: { clientId: '11111111-2222-4333-8444-555555555555' },
    setAutoExtend: { id: relationshipId, on: true },
    createInvitation: { displayName: 'Stranger_Invite', durationDays: 30, roleIds: [SUPPORT], autoExtend: false },
    terminate: { id: relationshipId },
    searchCustomers: { query: 'a' },
    checkRelationshipName: { name: 'x' },
    suggestRelationshipName: { customerName: 'x' },
    setAutoExtendMany: { ids: [relationshipId], on: true },
    exportCsv: undefined,
    analyzePartners: { rows: [{ types: 'Delegated admin (DAP)', roles: ['Global Administrator'], end: null }] },
    analyzeInvitation: { roles: [{ name: 'Global Administrator', id: null }], duration: '730 days', autoExtend: 'Off' },
  };
  expect(Object.keys(data).sort()).toEqual(Object.keys(PAYLOADS).sort());
  return Object.entries(data) as Array<[Command, unknown]>;
}

const writes = () => cloud.requests.filter((r) => r.host === 'graph.microsoft.com' && !['GET', 'OPTIONS'].includes(r.method));
const signIns = () => cloud.requests.filter((r) => r.host === 'login.microsoftonline.com').length;
const target = () => cloud.world.relationships.find((r) => r.status === 'active' && r.autoExtendDuration === 'PT0S' && r.customer?.tenantId)!;

/** What must not change when a stranger talks: sign-in, settings, last sync, Graph. */
async function snapshot() {
  const s = await sendFrom<Status>(options, 'getStatus');
  return { auth: s.auth.state, clientId: s.settings.clientId, lastSuccess: s.sync.lastSuccess, writes: writes().length, signIns: signIns(), pages: browser.context.pages().length };
}

beforeAll(async () => {
  cloud = await startFakeCloud({ customers: 40, seed: 81 });
  strangerDir = mkdtempSync(join(tmpdir(), 'stranger-extension-'));
  writeFileSync(
    join(strangerDir, 'manifest.json'),
    JSON.stringify({ manifest_version: 3, name: 'Stranger', version: '1.0', background: { service_worker: 'stranger.js' } }),
  );
  writeFileSync(join(strangerDir, 'stranger.js'), 'self.addEventListener("install", () => self.skipWaiting());\n');
  browser = await launchExtension({ cloud, extraExtensions: [strangerDir] });
  options = await signInAndSync(browser, cloud);
  expect((await snapshot()).auth).toBe('signed-in');
});

afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
  if (strangerDir) rmSync(strangerDir, { recursive: true, force: true });
});

describe('a web page on partner.microsoft.com', () => {
  let portal: Page;

  it('has no chrome.runtime to send with', async () => {
    portal = await browser.newPage();
    await portal.goto(PC_LIST);
    await expect.poll(() => portal.locator('[data-gdap-badge]').count(), { timeout: 15_000 }).toBe(20);
    expect(await portal.evaluate(() => typeof (globalThis as unknown as { chrome?: { runtime?: unknown } }).chrome?.runtime)).toBe('undefined');
    tried('messages', 'web page: chrome.runtime is not there');
  });

  it('posts every command as a window message: dropped, nothing changed, the badges stay', async () => {
    const before = await snapshot();
    const rel = target();
    const commands = everyCommand(rel.id, rel.customer!.tenantId!);
    const echoes = await portal.evaluate(async (commands) => {
      const seen: unknown[] = [];
      window.addEventListener('message', (e) => seen.push(e.data));
      for (const [type, data] of commands) {
        const message = { id: Math.floor(Math.random() * 1e9), type, data, timestamp: Date.now() };
        window.postMessage(message, '*');
        window.postMessage({ message }, '*');
        window.postMessage(JSON.stringify(message), '*');
        document.dispatchEvent(new CustomEvent(type, { detail: message }));
      }
      await new Promise((r) => setTimeout(r, 1500));
      return seen.length;
    }, commands);
    tried('messages', 'web page: window.postMessage and DOM events shaped like every command', commands.length * 4);
    expect(echoes).toBe(commands.length * 3); // only our own posts: nobody answered
    await portal.waitForTimeout(500);
    expect(await snapshot()).toEqual(before);
    expect(await portal.locator('[data-gdap-badge]').count()).toBe(20);
    expect(cloud.world.relationships.find((r) => r.id === rel.id)!.autoExtendDuration).toBe('PT0S');
  });

  // WXT's content-script context retires itself when it sees a DOM event named
  // `<extension id>:<entrypoint>:wxt:content-script-started` with another copy's id in its
  // detail; a page could learn the name. Our content scripts are built without that context,
  // and a starting copy of ours sends `gdap-lens:content-script-started`, on which a copy
  // only checks whether its extension is gone (utils/portals/lifetime.ts). A page sending
  // either must not switch GDAP Lens off.
  it('cannot retire the content script with the events copies use to announce themselves', async () => {
    const name = `${browser.extensionId}:partner-center:wxt:content-script-started`;
    await portal.evaluate((name) => {
      document.dispatchEvent(new CustomEvent(name, { detail: { contentScriptName: 'partner-center', messageId: 'page' } }));
      window.postMessage({ type: name, contentScriptName: 'partner-center', messageId: 'page' }, '*');
      document.dispatchEvent(new CustomEvent('gdap-lens:content-script-started'));
    }, name);
    tried('messages', "web page: WXT's content-script-started event");
    // Still alive: the next page of the grid gets its badges.
    await portal.locator('button[data-action="next"]').click();
    await expect.poll(() => portal.locator('[data-gdap-badge]').count(), { timeout: 5_000 }).toBe(20);
    const shown = await portal.locator('[role="row"][id^="row-"]').evaluateAll((rs) => rs.map((r) => r.id.slice(4)));
    const badged = await portal.locator('[data-gdap-badge]').evaluateAll((hs) => hs.map((h) => h.getAttribute('data-tenant-id')));
    expect(badged.sort()).toEqual(shown.sort());
  });
});

describe('a web page on the admin center', () => {
  // Same WXT mechanism as on Partner Center: the badges and the summary must stay, and
  // client-side navigation must still be followed.
  it('cannot retire the content script with the events copies use to announce themselves', async () => {
    const page = await browser.newPage();
    await page.goto('https://admin.microsoft.com/AdminPortal/Home#/partners');
    const badges = page.locator('[data-gdap-badge][data-partner-name]');
    const partners = cloud.world.adminCenter.partners.length;
    try {
      await expect.poll(() => badges.count(), { timeout: 15_000 }).toBe(partners);
      const name = `${browser.extensionId}:admin-center:wxt:content-script-started`;
      await page.evaluate((name) => {
        document.dispatchEvent(new CustomEvent(name, { detail: { contentScriptName: 'admin-center', messageId: 'page' } }));
        document.dispatchEvent(new CustomEvent('gdap-lens:content-script-started'));
      }, name);
      tried('messages', "admin center page: WXT's content-script-started event");
      await page.waitForTimeout(500);
      expect(await badges.count()).toBe(partners);
      await page.evaluate(() => (location.hash = '#/homepage'));
      await page.evaluate(() => (location.hash = '#/partners'));
      await expect.poll(() => badges.count(), { timeout: 5_000 }).toBe(partners);
    } finally {
      await page.close();
    }
  });
});

describe('another extension', () => {
  let stranger: Worker;

  beforeAll(async () => {
    const own = `chrome-extension://${browser.extensionId}/`;
    const find = () => browser.context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://') && !w.url().startsWith(own));
    stranger = find() ?? (await browser.context.waitForEvent('serviceworker', { predicate: (w) => !w.url().startsWith(own), timeout: 10_000 }));
  });

  it('sends every command to GDAP Lens: none gets an answer, nothing changes, nothing reaches Graph', async () => {
    const before = await snapshot();
    const rel = target();
    const commands = everyCommand(rel.id, rel.customer!.tenantId!);
    const results = await stranger.evaluate(
      async ({ id, commands }) => {
        const runtime = (globalThis as unknown as { chrome: { runtime: { sendMessage(id: string, m: unknown): Promise<unknown> } } }).chrome.runtime;
        const out: Array<{ type: string; answer?: unknown; error?: string }> = [];
        for (const [type, data] of commands) {
          try {
            out.push({ type, answer: await runtime.sendMessage(id, { id: Math.floor(Math.random() * 1e9), type, data, timestamp: Date.now() }) });
          } catch (e) {
            out.push({ type, error: String(e) });
          }
        }
        return out;
      },
      { id: browser.extensionId, commands },
    );
    tried('messages', 'another extension: runtime.sendMessage of every command to our id', results.length);
    answers.push(...results);
    expect(results).toHaveLength(commands.length);
    for (const r of results) {
      expect(r.answer, r.type).toBeUndefined();
      expect(r.error, r.type).toMatch(/Receiving end does not exist|Could not establish connection/);
    }
    await options.waitForTimeout(1000);
    expect(await snapshot()).toEqual(before);
    expect(writes().filter((w) => w.method === 'PATCH' || w.method === 'POST')).toEqual([]);
    expect(cloud.world.relationships.find((r) => r.id === rel.id)!.autoExtendDuration).toBe('PT0S');
    expect(cloud.world.relationships.some((r) => r.displayName === 'Stranger_Invite')).toBe(false);
  });

  it('cannot open a port to GDAP Lens either', async () => {
    const outcome = await stranger.evaluate(async (id) => {
      const runtime = (globalThis as unknown as {
        chrome: { runtime: { connect(id: string): { onDisconnect: { addListener(f: () => void): void }; onMessage: { addListener(f: (m: unknown) => void): void }; postMessage(m: unknown): void } ; lastError?: { message: string } } };
      }).chrome.runtime;
      return new Promise<{ disconnected: boolean; messages: unknown[]; error: string | null }>((resolve) => {
        const messages: unknown[] = [];
        const port = runtime.connect(id);
        port.onMessage.addListener((m) => messages.push(m));
        port.onDisconnect.addListener(() => resolve({ disconnected: true, messages, error: runtime.lastError?.message ?? null }));
        try {
          port.postMessage({ id: 1, type: 'getStatus', data: undefined, timestamp: Date.now() });
        } catch {
          // a closed port throws
        }
        setTimeout(() => resolve({ disconnected: false, messages, error: null }), 3000);
      });
    }, browser.extensionId);
    tried('messages', 'another extension: runtime.connect to our id');
    answers.push(outcome);
    expect(outcome.messages).toEqual([]);
    expect(outcome.disconnected).toBe(true);
  });
});

describe("GDAP Lens's own content script", () => {
  let portal: Page;
  let cdp: CDPSession;
  let isolatedWorld: number;

  /** Sends one protocol message from the content script's isolated world on the portal page. */
  async function sendFromContentScript(type: string, data?: unknown): Promise<unknown> {
    const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
      contextId: isolatedWorld,
      awaitPromise: true,
      returnByValue: true,
      expression: `chrome.runtime.sendMessage({ id: Math.floor(Math.random() * 1e9), type: ${JSON.stringify(type)}, data: ${data === undefined ? 'undefined' : JSON.stringify(data)}, timestamp: Date.now() })`,
    });
    if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
    answers.push(result.value);
    return (result.value as { res?: unknown } | undefined)?.res;
  }

  beforeAll(async () => {
    portal = await browser.newPage();
    cdp = await browser.context.newCDPSession(portal);
    const contexts: Array<{ id: number; origin: string; auxData?: { type?: string } }> = [];
    cdp.on('Runtime.executionContextCreated', (e) => contexts.push(e.context as (typeof contexts)[number]));
    await cdp.send('Runtime.enable');
    await portal.goto(PC_LIST);
    await portal.locator('[data-gdap-badge]').nth(19).waitFor({ state: 'attached', timeout: 15_000 });
    const world = contexts.find((c) => c.auxData?.type === 'isolated' && c.origin.startsWith(`chrome-extension://${browser.extensionId}`));
    expect(world).toBeDefined();
    isolatedWorld = world!.id;
  });

  afterAll(async () => {
    await cdp?.detach().catch(() => undefined);
  });

  it('may read (the channel works), but what only the extension pages may do is dropped', async () => {
    const rel = target();
    const status = (await sendFromContentScript('getStatus')) as Status;
    expect(status.auth.state).toBe('signed-in');
    const before = await snapshot();
    const pageOnly: Command[] = ['signIn', 'signOut', 'syncNow', 'saveSettings', 'createInvitation', 'terminate', 'searchCustomers', 'setAutoExtendMany', 'exportCsv', 'checkRelationshipName', 'suggestRelationshipName'];
    const commands = everyCommand(rel.id, rel.customer!.tenantId!).filter(([c]) => pageOnly.includes(c));
    expect(commands).toHaveLength(pageOnly.length);
    for (const [type, data] of commands) expect(await sendFromContentScript(type, data), type).toBeUndefined();
    tried('messages', 'content script: commands for extension pages only', commands.length);
    await portal.waitForTimeout(500);
    expect(await snapshot()).toEqual(before);
    expect(cloud.world.relationships.some((r) => r.displayName === 'Stranger_Invite')).toBe(false);
  });

  it("may not ask what only the admin center's content script may, and neither may our own pages", async () => {
    const rel = target();
    const adminOnly = everyCommand(rel.id, rel.customer!.tenantId!).filter(([c]) => POLICY[c] === 'admin-center');
    expect(adminOnly.map(([c]) => c).sort()).toEqual(['analyzeInvitation', 'analyzePartners']);
    for (const [type, data] of adminOnly) {
      expect(await sendFromContentScript(type, data), `${type} from Partner Center`).toBeUndefined();
      const fromOptions = await sendFrom(options, type, data);
      answers.push(fromOptions);
      expect(fromOptions, `${type} from the options page`).toBeUndefined();
    }
    tried('messages', 'Partner Center content script and options page: admin center commands', adminOnly.length * 2);
  });
});

describe('tokens', () => {
  it('no answer to any sender in this file contains a token the fake login issued', async () => {
    answers.push(await sendFrom(options, 'getStatus'), await sendFrom(options, 'exportCsv'));
    const issued = cloud.login.issuedTokens;
    expect(issued.some((t) => t.kind === 'access')).toBe(true);
    expect(issued.some((t) => t.kind === 'refresh')).toBe(true);
    const all = JSON.stringify(answers);
    for (const t of issued) expect(all.includes(t.token), `${t.kind} token in an answer`).toBe(false);
    tried('messages', 'answers checked for every issued token', issued.length);
  });
});
