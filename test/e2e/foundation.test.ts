/**
 * The foundation's acceptance: the production build, loaded in real Chromium whose Microsoft
 * hostnames are mapped to the fake cloud, injects its content script on the fake Partner
 * Center, and its service worker reaches the fake sign-in and the fake Graph.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type FakeCloud } from '../fake-cloud/server';
import { launchExtension, type ExtensionBrowser } from './harness';

const CLIENT_ID = '11111111-2222-4333-8444-555555555555';
const GRAPH_LIST = 'https://graph.microsoft.com/v1.0/tenantRelationships/delegatedAdminRelationships?$top=300';

let cloud: FakeCloud;
let browser: ExtensionBrowser;

beforeAll(async () => {
  cloud = await startFakeCloud({ customers: 40, seed: 7 });
  browser = await launchExtension({ cloud });
  cloud.login.registerApp({ clientId: CLIENT_ID, redirectUris: [browser.redirectUri] });
});

afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
});

describe('content script on the fake Partner Center', () => {
  it('injects on the real match pattern and shows one sign-in prompt on a known page', async () => {
    const page = await browser.newPage();
    await page.goto('https://partner.microsoft.com/en-us/dashboard/v2/customers/list');
    const prompt = page.locator('[data-gdap-prompt="signed-out"]');
    await expect.poll(() => prompt.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => prompt.getByRole('status').getAttribute('aria-label')).toMatch(/sign in/i);
    // The page really is the fake portal, served over https at the real origin.
    expect(await page.evaluate(() => location.origin)).toBe('https://partner.microsoft.com');
    expect(cloud.requests.some((r) => r.host === 'partner.microsoft.com' && r.status === 200)).toBe(true);
    await page.close();
  });

  it("follows the portal's client-side navigation: prompt gone on Home, back on the customer list", async () => {
    const page = await browser.newPage();
    await page.goto('https://partner.microsoft.com/dashboard/v2/customers/list');
    const prompt = page.locator('[data-gdap-prompt]');
    await expect.poll(() => prompt.count(), { timeout: 15_000 }).toBe(1);
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    // The portal's own nav link, inside <pc-shell>'s open shadow root.
    await page.locator('pc-shell nav.side a[href="/dashboard/home"]').click();
    await expect.poll(() => page.url()).toMatch(/\/dashboard\/home$/);
    await expect.poll(() => prompt.count(), { timeout: 10_000 }).toBe(0);
    await page.goBack();
    await expect.poll(() => prompt.count(), { timeout: 10_000 }).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    await page.close();
  });

  it('opens the options page from the prompt through a sender-checked message to the background', async () => {
    const page = await browser.newPage();
    await page.goto('https://partner.microsoft.com/dashboard/commerce2/customers/list');
    const signIn = page.locator('[data-gdap-prompt]').getByRole('button', { name: 'Sign in' });
    const [options] = await Promise.all([
      browser.context.waitForEvent('page', { predicate: (p) => p.url().endsWith('/options.html'), timeout: 15_000 }),
      signIn.click(),
    ]);
    expect(options.url()).toBe(browser.extensionUrl('options.html'));
    await expect.poll(() => options.getByTestId('redirect-uri').textContent()).toBe(browser.redirectUri);
    await options.close();
    await page.close();
  });

  it('adds nothing to a page it does not know, and nothing reaches the console', async () => {
    const page = await browser.newPage();
    await page.goto('https://partner.microsoft.com/dashboard/home');
    await page.waitForTimeout(1500);
    expect(await page.locator('[data-gdap-prompt]').count()).toBe(0);
    const fromPortal = browser.consoleErrors.filter((e) => e.pageUrl.startsWith('https://partner.microsoft.com'));
    expect(fromPortal).toEqual([]);
    await page.close();
  });
});

describe('service worker and the fake cloud', () => {
  it('completes identity.launchWebAuthFlow with PKCE against the fake authorize endpoint and calls Graph', async () => {
    const sw = await browser.serviceWorker();
    const result = await sw.evaluate(
      async ({ clientId, redirectUri, graphList }) => {
        const b64url = (bytes: ArrayBuffer | Uint8Array) =>
          btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
        const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
        const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
        const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
        const authorize = new URL('https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize');
        authorize.search = new URLSearchParams({
          client_id: clientId,
          response_type: 'code',
          redirect_uri: redirectUri,
          scope: 'https://graph.microsoft.com/DelegatedAdminRelationship.ReadWrite.All offline_access',
          state,
          code_challenge: challenge,
          code_challenge_method: 'S256',
        }).toString();
        const api = (globalThis as unknown as { chrome: { identity: { launchWebAuthFlow(o: object): Promise<string> } } }).chrome;
        const back = new URL(await api.identity.launchWebAuthFlow({ url: authorize.toString(), interactive: true }));
        const code = back.searchParams.get('code');
        const tokenResponse = await fetch('https://login.microsoftonline.com/organizations/oauth2/v2.0/token', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            client_id: clientId,
            grant_type: 'authorization_code',
            code: code ?? '',
            redirect_uri: redirectUri,
            code_verifier: verifier,
          }),
        });
        const token = (await tokenResponse.json()) as { access_token?: string; refresh_token?: string };
        const withoutToken = await fetch(graphList);
        const graph = await fetch(graphList, { headers: { authorization: `Bearer ${token.access_token}` } });
        const body = (await graph.json()) as { value?: unknown[]; '@odata.nextLink'?: string };
        return {
          stateMatches: back.searchParams.get('state') === state,
          hasCode: !!code,
          tokenStatus: tokenResponse.status,
          hasRefreshToken: typeof token.refresh_token === 'string',
          withoutTokenStatus: withoutToken.status,
          graphStatus: graph.status,
          count: body.value?.length ?? -1,
        };
      },
      { clientId: CLIENT_ID, redirectUri: browser.redirectUri, graphList: GRAPH_LIST },
    );
    expect(result).toMatchObject({ stateMatches: true, hasCode: true, tokenStatus: 200, hasRefreshToken: true, withoutTokenStatus: 401, graphStatus: 200 });
    const expected = Math.min(300, cloud.world.relationships.length);
    expect(result.count).toBe(expected);
    const graphCalls = cloud.requests.filter((r) => r.host === 'graph.microsoft.com' && r.path.startsWith('/v1.0/tenantRelationships/delegatedAdminRelationships'));
    expect(graphCalls.map((r) => r.status).sort()).toEqual([200, 401]);
    expect(cloud.requests.some((r) => r.host === 'login.microsoftonline.com' && r.path.includes('/oauth2/v2.0/authorize'))).toBe(true);
  });
});

describe('Korean browser', () => {
  it('shows the page prompt in Korean', async () => {
    const ko = await launchExtension({ cloud, lang: 'ko' });
    try {
      const page = await ko.newPage();
      await page.goto('https://partner.microsoft.com/ko-kr/dashboard/commerce2/customers/list');
      const status = page.locator('[data-gdap-prompt]').getByRole('status');
      await expect.poll(() => status.count(), { timeout: 15_000 }).toBe(1);
      expect(await status.getAttribute('aria-label')).toMatch(/로그인/);
    } finally {
      await ko.close();
    }
  });
});
