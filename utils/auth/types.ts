import type { CloudId } from '../graph/clouds';

/** What sign-in needs; from the user's settings. */
export interface AuthConfig {
  cloud: CloudId;
  clientId: string;
  /** `organizations` (default), `common`, or the partner's tenant ID or domain. */
  tenant: string;
}

/** Who is signed in: shown on the options page and in the popup. Never a token. */
export interface Account {
  name: string;
  username: string;
  /** The partner tenant (`tid`). */
  tenantId: string;
  /** ISO time of the interactive sign-in. */
  signedInAt: string;
}

export type AuthStatus =
  | { state: 'not-configured' }
  | { state: 'signed-out' }
  | { state: 'signed-in'; account: Account }
  /** The refresh token has lived its 24 hours (or was revoked): sign in again. */
  | { state: 'sign-in-required'; account: Account };

export type AuthErrorKind =
  | 'not-configured'
  | 'cancelled'
  | 'sign-in-required'
  | 'redirect-mismatch'
  | 'consent-required'
  | 'invalid-response'
  | 'network'
  | 'server';

/** An error whose message is safe to show and to log: it never contains a token. */
export class AuthError extends Error {
  constructor(
    readonly kind: AuthErrorKind,
    message: string,
    /** Entra's error code (e.g. AADSTS50011) where there is one. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

export interface AuthService {
  status(): Promise<AuthStatus>;
  /** Interactive sign-in (a browser window); resolves with the new status. */
  signIn(): Promise<AuthStatus>;
  signOut(): Promise<void>;
  /**
   * A valid access token for Graph, refreshed silently when needed. Never opens a window:
   * throws AuthError('sign-in-required') when only an interactive sign-in can help.
   * `forceRefresh` redeems the refresh token even if the access token looks valid (after a 401).
   */
  getAccessToken(opts?: { signal?: AbortSignal; forceRefresh?: boolean }): Promise<string>;
}
