import { describe, expect, it } from 'vitest';
import * as roles from '@/utils/gdap/roles';
import {
  GLOBAL_ADMINISTRATOR,
  ROLES,
  ROLE_PRESETS,
  findRole,
  includesGlobalAdministrator,
  roleName,
  rolePreset,
  roleRisk,
} from '@/utils/gdap/roles';

/** Every exported role-id constant and the catalog name it must stand for. */
const CONSTANT_NAMES: Record<string, string> = {
  GLOBAL_ADMINISTRATOR: 'Global Administrator',
  GLOBAL_READER: 'Global Reader',
  DIRECTORY_READERS: 'Directory Readers',
  DIRECTORY_WRITERS: 'Directory Writers',
  LICENSE_ADMINISTRATOR: 'License Administrator',
  SERVICE_SUPPORT_ADMINISTRATOR: 'Service Support Administrator',
  USER_ADMINISTRATOR: 'User Administrator',
  PRIVILEGED_ROLE_ADMINISTRATOR: 'Privileged Role Administrator',
  HELPDESK_ADMINISTRATOR: 'Helpdesk Administrator',
  PRIVILEGED_AUTHENTICATION_ADMINISTRATOR: 'Privileged Authentication Administrator',
  AUTHENTICATION_ADMINISTRATOR: 'Authentication Administrator',
  APPLICATION_ADMINISTRATOR: 'Application Administrator',
  CLOUD_APPLICATION_ADMINISTRATOR: 'Cloud Application Administrator',
  EXTERNAL_IDENTITY_PROVIDER_ADMINISTRATOR: 'External Identity Provider Administrator',
  DOMAIN_NAME_ADMINISTRATOR: 'Domain Name Administrator',
  EXCHANGE_ADMINISTRATOR: 'Exchange Administrator',
  INTUNE_ADMINISTRATOR: 'Intune Administrator',
  TEAMS_ADMINISTRATOR: 'Teams Administrator',
  SECURITY_ADMINISTRATOR: 'Security Administrator',
  SECURITY_OPERATOR: 'Security Operator',
  SECURITY_READER: 'Security Reader',
  CONDITIONAL_ACCESS_ADMINISTRATOR: 'Conditional Access Administrator',
  SHAREPOINT_ADMINISTRATOR: 'SharePoint Administrator',
  HYBRID_IDENTITY_ADMINISTRATOR: 'Hybrid Identity Administrator',
  AUTHENTICATION_POLICY_ADMINISTRATOR: 'Authentication Policy Administrator',
  AUTHENTICATION_EXTENSIBILITY_ADMINISTRATOR: 'Authentication Extensibility Administrator',
  PARTNER_TIER2_SUPPORT: 'Partner Tier2 Support',
  DIRECTORY_SYNCHRONIZATION_ACCOUNTS: 'Directory Synchronization Accounts',
  B2C_IEF_KEYSET_ADMINISTRATOR: 'B2C IEF Keyset Administrator',
  MESSAGE_CENTER_READER: 'Message Center Reader',
  REPORTS_READER: 'Reports Reader',
};

const names = (ids: readonly string[]): Array<string | null> => ids.map((id) => roleName(id));

describe('role catalog', () => {
  it('holds the 123 built-in roles with unique lower-case ids', () => {
    expect(ROLES).toHaveLength(123);
    expect(new Set(ROLES.map((r) => r.id)).size).toBe(123);
    for (const r of ROLES) expect(r.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('knows Global Administrator by its template id', () => {
    expect(GLOBAL_ADMINISTRATOR).toBe('62e90394-69f5-4237-9190-012177145e10');
    expect(roleName(GLOBAL_ADMINISTRATOR)).toBe('Global Administrator');
  });

  it('looks ids up case-insensitively', () => {
    expect(roleName('62E90394-69F5-4237-9190-012177145E10')).toBe('Global Administrator');
    expect(roleName(' 62e90394-69F5-4237-9190-012177145e10 ')).toBe('Global Administrator');
    expect(findRole('F2EF992C-3AFB-46B9-B7CF-A126EE74C451')?.name).toBe('Global Reader');
  });

  it('gives null for an unknown id', () => {
    expect(roleName('00000000-0000-0000-0000-000000000000')).toBeNull();
    expect(roleName('')).toBeNull();
    expect(roleName('Global Administrator')).toBeNull();
  });

  it('every exported role constant names the expected catalog role', () => {
    const exported = Object.entries(roles).filter(
      ([key, value]) => typeof value === 'string' && /^[A-Z0-9_]+$/.test(key) && key !== 'ROLE_CATALOG_SOURCE',
    );
    expect(exported.map(([k]) => k).sort()).toEqual(Object.keys(CONSTANT_NAMES).sort());
    for (const [key, id] of exported) expect([key, roleName(id as string)]).toEqual([key, CONSTANT_NAMES[key]]);
  });

  it('R6: detects Global Administrator in a role list, whatever the case', () => {
    expect(includesGlobalAdministrator([roles.GLOBAL_READER, GLOBAL_ADMINISTRATOR.toUpperCase()])).toBe(true);
    expect(includesGlobalAdministrator([roles.GLOBAL_READER, roles.PRIVILEGED_ROLE_ADMINISTRATOR])).toBe(false);
    expect(includesGlobalAdministrator([])).toBe(false);
  });
});

describe('role presets', () => {
  it('has the eight presets with unique ids', () => {
    expect(ROLE_PRESETS.map((p) => p.id)).toEqual([
      'default-gdap',
      'read-only',
      'support-tickets',
      'helpdesk-lockout',
      'exchange',
      'intune',
      'teams',
      'security',
    ]);
  });

  it('every preset role id exists in the catalog, without duplicates, never Global Administrator', () => {
    for (const preset of ROLE_PRESETS) {
      expect(preset.roleIds.length).toBeGreaterThan(0);
      for (const id of preset.roleIds) expect([preset.id, roleName(id)]).not.toEqual([preset.id, null]);
      expect(new Set(preset.roleIds).size).toBe(preset.roleIds.length);
      expect(includesGlobalAdministrator(preset.roleIds)).toBe(false);
    }
  });

  it('R26: default GDAP preset is the nine roles of seed 003', () => {
    const p = rolePreset('default-gdap');
    expect(p?.ruleId).toBe('R26');
    expect(names(p?.roleIds ?? []).sort()).toEqual(
      [
        'Directory Readers',
        'Directory Writers',
        'Global Reader',
        'Helpdesk Administrator',
        'License Administrator',
        'Privileged Authentication Administrator',
        'Privileged Role Administrator',
        'Service Support Administrator',
        'User Administrator',
      ].sort(),
    );
  });

  it('R23: read-only preset is Global Reader and Directory Readers, all low risk', () => {
    const p = rolePreset('read-only');
    expect(p?.ruleId).toBe('R23');
    expect(names(p?.roleIds ?? [])).toEqual(['Global Reader', 'Directory Readers']);
    expect((p?.roleIds ?? []).map(roleRisk)).toEqual(['low', 'low']);
  });

  it('R17: support-tickets preset is only Service Support Administrator', () => {
    const p = rolePreset('support-tickets');
    expect(p?.ruleId).toBe('R17');
    expect(names(p?.roleIds ?? [])).toEqual(['Service Support Administrator']);
  });

  it('R10: help desk preset includes Privileged Authentication Administrator and Helpdesk Administrator', () => {
    const p = rolePreset('helpdesk-lockout');
    expect(p?.ruleId).toBe('R10');
    expect(names(p?.roleIds ?? [])).toEqual(
      expect.arrayContaining(['Privileged Authentication Administrator', 'Helpdesk Administrator']),
    );
    expect(names(p?.roleIds ?? [])).not.toContain('Privileged Role Administrator');
  });

  it('workload presets use the workload roles', () => {
    expect(names(rolePreset('exchange')?.roleIds ?? [])).toEqual(['Exchange Administrator']);
    expect(names(rolePreset('intune')?.roleIds ?? [])).toEqual(['Intune Administrator']);
    expect(names(rolePreset('teams')?.roleIds ?? [])).toEqual(['Teams Administrator']);
    expect(names(rolePreset('security')?.roleIds ?? [])).toEqual(['Security Operator', 'Security Reader']);
  });

  it('gives null for an unknown preset id', () => {
    expect(rolePreset('everything')).toBeNull();
  });
});

describe('roleRisk', () => {
  it('rates tenant-wide write roles high', () => {
    for (const name of [
      'Global Administrator',
      'Privileged Role Administrator',
      'Privileged Authentication Administrator',
      'Security Administrator',
      'Exchange Administrator',
      'User Administrator',
      'Application Administrator',
      'Cloud Application Administrator',
      'Authentication Administrator',
      'Conditional Access Administrator',
      'Intune Administrator',
      'SharePoint Administrator',
      'Hybrid Identity Administrator',
      'Directory Writers',
    ]) {
      const role = ROLES.find((r) => r.name === name);
      expect([name, role && roleRisk(role.id)]).toEqual([name, 'high']);
    }
  });

  it('rates readers and Service Support Administrator low', () => {
    for (const name of [
      'Global Reader',
      'Directory Readers',
      'Reports Reader',
      'Security Reader',
      'Message Center Reader',
      'Teams Reader',
      'Service Support Administrator',
    ]) {
      const role = ROLES.find((r) => r.name === name);
      expect([name, role && roleRisk(role.id)]).toEqual([name, 'low']);
    }
  });

  it('rates other roles, and unknown ids, medium', () => {
    for (const name of ['License Administrator', 'Helpdesk Administrator', 'Teams Administrator', 'Billing Administrator']) {
      const role = ROLES.find((r) => r.name === name);
      expect([name, role && roleRisk(role.id)]).toEqual([name, 'medium']);
    }
    expect(roleRisk('00000000-0000-0000-0000-000000000000')).toBe('medium');
  });

  it('is case-insensitive', () => {
    expect(roleRisk(GLOBAL_ADMINISTRATOR.toUpperCase())).toBe('high');
  });
});
