import { useEffect, useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';

/** Opens a URL outside the popup (a `mailto:` draft in the default mail program). */
export type OpenUrl = (url: string) => void;
/** Saves text as a file the user downloads. */
export type SaveFile = (filename: string, text: string, mimeType: string) => void;

/** Search-as-you-type waits this long after the last key stroke (ms). */
export const DEFAULT_DEBOUNCE_MS = 150;

/** The popup's language for dates: the document's (set from the browser's UI language). */
export function uiLocale(): string {
  return document.documentElement.lang || navigator.language || 'en';
}

/** An ISO date as a short date in the UI language ("Mar 5, 2026" / "2026. 3. 5."); `''` when unreadable. */
export function formatDay(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(uiLocale(), { year: 'numeric', month: 'short', day: 'numeric' }).format(d);
}

/** `value`, once it has stopped changing for `ms` milliseconds. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (Object.is(value, settled)) return;
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** False once the component has unmounted: late answers are then dropped. */
export function useAlive(): { current: boolean } {
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);
  return alive;
}

/** A click on a temporary link: mail programs open `mailto:` drafts this way. */
export const defaultOpenUrl: OpenUrl = (url) => {
  const a = document.createElement('a');
  a.href = url;
  a.rel = 'noopener noreferrer';
  document.body.append(a);
  a.click();
  a.remove();
};

/** A Blob behind a `download` link. */
export const defaultSaveFile: SaveFile = (filename, text, mimeType) => {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
};

let nextId = 0;
/** A document-unique id prefix, stable for the component's life. */
export function useId(prefix: string): string {
  const ref = useRef<string | null>(null);
  if (ref.current === null) ref.current = `${prefix}-${++nextId}`;
  return ref.current;
}

/**
 * A link the user sends to a customer: shown as text (selectable), with "Copy link" (needs
 * the click's gesture) and "Draft e-mail" (a `mailto:` draft in the UI language).
 */
export function LinkActions(props: { label: string; url: string; mailto: () => string; openUrl: OpenUrl; testId?: string }) {
  const [note, setNote] = useState<'copied' | 'failed' | null>(null);
  const alive = useAlive();
  const labelId = useId('link');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.url);
      if (alive.current) setNote('copied');
    } catch {
      if (alive.current) setNote('failed');
    }
  };
  return (
    <div class="link-box">
      <span id={labelId} class="label">
        {props.label}
      </span>
      <code class="link" aria-labelledby={labelId} data-testid={props.testId}>
        {props.url}
      </code>
      <div class="row">
        <button type="button" onClick={() => void copy()}>
          {i18n.t('popup2.copyLink')}
        </button>
        <button type="button" class="secondary" onClick={() => props.openUrl(props.mailto())}>
          {i18n.t('popup2.draftEmail')}
        </button>
      </div>
      <p role="status" class={note === 'failed' ? 'error' : 'muted'}>
        {note === 'copied' ? i18n.t('popup2.linkCopied') : note === 'failed' ? i18n.t('popup2.copyFailed') : ''}
      </p>
    </div>
  );
}
