/**
 * Signs the extension in to the fake cloud the quick way (the options page's UI flow has
 * its own test in background.test.ts) and waits for the first sync.
 */
import type { Page } from 'playwright-core';
import type { FakeCloud } from '../fake-cloud/server';
import type { ExtensionBrowser } from './harness';

export const TEST_CLIENT_ID = '3c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5';

/** Sends one protocol message from an extension page, in the messaging library's wire format. */
export async function sendFrom<T = unknown>(page: Page, type: string, data?: unknown): Promise<T> {
  const reply = await page.evaluate(
    ({ type, data }) =>
      (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({
        id: Math.floor(Math.random() * 1e9),
        type,
        data,
        timestamp: Date.now(),
      }),
    { type, data },
  );
  return (reply as { res: T } | undefined)?.res as T;
}

/** Registers the app, signs in through the background and waits until the first sync is stored. */
export async function signInAndSync(browser: ExtensionBrowser, cloud: FakeCloud): Promise<Page> {
  cloud.login.registerApp({ clientId: TEST_CLIENT_ID, redirectUris: [browser.redirectUri] });
  const page = await browser.newPage();
  await page.goto(browser.extensionUrl('options.html'));
  await sendFrom(page, 'saveSettings', { clientId: TEST_CLIENT_ID });
  const signIn = await sendFrom<{ ok: boolean }>(page, 'signIn');
  if (!signIn?.ok) throw new Error(`sign-in failed: ${JSON.stringify(signIn)}`);
  await sendFrom(page, 'syncNow');
  const status = await sendFrom<{ sync: { lastSuccess: string | null } }>(page, 'getStatus');
  if (!status.sync.lastSuccess) throw new Error('the first sync did not complete');
  return page;
}
