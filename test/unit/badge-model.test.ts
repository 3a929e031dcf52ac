import { roleLines } from '@/utils/gdap/roles';
import { describe, expect, it } from 'vitest';
import {
  badgeDetails,
  badgeTone,
  customerBadgeModel,
  relationshipBadgeModel,
  relationshipDetails,
  type BadgeModel,
} from '@/utils/portals/badge-model';
import { invitationUrl, partnerCenterRelationshipUrl } from '@/utils/gdap/links';
import {
  GLOBAL_ADMINISTRATOR,
  GLOBAL_READER,
  DIRECTORY_READERS,
  NINE_ROLES,
  NOW,
  PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
  SCENARIOS,
  TENANT,
  USER_ADMINISTRATOR,
  assignment,
  rel,
  summary,
  view,
} from './badge-fixtures';

type Expected = Pick<BadgeModel, 'state' | 'daysLeft' | 'autoExtend' | 'tone' | 'roleCount' | 'noSecurityGroup'>;

describe('relationshipBadgeModel: every state', () => {
  it.each<[string, keyof typeof SCENARIOS, Expected]>([
    ['R4: active, auto-extend off, 245 days to the end', 'active', { state: 'active', daysLeft: 245, autoExtend: 'off', tone: 'ok', roleCount: 9, noSecurityGroup: false }],
    ['R4: active and auto-extending, 245 days to the next extension', 'activeAuto', { state: 'active', daysLeft: 245, autoExtend: 'on', tone: 'ok', roleCount: 9, noSecurityGroup: false }],
    ['R6: Global Administrator cannot auto-extend', 'globalAdmin', { state: 'active', daysLeft: 245, autoExtend: 'not-allowed', tone: 'ok', roleCount: 2, noSecurityGroup: false }],
    ['R24: expiring in 5 days is danger', 'expiring', { state: 'expiring', daysLeft: 5, autoExtend: 'off', tone: 'danger', roleCount: 9, noSecurityGroup: false }],
    ['R24: expiring in 20 days is warn', 'expiring20', { state: 'expiring', daysLeft: 20, autoExtend: 'off', tone: 'warn', roleCount: 9, noSecurityGroup: false }],
    ['R2: pending, lapses in 5 days (created + 90) is warn', 'pending', { state: 'pending', daysLeft: 5, autoExtend: null, tone: 'warn', roleCount: 9, noSecurityGroup: false }],
    ['R2: pending, lapses in 33 days is muted', 'pendingFar', { state: 'pending', daysLeft: 33, autoExtend: null, tone: 'muted', roleCount: 9, noSecurityGroup: false }],
    ['expired: no days', 'expired', { state: 'expired', daysLeft: null, autoExtend: null, tone: 'muted', roleCount: 9, noSecurityGroup: false }],
    ['terminated: no days', 'terminated', { state: 'terminated', daysLeft: null, autoExtend: null, tone: 'muted', roleCount: 9, noSecurityGroup: false }],
    ['unknown status: no days', 'unknown', { state: 'unknown', daysLeft: null, autoExtend: null, tone: 'muted', roleCount: 9, noSecurityGroup: false }],
  ])('%s', (_title, scenario, expected) => {
    const m = relationshipBadgeModel(view(SCENARIOS[scenario]), NOW);
    expect(m).toMatchObject({ ...expected, scope: 'relationship', relationshipId: SCENARIOS[scenario].id, relationshipCount: 1 });
  });

  it('R4: an auto-extending relationship 5 days before its end is active, not expiring, and counts to the extension', () => {
    const m = relationshipBadgeModel(view(rel({ autoExtendDuration: 'P180D', endDateTime: '2026-03-06T12:00:00.000Z' })), NOW);
    expect(m).toMatchObject({ state: 'active', daysLeft: 5, autoExtend: 'on', tone: 'ok', endDate: '2026-03-06T12:00:00.000Z' });
  });

  it('R4: a cached end date already passed moves 180 days on (next extension 2026-07-31, 152 days)', () => {
    const m = relationshipBadgeModel(view(rel({ autoExtendDuration: 'P180D', endDateTime: '2026-02-01T12:00:00.000Z' })), NOW);
    expect(m).toMatchObject({ state: 'active', daysLeft: 152, autoExtend: 'on', endDate: '2026-07-31T12:00:00.000Z' });
  });

  it('R2: a pending request past createdDateTime + 90 days is expired, with no days', () => {
    const m = relationshipBadgeModel(view(rel({ status: 'approvalPending', createdDateTime: '2025-11-01T12:00:00.000Z' })), NOW);
    expect(m).toMatchObject({ state: 'expired', daysLeft: null, tone: 'muted' });
  });

  it('counts from the given now, not from the state the view was sent with', () => {
    const later = new Date(NOW.getTime() + 2 * 86_400_000);
    expect(relationshipBadgeModel(view(SCENARIOS.expiring), later).daysLeft).toBe(3);
  });

  it.each([
    ['no assignment at all', [], true],
    ['only a deleted assignment', [assignment('deleted')], true],
    ['an active assignment', [assignment('active')], false],
    ['a pending assignment', [assignment('pending')], false],
    ['assignments not loaded', null, false],
  ] as const)('R16: %s → noSecurityGroup %s', (_t, assignments, expected) => {
    const m = relationshipBadgeModel(view(SCENARIOS.active, assignments === null ? null : [...assignments]), NOW);
    expect(m.noSecurityGroup).toBe(expected);
    expect(m.tone).toBe(expected ? 'danger' : 'ok');
  });

  it('R16: a pending request without assignments does not warn (nothing to assign yet)', () => {
    expect(relationshipBadgeModel(view(SCENARIOS.pending, []), NOW).noSecurityGroup).toBe(false);
  });

  it('R24: one expiry for the whole relationship, whatever its number of roles', () => {
    const one = relationshipBadgeModel(view(rel({ roleIds: [GLOBAL_READER] })), NOW);
    const nine = relationshipBadgeModel(view(rel({ roleIds: NINE_ROLES })), NOW);
    expect(one.daysLeft).toBe(nine.daysLeft);
    expect(one.endDate).toBe(nine.endDate);
    const d = relationshipDetails(view(rel()), NOW);
    for (const r of d.roles) expect(Object.keys(r).sort()).toEqual(['id', 'name', 'risk']);
  });
});

describe('badgeTone', () => {
  it.each<[Pick<BadgeModel, 'state' | 'daysLeft' | 'noSecurityGroup'>, string]>([
    [{ state: 'expiring', daysLeft: 1, noSecurityGroup: false }, 'danger'],
    [{ state: 'expiring', daysLeft: 7, noSecurityGroup: false }, 'danger'],
    [{ state: 'expiring', daysLeft: 8, noSecurityGroup: false }, 'warn'],
    [{ state: 'expiring', daysLeft: null, noSecurityGroup: false }, 'danger'],
    [{ state: 'active', daysLeft: 300, noSecurityGroup: true }, 'danger'],
    [{ state: 'active', daysLeft: 300, noSecurityGroup: false }, 'ok'],
    [{ state: 'pending', daysLeft: 7, noSecurityGroup: false }, 'warn'],
    [{ state: 'pending', daysLeft: 8, noSecurityGroup: false }, 'muted'],
    [{ state: 'pending', daysLeft: null, noSecurityGroup: false }, 'muted'],
    [{ state: 'expired', daysLeft: null, noSecurityGroup: true }, 'muted'],
    [{ state: 'terminated', daysLeft: null, noSecurityGroup: false }, 'muted'],
    [{ state: 'unknown', daysLeft: null, noSecurityGroup: false }, 'muted'],
    [{ state: 'none', daysLeft: null, noSecurityGroup: false }, 'muted'],
  ])('R16/R2: %o → %s', (m, tone) => {
    expect(badgeTone(m)).toBe(tone);
  });
});

describe('customerBadgeModel (R25)', () => {
  it('R25: a customer without GDAP is none', () => {
    expect(customerBadgeModel(summary([]), NOW)).toEqual({
      scope: 'customer',
      state: 'none',
      relationshipId: null,
      daysLeft: null,
      endDate: null,
      autoExtend: null,
      roleCount: 0,
      noSecurityGroup: false,
      tone: 'muted',
      relationshipCount: 0,
    });
  });

  it('R25: several relationships: the most urgent one sets state and days; roles are the union of live ones', () => {
    const m = customerBadgeModel(
      summary([SCENARIOS.active, SCENARIOS.expiring20, rel({ id: 'rel-ua', roleIds: [USER_ADMINISTRATOR, GLOBAL_ADMINISTRATOR] }), SCENARIOS.expired]),
      NOW,
    );
    expect(m).toMatchObject({ scope: 'customer', state: 'expiring', daysLeft: 20, relationshipId: 'rel-expiring-20', tone: 'warn', relationshipCount: 4 });
    expect(m.roleCount).toBe(10); // nine + Global Administrator (User Administrator is among the nine)
  });

  it('R25/R4: a healthy customer shows the soonest end of all its live relationships', () => {
    const late = rel({ id: 'rel-late', endDateTime: '2027-01-01T12:00:00.000Z' });
    const soonAuto = rel({ id: 'rel-soon-auto', autoExtendDuration: 'P180D', endDateTime: '2026-03-11T12:00:00.000Z' });
    const m = customerBadgeModel(summary([late, soonAuto]), NOW);
    expect(m).toMatchObject({ state: 'active', daysLeft: 10, autoExtend: 'on', relationshipId: 'rel-soon-auto', tone: 'ok', relationshipCount: 2 });
  });

  it('R25/R16: one live relationship without security group makes the customer danger', () => {
    const m = customerBadgeModel(summary([SCENARIOS.active, SCENARIOS.activeAuto], ['rel-auto']), NOW);
    expect(m).toMatchObject({ noSecurityGroup: true, tone: 'danger' });
  });

  it('R25/R2: a customer with only a pending request counts to its lapse', () => {
    expect(customerBadgeModel(summary([SCENARIOS.pending]), NOW)).toMatchObject({ state: 'pending', daysLeft: 5, tone: 'warn', roleCount: 0 });
  });

  it('R25: a customer whose relationships all ended is expired, with no days', () => {
    expect(customerBadgeModel(summary([SCENARIOS.expired, SCENARIOS.terminated]), NOW)).toMatchObject({
      state: 'expired',
      daysLeft: null,
      tone: 'muted',
      relationshipCount: 2,
    });
  });
});

describe('relationshipDetails', () => {
  it('takes role names and risks from the view (the background fills them); ids stand in without them', () => {
    const v = view(SCENARIOS.active);
    expect(relationshipDetails(v, NOW).roles).toEqual(roleLines(v.relationship.roleIds));
    expect(relationshipDetails(v, NOW).roles.every((r) => r.name !== r.id)).toBe(true);
    const bare = { ...v, roles: undefined };
    expect(relationshipDetails(bare, NOW).roles).toEqual(v.relationship.roleIds.map((id) => ({ id, name: id, risk: 'medium' })));
  });

  it('R4/R24: dates of an auto-extending relationship: start, end, next extension', () => {
    const d = relationshipDetails(view(SCENARIOS.activeAuto), NOW);
    expect(d).toMatchObject({
      id: 'rel-auto',
      name: 'Contoso GDAP',
      start: '2025-06-01T12:00:00.000Z',
      end: '2026-11-01T12:00:00.000Z',
      nextAutoExtend: '2026-11-01T12:00:00.000Z',
      partnerCenterUrl: `https://partner.microsoft.com/dashboard/v2/customers/${TENANT}/adminrelationships/rel-auto`,
      invitationUrl: null,
      actions: [],
    });
  });

  it('R5: auto-extend off on an active relationship offers "enable-auto-extend"; no next extension', () => {
    const d = relationshipDetails(view(SCENARIOS.active), NOW);
    expect(d.actions).toEqual(['enable-auto-extend']);
    expect(d.nextAutoExtend).toBeNull();
    expect(relationshipDetails(view(SCENARIOS.expiring), NOW).actions).toEqual(['enable-auto-extend']);
  });

  it('R6: never offers enable-auto-extend with Global Administrator', () => {
    const d = relationshipDetails(view(SCENARIOS.globalAdmin), NOW);
    expect(d.actions).toEqual([]);
    expect(d.model.autoExtend).toBe('not-allowed');
    expect(relationshipDetails(view(rel({ roleIds: [GLOBAL_ADMINISTRATOR], autoExtendDuration: 'P180D' })), NOW).nextAutoExtend).toBeNull();
  });

  it('R5: no enable-auto-extend for pending, ended or "approved" (not yet in force) relationships', () => {
    for (const r of [SCENARIOS.pending, SCENARIOS.expired, SCENARIOS.terminated, SCENARIOS.unknown, rel({ status: 'approved' })]) {
      expect(relationshipDetails(view(r), NOW).actions, r.id).not.toContain('enable-auto-extend');
    }
  });

  it('R2: an approval-pending request offers its invitation link; a request not yet locked for approval does not', () => {
    const d = relationshipDetails(view(SCENARIOS.pending), NOW);
    expect(d.actions).toEqual(['copy-invitation']);
    expect(d.invitationUrl).toBe('https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/rel-pending');
    expect(d.end).toBe('2026-03-06T12:00:00.000Z');
    const created = relationshipDetails(view(rel({ status: 'created', activatedDateTime: null, endDateTime: null })), NOW);
    expect(created.actions).toEqual([]);
    expect(created.invitationUrl).toBeNull();
  });

  it('has no Partner Center link while the customer tenant is unknown', () => {
    const d = relationshipDetails(view(rel({ status: 'created', customer: { tenantId: null, displayName: null } })), NOW);
    expect(d.partnerCenterUrl).toBeNull();
  });

  it('keeps names exactly as sent (escaping is the UI\'s job)', () => {
    const name = '<img src=x onerror=alert(1)>';
    expect(relationshipDetails(view(rel({ displayName: name })), NOW).name).toBe(name);
  });

  it('roles: names from the catalog, most risky first, unknown ids by id', () => {
    const lines = roleLines([GLOBAL_READER, 'not-a-role', USER_ADMINISTRATOR, DIRECTORY_READERS, GLOBAL_ADMINISTRATOR]);
    expect(lines.map((l) => [l.name, l.risk])).toEqual([
      ['Global Administrator', 'high'],
      ['User Administrator', 'high'],
      ['not-a-role', 'medium'],
      ['Directory Readers', 'low'],
      ['Global Reader', 'low'],
    ]);
  });
});

describe('badgeDetails (R25)', () => {
  it('R25: lists every relationship, most urgent first', () => {
    const d = badgeDetails([view(SCENARIOS.expired), view(SCENARIOS.active), view(SCENARIOS.pending), view(SCENARIOS.expiring)], NOW);
    expect(d.relationships.map((r) => r.id)).toEqual(['rel-expiring', 'rel-pending', 'rel-active', 'rel-expired']);
  });

  it('R10: notes when no pending or live relationship holds Privileged Authentication Administrator', () => {
    const without = rel({ roleIds: [GLOBAL_READER] });
    expect(badgeDetails([view(without)], NOW).lockoutRecoveryMissing).toBe(true);
    expect(badgeDetails([view(without), view(rel({ id: 'b', roleIds: [PRIVILEGED_AUTHENTICATION_ADMINISTRATOR] }))], NOW).lockoutRecoveryMissing).toBe(false);
    // An expired relationship holding it does not count.
    expect(badgeDetails([view(rel({ status: 'expired', roleIds: [PRIVILEGED_AUTHENTICATION_ADMINISTRATOR] }))], NOW).lockoutRecoveryMissing).toBe(true);
    expect(badgeDetails([], NOW)).toEqual({ relationships: [], lockoutRecoveryMissing: false });
  });
});

describe('links', () => {
  it('encode ids', () => {
    expect(invitationUrl('a/b?c')).toBe('https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/a%2Fb%3Fc');
    expect(partnerCenterRelationshipUrl('t/1', 'r#2')).toBe('https://partner.microsoft.com/dashboard/v2/customers/t%2F1/adminrelationships/r%232');
  });
});
