import type { Api } from '../messaging/client';

/**
 * Whether a portal page should show GDAP Lens's one sign-in prompt: the partner is not
 * signed in, or nothing has been synced yet. When the background cannot be asked (it is
 * restarting, or the extension was updated under the page), the answer is a quiet no.
 */
export async function needsSignInPrompt(api: Pick<Api, 'send'>): Promise<boolean> {
  try {
    const status = await api.send('getStatus');
    if (!status) return false;
    return status.auth.state !== 'signed-in' || status.sync.lastSuccess === null;
  } catch {
    return false;
  }
}
