// @vitest-environment happy-dom
// @vitest-environment-options {"url":"https://admin.microsoft.com/AdminPortal/Home#/partners"}
import { afterEach, describe, expect, it } from 'vitest';
import {
  BADGE_HOST_TAG,
  findPartnerRows,
  findSummaryAnchor,
  matchRoleName,
  parseDisplayedDate,
  parseDurationText,
  parseOnOff,
  parseRelationshipTypes,
  readInvitation,
  type PartnerRow,
} from '@/utils/portals/admin-center';
import {
  EXCHANGE_ADMINISTRATOR,
  GLOBAL_ADMINISTRATOR,
  GLOBAL_READER,
  DIRECTORY_READERS,
  HELPDESK_ADMINISTRATOR,
  PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  SERVICE_SUPPORT_ADMINISTRATOR,
  TEAMS_ADMINISTRATOR,
  USER_ADMINISTRATOR,
} from '@/utils/gdap/roles';
import { el, mountInvitation, mountPartnersPage, mountShell, mountUnknownLayout, partnerRow, type Layout, type PartnerSpec } from './fixtures/admin-center/build';

const DAP = 'Delegated admin (DAP)';
const GDAP = 'Granular delegated admin (GDAP)';
const HOSTILE = '<img src=x onerror=alert(1)> Partners';

const g = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** The fake admin center's partner list (test/fake-cloud/data.ts), with fixed dates. */
const PARTNERS: PartnerSpec[] = [
  { id: g(1), name: 'Northwind IT Services', types: ['Reseller', DAP], roles: ['Global Administrator'] },
  { id: g(2), name: 'Woodgrove Managed Cloud', types: ['Reseller', DAP, GDAP], roles: ['Global Administrator', 'Exchange Administrator', 'Global Reader'], end: '2026-09-28T10:00:00Z' },
  { id: g(3), name: 'Fabrikam Security Partners', types: [GDAP], roles: ['Global Administrator'], end: '2026-02-05T10:00:00Z' },
  {
    id: g(4),
    name: 'Tailspin Cloud Operations',
    types: [GDAP, 'Microsoft Partner Agreement'],
    roles: ['Privileged Role Administrator', 'Privileged Authentication Administrator', 'User Administrator', 'Helpdesk Administrator'],
    end: '2027-03-06T10:00:00Z',
  },
  { id: g(5), name: 'Litware Audit & Compliance', types: [GDAP], roles: ['Global Reader', 'Directory Readers'], end: '2026-02-25T10:00:00Z' },
  { id: g(6), name: 'Proseware Licensing', types: ['Reseller'], roles: [] },
  { id: g(7), name: '주식회사 클라우드브릿지', types: ['Reseller', GDAP], roles: ['Service Support Administrator', 'Helpdesk Administrator'], end: '2027-09-23T10:00:00Z' },
  { id: g(8), name: HOSTILE, types: [GDAP], roles: ['Exchange Administrator', 'Teams Administrator'], end: '2026-04-30T10:00:00Z' },
];

/** What findPartnerRows must read from PARTNERS, in the same order. */
const EXPECTED = [
  { name: 'Northwind IT Services', types: { reseller: true, dap: true, gdap: false }, roleIds: [GLOBAL_ADMINISTRATOR], unknownRoleNames: [], gdapEnd: null },
  {
    name: 'Woodgrove Managed Cloud',
    types: { reseller: true, dap: true, gdap: true },
    roleIds: [GLOBAL_ADMINISTRATOR, EXCHANGE_ADMINISTRATOR, GLOBAL_READER],
    unknownRoleNames: [],
    gdapEnd: '2026-09-28T10:00:00.000Z',
  },
  { name: 'Fabrikam Security Partners', types: { reseller: false, dap: false, gdap: true }, roleIds: [GLOBAL_ADMINISTRATOR], unknownRoleNames: [], gdapEnd: '2026-02-05T10:00:00.000Z' },
  {
    name: 'Tailspin Cloud Operations',
    types: { reseller: false, dap: false, gdap: true },
    roleIds: [PRIVILEGED_ROLE_ADMINISTRATOR, PRIVILEGED_AUTHENTICATION_ADMINISTRATOR, USER_ADMINISTRATOR, HELPDESK_ADMINISTRATOR],
    unknownRoleNames: [],
    gdapEnd: '2027-03-06T10:00:00.000Z',
  },
  { name: 'Litware Audit & Compliance', types: { reseller: false, dap: false, gdap: true }, roleIds: [GLOBAL_READER, DIRECTORY_READERS], unknownRoleNames: [], gdapEnd: '2026-02-25T10:00:00.000Z' },
  { name: 'Proseware Licensing', types: { reseller: true, dap: false, gdap: false }, roleIds: [], unknownRoleNames: [], gdapEnd: null },
  {
    name: '주식회사 클라우드브릿지',
    types: { reseller: true, dap: false, gdap: true },
    roleIds: [SERVICE_SUPPORT_ADMINISTRATOR, HELPDESK_ADMINISTRATOR],
    unknownRoleNames: [],
    gdapEnd: '2027-09-23T10:00:00.000Z',
  },
  { name: HOSTILE, types: { reseller: false, dap: false, gdap: true }, roleIds: [EXCHANGE_ADMINISTRATOR, TEAMS_ADMINISTRATOR], unknownRoleNames: [], gdapEnd: '2026-04-30T10:00:00.000Z' },
];

function facts(r: PartnerRow) {
  return { name: r.name, types: r.types, roleIds: r.roleIds, unknownRoleNames: r.unknownRoleNames, gdapEnd: r.gdapEnd };
}

/** Variant layout writes dates as text only ("September 28, 2026"): midnight UTC. */
function dateOnly(iso: string | null): string | null {
  return iso === null ? null : `${iso.slice(0, 10)}T00:00:00.000Z`;
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('findPartnerRows: the Partner relationships grid (D4)', () => {
  it('reads every partner row through the nested shadow roots of the fake layout, header skipped, anchor = name cell', () => {
    const { rows } = mountPartnersPage(document, PARTNERS, 'fake');
    expect(document.querySelectorAll('[role="row"]').length).toBe(0); // only reachable through shadow roots
    const found = findPartnerRows(document);
    expect(found.map(facts)).toEqual(EXPECTED);
    found.forEach((r, i) => {
      expect(r.row).toBe(rows[i]!.row);
      expect(r.anchor).toBe(rows[i]!.cells.displayName);
    });
    expect(found[0]!.roleNames).toEqual(['Global Administrator']);
    expect(found[5]!.roleNames).toEqual([]); // '—' is no role
  });

  it('reads the same facts from a layout with other tags, classes and one more shadow level (same roles and automation keys)', () => {
    const { rows } = mountPartnersPage(document, PARTNERS, 'variant');
    const found = findPartnerRows(document);
    expect(found.map(facts)).toEqual(EXPECTED.map((e) => ({ ...e, gdapEnd: dateOnly(e.gdapEnd) })));
    found.forEach((r, i) => expect(r.anchor).toBe(rows[i]!.cells.displayName));
  });

  it.each<Layout>(['fake', 'variant'])('Korean relationship-type words (%s layout)', (layout) => {
    mountPartnersPage(
      document,
      [
        { id: g(1), name: 'A', types: ['재판매인', '위임된 관리자 권한(DAP)'], roles: [] },
        { id: g(2), name: 'B', types: ['세분화된 위임된 관리자 권한'], roles: ['전역 읽기 권한자', '디렉터리 읽기 권한자'] },
        { id: g(3), name: 'C', types: ['재판매인'], roles: [] },
        { id: g(4), name: 'D', types: ['위임된 관리자 권한', '세분화된 위임된 관리자 권한(GDAP)'], roles: ['알 수 없는 역할'] },
      ],
      layout,
    );
    const found = findPartnerRows(document);
    expect(found.map((r) => [r.name, r.types])).toEqual([
      ['A', { reseller: true, dap: true, gdap: false }],
      ['B', { reseller: false, dap: false, gdap: true }],
      ['C', { reseller: true, dap: false, gdap: false }],
      ['D', { reseller: false, dap: true, gdap: true }],
    ]);
    // Korean role names from Microsoft's Korean GDAP FAQ resolve; others stay unknown.
    expect(found[1]!.roleIds).toEqual([GLOBAL_READER, DIRECTORY_READERS]);
    expect(found[3]!.roleIds).toEqual([GLOBAL_ADMINISTRATOR]);
    expect(found[3]!.unknownRoleNames).toEqual(['알 수 없는 역할']);
  });

  it('D7: a DAP partner holds Global Administrator even when the roles cell omits it', () => {
    mountPartnersPage(document, [
      { id: g(1), name: 'Quiet DAP', types: ['Reseller', DAP], roles: [] },
      { id: g(2), name: 'DAP with helpdesk', types: [DAP], roles: ['Helpdesk Administrator'] },
      { id: g(3), name: 'GDAP only', types: [GDAP], roles: ['Helpdesk Administrator'] },
    ]);
    const [quiet, helpdesk, gdapOnly] = findPartnerRows(document);
    expect(quiet!.roleIds).toEqual([GLOBAL_ADMINISTRATOR]);
    expect(quiet!.roleNames).toEqual(['Global Administrator']);
    expect(helpdesk!.roleIds).toEqual([GLOBAL_ADMINISTRATOR, HELPDESK_ADMINISTRATOR]);
    expect(gdapOnly!.roleIds).toEqual([HELPDESK_ADMINISTRATOR]);
  });

  it('keeps hostile partner names and roles as raw text, never markup', () => {
    const nasty = '"><script>window.__pwned=1</script><b onmouseover=x>';
    mountPartnersPage(document, [
      { id: g(1), name: HOSTILE, types: [GDAP], roles: ['<svg onload=alert(1)>', 'Global Reader'] },
      { id: g(2), name: `  ${nasty}\n `, types: [GDAP], roles: ['Global Reader'] },
    ]);
    const [a, b] = findPartnerRows(document);
    expect(a!.name).toBe(HOSTILE);
    expect(a!.unknownRoleNames).toEqual(['<svg onload=alert(1)>']);
    expect(a!.roleNames).toEqual(['<svg onload=alert(1)>', 'Global Reader']);
    expect(b!.name).toBe(nasty);
    expect(document.querySelectorAll('img, script, svg').length).toBe(0);
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it('does not read GDAP Lens badges back into the name', () => {
    const { rows } = mountPartnersPage(document, PARTNERS.slice(0, 2));
    const badge = el(document, BADGE_HOST_TAG, {}, 'HIGH RISK: Global Administrator');
    badge.attachShadow({ mode: 'open' }).append(el(document, 'div', { role: 'row' }, el(document, 'span', { 'data-automation-key': 'roles' }, 'x')));
    rows[0]!.cells.displayName.append(badge);
    const found = findPartnerRows(document);
    expect(found.map((r) => r.name)).toEqual(['Northwind IT Services', 'Woodgrove Managed Cloud']);
  });

  it('reads GDAP end dates from <time datetime> or from the text; no date or an unreadable one is null', () => {
    mountPartnersPage(document, [
      { id: g(1), name: 'A', types: [GDAP], roles: ['Global Reader'], end: '2026-05-05T08:30:00Z' },
      { id: g(2), name: 'B', types: [GDAP], roles: ['Global Reader'], endText: 'May 6, 2026' },
      { id: g(3), name: 'C', types: [GDAP], roles: ['Global Reader'], endText: '2026. 5. 7.' },
      { id: g(4), name: 'D', types: [GDAP], roles: ['Global Reader'], endText: '5/8/2026' },
      { id: g(5), name: 'E', types: [GDAP], roles: ['Global Reader'], endText: 'soon' },
      { id: g(6), name: 'F', types: [GDAP], roles: ['Global Reader'], endText: 'February 30, 2026' },
    ]);
    expect(findPartnerRows(document).map((r) => r.gdapEnd)).toEqual([
      '2026-05-05T08:30:00.000Z',
      '2026-05-06T00:00:00.000Z',
      '2026-05-07T00:00:00.000Z',
      null,
      null,
      null,
    ]);
  });

  it('returns [] for an unknown layout, for a page still loading, and for grids of other pages', () => {
    mountUnknownLayout(document, PARTNERS);
    expect(findPartnerRows(document)).toEqual([]);
    expect(findSummaryAnchor(document)).toBeNull();
    document.body.replaceChildren();

    // Loading: header row only.
    mountPartnersPage(document, []);
    expect(findPartnerRows(document)).toEqual([]);
    expect(findSummaryAnchor(document)).toBeNull();
    document.body.replaceChildren();

    // A users grid: rows keyed displayName but no relationship or roles column.
    const { page } = mountShell(document, 'm365-users');
    page.append(
      el(
        document,
        'div',
        { role: 'grid' },
        el(document, 'div', { role: 'row' }, el(document, 'div', { role: 'gridcell', 'data-automation-key': 'displayName' }, 'Adele Vance'), el(document, 'div', { role: 'gridcell', 'data-automation-key': 'mail' }, 'adele@contoso.com')),
      ),
    );
    expect(findPartnerRows(document)).toEqual([]);
  });

  it('never throws, even when the page throws from under it', () => {
    mountPartnersPage(document, PARTNERS.slice(0, 1));
    const hostile = new Proxy(document, {
      get(target, prop) {
        if (prop === 'createTreeWalker') throw new Error('boom');
        const v = Reflect.get(target, prop, target) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    expect(findPartnerRows(hostile)).toEqual([]);
    expect(findSummaryAnchor(hostile)).toBeNull();
    expect(readInvitation(hostile, 'x')).toBeNull();
  });

  it('a row without a displayName key takes its row header as name and anchor', () => {
    const { page } = mountShell(document, 'm365-partner-relationships');
    const name = el(document, 'div', { role: 'rowheader' }, 'Contoso Partner');
    const grid = el(
      document,
      'div',
      { role: 'grid' },
      el(document, 'div', { role: 'row' }, name, el(document, 'div', { role: 'gridcell', 'data-automation-key': 'relationshipTypes' }, GDAP), el(document, 'div', { role: 'gridcell', 'data-automation-key': 'roles' }, 'Global reader; directory READERS')),
    );
    page.append(grid);
    const [row] = findPartnerRows(document);
    expect(row).toMatchObject({ name: 'Contoso Partner', roleIds: [GLOBAL_READER, DIRECTORY_READERS] });
    expect(row!.anchor).toBe(name);
    expect(findSummaryAnchor(document)).toBe(grid);
  });

  it('keeps chips rendered side by side apart, and words split by formatting together', () => {
    const { page } = mountShell(document, 'm365-partner-relationships');
    const chip = (t: string) => el(document, 'span', { class: 'chip' }, t);
    page.append(
      el(
        document,
        'div',
        { role: 'grid' },
        el(
          document,
          'div',
          { role: 'row' },
          el(document, 'div', { role: 'gridcell', 'data-automation-key': 'displayName' }, 'Con', el(document, 'mark', {}, 'toso'), ' Partner'),
          el(document, 'div', { role: 'gridcell', 'data-automation-key': 'relationshipTypes' }, chip('Reseller'), chip('Granular delegated admin (GDAP)')),
          el(document, 'div', { role: 'gridcell', 'data-automation-key': 'roles' }, chip('Exchange Administrator'), chip('Global Reader'), el(document, 'b', {}, 'Teams'), ' Administrator'),
        ),
      ),
    );
    const [row] = findPartnerRows(document);
    expect(row).toMatchObject({
      name: 'Contoso Partner',
      types: { reseller: true, dap: false, gdap: true },
      roleIds: [EXCHANGE_ADMINISTRATOR, GLOBAL_READER, TEAMS_ADMINISTRATOR],
      unknownRoleNames: [],
    });
  });
});

describe('findSummaryAnchor', () => {
  it.each<Layout>(['fake', 'variant'])('is the grid holding the partner rows (%s layout), where a panel can be inserted before', (layout) => {
    const { grid } = mountPartnersPage(document, PARTNERS, layout);
    const anchor = findSummaryAnchor(document);
    expect(anchor).toBe(grid);
    anchor!.before(el(document, BADGE_HOST_TAG, { id: 'summary' }));
    expect(grid.previousElementSibling?.id).toBe('summary');
    // Inserting our panel changes nothing that is read.
    expect(findPartnerRows(document)).toHaveLength(PARTNERS.length);
  });
});

describe('relationship types and role names', () => {
  it.each<[string, { reseller: boolean; dap: boolean; gdap: boolean }]>([
    ['Reseller, Delegated admin (DAP)', { reseller: true, dap: true, gdap: false }],
    ['Granular delegated admin (GDAP)', { reseller: false, dap: false, gdap: true }],
    ['Reseller, Granular delegated admin (GDAP), Microsoft Partner Agreement', { reseller: true, dap: false, gdap: true }],
    ['Delegated admin (DAP), Granular delegated admin (GDAP)', { reseller: false, dap: true, gdap: true }],
    ['GDAP', { reseller: false, dap: false, gdap: true }],
    ['DAP', { reseller: false, dap: true, gdap: false }],
    ['Delegated administration', { reseller: false, dap: true, gdap: false }],
    ['Granular administration', { reseller: false, dap: false, gdap: true }],
    ['Indirect reseller', { reseller: true, dap: false, gdap: false }],
    ['Microsoft Partner Agreement', { reseller: false, dap: false, gdap: false }],
    ['재판매인, 위임된 관리자(DAP), 세분화된 위임된 관리자(GDAP)', { reseller: true, dap: true, gdap: true }],
    ['세분화된 위임된 관리자', { reseller: false, dap: false, gdap: true }],
    ['', { reseller: false, dap: false, gdap: false }],
  ])('%j', (text, expected) => {
    expect(parseRelationshipTypes(text)).toEqual(expected);
    // The GDAP patterns are global regexes: a second call must give the same answer.
    expect(parseRelationshipTypes(text)).toEqual(expected);
  });

  it('matches role names case-insensitively, the short "… admin" form, and Korean names; unknown → null', () => {
    expect(matchRoleName('global administrator')?.id).toBe(GLOBAL_ADMINISTRATOR);
    expect(matchRoleName('  Exchange   Administrator ')?.id).toBe(EXCHANGE_ADMINISTRATOR);
    expect(matchRoleName('Global admin')?.id).toBe(GLOBAL_ADMINISTRATOR);
    expect(matchRoleName('Service support admin')?.id).toBe(SERVICE_SUPPORT_ADMINISTRATOR);
    expect(matchRoleName('전역 관리자')?.id).toBe(GLOBAL_ADMINISTRATOR);
    expect(matchRoleName('권한 있는 인증관리자')?.id).toBe(PRIVILEGED_AUTHENTICATION_ADMINISTRATOR);
    expect(matchRoleName('외부 id 공급자 관리자')?.name).toBe('External Identity Provider Administrator');
    expect(matchRoleName('Global')).toBeNull();
    expect(matchRoleName('Administrator')).toBeNull();
    expect(matchRoleName('')).toBeNull();
  });

  it.each<[string, string | null]>([
    ['2026-05-05', '2026-05-05T00:00:00.000Z'],
    ['2026-05-05T10:00:00Z', '2026-05-05T10:00:00.000Z'],
    ['2026-05-05T10:00:00+09:00', '2026-05-05T01:00:00.000Z'],
    ['May 5, 2026', '2026-05-05T00:00:00.000Z'],
    ['Sep 5 2026', '2026-09-05T00:00:00.000Z'],
    ['5 May 2026', '2026-05-05T00:00:00.000Z'],
    ['2026. 5. 5.', '2026-05-05T00:00:00.000Z'],
    ['2026년 12월 31일', '2026-12-31T00:00:00.000Z'],
    ['2026-02-30', null],
    ['Foo 5, 2026', null],
    ['05/06/2026', null],
    ['—', null],
  ])('date %j → %j', (text, expected) => {
    expect(parseDisplayedDate(text)).toBe(expected);
  });
});

describe('readInvitation: the GDAP approval page', () => {
  const ID = `${g(10)}-${g(11)}`;
  const ROLES = [
    { id: GLOBAL_READER, name: 'Global Reader' },
    { id: SERVICE_SUPPORT_ADMINISTRATOR, name: 'Service Support Administrator' },
    { name: 'Exchange Administrator' },
    { name: 'Mystery Role' },
  ];

  it('reads partner, name, roles, duration and auto-extend; the panel goes before the action buttons', () => {
    const { actions } = mountInvitation(document, {
      id: ID,
      partner: 'Contoso Partner <b>',
      relationshipName: 'Contoso_Support_2026',
      duration: '730 days',
      autoExtend: 'On (180 days)',
      roles: ROLES,
    });
    const inv = readInvitation(document, ID);
    expect(inv).toMatchObject({
      placement: 'before',
      partnerName: 'Contoso Partner <b>',
      relationshipName: 'Contoso_Support_2026',
      roleNames: ['Global Reader', 'Service Support Administrator', 'Exchange Administrator', 'Mystery Role'],
      roleIds: [GLOBAL_READER, SERVICE_SUPPORT_ADMINISTRATOR, EXCHANGE_ADMINISTRATOR],
      unknownRoleNames: ['Mystery Role'],
      durationDays: 730,
      autoExtend: true,
      state: 'pending',
    });
    expect(inv!.anchor).toBe(actions);
  });

  it('without action buttons (already approved) the panel goes after the role list', () => {
    const { roles } = mountInvitation(document, { id: ID, state: 'approved', duration: 'P90D', autoExtend: 'Off', roles: ROLES });
    const inv = readInvitation(document, ID);
    expect(inv).toMatchObject({ placement: 'after', state: 'approved', durationDays: 90, autoExtend: false });
    expect(inv!.anchor).toBe(roles);
  });

  it('is null for another relationship id (stale page), while loading, and for an unknown layout', () => {
    mountInvitation(document, { id: ID, duration: '730 days', roles: ROLES });
    expect(readInvitation(document, `${g(12)}-${g(13)}`)).toBeNull();
    expect(readInvitation(document, ID.toUpperCase())).not.toBeNull(); // ids compared case-insensitively
    expect(readInvitation(document, '')).toBeNull();
    document.body.replaceChildren();

    const { page } = mountShell(document, 'm365-gdap-invitation', { 'data-relationship-id': ID });
    page.append(el(document, 'div', { role: 'progressbar', 'aria-label': 'Loading' }, 'Loading…'));
    expect(readInvitation(document, ID)).toBeNull();
    document.body.replaceChildren();

    mountUnknownLayout(document, []);
    expect(readInvitation(document, ID)).toBeNull();
  });

  it('finds the role list by its accessible label when its class changes, and in Korean', () => {
    mountInvitation(document, {
      id: ID,
      duration: '730일',
      autoExtend: '사용 안 함',
      roles: [{ name: '전역 관리자' }, { name: '서비스 지원 관리자' }],
      rolesClass: 'zq-list',
      rolesLabel: 'Microsoft Entra 역할',
    });
    expect(readInvitation(document, ID)).toMatchObject({
      roleIds: [GLOBAL_ADMINISTRATOR, SERVICE_SUPPORT_ADMINISTRATOR],
      unknownRoleNames: [],
      durationDays: 730,
      autoExtend: false,
    });
  });

  it.each<[string, number | null]>([
    ['730 days', 730],
    ['1 day', 1],
    ['P730D', 730],
    ['P2Y', 730],
    ['P1Y6M', 545],
    ['2 years', 730],
    ['1 year 6 months', 545],
    ['1 year, 6 months', 545],
    ['730일', 730],
    ['2년', 730],
    ['6개월', 180],
    ['730 days (2 years)', 730],
    ['3 weeks', 21],
    ['forever', null],
    ['—', null],
    ['730', null],
  ])('duration %j → %j days', (text, days) => {
    expect(parseDurationText(text)).toBe(days);
    // Through the page too.
    document.body.replaceChildren();
    mountInvitation(document, { id: ID, duration: text, roles: ROLES });
    expect(readInvitation(document, ID)?.durationDays).toBe(days);
  });

  it.each<[string, boolean | null]>([
    ['On (180 days)', true],
    ['Off', false],
    ['Yes', true],
    ['No', false],
    ['Enabled', true],
    ['Not allowed', false],
    ['켜짐', true],
    ['사용', true],
    ['사용 안 함', false],
    ['One', null],
    ['Maybe', null],
  ])('auto-extend %j → %j', (text, expected) => {
    expect(parseOnOff(text)).toBe(expected);
  });

  it('without any relationship-id carrier, reads the invitation shown on the route', () => {
    const { page } = mountShell(document, 'm365-gdap-invitation');
    page.append(
      el(document, 'dl', {}, el(document, 'dd', { 'data-field': 'duration' }, '2 years')),
      el(document, 'ul', { class: 'roles' }, el(document, 'li', {}, 'Global Administrator')),
    );
    expect(readInvitation(document, ID)).toMatchObject({ roleIds: [GLOBAL_ADMINISTRATOR], durationDays: 730, autoExtend: null, partnerName: null, state: null });
  });

  it('ignores a partner row list and other lists: only role lists count', () => {
    const shell = mountInvitation(document, { id: ID, roles: [{ name: 'Global Reader' }] });
    shell.page.append(el(document, 'ul', { class: 'other' }, el(document, 'li', {}, 'Global Administrator')));
    expect(readInvitation(document, ID)?.roleIds).toEqual([GLOBAL_READER]);
  });
});

// Keep the builder honest: a variant row alone (outside a page) is not a partner row source.
describe('fixtures', () => {
  it('variant rows carry no class the fake uses', () => {
    const r = partnerRow(document, PARTNERS[1]!, 'variant');
    const classes = [r.row, ...r.row.querySelectorAll('*')].map((e) => e.getAttribute('class') ?? '').join(' ');
    expect(classes).not.toMatch(/ms-/);
  });
});
