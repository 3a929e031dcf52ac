/**
 * Real texts in unit tests: `#i18n` calls `browser.i18n.getMessage`, which the fake browser
 * does not implement. {@link useLocale} loads utils/i18n/locales/{locale}.yml the way the
 * build does and answers getMessage from it, with Chrome's `$1`…`$9` substitution.
 */
import { join } from 'node:path';
import { fakeBrowser } from 'wxt/testing';
import { forgetTexts } from '@/components/text';
import { generateChromeMessages, parseMessagesFile } from '@wxt-dev/i18n/build';

export type TestLocale = 'en' | 'ko';
type ChromeMessages = Record<string, { message: string }>;

const dir = join(__dirname, '../../utils/i18n/locales');
const cache = new Map<TestLocale, ChromeMessages>();

/** The locale's messages as they ship in `_locales/{locale}/messages.json`. */
export async function chromeMessages(locale: TestLocale): Promise<ChromeMessages> {
  let messages = cache.get(locale);
  if (!messages) {
    messages = generateChromeMessages(await parseMessagesFile(join(dir, `${locale}.yml`))) as ChromeMessages;
    cache.set(locale, messages);
  }
  return messages;
}

/** Chrome's substitution: `$1`…`$9` from `subs` (missing ones empty), `$$` → `$`. */
export function substitute(message: string, subs: readonly string[]): string {
  return message.replace(/\$(\$|[1-9])/g, (_, c: string) => (c === '$' ? '$' : (subs[Number(c) - 1] ?? '')));
}

/**
 * Makes `browser.i18n.getMessage` answer in `locale` (unknown keys give `''`, as in Chrome)
 * and, when there is a document, sets its `lang` (the badge writes dates in it).
 * Returns a lookup for expected texts: `text('pcBadge.days', '5')` (plural messages keep
 * their `a | b` form; pick with {@link plural}).
 */
export async function useLocale(locale: TestLocale): Promise<(key: string, ...subs: string[]) => string> {
  const messages = await chromeMessages(locale);
  const lookup = (key: string, ...subs: string[]) => {
    const m = messages[key.replaceAll('.', '_')]?.message;
    return m === undefined ? '' : substitute(m, subs);
  };
  forgetTexts();
  fakeBrowser.i18n.getMessage = ((name: string, subs?: string | string[]) =>
    lookup(name, ...(subs === undefined ? [] : Array.isArray(subs) ? subs : [subs]))) as typeof fakeBrowser.i18n.getMessage;
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
  return lookup;
}
