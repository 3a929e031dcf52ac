import { browser } from 'wxt/browser';
import { CACHE_GENERATION_KEY, STATUS_GENERATION_KEY, sendMessage, type Command, type Payload, type Results } from './protocol';

/**
 * What the extension's pages and content scripts need from the background. Production
 * wires it to the typed messaging protocol and storage.onChanged; component tests pass a fake.
 */
export interface Api {
  send<C extends Command>(command: C, data?: Payload<C>): Promise<Results[C]>;
  /** Called after the background reports a change of status or cache. Returns an unsubscribe. */
  onChange(listener: () => void): () => void;
}

export function createRuntimeApi(): Api {
  return {
    send: (command, data) => (sendMessage as (c: string, d: unknown) => Promise<never>)(command, data),
    onChange: onBackgroundChange,
  };
}

/** Calls `listener` after the background reports a change of status or cache; returns an unsubscribe. */
export function onBackgroundChange(listener: () => void): () => void {
  const onChanged = (changes: Record<string, unknown>, area: string) => {
    if (area === 'local' && (CACHE_GENERATION_KEY in changes || STATUS_GENERATION_KEY in changes)) listener();
  };
  browser.storage.onChanged.addListener(onChanged);
  return () => browser.storage.onChanged.removeListener(onChanged);
}
