import type { Api } from '../messaging/client';

/** Why a portal page shows GDAP Lens's one prompt instead of badges. */
export type PromptReason = 'sign-in' | 'sync';

/**
 * Whether a portal page should show GDAP Lens's one prompt, and why: `sign-in` when the
 * partner is not signed in (or must sign in again), `sync` when signed in but nothing is
 * cached (never synced, or the cache was lost). `null`: badges. When the background cannot
 * be asked (it is restarting, or the extension was updated under the page), the answer is
 * a quiet `null`.
 */
export async function pagePrompt(api: Pick<Api, 'send'>): Promise<PromptReason | null> {
  try {
    const status = await api.send('getStatus');
    if (!status) return null;
    if (status.auth.state !== 'signed-in') return 'sign-in';
    return status.sync.lastSuccess === null ? 'sync' : null;
  } catch {
    return null;
  }
}
