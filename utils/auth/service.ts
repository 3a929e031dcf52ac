/**
 * The sign-in state machine of the background service worker (AuthService in ./types.ts).
 *
 * - Tokens live only in memory and in the `session` area (browser.storage.session in
 *   production: cleared when the browser closes, never written to disk by storage.local).
 * - SPA refresh tokens live 24 hours from the interactive sign-in and never slide
 *   (shared/graph-contract.md): the deadline is stored and never passed.
 * - getAccessToken never opens a window; only signIn() does.
 */
import * as v from 'valibot';
import { CLOUDS, type CloudId } from '../graph/clouds';
import { isGuid } from '../ids';
import type { KeyValueArea } from '../storage-area';
import {
  callbackParams,
  createAuthorizationRequest,
  isValidTenant,
  launchRejectionToAuthError,
  redeemAuthorizationCode,
  redeemRefreshToken,
} from './oauth';
import { AuthError, type Account, type AuthConfig, type AuthService, type AuthStatus } from './types';

export { describeAuthErrorKey, AUTH_ERROR_KEYS, type AuthErrorKey } from './errors';

export interface AuthServiceDeps {
  /** The user's settings; null or an empty clientId → 'not-configured'. */
  config(): Promise<AuthConfig | null>;
  /** `browser.identity.getRedirectURL()`. */
  redirectUri: string;
  /** `browser.identity.launchWebAuthFlow({ url, interactive })`: resolves with the final redirect URL. */
  launchWebAuthFlow(url: string, interactive: boolean): Promise<string>;
  /** browser.storage.session: the only persistent place tokens may live. */
  session: KeyValueArea;
  fetch?: typeof fetch;
  now?: () => number;
  /** Timeout of one token request (default 30 s). */
  requestTimeoutMs?: number;
}

/** Key of the session record in the `session` area. */
export const SESSION_KEY = 'auth.session';
/** An access token with less than this left is refreshed before use. */
export const ACCESS_TOKEN_MARGIN_MS = 2 * 60_000;
/** Lifetime of a refresh token issued to a single-page application (fixed, no sliding). */
export const SPA_REFRESH_LIFETIME_MS = 24 * 3_600_000;

const AccountSchema = v.object({
  name: v.string(),
  username: v.string(),
  tenantId: v.string(),
  signedInAt: v.string(),
});

const SessionRecordSchema = v.object({
  version: v.literal(1),
  cloud: v.custom<CloudId>((x) => typeof x === 'string' && Object.hasOwn(CLOUDS, x)),
  clientId: v.string(),
  /** The tenant setting the sign-in used (token endpoint path). */
  tenant: v.string(),
  /** The concrete issuer (`…/<tid>/v2.0`) the ID token was validated against. */
  issuer: v.string(),
  state: v.picklist(['signed-in', 'sign-in-required']),
  account: AccountSchema,
  accessToken: v.optional(v.string()),
  /** Absolute ms. */
  accessTokenExpiresAt: v.optional(v.number()),
  refreshToken: v.optional(v.string()),
  /** Absolute ms: interactive sign-in + 24 h. No refresh is attempted at or after it. */
  refreshDeadline: v.number(),
});

export type SessionRecord = v.InferOutput<typeof SessionRecordSchema>;

interface NormalizedConfig {
  cloud: CloudId;
  clientId: string;
  tenant: string;
}

function normalizeConfig(cfg: AuthConfig | null): NormalizedConfig | null {
  if (!cfg) return null;
  const clientId = (cfg.clientId ?? '').trim();
  const tenant = (cfg.tenant ?? '').trim() || 'organizations';
  if (!clientId || !Object.hasOwn(CLOUDS, cfg.cloud) || !isValidTenant(tenant)) return null;
  return { cloud: cfg.cloud, clientId, tenant };
}

/** Whether a stored session belongs to the current settings. */
function belongsTo(rec: SessionRecord, cfg: NormalizedConfig): boolean {
  if (rec.cloud !== cfg.cloud) return false;
  if (rec.clientId.toLowerCase() !== cfg.clientId.toLowerCase()) return false;
  if (isGuid(cfg.tenant) && rec.account.tenantId.toLowerCase() !== cfg.tenant.toLowerCase()) return false;
  return true;
}

function withoutTokens(rec: SessionRecord): SessionRecord {
  const { accessToken: _a, accessTokenExpiresAt: _e, refreshToken: _r, ...rest } = rec;
  return { ...rest, state: 'sign-in-required' };
}

const notConfigured = (): AuthError =>
  new AuthError('not-configured', 'Sign-in is not configured: enter the application (client) ID in the options.');

export function createAuthService(deps: AuthServiceDeps): AuthService {
  const now = deps.now ?? (() => Date.now());
  const baseFetch: typeof fetch = deps.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = deps.requestTimeoutMs ?? 30_000;

  /** Memory copy of the `session` record; undefined until loaded (e.g. after a worker restart). */
  let current: SessionRecord | null | undefined;
  let loading: Promise<SessionRecord | null> | null = null;
  /** Bumped on every sign-in, sign-out and invalidation: a refresh that started earlier may not write. */
  let generation = 0;
  let refreshing: Promise<string> | null = null;
  let signingIn: Promise<AuthStatus> | null = null;

  const httpDeps = () => ({
    fetch: baseFetch,
    // oauth4webapi checks JWT times against Date.now(); map the injected clock onto it.
    skewSec: Math.round((now() - Date.now()) / 1000),
    timeoutMs,
  });

  async function load(): Promise<SessionRecord | null> {
    if (current !== undefined) return current;
    loading ??= (async () => {
      const raw = await deps.session.get(SESSION_KEY);
      const parsed = raw === undefined ? undefined : v.safeParse(SessionRecordSchema, raw);
      const rec = parsed?.success ? parsed.output : null;
      if (parsed && !parsed.success) await deps.session.remove(SESSION_KEY);
      // A save() may have happened meanwhile; it wins.
      if (current === undefined) current = rec;
      return current;
    })().finally(() => {
      loading = null;
    });
    return loading;
  }

  async function save(rec: SessionRecord | null): Promise<void> {
    current = rec;
    if (rec) await deps.session.set(SESSION_KEY, rec);
    else await deps.session.remove(SESSION_KEY);
  }

  async function readConfig(): Promise<NormalizedConfig | null> {
    return normalizeConfig(await deps.config());
  }

  /** The session for these settings; a session of other settings is dropped. */
  async function sessionFor(cfg: NormalizedConfig): Promise<SessionRecord | null> {
    const rec = await load();
    if (rec && !belongsTo(rec, cfg)) {
      generation++;
      await save(null);
      return null;
    }
    return rec;
  }

  function accessTokenUsable(rec: SessionRecord): rec is SessionRecord & { accessToken: string } {
    return rec.accessToken !== undefined && rec.accessTokenExpiresAt !== undefined && rec.accessTokenExpiresAt - now() > ACCESS_TOKEN_MARGIN_MS;
  }

  function canRefresh(rec: SessionRecord): boolean {
    return rec.refreshToken !== undefined && now() < rec.refreshDeadline;
  }

  async function markSignInRequired(rec: SessionRecord): Promise<SessionRecord> {
    const next = withoutTokens(rec);
    await save(next);
    return next;
  }

  function toStatus(rec: SessionRecord | null): AuthStatus {
    if (!rec) return { state: 'signed-out' };
    const account: Account = { ...rec.account };
    return rec.state === 'signed-in' ? { state: 'signed-in', account } : { state: 'sign-in-required', account };
  }

  async function refresh(cfg: NormalizedConfig, rec: SessionRecord): Promise<string> {
    const gen = generation;
    if (!rec.refreshToken || !canRefresh(rec)) {
      await markSignInRequired(rec);
      throw new AuthError('sign-in-required', 'The sign-in has expired (refresh tokens of single-page apps last 24 hours); sign in again.');
    }
    const sentAt = now();
    let result;
    try {
      result = await redeemRefreshToken(
        {
          cloud: CLOUDS[cfg.cloud],
          tenant: rec.tenant,
          clientId: rec.clientId,
          refreshToken: rec.refreshToken,
          issuer: rec.issuer,
          redirectUri: deps.redirectUri,
        },
        httpDeps(),
      );
    } catch (err) {
      const e = err instanceof AuthError ? err : new AuthError('server', 'Refreshing the sign-in failed.');
      // Only a definite "this grant is dead" drops the tokens; network and server trouble keep them.
      if (e.kind === 'sign-in-required' && gen === generation) await markSignInRequired(rec);
      throw e;
    }
    if (gen !== generation) {
      throw new AuthError('sign-in-required', 'The sign-in changed while the token was being refreshed; try again.');
    }
    const next: SessionRecord = {
      ...rec,
      account: {
        ...rec.account,
        name: result.idClaims?.name ?? rec.account.name,
        username: result.idClaims?.username ?? rec.account.username,
      },
      accessToken: result.accessToken,
      accessTokenExpiresAt: sentAt + result.expiresIn * 1000,
      // Rotation: Entra answers with a new refresh token; the old one is spent.
      refreshToken: result.refreshToken ?? rec.refreshToken,
    };
    await save(next);
    return result.accessToken;
  }

  async function getAccessToken(opts: { signal?: AbortSignal; forceRefresh?: boolean } = {}): Promise<string> {
    opts.signal?.throwIfAborted();
    const cfg = await readConfig();
    if (!cfg) throw notConfigured();
    const rec = await sessionFor(cfg);
    if (!rec) throw new AuthError('sign-in-required', 'Not signed in: sign in from the options page.');
    if (rec.state === 'sign-in-required') {
      throw new AuthError('sign-in-required', 'The sign-in has expired or was revoked; sign in again.');
    }
    if (!opts.forceRefresh && accessTokenUsable(rec)) return rec.accessToken;
    // Single flight: every caller during a refresh shares the one token request.
    if (!refreshing) {
      const flight: Promise<string> = refresh(cfg, rec).finally(() => {
        if (refreshing === flight) refreshing = null;
      });
      refreshing = flight;
    }
    return abortable(refreshing, opts.signal);
  }

  async function doSignIn(cfg: NormalizedConfig): Promise<AuthStatus> {
    const cloud = CLOUDS[cfg.cloud];
    const gen = generation;
    const request = await createAuthorizationRequest({
      cloud,
      tenant: cfg.tenant,
      clientId: cfg.clientId,
      redirectUri: deps.redirectUri,
      interactive: true,
    });
    let finalUrl: string;
    try {
      finalUrl = await deps.launchWebAuthFlow(request.url, true);
    } catch (err) {
      throw launchRejectionToAuthError(err, deps.redirectUri);
    }
    const params = callbackParams(finalUrl, deps.redirectUri);
    const startedAt = now();
    const result = await redeemAuthorizationCode(
      { cloud, tenant: cfg.tenant, clientId: cfg.clientId, redirectUri: deps.redirectUri, params, request },
      httpDeps(),
    );
    const claims = result.idClaims;
    if (!claims) throw new AuthError('invalid-response', 'Entra ID returned no ID token.');
    const rec: SessionRecord = {
      version: 1,
      cloud: cfg.cloud,
      clientId: cfg.clientId,
      tenant: cfg.tenant,
      issuer: result.issuer,
      state: 'signed-in',
      account: {
        name: claims.name ?? claims.username ?? '',
        username: claims.username ?? '',
        tenantId: claims.tid,
        signedInAt: new Date(startedAt).toISOString(),
      },
      accessToken: result.accessToken,
      accessTokenExpiresAt: startedAt + result.expiresIn * 1000,
      // Measured from before the code was redeemed, so never later than the server's own deadline.
      refreshDeadline: startedAt + SPA_REFRESH_LIFETIME_MS,
    };
    if (result.refreshToken) rec.refreshToken = result.refreshToken;
    // Signed out (or the settings changed) while the window was open: keep nothing.
    if (gen !== generation) throw new AuthError('cancelled', 'Sign-in was cancelled: the session changed while the sign-in window was open.');
    generation++;
    refreshing = null;
    await save(rec);
    return toStatus(rec);
  }

  return {
    async status() {
      const cfg = await readConfig();
      if (!cfg) return { state: 'not-configured' };
      let rec = await sessionFor(cfg);
      if (rec && rec.state === 'signed-in' && !accessTokenUsable(rec) && !canRefresh(rec) && !refreshing) {
        rec = await markSignInRequired(rec);
      }
      return toStatus(rec);
    },

    async signIn() {
      const cfg = await readConfig();
      if (!cfg) throw notConfigured();
      // One window at a time: a second click while the window is open joins the first flow.
      signingIn ??= doSignIn(cfg).finally(() => {
        signingIn = null;
      });
      return signingIn;
    },

    async signOut() {
      // Entra ID has no token revocation endpoint for public clients (no RFC 7009), so signing
      // out means forgetting the tokens; the refresh token dies by itself within 24 hours.
      generation++;
      refreshing = null;
      await save(null);
    },

    getAccessToken,
  };
}

/** Lets one caller stop waiting without cancelling the shared work. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
