/**
 * How long a content script's work lasts, and how it follows client-side navigation.
 *
 * WXT's ContentScriptContext aborts when anything on the page dispatches the DOM event its
 * copies use to retire an older copy. The event's name is public (the starting copy posts
 * it to the page), so a page script could switch GDAP Lens off, and with it the location
 * watcher the context runs. The lifetime here ends only when the extension itself is gone,
 * which an orphaned content script sees as its runtime id disappearing (extension updated,
 * reloaded or removed). Navigation is followed with the lifetime's own signal.
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
}

/**
 * A lifetime that outlasts WXT's context unless the extension is really gone. `ctx` is
 * WXT's content script context (only `onInvalidated` is used): when it is invalidated,
 * the lifetime ends only if the extension is gone too.
 */
export function scriptLifetime(ctx: { onInvalidated(cb: () => void): unknown }, opts: LifetimeOptions = {}): ScriptLifetime {
  const alive = opts.extensionAlive ?? (() => browser.runtime?.id != null);
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
  ctx.onInvalidated(() => void ended());
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
