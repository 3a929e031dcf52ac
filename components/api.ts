import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { StatusView } from '@/utils/messaging/protocol';
import type { Api } from '@/utils/messaging/client';

export type { Api };

/** A `getStatus` already under way: its promise, and its answer once in (`undefined` before). */
export interface PendingStatus {
  readonly promise: Promise<StatusView | null>;
  readonly value: StatusView | null | undefined;
}

/**
 * The status view, reloaded whenever the background reports a change. `pending` is a
 * request sent before the page's modules ran (the popup's, see popup/early-status.ts):
 * when its answer is already in, the first render has the status.
 */
export function useStatus(api: Api, pending?: PendingStatus): { status: StatusView | null; reload: () => Promise<void> } {
  const [status, setStatus] = useState<StatusView | null>(() => pending?.value ?? null);
  // Asked during the first render, not after the first paint: every view waits for it.
  const [first] = useState(() =>
    pending ? pending.promise.then((s) => s ?? api.send('getStatus')).catch(() => null) : api.send('getStatus').catch(() => null),
  );
  const reload = async () => {
    try {
      setStatus(await api.send('getStatus'));
    } catch {
      // The worker is restarting; the next change notification reloads.
    }
  };
  // The first answer is applied the moment it arrives: a layout effect runs as the first
  // render commits, where a plain effect would wait for a paint and a timer first.
  useLayoutEffect(() => {
    let alive = true;
    void first.then((s) => alive && s && setStatus((current) => current ?? s));
    return () => {
      alive = false;
    };
  }, []);
  useEffect(() => api.onChange(() => void reload()), [api]);
  return { status, reload };
}

/**
 * Text for a message key that came from the background (e.g. 'graphError.throttled').
 * An unknown key falls back to `fallbackKey`, never to the raw key.
 */
export function textFor(key: string, fallbackKey = 'graphError.server'): string {
  const t = i18n.t as unknown as (k: string) => string;
  return t(key) || t(fallbackKey);
}

export function formatDateTime(iso: string | null | undefined, locale = navigator.language): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}
