import { describe, expect, it } from 'vitest';
import { pagePrompt } from '@/utils/portals/prompt';
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
    ['signed out', { auth: { state: 'signed-out' }, sync: sync(null), settings: DEFAULT_SETTINGS } as StatusView, 'sign-in'],
    ['not configured', { auth: { state: 'not-configured' }, sync: sync(null), settings: DEFAULT_SETTINGS } as StatusView, 'sign-in'],
    ['sign-in required', { auth: { state: 'sign-in-required', account }, sync: sync('2026-11-20T00:00:00Z'), settings: DEFAULT_SETTINGS } as StatusView, 'sign-in'],
    ['signed in, never synced (or the cache was lost)', { auth: { state: 'signed-in', account }, sync: sync(null), settings: DEFAULT_SETTINGS } as StatusView, 'sync'],
    ['signed in with data', { auth: { state: 'signed-in', account }, sync: sync('2026-11-20T00:00:00Z'), settings: DEFAULT_SETTINGS } as StatusView, null],
  ])('%s → %s', async (_name, status, expected) => {
    expect(await pagePrompt(api(status))).toBe(expected);
  });

  it('is a quiet no when the background cannot answer', async () => {
    expect(await pagePrompt(api(new Error('Could not establish connection')))).toBeNull();
    expect(await pagePrompt(api(undefined))).toBeNull();
  });
});
