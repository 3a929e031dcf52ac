/**
 * The OAuth layer with a scripted Entra (cases the fake sign-in cannot produce: foreign
 * issuers, other clouds, odd error bodies), plus the pure helpers.
 */
import { describe, expect, it } from 'vitest';
import { AUTH_ERROR_KEYS, describeAuthErrorKey } from '../../utils/auth/errors';
import { launchRejectionToAuthError, parseAadsts, safeDescription } from '../../utils/auth/oauth';
import { createAuthService, SESSION_KEY, type SessionRecord } from '../../utils/auth/service';
import { AuthError, type AuthConfig, type AuthErrorKind } from '../../utils/auth/types';
import { memoryArea } from '../../utils/storage-area';

const REDIRECT = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';
const CLIENT = '4f6c7a52-6764-4170-8a4c-656e73000001';
const TID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_TID = '0c7e2b8a-1111-4222-8333-944444444444';
const CODE = `1.AXYZ${'c'.repeat(120)}`;
const LONG_SECRET = `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9${'s'.repeat(80)}`;

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** An RS256-shaped JWT (the signature is not checked for token-endpoint answers). */
function jwt(payload: Record<string, unknown>): string {
  return `${b64url({ typ: 'JWT', alg: 'RS256', kid: 'k1' })}.${b64url(payload)}.${Buffer.from('signature').toString('base64url')}`;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8' } });
}

interface Script {
  config?: Partial<AuthConfig>;
  /** Claims of the ID token of the code redemption (defaults: a valid one for TID). */
  idToken?: (defaults: Record<string, unknown>) => Record<string, unknown>;
  /** Overrides the whole answer of the code redemption. */
  codeAnswer?: () => Response;
  /** Answer to refresh_token grants. */
  refreshAnswer?: (defaults: Record<string, unknown>) => Response;
  /** Changes the final redirect. */
  callback?: (url: URL) => void;
}

function scripted(script: Script = {}) {
  const area = memoryArea();
  const requests: Array<{ url: string; form: URLSearchParams }> = [];
  const launches: URL[] = [];
  let nonce = '';
  let clock = Date.now();
  const config: AuthConfig = { cloud: 'global', clientId: CLIENT, tenant: 'organizations', ...script.config };
  let tokenCounter = 0;

  const claims = (): Record<string, unknown> => {
    const now = Math.floor(clock / 1000);
    const issuerHost = config.cloud === 'china' ? 'https://login.chinacloudapi.cn' : config.cloud === 'global' ? 'https://login.microsoftonline.com' : 'https://login.microsoftonline.us';
    return {
      aud: CLIENT,
      iss: `${issuerHost}/${TID}/v2.0`,
      iat: now,
      nbf: now,
      exp: now + 3600,
      sub: 'subject-1',
      tid: TID,
      nonce,
      name: 'Adele Vance',
      preferred_username: 'adele@contoso.example',
    };
  };
  const tokenBody = (idClaims: Record<string, unknown>): Record<string, unknown> => {
    tokenCounter++;
    return {
      token_type: 'Bearer',
      expires_in: 3600,
      access_token: `${LONG_SECRET}.at${tokenCounter}`,
      refresh_token: `${LONG_SECRET}.rt${tokenCounter}`,
      id_token: jwt(idClaims),
    };
  };

  const fetchImpl: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const form = new URLSearchParams(init?.body instanceof URLSearchParams ? init.body : String(init?.body ?? ''));
    requests.push({ url, form });
    if (form.get('grant_type') === 'authorization_code') {
      if (script.codeAnswer) return script.codeAnswer();
      return json(200, tokenBody(script.idToken ? script.idToken(claims()) : claims()));
    }
    if (form.get('grant_type') === 'refresh_token') {
      if (script.refreshAnswer) return script.refreshAnswer(tokenBody(claims()));
      return json(200, tokenBody(claims()));
    }
    return json(400, { error: 'invalid_request' });
  };

  const service = createAuthService({
    config: async () => config,
    redirectUri: REDIRECT,
    launchWebAuthFlow: async (url) => {
      const u = new URL(url);
      launches.push(u);
      nonce = u.searchParams.get('nonce') ?? '';
      const back = new URL(REDIRECT);
      back.searchParams.set('code', CODE);
      back.searchParams.set('state', u.searchParams.get('state') ?? '');
      script.callback?.(back);
      return back.toString();
    },
    session: area,
    fetch: fetchImpl,
    now: () => clock,
  });
  return {
    service,
    area,
    requests,
    launches,
    advance(ms: number) {
      clock += ms;
    },
    record: () => area.dump()[SESSION_KEY] as SessionRecord | undefined,
  };
}

async function authError(promise: Promise<unknown>, kind: AuthErrorKind): Promise<AuthError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AuthError);
  expect((err as AuthError).kind, (err as AuthError).message).toBe(kind);
  for (const secret of [CODE, LONG_SECRET]) expect((err as AuthError).message).not.toContain(secret);
  return err as AuthError;
}

describe('describeAuthErrorKey', () => {
  it('gives every kind a distinct, browser-i18n-safe key', () => {
    const kinds: AuthErrorKind[] = ['not-configured', 'cancelled', 'sign-in-required', 'redirect-mismatch', 'consent-required', 'invalid-response', 'network', 'server'];
    const keys = kinds.map(describeAuthErrorKey);
    expect(new Set(keys).size).toBe(kinds.length);
    for (const key of keys) expect(key).toMatch(/^auth\.error\.[A-Za-z0-9_]+$/);
    expect(describeAuthErrorKey('cancelled')).toBe('auth.error.cancelled');
    expect(describeAuthErrorKey('redirect-mismatch')).toBe('auth.error.redirectMismatch');
    expect(Object.keys(AUTH_ERROR_KEYS).sort()).toEqual([...kinds].sort());
  });
});

describe('Entra error text', () => {
  it('parses AADSTS codes', () => {
    expect(parseAadsts('AADSTS50011: The redirect URI ...')).toBe('AADSTS50011');
    expect(parseAadsts('no code here')).toBeUndefined();
  });

  it('redacts tokens and codes, drops the trace tail, keeps GUIDs', () => {
    const text = `AADSTS70000: The code ${CODE} for app ${CLIENT} is bad. Trace ID: abc Correlation ID: def`;
    const safe = safeDescription(text);
    expect(safe).not.toContain(CODE);
    expect(safe).toContain('[redacted]');
    expect(safe).toContain(CLIENT);
    expect(safe).not.toContain('Trace ID');
  });

  it('maps launchWebAuthFlow rejections', () => {
    expect(launchRejectionToAuthError(new Error('The user did not approve access.'), REDIRECT).kind).toBe('cancelled');
    expect(launchRejectionToAuthError(new Error('Authorization page could not be loaded.'), REDIRECT).kind).toBe('network');
    expect(launchRejectionToAuthError(new Error('AADSTS50011: The redirect URI does not match'), REDIRECT).kind).toBe('redirect-mismatch');
    expect(launchRejectionToAuthError(new Error('AADSTS700016: Application not found'), REDIRECT)).toMatchObject({ kind: 'server', code: 'AADSTS700016' });
  });
});

describe('ID token validation (scripted Entra)', () => {
  it('accepts a valid answer and stores the issuer resolved from tid (baseline)', async () => {
    const s = scripted();
    const status = await s.service.signIn();
    expect(status).toMatchObject({ state: 'signed-in', account: { name: 'Adele Vance', username: 'adele@contoso.example', tenantId: TID } });
    expect(s.record()!.issuer).toBe(`https://login.microsoftonline.com/${TID}/v2.0`);
    const redeem = s.requests[0]!;
    expect(redeem.url).toBe('https://login.microsoftonline.com/organizations/oauth2/v2.0/token');
    expect(Object.fromEntries(redeem.form)).toEqual({
      grant_type: 'authorization_code',
      client_id: CLIENT,
      code: CODE,
      redirect_uri: REDIRECT,
      code_verifier: expect.stringMatching(/^[A-Za-z0-9_-]{43,128}$/),
    });
  });

  it('refuses a tid that is not a GUID', async () => {
    const s = scripted({ idToken: (c) => ({ ...c, tid: 'contoso.example', iss: 'https://login.microsoftonline.com/contoso.example/v2.0' }) });
    const e = await authError(s.service.signIn(), 'invalid-response');
    expect(e.message).toContain('tid');
    expect(s.area.dump()).toEqual({});
  });

  it('refuses an iss naming another tenant than tid', async () => {
    const s = scripted({ idToken: (c) => ({ ...c, iss: `https://login.microsoftonline.com/${OTHER_TID}/v2.0` }) });
    const e = await authError(s.service.signIn(), 'invalid-response');
    expect(e.message).toContain('"iss"');
  });

  it('refuses the literal {tenantid} template as iss', async () => {
    const s = scripted({ idToken: (c) => ({ ...c, iss: 'https://login.microsoftonline.com/{tenantid}/v2.0' }) });
    await authError(s.service.signIn(), 'invalid-response');
  });

  it('refuses an ID token for another client (aud)', async () => {
    const s = scripted({ idToken: (c) => ({ ...c, aud: OTHER_TID }) });
    const e = await authError(s.service.signIn(), 'invalid-response');
    expect(e.message).toContain('"aud"');
  });

  it('refuses an expired ID token', async () => {
    const s = scripted({ idToken: (c) => ({ ...c, exp: (c.iat as number) - 3600 }) });
    await authError(s.service.signIn(), 'invalid-response');
  });

  it('refuses an answer without an ID token', async () => {
    const s = scripted({ codeAnswer: () => json(200, { token_type: 'Bearer', expires_in: 3600, access_token: LONG_SECRET }) });
    await authError(s.service.signIn(), 'invalid-response');
  });

  it('refuses a redirect to another address than the redirect URI', async () => {
    const s = scripted({
      callback: (u) => {
        u.host = 'evil.example';
      },
    });
    await authError(s.service.signIn(), 'invalid-response');
    expect(s.requests).toHaveLength(0);
  });
});

describe('other clouds (scripted Entra)', () => {
  it('China: login.chinacloudapi.cn endpoints, its Graph scope, and the partner.microsoftonline.cn issuer', async () => {
    const s = scripted({
      config: { cloud: 'china' },
      idToken: (c) => ({ ...c, iss: `https://login.partner.microsoftonline.cn/${TID}/v2.0` }),
    });
    expect((await s.service.signIn()).state).toBe('signed-in');
    const url = s.launches[0]!;
    expect(url.origin).toBe('https://login.chinacloudapi.cn');
    expect(url.searchParams.get('scope')).toBe('https://microsoftgraph.chinacloudapi.cn/DelegatedAdminRelationship.ReadWrite.All openid profile offline_access');
    expect(s.requests[0]!.url).toBe('https://login.chinacloudapi.cn/organizations/oauth2/v2.0/token');
    expect(s.record()!.issuer).toBe(`https://login.partner.microsoftonline.cn/${TID}/v2.0`);
  });

  it('China: an issuer host outside the closed list is refused', async () => {
    const s = scripted({ config: { cloud: 'china' }, idToken: (c) => ({ ...c, iss: `https://login.microsoftonline.com/${TID}/v2.0` }) });
    await authError(s.service.signIn(), 'invalid-response');
  });

  it('US Gov L5 (DoD): login.microsoftonline.us and the dod-graph scope', async () => {
    const s = scripted({ config: { cloud: 'usgov-l5' } });
    expect((await s.service.signIn()).state).toBe('signed-in');
    expect(s.launches[0]!.origin).toBe('https://login.microsoftonline.us');
    expect(s.launches[0]!.searchParams.get('scope')).toMatch(/^https:\/\/dod-graph\.microsoft\.us\/DelegatedAdminRelationship\.ReadWrite\.All /);
  });
});

describe('token endpoint errors (scripted Entra)', () => {
  it('never echoes a code or token from error_description', async () => {
    const s = scripted({
      codeAnswer: () =>
        json(400, {
          error: 'invalid_grant',
          error_description: `AADSTS70000: The provided value ${CODE} for 'code' is not valid; token ${LONG_SECRET}. Trace ID: 1 Correlation ID: 2`,
          error_codes: [70000],
        }),
    });
    const e = await authError(s.service.signIn(), 'server');
    expect(e.code).toBe('AADSTS70000');
    expect(e.message).toContain('[redacted]');
  });

  it('maps a 5xx from the token endpoint to server', async () => {
    const s = scripted({ codeAnswer: () => new Response('upstream error', { status: 503 }) });
    await authError(s.service.signIn(), 'server');
  });

  it('maps interaction_required on refresh (e.g. new MFA policy) to sign-in-required', async () => {
    const s = scripted({
      refreshAnswer: () => json(400, { error: 'interaction_required', error_description: 'AADSTS50076: Due to a configuration change you must use MFA.', error_codes: [50076] }),
    });
    await s.service.signIn();
    s.advance(59 * 60_000);
    const e = await authError(s.service.getAccessToken(), 'sign-in-required');
    expect(e.code).toBe('AADSTS50076');
    expect((await s.service.status()).state).toBe('sign-in-required');
  });

  it('keeps the session on a non-grant refresh error (server), and on a foreign refreshed ID token', async () => {
    const s = scripted({ refreshAnswer: () => json(400, { error: 'temporarily_unavailable', error_description: 'AADSTS90033: busy', error_codes: [90033] }) });
    await s.service.signIn();
    s.advance(59 * 60_000);
    await authError(s.service.getAccessToken(), 'server');
    expect((await s.service.status()).state).toBe('signed-in');
    expect(s.record()!.refreshToken).toBeDefined();

    const t = scripted({ refreshAnswer: (body) => json(200, { ...body, id_token: jwt({ aud: CLIENT, iss: `https://login.microsoftonline.com/${OTHER_TID}/v2.0`, tid: OTHER_TID, sub: 'x', iat: 1, exp: 9_999_999_999 }) }) });
    await t.service.signIn();
    const before = t.record()!;
    t.advance(59 * 60_000);
    await authError(t.service.getAccessToken(), 'invalid-response');
    expect(t.record()).toEqual(before);
  });

  it('keeps the old refresh token when a refresh answer carries none, and sends the scope', async () => {
    const s = scripted({ refreshAnswer: (body) => json(200, { ...body, refresh_token: undefined }) });
    await s.service.signIn();
    const rt = s.record()!.refreshToken;
    s.advance(59 * 60_000);
    const at = await s.service.getAccessToken();
    expect(at).toBe(s.record()!.accessToken);
    expect(s.record()!.refreshToken).toBe(rt);
    const refresh = s.requests.at(-1)!;
    expect(refresh.form.get('grant_type')).toBe('refresh_token');
    expect(refresh.form.get('client_id')).toBe(CLIENT);
    expect(refresh.form.get('scope')).toBe('https://graph.microsoft.com/DelegatedAdminRelationship.ReadWrite.All openid profile offline_access');
    expect(refresh.form.has('client_secret')).toBe(false);
  });
});
