import { defineExtensionMessaging } from '@webext-core/messaging';

/**
 * The one typed protocol between content scripts, the popup, the options page and the
 * background. Every handler in the background checks its sender (./guard.ts) first.
 */
export interface ProtocolMap {
  /** Content scripts cannot open the options page themselves; the background does. */
  openOptions(): void;
}

export const { sendMessage, onMessage } = defineExtensionMessaging<ProtocolMap>();
