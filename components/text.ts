import { i18n } from '#i18n';

const memo = new Map<string, string>();

/**
 * `i18n.t`, remembered: a grid of a thousand badges asks for the same few dozen texts, and
 * each `i18n.getMessage` call crosses into the browser. The UI language does not change
 * while a page lives, so a text once made stays right.
 */
export const t = ((...args: unknown[]): string => {
  const key = JSON.stringify(args);
  let text = memo.get(key);
  if (text === undefined) {
    text = (i18n.t as (...a: unknown[]) => string)(...args);
    memo.set(key, text);
  }
  return text;
}) as typeof i18n.t;

/** Forgets the remembered texts (a test that switches the language). */
export function forgetTexts(): void {
  memo.clear();
}

/** The language dates are written in: the page's, else the browser's; Korean or English. */
export function uiLanguage(): 'ko' | 'en' {
  const lang = (document.documentElement.lang || navigator.language || '').toLowerCase();
  return lang.startsWith('ko') ? 'ko' : 'en';
}
