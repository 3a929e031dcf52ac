import { afterEach, describe, expect, it, vi } from 'vitest';
import { startStatusRequest, takeStatusRequest } from '@/components/popup/early-status';
import { createRouter } from '@/utils/messaging/router';
import type { Handlers } from '@/utils/messaging/router';
import type { StatusView } from '@/utils/messaging/protocol';
import { DEFAULT_SETTINGS } from '@/utils/settings';

const OWN_ID = 'abcdefghijklmnopabcdefghijklmnop';
const OWN_ORIGIN = `chrome-extension://${OWN_ID}/`;
const STATUS: StatusView = {
  auth: { state: 'signed-out' },
  sync: { running: false, lastSuccess: null, lastAttempt: null, lastError: null, counts: null, durationMs: null, writeMs: null, emptyHint: null },
  settings: DEFAULT_SETTINGS,
};

/** chrome.runtime.sendMessage (callback form), answered by `answer`. */
function fakeChrome(answer: (message: unknown) => Promise<unknown>) {
  const sent: unknown[] = [];
  const runtime = {
    lastError: undefined as { message: string } | undefined,
    sendMessage(message: unknown, callback: (response: unknown) => void) {
      sent.push(message);
      void answer(message).then(
        (response) => callback(response),
        (e: unknown) => {
          runtime.lastError = { message: String(e) };
          callback(undefined);
          runtime.lastError = undefined;
        },
      );
    },
  };
  vi.stubGlobal('chrome', { runtime });
  return sent;
}

afterEach(() => {
  takeStatusRequest();
  vi.unstubAllGlobals();
});

describe("the popup's early status request (popup-status.js)", () => {
  it('sends getStatus in the messaging format the background routes, and hands the answer over once', async () => {
    // The background's own router answers, as in the worker: the early script needs no other path.
    const router = createRouter({ getStatus: async () => STATUS } as unknown as Handlers, { ownId: OWN_ID, ownOrigin: OWN_ORIGIN });
    const sent = fakeChrome(async (message) => {
      const m = message as { type: string; data: unknown };
      const r = await router.dispatch(m.type, m.data, { id: OWN_ID, url: `${OWN_ORIGIN}popup.html` });
      return r.handled ? { res: r.result } : undefined;
    });
    startStatusRequest();
    const request = takeStatusRequest();
    expect(request?.value).toBeUndefined();
    await expect(request?.promise).resolves.toEqual(STATUS);
    expect(sent).toEqual([expect.objectContaining({ type: 'getStatus', data: undefined, timestamp: expect.any(Number), id: expect.any(Number) })]);
    expect(request?.value).toEqual(STATUS);
    expect(takeStatusRequest()).toBeUndefined();
  });

  it('settles with null when the background does not answer or fails', async () => {
    fakeChrome(async () => undefined);
    startStatusRequest();
    const none = takeStatusRequest();
    await expect(none?.promise).resolves.toBeNull();
    expect(none?.value).toBeNull();

    fakeChrome(async () => {
      throw new Error('Could not establish connection. Receiving end does not exist.');
    });
    startStatusRequest();
    const failed = takeStatusRequest();
    await expect(failed?.promise).resolves.toBeNull();
    expect(failed?.value).toBeNull();
  });

  it('is absent when the script did not run', () => {
    expect(takeStatusRequest()).toBeUndefined();
  });
});
