// @vitest-environment happy-dom
/**
 * Hostile names in the badge details (components/badge) and in the CSV export: shown as
 * text, nothing created from them, no handler runs (the payloads set a global flag), long
 * text wrapped by CSS. The popup and admin-center components have their own hostile-name
 * tests in test/unit (popup-ui, admin-ui); the browser-level sweep is in test/e2e.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mountBadge, type MountedBadge } from '@/components/badge/mount';
import { BADGE_CSS } from '@/components/badge/styles';
import { badgeDetails, relationshipBadgeModel } from '@/utils/portals/badge-model';
import { csvField, relationshipCsvRow, relationshipsCsv } from '@/utils/gdap/csv';
import { relationshipState } from '@/utils/gdap/state';
import { NOW, TENANT, rel, view } from '../unit/badge-fixtures';
import { useLocale } from '../unit/i18n-test-helper';
import { tried } from './tally';

const FLAG = '__gdapLensPwned';
const HOSTILE: Array<[string, string]> = [
  ['img onerror', `<img src=x onerror="globalThis.${FLAG}=1">Fabrikam`],
  ['script element', `<script>globalThis.${FLAG}=1</script>Contoso`],
  ['svg onload', `<svg onload="globalThis.${FLAG}=1"></svg>`],
  ['closing style and tags', `</style></div><b onclick="globalThis.${FLAG}=1">x</b>`],
  ['javascript: link', `<a href="javascript:globalThis.${FLAG}=1">click</a>`],
  ['right-to-left override', '\u202Egpj.exe\u202C Contoso \u2067RTL\u2069'],
  ['5,000 characters', 'W'.repeat(5000)],
  ['emoji and ZWJ sequences', '👩‍👩‍👧‍👦 🏳️‍🌈 Tailspin 🇰🇷'],
  ['null bytes and controls', 'Nul\u0000byte\u0001\u0007\u001b[31m'],
  ['template and entities', '{{constructor.constructor("return 1")()}} &lt;b&gt; ${x} &amp;'],
];

const mounted: MountedBadge[] = [];
afterEach(() => {
  for (const m of mounted.splice(0)) m.remove();
  document.body.replaceChildren();
  delete (globalThis as Record<string, unknown>)[FLAG];
});

const flush = async () => {
  for (let i = 0; i < 4; i++) await new Promise((r) => setTimeout(r, 0));
};

describe('badge details', () => {
  beforeAll(async () => {
    await useLocale('en');
  });

  it.each(HOSTILE)('%s as relationship and customer name: text only, no element, no handler', async (_name, payload) => {
    const r = rel({ displayName: payload, customer: { tenantId: TENANT, displayName: payload } });
    const v = view(r);
    const anchor = document.createElement('div');
    document.body.append(anchor);
    const badge = mountBadge(anchor, { relationshipId: r.id }, { model: relationshipBadgeModel(v, NOW), loadDetails: async () => badgeDetails([v], NOW) });
    mounted.push(badge);
    const root = badge.host.shadowRoot!;
    await flush();
    const button = root.querySelector('button.p') as HTMLButtonElement | null;
    expect(button).not.toBeNull();
    button!.click();
    await flush();
    tried('hostile-input', 'badge details: hostile name');
    const text = root.textContent ?? '';
    const visible = payload.replace(/\u0000/g, '');
    expect(text.includes(payload) || text.includes(visible)).toBe(true);
    for (const tag of ['img', 'script', 'svg', 'b', 'iframe', 'object', 'style:not(:first-child)']) expect(root.querySelectorAll(tag).length, tag).toBe(0);
    // The details' own links go to Microsoft only.
    for (const a of root.querySelectorAll('a')) expect(a.getAttribute('href') ?? '').toMatch(/^https:\/\/[a-z.]*microsoft\.com\//);
    expect([...root.querySelectorAll('*')].some((el) => [...el.attributes].some((a) => /^on/i.test(a.name)))).toBe(false);
    expect((globalThis as Record<string, unknown>)[FLAG]).toBeUndefined();
    expect(document.querySelectorAll('img, script, svg').length).toBe(0);
  });

  it('long names wrap inside a bounded panel (the CSS rules that do it are there)', () => {
    tried('hostile-input', 'badge CSS bounds long text');
    expect(BADGE_CSS).toMatch(/\.d\{[^}]*max-width:min\(380px,90vw\)/);
    expect(BADGE_CSS).toMatch(/\.d\{[^}]*max-height:60vh;overflow:auto/);
    expect(BADGE_CSS).toMatch(/\.n\{[^}]*overflow-wrap:anywhere/);
  });
});

describe('CSV export', () => {
  const FORMULAS = ['=1+1', '+1+1', '-1+1', '@SUM(A1)', '\t=1', '\r=1', '=HYPERLINK("http://evil.example","x")', `=cmd|' /C calc'!A0`];

  it.each(FORMULAS)('a name starting a formula (%j) is neutralised in every column it can reach', (payload) => {
    const r = rel({ displayName: payload, customer: { tenantId: TENANT, displayName: payload } });
    const row = relationshipCsvRow(r, relationshipState(r, undefined, NOW), payload);
    const csv = relationshipsCsv([row]);
    tried('hostile-input', 'CSV formula injection');
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines.length).toBe(3);
    // Every field that holds the payload starts with a quote mark (inside the CSV quoting, if any).
    const field = csvField(payload);
    expect(field.replace(/^"/, '').startsWith("'")).toBe(true);
    expect(lines[1]).toContain(field);
  });

  it.each(HOSTILE)('%s stays one field on one line', (_name, payload) => {
    const r = rel({ displayName: `${payload}\r\n"x",y`, customer: { tenantId: TENANT, displayName: payload } });
    const csv = relationshipsCsv([relationshipCsvRow(r, relationshipState(r, undefined, NOW), payload)]);
    tried('hostile-input', 'CSV hostile name');
    // Header + one record (the embedded line break is inside a quoted field) + trailing empty.
    const records = csv.match(/("([^"]|"")*"|[^,\r\n]*)(,("([^"]|"")*"|[^,\r\n]*))*\r\n/g) ?? [];
    expect(records.length).toBe(2);
  });
});
