/**
 * Pure helpers around AuthError that the UI may import without pulling in the OAuth code.
 */
import type { AuthErrorKind } from './types';

/**
 * Stable i18n message keys, one per AuthErrorKind. Browser i18n keys allow only
 * [A-Za-z0-9_], so the part after the dots is camelCase; with @wxt-dev/i18n the YAML
 * `auth: error: signInRequired:` is referenced as 'auth.error.signInRequired'.
 */
export const AUTH_ERROR_KEYS = {
  'not-configured': 'auth.error.notConfigured',
  cancelled: 'auth.error.cancelled',
  'sign-in-required': 'auth.error.signInRequired',
  'redirect-mismatch': 'auth.error.redirectMismatch',
  'consent-required': 'auth.error.consentRequired',
  'invalid-response': 'auth.error.invalidResponse',
  network: 'auth.error.network',
  server: 'auth.error.server',
} as const satisfies Record<AuthErrorKind, string>;

export type AuthErrorKey = (typeof AUTH_ERROR_KEYS)[AuthErrorKind];

/** The i18n key of the user-facing message for an AuthError kind. */
export function describeAuthErrorKey(kind: AuthErrorKind): AuthErrorKey {
  return AUTH_ERROR_KEYS[kind] ?? AUTH_ERROR_KEYS.server;
}
