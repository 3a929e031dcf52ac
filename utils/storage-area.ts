/**
 * The slice of a `browser.storage` area that GDAP Lens uses, so logic in utils/ can be
 * tested with a Map and wired to `browser.storage.local` / `.session` in the background.
 */
export interface KeyValueArea {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<void>;
}

/** An in-memory area (tests, and the fallback when storage.session is unavailable). */
export function memoryArea(initial: Record<string, unknown> = {}): KeyValueArea & { dump(): Record<string, unknown> } {
  const data = new Map<string, unknown>(Object.entries(initial));
  return {
    get: async (key) => structuredClone(data.get(key)),
    set: async (key, value) => void data.set(key, structuredClone(value)),
    remove: async (key) => void data.delete(key),
    dump: () => Object.fromEntries(data),
  };
}

/** Wraps a WebExtension storage area (`browser.storage.local`, `.session`). */
export function extensionArea(area: {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}): KeyValueArea {
  return {
    get: async (key) => (await area.get(key))[key],
    set: (key, value) => area.set({ [key]: value }),
    remove: (key) => area.remove(key),
  };
}
