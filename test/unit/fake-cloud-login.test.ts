import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeRequest, pkcePair, signInWithPkce, type FakeResponse } from '../fake-cloud/client';
import { DEFAULT_CLIENT_ID, startFakeCloud, type FakeCloud } from '../fake-cloud/server';

const REDIRECT = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';
const ORIGIN = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
const SCOPE = 'openid profile offline_access https://graph.microsoft.com/DelegatedAdminRelationship.ReadWrite.All';
const LOGIN = 'https://login.microsoftonline.com';
const GRAPH_LIST = 'https://graph.microsoft.com/v1.0/tenantRelationships/delegatedAdminRelationships?$top=5';
const HOUR = 3_600_000;

let cloud: FakeCloud;

beforeAll(async () => {
  cloud = await startFakeCloud({ customers: 20, seed: 2 });
});
afterAll(async () => {
  await cloud?.stop();
});
beforeEach(() => {
  cloud.clock.reset();
  cloud.login.setAccessTokenLifetime(3600);
  cloud.login.signInAs(cloud.world.users.find((u) => u.isAdminAgent)!.userPrincipalName);
});

function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p, s] = token.split('.');
  expect(s).toBeTruthy();
  return {
    header: JSON.parse(Buffer.from(h!, 'base64url').toString('utf8')) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as Record<string, unknown>,
  };
}

interface AuthorizeParams {
  [key: string]: string | undefined;
}

async function authorize(params: AuthorizeParams, tenant = 'organizations'): Promise<FakeResponse> {
  const url = new URL(`${LOGIN}/${tenant}/oauth2/v2.0/authorize`);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return fakeRequest(cloud, url.toString());
}

/** Runs authorize and returns the code and the verifier. */
async function getCode(extra: AuthorizeParams = {}): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkcePair();
  const res = await authorize({
    client_id: DEFAULT_CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: SCOPE,
    state: 'xyz',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  });
  expect(res.status).toBe(302);
  const back = new URL(res.headers.location!);
  expect(back.searchParams.get('state')).toBe('xyz');
  return { code: back.searchParams.get('code')!, verifier };
}

function token(form: Record<string, string>, headers: Record<string, string> = { Origin: ORIGIN }, tenant = 'organizations'): Promise<FakeResponse> {
  return fakeRequest(cloud, `${LOGIN}/${tenant}/oauth2/v2.0/token`, { method: 'POST', headers, body: new URLSearchParams(form) });
}

function redeem(code: string, verifier: string, over: Record<string, string> = {}): Promise<FakeResponse> {
  return token({ grant_type: 'authorization_code', client_id: DEFAULT_CLIENT_ID, code, redirect_uri: REDIRECT, code_verifier: verifier, ...over });
}

function expectEntraError(res: FakeResponse, error: string, aadsts: number): void {
  expect(res.status).toBe(400);
  const body = res.json<Record<string, unknown>>();
  expect(body.error).toBe(error);
  expect(body.error_codes).toEqual([aadsts]);
  expect(String(body.error_description)).toMatch(new RegExp(`^AADSTS${aadsts}: `));
  for (const k of ['timestamp', 'trace_id', 'correlation_id']) expect(typeof body[k]).toBe('string');
}

describe('discovery', () => {
  it('names the issuer as the {tenantid} template for organizations and common', async () => {
    for (const tenant of ['organizations', 'common']) {
      const res = await fakeRequest(cloud, `${LOGIN}/${tenant}/v2.0/.well-known/openid-configuration`);
      expect(res.status).toBe(200);
      const doc = res.json<Record<string, string>>();
      expect(doc.issuer).toBe('https://login.microsoftonline.com/{tenantid}/v2.0');
      expect(doc.authorization_endpoint).toBe(`${LOGIN}/${tenant}/oauth2/v2.0/authorize`);
      expect(doc.token_endpoint).toBe(`${LOGIN}/${tenant}/oauth2/v2.0/token`);
      expect(res.headers['access-control-allow-origin']).toBe('*');
    }
  });

  it('names the real issuer for the partner tenant, and 400 for an unknown tenant', async () => {
    const tid = cloud.world.partner.tenantId;
    const res = await fakeRequest(cloud, `${LOGIN}/${tid}/v2.0/.well-known/openid-configuration`);
    expect(res.json<Record<string, string>>().issuer).toBe(`${LOGIN}/${tid}/v2.0`);
    const unknown = await fakeRequest(cloud, `${LOGIN}/00000000-0000-4000-8000-000000000000/v2.0/.well-known/openid-configuration`);
    expect(unknown.status).toBe(400);
  });

  it('publishes the signing key', async () => {
    const res = await fakeRequest(cloud, `${LOGIN}/organizations/discovery/v2.0/keys`);
    const keys = res.json<{ keys: Array<{ kty: string; kid: string; n: string }> }>().keys;
    expect(keys[0]?.kty).toBe('RSA');
  });
});

describe('authorization code with PKCE', () => {
  it('signs the admin agent in and issues Graph tokens with the expected claims', async () => {
    const nonce = 'n-0S6_WzA2Mj';
    const tokens = await signInWithPkce(cloud, { clientId: DEFAULT_CLIENT_ID, redirectUri: REDIRECT, origin: ORIGIN, nonce });
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.expires_in).toBe(3600);
    expect(tokens.scope).toContain('https://graph.microsoft.com/DelegatedAdminRelationship.ReadWrite.All');
    expect(typeof tokens.refresh_token).toBe('string');
    const tid = cloud.world.partner.tenantId;
    const user = cloud.world.users.find((u) => u.isAdminAgent)!;
    const at = decodeJwt(tokens.access_token).payload;
    expect(at).toMatchObject({
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${tid}/`,
      tid,
      oid: user.objectId,
      name: user.displayName,
      preferred_username: user.userPrincipalName,
      scp: 'DelegatedAdminRelationship.ReadWrite.All',
    });
    expect((at.exp as number) - (at.iat as number)).toBe(3600);
    expect(at.nbf).toBe(at.iat);
    const id = decodeJwt(tokens.id_token!);
    expect(id.header.alg).toBe('RS256');
    expect(id.payload).toMatchObject({ iss: `${LOGIN}/${tid}/v2.0`, aud: DEFAULT_CLIENT_ID, tid, nonce, preferred_username: user.userPrincipalName });
    const graph = await fakeRequest(cloud, GRAPH_LIST, { token: tokens.access_token });
    expect(graph.status).toBe(200);
  });

  it('answers the token endpoint cross-origin with the caller origin, and its preflight', async () => {
    const { code, verifier } = await getCode();
    const res = await redeem(code, verifier);
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.headers['cache-control']).toContain('no-store');
    const pre = await fakeRequest(cloud, `${LOGIN}/organizations/oauth2/v2.0/token`, {
      method: 'OPTIONS',
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(ORIGIN);
  });

  it('refuses a wrong code_verifier (AADSTS501481) and spends the code', async () => {
    const { code, verifier } = await getCode();
    expectEntraError(await redeem(code, randomBytes(32).toString('base64url')), 'invalid_grant', 501481);
    expectEntraError(await redeem(code, verifier), 'invalid_grant', 54005);
  });

  it('refuses a reused code (AADSTS54005)', async () => {
    const { code, verifier } = await getCode();
    expect((await redeem(code, verifier)).status).toBe(200);
    expectEntraError(await redeem(code, verifier), 'invalid_grant', 54005);
  });

  it('refuses an expired code (AADSTS70008)', async () => {
    const { code, verifier } = await getCode();
    cloud.clock.advance(11 * 60_000);
    expectEntraError(await redeem(code, verifier), 'invalid_grant', 70008);
  });

  it('refuses a token request whose redirect_uri differs from the authorize one', async () => {
    const { code, verifier } = await getCode();
    expectEntraError(await redeem(code, verifier, { redirect_uri: 'https://bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.chromiumapp.org/' }), 'invalid_grant', 500112);
  });

  it('refuses a missing code_verifier and an unknown code', async () => {
    const { code } = await getCode();
    expectEntraError(
      await token({ grant_type: 'authorization_code', client_id: DEFAULT_CLIENT_ID, code, redirect_uri: REDIRECT }),
      'invalid_request',
      900144,
    );
    expectEntraError(await redeem('1.Anot-a-code', 'x'.repeat(43)), 'invalid_grant', 70000);
  });

  it('shows an error page (400, no redirect) for an unregistered redirect_uri or an unknown client', async () => {
    const { challenge } = pkcePair();
    const base = { response_type: 'code', scope: SCOPE, state: 's', code_challenge: challenge, code_challenge_method: 'S256' };
    const wrongRedirect = await authorize({ ...base, client_id: DEFAULT_CLIENT_ID, redirect_uri: 'https://evil.example/' });
    expect(wrongRedirect.status).toBe(400);
    expect(wrongRedirect.headers.location).toBeUndefined();
    expect(wrongRedirect.text).toContain('AADSTS50011');
    const unknownClient = await authorize({ ...base, client_id: '99999999-9999-4999-8999-999999999999', redirect_uri: REDIRECT });
    expect(unknownClient.status).toBe(400);
    expect(unknownClient.text).toContain('AADSTS700016');
  });

  it('refuses an unknown client at the token endpoint', async () => {
    expectEntraError(
      await token({ grant_type: 'authorization_code', client_id: '99999999-9999-4999-8999-999999999999', code: 'x', redirect_uri: REDIRECT, code_verifier: 'y' }),
      'unauthorized_client',
      700016,
    );
  });

  it.each([
    ['response_type other than code', { response_type: 'token' }, 'unsupported_response_type'],
    ['no code_challenge', { code_challenge: undefined }, 'invalid_request'],
    ['plain code_challenge_method', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['no scope', { scope: undefined }, 'invalid_request'],
  ])('redirects back with an OAuth error for %s', async (_label, over, error) => {
    const { challenge } = pkcePair();
    const res = await authorize({
      client_id: DEFAULT_CLIENT_ID,
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: SCOPE,
      state: 'st',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...over,
    });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.location!);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('error')).toBe(error);
    expect(back.searchParams.get('error_description')).toMatch(/^AADSTS\d+: /);
    expect(back.searchParams.get('state')).toBe('st');
    expect(back.searchParams.get('code')).toBeNull();
  });

  it('requires state (a choice of this fake)', async () => {
    const { challenge } = pkcePair();
    const res = await authorize({ client_id: DEFAULT_CLIENT_ID, response_type: 'code', redirect_uri: REDIRECT, scope: SCOPE, code_challenge: challenge, code_challenge_method: 'S256' });
    expect(new URL(res.headers.location!).searchParams.get('error')).toBe('invalid_request');
  });

  it('answers prompt=none with login_required after sign-out', async () => {
    cloud.login.signOut();
    const { challenge } = pkcePair();
    const res = await authorize({ client_id: DEFAULT_CLIENT_ID, response_type: 'code', redirect_uri: REDIRECT, scope: SCOPE, state: 's', code_challenge: challenge, code_challenge_method: 'S256', prompt: 'none' });
    expect(new URL(res.headers.location!).searchParams.get('error')).toBe('login_required');
  });

  it('signs in the user named by login_hint, and the current user set by signInAs', async () => {
    const other = cloud.world.users.find((u) => !u.isAdminAgent)!;
    const { code, verifier } = await getCode({ login_hint: other.userPrincipalName });
    const t = (await redeem(code, verifier)).json<{ access_token: string }>();
    expect(decodeJwt(t.access_token).payload.oid).toBe(other.objectId);
    cloud.login.signInAs(other.userPrincipalName);
    const t2 = await signInWithPkce(cloud, { clientId: DEFAULT_CLIENT_ID, redirectUri: REDIRECT, origin: ORIGIN });
    expect(decodeJwt(t2.access_token).payload.oid).toBe(other.objectId);
  });

  it('refuses an SPA token request without Origin (AADSTS9002327) unless told otherwise', async () => {
    const { code, verifier } = await getCode();
    const res = await token({ grant_type: 'authorization_code', client_id: DEFAULT_CLIENT_ID, code, redirect_uri: REDIRECT, code_verifier: verifier }, {});
    expectEntraError(res, 'invalid_request', 9002327);
    cloud.login.setRequireOrigin(false);
    try {
      const again = await getCode();
      const ok = await token({ grant_type: 'authorization_code', client_id: DEFAULT_CLIENT_ID, code: again.code, redirect_uri: REDIRECT, code_verifier: again.verifier }, {});
      expect(ok.status).toBe(200);
    } finally {
      cloud.login.setRequireOrigin(true);
    }
  });

  it('refuses cross-origin redemption for a non-SPA app (AADSTS9002326)', async () => {
    const clientId = '12345678-1234-4234-8234-123456789abc';
    cloud.login.registerApp({ clientId, redirectUris: [REDIRECT], spa: false });
    const { verifier, challenge } = pkcePair();
    const res = await authorize({ client_id: clientId, response_type: 'code', redirect_uri: REDIRECT, scope: SCOPE, state: 's', code_challenge: challenge, code_challenge_method: 'S256' });
    const code = new URL(res.headers.location!).searchParams.get('code')!;
    expectEntraError(
      await token({ grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: REDIRECT, code_verifier: verifier }),
      'invalid_request',
      9002326,
    );
  });

  it('gives tokens only the consented scopes of an app', async () => {
    const clientId = '12345678-1234-4234-8234-123456789abd';
    cloud.login.registerApp({ clientId, redirectUris: [REDIRECT], consentedScopes: ['DelegatedAdminRelationship.Read.All'] });
    const tokens = await signInWithPkce(cloud, {
      clientId,
      redirectUri: REDIRECT,
      origin: ORIGIN,
      scope: 'openid offline_access https://graph.microsoft.com/DelegatedAdminRelationship.Read.All https://graph.microsoft.com/DelegatedAdminRelationship.ReadWrite.All',
    });
    expect(decodeJwt(tokens.access_token).payload.scp).toBe('DelegatedAdminRelationship.Read.All');
  });

  it('returns no refresh token without offline_access and no id_token without openid', async () => {
    const tokens = await signInWithPkce(cloud, { clientId: DEFAULT_CLIENT_ID, redirectUri: REDIRECT, origin: ORIGIN, scope: 'https://graph.microsoft.com/DelegatedAdminRelationship.Read.All' });
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.id_token).toBeUndefined();
    expect(tokens.scope).toBe('https://graph.microsoft.com/DelegatedAdminRelationship.Read.All');
  });

  it('verifies S256 against the challenge exactly as RFC 7636 computes it', () => {
    // RFC 7636 appendix B example.
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });
});

describe('refresh tokens', () => {
  async function fresh(): Promise<string> {
    const t = await signInWithPkce(cloud, { clientId: DEFAULT_CLIENT_ID, redirectUri: REDIRECT, origin: ORIGIN });
    return t.refresh_token!;
  }
  const refresh = (rt: string): Promise<FakeResponse> => token({ grant_type: 'refresh_token', client_id: DEFAULT_CLIENT_ID, refresh_token: rt, scope: SCOPE });

  it('rotates on use: the new one works, the old one does not', async () => {
    const rt = await fresh();
    const first = await refresh(rt);
    expect(first.status).toBe(200);
    const body = first.json<{ refresh_token: string; access_token: string; id_token: string }>();
    expect(body.refresh_token).not.toBe(rt);
    expect(body.id_token).toBeTruthy();
    expectEntraError(await refresh(rt), 'invalid_grant', 70000);
    expect((await refresh(body.refresh_token)).status).toBe(200);
  });

  it('does not slide: after 24 h from the sign-in every refresh fails (AADSTS700084)', async () => {
    let rt = await fresh();
    cloud.clock.advance(23 * HOUR);
    const r1 = await refresh(rt);
    expect(r1.status).toBe(200);
    rt = r1.json<{ refresh_token: string }>().refresh_token;
    cloud.clock.advance(1 * HOUR + 1000);
    expectEntraError(await refresh(rt), 'invalid_grant', 700084);
  });

  it('fails with invalid_grant after revokeAll()', async () => {
    const rt = await fresh();
    cloud.login.revokeAll();
    expectEntraError(await refresh(rt), 'invalid_grant', 50173);
  });

  it('logs every token request', async () => {
    const before = cloud.login.tokenLog.length;
    const rt = await fresh();
    await refresh(rt);
    await refresh(rt);
    const entries = cloud.login.tokenLog.slice(before);
    expect(entries.map((e) => [e.grantType, e.ok])).toEqual([
      ['authorization_code', true],
      ['refresh_token', true],
      ['refresh_token', false],
    ]);
    expect(entries[2]?.errorCode).toBe(70000);
  });
});

describe('access tokens as Graph sees them', () => {
  it('expire after the configured lifetime and after expireAllAccessTokens()', async () => {
    cloud.login.setAccessTokenLifetime(60);
    const t = await signInWithPkce(cloud, { clientId: DEFAULT_CLIENT_ID, redirectUri: REDIRECT, origin: ORIGIN });
    expect(t.expires_in).toBe(60);
    expect((await fakeRequest(cloud, GRAPH_LIST, { token: t.access_token })).status).toBe(200);
    cloud.clock.advance(61_000);
    const expired = await fakeRequest(cloud, GRAPH_LIST, { token: t.access_token });
    expect(expired.status).toBe(401);
    expect(expired.json<{ error: { code: string } }>().error.code).toBe('InvalidAuthenticationToken');

    cloud.clock.reset();
    cloud.login.setAccessTokenLifetime(3600);
    const t2 = await signInWithPkce(cloud, { clientId: DEFAULT_CLIENT_ID, redirectUri: REDIRECT, origin: ORIGIN });
    cloud.login.expireAllAccessTokens();
    expect((await fakeRequest(cloud, GRAPH_LIST, { token: t2.access_token })).status).toBe(401);
  });

  it('validateAccessToken names the reason', () => {
    const login = cloud.login;
    expect(login.validateAccessToken(undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(login.validateAccessToken('Bearer abc')).toEqual({ ok: false, reason: 'malformed' });
    const good = login.mintAccessToken();
    const [h, p] = good.split('.');
    expect(login.validateAccessToken(`Bearer ${h}.${p}.AAAA`)).toEqual({ ok: false, reason: 'invalid-signature' });
    const v = login.validateAccessToken(`Bearer ${good}`);
    expect(v.ok).toBe(true);
    if (v.ok) expect(v.user.isAdminAgent).toBe(true);
  });
});
