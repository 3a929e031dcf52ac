/**
 * The one way every end-to-end test, benchmark and the demo starts a browser:
 * Debian's Chromium with the PRODUCTION build of the extension loaded unchanged,
 * and the real Microsoft hostnames mapped to the local fake cloud.
 */
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page, type Worker } from 'playwright-core';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROME_BUILD = join(REPO_ROOT, '.output/chrome-mv3');

/** Flags every launch needs on these machines (no network but the loopback). */
export const BASE_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** What the harness needs of a fake cloud (test/fake-cloud/server.ts provides it). */
export interface MappedCloud {
  chromiumArgs(): string[];
}

export interface LaunchOptions {
  /** Map the Microsoft hosts to this fake cloud. */
  cloud?: MappedCloud;
  /** Defaults to the production Chrome build in .output/chrome-mv3. */
  extensionPath?: string;
  /** Default true; false opens a window (needs a display). */
  headless?: boolean;
  /** Browser UI language, e.g. 'ko' to see the Korean locale. */
  lang?: string;
  /** Keep the profile folder after close (the demo uses its own). */
  userDataDir?: string;
  viewport?: { width: number; height: number } | null;
  /** false: the caller handles Ctrl-C and SIGTERM itself (the demo closes everything in order). */
  handleSignals?: boolean;
  /** Folders of other unpacked extensions to load next to GDAP Lens (e.g. a stranger that messages it). */
  extraExtensions?: string[];
}

export interface ConsoleEntry {
  pageUrl: string;
  type: string;
  text: string;
}

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  /** browser.identity.getRedirectURL() of this extension. */
  redirectUri: string;
  serviceWorker(): Promise<Worker>;
  /** Errors and warnings from every page and the service worker, and uncaught page errors. */
  consoleErrors: ConsoleEntry[];
  /** Every console message of every page and service worker, of any type (for audits of what is logged). */
  consoleAll: ConsoleEntry[];
  newPage(): Promise<Page>;
  extensionUrl(path: string): string;
  close(): Promise<void>;
}

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  throw new Error('Debian Chromium not found: install it with `apt-get install -y chromium` (or set CHROMIUM_PATH).');
}

/** Refuses to test anything but a production build whose manifest names no test host. */
export function assertProductionBuild(path: string): void {
  const manifestPath = join(path, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new Error(`No extension build at ${path}: run \`npx wxt build -b chrome\` first (npm run test:e2e does).`);
  }
  const manifest = readFileSync(manifestPath, 'utf8');
  if (/127\.0\.0\.1|localhost/.test(manifest)) throw new Error(`${manifestPath} names a local test host`);
  if (existsSync(join(path, 'reload'))) throw new Error(`${path} looks like a development build`);
}

/** The id Chromium gives an unpacked extension: SHA-256 of its absolute path, first 32 hex digits written as a–p. */
export function unpackedExtensionId(path: string): string {
  const hex = createHash('sha256').update(realpathSync(path)).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

export async function launchExtension(opts: LaunchOptions = {}): Promise<ExtensionBrowser> {
  const extensionPath = opts.extensionPath ?? CHROME_BUILD;
  assertProductionBuild(extensionPath);
  const ownProfile = !opts.userDataDir;
  const userDataDir = opts.userDataDir ?? mkdtempSync(join(tmpdir(), 'gdap-lens-profile-'));
  const extensions = [extensionPath, ...(opts.extraExtensions ?? [])].join(',');
  const args = [
    ...BASE_CHROMIUM_ARGS,
    `--disable-extensions-except=${extensions}`,
    `--load-extension=${extensions}`,
    ...(opts.lang ? [`--lang=${opts.lang}`] : []),
    ...(opts.cloud ? opts.cloud.chromiumArgs() : []),
  ];
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: opts.headless ?? true,
    args,
    ...(opts.lang ? { locale: opts.lang } : {}),
    viewport: opts.viewport === undefined ? { width: 1280, height: 800 } : opts.viewport,
    ...(opts.handleSignals === false ? { handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false } : {}),
    env: { ...process.env, ...(opts.lang ? { LANGUAGE: opts.lang, LANG: `${opts.lang}_KR.UTF-8` } : {}) },
  });

  const consoleErrors: ConsoleEntry[] = [];
  const consoleAll: ConsoleEntry[] = [];
  const watch = (page: Page) => {
    page.on('console', (msg: ConsoleMessage) => {
      consoleAll.push({ pageUrl: page.url(), type: msg.type(), text: msg.text() });
      if (msg.type() === 'error' || msg.type() === 'warning') {
        consoleErrors.push({ pageUrl: page.url(), type: msg.type(), text: msg.text() });
      }
    });
    page.on('pageerror', (err) => consoleErrors.push({ pageUrl: page.url(), type: 'pageerror', text: String(err) }));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  const watchWorker = (w: Worker) => w.on('console', (msg: ConsoleMessage) => consoleAll.push({ pageUrl: w.url(), type: msg.type(), text: msg.text() }));
  context.serviceWorkers().forEach(watchWorker);
  context.on('serviceworker', watchWorker);

  // With other extensions loaded, GDAP Lens's worker is the one at its own id.
  const ownId = opts.extraExtensions?.length ? unpackedExtensionId(extensionPath) : null;
  const isOwnWorker = (w: Worker) => w.url().startsWith(ownId ? `chrome-extension://${ownId}/` : 'chrome-extension://');
  const serviceWorker = async (): Promise<Worker> => {
    const existing = context.serviceWorkers().find(isOwnWorker);
    if (existing) return existing;
    return context.waitForEvent('serviceworker', { predicate: isOwnWorker, timeout: 20_000 });
  };
  const sw = await serviceWorker();
  const extensionId = new URL(sw.url()).host;

  return {
    context,
    extensionId,
    redirectUri: `https://${extensionId}.chromiumapp.org/`,
    serviceWorker,
    consoleErrors,
    consoleAll,
    newPage: () => context.newPage(),
    extensionUrl: (path: string) => `chrome-extension://${extensionId}/${path.replace(/^\//, '')}`,
    async close() {
      await context.close().catch(() => undefined);
      if (ownProfile) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Stops every service worker the way Chrome does when one goes idle (CDP
 * `ServiceWorker.stopAllWorkers`) and waits until GDAP Lens's worker reports `stopped`.
 * `page` is any page of the browser (the CDP session is opened on it). The worker starts
 * again on its next event, e.g. a message. Playwright's own Worker handle goes stale.
 */
export async function stopServiceWorkers(browser: ExtensionBrowser, page: Page): Promise<void> {
  const cdp = await browser.context.newCDPSession(page);
  try {
    let status: string | undefined;
    const own = `chrome-extension://${browser.extensionId}/`;
    cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
      for (const v of e.versions) if (v.scriptURL.startsWith(own)) status = v.runningStatus;
    });
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    const until = Date.now() + 10_000;
    while (status !== 'stopped') {
      if (Date.now() > until) throw new Error(`the service worker did not stop (status: ${status ?? 'unknown'})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/**
 * The same Chromium and host mapping without the extension: for tests of the fake portals
 * themselves, and for benchmarks that compare a page with and without GDAP Lens.
 */
export function launchPlainBrowser(opts: { cloud: MappedCloud; headless?: boolean }): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: opts.headless ?? true,
    args: [...BASE_CHROMIUM_ARGS, ...opts.cloud.chromiumArgs()],
  });
}
