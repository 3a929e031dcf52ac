/**
 * `send` without the messaging library, for the content scripts, whose budget
 * (15 KB gzip) the library's client would take about 0.9 KB of. It puts on the wire what
 * @webext-core/messaging's `sendMessage` puts there (`{ id, type, data, timestamp }`) and
 * reads what its `onMessage` answers (`{ res }`, or `{ err }` when the handler threw), so
 * the background serves it through the same listener, router, sender policy and schemas
 * as every other message (test/unit/messaging-direct.test.ts holds it to the library).
 * An error answer, no answer or a failed send rejects.
 */
import { browser } from 'wxt/browser';
import { onBackgroundChange, type Api } from './client';
import type { Command, Payload, Results } from './protocol';

let seq = Math.floor(Math.random() * 1e4);

export async function sendDirect<C extends Command>(command: C, data?: Payload<C>): Promise<Results[C]> {
  const reply = (await browser.runtime.sendMessage({ id: seq++, type: command, data, timestamp: Date.now() })) as
    | { res?: Results[C]; err?: unknown }
    | undefined;
  if (!reply || reply.err != null) throw new Error(`${command}: no answer`);
  return reply.res as Results[C];
}

/** The content script's {@link Api} `send`, through {@link sendDirect}. */
export const directApi: Pick<Api, 'send'> = { send: sendDirect };

/** The content scripts' whole {@link Api}: {@link sendDirect}, and the background's change reports. */
export const contentApi: Api = { send: sendDirect, onChange: onBackgroundChange };
