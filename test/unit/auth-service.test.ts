/**
 * createAuthService against the fake Entra sign-in (test/fake-cloud/login.ts).
 * launchWebAuthFlow is emulated by fetching the authorize URL and reading the 302 Location
 * (the fake has no UI); an Entra error page (no redirect) rejects with the page's AADSTS text.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { AuthError, type AuthConfig, type AuthErrorKind, type AuthService } from '../../utils/auth/types';
import { createAuthService, SESSION_KEY, SPA_REFRESH_LIFETIME_MS, type SessionRecord } from '../../utils/auth/service';
import { memoryArea } from '../../utils/storage-area';
import { fakeCloudFetch } from '../fake-cloud/client';
import { DEFAULT_CLIENT_ID, startFakeCloud, type FakeCloud } from '../fake-cloud/server';

const REDIRECT = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';
const ORIGIN = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
const LOGIN = 'https://login.microsoftonline.com';
const GRAPH = 'https://graph.microsoft.com';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let cloud: FakeCloud;
/** Every token, refresh token, ID token and code the fake handed out in this file. */
const secrets = new Set<string>();
/** Every AuthError the service threw in this file. */
const thrown: AuthError[] = [];

beforeAll(async () => {
  cloud = await startFakeCloud({ customers: 5, seed: 7 });
});
afterAll(async () => {
  await cloud?.stop();
});
beforeEach(() => {
  cloud.clock.reset();
  cloud.login.setAccessTokenLifetime(3600);
  cloud.login.setRequireOrigin(true);
  cloud.login.signInAs(adminAgent().userPrincipalName);
});

function adminAgent() {
  return cloud.world.users.find((u) => u.isAdminAgent)!;
}

function collectSecrets(value: unknown): void {
  if (typeof value === 'object' && value !== null) {
    for (const k of ['access_token', 'refresh_token', 'id_token'] as const) {
      const s = (value as Record<string, unknown>)[k];
      if (typeof s === 'string') secrets.add(s);
    }
  }
}

interface HarnessOptions {
  config?: Partial<AuthConfig> | null;
  redirectUri?: string;
  area?: ReturnType<typeof memoryArea>;
  /** Changes the authorize URL before the "browser" opens it. */
  tamperAuthorize?: (url: URL) => void;
  /** Changes the final redirect URL before it is handed back. */
  tamperCallback?: (url: URL, authorizeUrl: URL) => void;
  /** Rewrites the URL of every fetch (token endpoint). */
  rewriteFetchUrl?: (url: string) => string;
}

function harness(opts: HarnessOptions = {}) {
  const area = opts.area ?? memoryArea();
  const launches: Array<{ url: string; interactive: boolean }> = [];
  const tokenRequests: string[] = [];
  const ctl = { broken: false, skewMs: 0 };
  let config: AuthConfig | null =
    opts.config === null ? null : { cloud: 'global', clientId: DEFAULT_CLIENT_ID, tenant: 'organizations', ...opts.config };
  const base = fakeCloudFetch(cloud);
  const fetchImpl: typeof fetch = async (input, init) => {
    let url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (opts.rewriteFetchUrl) url = opts.rewriteFetchUrl(url);
    tokenRequests.push(url);
    if (ctl.broken) throw new TypeError('fetch failed');
    // A service worker's fetch sends its origin; Node's does not.
    const headers = new Headers(init?.headers);
    headers.set('Origin', ORIGIN);
    const res = await base(url, { ...init, headers });
    try {
      collectSecrets(await res.clone().json());
    } catch {
      /* not JSON */
    }
    return res;
  };
  const launchWebAuthFlow = async (url: string, interactive: boolean): Promise<string> => {
    launches.push({ url, interactive });
    const authorize = new URL(url);
    opts.tamperAuthorize?.(authorize);
    const res = await base(authorize.toString());
    if (res.status === 302) {
      const back = new URL(res.headers.get('location')!);
      const code = back.searchParams.get('code');
      if (code) secrets.add(code);
      opts.tamperCallback?.(back, authorize);
      return back.toString();
    }
    // An Entra error page: the user reads it and closes the window.
    const text = await res.text();
    const m = /AADSTS\d+:[^<]*/.exec(text);
    throw new Error(m ? m[0] : 'The user did not approve access.');
  };
  const service = createAuthService({
    config: async () => config,
    redirectUri: opts.redirectUri ?? REDIRECT,
    launchWebAuthFlow,
    session: area,
    fetch: fetchImpl,
    now: () => cloud.clock.nowMs() + ctl.skewMs,
  });
  return {
    service,
    area,
    launches,
    tokenRequests,
    ctl,
    setConfig(next: AuthConfig | null) {
      config = next;
    },
    record(): SessionRecord | undefined {
      return area.dump()[SESSION_KEY] as SessionRecord | undefined;
    },
  };
}

async function expectAuthError(promise: Promise<unknown>, kind: AuthErrorKind): Promise<AuthError> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected AuthError('${kind}')`).toBeInstanceOf(AuthError);
  const e = caught as AuthError;
  thrown.push(e);
  expect(e.kind, e.message).toBe(kind);
  return e;
}

function refreshCount(): number {
  return cloud.login.tokenLog.filter((e) => e.grantType === 'refresh_token').length;
}

function graphAccepts(token: string): boolean {
  return cloud.login.validateAccessToken(`Bearer ${token}`).ok;
}

describe('sign-in', () => {
  it('signs in: status shows the account, tokens only in the session area, never in the Account', async () => {
    const h = harness();
    expect(await h.service.status()).toEqual({ state: 'signed-out' });
    const status = await h.service.signIn();
    const user = adminAgent();
    const tid = cloud.world.partner.tenantId;
    expect(status.state).toBe('signed-in');
    if (status.state !== 'signed-in') return;
    expect(status.account).toEqual({
      name: user.displayName,
      username: user.userPrincipalName,
      tenantId: tid,
      signedInAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(await h.service.status()).toEqual(status);

    const token = await h.service.getAccessToken();
    expect(graphAccepts(token)).toBe(true);
    const rec = h.record()!;
    expect(rec.accessToken).toBe(token);
    expect(typeof rec.refreshToken).toBe('string');
    expect(rec.refreshDeadline - Date.parse(status.account.signedInAt)).toBe(SPA_REFRESH_LIFETIME_MS);
    expect(rec).toMatchObject({ cloud: 'global', clientId: DEFAULT_CLIENT_ID, issuer: `${LOGIN}/${tid}/v2.0`, state: 'signed-in' });
    // Only the one key in the session area, nothing in the extension's local/sync storage.
    expect(Object.keys(h.area.dump())).toEqual([SESSION_KEY]);
    expect(await fakeBrowser.storage.local.get()).toEqual({});
    expect(await fakeBrowser.storage.sync.get()).toEqual({});
    // The Account (what the UI sees) has no token.
    const shown = JSON.stringify(await h.service.status());
    expect(shown).not.toContain(token);
    expect(shown).not.toContain(rec.refreshToken!);
    // Exactly one code redemption, sent cross-origin.
    const redemptions = cloud.login.tokenLog.filter((e) => e.grantType === 'authorization_code');
    expect(redemptions.at(-1)).toMatchObject({ ok: true, origin: ORIGIN, tenant: 'organizations', clientId: DEFAULT_CLIENT_ID });
  });

  it('sends a PKCE authorization request with state, nonce and prompt=select_account', async () => {
    const h = harness({ config: { cloud: 'global' } });
    await h.service.signIn();
    expect(h.launches).toHaveLength(1);
    expect(h.launches[0]!.interactive).toBe(true);
    const url = new URL(h.launches[0]!.url);
    expect(url.origin + url.pathname).toBe(`${LOGIN}/organizations/oauth2/v2.0/authorize`);
    const q = url.searchParams;
    expect(q.get('client_id')).toBe(DEFAULT_CLIENT_ID);
    expect(q.get('response_type')).toBe('code');
    expect(q.get('redirect_uri')).toBe(REDIRECT);
    expect(q.get('scope')).toBe(`${GRAPH}/DelegatedAdminRelationship.ReadWrite.All openid profile offline_access`);
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('prompt')).toBe('select_account');
    expect(q.get('state')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(q.get('nonce')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(q.get('nonce')).not.toBe(q.get('state'));
  });

  it('opens one window for concurrent signIn calls', async () => {
    const h = harness();
    const [a, b] = await Promise.all([h.service.signIn(), h.service.signIn()]);
    expect(a).toEqual(b);
    expect(h.launches).toHaveLength(1);
  });

  it('refuses an answer whose state does not match (and never redeems its code)', async () => {
    const h = harness({ tamperCallback: (u) => u.searchParams.set('state', 'forged-state-value') });
    const before = cloud.login.tokenLog.length;
    const e = await expectAuthError(h.service.signIn(), 'invalid-response');
    expect(e.message).toMatch(/state/i);
    expect(cloud.login.tokenLog.length).toBe(before);
    expect(await h.service.status()).toEqual({ state: 'signed-out' });
    expect(h.area.dump()).toEqual({});
  });

  it('refuses an ID token whose nonce does not match', async () => {
    const h = harness({ tamperAuthorize: (u) => u.searchParams.set('nonce', 'a-nonce-the-client-never-made') });
    const e = await expectAuthError(h.service.signIn(), 'invalid-response');
    expect(e.message).toContain('nonce');
    // The server did issue tokens; the client threw them away.
    expect(cloud.login.tokenLog.at(-1)).toMatchObject({ grantType: 'authorization_code', ok: true });
    expect(await h.service.status()).toEqual({ state: 'signed-out' });
    expect(h.area.dump()).toEqual({});
  });

  it('resolves the {tenantid} issuer template from tid for organizations and common', async () => {
    const tid = cloud.world.partner.tenantId;
    for (const tenant of ['organizations', 'common']) {
      const h = harness({ config: { tenant } });
      const status = await h.service.signIn();
      expect(status.state).toBe('signed-in');
      expect(new URL(h.launches[0]!.url).pathname).toBe(`/${tenant}/oauth2/v2.0/authorize`);
      expect(h.record()!.issuer).toBe(`${LOGIN}/${tid}/v2.0`);
    }
  });

  it('signs in with the partner tenant GUID configured', async () => {
    const tid = cloud.world.partner.tenantId;
    const h = harness({ config: { tenant: tid.toUpperCase() } });
    const status = await h.service.signIn();
    expect(status).toMatchObject({ state: 'signed-in', account: { tenantId: tid } });
    expect(cloud.login.tokenLog.at(-1)).toMatchObject({ grantType: 'authorization_code', ok: true, tenant: tid.toUpperCase() });
    // Refresh goes to the same tenant endpoint and validates against the same issuer.
    cloud.login.advanceClock(59 * MINUTE);
    const token = await h.service.getAccessToken();
    expect(graphAccepts(token)).toBe(true);
  });

  it('refuses an ID token from another tenant than the configured GUID', async () => {
    const other = '11111111-2222-4333-8444-555555555555';
    // The fake knows only its own tenant; route the other tenant's endpoints to it, as if that
    // endpoint had answered with a token of the partner tenant.
    const rewrite = (url: string) => url.replace(`/${other}/`, '/organizations/');
    const h = harness({
      config: { tenant: other },
      rewriteFetchUrl: rewrite,
      tamperAuthorize: (u) => {
        u.pathname = rewrite(u.pathname);
      },
    });
    const e = await expectAuthError(h.service.signIn(), 'invalid-response');
    expect(e.message).toContain(other);
    expect(e.message).toContain(cloud.world.partner.tenantId);
    expect(h.tokenRequests.at(-1)).toBe(`${LOGIN}/organizations/oauth2/v2.0/token`);
    expect(await h.service.status()).toEqual({ state: 'signed-out' });
  });
});

describe('sign-in errors', () => {
  it('maps a closed window to cancelled and keeps nothing', async () => {
    const h = harness();
    const service = createAuthService({
      config: async () => ({ cloud: 'global', clientId: DEFAULT_CLIENT_ID, tenant: 'organizations' }),
      redirectUri: REDIRECT,
      launchWebAuthFlow: async () => {
        throw new Error('The user did not approve access.');
      },
      session: h.area,
      fetch: fakeCloudFetch(cloud),
    });
    await expectAuthError(service.signIn(), 'cancelled');
    expect(await service.status()).toEqual({ state: 'signed-out' });
    expect(h.area.dump()).toEqual({});
  });

  it('maps error redirects: access_denied → cancelled, consent_required → consent-required', async () => {
    const errorRedirect = (error: string, description: string) => (u: URL, authorize: URL) => {
      u.search = new URLSearchParams({ error, error_description: description, state: authorize.searchParams.get('state')! }).toString();
    };
    const denied = harness({ tamperCallback: errorRedirect('access_denied', 'AADSTS65004: User declined to consent to access the app.') });
    const e1 = await expectAuthError(denied.service.signIn(), 'cancelled');
    expect(e1.code).toBe('AADSTS65004');
    const consent = harness({ tamperCallback: errorRedirect('consent_required', 'AADSTS65001: The user or administrator has not consented.') });
    const e2 = await expectAuthError(consent.service.signIn(), 'consent-required');
    expect(e2.code).toBe('AADSTS65001');
    const interaction = harness({ tamperCallback: errorRedirect('interaction_required', 'AADSTS50076: MFA required.') });
    await expectAuthError(interaction.service.signIn(), 'consent-required');
  });

  it("maps another Entra error redirect to 'server' with its AADSTS code (real fake answer)", async () => {
    const h = harness({ tamperAuthorize: (u) => u.searchParams.delete('code_challenge') });
    const e = await expectAuthError(h.service.signIn(), 'server');
    expect(e.code).toBe('AADSTS9002325');
  });

  it('maps an unregistered redirect URI (AADSTS50011) to redirect-mismatch', async () => {
    const bad = 'https://zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz.chromiumapp.org/';
    const h = harness({ redirectUri: bad });
    const e = await expectAuthError(h.service.signIn(), 'redirect-mismatch');
    expect(e.code).toBe('AADSTS50011');
    expect(e.message).toContain(bad);
    expect(e.message).toContain('Single-page application');
  });

  it('maps a redirect URI registered as Web, not SPA (AADSTS9002326), to redirect-mismatch', async () => {
    const webClient = '4f6c7a52-6764-4170-8a4c-656e73000002';
    cloud.login.registerApp({ clientId: webClient, redirectUris: [REDIRECT], spa: false });
    const h = harness({ config: { clientId: webClient } });
    const e = await expectAuthError(h.service.signIn(), 'redirect-mismatch');
    expect(e.code).toBe('AADSTS9002326');
    expect(e.message).toContain(REDIRECT);
    expect(e.message).toContain('Single-page application');
    expect(await h.service.status()).toEqual({ state: 'signed-out' });
  });

  it('reports not-configured without a client ID', async () => {
    for (const config of [null, { clientId: '  ' }] as const) {
      const h = harness({ config });
      expect(await h.service.status()).toEqual({ state: 'not-configured' });
      await expectAuthError(h.service.signIn(), 'not-configured');
      await expectAuthError(h.service.getAccessToken(), 'not-configured');
      expect(h.launches).toHaveLength(0);
    }
  });
});

describe('tokens', () => {
  it('returns the cached access token while it has more than 2 minutes left', async () => {
    const h = harness();
    await h.service.signIn();
    const first = await h.service.getAccessToken();
    const n = refreshCount();
    cloud.login.advanceClock(57 * MINUTE);
    expect(await h.service.getAccessToken()).toBe(first);
    expect(refreshCount()).toBe(n);
  });

  it('refreshes silently when the access token is about to expire, rotating the refresh token', async () => {
    const h = harness();
    await h.service.signIn();
    const first = await h.service.getAccessToken();
    const firstRefresh = h.record()!.refreshToken!;
    const n = refreshCount();
    cloud.login.advanceClock(59 * MINUTE);
    const second = await h.service.getAccessToken();
    expect(second).not.toBe(first);
    expect(graphAccepts(second)).toBe(true);
    expect(refreshCount()).toBe(n + 1);
    expect(cloud.login.tokenLog.at(-1)).toMatchObject({ grantType: 'refresh_token', ok: true });
    const rec = h.record()!;
    expect(rec.refreshToken).toBeDefined();
    expect(rec.refreshToken).not.toBe(firstRefresh);
    expect(rec.accessToken).toBe(second);
    // The deadline does not slide.
    expect(rec.refreshDeadline).toBe(Date.parse(rec.account.signedInAt) + SPA_REFRESH_LIFETIME_MS);
    expect(h.launches).toHaveLength(1);
  });

  it('forceRefresh redeems the refresh token although the cached token looks valid (after a 401)', async () => {
    const h = harness();
    await h.service.signIn();
    const first = await h.service.getAccessToken();
    cloud.login.expireAllAccessTokens();
    expect(graphAccepts(first)).toBe(false);
    expect(await h.service.getAccessToken()).toBe(first);
    const fresh = await h.service.getAccessToken({ forceRefresh: true });
    expect(fresh).not.toBe(first);
    expect(graphAccepts(fresh)).toBe(true);
  });

  it('shares one refresh between 10 concurrent callers', async () => {
    const h = harness();
    await h.service.signIn();
    cloud.login.advanceClock(59 * MINUTE);
    const n = refreshCount();
    const tokens = await Promise.all(Array.from({ length: 10 }, () => h.service.getAccessToken()));
    expect(refreshCount()).toBe(n + 1);
    expect(new Set(tokens).size).toBe(1);
    expect(graphAccepts(tokens[0]!)).toBe(true);
    // And 10 concurrent forced refreshes after a 401: still one.
    const m = refreshCount();
    const forced = await Promise.all(Array.from({ length: 10 }, () => h.service.getAccessToken({ forceRefresh: true })));
    expect(refreshCount()).toBe(m + 1);
    expect(new Set(forced).size).toBe(1);
  });

  it('after 24 hours: sign-in-required, no refresh attempt and no window', async () => {
    const h = harness();
    await h.service.signIn();
    await h.service.getAccessToken();
    const tokenRequests = h.tokenRequests.length;
    cloud.login.advanceClock(24 * HOUR + MINUTE);
    await expectAuthError(h.service.getAccessToken(), 'sign-in-required');
    await expectAuthError(h.service.getAccessToken({ forceRefresh: true }), 'sign-in-required');
    expect(h.tokenRequests.length).toBe(tokenRequests);
    expect(h.launches).toHaveLength(1);
    const status = await h.service.status();
    expect(status).toMatchObject({ state: 'sign-in-required', account: { username: adminAgent().userPrincipalName } });
    const rec = h.record()!;
    expect(rec.state).toBe('sign-in-required');
    expect(rec.accessToken).toBeUndefined();
    expect(rec.refreshToken).toBeUndefined();
    // Signing in again recovers.
    expect((await h.service.signIn()).state).toBe('signed-in');
    expect(graphAccepts(await h.service.getAccessToken())).toBe(true);
  });

  it("status reports sign-in-required after 24 hours once the access token is gone, without any request", async () => {
    const h = harness();
    await h.service.signIn();
    const n = h.tokenRequests.length;
    cloud.login.advanceClock(24 * HOUR);
    expect((await h.service.status()).state).toBe('sign-in-required');
    expect(h.tokenRequests.length).toBe(n);
  });

  it('treats the server saying the SPA refresh token expired (AADSTS700084) as sign-in-required', async () => {
    const h = harness();
    await h.service.signIn();
    // Our clock runs 5 minutes behind the server's: we still think the refresh token is alive.
    cloud.login.advanceClock(24 * HOUR + MINUTE);
    h.ctl.skewMs = -5 * MINUTE;
    const e = await expectAuthError(h.service.getAccessToken(), 'sign-in-required');
    expect(e.code).toBe('AADSTS700084');
    expect(cloud.login.tokenLog.at(-1)).toMatchObject({ grantType: 'refresh_token', ok: false, errorCode: 700084 });
    expect(h.launches).toHaveLength(1);
    expect((await h.service.status()).state).toBe('sign-in-required');
    expect(h.record()!.refreshToken).toBeUndefined();
  });

  it('treats revoked grants as sign-in-required, keeps the account and opens no window', async () => {
    const h = harness();
    await h.service.signIn();
    cloud.login.revokeAll();
    const e = await expectAuthError(h.service.getAccessToken({ forceRefresh: true }), 'sign-in-required');
    expect(e.code).toBe('AADSTS50173');
    expect(h.launches).toHaveLength(1);
    const status = await h.service.status();
    expect(status).toMatchObject({ state: 'sign-in-required', account: { name: adminAgent().displayName } });
    // Later calls fail fast without a request.
    const n = h.tokenRequests.length;
    await expectAuthError(h.service.getAccessToken(), 'sign-in-required');
    expect(h.tokenRequests.length).toBe(n);
  });

  it('reports a network failure as network and keeps the session', async () => {
    const h = harness();
    await h.service.signIn();
    cloud.login.advanceClock(59 * MINUTE);
    h.ctl.broken = true;
    await expectAuthError(h.service.getAccessToken(), 'network');
    expect((await h.service.status()).state).toBe('signed-in');
    expect(h.record()!.refreshToken).toBeDefined();
    h.ctl.broken = false;
    expect(graphAccepts(await h.service.getAccessToken())).toBe(true);
  });

  it('lets an aborted caller stop waiting without cancelling the shared refresh', async () => {
    const h = harness();
    await h.service.signIn();
    cloud.login.advanceClock(59 * MINUTE);
    const n = refreshCount();
    const ac = new AbortController();
    const aborted = h.service.getAccessToken({ signal: ac.signal });
    const other = h.service.getAccessToken();
    ac.abort(new Error('caller went away'));
    await expect(aborted).rejects.toThrow('caller went away');
    expect(graphAccepts(await other)).toBe(true);
    expect(refreshCount()).toBe(n + 1);
  });
});

describe('session lifecycle', () => {
  it('survives a service-worker restart (new instance, same session area) without a token request', async () => {
    const area = memoryArea();
    const first = harness({ area });
    await first.service.signIn();
    const token = await first.service.getAccessToken();
    const second = harness({ area });
    expect(await second.service.status()).toEqual(await first.service.status());
    expect(await second.service.getAccessToken()).toBe(token);
    expect(second.tokenRequests).toHaveLength(0);
    expect(second.launches).toHaveLength(0);
    // And it can refresh with what it loaded.
    cloud.login.advanceClock(59 * MINUTE);
    expect(graphAccepts(await second.service.getAccessToken())).toBe(true);
  });

  it('drops the session when the settings move to another client ID or cloud', async () => {
    const h = harness();
    await h.service.signIn();
    h.setConfig({ cloud: 'global', clientId: '4f6c7a52-6764-4170-8a4c-656e73000099', tenant: 'organizations' });
    expect(await h.service.status()).toEqual({ state: 'signed-out' });
    await expectAuthError(h.service.getAccessToken(), 'sign-in-required');
    expect(h.area.dump()).toEqual({});

    const g = harness();
    await g.service.signIn();
    g.setConfig({ cloud: 'usgov-l4', clientId: DEFAULT_CLIENT_ID, tenant: 'organizations' });
    expect(await g.service.status()).toEqual({ state: 'signed-out' });
    // Back to the old settings: the session stays gone.
    g.setConfig({ cloud: 'global', clientId: DEFAULT_CLIENT_ID, tenant: 'organizations' });
    expect(await g.service.status()).toEqual({ state: 'signed-out' });
  });

  it('signOut clears memory and the session area', async () => {
    const h = harness();
    await h.service.signIn();
    expect(h.record()).toBeDefined();
    await h.service.signOut();
    expect(h.area.dump()).toEqual({});
    expect(await h.service.status()).toEqual({ state: 'signed-out' });
    await expectAuthError(h.service.getAccessToken(), 'sign-in-required');
    expect(h.launches).toHaveLength(1);
  });

  it('a refresh finishing after signOut does not bring the session back', async () => {
    const h = harness();
    await h.service.signIn();
    cloud.login.advanceClock(59 * MINUTE);
    const pending = h.service.getAccessToken();
    await h.service.signOut();
    await expectAuthError(pending, 'sign-in-required');
    expect(h.area.dump()).toEqual({});
    expect(await h.service.status()).toEqual({ state: 'signed-out' });
  });

  it('a sign-in finishing after signOut keeps nothing', async () => {
    let signOut: Promise<void> | undefined;
    // The user signs out (in another view) while the sign-in window is open.
    const h = harness({ tamperAuthorize: () => void (signOut = h.service.signOut()) });
    await expectAuthError(h.service.signIn(), 'cancelled');
    expect(signOut).toBeDefined();
    await signOut;
    expect(h.area.dump()).toEqual({});
    expect(await h.service.status()).toEqual({ state: 'signed-out' });
  });

  it('ignores a corrupt session record', async () => {
    const area = memoryArea({ [SESSION_KEY]: { version: 1, accessToken: 'x' } });
    const h = harness({ area });
    expect(await h.service.status()).toEqual({ state: 'signed-out' });
    expect(area.dump()).toEqual({});
  });
});

describe('error messages', () => {
  // Runs last in this file: checks every AuthError the tests above provoked.
  it('never contain a token or an authorization code', () => {
    expect(thrown.length).toBeGreaterThan(15);
    expect(secrets.size).toBeGreaterThan(20);
    for (const e of thrown) {
      for (const s of secrets) expect(e.message.includes(s), `${e.kind}: ${e.message}`).toBe(false);
      expect(e.message).not.toMatch(/[A-Za-z0-9_-]{40,}/);
    }
  });
});
