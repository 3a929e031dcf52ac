/**
 * The admin center content script sends without the messaging library
 * (utils/messaging/direct.ts). Here it is held to the library itself: what it puts on the
 * wire is what the library's `sendMessage` puts there, and the library's `onMessage` (the
 * background's one listener, protocol.ts) answers it, errors and dropped messages included.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { sendDirect } from '@/utils/messaging/direct';
import { onMessage, sendMessage } from '@/utils/messaging/protocol';

type Listener = (message: unknown, sender: unknown, sendResponse: (r: unknown) => void) => unknown;

const SENDER = { id: 'gdap-lens', url: 'https://admin.microsoft.com/AdminPortal/Home#/partners' };
const ROWS = { rows: [{ types: 'Delegated admin (DAP)', roles: ['Global Administrator'], end: null }] };

/** Captures the library's root listener, and routes `runtime.sendMessage` (both calling styles) to it. */
function wire() {
  let listener: Listener | undefined;
  const sent: unknown[] = [];
  // The fake's lastError is set from the start; a real one is only set after a failure.
  vi.spyOn(fakeBrowser.runtime, 'lastError', 'get').mockReturnValue(undefined);
  vi.spyOn(fakeBrowser.runtime.onMessage, 'addListener').mockImplementation(((l: Listener) => void (listener = l)) as never);
  vi.spyOn(fakeBrowser.runtime.onMessage, 'removeListener').mockImplementation((() => void (listener = undefined)) as never);
  const deliver = (message: unknown) =>
    new Promise<unknown>((resolve) => {
      sent.push(message);
      const kept = listener?.(structuredClone(message), SENDER, resolve);
      if (kept !== true) resolve(undefined);
    });
  vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockImplementation(((message: unknown, callback?: (r: unknown) => void) => {
    const answer = deliver(message);
    if (typeof callback === 'function') void answer.then(callback);
    else return answer;
  }) as never);
  return { sent };
}

const removers: Array<() => void> = [];
afterEach(() => {
  for (const remove of removers.splice(0)) remove();
  vi.restoreAllMocks();
});

describe('sendDirect and the messaging library', () => {
  it('puts on the wire what the library puts there', async () => {
    const { sent } = wire();
    removers.push(onMessage('analyzePartners', () => ({ partners: [], summary: { total: 0, withAdminAccess: 0, viaDap: 0, withGlobalAdmin: 0 } })));
    await sendMessage('analyzePartners', ROWS);
    await sendDirect('analyzePartners', ROWS);
    expect(sent).toHaveLength(2);
    const [lib, direct] = sent as Array<Record<string, unknown>>;
    expect(Object.keys(direct!).sort()).toEqual(Object.keys(lib!).sort());
    expect(direct).toMatchObject({ type: 'analyzePartners', data: ROWS });
    expect(typeof direct!.id).toBe('number');
    expect(typeof direct!.timestamp).toBe('number');
  });

  it("gets the answer of the library's listener, with the sender the browser gives it", async () => {
    wire();
    const seen: unknown[] = [];
    removers.push(
      onMessage('analyzePartners', ({ data, sender }) => {
        seen.push([data, sender]);
        return { partners: [], summary: { total: 1, withAdminAccess: 1, viaDap: 1, withGlobalAdmin: 1 } };
      }),
    );
    expect(await sendDirect('analyzePartners', ROWS)).toEqual({ partners: [], summary: { total: 1, withAdminAccess: 1, viaDap: 1, withGlobalAdmin: 1 } });
    expect(seen).toEqual([[ROWS, SENDER]]);
  });

  it('a dropped message (the handler answers nothing) resolves to undefined, like the library', async () => {
    wire();
    removers.push(onMessage('analyzeInvitation', () => undefined as never));
    expect(await sendDirect('analyzeInvitation', { roles: [{ name: 'x', id: null }], duration: null, autoExtend: null })).toBeUndefined();
    expect(await sendMessage('analyzeInvitation', { roles: [{ name: 'x', id: null }], duration: null, autoExtend: null })).toBeUndefined();
  });

  it('rejects when the handler threw, or nobody listens, or the send fails', async () => {
    wire();
    removers.push(
      onMessage('analyzePartners', () => {
        throw new Error('invalid answer');
      }),
    );
    await expect(sendDirect('analyzePartners', ROWS)).rejects.toThrow();
    await expect(sendDirect('getStatus')).rejects.toThrow();
    vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockRejectedValue(new Error('Could not establish connection. Receiving end does not exist.'));
    await expect(sendDirect('analyzePartners', ROWS)).rejects.toThrow(/Receiving end/);
  });
});
