/**
 * The popup's first `getStatus`, asked before its modules have loaded.
 *
 * popup.html starts with `popup-status.js` (entrypoints/popup-status.ts: this module and
 * the messaging library, about 4 KB), an async classic script: it runs as soon as it is
 * fetched, without waiting for the popup's modules (about 90 KB in four chunks) and its
 * style sheets. The background answers while the browser still loads and evaluates those,
 * and the popup's first render usually has the status already: one render, ready, instead
 * of the busy form, then the status. The popup's modules take the request over with
 * {@link takeStatusRequest}; without it (the script did not run) the popup asks itself.
 *
 * It uses the same messaging library as the rest of the extension, so the message is the
 * one the background's router expects; only the protocol's types come along (no valibot,
 * no polyfill, no Preact).
 */
import { defineExtensionMessaging } from '@webext-core/messaging';
import type { ProtocolMap, StatusView } from '@/utils/messaging/protocol';
import type { PendingStatus } from '../api';

const KEY = '__gdapLensStatusRequest';

/** Sends `getStatus` now and leaves the request where {@link takeStatusRequest} finds it. */
export function startStatusRequest(): void {
  const { sendMessage } = defineExtensionMessaging<ProtocolMap>();
  const request: { promise: Promise<StatusView | null>; value: StatusView | null | undefined } = { promise: Promise.resolve(null), value: undefined };
  request.promise = sendMessage('getStatus', undefined).then(
    (status) => (request.value = status ?? null),
    () => (request.value = null),
  );
  (globalThis as Record<string, unknown>)[KEY] = request;
}

/** The request popup-status.js started, handed over once (`undefined` if it did not run). */
export function takeStatusRequest(): PendingStatus | undefined {
  const g = globalThis as Record<string, unknown>;
  const request = g[KEY] as PendingStatus | undefined;
  delete g[KEY];
  return request && typeof request === 'object' && request.promise instanceof Promise ? request : undefined;
}
