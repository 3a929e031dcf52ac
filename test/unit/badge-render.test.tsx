// @vitest-environment happy-dom
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mountBadge, prepareBadges, type MountedBadge } from '@/components/badge/mount';
import { fakeBrowser } from 'wxt/testing';
import { forgetTexts } from '@/components/text';
import type { Pill } from '@/utils/portals/pill';
import { h, render } from 'preact';
import { Badge, fillPill, pillSkeleton, pillText, pillWords, type BadgeProps } from '@/components/badge/Badge';
import { BADGE_CSS } from '@/components/badge/styles';
import { badgeDetails, customerBadgeModel, relationshipBadgeModel, type BadgeDetails, type BadgeModel } from '@/utils/portals/badge-model';
import type { RelationshipView } from '@/utils/messaging/protocol';
import { NOW, SCENARIOS, TENANT, rel, summary, view } from './badge-fixtures';
import { useLocale, type TestLocale } from './i18n-test-helper';

const mounted: MountedBadge[] = [];
afterEach(() => {
  for (const m of mounted.splice(0)) m.remove();
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

/** What the background answers for these relationships at the test's time. */
const details = (views: RelationshipView[]): BadgeDetails => badgeDetails(views, NOW);

/** Lets Preact render and promises settle. */
const flush = async () => {
  for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0));
};

function mount(model: BadgeModel, views: RelationshipView[] = [], more: Partial<BadgeProps> = {}, key: Parameters<typeof mountBadge>[1] = { relationshipId: model.relationshipId ?? 'x' }) {
  const anchor = document.createElement('div');
  anchor.textContent = 'Contoso row';
  document.body.append(anchor);
  const badge = mountBadge(anchor, key, { model, loadDetails: async () => details(views), ...more });
  mounted.push(badge);
  const root = badge.host.shadowRoot!;
  const button = () => root.querySelector('button.p') as HTMLButtonElement;
  const dialog = () => root.querySelector('[role="dialog"]');
  const text = () => root.textContent ?? '';
  return { anchor, badge, root, button, dialog, text };
}

const press = (el: Element, key: string) => el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true }));

async function openWithKeyboard(b: ReturnType<typeof mount>) {
  b.button().focus();
  press(b.button(), 'Enter');
  await flush();
}

const relModel = (r: (typeof SCENARIOS)[keyof typeof SCENARIOS]) => relationshipBadgeModel(view(r), NOW);

/** What each state must show, in each language: the visible parts and the data-days-left. */
const CASES: Record<TestLocale, Array<[string, () => BadgeModel, string[], string | null]>> = {
  en: [
    ['active', () => relModel(SCENARIOS.active), ['Active', 'access ends in 245 days', 'no auto-extend', '9 roles'], '245'],
    ['active, auto-extending (R4)', () => relModel(SCENARIOS.activeAuto), ['Active', 'auto-extends in 245 days', '9 roles'], '245'],
    ['Global Administrator (R6)', () => relModel(SCENARIOS.globalAdmin), ['Active', 'access ends in 245 days', 'cannot auto-extend: Global Administrator', '2 roles'], '245'],
    ['expiring', () => relModel(SCENARIOS.expiring), ['Expiring', 'access ends in 5 days', 'no auto-extend'], '5'],
    ['pending (R2)', () => relModel(SCENARIOS.pending), ['Pending', 'request lapses in 5 days', '9 roles'], '5'],
    ['expired', () => relModel(SCENARIOS.expired), ['Expired'], null],
    ['terminated', () => relModel(SCENARIOS.terminated), ['Terminated'], null],
    ['unknown', () => relModel(SCENARIOS.unknown), ['Unknown status'], null],
    ['no security group (R16)', () => relationshipBadgeModel(view(SCENARIOS.active, []), NOW), ['Active', 'access ends in 245 days', '⚠ no security group: nobody can use it', 'no auto-extend', '9 roles'], '245'],
    ['customer without GDAP', () => customerBadgeModel(summary([]), NOW), ['No GDAP'], null],
    ['customer with three relationships (R25)', () => customerBadgeModel(summary([SCENARIOS.active, SCENARIOS.expiring20, SCENARIOS.expired]), NOW), ['Expiring', 'access ends in 20 days', 'no auto-extend', '9 roles', '3 relationships'], '20'],
    ['one day', () => relationshipBadgeModel(view(rel({ endDateTime: '2026-03-02T00:00:00.000Z' })), NOW), ['Expiring', 'access ends in 1 day'], '1'],
  ],
  ko: [
    ['active', () => relModel(SCENARIOS.active), ['활성', '245일 후 액세스 종료', '자동 연장 안 함', '역할 9개'], '245'],
    ['active, auto-extending (R4)', () => relModel(SCENARIOS.activeAuto), ['활성', '245일 후 자동 연장', '역할 9개'], '245'],
    ['Global Administrator (R6)', () => relModel(SCENARIOS.globalAdmin), ['활성', '245일 후 액세스 종료', '자동 연장 불가: 전역 관리자', '역할 2개'], '245'],
    ['expiring', () => relModel(SCENARIOS.expiring), ['만료 예정', '5일 후 액세스 종료', '자동 연장 안 함'], '5'],
    ['pending (R2)', () => relModel(SCENARIOS.pending), ['승인 대기', '5일 후 요청 만료', '역할 9개'], '5'],
    ['expired', () => relModel(SCENARIOS.expired), ['만료됨'], null],
    ['terminated', () => relModel(SCENARIOS.terminated), ['종료됨'], null],
    ['unknown', () => relModel(SCENARIOS.unknown), ['알 수 없는 상태'], null],
    ['no security group (R16)', () => relationshipBadgeModel(view(SCENARIOS.active, []), NOW), ['활성', '245일 후 액세스 종료', '⚠ 보안 그룹 없음: 아무도 사용할 수 없음', '자동 연장 안 함', '역할 9개'], '245'],
    ['customer without GDAP', () => customerBadgeModel(summary([]), NOW), ['GDAP 없음'], null],
    ['customer with three relationships (R25)', () => customerBadgeModel(summary([SCENARIOS.active, SCENARIOS.expiring20, SCENARIOS.expired]), NOW), ['만료 예정', '20일 후 액세스 종료', '자동 연장 안 함', '역할 9개', '관계 3개'], '20'],
    ['one day', () => relationshipBadgeModel(view(rel({ endDateTime: '2026-03-02T00:00:00.000Z' })), NOW), ['만료 예정', '1일 후 액세스 종료'], '1'],
  ],
};

describe.each(['en', 'ko'] as const)('the badge in %s', (locale) => {
  let t: Awaited<ReturnType<typeof useLocale>>;
  beforeAll(async () => {
    t = await useLocale(locale);
  });

  it.each(CASES[locale])('%s: host attributes, visible text with the days, one-sentence label', (_name, make, parts, days) => {
    const model = make();
    const b = mount(model, [], {}, model.scope === 'customer' ? { tenantId: TENANT } : { relationshipId: model.relationshipId! });
    const host = b.badge.host;
    expect(host.tagName).toBe('GDAP-LENS-BADGE');
    expect(host.isConnected).toBe(true);
    expect(host.parentElement).toBe(b.anchor);
    expect(host.getAttribute('data-gdap-badge')).toBe('');
    expect(host.getAttribute('data-state')).toBe(model.state);
    expect(host.getAttribute('data-days-left')).toBe(days);
    if (model.scope === 'customer') {
      expect(host.getAttribute('data-tenant-id')).toBe(TENANT);
      expect(host.hasAttribute('data-relationship-id')).toBe(false);
    } else {
      expect(host.getAttribute('data-relationship-id')).toBe(model.relationshipId);
      expect(host.hasAttribute('data-tenant-id')).toBe(false);
    }
    expect(host.style.display).toBe('inline-block');

    const pill = (b.button().textContent ?? '').split(' · ');
    expect(pill.slice(0, parts.length)).toEqual(parts);
    if (days !== null) expect(b.button().textContent).toContain(days);

    const label = b.button().getAttribute('aria-label') ?? '';
    expect(label).toMatch(/^GDAP Lens: \S.*\.$/);
    expect(label).not.toMatch(/\n/);
    expect(label).toContain(model.state === 'none' ? t('pcBadge.noneLong') : t(`pcBadge.state.${model.state}`));
    if (days !== null) expect(label).toContain(parts[1]);
    if (locale === 'ko') expect(label).toMatch(/[\uac00-\ud7a3]/);
    expect(b.button().getAttribute('aria-haspopup')).toBe('dialog');
    expect(b.button().getAttribute('aria-expanded')).toBe('false');
  });

  it('pills that differ only in their days share words made once per plural form, and read as if composed directly', () => {
    // In the order a grid meets them: several counts of each form, each state that shows days.
    const counts = [245, 0, 1, 2, 17, 1, 0, 730, 44, 245];
    for (const [state, autoExtend] of [['active', 'on'], ['expiring', 'off'], ['pending', null], ['active', 'not-allowed']] as const) {
      for (const daysLeft of counts) {
        const m = { state, daysLeft, autoExtend, roleCount: 4, noSecurityGroup: daysLeft === 17, tone: 'ok', relationshipCount: 2 } as const;
        const shown = pillText(m);
        const direct = pillWords(m);
        expect(shown).toEqual(direct);
        expect(shown.text).toContain(String(daysLeft));
        expect(shown.label).toContain(String(daysLeft));
        expect(shown.text).not.toContain('\u0002');
      }
    }
    // One and two days read differently (plural forms), whichever came first.
    const one = pillText({ state: 'active', daysLeft: 1, autoExtend: 'off', roleCount: 1, noSecurityGroup: false, tone: 'warn', relationshipCount: 1 });
    const two = pillText({ state: 'active', daysLeft: 2, autoExtend: 'off', roleCount: 1, noSecurityGroup: false, tone: 'warn', relationshipCount: 1 });
    expect(one.text).toBe(`${t('pcBadge.state.active')} · ${t('pcBadge.endsIn', t('pcBadge.days', '1').split(' | ')[0]!)}${t('pcBadge.autoOff') ? ` · ${t('pcBadge.autoOff')}` : ''} · ${t('pcBadge.roles', '1').split(' | ')[0]}`);
    expect(two.text).toContain(t('pcBadge.days', '2').split(' | ').at(-1));
  });

  it.each(CASES[locale])('%s: the plain-DOM pill is exactly what the Badge renders closed', (_name, make) => {
    // Badges stay plain DOM until used, then Preact hydrates them in place: the two must match.
    const model = make();
    const fromPreact = document.createElement('span');
    render(h(Badge, { model, loadDetails: async () => null }), fromPreact);
    const plain = document.createElement('span');
    const pill = pillSkeleton(document);
    fillPill(pill, pillText(model));
    plain.append(pill);
    expect(plain.innerHTML).toBe(fromPreact.innerHTML);
    expect(plain.innerHTML).toContain('aria-label=');
    render(null, fromPreact);
  });

  it('the first use wakes the badge in place: the focused button stays the same element', async () => {
    const b = mount(relModel(SCENARIOS.active), [view(SCENARIOS.active)]);
    const before = b.button();
    before.focus();
    press(before, 'Enter');
    await flush();
    expect(b.dialog()).not.toBeNull();
    expect(b.button()).toBe(before);
    expect(b.button().getAttribute('aria-expanded')).toBe('true');
  });

  it('a click alone (as assistive technology may send it) opens an untouched badge', async () => {
    const b = mount(relModel(SCENARIOS.active), [view(SCENARIOS.active)]);
    b.button().click();
    await flush();
    expect(b.dialog()).not.toBeNull();
  });

  it('R9: an ended relationship says access ended and subscriptions are not affected', async () => {
    const b = mount(relModel(SCENARIOS.expired), [view(SCENARIOS.expired)]);
    expect(b.button().getAttribute('aria-label')).toContain(t('pcBadge.endedLong'));
    await openWithKeyboard(b);
    expect(b.dialog()!.textContent).toContain(t('pcBadge.subscriptions'));
    expect(b.dialog()!.textContent).toContain(t('pcBadge.accessEnded', new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric' }).format(new Date('2026-01-01T12:00:00Z'))));
  });

  it('R24: focus + Enter opens the details: name, one start and end date, roles by risk, Partner Center link', async () => {
    const b = mount(relModel(SCENARIOS.active), [view(SCENARIOS.active)]);
    expect(b.dialog()).toBeNull();
    await openWithKeyboard(b);
    const dialog = b.dialog()!;
    expect(dialog).not.toBeNull();
    expect(b.button().getAttribute('aria-expanded')).toBe('true');
    expect(b.button().getAttribute('aria-controls')).toBe(dialog.id);
    const fmt = (iso: string) => new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric' }).format(new Date(iso));
    expect(dialog.textContent).toContain('Contoso GDAP');
    expect(dialog.textContent).toContain(t('pcBadge.started', fmt('2025-06-01T12:00:00Z')));
    expect(dialog.textContent).toContain(t('pcBadge.accessEnds', fmt('2026-11-01T12:00:00Z')));
    expect(dialog.textContent).toContain(t('pcBadge.autoOffLong'));
    const roles = [...dialog.querySelectorAll('li')].map((li) => li.textContent);
    expect(roles).toHaveLength(9);
    expect(roles.indexOf('Privileged Role Administrator')).toBeLessThan(roles.indexOf('Global Reader'));
    expect(roles.at(-1)).toBe('Service Support Administrator');
    const link = dialog.querySelector('a')!;
    expect(link.textContent).toBe(t('pcBadge.openPartnerCenter'));
    expect(link.getAttribute('href')).toBe(`https://partner.microsoft.com/dashboard/v2/customers/${TENANT}/adminrelationships/rel-active`);
    expect(link.getAttribute('rel')).toContain('noopener');
    // Only one expiry line for the whole relationship (R24), none per role.
    expect(dialog.textContent!.split(fmt('2026-11-01T12:00:00Z'))).toHaveLength(2);
  });

  it('R4: an auto-extending relationship shows its next auto-extension date', async () => {
    const b = mount(relModel(SCENARIOS.activeAuto), [view(SCENARIOS.activeAuto)]);
    await openWithKeyboard(b);
    const fmt = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric' }).format(new Date('2026-11-01T12:00:00Z'));
    expect(b.dialog()!.textContent).toContain(t('pcBadge.nextAutoExtend', fmt));
    expect(b.dialog()!.textContent).not.toContain(t('pcBadge.accessEnds', fmt));
  });

  it('Space toggles too; Escape closes and gives focus back to the badge', async () => {
    const b = mount(relModel(SCENARIOS.active), [view(SCENARIOS.active)]);
    b.button().focus();
    press(b.button(), ' ');
    await flush();
    expect(b.dialog()).not.toBeNull();
    const link = b.dialog()!.querySelector('a')!;
    link.focus();
    expect(b.root.activeElement).toBe(link);
    press(link, 'Escape');
    await flush();
    expect(b.dialog()).toBeNull();
    expect(b.button().getAttribute('aria-expanded')).toBe('false');
    expect(b.root.activeElement).toBe(b.button());
  });

  it('the click a browser sends after Space (on key up) does not close the details again', async () => {
    const b = mount(relModel(SCENARIOS.active), [view(SCENARIOS.active)]);
    b.button().focus();
    press(b.button(), ' ');
    await flush();
    expect(b.dialog()).not.toBeNull();
    b.button().dispatchEvent(new KeyboardEvent('keyup', { key: ' ', bubbles: true, composed: true }));
    b.button().click(); // what a browser does after the Space key comes up
    await flush();
    expect(b.dialog()).not.toBeNull();
    b.button().click(); // a later mouse click toggles
    await flush();
    expect(b.dialog()).toBeNull();
  });

  it('hover opens the details; leaving closes them', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const b = mount(relModel(SCENARIOS.active), [view(SCENARIOS.active)]);
      const wrapper = b.button().parentElement!;
      // As a browser sends them: mouseover (bubbling, composed) first, then mouseenter.
      b.button().dispatchEvent(new MouseEvent('mouseover', { bubbles: true, composed: true }));
      wrapper.dispatchEvent(new MouseEvent('mouseenter'));
      await vi.runAllTimersAsync();
      expect(b.dialog()).not.toBeNull();
      expect(b.button().getAttribute('aria-expanded')).toBe('true');
      wrapper.dispatchEvent(new MouseEvent('mouseleave'));
      await vi.runAllTimersAsync();
      expect(b.dialog()).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('details are reachable by Tab: they follow the badge in the shadow root, with focusable controls', async () => {
    const b = mount(relModel(SCENARIOS.active), [view(SCENARIOS.active)], { onEnableAutoExtend: async () => ({ ok: true }) });
    await openWithKeyboard(b);
    const dialog = b.dialog()!;
    expect(b.button().compareDocumentPosition(dialog) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    const focusable = dialog.querySelectorAll('a[href], button:not([disabled])');
    expect(focusable.length).toBeGreaterThanOrEqual(3); // close, link, enable auto-extend
    for (const el of focusable) expect(el.getAttribute('tabindex')).not.toBe('-1');
  });

  it('Tab into the details keeps them open; focus leaving the badge closes them', async () => {
    const b = mount(relModel(SCENARIOS.active), [view(SCENARIOS.active)]);
    const outside = document.createElement('button');
    document.body.append(outside);
    await openWithKeyboard(b);
    b.dialog()!.querySelector('a')!.focus();
    await flush();
    expect(b.dialog()).not.toBeNull();
    outside.focus();
    await flush();
    expect(b.dialog()).toBeNull();
  });

  it('shows a loading line until loadDetails resolves', async () => {
    let resolve!: (v: BadgeDetails) => void;
    const b = mount(relModel(SCENARIOS.active), [], { loadDetails: () => new Promise((r) => (resolve = r)) });
    await openWithKeyboard(b);
    expect(b.dialog()!.textContent).toContain(t('pcBadge.loading'));
    resolve(details([view(SCENARIOS.active)]));
    await flush();
    expect(b.dialog()!.textContent).not.toContain(t('pcBadge.loading'));
    expect(b.dialog()!.textContent).toContain('Contoso GDAP');
  });

  it('says so when the details cannot be loaded', async () => {
    const b = mount(relModel(SCENARIOS.active), [], { loadDetails: () => Promise.reject(new Error('gone')) });
    await openWithKeyboard(b);
    expect(b.dialog()!.textContent).toContain(t('pcBadge.loadFailed'));
  });

  it('R5: "Enable auto-extend" where allowed; calls the action and says the result', async () => {
    const onEnableAutoExtend = vi.fn(async () => ({ ok: true }));
    const loads: RelationshipView[][] = [[view(SCENARIOS.active)], [view(rel({ autoExtendDuration: 'P180D' }))]];
    const loadDetails = vi.fn(async () => details(loads.shift() ?? []));
    const b = mount(relModel(SCENARIOS.active), [], { onEnableAutoExtend, loadDetails });
    await openWithKeyboard(b);
    const action = b.dialog()!.querySelector('[data-action="enable-auto-extend"]') as HTMLButtonElement;
    expect(action.textContent).toBe(t('pcBadge.enableAutoExtend'));
    action.click();
    await flush();
    expect(onEnableAutoExtend).toHaveBeenCalledWith('rel-active');
    expect(b.dialog()!.textContent).toContain(t('pcBadge.enabled'));
    expect(loadDetails).toHaveBeenCalledTimes(2);
    expect(b.dialog()!.querySelector('[data-action="enable-auto-extend"]')).toBeNull();
  });

  it('R6: says why enabling failed, with the background\'s message key', async () => {
    const b = mount(relModel(SCENARIOS.active), [view(SCENARIOS.active)], {
      onEnableAutoExtend: async () => ({ ok: false, messageKey: 'action.error.globalAdmin' }),
    });
    await openWithKeyboard(b);
    (b.dialog()!.querySelector('[data-action="enable-auto-extend"]') as HTMLButtonElement).click();
    await flush();
    expect(b.dialog()!.textContent).toContain(t('action.error.globalAdmin'));
  });

  it('R6: Global Administrator: "cannot auto-extend" text and no enable button', async () => {
    const b = mount(relModel(SCENARIOS.globalAdmin), [view(SCENARIOS.globalAdmin)], { onEnableAutoExtend: async () => ({ ok: true }) });
    expect(b.button().textContent).toContain(t('pcBadge.autoNotAllowed'));
    await openWithKeyboard(b);
    expect(b.dialog()!.textContent).toContain(t('pcBadge.autoNotAllowedLong'));
    expect(b.dialog()!.querySelector('[data-action="enable-auto-extend"]')).toBeNull();
    expect(b.dialog()!.querySelector('[data-action="copy-invitation"]')).toBeNull();
  });

  it('R2: a pending request offers "Copy invitation link" and copies the link', async () => {
    const writeText = vi.fn(async (_: string) => undefined);
    vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue({ writeText } as unknown as Clipboard);
    const b = mount(relModel(SCENARIOS.pending), [view(SCENARIOS.pending)], { onEnableAutoExtend: async () => ({ ok: true }) });
    await openWithKeyboard(b);
    const copy = b.dialog()!.querySelector('[data-action="copy-invitation"]') as HTMLButtonElement;
    expect(copy.textContent).toBe(t('pcBadge.copyInvitation'));
    expect(b.dialog()!.querySelector('[data-action="enable-auto-extend"]')).toBeNull();
    copy.click();
    await flush();
    expect(writeText).toHaveBeenCalledWith('https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/rel-pending');
    expect(b.dialog()!.textContent).toContain(t('pcBadge.copied'));
  });

  it('R2: when the clipboard refuses, shows the link to copy by hand', async () => {
    vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue({ writeText: () => Promise.reject(new Error('denied')) } as unknown as Clipboard);
    const b = mount(relModel(SCENARIOS.pending), [view(SCENARIOS.pending)]);
    await openWithKeyboard(b);
    (b.dialog()!.querySelector('[data-action="copy-invitation"]') as HTMLButtonElement).click();
    await flush();
    expect(b.dialog()!.textContent).toContain(t('pcBadge.copyFailed'));
    expect((b.dialog()!.querySelector('input') as HTMLInputElement).value).toContain('/granularAdminRelationships/rel-pending');
  });

  it('renders hostile relationship and customer names as text', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const r = rel({ displayName: hostile, customer: { tenantId: TENANT, displayName: '<script>alert(2)</script>' } });
    const b = mount(relationshipBadgeModel(view(r), NOW), [view(r)]);
    await openWithKeyboard(b);
    expect(b.root.querySelector('img')).toBeNull();
    expect(b.root.querySelector('script')).toBeNull();
    expect(b.dialog()!.textContent).toContain(hostile);
  });

  it('R25: the details of a customer list each of its relationships', async () => {
    const rels = [SCENARIOS.active, SCENARIOS.expiring20, rel({ id: 'rel-third', displayName: 'Contoso Helpdesk' })];
    const b = mount(customerBadgeModel(summary(rels), NOW), rels.map((r) => view(r)), {}, { tenantId: TENANT });
    expect(b.button().textContent).toContain(t('pcBadge.relationships', '3').split(' | ').at(-1)!);
    await openWithKeyboard(b);
    const sections = b.dialog()!.querySelectorAll('section');
    expect(sections).toHaveLength(3);
    expect(sections[0]!.textContent).toContain(t('pcBadge.state.expiring'));
    expect(b.dialog()!.textContent).toContain('Contoso Helpdesk');
    expect(b.dialog()!.querySelectorAll('a')).toHaveLength(3);
  });

  it('R25: a customer without GDAP says so in the details', async () => {
    const b = mount(customerBadgeModel(summary([]), NOW), [], {}, { tenantId: TENANT });
    await openWithKeyboard(b);
    expect(b.dialog()!.textContent).toContain(t('pcBadge.empty'));
  });
});

describe('mountBadge', () => {
  beforeAll(async () => {
    await useLocale('en');
  });

  describe('prepareBadges', () => {
    const pill = (state: Pill['state'], daysLeft: number | null, roleCount: number): Pill => ({
      state,
      daysLeft,
      autoExtend: daysLeft === null ? null : 'off',
      roleCount,
      noSecurityGroup: false,
      tone: state === 'expiring' ? 'warn' : 'ok',
      relationshipCount: 1,
    });
    /** How many times the browser is asked for a message while `run` runs. */
    const asks = async (run: () => unknown) => {
      const spy = vi.spyOn(fakeBrowser.i18n, 'getMessage');
      await run();
      const n = spy.mock.calls.length;
      spy.mockRestore();
      return n;
    };
    // Three kinds of pill; the grid then shows other day counts of the same kinds.
    const index = [pill('active', 200, 3), pill('expiring', 12, 1), pill('none', null, 0)];
    const rows = [pill('active', 345, 3), pill('active', 99, 3), pill('expiring', 29, 1), pill('none', null, 0)];

    it('makes the words of each kind in the index before the rows arrive: the rows then ask the browser for none', async () => {
      forgetTexts();
      expect(await asks(() => rows.forEach((p) => pillText(p)))).toBeGreaterThan(0);
      forgetTexts();
      expect(await asks(() => prepareBadges(index))).toBeGreaterThan(0);
      expect(await asks(() => rows.forEach((p) => pillText(p)))).toBe(0);
      // And the words are those composed directly.
      for (const p of rows) expect(pillText(p)).toEqual(pillWords(p));
    });

    /** Idle spells as a browser gives them (happy-dom has none): each with `per` pills' worth of time. */
    const idleSpells = (per: number) => {
      const spells: number[] = [];
      vi.stubGlobal('requestIdleCallback', (run: (d: { timeRemaining(): number }) => void, opts: { timeout: number }) => {
        spells.push(opts.timeout);
        let left = per;
        setTimeout(() => run({ timeRemaining: () => left-- }));
        return spells.length;
      });
      return spells;
    };
    beforeEach(() => {
      idleSpells(1000);
    });
    afterEach(() => {
      vi.unstubAllGlobals();
    });

    it('works while the page is idle, giving it its turn between spells, and stops when told to', async () => {
      const spells = idleSpells(3);
      let taken = 0;
      function* many(n: number) {
        for (let i = 0; i < n; i++) {
          taken++;
          yield pill('active', 100 + i, i);
        }
      }
      await prepareBadges(many(10));
      // Nothing at once; three pills a spell (time left 3, 2, 1), none waiting more than a second.
      expect(taken).toBe(10);
      expect(spells).toEqual([1000, 1000, 1000, 1000]);
      taken = 0;
      let asked = 0;
      await prepareBadges(many(200), () => ++asked > 2);
      // Told to stop at the third spell: two spells' worth taken.
      expect(asked).toBe(3);
      expect(taken).toBe(6);
    });

    it('never throws: a pill that cannot be read ends the work quietly', async () => {
      await expect(prepareBadges([null as unknown as Pill, pill('active', 3, 1)])).resolves.toBeUndefined();
    });
  });

  it('update() re-renders and refreshes the attributes; remove() detaches', async () => {
    const b = mount(relModel(SCENARIOS.active));
    b.badge.update(relModel(SCENARIOS.expired));
    await flush();
    expect(b.badge.host.getAttribute('data-state')).toBe('expired');
    expect(b.badge.host.hasAttribute('data-days-left')).toBe(false);
    expect(b.button().textContent).toBe('Expired');
    b.badge.update(relModel(SCENARIOS.expiring));
    expect(b.badge.host.getAttribute('data-days-left')).toBe('5');
    b.badge.remove();
    expect(b.badge.host.isConnected).toBe(false);
    expect(b.anchor.textContent).toBe('Contoso row');
    expect(() => b.badge.update(relModel(SCENARIOS.active))).not.toThrow();
  });

  it('adds one host with an open shadow root and the badge CSS', () => {
    const b = mount(relModel(SCENARIOS.active));
    expect(b.anchor.querySelectorAll('gdap-lens-badge')).toHaveLength(1);
    expect(b.badge.host.shadowRoot).not.toBeNull();
    const adopted = b.root.adoptedStyleSheets.length > 0;
    const styled = [...b.root.querySelectorAll('style')].some((s) => s.textContent === BADGE_CSS);
    expect(adopted || styled).toBe(true);
  });

  it('a browser that copies a host without its shadow root (no clonable shadow roots) gets the same badge, built in place', async () => {
    const normal = mount(relModel(SCENARIOS.expiring));
    const cloneNode = Node.prototype.cloneNode;
    // Copies our hosts alone, as a browser that does not know `clonable` would.
    vi.spyOn(Node.prototype, 'cloneNode').mockImplementation(function (this: Node, deep?: boolean) {
      if ((this as Element).localName !== 'gdap-lens-badge') return cloneNode.call(this, deep);
      const copy = document.createElement('gdap-lens-badge');
      for (const a of (this as Element).attributes) copy.setAttribute(a.name, a.value);
      return copy;
    });
    const built = mount(relModel(SCENARIOS.expiring));
    expect(built.badge.host.shadowRoot).not.toBeNull();
    expect(built.root.innerHTML).toBe(normal.root.innerHTML);
    expect(built.badge.host.getAttribute('data-days-left')).toBe('5');
    built.button().click();
    await flush();
    expect(built.dialog()).not.toBeNull();
  });

  it('keeps clicks and keys inside the badge away from the row', async () => {
    const b = mount(relModel(SCENARIOS.active));
    const onRow = vi.fn();
    b.anchor.addEventListener('click', onRow);
    b.anchor.addEventListener('keydown', onRow);
    b.button().click();
    press(b.button(), 'Escape');
    expect(onRow).not.toHaveBeenCalled();
  });

  it('a press elsewhere on the page closes pinned details', async () => {
    const b = mount(relModel(SCENARIOS.active), [view(SCENARIOS.active)]);
    await openWithKeyboard(b);
    document.body.dispatchEvent(new Event('pointerdown', { bubbles: true }));
    await flush();
    expect(b.dialog()).toBeNull();
  });

  it('deferPlace: rendered at once, in the page only on place(); never after remove or once the anchor left', async () => {
    const make = () => {
      const anchor = document.createElement('div');
      document.body.append(anchor);
      const badge = mountBadge(anchor, { tenantId: TENANT }, { model: relModel(SCENARIOS.active), loadDetails: async () => null }, { deferPlace: true });
      mounted.push(badge);
      return { anchor, badge };
    };
    const a = make();
    expect(a.badge.host.isConnected).toBe(false);
    expect(a.badge.host.shadowRoot?.querySelector('button.p')?.textContent).not.toBe('');
    a.badge.place();
    a.badge.place();
    expect(a.badge.host.parentElement).toBe(a.anchor);
    expect(a.anchor.querySelectorAll('gdap-lens-badge')).toHaveLength(1);

    const b = make();
    b.badge.remove();
    b.badge.place();
    expect(b.badge.host.isConnected).toBe(false);

    const c = make();
    c.anchor.remove();
    c.badge.place();
    expect(c.badge.host.isConnected).toBe(false);
  });

  it('never throws into the page: a broken anchor or model leaves nothing behind', async () => {
    const broken = { append: () => { throw new Error('no'); } } as unknown as Element;
    let badge: MountedBadge | undefined;
    expect(() => (badge = mountBadge(broken, { tenantId: TENANT }, { model: relModel(SCENARIOS.active), loadDetails: async () => null }))).not.toThrow();
    expect(badge!.host.isConnected).toBe(false);
    const b = mount(relModel(SCENARIOS.active));
    expect(() => b.badge.update({ ...relModel(SCENARIOS.active), state: 'bogus' as never, tone: 'ok' }, {})).not.toThrow();
    await flush();
    expect(() => b.badge.update(null as never)).not.toThrow();
    expect(b.badge.host.isConnected).toBe(false);
  });
});
