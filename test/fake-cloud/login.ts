/**
 * Fake Microsoft Entra sign-in (`login.microsoftonline.com`) for the fake cloud.
 *
 * Implements what a browser-extension SPA client uses (shared/graph-contract.md,
 * "Hosts and sign-in"): OpenID discovery (with Entra's `{tenantid}` issuer template for
 * `organizations`/`common`), JWKS, the authorization-code flow with PKCE (S256), the
 * token endpoint (authorization_code and refresh_token grants) and logout.
 *
 * There is no sign-in UI: `authorize` signs the current user in at once and redirects.
 * Tokens are RS256 JWTs signed with a per-server key (published at the JWKS endpoint).
 *
 * Choices where Entra's behaviour is not fully public (documented defaults):
 * - `state` is required by this fake (Entra itself does not require it): missing → `invalid_request`.
 * - A token request for an SPA app without an `Origin` header is refused with
 *   AADSTS9002327 (as Entra does for SPA redirect URIs); `setRequireOrigin(false)` turns that off.
 *   A non-SPA app (`registerApp({ spa: false })`) redeeming cross-origin gets AADSTS9002326.
 * - Refresh tokens are single-use (rotated on use); reusing one → `invalid_grant` (AADSTS70000).
 *   They expire 24 h after the original sign-in and never slide (AADSTS700084); after
 *   `revokeAll()` → AADSTS50173. The `scope` of a refresh request is ignored: new tokens
 *   carry the original grant's scopes.
 * - `refresh_token` is only returned when `offline_access` was requested, `id_token` only with `openid`.
 * - Authorization codes live 10 minutes and are single-use (AADSTS54005 on reuse, AADSTS70008 when expired).
 */
import { generateKeyPairSync, randomBytes, randomUUID, createHash, sign, verify, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeUser, HostContext, World } from './model';

export const LOGIN_HOST = 'login.microsoftonline.com';
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
/** Scopes Graph grants when a request names none of its own (as Entra does). */
const FALLBACK_GRAPH_SCOPES = ['User.Read'];
/** What `https://graph.microsoft.com/.default` expands to when the app has no configured consent. */
const DEFAULT_CONSENTED_SCOPES = ['DelegatedAdminRelationship.ReadWrite.All', 'User.Read'];
const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);
const SPA_REFRESH_LIFETIME_MS = 24 * 3_600_000;
const CODE_LIFETIME_MS = 10 * 60_000;
const MAX_BODY_BYTES = 1_000_000;

// ---------------------------------------------------------------------------
// Shared small helpers (graph.ts uses them too)
// ---------------------------------------------------------------------------

/** A clock the whole fake cloud shares: real time plus an offset tests can advance. */
export class FakeClock {
  private offsetMs = 0;
  nowMs(): number {
    return Date.now() + this.offsetMs;
  }
  now(): Date {
    return new Date(this.nowMs());
  }
  /** Moves the fake's time forward (or back with a negative value). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  reset(): void {
    this.offsetMs = 0;
  }
}

/** Reads a request body (at most 1 MB; more → rejects). */
export function readRequestBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

export interface AppRegistration {
  clientId: string;
  /** Exact strings (as Entra compares them) or, for test convenience, patterns. */
  redirectUris: Array<string | RegExp>;
  /** Registered as "Single-page application" (default true): redeems codes cross-origin only. */
  spa?: boolean;
  /** Graph scopes the tenant consented to; tokens carry requested ∩ consented. Default: whatever is requested. */
  consentedScopes?: string[];
}

export interface TokenLogEntry {
  time: string;
  tenant: string;
  grantType: string;
  clientId: string;
  origin: string | undefined;
  ok: boolean;
  /** OAuth error and AADSTS number on failure. */
  error?: string;
  errorCode?: number;
  userPrincipalName?: string;
}

export interface AccessTokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  tid: string;
  oid: string;
  sub: string;
  name: string;
  preferred_username: string;
  upn: string;
  unique_name: string;
  scp: string;
  appid: string;
  ver: '1.0';
  uti: string;
  idtyp: 'user';
}

export type TokenFailure = 'missing' | 'malformed' | 'invalid-signature' | 'wrong-audience' | 'expired' | 'not-yet-valid' | 'unknown-user';

export type TokenValidation =
  | { ok: true; user: FakeUser; scopes: string[]; claims: AccessTokenClaims }
  | { ok: false; reason: TokenFailure };

interface CodeGrant {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  userId: string;
  requestedScopes: string[];
  nonce: string | undefined;
  issuedMs: number;
  used: boolean;
}

interface RefreshGrant {
  clientId: string;
  userId: string;
  requestedScopes: string[];
  /** The original interactive sign-in: SPA refresh tokens die 24 h after it, whatever happens. */
  sessionStartMs: number;
  nonce: string | undefined;
  used: boolean;
}

class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly aadsts: number,
    readonly description: string,
    readonly status = 400,
  ) {
    super(`${error}: AADSTS${aadsts}: ${description}`);
  }
}

// ---------------------------------------------------------------------------
// FakeLogin
// ---------------------------------------------------------------------------

export class FakeLogin {
  private readonly apps = new Map<string, AppRegistration>();
  private readonly codes = new Map<string, CodeGrant>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();
  /** Access tokens still honoured (expireAllAccessTokens() empties it). */
  private readonly liveAccessTokens = new Set<string>();
  /** Signature-checked tokens → claims, so Graph does not verify RSA on every call. */
  private readonly verified = new Map<string, AccessTokenClaims>();
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly kid: string;
  private accessTokenLifetimeSec = 3600;
  private requireOrigin = true;
  private currentUserId: string | undefined;
  private sessionActive = true;
  /** Every token request, in order. */
  readonly tokenLog: TokenLogEntry[] = [];
  /** Every access, refresh and ID token handed out, in order: audits look for them where they must not be. */
  readonly issuedTokens: Array<{ kind: 'access' | 'refresh' | 'id'; token: string }> = [];

  constructor(
    private readonly world: World,
    readonly clock: FakeClock,
  ) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
    this.kid = base64url(createHash('sha1').update(this.publicKey.export({ type: 'spki', format: 'der' })).digest());
    this.currentUserId = world.users.find((u) => u.isAdminAgent)?.objectId ?? world.users[0]?.objectId;
  }

  // ----- controls -----

  /** Registers (or replaces) an app registration of the partner tenant. */
  registerApp(app: AppRegistration): void {
    this.apps.set(app.clientId.toLowerCase(), { spa: true, ...app });
  }

  /** Access-token lifetime in seconds for tokens issued from now on (default 3600). */
  setAccessTokenLifetime(seconds: number): void {
    this.accessTokenLifetimeSec = seconds;
  }

  /** Every access token issued so far is treated as expired (Graph answers 401). */
  expireAllAccessTokens(): void {
    this.liveAccessTokens.clear();
  }

  /** Revokes every refresh token (and ends the browser session): refresh → invalid_grant. */
  revokeAll(): void {
    for (const grant of this.refreshTokens.values()) grant.used = true;
    this.refreshTokens.clear();
    this.sessionActive = false;
  }

  /** Moves the shared fake clock (tokens, codes, refresh lifetime, Graph timestamps). */
  advanceClock(ms: number): void {
    this.clock.advance(ms);
  }

  /** Who `authorize` signs in (by UPN or object id); also starts a session. */
  signInAs(userPrincipalNameOrObjectId: string): FakeUser {
    const user = this.findUser(userPrincipalNameOrObjectId);
    if (!user) throw new Error(`no such user: ${userPrincipalNameOrObjectId}`);
    this.currentUserId = user.objectId;
    this.sessionActive = true;
    return user;
  }

  /** Ends the browser session: `prompt=none` answers `login_required` until the next interactive sign-in. */
  signOut(): void {
    this.sessionActive = false;
  }

  get currentUser(): FakeUser | undefined {
    return this.world.users.find((u) => u.objectId === this.currentUserId);
  }

  /** Whether token requests must carry `Origin` for SPA apps (default true, as Entra). */
  setRequireOrigin(required: boolean): void {
    this.requireOrigin = required;
  }

  /**
   * Mints an access token directly, without the browser flow (for tests and benchmarks).
   * Default user: the current one; default scopes: DelegatedAdminRelationship.ReadWrite.All.
   */
  mintAccessToken(opts: { user?: string; scopes?: string[]; clientId?: string; lifetimeSec?: number } = {}): string {
    const user = opts.user ? this.findUser(opts.user) : this.currentUser;
    if (!user) throw new Error('no user to mint a token for');
    return this.issueAccessToken(user, opts.scopes ?? ['DelegatedAdminRelationship.ReadWrite.All'], opts.clientId ?? 'fake-client', opts.lifetimeSec);
  }

  /** Checks an `Authorization` header value; used by the fake Graph. */
  validateAccessToken(authorization: string | undefined): TokenValidation {
    if (!authorization) return { ok: false, reason: 'missing' };
    const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!m || !m[1]) return { ok: false, reason: 'missing' };
    const token = m[1];
    let claims = this.verified.get(token);
    if (!claims) {
      const parts = token.split('.');
      if (parts.length !== 3) return { ok: false, reason: 'malformed' };
      const [h, p, s] = parts as [string, string, string];
      let ok = false;
      try {
        ok = verify('sha256', Buffer.from(`${h}.${p}`), this.publicKey, Buffer.from(s, 'base64url'));
      } catch {
        ok = false;
      }
      if (!ok) return { ok: false, reason: 'invalid-signature' };
      try {
        claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as AccessTokenClaims;
      } catch {
        return { ok: false, reason: 'malformed' };
      }
      this.verified.set(token, claims);
    }
    if (claims.aud !== GRAPH_RESOURCE) return { ok: false, reason: 'wrong-audience' };
    const nowSec = this.clock.nowMs() / 1000;
    if (!this.liveAccessTokens.has(claims.uti) || claims.exp <= nowSec) return { ok: false, reason: 'expired' };
    if (claims.nbf > nowSec + 300) return { ok: false, reason: 'not-yet-valid' };
    const user = this.world.users.find((u) => u.objectId === claims.oid);
    if (!user) return { ok: false, reason: 'unknown-user' };
    return { ok: true, user, scopes: claims.scp.split(' ').filter(Boolean), claims };
  }

  /** The JWKS the discovery document points to. */
  jwks(): { keys: Array<Record<string, unknown>> } {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return { keys: [{ kty: 'RSA', use: 'sig', kid: this.kid, x5t: this.kid, n: jwk.n, e: jwk.e, issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0' }] };
  }

  // ----- HTTP -----

  /** The HostHandler for login.microsoftonline.com. */
  readonly handle = async (req: IncomingMessage, res: ServerResponse, url: URL, ctx: HostContext): Promise<boolean> => {
    const segments = url.pathname.split('/').filter(Boolean);
    const tenant = segments[0];
    if (!tenant) return false;
    const rest = segments.slice(1).join('/').toLowerCase();
    const method = req.method ?? 'GET';
    const origin = ctx.origin(LOGIN_HOST);

    if (rest === 'v2.0/.well-known/openid-configuration' && method === 'GET') {
      if (!this.knownTenant(tenant)) {
        sendJson(res, 400, this.errorBody(new OAuthError('invalid_tenant', 90002, `Tenant '${tenant}' not found.`)), { 'Access-Control-Allow-Origin': '*' });
        return true;
      }
      sendJson(res, 200, this.discovery(tenant, origin), { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'max-age=86400, private' });
      return true;
    }
    if (rest === 'discovery/v2.0/keys' && method === 'GET') {
      sendJson(res, 200, this.jwks(), { 'Access-Control-Allow-Origin': '*' });
      return true;
    }
    if (rest === 'oauth2/v2.0/authorize' && method === 'GET') {
      this.authorize(tenant, url, res);
      return true;
    }
    if (rest === 'oauth2/v2.0/token') {
      if (method === 'OPTIONS') {
        res.writeHead(204, this.corsHeaders(req, true));
        res.end();
        return true;
      }
      if (method === 'POST') {
        await this.token(tenant, req, res);
        return true;
      }
      res.writeHead(405, { Allow: 'POST, OPTIONS' });
      res.end();
      return true;
    }
    if (rest === 'oauth2/v2.0/logout' && method === 'GET') {
      this.sessionActive = false;
      const back = url.searchParams.get('post_logout_redirect_uri');
      if (back && /^https:\/\//.test(back)) {
        res.writeHead(302, { Location: back });
        res.end();
      } else {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><title>Signed out</title><p>You signed out of your account.</p>');
      }
      return true;
    }
    return false;
  };

  // ----- internals -----

  private findUser(key: string): FakeUser | undefined {
    const k = key.toLowerCase();
    return this.world.users.find((u) => u.objectId.toLowerCase() === k || u.userPrincipalName.toLowerCase() === k);
  }

  private knownTenant(tenant: string): boolean {
    const t = tenant.toLowerCase();
    if (t === 'organizations' || t === 'common') return true;
    if (t === this.world.partner.tenantId.toLowerCase()) return true;
    return this.world.users.some((u) => u.userPrincipalName.toLowerCase().endsWith(`@${t}`));
  }

  private discovery(tenant: string, origin: string): Record<string, unknown> {
    const t = tenant.toLowerCase();
    const generic = t === 'organizations' || t === 'common';
    const issuerTenant = generic ? '{tenantid}' : GUID_RE.test(tenant) ? t : this.world.partner.tenantId;
    const base = `${origin}/${tenant}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${origin}/${issuerTenant}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
      kerberos_endpoint: `${base}/kerberos`,
      tenant_region_scope: generic ? null : 'WW',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
      rbac_url: 'https://pas.windows.net',
    };
  }

  private findRedirect(app: AppRegistration, redirectUri: string): boolean {
    return app.redirectUris.some((r) => (typeof r === 'string' ? r === redirectUri : r.test(redirectUri)));
  }

  private authorize(tenant: string, url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    const errorPage = (code: number, message: string): void => {
      res.writeHead(400, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><html><head><title>Sign in to your account</title></head><body><h1>Sorry, but we’re having trouble signing you in.</h1><p id="error">AADSTS${code}: ${escapeHtml(message)}</p></body></html>`,
      );
    };
    if (!this.knownTenant(tenant)) return errorPage(90002, `Tenant '${tenant}' not found.`);
    const clientId = q.get('client_id');
    if (!clientId) return errorPage(900144, "The request body must contain the following parameter: 'client_id'.");
    const app = this.apps.get(clientId.toLowerCase());
    if (!app) return errorPage(700016, `Application with identifier '${clientId}' was not found in the directory '${this.world.partner.displayName}'.`);
    const redirectUri = q.get('redirect_uri');
    if (!redirectUri || !this.findRedirect(app, redirectUri)) {
      return errorPage(50011, `The redirect URI '${redirectUri ?? ''}' specified in the request does not match the redirect URIs configured for the application '${clientId}'.`);
    }
    const state = q.get('state');
    const fragment = q.get('response_mode') === 'fragment';
    const redirect = (params: Record<string, string>): void => {
      const target = new URL(redirectUri);
      const sp = new URLSearchParams(fragment ? '' : target.search);
      for (const [k, v] of Object.entries(params)) sp.set(k, v);
      if (state !== null) sp.set('state', state);
      if (fragment) target.hash = sp.toString();
      else target.search = sp.toString();
      res.writeHead(302, { Location: target.toString(), 'Cache-Control': 'no-store' });
      res.end();
    };
    const fail = (error: string, code: number, description: string): void =>
      redirect({ error, error_description: `AADSTS${code}: ${description}` });

    if (q.get('response_type') !== 'code') return fail('unsupported_response_type', 700054, "response_type must be 'code' for this application.");
    if (!state) return fail('invalid_request', 900144, "The request must contain the parameter 'state' (required by this fake).");
    const scope = q.get('scope');
    if (!scope) return fail('invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");
    const challenge = q.get('code_challenge');
    if (!challenge) return fail('invalid_request', 9002325, 'Proof Key for Code Exchange is required for cross-origin authorization code redemption.');
    if (q.get('code_challenge_method') !== 'S256') return fail('invalid_request', 501491, "Invalid size of Code_Challenge parameter or code_challenge_method is not 'S256'.");
    if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) return fail('invalid_request', 501491, 'Invalid size of Code_Challenge parameter.');

    const hint = q.get('login_hint');
    const hinted = hint ? this.findUser(hint) : undefined;
    const prompt = q.get('prompt');
    if (prompt === 'none' && !this.sessionActive) {
      return fail('login_required', 50058, 'A silent sign-in request was sent but no user is signed in.');
    }
    const user = hinted ?? this.currentUser;
    if (!user) return fail('access_denied', 50034, 'The user account does not exist in the directory.');
    this.sessionActive = true;

    const code = `1.A${base64url(randomBytes(48))}`;
    this.codes.set(code, {
      clientId: app.clientId,
      redirectUri,
      codeChallenge: challenge,
      userId: user.objectId,
      requestedScopes: scope.split(/\s+/).filter(Boolean),
      nonce: q.get('nonce') ?? undefined,
      issuedMs: this.clock.nowMs(),
      used: false,
    });
    redirect({ code, session_state: randomUUID() });
  }

  private corsHeaders(req: IncomingMessage, preflight = false): Record<string, string> {
    const origin = req.headers.origin;
    if (!origin) return {};
    const headers: Record<string, string> = { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' };
    if (preflight) {
      headers['Access-Control-Allow-Methods'] = 'POST, OPTIONS';
      headers['Access-Control-Allow-Headers'] = req.headers['access-control-request-headers'] ?? 'content-type';
      headers['Access-Control-Max-Age'] = '86400';
    }
    return headers;
  }

  private errorBody(e: OAuthError): Record<string, unknown> {
    const traceId = randomUUID();
    const correlationId = randomUUID();
    const ts = this.clock.now().toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
    return {
      error: e.error,
      error_description: `AADSTS${e.aadsts}: ${e.description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${ts}`,
      error_codes: [e.aadsts],
      timestamp: ts,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${e.aadsts}`,
    };
  }

  private async token(tenant: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const cors = this.corsHeaders(req);
    const noStore = { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' };
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    let grantType = '';
    let clientId = '';
    try {
      const raw = await readRequestBody(req);
      const form = new URLSearchParams(raw);
      grantType = form.get('grant_type') ?? '';
      clientId = form.get('client_id') ?? '';
      if (!this.knownTenant(tenant)) throw new OAuthError('invalid_request', 90002, `Tenant '${tenant}' not found.`);
      if (!grantType) throw new OAuthError('invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
      if (!clientId) throw new OAuthError('invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
      const app = this.apps.get(clientId.toLowerCase());
      if (!app) {
        throw new OAuthError('unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${this.world.partner.displayName}'.`);
      }
      if (app.spa !== false && this.requireOrigin && !origin) {
        throw new OAuthError('invalid_request', 9002327, "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.");
      }
      if (app.spa === false && origin) {
        throw new OAuthError('invalid_request', 9002326, "Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type.");
      }
      let body: Record<string, unknown>;
      let upn: string | undefined;
      if (grantType === 'authorization_code') {
        ({ body, upn } = this.redeemCode(app, form));
      } else if (grantType === 'refresh_token') {
        ({ body, upn } = this.redeemRefresh(app, form));
      } else {
        throw new OAuthError('unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`);
      }
      this.log(tenant, grantType, clientId, origin, true, undefined, upn);
      sendJson(res, 200, body, { ...cors, ...noStore });
    } catch (err) {
      const e = err instanceof OAuthError ? err : new OAuthError('invalid_request', 900144, 'The request body could not be read.');
      this.log(tenant, grantType, clientId, origin, false, e);
      sendJson(res, e.status, this.errorBody(e), { ...cors, ...noStore });
    }
  }

  private log(tenant: string, grantType: string, clientId: string, origin: string | undefined, ok: boolean, e?: OAuthError, upn?: string): void {
    const entry: TokenLogEntry = { time: this.clock.now().toISOString(), tenant, grantType, clientId, origin, ok };
    if (e) {
      entry.error = e.error;
      entry.errorCode = e.aadsts;
    }
    if (upn) entry.userPrincipalName = upn;
    this.tokenLog.push(entry);
  }

  private redeemCode(app: AppRegistration, form: URLSearchParams): { body: Record<string, unknown>; upn: string } {
    const code = form.get('code');
    if (!code) throw new OAuthError('invalid_request', 900144, "The request body must contain the following parameter: 'code'.");
    const grant = this.codes.get(code);
    if (!grant || grant.clientId.toLowerCase() !== app.clientId.toLowerCase()) {
      throw new OAuthError('invalid_grant', 70000, "The provided value for the 'code' parameter is not valid.");
    }
    if (grant.used) {
      throw new OAuthError('invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.');
    }
    if (this.clock.nowMs() - grant.issuedMs > CODE_LIFETIME_MS) {
      throw new OAuthError('invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.');
    }
    const redirectUri = form.get('redirect_uri');
    if (!redirectUri) throw new OAuthError('invalid_request', 900144, "The request body must contain the following parameter: 'redirect_uri'.");
    if (redirectUri !== grant.redirectUri) {
      throw new OAuthError('invalid_grant', 500112, `The reply address '${redirectUri}' does not match the reply address '${grant.redirectUri}' provided when requesting Authorization code.`);
    }
    const verifier = form.get('code_verifier');
    if (!verifier) throw new OAuthError('invalid_request', 900144, "The request body must contain the following parameter: 'code_verifier'.");
    // The code is spent once it has been presented with the right redirect URI, even if the verifier is wrong.
    grant.used = true;
    const computed = createHash('sha256').update(verifier, 'ascii').digest('base64url');
    if (computed !== grant.codeChallenge) {
      throw new OAuthError('invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.');
    }
    const user = this.world.users.find((u) => u.objectId === grant.userId);
    if (!user) throw new OAuthError('invalid_grant', 50034, 'The user account does not exist in the directory.');
    const body = this.tokenResponse(app, user, grant.requestedScopes, grant.nonce, this.clock.nowMs());
    return { body, upn: user.userPrincipalName };
  }

  private redeemRefresh(app: AppRegistration, form: URLSearchParams): { body: Record<string, unknown>; upn: string } {
    const token = form.get('refresh_token');
    if (!token) throw new OAuthError('invalid_request', 900144, "The request body must contain the following parameter: 'refresh_token'.");
    const grant = this.refreshTokens.get(token);
    if (!grant) throw new OAuthError('invalid_grant', 50173, 'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.');
    if (grant.clientId.toLowerCase() !== app.clientId.toLowerCase()) {
      throw new OAuthError('invalid_grant', 70000, "The provided value for the 'refresh_token' is not valid for this client.");
    }
    if (grant.used) throw new OAuthError('invalid_grant', 70000, 'The refresh token has already been redeemed (this fake rotates refresh tokens on use).');
    if (this.clock.nowMs() - grant.sessionStartMs >= SPA_REFRESH_LIFETIME_MS) {
      throw new OAuthError(
        'invalid_grant',
        700084,
        'The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00, which cannot be extended. It is now expired and a new sign in request must be sent by the SPA to the sign in page.',
      );
    }
    const user = this.world.users.find((u) => u.objectId === grant.userId);
    if (!user) throw new OAuthError('invalid_grant', 50034, 'The user account does not exist in the directory.');
    // Kept (marked used) so that a replay is told apart from a revoked or unknown token.
    grant.used = true;
    // The `scope` parameter of a refresh is ignored: the new tokens carry the original grant's scopes.
    const scopes = grant.requestedScopes;
    const body = this.tokenResponse(app, user, scopes, grant.nonce, grant.sessionStartMs);
    return { body, upn: user.userPrincipalName };
  }

  /** Graph scope names (without the resource prefix) that `requested` asks for. */
  private graphScopes(app: AppRegistration, requested: string[]): string[] {
    const out = new Set<string>();
    for (const s of requested) {
      if (OIDC_SCOPES.has(s)) continue;
      const name = s.startsWith(`${GRAPH_RESOURCE}/`) ? s.slice(GRAPH_RESOURCE.length + 1) : s.includes('://') ? undefined : s;
      if (!name) continue;
      if (name === '.default') for (const c of app.consentedScopes ?? DEFAULT_CONSENTED_SCOPES) out.add(c);
      else out.add(name);
    }
    let scopes = [...out];
    if (app.consentedScopes) {
      const consented = new Set(app.consentedScopes.map((c) => c.toLowerCase()));
      scopes = scopes.filter((s) => consented.has(s.toLowerCase()));
    }
    return scopes.length > 0 ? scopes : FALLBACK_GRAPH_SCOPES;
  }

  private tokenResponse(app: AppRegistration, user: FakeUser, requested: string[], nonce: string | undefined, sessionStartMs: number): Record<string, unknown> {
    const scp = this.graphScopes(app, requested);
    const lifetime = this.accessTokenLifetimeSec;
    const accessToken = this.issueAccessToken(user, scp, app.clientId, lifetime);
    const oidc = requested.filter((s) => s === 'openid' || s === 'profile' || s === 'email');
    const body: Record<string, unknown> = {
      token_type: 'Bearer',
      scope: [...oidc, ...scp.map((s) => `${GRAPH_RESOURCE}/${s}`)].join(' '),
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: accessToken,
    };
    if (requested.includes('offline_access')) {
      const refresh = `1.A${base64url(randomBytes(96))}`;
      this.refreshTokens.set(refresh, { clientId: app.clientId, userId: user.objectId, requestedScopes: requested, sessionStartMs, nonce, used: false });
      body.refresh_token = refresh;
      this.issuedTokens.push({ kind: 'refresh', token: refresh });
    }
    if (requested.includes('openid')) {
      body.id_token = this.issueIdToken(user, app.clientId, nonce);
      this.issuedTokens.push({ kind: 'id', token: body.id_token as string });
    }
    this.issuedTokens.push({ kind: 'access', token: accessToken });
    return body;
  }

  private signJwt(payload: Record<string, unknown>): string {
    const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: this.kid, x5t: this.kid }));
    const body = base64url(JSON.stringify(payload));
    const signature = sign('sha256', Buffer.from(`${header}.${body}`), this.privateKey);
    return `${header}.${body}.${base64url(signature)}`;
  }

  private issueAccessToken(user: FakeUser, scopes: string[], clientId: string, lifetimeSec = this.accessTokenLifetimeSec): string {
    const now = Math.floor(this.clock.nowMs() / 1000);
    const tid = this.world.partner.tenantId;
    const uti = base64url(randomBytes(16));
    const claims: AccessTokenClaims = {
      aud: GRAPH_RESOURCE,
      iss: `https://sts.windows.net/${tid}/`,
      iat: now,
      nbf: now,
      exp: now + lifetimeSec,
      tid,
      oid: user.objectId,
      sub: base64url(createHash('sha256').update(`${user.objectId}:${clientId}`).digest()).slice(0, 43),
      name: user.displayName,
      preferred_username: user.userPrincipalName,
      upn: user.userPrincipalName,
      unique_name: user.userPrincipalName,
      scp: scopes.join(' '),
      appid: clientId,
      ver: '1.0',
      uti,
      idtyp: 'user',
    };
    this.liveAccessTokens.add(uti);
    return this.signJwt({ ...claims });
  }

  private issueIdToken(user: FakeUser, clientId: string, nonce: string | undefined): string {
    const now = Math.floor(this.clock.nowMs() / 1000);
    const tid = this.world.partner.tenantId;
    const payload: Record<string, unknown> = {
      aud: clientId,
      iss: `https://login.microsoftonline.com/${tid}/v2.0`,
      iat: now,
      nbf: now,
      exp: now + 3600,
      name: user.displayName,
      oid: user.objectId,
      preferred_username: user.userPrincipalName,
      sub: base64url(createHash('sha256').update(`${user.objectId}:${clientId}:id`).digest()).slice(0, 43),
      tid,
      ver: '2.0',
      uti: base64url(randomBytes(16)),
    };
    if (nonce !== undefined) payload.nonce = nonce;
    return this.signJwt(payload);
  }
}
