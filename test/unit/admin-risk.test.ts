import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import {
  ADMIN_ROLE_EXPLANATION_KEYS,
  UNRESOLVED_EXPLAINED_ROLES,
  analyzeInvitation,
  analyzeInvitationTexts,
  analyzePartnerTexts,
  partnerBadgeModel,
  partnerRisk,
  privilegedNames,
  privilegedRoles,
  roleExplanationKey,
  splitRoles,
  summarizePartners,
  type PartnerFacts,
  type RiskReason,
} from '@/utils/portals/admin-risk';
import { ANSWERS } from '@/utils/messaging/protocol';
import {
  APPLICATION_ADMINISTRATOR,
  DIRECTORY_READERS,
  EXCHANGE_ADMINISTRATOR,
  GLOBAL_ADMINISTRATOR,
  GLOBAL_READER,
  HELPDESK_ADMINISTRATOR,
  LICENSE_ADMINISTRATOR,
  PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  REPORTS_READER,
  SECURITY_ADMINISTRATOR,
  SERVICE_SUPPORT_ADMINISTRATOR,
  TEAMS_ADMINISTRATOR,
  USER_ADMINISTRATOR,
  ROLES,
  roleRisk,
} from '@/utils/gdap/roles';

const NOW = new Date('2026-01-31T12:00:00Z');
const DAY = 86_400_000;
const inDays = (n: number) => new Date(NOW.getTime() + n * DAY).toISOString();

function row(p: Partial<PartnerFacts> & { dap?: boolean; gdap?: boolean; reseller?: boolean }): PartnerFacts {
  return {
    types: { reseller: p.reseller ?? false, dap: p.dap ?? false, gdap: p.gdap ?? false },
    roleIds: p.roleIds ?? [],
    unknownRoleNames: p.unknownRoleNames ?? [],
    gdapEnd: p.gdapEnd ?? null,
  };
}

describe('partnerRisk', () => {
  const table: Array<[string, PartnerFacts, 'high' | 'medium' | 'low' | 'none', RiskReason[]]> = [
    ['D7: DAP is Global Administrator with no end date', row({ reseller: true, dap: true, roleIds: [GLOBAL_ADMINISTRATOR] }), 'high', ['dap-global-admin', 'no-end-date']],
    ['D7: DAP counts as Global Administrator even without roles shown', row({ dap: true }), 'high', ['dap-global-admin', 'no-end-date']],
    [
      'R27: DAP and GDAP together are flagged (GDAP takes precedence only for GDAP group members)',
      row({ dap: true, gdap: true, roleIds: [GLOBAL_ADMINISTRATOR, EXCHANGE_ADMINISTRATOR, GLOBAL_READER], gdapEnd: inDays(240) }),
      'high',
      ['dap-global-admin', 'no-end-date', 'dap-and-gdap', 'privileged-role'],
    ],
    ['GDAP Global Administrator is high', row({ gdap: true, roleIds: [GLOBAL_ADMINISTRATOR], gdapEnd: inDays(5) }), 'high', ['global-admin', 'ends-soon']],
    [
      'R26 default GDAP roles are high (privileged roles)',
      row({ gdap: true, roleIds: [PRIVILEGED_ROLE_ADMINISTRATOR, PRIVILEGED_AUTHENTICATION_ADMINISTRATOR, USER_ADMINISTRATOR, HELPDESK_ADMINISTRATOR], gdapEnd: inDays(400) }),
      'high',
      ['privileged-role', 'write-roles'],
    ],
    ['medium-risk admin roles are medium', row({ gdap: true, roleIds: [HELPDESK_ADMINISTRATOR, LICENSE_ADMINISTRATOR] }), 'medium', ['write-roles']],
    ['R23: read-only roles are low', row({ gdap: true, roleIds: [GLOBAL_READER, DIRECTORY_READERS], gdapEnd: inDays(25) }), 'low', ['read-only', 'ends-soon']],
    ['R17: Service Support Administrator alone is low', row({ gdap: true, roleIds: [SERVICE_SUPPORT_ADMINISTRATOR] }), 'low', ['read-only']],
    ['reseller only: no admin access', row({ reseller: true }), 'none', ['no-admin-access']],
    ['no relationship at all: no admin access', row({}), 'none', ['no-admin-access']],
    ['GDAP without roles shown is medium, not harmless', row({ gdap: true }), 'medium', ['no-roles-shown']],
    ['unrecognized role names count as medium', row({ gdap: true, roleIds: [GLOBAL_READER], unknownRoleNames: ['Mystery'] }), 'medium', ['unrecognized-roles']],
    ['an end 31 days away is not "ends soon"', row({ gdap: true, roleIds: [GLOBAL_READER], gdapEnd: inDays(31) }), 'low', ['read-only']],
    ['an end that passed days ago is not "ends soon"', row({ gdap: true, roleIds: [GLOBAL_READER], gdapEnd: inDays(-3) }), 'low', ['read-only']],
    ['an end date without GDAP is ignored', row({ roleIds: [GLOBAL_READER], gdapEnd: inDays(3) }), 'low', ['read-only']],
  ];
  it.each(table)('%s', (_title, facts, risk, reasons) => {
    expect(partnerRisk(facts, NOW)).toEqual({ risk, reasons });
  });

  it('role ids are compared in any case and once each', () => {
    expect(partnerRisk(row({ gdap: true, roleIds: [GLOBAL_ADMINISTRATOR.toUpperCase(), GLOBAL_ADMINISTRATOR] }), NOW)).toEqual({ risk: 'high', reasons: ['global-admin'] });
  });
});

describe('privilegedRoles', () => {
  it('lists the high-risk roles, once, in input order', () => {
    expect(
      privilegedRoles([GLOBAL_READER, EXCHANGE_ADMINISTRATOR, GLOBAL_ADMINISTRATOR.toUpperCase(), HELPDESK_ADMINISTRATOR, USER_ADMINISTRATOR, EXCHANGE_ADMINISTRATOR]),
    ).toEqual([EXCHANGE_ADMINISTRATOR, GLOBAL_ADMINISTRATOR, USER_ADMINISTRATOR]);
  });

  it('includes every role the issue names', () => {
    const named = [GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR, PRIVILEGED_AUTHENTICATION_ADMINISTRATOR, SECURITY_ADMINISTRATOR, EXCHANGE_ADMINISTRATOR, USER_ADMINISTRATOR];
    expect(privilegedRoles(named)).toEqual(named);
    expect(privilegedRoles([GLOBAL_READER, DIRECTORY_READERS, SERVICE_SUPPORT_ADMINISTRATOR, REPORTS_READER, 'not-a-role'])).toEqual([]);
  });
});

describe('summarizePartners', () => {
  it('counts partners, admin access, DAP and Global Administrator (D7: DAP is Global Administrator)', () => {
    const rows = [
      row({ reseller: true, dap: true, roleIds: [GLOBAL_ADMINISTRATOR] }),
      row({ dap: true }), // GA implied
      row({ gdap: true, roleIds: [GLOBAL_ADMINISTRATOR] }),
      row({ gdap: true, roleIds: [GLOBAL_READER] }),
      row({ gdap: true }),
      row({ reseller: true }),
      row({ reseller: true }),
    ];
    expect(summarizePartners(rows)).toEqual({ total: 7, withAdminAccess: 5, viaDap: 2, withGlobalAdmin: 3 });
    expect(summarizePartners([])).toEqual({ total: 0, withAdminAccess: 0, viaDap: 0, withGlobalAdmin: 0 });
  });
});

describe('analyzeInvitation', () => {
  const base = { roleIds: [] as string[], unknownRoleNames: [] as string[], durationDays: 730 as number | null, autoExtend: false as boolean | null };

  it('sorts roles high → low, then by name, with explanation keys; unknown names are medium', () => {
    const a = analyzeInvitation(
      { ...base, roleIds: [GLOBAL_READER, SERVICE_SUPPORT_ADMINISTRATOR, USER_ADMINISTRATOR, HELPDESK_ADMINISTRATOR, EXCHANGE_ADMINISTRATOR, REPORTS_READER], unknownRoleNames: ['Mystery Role'] },
      NOW,
    );
    expect(a.roles).toEqual([
      { id: EXCHANGE_ADMINISTRATOR, name: 'Exchange Administrator', risk: 'high', explanationKey: 'adminRole.exchangeAdministrator' },
      { id: USER_ADMINISTRATOR, name: 'User Administrator', risk: 'high', explanationKey: 'adminRole.userAdministrator' },
      { id: HELPDESK_ADMINISTRATOR, name: 'Helpdesk Administrator', risk: 'medium', explanationKey: 'adminRole.helpdeskAdministrator' },
      { id: null, name: 'Mystery Role', risk: 'medium', explanationKey: 'adminRole.generic.medium' },
      { id: GLOBAL_READER, name: 'Global Reader', risk: 'low', explanationKey: 'adminRole.globalReader' },
      { id: REPORTS_READER, name: 'Reports Reader', risk: 'low', explanationKey: 'adminRole.reportsReader' },
      { id: SERVICE_SUPPORT_ADMINISTRATOR, name: 'Service Support Administrator', risk: 'low', explanationKey: 'adminRole.serviceSupportAdministrator' },
    ]);
  });

  it('computes the end date as now + duration; no duration, no end date', () => {
    expect(analyzeInvitation({ ...base, roleIds: [GLOBAL_READER], durationDays: 730 }, NOW)).toMatchObject({ durationDays: 730, endDate: '2028-01-31T12:00:00.000Z' });
    expect(analyzeInvitation({ ...base, roleIds: [GLOBAL_READER], durationDays: 1 }, NOW).endDate).toBe('2026-02-01T12:00:00.000Z');
    expect(analyzeInvitation({ ...base, roleIds: [GLOBAL_READER], durationDays: null }, NOW)).toMatchObject({ durationDays: null, endDate: null });
    expect(analyzeInvitation({ ...base, roleIds: [GLOBAL_READER], durationDays: Number.NaN }, NOW)).toMatchObject({ durationDays: null, endDate: null });
  });

  it('R6: a request with Global Administrator can never auto-extend, whatever the page says', () => {
    expect(analyzeInvitation({ ...base, roleIds: [GLOBAL_ADMINISTRATOR], autoExtend: true }, NOW).autoExtend).toBe('not-allowed');
    expect(analyzeInvitation({ ...base, roleIds: [GLOBAL_ADMINISTRATOR.toUpperCase()], autoExtend: null }, NOW).autoExtend).toBe('not-allowed');
    expect(analyzeInvitation({ ...base, roleIds: [GLOBAL_READER], autoExtend: true }, NOW).autoExtend).toBe('on');
    expect(analyzeInvitation({ ...base, roleIds: [GLOBAL_READER], autoExtend: false }, NOW).autoExtend).toBe('off');
    expect(analyzeInvitation({ ...base, roleIds: [GLOBAL_READER], autoExtend: null }, NOW).autoExtend).toBeNull();
  });

  it('R17/R23: a request within read-only + support tickets is not flagged', () => {
    const a = analyzeInvitation({ ...base, roleIds: [GLOBAL_READER, DIRECTORY_READERS, SERVICE_SUPPORT_ADMINISTRATOR] }, NOW);
    expect(a.beyondLeastPrivilege).toEqual([]);
    expect(a.exceeds).toEqual([]);
  });

  it('R17/R23: extra roles that are not high-risk are listed but not flagged', () => {
    const a = analyzeInvitation({ ...base, roleIds: [GLOBAL_READER, REPORTS_READER, LICENSE_ADMINISTRATOR] }, NOW);
    expect(a.beyondLeastPrivilege).toEqual([LICENSE_ADMINISTRATOR, REPORTS_READER]);
    expect(a.exceeds).toEqual([]);
  });

  it('R17/R23: a high-risk role beyond read-only + support tickets flags the request against both presets', () => {
    const a = analyzeInvitation({ ...base, roleIds: [SERVICE_SUPPORT_ADMINISTRATOR, GLOBAL_READER, GLOBAL_ADMINISTRATOR, TEAMS_ADMINISTRATOR] }, NOW);
    expect(a.beyondLeastPrivilege).toEqual([GLOBAL_ADMINISTRATOR, TEAMS_ADMINISTRATOR]);
    expect(a.exceeds).toEqual([
      { presetId: 'read-only', extraRoleIds: [GLOBAL_ADMINISTRATOR, TEAMS_ADMINISTRATOR, SERVICE_SUPPORT_ADMINISTRATOR] },
      { presetId: 'support-tickets', extraRoleIds: [GLOBAL_ADMINISTRATOR, TEAMS_ADMINISTRATOR, GLOBAL_READER] },
    ]);
  });

  it('unknown role names are never counted as within the presets, nor as ids', () => {
    const a = analyzeInvitation({ ...base, roleIds: [APPLICATION_ADMINISTRATOR], unknownRoleNames: ['전역 관리자?'] }, NOW);
    expect(a.beyondLeastPrivilege).toEqual([APPLICATION_ADMINISTRATOR]);
    expect(a.exceeds.map((e) => e.extraRoleIds)).toEqual([[APPLICATION_ADMINISTRATOR], [APPLICATION_ADMINISTRATOR]]);
  });
});

describe('role explanation keys', () => {
  it('every curated role name is in the catalog', () => {
    expect(UNRESOLVED_EXPLAINED_ROLES).toEqual([]);
  });

  it('curated roles get their own key; others a generic key by risk', () => {
    expect(roleExplanationKey(GLOBAL_ADMINISTRATOR)).toBe('adminRole.globalAdministrator');
    expect(roleExplanationKey(PRIVILEGED_ROLE_ADMINISTRATOR.toUpperCase())).toBe('adminRole.privilegedRoleAdministrator');
    const billing = ROLES.find((r) => r.name === 'Billing Administrator')!;
    expect(roleExplanationKey(billing.id)).toBe('adminRole.billingAdministrator');
    const curated = new Set(ADMIN_ROLE_EXPLANATION_KEYS);
    for (const r of ROLES) {
      const key = roleExplanationKey(r.id);
      expect(curated.has(key), `${r.name} → ${key}`).toBe(true);
      if (key.startsWith('adminRole.generic.')) expect(key).toBe(`adminRole.generic.${roleRisk(r.id)}`);
    }
    expect(roleExplanationKey('00000000-0000-0000-0000-000000000000')).toBe('adminRole.generic.medium');
  });

  it('lists 22 curated keys and 3 generic ones, all distinct', () => {
    expect(ADMIN_ROLE_EXPLANATION_KEYS).toHaveLength(25);
    expect(new Set(ADMIN_ROLE_EXPLANATION_KEYS).size).toBe(25);
    expect(ADMIN_ROLE_EXPLANATION_KEYS.every((k) => /^adminRole\.[A-Za-z.]+$/.test(k))).toBe(true);
  });
});

describe('role names for the partner badge (privilegedNames, splitRoles)', () => {
  it('names privileged role ids from the catalog, keeps names, drops blanks and repeats', () => {
    expect(privilegedNames([PRIVILEGED_ROLE_ADMINISTRATOR, GLOBAL_ADMINISTRATOR.toUpperCase(), 'Global Administrator', ' ', 'Custom Role'])).toEqual([
      'Privileged Role Administrator',
      'Global Administrator',
      'Custom Role',
    ]);
  });

  it('splits the page\'s role names into privileged and other, in page order', () => {
    expect(
      splitRoles(['Privileged Role Administrator', 'User Administrator', 'Global Reader', 'Helpdesk Administrator', 'Global Administrator'], [PRIVILEGED_ROLE_ADMINISTRATOR, GLOBAL_ADMINISTRATOR]),
    ).toEqual({ privileged: ['Privileged Role Administrator', 'Global Administrator'], other: ['User Administrator', 'Global Reader', 'Helpdesk Administrator'] });
  });

  it('flags privileged roles under the names the page shows (Korean, short "admin" forms), never listed twice', () => {
    const split = splitRoles(['권한 있는 역할 관리자', '전역 읽기 권한자', 'Global admin'], [PRIVILEGED_ROLE_ADMINISTRATOR, GLOBAL_ADMINISTRATOR, PRIVILEGED_AUTHENTICATION_ADMINISTRATOR]);
    // The one the page does not list comes last, by its catalog name.
    expect(split).toEqual({ privileged: ['권한 있는 역할 관리자', 'Global admin', 'Privileged Authentication Administrator'], other: ['전역 읽기 권한자'] });
  });
});

describe('the pages as the content script sends them', () => {
  it('D7: a partner row\'s texts become its badge: risk, reasons, roles by name, the end date', () => {
    const m = partnerBadgeModel(
      { types: { reseller: false, dap: false, gdap: true }, roleNames: ['Global admin', 'Global Reader'], roleIds: [GLOBAL_ADMINISTRATOR, GLOBAL_READER], unknownRoleNames: [], gdapEnd: inDays(5) },
      NOW,
    );
    expect(m).toEqual({
      types: { reseller: false, dap: false, gdap: true },
      roleCount: 2,
      gdapEnd: inDays(5),
      risk: 'high',
      reasons: ['global-admin', 'ends-soon'],
      privilegedRoles: ['Global Administrator'],
      roles: { privileged: ['Global admin'], other: ['Global Reader'] },
    });
  });

  it('analyzePartnerTexts: one badge per row in order, and the summary; answers fit their schema', () => {
    const a = analyzePartnerTexts(
      [
        { types: 'Reseller, Delegated admin (DAP)', roles: [], end: null },
        { types: 'Granular delegated admin (GDAP)', roles: ['Global Reader', 'Directory Readers'], end: { datetime: '2026-02-20T00:00:00Z', text: 'Feb 20, 2026' } },
        { types: 'Granular delegated admin (GDAP)', roles: ['<svg onload=alert(1)>'], end: { datetime: null, text: 'soon' } },
        { types: 'Reseller', roles: [], end: null },
      ],
      NOW,
    );
    expect(a.partners.map((p) => [p.risk, p.roleCount, p.gdapEnd])).toEqual([
      ['high', 1, null],
      ['low', 2, '2026-02-20T00:00:00.000Z'],
      ['medium', 1, null],
      ['none', 0, null],
    ]);
    expect(a.partners[0]!.roles).toEqual({ privileged: ['Global Administrator'], other: [] });
    expect(a.partners[1]!.reasons).toEqual(['read-only', 'ends-soon']);
    expect(a.partners[2]!.reasons).toEqual(['unrecognized-roles']);
    expect(a.partners[2]!.roles.other).toEqual(['<svg onload=alert(1)>']);
    expect(a.summary).toEqual({ total: 4, withAdminAccess: 3, viaDap: 1, withGlobalAdmin: 1 });
    expect(v.safeParse(ANSWERS.analyzePartners, a).success).toBe(true);
    expect(analyzePartnerTexts([], NOW)).toEqual({ partners: [], summary: { total: 0, withAdminAccess: 0, viaDap: 0, withGlobalAdmin: 0 } });
  });

  it('analyzeInvitationTexts: roles by id or name, duration and auto-extend from the page\'s words; null when no role is named', () => {
    const a = analyzeInvitationTexts(
      { roles: [{ name: '', id: GLOBAL_ADMINISTRATOR.toUpperCase() }, { name: '서비스 지원 관리자', id: null }, { name: 'Mystery Role', id: null }], duration: '2년', autoExtend: '켜짐' },
      NOW,
    );
    expect(a).toEqual({
      roles: [
        { id: GLOBAL_ADMINISTRATOR, name: 'Global Administrator', risk: 'high', explanationKey: 'adminRole.globalAdministrator' },
        { id: null, name: 'Mystery Role', risk: 'medium', explanationKey: 'adminRole.generic.medium' },
        { id: SERVICE_SUPPORT_ADMINISTRATOR, name: 'Service Support Administrator', risk: 'low', explanationKey: 'adminRole.serviceSupportAdministrator' },
      ],
      durationDays: 730,
      endDate: '2028-01-31T12:00:00.000Z',
      autoExtend: 'not-allowed',
      exceeds: [
        { presetId: 'read-only', extraRoleIds: [GLOBAL_ADMINISTRATOR, SERVICE_SUPPORT_ADMINISTRATOR] },
        { presetId: 'support-tickets', extraRoleIds: [GLOBAL_ADMINISTRATOR] },
      ],
    });
    expect(v.safeParse(ANSWERS.analyzeInvitation, a).success).toBe(true);
    // Blank items and ids the catalog does not know name no role: no panel.
    expect(analyzeInvitationTexts({ roles: [{ name: ' — ', id: null }, { name: '', id: '00000000-0000-4000-8000-000000000000' }], duration: null, autoExtend: null }, NOW)).toBeNull();
    expect(v.safeParse(ANSWERS.analyzeInvitation, null).success).toBe(true);
  });
});
