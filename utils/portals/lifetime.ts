/**
 * How long a content script's work lasts, and how it follows client-side navigation.
 *
 * The lifetime ends only when the extension itself is gone, which an orphaned content
 * script sees as its runtime id disappearing (extension updated, reloaded or removed). A
 * starting copy announces itself with a DOM event, so that an older copy checks at once
 * rather than at its next use. Any page can send that event too (its name is in our
 * script): it only makes a copy check whether its extension is still there. (WXT's own
 * context retired a copy on that event alone, so a page could switch GDAP Lens off; the
 * content scripts are built without it, see utils/build-config.ts.) Navigation is followed
 * with the lifetime's own signal.
 */
import { browser } from 'wxt/browser';

export interface ScriptLifetime {
  readonly signal: AbortSignal;
  /** Ends the lifetime if the extension is gone; answers whether it has ended. */
  ended(): boolean;
}

export interface LifetimeOptions {
  /** Whether the extension is still there (default: `browser.runtime.id` is set). */
  extensionAlive?: () => boolean;
  /** Where copies announce themselves (default: the global document). */
  doc?: Document;
}

/** The DOM event a starting copy dispatches on the document. */
export const SCRIPT_STARTED_EVENT = 'gdap-lens:content-script-started';

/** This copy's lifetime; announces the copy, so that an orphaned older one stops now. */
export function scriptLifetime(opts: LifetimeOptions = {}): ScriptLifetime {
  const alive = opts.extensionAlive ?? (() => browser.runtime?.id != null);
  const doc = opts.doc ?? document;
  const controller = new AbortController();
  const ended = (): boolean => {
    if (!controller.signal.aborted) {
      let gone = true;
      try {
        gone = !alive();
      } catch {
        // Touching the runtime of a removed extension may throw: it is gone.
      }
      if (gone) controller.abort();
    }
    return controller.signal.aborted;
  };
  const check = () => void ended();
  doc.addEventListener(SCRIPT_STARTED_EVENT, check);
  controller.signal.addEventListener('abort', () => doc.removeEventListener(SCRIPT_STARTED_EVENT, check), { once: true });
  doc.dispatchEvent(new CustomEvent(SCRIPT_STARTED_EVENT));
  return { signal: controller.signal, ended };
}

interface NavigateEventLike extends Event {
  destination?: { url?: string };
}

interface NavigationLike {
  addEventListener(type: 'navigate', listener: (e: NavigateEventLike) => void, options?: AddEventListenerOptions): void;
}

export interface WatchUrlOptions {
  signal: AbortSignal;
  /** The window to watch (default: the global one). */
  win?: Window & { navigation?: NavigationLike };
  /** Polling period where the Navigation API is missing (default 1 s). */
  pollMs?: number;
}

/**
 * Calls `listener` with each new URL the page navigates to without a reload, until
 * `signal` aborts. The Navigation API announces a change before it commits, so the event's
 * URL is passed, not `location`; without that API, `location` is polled.
 */
export function watchUrl(listener: (url: string) => void, opts: WatchUrlOptions): void {
  const win = opts.win ?? (window as Window & { navigation?: NavigationLike });
  if (opts.signal.aborted) return;
  let last = win.location.href;
  const seen = (url: string) => {
    if (url === last) return;
    last = url;
    listener(url);
  };
  const navigation = win.navigation;
  if (navigation && typeof navigation.addEventListener === 'function') {
    navigation.addEventListener(
      'navigate',
      (e) => {
        const url = e.destination?.url;
        if (typeof url === 'string') seen(url);
      },
      { signal: opts.signal },
    );
    return;
  }
  const id = win.setInterval(() => seen(win.location.href), opts.pollMs ?? 1000);
  opts.signal.addEventListener('abort', () => win.clearInterval(id), { once: true });
}
