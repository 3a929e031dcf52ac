import { browser } from 'wxt/browser';
import type { i18n } from '#i18n';

/** Stands in for the n-th substitution in a remembered message (never in a message itself). */
const MARK = '\u0001';
const MARKS = /\u0001(\d)\u0001/g;
const templates = new Map<string, string>();

/**
 * `i18n.t`, remembered per message and plural form, with the substitutions put in here: a
 * grid of a thousand badges shows hundreds of different day counts, and every
 * `i18n.getMessage` call crosses into the browser, so the browser is asked once for
 * "access ends in $1" rather than once per number. The UI language does not change while a
 * page lives, so a message once read stays right.
 */
export const t = ((key: string, ...args: unknown[]): string => {
  let count: number | undefined;
  let sub: unknown[] | undefined;
  for (const a of args) {
    if (typeof a === 'number') count = a;
    else if (Array.isArray(a)) sub = a;
  }
  const subs = sub ? sub.map(String) : count !== undefined ? [String(count)] : [];
  // The plural forms a message may have: 0, 1, other.
  const form = count === undefined ? undefined : count === 0 || count === 1 ? count : 2;
  const memoKey = `${key}\u0000${form ?? ''}\u0000${subs.length}`;
  let template = templates.get(memoKey);
  if (template === undefined) {
    template = message(key, subs.map((_, i) => `${MARK}${i}${MARK}`), form);
    templates.set(memoKey, template);
  }
  return subs.length === 0 ? template : template.replace(MARKS, (_, i: string) => subs[Number(i)] ?? '');
}) as typeof i18n.t;

/**
 * A message as @wxt-dev/i18n's `t` reads it (a unit test holds the two together), asked of
 * the browser directly: content scripts then carry none of that library. Plural messages
 * are "one | other" or "zero | one | other".
 */
function message(key: string, subs: string[], form: 0 | 1 | 2 | undefined): string {
  const getMessage = browser.i18n.getMessage as (name: string, substitutions?: string[]) => string | undefined;
  const text = getMessage(key.replaceAll('.', '_'), subs.length > 0 ? subs : undefined) ?? '';
  if (form === undefined) return text;
  const forms = text.split(' | ');
  if (forms.length === 2) return forms[form === 1 ? 0 : 1]!;
  if (forms.length === 3) return forms[form]!;
  return forms.length === 1 ? forms[0]! : text;
}

const made = new Map<string, unknown>();

/** What `make(arg)` builds from messages, built once per key until the texts are forgotten. */
export function fromTexts<T, A>(key: string, make: (arg: A) => T, arg: A): T {
  let value = made.get(key) as T | undefined;
  if (value === undefined) made.set(key, (value = make(arg)));
  return value;
}

/** Forgets the remembered messages and what was built from them (a test that switches the language). */
export function forgetTexts(): void {
  templates.clear();
  made.clear();
}

/** The language dates are written in: the page's, else the browser's; Korean or English. */
export function uiLanguage(): 'ko' | 'en' {
  const lang = (document.documentElement.lang || navigator.language || '').toLowerCase();
  return lang.startsWith('ko') ? 'ko' : 'en';
}
