/**
 * The OAuth 2.0 / OpenID Connect pieces of sign-in against Microsoft Entra ID, built on
 * oauth4webapi (shared/graph-contract.md, "Hosts and sign-in"): authorization code with
 * PKCE (S256), public client (client_id only), state and nonce checked, and the
 * `{tenantid}` issuer template resolved from the ID token's own `tid`.
 *
 * Nothing here keeps state or touches storage; service.ts does that.
 * Error messages built here never contain a token or an authorization code.
 */
import * as oauth from 'oauth4webapi';
import type { Cloud, CloudId } from '../graph/clouds';
import { isGuid } from '../ids';
import { AuthError } from './types';

/** Tenants whose discovery document names the issuer as the `{tenantid}` template. */
const MULTI_TENANT = new Set(['organizations', 'common']);

/** A tenant segment we are willing to put into a URL path: a GUID, `organizations`/`common` or a domain. */
const TENANT_RE = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,253}[A-Za-z0-9])?$/;

export function isValidTenant(tenant: string): boolean {
  return TENANT_RE.test(tenant) && tenant.toLowerCase() !== 'consumers';
}

/**
 * Origins Entra ID names as the `iss` of v2.0 ID tokens, per cloud. The first is the sign-in
 * authority itself; Azure China (21Vianet) signs in at login.chinacloudapi.cn but its v2.0
 * tokens are documented with the issuer host login.partner.microsoftonline.cn, so both are
 * accepted there (still a strict, closed list: the token cannot choose an arbitrary issuer).
 */
const ISSUER_ORIGINS: Record<CloudId, readonly string[]> = {
  global: ['https://login.microsoftonline.com'],
  'usgov-l4': ['https://login.microsoftonline.us'],
  'usgov-l5': ['https://login.microsoftonline.us'],
  china: ['https://login.chinacloudapi.cn', 'https://login.partner.microsoftonline.cn'],
};

function issuerOrigins(cloud: Cloud): readonly string[] {
  return ISSUER_ORIGINS[cloud.id] ?? [cloud.authority];
}

/** The Graph scope GDAP Lens asks for plus OpenID Connect and a refresh token. */
export function signInScope(cloud: Cloud): string {
  return `${cloud.graph}/DelegatedAdminRelationship.ReadWrite.All openid profile offline_access`;
}

/**
 * The issuer as Entra's discovery document names it: the literal `{tenantid}` template for
 * `organizations`/`common` (and for a domain name, whose GUID we do not know yet), the
 * tenant-specific issuer for a tenant GUID.
 */
export function metadataIssuer(cloud: Cloud, tenant: string): string {
  if (isGuid(tenant) && !MULTI_TENANT.has(tenant.toLowerCase())) return `${cloud.authority}/${tenant.toLowerCase()}/v2.0`;
  return `${cloud.authority}/{tenantid}/v2.0`;
}

/** AuthorizationServer metadata built from the cloud (no discovery fetch). */
export function authorizationServer(cloud: Cloud, tenant: string, issuer = metadataIssuer(cloud, tenant)): oauth.AuthorizationServer {
  const base = `${cloud.authority}/${encodeURIComponent(tenant)}/oauth2/v2.0`;
  return {
    issuer,
    authorization_endpoint: `${base}/authorize`,
    token_endpoint: `${base}/token`,
    id_token_signing_alg_values_supported: ['RS256'],
    code_challenge_methods_supported: ['S256'],
    response_types_supported: ['code'],
  };
}

/** oauth4webapi's Client for a public client; `skewSec` maps an injected clock onto the library's. */
export function publicClient(clientId: string, skewSec = 0): oauth.Client {
  return { client_id: clientId, [oauth.clockSkew]: skewSec };
}

// ---------------------------------------------------------------------------
// Authorization request
// ---------------------------------------------------------------------------

export interface AuthorizationRequest {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export async function createAuthorizationRequest(opts: {
  cloud: Cloud;
  tenant: string;
  clientId: string;
  redirectUri: string;
  interactive: boolean;
}): Promise<AuthorizationRequest> {
  const as = authorizationServer(opts.cloud, opts.tenant);
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const codeChallenge = await oauth.calculatePKCECodeChallenge(codeVerifier);
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint!);
  const q = url.searchParams;
  q.set('client_id', opts.clientId);
  q.set('response_type', 'code');
  q.set('redirect_uri', opts.redirectUri);
  q.set('scope', signInScope(opts.cloud));
  q.set('state', state);
  q.set('nonce', nonce);
  q.set('code_challenge', codeChallenge);
  q.set('code_challenge_method', 'S256');
  if (opts.interactive) q.set('prompt', 'select_account');
  return { url: url.toString(), state, nonce, codeVerifier };
}

// ---------------------------------------------------------------------------
// Token endpoint
// ---------------------------------------------------------------------------

export interface TokenResult {
  accessToken: string;
  /** Seconds, as the server said (a conservative default when it did not). */
  expiresIn: number;
  refreshToken: string | undefined;
  /** The exact issuer the ID token was validated against. */
  issuer: string;
  /** From the validated ID token (absent on a refresh answer without one). */
  idClaims: { tid: string; name: string | undefined; username: string | undefined } | undefined;
}

/** Thrown by the fetch wrapper so that transport failures are told apart from library TypeErrors. */
class TransportFailure extends Error {
  constructor() {
    super('network request failed');
    this.name = 'TransportFailure';
  }
}

interface HttpDeps {
  fetch: typeof fetch;
  /** Seconds between the injected clock and Date.now() (oauth4webapi's clock). */
  skewSec: number;
  timeoutMs: number;
}

function requestOptions(deps: HttpDeps): oauth.TokenEndpointRequestOptions {
  const f = deps.fetch;
  return {
    [oauth.customFetch]: async (url, init) => {
      try {
        return await f(url, init as RequestInit);
      } catch {
        throw new TransportFailure();
      }
    },
    signal: AbortSignal.timeout(deps.timeoutMs),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function base64UrlToBytes(input: string): Uint8Array {
  const b64 = input.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (input.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The payload of a compact JWS, unverified; undefined when it is not one. */
export function decodeJwtPayload(jwt: string): Record<string, unknown> | undefined {
  const parts = jwt.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const json: unknown = JSON.parse(new TextDecoder().decode(base64UrlToBytes(parts[1])));
    return isObject(json) ? json : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the (unverified) ID token claims of a successful token answer without consuming it. */
async function peekIdTokenPayload(response: Response): Promise<Record<string, unknown> | undefined> {
  if (response.status !== 200) return undefined;
  let body: unknown;
  try {
    body = await response.clone().json();
  } catch {
    return undefined;
  }
  if (!isObject(body) || typeof body.id_token !== 'string') return undefined;
  return decodeJwtPayload(body.id_token);
}

/**
 * The issuer an ID token must carry, from its own `tid`.
 *
 * Why: for `organizations`/`common` Entra's discovery document names the issuer as the
 * literal template `https://login.microsoftonline.com/{tenantid}/v2.0`, while every ID token
 * carries the real tenant in `iss` (`…/<tid>/v2.0`). oauth4webapi compares `iss` strictly
 * with `as.issuer`, so we must know the tenant before it validates the answer. We read `tid`
 * from the not-yet-validated token (it came straight from the token endpoint over TLS, which
 * is what OIDC Core §3.1.3.7 relies on too), require it to be a GUID (and the configured
 * tenant when that is a GUID), and hand oauth4webapi an AuthorizationServer whose issuer is
 * the concrete `${authority}/${tid}/v2.0`; oauth4webapi then checks `iss`, `aud`, `exp`,
 * `nonce` as usual. Only oauth4webapi's public API is used (not its underscore-prefixed
 * escape hatches, which carry no compatibility promise).
 */
export function resolveIssuer(cloud: Cloud, configuredTenant: string, payload: Record<string, unknown>): { tid: string; issuer: string } {
  const tid = payload.tid;
  if (!isGuid(tid)) {
    throw new AuthError('invalid-response', 'The ID token from Entra ID carries no valid tenant ID (tid).');
  }
  if (isGuid(configuredTenant) && tid.toLowerCase() !== configuredTenant.toLowerCase()) {
    throw new AuthError(
      'invalid-response',
      `Signed in to tenant ${tid}, but the settings name tenant ${configuredTenant.toLowerCase()}. Sign in with an account of the configured partner tenant.`,
    );
  }
  const iss = typeof payload.iss === 'string' ? payload.iss : '';
  const origin = issuerOrigins(cloud).find((o) => iss === `${o}/${tid}/v2.0`) ?? issuerOrigins(cloud)[0] ?? cloud.authority;
  return { tid, issuer: `${origin}/${tid}/v2.0` };
}

/**
 * The AuthorizationServer to check an authorization response with. Entra does not send the
 * RFC 9207 `iss` parameter today; if it ever does, it is the concrete tenant issuer, which a
 * template issuer would never equal, so it is accepted only in that exact, resolvable form.
 */
function asForCallback(cloud: Cloud, tenant: string, params: URLSearchParams): oauth.AuthorizationServer {
  const iss = params.get('iss');
  if (iss) {
    for (const origin of issuerOrigins(cloud)) {
      const m = new RegExp(`^${origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/([0-9a-f-]{36})/v2\\.0$`, 'i').exec(iss);
      const tid = m?.[1];
      if (tid && isGuid(tid) && (!isGuid(tenant) || tid.toLowerCase() === tenant.toLowerCase())) {
        return authorizationServer(cloud, tenant, iss);
      }
    }
  }
  return authorizationServer(cloud, tenant);
}

/** The parameters of the final redirect (query; fragment as a fallback). */
export function callbackParams(finalUrl: string, redirectUri: string): URLSearchParams {
  let callback: URL;
  let expected: URL;
  try {
    callback = new URL(finalUrl);
    expected = new URL(redirectUri);
  } catch {
    throw new AuthError('invalid-response', 'The sign-in window returned an address that is not a URL.');
  }
  if (callback.origin !== expected.origin || callback.pathname !== expected.pathname) {
    throw new AuthError('invalid-response', `The sign-in window returned to ${callback.origin}${callback.pathname} instead of the redirect URI.`);
  }
  if (callback.search.length > 1) return callback.searchParams;
  return new URLSearchParams(callback.hash.replace(/^#/, ''));
}

/** Checks the authorization response (state, error) and redeems the code (PKCE, nonce, issuer). */
export async function redeemAuthorizationCode(
  opts: {
    cloud: Cloud;
    tenant: string;
    clientId: string;
    redirectUri: string;
    params: URLSearchParams;
    request: AuthorizationRequest;
  },
  deps: HttpDeps,
): Promise<TokenResult> {
  const client = publicClient(opts.clientId, deps.skewSec);
  let validated: URLSearchParams;
  try {
    validated = oauth.validateAuthResponse(asForCallback(opts.cloud, opts.tenant, opts.params), client, opts.params, opts.request.state);
  } catch (err) {
    throw toAuthError(err, 'authorize', opts.redirectUri);
  }
  try {
    const as = authorizationServer(opts.cloud, opts.tenant);
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), validated, opts.redirectUri, opts.request.codeVerifier, requestOptions(deps));
    const payload = await peekIdTokenPayload(response);
    const issuer = payload ? resolveIssuer(opts.cloud, opts.tenant, payload).issuer : as.issuer;
    const resolved = authorizationServer(opts.cloud, opts.tenant, issuer);
    const result = await oauth.processAuthorizationCodeResponse(resolved, client, response, {
      expectedNonce: opts.request.nonce,
      requireIdToken: true,
    });
    return toTokenResult(result, issuer);
  } catch (err) {
    throw toAuthError(err, 'code', opts.redirectUri);
  }
}

/** Redeems a refresh token; the ID token of the answer (if any) must come from `issuer`. */
export async function redeemRefreshToken(
  opts: { cloud: Cloud; tenant: string; clientId: string; refreshToken: string; issuer: string; redirectUri: string },
  deps: HttpDeps,
): Promise<TokenResult> {
  const client = publicClient(opts.clientId, deps.skewSec);
  const as = authorizationServer(opts.cloud, opts.tenant, opts.issuer);
  try {
    const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), opts.refreshToken, {
      ...requestOptions(deps),
      additionalParameters: { scope: signInScope(opts.cloud) },
    });
    const result = await oauth.processRefreshTokenResponse(as, client, response);
    return toTokenResult(result, opts.issuer);
  } catch (err) {
    throw toAuthError(err, 'refresh', opts.redirectUri);
  }
}

function toTokenResult(result: oauth.TokenEndpointResponse, issuer: string): TokenResult {
  const claims = oauth.getValidatedIdTokenClaims(result);
  let idClaims: TokenResult['idClaims'];
  if (claims) {
    if (!isGuid(claims.tid)) throw new AuthError('invalid-response', 'The ID token from Entra ID carries no valid tenant ID (tid).');
    idClaims = {
      tid: claims.tid,
      name: typeof claims.name === 'string' ? claims.name : undefined,
      username: typeof claims.preferred_username === 'string' ? claims.preferred_username : undefined,
    };
  }
  const expiresIn = typeof result.expires_in === 'number' && result.expires_in > 0 ? result.expires_in : 600;
  return { accessToken: result.access_token, expiresIn, refreshToken: result.refresh_token, issuer, idClaims };
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

export type OAuthPhase = 'authorize' | 'code' | 'refresh';

/** `AADSTS50011` from an Entra error text. */
export function parseAadsts(text: string | undefined): string | undefined {
  const m = text ? /AADSTS(\d{4,})/.exec(text) : null;
  return m ? `AADSTS${m[1]}` : undefined;
}

/**
 * Entra's error_description made safe to show and log: the trace/correlation tail removed,
 * anything that looks like a token or an authorization code (long base64url runs) redacted,
 * and the length capped. GUIDs (36 characters) survive.
 */
export function safeDescription(text: string | undefined): string {
  if (!text) return '';
  const head = text.split(/\s*(?:\r?\n|Trace ID:)/)[0] ?? '';
  return head
    .replace(/[A-Za-z0-9_~+/=.-]{40,}/g, '[redacted]')
    .slice(0, 300)
    .trim();
}

function redirectMismatch(redirectUri: string, code: string): AuthError {
  return new AuthError(
    'redirect-mismatch',
    `Entra ID refused the redirect URI ${redirectUri} (${code}). In the app registration, add it under Authentication as a "Single-page application" platform (not "Web").`,
    code,
  );
}

const REDIRECT_CODES = new Set(['AADSTS50011', 'AADSTS9002326']);

/** Maps whatever oauth4webapi or the transport threw onto an AuthError with a safe message. */
export function toAuthError(err: unknown, phase: OAuthPhase, redirectUri: string): AuthError {
  if (err instanceof AuthError) return err;
  if (err instanceof TransportFailure || (err instanceof DOMException && (err.name === 'TimeoutError' || err.name === 'AbortError'))) {
    return new AuthError('network', 'Entra ID could not be reached. Check the network connection and try again.');
  }
  if (err instanceof oauth.AuthorizationResponseError || err instanceof oauth.ResponseBodyError) {
    const error = err.error;
    const description = err.error_description;
    const codes = err instanceof oauth.ResponseBodyError ? err.cause.error_codes : undefined;
    const firstCode = Array.isArray(codes) && typeof codes[0] === 'number' ? `AADSTS${codes[0]}` : undefined;
    const code = parseAadsts(description) ?? firstCode;
    const detail = safeDescription(description);
    const suffix = detail ? ` ${detail}` : code ? ` (${code})` : '';
    if (code && REDIRECT_CODES.has(code)) return redirectMismatch(redirectUri, code);
    if (phase === 'authorize') {
      if (error === 'access_denied') return new AuthError('cancelled', `Sign-in was cancelled or access was denied.${suffix}`, code);
      if (error === 'interaction_required' || error === 'consent_required') {
        return new AuthError('consent-required', `Entra ID needs consent or more interaction before GDAP Lens may sign in.${suffix}`, code);
      }
      if (error === 'login_required') return new AuthError('sign-in-required', `Entra ID asks for an interactive sign-in.${suffix}`, code);
      return new AuthError('server', `Entra ID refused the sign-in (${error}).${suffix}`, code);
    }
    if (phase === 'refresh' && (error === 'invalid_grant' || error === 'interaction_required' || error === 'login_required')) {
      return new AuthError('sign-in-required', `The sign-in has expired or was revoked; sign in again.${suffix}`, code);
    }
    if (error === 'consent_required' || error === 'interaction_required') {
      return new AuthError('consent-required', `Entra ID needs consent or more interaction before GDAP Lens may sign in.${suffix}`, code);
    }
    return new AuthError('server', `The Entra ID token endpoint answered with an error (${error}).${suffix}`, code);
  }
  if (err instanceof oauth.OperationProcessingError) {
    const cause = (err as { cause?: unknown }).cause;
    const claim = isObject(cause) && typeof cause.claim === 'string' ? cause.claim : undefined;
    if (err.code === oauth.RESPONSE_IS_NOT_CONFORM) {
      return new AuthError('server', 'Entra ID answered with an unexpected HTTP status; try again later.');
    }
    if (phase === 'authorize') {
      return new AuthError('invalid-response', 'The sign-in answer did not match the request (state mismatch or malformed answer); sign-in was refused.');
    }
    if (claim) {
      return new AuthError('invalid-response', `The ID token from Entra ID failed validation (claim "${claim}"); sign-in was refused.`);
    }
    return new AuthError('invalid-response', 'Entra ID returned an answer that could not be validated.');
  }
  if (err instanceof oauth.WWWAuthenticateChallengeError) {
    return new AuthError('server', 'Entra ID refused the request with an authentication challenge.');
  }
  if (err instanceof oauth.UnsupportedOperationError) {
    return new AuthError('invalid-response', 'Entra ID returned an answer GDAP Lens does not support.');
  }
  return new AuthError('invalid-response', 'Sign-in failed with an unexpected error.');
}

/**
 * Maps a rejection of `identity.launchWebAuthFlow`. Browsers reject with a generic message
 * ("The user did not approve access.") when the window is closed, including when it showed an
 * Entra error page; where the text does carry an AADSTS code, it is used.
 */
export function launchRejectionToAuthError(err: unknown, redirectUri: string): AuthError {
  if (err instanceof AuthError) return err;
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  const code = parseAadsts(message);
  if (code && REDIRECT_CODES.has(code)) return redirectMismatch(redirectUri, code);
  if (code) return new AuthError('server', `Entra ID refused the sign-in: ${safeDescription(message)}`, code);
  if (/could not be loaded|ERR_[A-Z_]+|network/i.test(message)) {
    return new AuthError('network', 'The sign-in page could not be loaded. Check the network connection and try again.');
  }
  return new AuthError(
    'cancelled',
    `The sign-in window was closed before sign-in finished. If it showed an error about the redirect URI, register ${redirectUri} as a "Single-page application" redirect URI.`,
  );
}
