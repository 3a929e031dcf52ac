import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  DEFAULT_GDAP_ROLES,
  HOSTILE_CUSTOMER_NAMES,
  RESELLER_ODATA_TYPE,
  ROLE,
  SCENARIOS,
  UNKNOWN_STATUS,
  VERY_LONG_CUSTOMER_NAME,
  addIsoDuration,
  durationDays,
  entraRoles,
  findInvitationRelationship,
  generateWorld,
  parseIsoDuration,
} from '../fake-cloud/data';
import type { FakeRelationship, World } from '../fake-cloud/model';
import { createPrng } from '../fake-cloud/prng';

const NOW = new Date('2025-06-01T12:00:00Z');
const GA = ROLE.globalAdministrator;

function relsOf(world: World, tenantId: string): FakeRelationship[] {
  return world.relationships.filter((r) => r.customer?.tenantId === tenantId);
}

function hoursLeft(r: FakeRelationship): number {
  return (Date.parse(r.endDateTime ?? '') - NOW.getTime()) / 3_600_000;
}

/** Worlds are plain data plus Maps; compare them through JSON. */
function snapshot(world: World): string {
  return JSON.stringify(world, (_k, v: unknown) => (v instanceof Map ? [...v.entries()] : v));
}

describe('prng', () => {
  it('is deterministic and spreads values', () => {
    const a = createPrng(42);
    const b = createPrng(42);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(new Set(xs.map((x) => Math.floor(x * 10))).size).toBe(10);
    expect(createPrng(1).guid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('ISO 8601 durations', () => {
  it.each([
    ['P730D', 730],
    ['P2Y', 730],
    ['P24M', 730],
    ['P1Y6M', 547.5],
    ['P1D', 1],
    ['PT24H', 1],
    ['P1W', 7],
    ['PT0S', 0],
  ])('%s is %d days', (text, days) => {
    const d = parseIsoDuration(text);
    expect(d).not.toBeNull();
    expect(durationDays(d!)).toBeCloseTo(days, 5);
  });

  it.each(['', 'P', 'PT', '730D', 'P-1D', 'P1.5D', 'p730d', 'P1DT', 'forever'])('rejects %j', (text) => {
    expect(parseIsoDuration(text)).toBeNull();
  });

  it('adds calendar years and months, clamping to the end of the month', () => {
    expect(new Date(addIsoDuration(Date.parse('2024-01-31T00:00:00Z'), 'P1M')).toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(new Date(addIsoDuration(Date.parse('2024-02-29T10:00:00Z'), 'P2Y')).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(new Date(addIsoDuration(Date.parse('2025-01-01T00:00:00Z'), 'P730D')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
});

describe('generateWorld', () => {
  it('is deterministic for the same seed and now, and differs for another seed', () => {
    const a = generateWorld({ customers: 40, seed: 5, now: NOW });
    const b = generateWorld({ customers: 40, seed: 5, now: NOW });
    const c = generateWorld({ customers: 40, seed: 6, now: NOW });
    expect(snapshot(a)).toBe(snapshot(b));
    expect(snapshot(a)).not.toBe(snapshot(c));
  });

  it('defaults to seed 1', () => {
    expect(snapshot(generateWorld({ customers: 10, now: NOW }))).toBe(snapshot(generateWorld({ customers: 10, seed: 1, now: NOW })));
  });

  it('covers every scenario at least twice with 40 customers', () => {
    const world = generateWorld({ customers: 40, now: NOW });
    expect(world.customers).toHaveLength(40);
    for (const s of SCENARIOS) {
      expect(world.customers.filter((c) => c.scenario === s).length, s).toBeGreaterThanOrEqual(2);
    }
  });

  it('generates 10,000 customers fast', () => {
    const t = performance.now();
    const world = generateWorld({ customers: 10_000, seed: 3, now: NOW });
    const ms = performance.now() - t;
    expect(world.customers).toHaveLength(10_000);
    expect(world.relationships.length).toBeGreaterThan(9_000);
    // Typically 100–300 ms; the bound leaves room for a loaded CI machine.
    expect(ms).toBeLessThan(5_000);
  });

  it('handles 1 customer', () => {
    const world = generateWorld({ customers: 1, now: NOW });
    expect(world.customers).toHaveLength(1);
    expect(world.adminCenter.partners.length).toBeGreaterThanOrEqual(8);
  });

  const world = generateWorld({ customers: 400, seed: 11, now: NOW });
  const known = entraRoles();

  it('gives every relationship a unique displayName of at most 50 characters, known roles and a valid duration', () => {
    const names = world.relationships.map((r) => r.displayName.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
    for (const r of world.relationships) {
      expect([...r.displayName].length).toBeLessThanOrEqual(50);
      expect(r.accessDetails.unifiedRoles.length).toBeGreaterThan(0);
      for (const role of r.accessDetails.unifiedRoles) expect(known.has(role.roleDefinitionId)).toBe(true);
      const d = parseIsoDuration(r.duration);
      expect(d).not.toBeNull();
      expect(durationDays(d!)).toBeLessThanOrEqual(730);
      expect(['PT0S', 'P0D', 'P180D']).toContain(r.autoExtendDuration);
      if (r.accessDetails.unifiedRoles.some((x) => x.roleDefinitionId === GA)) expect(r.autoExtendDuration).not.toBe('P180D');
      expect(r.id).toMatch(/^[0-9a-f-]{36}-[0-9a-f-]{36}$/);
    }
  });

  it('sets endDateTime = activatedDateTime + duration where both are set', () => {
    for (const r of world.relationships.filter((x) => x.status === 'active' || x.status === 'expired')) {
      expect(Date.parse(r.endDateTime!)).toBe(addIsoDuration(Date.parse(r.activatedDateTime!), r.duration));
    }
  });

  it('uses null, missing and "" for dates of relationships that are not active yet', () => {
    const pending = world.relationships.filter((r) => r.status === 'approvalPending');
    expect(pending.some((r) => r.activatedDateTime === null)).toBe(true);
    expect(pending.some((r) => !('activatedDateTime' in r) && !('endDateTime' in r))).toBe(true);
    expect(pending.some((r) => r.endDateTime === '')).toBe(true);
  });

  it('builds each scenario as described', () => {
    for (const c of world.customers) {
      const rels = relsOf(world, c.tenantId);
      const only = rels[0];
      switch (c.scenario) {
        case 'active-auto-extend':
          expect(rels).toHaveLength(1);
          expect(only?.status).toBe('active');
          expect(only?.autoExtendDuration).toBe('P180D');
          break;
        case 'active-no-auto-extend':
          expect(only?.status).toBe('active');
          expect(['PT0S', 'P0D']).toContain(only?.autoExtendDuration);
          expect(hoursLeft(only!)).toBeGreaterThan(30 * 24);
          break;
        case 'active-global-admin':
          expect(only?.status).toBe('active');
          expect(only?.accessDetails.unifiedRoles.map((r) => r.roleDefinitionId)).toContain(GA);
          expect(only?.autoExtendDuration).toBe('PT0S');
          break;
        case 'expiring-1d':
          expect(hoursLeft(only!)).toBeGreaterThan(0);
          expect(hoursLeft(only!)).toBeLessThanOrEqual(24);
          expect(only?.autoExtendDuration).not.toBe('P180D');
          break;
        case 'expiring-7d':
          expect(hoursLeft(only!)).toBeGreaterThan(24);
          expect(hoursLeft(only!)).toBeLessThanOrEqual(7 * 24);
          break;
        case 'expiring-30d':
          expect(hoursLeft(only!)).toBeGreaterThan(7 * 24);
          expect(hoursLeft(only!)).toBeLessThanOrEqual(30 * 24);
          break;
        case 'pending-near-lapse': {
          const age = (NOW.getTime() - Date.parse(only!.createdDateTime)) / DAY_MS;
          expect(only?.status).toBe('approvalPending');
          expect(age).toBeGreaterThanOrEqual(85);
          expect(age).toBeLessThan(90);
          break;
        }
        case 'pending-fresh': {
          const age = (NOW.getTime() - Date.parse(only!.createdDateTime)) / DAY_MS;
          expect(only?.status).toBe('approvalPending');
          expect(age).toBeGreaterThanOrEqual(2);
          expect(age).toBeLessThan(3);
          break;
        }
        case 'created-not-locked':
          expect(only?.status).toBe('created');
          expect(only?.customer).toEqual({ tenantId: c.tenantId });
          expect(only?.endDateTime).toBe('');
          expect(only?.activatedDateTime).toBeNull();
          break;
        case 'expired': {
          const ago = -hoursLeft(only!) / 24;
          expect(only?.status).toBe('expired');
          expect(ago).toBeGreaterThanOrEqual(10);
          expect(ago).toBeLessThanOrEqual(301);
          break;
        }
        case 'terminated':
          expect(only?.status).toBe('terminated');
          expect(hoursLeft(only!)).toBeLessThan(0);
          break;
        case 'several-relationships':
          expect(rels.length).toBeGreaterThanOrEqual(2);
          expect(rels.length).toBeLessThanOrEqual(3);
          expect(new Set(rels.map((r) => r.endDateTime)).size).toBe(rels.length);
          break;
        case 'no-security-group':
          expect(only?.status).toBe('active');
          expect(world.accessAssignments.get(only!.id) ?? []).toEqual([]);
          break;
        case 'dap-only':
          expect(rels).toHaveLength(0);
          expect(c.hasDap).toBe(true);
          break;
        case 'unknown-status':
          expect(only?.status).toBe(UNKNOWN_STATUS);
          break;
      }
    }
  });

  it('gives active relationships (but no-security-group ones) 1–2 active assignments covering their roles', () => {
    const noGroup = new Set(world.customers.filter((c) => c.scenario === 'no-security-group').map((c) => c.tenantId));
    for (const r of world.relationships.filter((x) => x.status === 'active')) {
      const assignments = world.accessAssignments.get(r.id) ?? [];
      if (noGroup.has(r.customer?.tenantId ?? '')) {
        expect(assignments).toHaveLength(0);
        continue;
      }
      expect(assignments.length).toBeGreaterThanOrEqual(1);
      expect(assignments.length).toBeLessThanOrEqual(2);
      const covered = new Set(assignments.flatMap((a) => a.accessDetails.unifiedRoles.map((x) => x.roleDefinitionId)));
      expect([...covered].sort()).toEqual(r.accessDetails.unifiedRoles.map((x) => x.roleDefinitionId).sort());
      for (const a of assignments) {
        expect(a.status).toBe('active');
        expect(a.accessContainer.accessContainerId).toMatch(/^[0-9a-f-]{36}$/);
      }
    }
  });

  it('uses realistic role sets, including the nine default GDAP roles (R26)', () => {
    expect(DEFAULT_GDAP_ROLES).toHaveLength(9);
    for (const id of Object.values(ROLE)) expect(known.has(id)).toBe(true);
    const sets = world.relationships.map((r) => r.accessDetails.unifiedRoles.map((x) => x.roleDefinitionId).join(','));
    expect(sets).toContain(DEFAULT_GDAP_ROLES.join(','));
    expect(sets).toContain(ROLE.serviceSupportAdministrator);
  });

  it('marks some relationships as reseller relationships', () => {
    const resellers = generateWorld({ customers: 40, now: NOW }).relationships.filter((r) => r['@odata.type'] === RESELLER_ODATA_TYPE);
    expect(resellers.length).toBeGreaterThan(0);
    for (const r of resellers) {
      expect(r.indirectProviderTenantId).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.isPartnerConsentPending).toBe(false);
    }
  });

  it('names customers realistically, in Korean, very long and hostile, with ASCII onmicrosoft domains', () => {
    const w40 = generateWorld({ customers: 40, now: NOW });
    const names = w40.customers.map((c) => c.displayName);
    expect(names).toContain('주식회사 한빛소프트');
    expect(names).toContain(VERY_LONG_CUSTOMER_NAME);
    expect(VERY_LONG_CUSTOMER_NAME.length).toBeGreaterThanOrEqual(300);
    expect(names).toContain('<img src=x onerror=alert(1)>');
    expect(names).toContain('"><script>alert(1)</script>');
    expect(names.some((n) => n.includes('\u202E'))).toBe(true);
    expect(names.some((n) => /\p{Extended_Pictographic}/u.test(n))).toBe(true);
    expect(HOSTILE_CUSTOMER_NAMES.filter((n) => names.includes(n)).length).toBeGreaterThanOrEqual(4);
    expect(new Set(names).size).toBe(names.length);
    for (const c of w40.customers) {
      expect(c.domain).toMatch(/^[a-z0-9]+\d{3,}\.onmicrosoft\.com$/);
      expect(c.id).toBe(c.tenantId);
    }
    expect(new Set(w40.customers.map((c) => c.domain)).size).toBe(40);
  });

  it('has a partner, an admin agent and a user who is not one', () => {
    expect(world.partner.tenantId).toMatch(/^[0-9a-f-]{36}$/);
    expect(world.partner.locationId).toMatch(/^\d+$/);
    expect(world.users.filter((u) => u.isAdminAgent)).toHaveLength(1);
    expect(world.users.filter((u) => !u.isAdminAgent)).toHaveLength(1);
  });

  it('has an admin center tenant listing ~8 partners of every kind, and an invitation to approve', () => {
    const w = generateWorld({ customers: 40, now: NOW });
    const partners = w.adminCenter.partners;
    expect(partners.length).toBeGreaterThanOrEqual(8);
    const dapOnly = partners.find((p) => p.relationshipTypes.includes('Delegated admin (DAP)') && !p.relationshipTypes.includes('Granular delegated admin (GDAP)'));
    expect(dapOnly?.roles).toEqual(['Global Administrator']);
    expect(dapOnly?.relationshipTypes).toContain('Reseller');
    expect(partners.some((p) => p.relationshipTypes.includes('Delegated admin (DAP)') && p.relationshipTypes.includes('Granular delegated admin (GDAP)'))).toBe(true);
    expect(partners.some((p) => p.relationshipTypes.length === 1 && p.relationshipTypes[0] === 'Reseller')).toBe(true);
    expect(partners.some((p) => /[\uac00-\ud7a3]/.test(p.displayName))).toBe(true);
    expect(partners.some((p) => p.displayName.includes('<'))).toBe(true);
    for (const p of partners.filter((x) => x.relationshipTypes.includes('Granular delegated admin (GDAP)'))) {
      expect(Date.parse(p.gdapEndDateTime ?? '')).not.toBeNaN();
    }
    const gdapRoles = partners.filter((p) => p.relationshipTypes.includes('Granular delegated admin (GDAP)')).map((p) => p.roles);
    expect(gdapRoles.some((r) => r.includes('Global Administrator'))).toBe(true);
    expect(gdapRoles.some((r) => r.includes('Privileged Role Administrator'))).toBe(true);
    expect(gdapRoles.some((r) => r.every((x) => x === 'Global Reader' || x === 'Directory Readers'))).toBe(true);

    const invitation = findInvitationRelationship(w);
    expect(invitation?.status).toBe('approvalPending');
    expect(invitation?.customer?.tenantId).toBe(w.adminCenter.tenantId);
    expect(w.customers.find((c) => c.tenantId === w.adminCenter.tenantId)?.displayName).toBe(w.adminCenter.displayName);
  });
});
