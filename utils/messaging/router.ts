import * as v from 'valibot';
import { PAYLOADS, POLICY, type Command, type Payload, type Results } from './protocol';
import { isOwnSender, type SenderLike } from './guard';
import { ADMIN_CENTER_MATCHES, PARTNER_CENTER_MATCHES } from '../portals/hosts';

const hostsOf = (matches: readonly string[]): string[] => matches.map((m) => new URL(m.replace('/*', '/')).host);

/** Hosts our content scripts run on (from their match patterns): the only web pages a sender with our id may be on. */
export const CONTENT_SCRIPT_HOSTS: readonly string[] = hostsOf([...PARTNER_CENTER_MATCHES, ...ADMIN_CENTER_MATCHES]);
/** Hosts of the admin center content script: the only senders of the `admin-center` commands. */
export const ADMIN_CENTER_HOSTS: readonly string[] = hostsOf(ADMIN_CENTER_MATCHES);

export type Handlers = { [C in Command]: (data: Payload<C>, sender: SenderLike) => Promise<Results[C]> | Results[C] };

export interface RouterOptions {
  /** browser.runtime.id */
  ownId: string;
  /** browser.runtime.getURL('/') — e.g. chrome-extension://<id>/ */
  ownOrigin: string;
  /** Hosts of the pages our content scripts run on ({@link CONTENT_SCRIPT_HOSTS} by default). */
  contentScriptHosts?: readonly string[];
  /** Hosts of the admin center content script ({@link ADMIN_CENTER_HOSTS} by default). */
  adminCenterHosts?: readonly string[];
}

/** Why a message was dropped; for tests and debugging, never sent back. */
export type DropReason = 'unknown-command' | 'foreign-sender' | 'not-an-extension-page' | 'unknown-page' | 'not-the-admin-center' | 'invalid-payload';

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

/** A content script's sender: an https page on one of the portals (exact host, default port). */
function isKnownPortalPage(sender: SenderLike, hosts: ReadonlySet<string>): boolean {
  if (typeof sender.url !== 'string') return false;
  try {
    const url = new URL(sender.url);
    return url.protocol === 'https:' && hosts.has(url.host);
  } catch {
    return false;
  }
}

export function createRouter(handlers: Handlers, opts: RouterOptions): Router {
  const origin = opts.ownOrigin.endsWith('/') ? opts.ownOrigin : `${opts.ownOrigin}/`;
  const portalHosts = new Set(opts.contentScriptHosts ?? CONTENT_SCRIPT_HOSTS);
  const adminHosts = new Set(opts.adminCenterHosts ?? ADMIN_CENTER_HOSTS);
  return {
    async dispatch(command, data, sender) {
      if (!isCommand(command)) return { handled: false, reason: 'unknown-command' };
      if (!sender || !isOwnSender(sender, opts.ownId)) return { handled: false, reason: 'foreign-sender' };
      const fromPage = isExtensionPage(sender, origin);
      if (POLICY[command] === 'page' && !fromPage) return { handled: false, reason: 'not-an-extension-page' };
      // Our content scripts only run on the portals: our id on any other page is not ours to answer.
      if (!fromPage && !isKnownPortalPage(sender, portalHosts)) return { handled: false, reason: 'unknown-page' };
      // The admin center's commands: our content script there, and nobody else (not even our pages).
      if (POLICY[command] === 'admin-center' && (fromPage || !isKnownPortalPage(sender, adminHosts))) {
        return { handled: false, reason: 'not-the-admin-center' };
      }
      const parsed = v.safeParse(PAYLOADS[command], data);
      if (!parsed.success) return { handled: false, reason: 'invalid-payload' };
      const handler = handlers[command] as (d: unknown, s: SenderLike) => unknown;
      return { handled: true, result: await handler(parsed.output, sender) };
    },
  };
}
