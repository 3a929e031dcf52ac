// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mountApprovalPanel, mountPartnerBadge, mountSummary, type MountedAdmin } from '@/components/admin/mount';
import type { PartnerBadgeProps } from '@/components/admin/PartnerBadge';
import type { PartnersSummaryProps } from '@/components/admin/PartnersSummary';
import type { ApprovalPanelProps, InvitationAnalysis } from '@/components/admin/ApprovalPanel';
import { ADMIN_CSS } from '@/components/admin/styles';
import { GLOBAL_ADMINISTRATOR, GLOBAL_READER, LICENSE_ADMINISTRATOR, SERVICE_SUPPORT_ADMINISTRATOR } from '@/utils/gdap/roles';
import { ADMIN_ROLE_EXPLANATION_KEYS, analyzeInvitationTexts, analyzePartnerTexts } from '@/utils/portals/admin-risk';
import { chromeMessages, useLocale, type TestLocale } from './i18n-test-helper';

const NOW = new Date('2026-03-01T12:00:00Z');
const HANGUL = /[\uac00-\ud7a3]/;

const mounted: Array<MountedAdmin<never>> = [];
afterEach(() => {
  for (const m of mounted.splice(0)) m.remove();
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

/** Lets Preact render and promises settle. */
const flush = async () => {
  for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0));
};
const press = (el: Element, key: string) => el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true }));
const keep = <P,>(m: MountedAdmin<P>) => (mounted.push(m as MountedAdmin<never>), m);

// ---------------------------------------------------------------------------
// Fixtures: the background's badge models (utils/portals/admin-risk.ts partnerBadgeModel)
// with the partner's name from the page.

const base = (over: Partial<PartnerBadgeProps>): PartnerBadgeProps => ({
  name: 'Contoso Partner',
  types: { reseller: true, dap: false, gdap: false },
  roleCount: 0,
  gdapEnd: null,
  risk: 'none',
  reasons: [],
  privilegedRoles: [],
  roles: { privileged: [], other: [] },
  now: () => NOW,
  ...over,
});

const FIXTURES = {
  dap: (): PartnerBadgeProps =>
    base({
      types: { reseller: true, dap: true, gdap: false },
      roleCount: 1,
      risk: 'high',
      reasons: ['dap-global-admin', 'no-end-date'],
      privilegedRoles: ['Global Administrator'],
      roles: { privileged: ['Global Administrator'], other: [] },
    }),
  dapGdap: (): PartnerBadgeProps =>
    base({
      types: { reseller: true, dap: true, gdap: true },
      roleCount: 2,
      gdapEnd: '2026-11-01T00:00:00.000Z',
      risk: 'high',
      reasons: ['dap-global-admin', 'no-end-date', 'dap-and-gdap'],
      privilegedRoles: ['Global Administrator'],
      roles: { privileged: ['Global Administrator'], other: ['Global Reader'] },
    }),
  gdapHigh: (): PartnerBadgeProps =>
    base({
      types: { reseller: false, dap: false, gdap: true },
      roleCount: 5,
      gdapEnd: '2026-03-13T00:00:00.000Z',
      risk: 'high',
      reasons: ['global-admin', 'privileged-role', 'write-roles', 'ends-soon'],
      privilegedRoles: ['Privileged Role Administrator', 'Global Administrator'],
      roles: { privileged: ['Privileged Role Administrator', 'Global Administrator'], other: ['User Administrator', 'Global Reader', 'Helpdesk Administrator'] },
    }),
  gdapMedium: (): PartnerBadgeProps =>
    base({
      types: { reseller: true, dap: false, gdap: true },
      roleCount: 2,
      gdapEnd: '2026-11-01T00:00:00.000Z',
      risk: 'medium',
      reasons: ['write-roles'],
      roles: { privileged: [], other: ['Teams Administrator', 'Helpdesk Administrator'] },
    }),
  gdapLow: (): PartnerBadgeProps =>
    base({
      types: { reseller: false, dap: false, gdap: true },
      roleCount: 1,
      risk: 'low',
      reasons: ['read-only'],
      roles: { privileged: [], other: ['Global Reader'] },
    }),
  reseller: (): PartnerBadgeProps => base({ risk: 'none', reasons: ['no-admin-access'] }),
} satisfies Record<string, () => PartnerBadgeProps>;
type FixtureName = keyof typeof FIXTURES;

function mountBadge(props: PartnerBadgeProps, name = props.name) {
  const anchor = document.createElement('div');
  anchor.textContent = 'Partner cell';
  document.body.append(anchor);
  const badge = keep(mountPartnerBadge(anchor, { partnerName: name }, props));
  const root = badge.host.shadowRoot!;
  const button = () => root.querySelector('button.p') as HTMLButtonElement;
  const dialog = () => root.querySelector('[role="dialog"]');
  const pill = () => [...button().querySelectorAll('.x')].map((x) => x.textContent);
  return { anchor, badge, root, button, dialog, pill };
}

async function openWithKeyboard(b: ReturnType<typeof mountBadge>) {
  b.button().focus();
  press(b.button(), 'Enter');
  await flush();
}

/** Exactly what each risk level's pill says, in each language. */
const PILLS: Record<TestLocale, Record<FixtureName, string[]>> = {
  en: {
    dap: ['High risk', 'Full Global Administrator', 'no end date'],
    dapGdap: ['High risk', 'Full Global Administrator', 'no end date', 'also GDAP'],
    gdapHigh: ['High risk', 'GDAP', '5 roles', '2 privileged', 'ends in 12 days'],
    gdapMedium: ['Medium risk', 'GDAP', '2 roles', 'ends on Nov 1, 2026'],
    gdapLow: ['Low risk', 'GDAP', '1 role'],
    reseller: ['No admin access'],
  },
  ko: {
    dap: ['위험 높음', '전역 관리자 전체 권한', '종료일 없음'],
    dapGdap: ['위험 높음', '전역 관리자 전체 권한', '종료일 없음', 'GDAP도 있음'],
    gdapHigh: ['위험 높음', 'GDAP', '역할 5개', '권한 있는 역할 2개', '12일 후 종료'],
    gdapMedium: ['위험 보통', 'GDAP', '역할 2개', '2026년 11월 1일 종료'],
    gdapLow: ['위험 낮음', 'GDAP', '역할 1개'],
    reseller: ['관리자 권한 없음'],
  },
};

describe.each(['en', 'ko'] as const)('admin-center UI in %s', (locale) => {
  let t: Awaited<ReturnType<typeof useLocale>>;
  beforeAll(async () => {
    t = await useLocale(locale);
  });

  describe('PartnerBadge', () => {
    it.each(Object.keys(FIXTURES) as FixtureName[])('%s: host attributes, visible text, one-sentence label', (name) => {
      const props = FIXTURES[name]();
      const b = mountBadge(props);
      const host = b.badge.host;
      expect(host.tagName).toBe('GDAP-LENS-BADGE');
      expect(host.parentElement).toBe(b.anchor);
      expect(b.anchor.querySelectorAll('gdap-lens-badge')).toHaveLength(1);
      expect(host.getAttribute('data-gdap-badge')).toBe('');
      expect(host.getAttribute('data-partner-name')).toBe('Contoso Partner');
      expect(host.getAttribute('data-risk')).toBe(props.risk);
      expect(host.shadowRoot).not.toBeNull();

      expect(b.pill()).toEqual(PILLS[locale][name]);
      expect(b.button().classList.contains(props.risk)).toBe(true);

      const label = b.button().getAttribute('aria-label') ?? '';
      expect(label).toMatch(/^GDAP Lens: \S[^\n]*\.$/);
      expect(label).toContain('\u2068Contoso Partner\u2069');
      for (const part of PILLS[locale][name]) expect(label).toContain(part);
      if (locale === 'ko') expect(label).toMatch(HANGUL);
      expect(b.button().getAttribute('aria-expanded')).toBe('false');
      expect(b.button().getAttribute('aria-haspopup')).toBe('dialog');
      expect(b.dialog()).toBeNull();
    });

    it('D5, D6, D7, D9, R28: DAP details say what it means, how to remove it and what removal leaves', async () => {
      const b = mountBadge(FIXTURES.dap());
      await openWithKeyboard(b);
      const text = b.dialog()!.textContent!;
      expect(b.button().getAttribute('aria-expanded')).toBe('true');
      expect(b.button().getAttribute('aria-controls')).toBe(b.dialog()!.id);
      expect(text).toContain('Contoso Partner');
      expect(text).toContain(t('acBadge.dapWhat'));
      expect(text).toContain(t('acBadge.dapHidden'));
      expect(text).toContain(t('acBadge.dapRemove'));
      expect(text).toContain(locale === 'en' ? 'Select the partner, then Remove delegated admin → Remove' : '위임된 관리자 제거 → 제거');
      expect(text).toContain(locale === 'en' ? 'reseller relationship stays' : '재판매인 관계는 유지');
      expect(text).toContain('Azure RBAC');
      expect(text).toContain(t('acBadge.dapAzure'));
      expect(text).toContain(t('acBadge.dapSafeOrder'));
      // No GDAP: no precedence sentence and no GDAP role list.
      expect(text).not.toContain(t('acBadge.dapGdap'));
      expect(b.dialog()!.querySelector('[data-section="gdap"]')).toBeNull();
    });

    it('R27: DAP + GDAP explains that GDAP takes precedence for users in GDAP security groups', async () => {
      const b = mountBadge(FIXTURES.dapGdap());
      await openWithKeyboard(b);
      const text = b.dialog()!.textContent!;
      expect(text).toContain(t('acBadge.dapGdap'));
      expect(t('acBadge.dapGdap')).toContain(locale === 'en' ? 'GDAP takes precedence' : 'GDAP가 우선 적용');
      expect(text).toContain(t('acBadge.dapRemove'));
      expect(b.dialog()!.querySelector('[data-section="gdap"]')).not.toBeNull();
    });

    it('GDAP details: privileged roles flagged by name, the other roles, one end date (R9 wording)', async () => {
      const b = mountBadge(FIXTURES.gdapHigh());
      await openWithKeyboard(b);
      const dialog = b.dialog()!;
      const privileged = [...dialog.querySelectorAll('[data-roles="privileged"] li')].map((li) => li.textContent);
      const other = [...dialog.querySelectorAll('[data-roles="other"] li')].map((li) => li.textContent);
      expect(privileged).toEqual(['⚠ Privileged Role Administrator', '⚠ Global Administrator']);
      expect(other).toEqual(['User Administrator', 'Global Reader', 'Helpdesk Administrator']);
      const text = dialog.textContent!;
      expect(text).toContain(t('acBadge.privilegedRoles', '2'));
      expect(text).toContain(t('acBadge.whyGlobalAdmin'));
      const date = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date('2026-03-13T00:00:00Z'));
      expect(text).toContain(t('acBadge.accessEnds', date, locale === 'en' ? '12 days' : '12일'));
      expect(text).toContain(t('acBadge.subscriptions'));
      expect(text).not.toContain(t('acBadge.dapWhat'));
    });

    it('lists the roles under the names the background gives (the page\'s own, Korean included), privileged ones flagged', async () => {
      const props = FIXTURES.gdapHigh();
      props.roles = { privileged: ['권한 있는 역할 관리자', 'Global admin', 'Privileged Authentication Administrator'], other: ['전역 읽기 권한자'] };
      const b = mountBadge(props);
      await openWithKeyboard(b);
      const privileged = [...b.dialog()!.querySelectorAll('[data-roles="privileged"] li')].map((li) => li.textContent);
      const other = [...b.dialog()!.querySelectorAll('[data-roles="other"] li')].map((li) => li.textContent);
      expect(privileged).toEqual(['⚠ 권한 있는 역할 관리자', '⚠ Global admin', '⚠ Privileged Authentication Administrator']);
      expect(other).toEqual(['전역 읽기 권한자']);
    });

    it('GDAP without a shown end date says so; reseller-only says it has no admin rights', async () => {
      const low = mountBadge(FIXTURES.gdapLow());
      await openWithKeyboard(low);
      expect(low.dialog()!.textContent).toContain(t('acBadge.noEndShown'));
      expect(low.dialog()!.textContent).toContain(t('acBadge.whyReadOnly'));
      const none = mountBadge(FIXTURES.reseller());
      await openWithKeyboard(none);
      expect(none.dialog()!.textContent).toContain(t('acBadge.noAdmin'));
      expect(none.dialog()!.textContent).not.toContain(t('acBadge.dapRemove'));
    });
  });

  describe('PartnersSummary', () => {
    const SUMMARIES: Record<TestLocale, Array<[PartnersSummaryProps['summary'], string, boolean]>> = {
      en: [
        [{ total: 2, withAdminAccess: 0, viaDap: 0, withGlobalAdmin: 0 }, 'No partner holds admin access · none through DAP · none holds Global Administrator', false],
        [{ total: 3, withAdminAccess: 1, viaDap: 1, withGlobalAdmin: 1 }, '1 partner holds admin access · 1 through DAP · 1 holds Global Administrator', true],
        [{ total: 5, withAdminAccess: 4, viaDap: 2, withGlobalAdmin: 3 }, '4 partners hold admin access · 2 through DAP · 3 hold Global Administrator', true],
        [{ total: 2, withAdminAccess: 2, viaDap: 0, withGlobalAdmin: 1 }, '2 partners hold admin access · none through DAP · 1 holds Global Administrator', true],
        [{ total: 2, withAdminAccess: 2, viaDap: 0, withGlobalAdmin: 0 }, '2 partners hold admin access · none through DAP · none holds Global Administrator', false],
      ],
      ko: [
        [{ total: 2, withAdminAccess: 0, viaDap: 0, withGlobalAdmin: 0 }, '관리자 권한이 있는 파트너 없음 · DAP를 통한 권한 없음 · 전역 관리자 보유 없음', false],
        [{ total: 3, withAdminAccess: 1, viaDap: 1, withGlobalAdmin: 1 }, '관리자 권한이 있는 파트너 1곳 · DAP를 통해 1곳 · 전역 관리자 보유 1곳', true],
        [{ total: 5, withAdminAccess: 4, viaDap: 2, withGlobalAdmin: 3 }, '관리자 권한이 있는 파트너 4곳 · DAP를 통해 2곳 · 전역 관리자 보유 3곳', true],
        [{ total: 2, withAdminAccess: 2, viaDap: 0, withGlobalAdmin: 1 }, '관리자 권한이 있는 파트너 2곳 · DAP를 통한 권한 없음 · 전역 관리자 보유 1곳', true],
        [{ total: 2, withAdminAccess: 2, viaDap: 0, withGlobalAdmin: 0 }, '관리자 권한이 있는 파트너 2곳 · DAP를 통한 권한 없음 · 전역 관리자 보유 없음', false],
      ],
    };

    it.each(SUMMARIES[locale])('%o: counts, plurals, tone', (summary, line, warn) => {
      const grid = document.createElement('div');
      grid.setAttribute('role', 'grid');
      const parent = document.createElement('main');
      parent.append(grid);
      document.body.append(parent);
      const m = keep(mountSummary(grid, { summary }));
      expect(m.host.tagName).toBe('GDAP-LENS-BADGE');
      expect(m.host.getAttribute('data-gdap-summary')).toBe('');
      expect(m.host.nextElementSibling).toBe(grid);
      expect(m.host.style.display).toBe('block');
      const region = m.host.shadowRoot!.querySelector('[role="region"]')!;
      expect(region.getAttribute('aria-label')).toBe(t('acBadge.summary.label'));
      expect(region.querySelector('.lead')!.textContent!.replace(/^⚠ /, '')).toBe(line);
      expect(region.classList.contains('warn')).toBe(warn);
      expect(region.textContent!.includes(t('acBadge.summary.warn'))).toBe(warn);
    });
  });

  describe('ApprovalPanel', () => {
    const analysis = (over: Partial<InvitationAnalysis> = {}): InvitationAnalysis => ({
      // Deliberately not sorted: the panel sorts by risk itself.
      roles: [
        { id: GLOBAL_READER, name: 'Global Reader', risk: 'low', explanationKey: 'adminRole.globalReader' },
        { id: LICENSE_ADMINISTRATOR, name: 'License Administrator', risk: 'medium', explanationKey: 'adminRole.licenseAdministrator' },
        { id: GLOBAL_ADMINISTRATOR, name: 'Global Administrator', risk: 'high', explanationKey: 'adminRole.globalAdministrator' },
        { id: SERVICE_SUPPORT_ADMINISTRATOR, name: 'Service Support Administrator', risk: 'low', explanationKey: 'adminRole.serviceSupportAdministrator' },
        { id: null, name: 'Mystery Role', risk: 'medium', explanationKey: 'adminRole.generic.medium' },
      ],
      durationDays: 730,
      endDate: '2028-03-01T12:00:00.000Z',
      autoExtend: 'not-allowed',
      exceeds: [
        { presetId: 'support-tickets', extraRoleIds: [GLOBAL_ADMINISTRATOR, LICENSE_ADMINISTRATOR, GLOBAL_READER] },
        { presetId: 'read-only', extraRoleIds: [GLOBAL_ADMINISTRATOR, LICENSE_ADMINISTRATOR, SERVICE_SUPPORT_ADMINISTRATOR] },
      ],
      ...over,
    });

    function mountPanel(props: ApprovalPanelProps) {
      const anchor = document.createElement('section');
      document.body.append(anchor);
      const m = keep(mountApprovalPanel(anchor, props));
      const region = m.host.shadowRoot!.querySelector('[role="region"]')!;
      return { anchor, m, region };
    }

    it('R6: roles sorted by risk with chip and explanation; duration and end date; GA → auto-extend not allowed', () => {
      const { anchor, m, region } = mountPanel({ analysis: analysis() });
      expect(m.host.parentElement).toBe(anchor);
      expect(m.host.getAttribute('data-gdap-approval')).toBe('');
      expect(region.getAttribute('aria-label')).toBe(t('acBadge.approval.label'));
      const items = [...region.querySelectorAll('.roles li')];
      expect(items.map((li) => li.querySelector('.rn')!.textContent)).toEqual([
        'Global Administrator',
        'License Administrator',
        'Mystery Role',
        'Global Reader',
        'Service Support Administrator',
      ]);
      expect(items.map((li) => li.getAttribute('data-risk'))).toEqual(['high', 'medium', 'medium', 'low', 'low']);
      expect(items[0]!.querySelector('.chip')!.textContent).toBe(t('acBadge.risk.high'));
      expect(items[0]!.querySelector('.chip')!.classList.contains('high')).toBe(true);
      expect(items[3]!.querySelector('.chip')!.textContent).toBe(t('acBadge.risk.low'));
      expect(items[0]!.querySelector('.re')!.textContent).toBe(t('adminRole.globalAdministrator'));
      expect(items[2]!.querySelector('.re')!.textContent).toBe(t('adminRole.generic.medium'));
      expect(items[4]!.querySelector('.re')!.textContent).toBe(t('adminRole.serviceSupportAdministrator'));

      const until = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric' }).format(new Date('2028-03-01T12:00:00Z'));
      expect(region.querySelector('[data-field="duration"]')!.textContent).toBe(locale === 'en' ? `730 days: until ${until}` : `730일: ${until}까지`);
      expect(region.querySelector('[data-field="auto-extend"]')!.textContent).toBe(t('acBadge.approval.autoNotAllowed'));
      expect(t('acBadge.approval.autoNotAllowed')).toContain(locale === 'en' ? 'can never auto-extend' : '자동 연장될 수 없습니다');
      expect(region.textContent).toContain(t('acBadge.subscriptions'));
    });

    it('R4: auto-extend on renews every 180 days; off ends on the end date; unknown says nothing', () => {
      const on = mountPanel({ analysis: analysis({ autoExtend: 'on', exceeds: [] }) });
      expect(on.region.querySelector('[data-field="auto-extend"]')!.textContent).toBe(t('acBadge.approval.autoOn'));
      expect(t('acBadge.approval.autoOn')).toContain('180');
      const off = mountPanel({ analysis: analysis({ autoExtend: 'off', exceeds: [] }) });
      expect(off.region.querySelector('[data-field="auto-extend"]')!.textContent).toBe(t('acBadge.approval.autoOff'));
      const unknown = mountPanel({ analysis: analysis({ autoExtend: null, exceeds: [], durationDays: null, endDate: null }) });
      expect(unknown.region.querySelector('[data-field="auto-extend"]')).toBeNull();
      expect(unknown.region.querySelector('[data-field="duration"]')!.textContent).toBe(t('acBadge.approval.unknown'));
    });

    it('R17, R23: more than a support or read-only partner needs: the warning lists the extra roles', () => {
      const { region } = mountPanel({ analysis: analysis() });
      const ex = region.querySelector('[data-field="exceeds"]')!;
      expect(ex.textContent).toContain(t('acBadge.approval.exceeds'));
      const support = ex.querySelector('[data-preset="support-tickets"]')!;
      expect(support.textContent).toContain(t('acBadge.approval.exceedsSupport'));
      expect([...support.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['Global Administrator', 'License Administrator', 'Global Reader']);
      const readOnly = ex.querySelector('[data-preset="read-only"]')!;
      expect(readOnly.textContent).toContain(t('acBadge.approval.exceedsReadOnly'));
      expect([...readOnly.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
        'Global Administrator',
        'License Administrator',
        'Service Support Administrator',
      ]);
      expect(region.classList.contains('warn')).toBe(true);

      const fine = mountPanel({
        analysis: analysis({
          roles: [{ id: GLOBAL_READER, name: 'Global Reader', risk: 'low', explanationKey: 'adminRole.globalReader' }],
          autoExtend: 'on',
          exceeds: [],
        }),
      });
      expect(fine.region.querySelector('[data-field="exceeds"]')).toBeNull();
      expect(fine.region.textContent).not.toContain(t('acBadge.approval.exceeds'));
      expect(fine.region.classList.contains('warn')).toBe(false);
    });
  });

  it('hostile partner names render as text only; data-partner-name keeps the raw string', async () => {
    const names = ['<img src=x onerror=alert(1)>', '\u202Eevil.exe\u202C Partner', `${'A'.repeat(4_990)}<img src=y>`];
    for (const name of names) {
      const props = FIXTURES.dapGdap();
      props.name = name;
      const b = mountBadge(props, name);
      expect(b.badge.host.getAttribute('data-partner-name')).toBe(name);
      await openWithKeyboard(b);
      expect(b.root.querySelector('img')).toBeNull();
      expect(b.anchor.querySelector('img')).toBeNull();
      expect(document.querySelector('img')).toBeNull();
      const heading = b.dialog()!.querySelector('.n bdi')!;
      expect(name.startsWith(heading.textContent!.replace(/…$/, ''))).toBe(true);
      expect(heading.textContent!.length).toBeLessThanOrEqual(201);
      const label = b.button().getAttribute('aria-label')!;
      expect(label).toMatch(/^GDAP Lens: [^\n]*\.$/);
      expect(label.length).toBeLessThan(400);
      // The name is isolated (FSI … PDI): a bidi override inside cannot reorder the sentence.
      expect(label).toContain(`\u2068${name.slice(0, 120)}`);
      expect(label.indexOf('\u2069')).toBeGreaterThan(label.indexOf('\u2068'));
      expect(label.endsWith(`${t('acBadge.alsoGdap')}.`)).toBe(true);
    }
    expect(document.body.querySelectorAll('gdap-lens-badge')).toHaveLength(3);
  });
});

describe('PartnerBadge interaction', () => {
  let t: Awaited<ReturnType<typeof useLocale>>;
  beforeAll(async () => {
    t = await useLocale('en');
  });

  it('focus alone opens the details; Escape closes them and gives focus back without reopening', async () => {
    const b = mountBadge(FIXTURES.dap());
    b.button().focus();
    await flush();
    expect(b.dialog()).not.toBeNull();
    const close = b.dialog()!.querySelector('button.c') as HTMLButtonElement;
    close.focus();
    expect(b.root.activeElement).toBe(close);
    press(close, 'Escape');
    await flush();
    expect(b.dialog()).toBeNull();
    expect(b.button().getAttribute('aria-expanded')).toBe('false');
    expect(b.root.activeElement).toBe(b.button());
  });

  it('Enter pins the details open; Enter again closes them', async () => {
    const b = mountBadge(FIXTURES.gdapMedium());
    await openWithKeyboard(b);
    expect(b.dialog()).not.toBeNull();
    expect(b.dialog()!.getAttribute('aria-label')).toBe(t('acBadge.dialog'));
    press(b.button(), 'Enter');
    await flush();
    expect(b.dialog()).toBeNull();
  });

  it('hover opens the details after a pause; leaving closes them', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const b = mountBadge(FIXTURES.gdapHigh());
      const wrapper = b.button().parentElement!;
      wrapper.dispatchEvent(new MouseEvent('mouseenter'));
      expect(b.dialog()).toBeNull();
      await vi.runAllTimersAsync();
      expect(b.dialog()).not.toBeNull();
      wrapper.dispatchEvent(new MouseEvent('mouseleave'));
      await vi.runAllTimersAsync();
      expect(b.dialog()).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('focus leaving the badge and a press elsewhere close the details', async () => {
    const b = mountBadge(FIXTURES.dap());
    const outside = document.createElement('button');
    document.body.append(outside);
    await openWithKeyboard(b);
    outside.focus();
    await flush();
    expect(b.dialog()).toBeNull();
    await openWithKeyboard(b);
    document.body.dispatchEvent(new Event('pointerdown', { bubbles: true }));
    await flush();
    expect(b.dialog()).toBeNull();
  });

  it('keeps clicks and keys inside the badge away from the partner row', () => {
    const b = mountBadge(FIXTURES.dap());
    const onRow = vi.fn();
    b.anchor.addEventListener('click', onRow);
    b.anchor.addEventListener('keydown', onRow);
    b.button().click();
    press(b.button(), 'Enter');
    expect(onRow).not.toHaveBeenCalled();
  });
});

describe('mounting', () => {
  beforeAll(async () => {
    await useLocale('en');
  });

  it('update() re-renders and refreshes data-risk; remove() detaches and later calls do nothing', async () => {
    const b = mountBadge(FIXTURES.reseller());
    expect(b.badge.host.getAttribute('data-risk')).toBe('none');
    b.badge.update(FIXTURES.dap());
    await flush();
    expect(b.badge.host.getAttribute('data-risk')).toBe('high');
    expect(b.pill()).toEqual(PILLS.en.dap);
    b.badge.remove();
    expect(b.badge.host.isConnected).toBe(false);
    expect(b.anchor.textContent).toBe('Partner cell');
    expect(() => b.badge.update(FIXTURES.gdapLow())).not.toThrow();
    expect(() => b.badge.remove()).not.toThrow();
  });

  it('uses one host with an open shadow root and the admin CSS', () => {
    const b = mountBadge(FIXTURES.gdapLow());
    const adopted = b.root.adoptedStyleSheets.length > 0;
    const styled = [...b.root.querySelectorAll('style')].some((s) => s.textContent === ADMIN_CSS);
    expect(adopted || styled).toBe(true);
    expect(b.badge.host.style.display).toBe('inline-block');
  });

  it('the approval panel goes before or after its anchor when asked', () => {
    const parent = document.createElement('div');
    const anchor = document.createElement('div');
    parent.append(anchor);
    document.body.append(parent);
    const props: ApprovalPanelProps = { analysis: { roles: [], durationDays: 30, endDate: null, autoExtend: 'off', exceeds: [] } };
    const before = keep(mountApprovalPanel(anchor, props, 'before'));
    const after = keep(mountApprovalPanel(anchor, props, 'after'));
    expect(before.host.nextElementSibling).toBe(anchor);
    expect(after.host.previousElementSibling).toBe(anchor);
    expect(before.host.shadowRoot!.textContent).toContain('30 days');
  });

  it('never throws into the page: broken anchors, detached lists and bad props leave nothing behind', async () => {
    const broken = {
      append: () => {
        throw new Error('no');
      },
    } as unknown as Element;
    let badge: MountedAdmin<PartnerBadgeProps> | undefined;
    expect(() => (badge = mountPartnerBadge(broken, { partnerName: 'x' }, FIXTURES.dap()))).not.toThrow();
    expect(badge!.host.isConnected).toBe(false);

    let summary: MountedAdmin<PartnersSummaryProps> | undefined;
    expect(() => (summary = mountSummary(document.createElement('div'), { summary: { total: 1, withAdminAccess: 1, viaDap: 1, withGlobalAdmin: 1 } }))).not.toThrow();
    expect(summary!.host.isConnected).toBe(false);

    const b = mountBadge(FIXTURES.dap());
    expect(() => b.badge.update({ ...FIXTURES.dap(), risk: 'bogus' as never })).not.toThrow();
    expect(b.badge.host.getAttribute('data-risk')).toBe('none');
    expect(() => b.badge.update(null as never)).not.toThrow();
    await flush();
    expect(b.badge.host.isConnected).toBe(false);

    const anchor = document.createElement('div');
    document.body.append(anchor);
    let panel: MountedAdmin<ApprovalPanelProps> | undefined;
    expect(() => (panel = mountApprovalPanel(anchor, { analysis: null as never }))).not.toThrow();
    await flush();
    expect(panel!.host.isConnected).toBe(false);
    expect(anchor.childNodes).toHaveLength(0);
  });
});

describe('the model feeds the UI as it is', () => {
  beforeAll(async () => {
    await useLocale('en');
  });

  it('D7: rows as the content script reads them, through the background\'s analyzePartnerTexts, are the badges and the summary', () => {
    const analysis = analyzePartnerTexts(
      [
        { types: 'Reseller, Delegated admin (DAP)', roles: ['Global Administrator'], end: null },
        { types: 'Granular delegated admin (GDAP)', roles: ['License Administrator', 'Helpdesk Administrator', 'Directory Readers'], end: null },
        { types: 'Granular delegated admin (GDAP)', roles: ['권한 있는 역할 관리자', '전역 읽기 권한자', 'Global admin'], end: null },
      ],
      NOW,
    );
    const [dap, gdap, korean] = analysis.partners.map((model) => ({ ...model, name: 'Contoso Partner', now: () => NOW }));
    const b = mountBadge(dap!);
    expect(b.badge.host.getAttribute('data-risk')).toBe('high');
    expect(b.pill()).toEqual(PILLS.en.dap);

    const g = mountBadge(gdap!);
    expect(g.pill()).toEqual(['Medium risk', 'GDAP', '3 roles']);

    const k = mountBadge(korean!);
    expect(k.pill()).toEqual(['High risk', 'GDAP', '3 roles', '2 privileged']);

    const grid = document.createElement('div');
    document.body.append(grid);
    const s = keep(mountSummary(grid, { summary: analysis.summary }));
    expect(s.host.shadowRoot!.querySelector('.lead')!.textContent).toBe('⚠ 3 partners hold admin access · 1 through DAP · 2 hold Global Administrator');
  });

  it('R6: the background\'s analysis of an invitation renders: Global Administrator requested → cannot auto-extend, extra roles listed', () => {
    const analysis = analyzeInvitationTexts(
      { roles: [{ name: 'Service Support Administrator', id: null }, { name: '', id: GLOBAL_ADMINISTRATOR }], duration: '730 days', autoExtend: 'On' },
      NOW,
    )!;
    const anchor = document.createElement('div');
    document.body.append(anchor);
    const m = keep(mountApprovalPanel(anchor, { analysis }));
    const root = m.host.shadowRoot!;
    expect([...root.querySelectorAll('.roles .rn')].map((e) => e.textContent)).toEqual(['Global Administrator', 'Service Support Administrator']);
    expect(root.querySelector('[data-field="auto-extend"]')!.textContent).toContain('can never auto-extend');
    // 2028 is a leap year: 730 days after 1 March 2026 is 29 February 2028.
    expect(root.querySelector('[data-field="duration"]')!.textContent).toBe('730 days: until Feb 29, 2028');
    expect(root.querySelector('[data-field="exceeds"] [data-preset="support-tickets"] li')!.textContent).toBe('Global Administrator');
  });
});

describe('admin-center texts and styles', () => {
  it('every role explanation key the model can return has a sentence in English and Korean', async () => {
    const [en, ko] = await Promise.all([chromeMessages('en'), chromeMessages('ko')]);
    expect(ADMIN_ROLE_EXPLANATION_KEYS.length).toBe(25);
    for (const key of ADMIN_ROLE_EXPLANATION_KEYS) {
      const id = key.replaceAll('.', '_');
      expect(en[id]?.message, key).toMatch(/^[A-Z].*\.$/);
      expect(ko[id]?.message, key).toMatch(HANGUL);
      expect(ko[id]?.message, key).toMatch(/\.$/);
    }
  });

  /** WCAG relative luminance of a #rrggbb colour. */
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a: string, b: string) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
    return (hi + 0.05) / (lo + 0.05);
  };

  it('light and dark risk tones keep at least 4.5:1 contrast; focus rings and a positioned popover exist', () => {
    const [light, dark] = ADMIN_CSS.split('@media (prefers-color-scheme:dark)') as [string, string];
    expect(dark).toBeDefined();
    const vars = (css: string) => Object.fromEntries([...css.matchAll(/--([a-z]+):(#[0-9a-f]{6})/gi)].map((m) => [m[1]!, m[2]!]));
    for (const scheme of [vars(light), vars(dark)]) {
      for (const [fg, bg] of [['high', 'highb'], ['med', 'medb'], ['low', 'lowb'], ['none', 'noneb'], ['fg', 'bg'], ['high', 'bg'], ['fg', 'highb']]) {
        expect(contrast(scheme[fg!]!, scheme[bg!]!), `${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
      }
    }
    expect(ADMIN_CSS).toMatch(/button:focus-visible[^{]*\{outline:2px solid/);
    expect(ADMIN_CSS).toMatch(/\.d\{position:absolute/);
  });
});
