import * as v from 'valibot';
import { PAYLOADS, POLICY, type Command, type Payload, type Results } from './protocol';
import { isOwnSender, type SenderLike } from './guard';

export type Handlers = { [C in Command]: (data: Payload<C>, sender: SenderLike) => Promise<Results[C]> | Results[C] };

export interface RouterOptions {
  /** browser.runtime.id */
  ownId: string;
  /** browser.runtime.getURL('/') — e.g. chrome-extension://<id>/ */
  ownOrigin: string;
}

/** Why a message was dropped; for tests and debugging, never sent back. */
export type DropReason = 'unknown-command' | 'foreign-sender' | 'not-an-extension-page' | 'invalid-payload';

export interface Router {
  /**
   * Checks a message and runs its handler. Resolves `{ handled: false }` for anything
   * dropped: the sender learns nothing (no error text, no answer).
   */
  dispatch(
    command: string,
    data: unknown,
    sender: SenderLike | undefined,
  ): Promise<{ handled: true; result: unknown } | { handled: false; reason: DropReason }>;
}

function isCommand(command: string): command is Command {
  return Object.prototype.hasOwnProperty.call(PAYLOADS, command);
}

function isExtensionPage(sender: SenderLike, ownOrigin: string): boolean {
  // Content scripts carry the web page's URL (and a tab); our own pages carry our origin.
  return typeof sender.url === 'string' && sender.url.startsWith(ownOrigin);
}

export function createRouter(handlers: Handlers, opts: RouterOptions): Router {
  const origin = opts.ownOrigin.endsWith('/') ? opts.ownOrigin : `${opts.ownOrigin}/`;
  return {
    async dispatch(command, data, sender) {
      if (!isCommand(command)) return { handled: false, reason: 'unknown-command' };
      if (!sender || !isOwnSender(sender, opts.ownId)) return { handled: false, reason: 'foreign-sender' };
      if (POLICY[command] === 'page' && !isExtensionPage(sender, origin)) return { handled: false, reason: 'not-an-extension-page' };
      const parsed = v.safeParse(PAYLOADS[command], data);
      if (!parsed.success) return { handled: false, reason: 'invalid-payload' };
      const handler = handlers[command] as (d: unknown, s: SenderLike) => unknown;
      return { handled: true, result: await handler(parsed.output, sender) };
    },
  };
}
