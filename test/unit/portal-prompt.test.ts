import { describe, expect, it } from 'vitest';
import { needsSignInPrompt } from '@/utils/portals/prompt';
import type { StatusView } from '@/utils/messaging/protocol';
import { DEFAULT_SETTINGS } from '@/utils/settings';

const account = { name: 'A', username: 'a@contoso.example', tenantId: 't', signedInAt: '2026-11-21T00:00:00Z' };
const sync = (lastSuccess: string | null): StatusView['sync'] => ({
  running: false, lastSuccess, lastAttempt: lastSuccess, lastError: null, counts: null, durationMs: null, writeMs: null, emptyHint: null,
});
const api = (status: StatusView | undefined | Error) => ({
  send: (async () => {
    if (status instanceof Error) throw status;
    return status;
  }) as never,
});

describe('the page prompt', () => {
  it.each([
    ['signed out', { auth: { state: 'signed-out' }, sync: sync(null), settings: DEFAULT_SETTINGS } as StatusView, true],
    ['not configured', { auth: { state: 'not-configured' }, sync: sync(null), settings: DEFAULT_SETTINGS } as StatusView, true],
    ['sign-in required', { auth: { state: 'sign-in-required', account }, sync: sync('2026-11-20T00:00:00Z'), settings: DEFAULT_SETTINGS } as StatusView, true],
    ['signed in, never synced', { auth: { state: 'signed-in', account }, sync: sync(null), settings: DEFAULT_SETTINGS } as StatusView, true],
    ['signed in with data', { auth: { state: 'signed-in', account }, sync: sync('2026-11-20T00:00:00Z'), settings: DEFAULT_SETTINGS } as StatusView, false],
  ])('%s → %s', async (_name, status, expected) => {
    expect(await needsSignInPrompt(api(status))).toBe(expected);
  });

  it('is a quiet no when the background cannot answer', async () => {
    expect(await needsSignInPrompt(api(new Error('Could not establish connection')))).toBe(false);
    expect(await needsSignInPrompt(api(undefined))).toBe(false);
  });
});
