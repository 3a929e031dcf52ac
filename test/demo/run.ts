/**
 * `npm run demo`: the fake Microsoft cloud with 40 generated customers and Chromium with
 * the production build of GDAP Lens, pointed at it.
 *
 * With a display it opens a normal browser window to click around in, until Ctrl-C.
 * Without one (`npm run demo -- --headless`, or no DISPLAY) it saves a screenshot of each
 * view into demo-output/ and prints their paths.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeCloud } from '../fake-cloud/server';
import { launchExtension, REPO_ROOT, type ExtensionBrowser } from '../e2e/harness';

const DEMO_CLIENT_ID = '00000000-0000-4000-8000-00000000d3e0';

interface DemoView {
  name: string;
  url: (b: ExtensionBrowser) => string;
  /** Something to wait for before the screenshot. */
  ready?: string;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const headless = args.includes('--headless') || !process.env.DISPLAY;
  const lang = args.find((a) => a.startsWith('--lang='))?.slice('--lang='.length);
  const outDir = join(REPO_ROOT, 'demo-output');

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
    browser = await launchExtension({ cloud, headless, ...(lang ? { lang } : {}), viewport: headless ? { width: 1280, height: 800 } : null });
    cloud.login.registerApp({ clientId: DEMO_CLIENT_ID, redirectUris: [browser.redirectUri] });
    const relationship = cloud.world.relationships.find((r) => r.status === 'approvalPending');
    const views: DemoView[] = [
      { name: 'partner-center-customers', url: () => 'https://partner.microsoft.com/dashboard/v2/customers/list', ready: '[data-gdap-prompt]' },
      { name: 'options', url: (b) => b.extensionUrl('options.html'), ready: '[data-testid=redirect-uri]' },
      { name: 'popup', url: (b) => b.extensionUrl('popup.html') },
      { name: 'admin-center-partners', url: () => 'https://admin.microsoft.com/AdminPortal/Home#/partners' },
      ...(relationship
        ? [{ name: 'admin-center-approval', url: () => `https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/${relationship.id}` }]
        : []),
    ];

    console.log(`Fake cloud on port ${cloud.port} with ${cloud.world.customers.length} customers.`);
    if (headless) mkdirSync(outDir, { recursive: true });
    for (const view of views) {
      const page = await browser.newPage();
      if (view.name === 'popup') await page.setViewportSize({ width: 400, height: 400 });
      await page.goto(view.url(browser), { waitUntil: 'load' });
      if (view.ready) await page.locator(view.ready).first().waitFor({ timeout: 15_000 }).catch(() => undefined);
      await page.waitForTimeout(800);
      if (headless) {
        const file = join(outDir, `${view.name}${lang ? `.${lang}` : ''}.png`);
        await page.screenshot({ path: file, fullPage: false });
        console.log(file);
      }
    }
    if (headless) {
      await stop(0);
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
