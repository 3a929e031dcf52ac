/**
 * `npm run demo`: the fake Microsoft cloud with 40 generated customers and Chromium with
 * the production build of GDAP Lens, pointed at it and signed in to the fake partner.
 *
 * With a display it opens a normal browser window to click around in, until Ctrl-C.
 * Without one (`npm run demo -- --headless`, or no DISPLAY) it saves a screenshot of each
 * view into demo-output/ (or `--out=DIR`) and prints their paths. `--lang=ko` shows the
 * Korean interface; `--wait` keeps a headless demo running until Ctrl-C.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startFakeCloud } from '../fake-cloud/server';
import { findInvitationRelationship } from '../fake-cloud/data';
import { launchExtension, REPO_ROOT, type ExtensionBrowser } from '../e2e/harness';
import { signInAndSync } from '../e2e/session';

interface DemoView {
  name: string;
  url: (b: ExtensionBrowser) => string;
  /** Something to wait for before the screenshot. */
  ready?: string;
  viewport?: { width: number; height: number };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const headless = args.includes('--headless') || !process.env.DISPLAY;
  const lang = args.find((a) => a.startsWith('--lang='))?.slice('--lang='.length);
  const out = args.find((a) => a.startsWith('--out='))?.slice('--out='.length);
  const outDir = out ? resolve(REPO_ROOT, out) : join(REPO_ROOT, 'demo-output');
  const wait = args.includes('--wait');

  const cloud = await startFakeCloud({ customers: 40, seed: 1 });
  let browser: ExtensionBrowser | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await browser?.close().catch(() => undefined);
    await cloud.stop().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    browser = await launchExtension({ cloud, headless, handleSignals: false, ...(lang ? { lang } : {}), viewport: headless ? { width: 1280, height: 800 } : null });
    const options = await signInAndSync(browser, cloud);
    if (!headless) await options.close();
    const relationship = findInvitationRelationship(cloud.world);
    const several = cloud.world.customers.find((c) => c.scenario === 'several-relationships');
    const views: DemoView[] = [
      { name: 'partner-center-customers', url: () => 'https://partner.microsoft.com/dashboard/v2/customers/list', ready: '[data-gdap-badge][data-tenant-id]' },
      { name: 'partner-center-gdap-list', url: () => 'https://partner.microsoft.com/dashboard/v2/customers/granularadminaccess/list', ready: '[data-gdap-badge][data-relationship-id]' },
      ...(several
        ? [{ name: 'partner-center-customer', url: () => `https://partner.microsoft.com/dashboard/v2/customers/${several.tenantId}/adminrelationships`, ready: '[data-gdap-badge]' }]
        : []),
      { name: 'popup', url: (b) => b.extensionUrl('popup.html'), ready: '[data-auth-state]', viewport: { width: 420, height: 720 } },
      { name: 'options', url: (b) => b.extensionUrl('options.html'), ready: '[data-testid=redirect-uri]' },
      { name: 'admin-center-partners', url: () => 'https://admin.microsoft.com/AdminPortal/Home#/partners', ready: '[data-gdap-badge][data-partner-name]' },
      ...(relationship
        ? [{ name: 'admin-center-approval', url: () => `https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/${relationship.id}`, ready: '[data-gdap-approval]' }]
        : []),
    ];

    console.log(`Fake cloud on port ${cloud.port} with ${cloud.world.customers.length} customers.`);
    if (headless) mkdirSync(outDir, { recursive: true });
    for (const view of views) {
      const page = await browser.newPage();
      if (view.viewport && headless) await page.setViewportSize(view.viewport);
      await page.goto(view.url(browser), { waitUntil: 'load' });
      if (view.ready) await page.locator(view.ready).first().waitFor({ timeout: 15_000 }).catch(() => undefined);
      await page.waitForTimeout(800);
      if (headless) {
        const file = join(outDir, `${view.name}${lang ? `.${lang}` : ''}.png`);
        await page.screenshot({ path: file, fullPage: false });
        console.log(file);
      }
    }
    if (headless && !wait) {
      await stop(0);
    } else if (headless) {
      console.log('Ready. Press Ctrl-C to stop the demo.');
    } else {
      console.log('The browser is open. Press Ctrl-C here to stop the demo.');
      browser.context.on('close', () => void stop(0));
    }
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    await stop(1);
  }
}

void main();
