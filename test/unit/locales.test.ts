import { describe, expect, it } from 'vitest';
import { parseMessagesFile, type ParsedMessage } from '@wxt-dev/i18n/build';
import { join } from 'node:path';

const dir = join(__dirname, '../../utils/i18n/locales');
const load = async (locale: string) => {
  const messages = await parseMessagesFile(join(dir, `${locale}.yml`));
  return new Map(messages.map((m: ParsedMessage) => [m.key.join('_'), m]));
};
const substitutions = (m: ParsedMessage | undefined) =>
  JSON.stringify(m?.type === 'plural' ? Object.values(m.plurals).join('|') : m?.message ?? '').match(/\$\d/g)?.sort() ?? [];

describe('English and Korean locales', () => {
  it('have exactly the same keys', async () => {
    const [en, ko] = await Promise.all([load('en'), load('ko')]);
    expect(en.size).toBeGreaterThan(0);
    expect([...ko.keys()].sort()).toEqual([...en.keys()].sort());
  });

  it('use the same substitutions in both languages', async () => {
    const [en, ko] = await Promise.all([load('en'), load('ko')]);
    for (const [key, m] of en) expect(substitutions(ko.get(key)), key).toEqual(substitutions(m));
  });

  it('have no empty message, and Korean text really is Korean where the English is a sentence', async () => {
    const [en, ko] = await Promise.all([load('en'), load('ko')]);
    for (const [key, m] of ko) {
      const text = m.type === 'plural' ? Object.values(m.plurals).join(' ') : m.message;
      expect(text.trim(), key).not.toBe('');
      const english = en.get(key);
      const englishText = english?.type === 'simple' ? english.message : '';
      if (englishText.split(' ').length > 3) expect(text, key).toMatch(/[\uac00-\ud7a3]/);
    }
  });
});
