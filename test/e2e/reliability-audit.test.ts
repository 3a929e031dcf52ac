/**
 * Reliability, audit of what ships and what it leaves behind.
 *
 * Already covered (not repeated): the permissions and host permissions of each built
 * manifest, no `content_security_policy` (the default CSP), no test host, `<all_urls>`,
 * `tabs`, `unsafe-eval` or `externally_connectable` (built-manifests.test.ts); the access
 * token kept in storage.session only, never in storage.local or an answer
 * (background.test.ts).
 *
 * Here:
 * - every built JavaScript file of the Chrome, Edge and Firefox builds: no `eval`, no
 *   `new Function`/`Function(…)`, no string timers, no `document.write`,
 *   `insertAdjacentHTML`, `outerHTML`, `srcdoc` or `createContextualFragment`, and
 *   `innerHTML` only where Preact writes `dangerouslySetInnerHTML` (or clears it), which
 *   no source file uses, so it is unreachable;
 * - each manifest's keys are exactly the intended ones, and its optional host permissions
 *   exactly the sovereign clouds';
 * - over a whole session in the browser (sign-in through the options page, sync, a Partner
 *   Center page, auto-extend from the popup, sign-out): no token the fake login issued
 *   (access, refresh, ID) appears in any console message of any page or the service worker,
 *   in storage.local, or in IndexedDB.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type FakeCloud } from '../fake-cloud/server';
import { tried } from '../reliability/tally';
import { launchExtension, REPO_ROOT, type ExtensionBrowser } from './harness';
import { sendFrom, TEST_CLIENT_ID } from './session';
import { DB_NAME } from '../../utils/store/db';

const BUILDS = ['chrome-mv3', 'edge-mv3', 'firefox-mv3'] as const;

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path, ext);
    return path.endsWith(ext) ? [path] : [];
  });
}

/** Code that turns a string into code or markup. */
const FORBIDDEN: Array<[string, RegExp]> = [
  ['eval', /(?<![\w$.])eval\s*\(/],
  ['new Function', /new\s+Function\s*\(/],
  ['Function constructor', /(?<![\w$.])Function\s*\(/],
  ['string timer', /\bset(?:Timeout|Interval)\s*\(\s*["'`]/],
  ['document.write', /document\.write(?:ln)?\s*\(/],
  ['insertAdjacentHTML', /insertAdjacentHTML/],
  ['outerHTML assignment', /outerHTML\s*=(?!=)/],
  ['srcdoc', /srcdoc/i],
  ['createContextualFragment', /createContextualFragment/],
  ['DOMParser', /DOMParser/],
];

/** Every `innerHTML` in a built file must look like one of Preact's own uses. */
const PREACT_INNER_HTML = [
  /\.innerHTML\s*=\s*""/, // clearing
  /\.innerHTML\s*=\s*[\w$]+\.__html\b/, // dangerouslySetInnerHTML
  /[\w$]+\.__html\s*==\s*[\w$]+\.innerHTML/, // comparing before a write
];

describe.each(BUILDS)('built code of %s', (build) => {
  const dir = join(REPO_ROOT, '.output', build);
  const files = filesUnder(dir, '.js');

  it('has JavaScript to scan (background, both content scripts, popup, options)', () => {
    const names = files.map((f) => relative(dir, f));
    expect(names).toContain('background.js');
    expect(names).toContain('content-scripts/partner-center.js');
    expect(names).toContain('content-scripts/admin-center.js');
    expect(names.length).toBeGreaterThanOrEqual(5);
  });

  it('never turns a string into code or markup', () => {
    const hits: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const [what, re] of FORBIDDEN) {
        const m = re.exec(text);
        if (m) hits.push(`${relative(dir, file)}: ${what}: …${text.slice(Math.max(0, m.index - 60), m.index + 60)}…`);
      }
      tried('audit', `${build} ${relative(dir, file)}: scanned for eval, Function, string timers and markup sinks`, FORBIDDEN.length);
    }
    expect(hits).toEqual([]);
  });

  it("uses innerHTML only in Preact's dangerouslySetInnerHTML path, which no source uses", () => {
    const unexplained: string[] = [];
    let preact = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/innerHTML/g)) {
        const around = text.slice(Math.max(0, m.index - 40), m.index + 40);
        if (PREACT_INNER_HTML.some((re) => re.test(around))) preact++;
        else unexplained.push(`${relative(dir, file)}: …${around}…`);
      }
    }
    expect(unexplained).toEqual([]);
    tried('audit', `${build}: innerHTML uses explained`, preact);
    // The path is taken only for a vnode with dangerouslySetInnerHTML.
    const sources = ['components', 'entrypoints', 'utils'].flatMap((d) => [...filesUnder(join(REPO_ROOT, d), '.ts'), ...filesUnder(join(REPO_ROOT, d), '.tsx')]);
    const users = sources.filter((f) => /dangerouslySetInnerHTML|innerHTML|outerHTML|insertAdjacentHTML/.test(readFileSync(f, 'utf8')));
    expect(users.map((f) => relative(REPO_ROOT, f))).toEqual([]);
  });

  it('has exactly the intended manifest keys, and the sovereign clouds as its only optional hosts', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    const expected = [
      'action',
      'background',
      'content_scripts',
      'default_locale',
      'description',
      'host_permissions',
      'icons',
      'manifest_version',
      'name',
      'optional_host_permissions',
      'options_ui',
      'permissions',
      'short_name',
      'version',
      ...(build === 'firefox-mv3' ? ['browser_specific_settings'] : []),
    ];
    expect(Object.keys(manifest).sort()).toEqual(expected.sort());
    expect([...(manifest.optional_host_permissions as string[])].sort()).toEqual(
      [
        'https://login.microsoftonline.us/*',
        'https://graph.microsoft.us/*',
        'https://dod-graph.microsoft.us/*',
        'https://login.chinacloudapi.cn/*',
        'https://microsoftgraph.chinacloudapi.cn/*',
      ].sort(),
    );
    tried('audit', `${build}: manifest keys and optional hosts`);
  });
});

describe('no token in logs or storage over a whole session', () => {
  let cloud: FakeCloud;
  let browser: ExtensionBrowser;
  let options: Page;
  const leaks: string[] = [];

  /** Storage the extension keeps: storage.local and every IndexedDB record, as text. */
  async function persisted(page: Page): Promise<{ local: string; idb: string }> {
    return page.evaluate(async (dbName) => {
      const api = (globalThis as unknown as { chrome: { storage: { local: { get(k: null): Promise<unknown> } } } }).chrome;
      const local = JSON.stringify(await api.storage.local.get(null));
      const dbs = await indexedDB.databases();
      const parts: string[] = [];
      for (const info of dbs) {
        if (!info.name) continue;
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const r = indexedDB.open(info.name!);
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
        for (const store of Array.from(db.objectStoreNames)) {
          const all = await new Promise<unknown[]>((resolve, reject) => {
            const r = db.transaction(store).objectStore(store).getAll();
            r.onsuccess = () => resolve(r.result);
            r.onerror = () => reject(r.error);
          });
          parts.push(`${info.name}/${store}:${JSON.stringify(all)}`);
        }
        db.close();
      }
      if (!dbs.some((d) => d.name === dbName)) parts.push(`(no ${dbName})`);
      return { local, idb: parts.join('\n') };
    }, DB_NAME);
  }

  function checkForTokens(where: string, text: string): void {
    for (const t of cloud.login.issuedTokens) if (text.includes(t.token)) leaks.push(`${t.kind} token in ${where}`);
  }

  beforeAll(async () => {
    cloud = await startFakeCloud({ customers: 40, seed: 91 });
    browser = await launchExtension({ cloud });
    cloud.login.registerApp({ clientId: TEST_CLIENT_ID, redirectUris: [browser.redirectUri] });
    options = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await cloud?.stop();
  });

  it('the console collector hears the service worker and the pages (so silence means something)', async () => {
    const worker = await browser.serviceWorker();
    await worker.evaluate(() => console.log('audit-probe-worker'));
    await options.goto(browser.extensionUrl('options.html'));
    await options.evaluate(() => console.info('audit-probe-page'));
    await expect.poll(() => browser.consoleAll.some((e) => e.text === 'audit-probe-worker'), { timeout: 5_000 }).toBe(true);
    await expect.poll(() => browser.consoleAll.some((e) => e.text === 'audit-probe-page'), { timeout: 5_000 }).toBe(true);
  });

  it('signs in through the options page, syncs, shows Partner Center, switches auto-extend on, refreshes the token, signs out', async () => {
    await options.getByLabel('Application (client) ID').fill(TEST_CLIENT_ID);
    await options.getByLabel('Application (client) ID').blur();
    const signIn = options.getByRole('button', { name: 'Sign in' });
    await expect.poll(() => signIn.isEnabled(), { timeout: 10_000 }).toBe(true);
    await signIn.click();
    await expect.poll(() => sendFrom<{ sync: { lastSuccess: string | null } }>(options, 'getStatus').then((s) => s.sync.lastSuccess !== null), { timeout: 30_000 }).toBe(true);

    const portal = await browser.newPage();
    await portal.goto('https://partner.microsoft.com/dashboard/v2/customers/list?pageSize=50');
    await expect.poll(() => portal.locator('[data-gdap-badge]').count(), { timeout: 15_000 }).toBe(cloud.world.customers.length);

    const popup = await browser.newPage();
    await popup.goto(browser.extensionUrl('popup.html'));
    await popup.getByRole('tab', { name: /Expiring/ }).click();
    const eligible = popup.locator('li[data-relationship-id]:has(input[type="checkbox"]:not([disabled]))').first();
    await eligible.waitFor({ timeout: 15_000 });
    const row = popup.locator(`li[data-relationship-id="${await eligible.getAttribute('data-relationship-id')}"]`);
    await row.locator('input[type="checkbox"]').check();
    await popup.getByRole('button', { name: 'Enable auto-extend' }).first().click();
    await expect.poll(() => row.locator('[data-outcome]').getAttribute('data-outcome').catch(() => null), { timeout: 15_000 }).toBe('ok');

    // A refresh grant too, with a 401 on the way.
    cloud.login.expireAllAccessTokens();
    expect(await sendFrom(options, 'syncNow')).toMatchObject({ ok: true });
    expect(cloud.login.tokenLog.some((t) => t.grantType === 'refresh_token' && t.ok)).toBe(true);

    const signedIn = await persisted(options);
    checkForTokens('storage.local while signed in', signedIn.local);
    checkForTokens('IndexedDB while signed in', signedIn.idb);
    expect(signedIn.idb).toContain(`${DB_NAME}/relationships:`); // the dump read the cache

    await options.bringToFront();
    await options.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => sendFrom<{ auth: { state: string } }>(options, 'getStatus').then((s) => s.auth.state), { timeout: 10_000 }).not.toBe('signed-in');
    const signedOut = await persisted(options);
    checkForTokens('storage.local after sign-out', signedOut.local);
    checkForTokens('IndexedDB after sign-out', signedOut.idb);
    await Promise.all([portal.close(), popup.close()]);
  });

  it('no issued token appears in any console message, storage.local or IndexedDB', () => {
    const issued = cloud.login.issuedTokens;
    expect(issued.filter((t) => t.kind === 'access').length).toBeGreaterThanOrEqual(2);
    expect(issued.filter((t) => t.kind === 'refresh').length).toBeGreaterThanOrEqual(1);
    for (const e of browser.consoleAll) checkForTokens(`console of ${e.pageUrl}`, e.text);
    tried('audit', 'console messages checked for every issued token', browser.consoleAll.length);
    tried('audit', 'issued tokens looked for in console, storage.local and IndexedDB', issued.length);
    expect(leaks).toEqual([]);
  });
});
