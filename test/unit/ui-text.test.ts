import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { i18n } from '#i18n';
import { t } from '@/components/text';
import { chromeMessages, useLocale } from './i18n-test-helper';

const call = (f: unknown, ...args: unknown[]) => (f as (...a: unknown[]) => string)(...args);

describe.each(['en', 'ko'] as const)('the remembered t in %s', (locale) => {
  it('answers exactly as i18n.t for every message, with counts 0, 1, 2, 245 and substitutions', async () => {
    await useLocale(locale);
    const keys = Object.keys(await chromeMessages(locale)).map((k) => k.replaceAll('_', '.'));
    // Keys whose own name has a dot and an underscore cannot be told apart; use those i18n finds.
    const known = keys.filter((k) => call(i18n.t, k) !== '');
    expect(known.length).toBeGreaterThan(100);
    const argLists: unknown[][] = [[], [0], [1], [2], [245], [['x$1y']], [['5 days']], [3, ['a', 'b']], [['<img src=x onerror=alert(1)>', '$$', '\u0001']]];
    for (const key of known) for (const args of argLists) expect(call(t, key, ...args), `${key} ${JSON.stringify(args)}`).toBe(call(i18n.t, key, ...args));
  });

  it('asks the browser once per message and plural form, not once per number', async () => {
    await useLocale(locale);
    const spy = vi.spyOn(fakeBrowser.i18n, 'getMessage');
    for (let n = 0; n < 500; n++) t('pcBadge.endsIn', [t('pcBadge.days', n)]);
    // days: forms 0, 1 and other; endsIn: one.
    expect(spy.mock.calls.length).toBeLessThanOrEqual(4);
    expect(t('pcBadge.endsIn', [t('pcBadge.days', 245)])).toBe(call(i18n.t, 'pcBadge.endsIn', [call(i18n.t, 'pcBadge.days', 245)]));
  });
});
