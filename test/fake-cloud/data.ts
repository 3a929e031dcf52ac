/**
 * Deterministic world generator for the fake Microsoft cloud, plus the small date,
 * ISO 8601 duration and role-catalog helpers the fake Graph shares with it.
 *
 * `generateWorld({ customers, seed, now })` gives the same world for the same seed and
 * `now`. Customers cycle through every CustomerScenario twice before the rest are
 * drawn at random (weighted towards the common cases), so even 40 customers cover
 * every scenario at least twice. 10,000 customers take a few tens of milliseconds.
 */
import { readFileSync } from 'node:fs';
import type {
  AdminCenterPartner,
  CustomerScenario,
  FakeAccessAssignment,
  FakeCustomer,
  FakeOperation,
  FakeRelationship,
  FakeRelationshipRequest,
  FakeUser,
  GenerateOptions,
  World,
} from './model';
import { createPrng, type Prng } from './prng';

// ---------------------------------------------------------------------------
// Time and ISO 8601 durations
// ---------------------------------------------------------------------------

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Graph's date-time form: ISO 8601 UTC without milliseconds, e.g. 2024-05-01T10:00:00Z. */
export function isoDate(ms: number | Date): string {
  const d = typeof ms === 'number' ? new Date(ms) : ms;
  const y = d.getUTCFullYear();
  if (y < 1000 || y > 9999) return `${d.toISOString().slice(0, -5)}Z`;
  return `${y}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}Z`;
}

export interface IsoDuration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const DURATION_RE =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Parses an ISO 8601 duration (`P730D`, `P2Y`, `P1Y6M`, `PT0S`, `P1W` …); null when it is not one. */
export function parseIsoDuration(text: string): IsoDuration | null {
  const m = DURATION_RE.exec(text);
  if (!m) return null;
  const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]));
  return { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) };
}

/** Length of a duration in days, counting a year as 365 days and a month as 365/12 days (P2Y = P24M = 730). */
export function durationDays(d: IsoDuration): number {
  return (
    d.years * 365 + (d.months * 365) / 12 + d.weeks * 7 + d.days + d.hours / 24 + d.minutes / 1440 + d.seconds / 86_400
  );
}

/** Adds a duration to a time with calendar arithmetic for years and months (clamped to the month's end). */
export function addDuration(ms: number, d: IsoDuration, sign: 1 | -1 = 1): number {
  const date = new Date(ms);
  const totalMonths = sign * (d.years * 12 + d.months);
  if (totalMonths !== 0) {
    const day = date.getUTCDate();
    date.setUTCDate(1);
    date.setUTCMonth(date.getUTCMonth() + totalMonths);
    const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
    date.setUTCDate(Math.min(day, lastDay));
  }
  const rest =
    (d.weeks * 7 + d.days) * DAY_MS + d.hours * HOUR_MS + d.minutes * MINUTE_MS + Math.round(d.seconds * 1000);
  return date.getTime() + sign * rest;
}

/** `addDuration` for a duration string; throws on an invalid one (generator input only). */
export function addIsoDuration(ms: number, text: string, sign: 1 | -1 = 1): number {
  const d = parseIsoDuration(text);
  if (!d) throw new Error(`not an ISO 8601 duration: ${text}`);
  return addDuration(ms, d, sign);
}

// ---------------------------------------------------------------------------
// Entra role catalog
// ---------------------------------------------------------------------------

let roleCatalog: ReadonlyMap<string, string> | undefined;

/** All built-in Entra role template IDs → names, read from utils/gdap/data/entra-roles.json. */
export function entraRoles(): ReadonlyMap<string, string> {
  if (!roleCatalog) {
    const url = new URL('../../utils/gdap/data/entra-roles.json', import.meta.url);
    const parsed = JSON.parse(readFileSync(url, 'utf8')) as { roles: Array<{ id: string; name: string }> };
    roleCatalog = new Map(parsed.roles.map((r) => [r.id.toLowerCase(), r.name]));
  }
  return roleCatalog;
}

export const ROLE = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  directoryReaders: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
  directoryWriters: '9360feb5-f418-4baa-8175-e2a00bac4301',
  licenseAdministrator: '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
  serviceSupportAdministrator: 'f023fd81-a637-4b56-95fd-791ac0226033',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  privilegedAuthenticationAdministrator: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  cloudApplicationAdministrator: '158c047a-c907-4556-b7ef-446551a6b5f7',
  applicationAdministrator: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  exchangeAdministrator: '29232cdf-9323-42fd-ade2-1d097af3e4de',
  teamsAdministrator: '69091246-20e8-4a56-aa4d-066075b2a7a8',
  sharePointAdministrator: 'f28a1f50-f6e7-4571-818b-6a12f2af6b6c',
  securityAdministrator: '194ae4cb-b126-40b2-bd5b-6091b380977d',
  securityReader: '5d6b6bb7-de71-4623-b4af-96380a352509',
  intuneAdministrator: '3a2c62db-5318-420d-8d74-23affee5d9d5',
} as const;

/** The nine roles of Microsoft's default GDAP (R26). */
export const DEFAULT_GDAP_ROLES: readonly string[] = [
  ROLE.directoryReaders,
  ROLE.directoryWriters,
  ROLE.licenseAdministrator,
  ROLE.serviceSupportAdministrator,
  ROLE.userAdministrator,
  ROLE.privilegedRoleAdministrator,
  ROLE.helpdeskAdministrator,
  ROLE.privilegedAuthenticationAdministrator,
  ROLE.globalReader,
];

interface RoleSet {
  label: string;
  roles: readonly string[];
}

/** Role sets a partner really asks for. None of them includes Global Administrator. */
const ROLE_SETS: readonly RoleSet[] = [
  { label: 'Default', roles: DEFAULT_GDAP_ROLES },
  { label: 'DefaultApps', roles: [...DEFAULT_GDAP_ROLES, ROLE.cloudApplicationAdministrator, ROLE.applicationAdministrator] },
  { label: 'ReadOnly', roles: [ROLE.globalReader, ROLE.directoryReaders] },
  { label: 'Support', roles: [ROLE.serviceSupportAdministrator] },
  { label: 'Exchange', roles: [ROLE.exchangeAdministrator, ROLE.globalReader] },
  { label: 'Helpdesk', roles: [ROLE.helpdeskAdministrator, ROLE.userAdministrator, ROLE.directoryReaders] },
  { label: 'Security', roles: [ROLE.securityAdministrator, ROLE.securityReader, ROLE.globalReader] },
  { label: 'Collab', roles: [ROLE.teamsAdministrator, ROLE.sharePointAdministrator] },
  { label: 'Intune', roles: [ROLE.intuneAdministrator, ROLE.directoryReaders] },
];

const GA_ROLE_SETS: readonly RoleSet[] = [
  { label: 'GlobalAdmin', roles: [ROLE.globalAdministrator] },
  { label: 'GA_Exchange', roles: [ROLE.globalAdministrator, ROLE.exchangeAdministrator] },
  { label: 'MLT_GA', roles: [ROLE.globalAdministrator, ROLE.globalReader, ROLE.directoryReaders] },
];

// ---------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------

const COMPANY_BASES = [
  'Contoso', 'Fabrikam', 'Northwind Traders', 'Adventure Works', 'Tailspin Toys', 'Wingtip Toys', 'Litware',
  'Proseware', 'Woodgrove Bank', 'Alpine Ski House', 'Blue Yonder Airlines', 'Coho Winery', 'Fourth Coffee',
  'Lamna Healthcare', "Margie's Travel", 'Relecloud', 'Trey Research', 'Wide World Importers', 'VanArsdel',
  'Humongous Insurance', 'Graphic Design Institute', 'Munson’s Pickles and Preserves', 'Best For You Organics',
  'City Power & Light', 'Consolidated Messenger', 'A. Datum', 'Lucerne Publishing', 'Nod Publishers',
  'Southridge Video', 'Bellows College', 'First Up Consultants', 'Olympic Sports', 'Tailwind Traders',
  'School of Fine Art', 'Liberty Delightful Sinful Bakery', 'Baldwin Museum of Science', 'Adatum', 'Boulder Creek',
  'Hanson Brothers', 'Kallio Engineering', 'Mueller & Söhne', 'Østergaard Logistik', 'Café Lumière',
];
const COMPANY_SUFFIXES = ['Ltd', 'Inc.', 'GmbH', 'LLC', 'Co.', 'Group', 'Holdings', 'AG', 'Pty Ltd', 'S.A.', 'Corporation', ''];
const COMPANY_REGIONS = ['', '', '', 'Europe', 'North', 'Pacific', 'Americas', 'Nordic', 'Asia', 'West', 'East'];

const KOREAN_NAMES = ['주식회사 한빛소프트', '(주)새봄테크', '한울정밀 주식회사', '다온물산', '푸른바다 물류', '미래에셋클라우드 주식회사'];

/** A name of at least 300 characters. */
export const VERY_LONG_CUSTOMER_NAME =
  'Consolidated International Holdings of the Greater Metropolitan Area for Advanced Cloud Computing, ' +
  'Managed Security, Productivity Services, Long-Term Digital Preservation, Regional Logistics and Everything ' +
  'Else the Board Could Think Of During an Unusually Long Annual General Meeting, Incorporated and Subsidiaries ' +
  'Worldwide (Formerly Known As Something Much Shorter)';

/** Names that look like markup or script, or play tricks with text direction. They must show as text. */
export const HOSTILE_CUSTOMER_NAMES: readonly string[] = [
  '<img src=x onerror=alert(1)>',
  '"><script>alert(1)</script>',
  'Evil\u202Egnp.exe Trading', // right-to-left override
  '🚀 Rocket Startup 🦄 Ltd',
  "{{constructor.constructor('alert(1)')()}} Ltd",
  "Robert'); DROP TABLE customers;-- Inc.",
];

/** Special names placed at fixed customer indices (3, 7, 11, …) so that 40 customers contain all of them. */
const SPECIAL_NAMES: readonly string[] = [
  KOREAN_NAMES[0] as string,
  HOSTILE_CUSTOMER_NAMES[0] as string,
  KOREAN_NAMES[1] as string,
  VERY_LONG_CUSTOMER_NAME,
  HOSTILE_CUSTOMER_NAMES[1] as string,
  HOSTILE_CUSTOMER_NAMES[2] as string,
  HOSTILE_CUSTOMER_NAMES[3] as string,
  KOREAN_NAMES[2] as string,
  HOSTILE_CUSTOMER_NAMES[4] as string,
];

function asciiSlug(name: string, max: number): string {
  const ascii = /^[\x00-\x7f]*$/.test(name) ? name : name.normalize('NFKD');
  const slug = ascii
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, max);
  return slug || 'tenant';
}

// ---------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------

export const SCENARIOS: readonly CustomerScenario[] = [
  'active-auto-extend',
  'active-no-auto-extend',
  'active-global-admin',
  'expiring-1d',
  'expiring-7d',
  'expiring-30d',
  'pending-near-lapse',
  'pending-fresh',
  'created-not-locked',
  'expired',
  'terminated',
  'several-relationships',
  'no-security-group',
  'dap-only',
  'unknown-status',
];

/** Weights for customers after the first two full cycles (a realistic mix: mostly active). */
const SCENARIO_WEIGHTS: Readonly<Record<CustomerScenario, number>> = {
  'active-auto-extend': 30,
  'active-no-auto-extend': 15,
  'active-global-admin': 5,
  'expiring-1d': 2,
  'expiring-7d': 3,
  'expiring-30d': 5,
  'pending-near-lapse': 2,
  'pending-fresh': 3,
  'created-not-locked': 2,
  expired: 8,
  terminated: 5,
  'several-relationships': 8,
  'no-security-group': 3,
  'dap-only': 6,
  'unknown-status': 1,
};

/** The status value Graph may add later that the generator uses for 'unknown-status'. */
export const UNKNOWN_STATUS = 'somethingNewFromMicrosoft';
export const RESELLER_ODATA_TYPE = '#microsoft.graph.resellerDelegatedAdminRelationship';

// ---------------------------------------------------------------------------
// ETags
// ---------------------------------------------------------------------------

let etagCounter = 0;

/** An opaque ETag value shaped like Graph's (base64 of a quoted version string); stored without `W/"…"`. */
export function formatEtag(a: number, b: number): string {
  const inner = `'"${(a >>> 0).toString(16).padStart(8, '0')}-0000-0200-0000-${(b >>> 0).toString(16).padStart(12, '0')}"'`;
  return btoa(inner);
}

/** A fresh ETag for a write at run time (never equal to an earlier one in this process). */
export function newEtag(nowMs: number = Date.now()): string {
  etagCounter += 1;
  return formatEtag(0x10000000 + etagCounter, Math.floor(nowMs / 1000));
}

// ---------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------

interface Builder {
  prng: Prng;
  now: number;
  relationships: FakeRelationship[];
  accessAssignments: Map<string, FakeAccessAssignment[]>;
  requests: Map<string, FakeRelationshipRequest[]>;
  /** The partner's security groups; assignments reuse them as real partners do. */
  securityGroups: string[];
  indirectProviderTenantId: string;
  relationshipCounter: number;
  /** Rotates the representation of a date that is not set yet: null, missing, "". */
  unsetCounter: number;
  slugs: Map<string, string>;
}

interface RelationshipSpec {
  customer: FakeCustomer;
  roleSet: RoleSet;
  status: string;
  duration: string;
  autoExtendDuration: string;
  createdMs: number;
  activatedMs?: number;
  endMs?: number;
  /** 'rotate' = null, missing or "" in turn. */
  unsetDates?: 'rotate' | 'created-shape';
  partialCustomer?: boolean;
  reseller?: boolean;
  assignments?: boolean;
}

/** The customer part of generated relationship names: ASCII, or Hangul for Korean names. */
function relationshipSlug(b: Builder, name: string): string {
  let slug = b.slugs.get(name);
  if (slug === undefined) {
    slug = /[\uac00-\ud7a3]/.test(name) ? name.replace(/[^\uac00-\ud7a3]/g, '').slice(0, 8) : asciiSlug(name, 16);
    b.slugs.set(name, slug);
  }
  return slug;
}

function addRelationship(b: Builder, spec: RelationshipSpec): FakeRelationship {
  const { prng } = b;
  b.relationshipCounter += 1;
  const id = `${prng.guid()}-${prng.guid()}`;
  const slug = relationshipSlug(b, spec.customer.displayName);
  const displayName = `${spec.roleSet.label}_${slug}_${b.relationshipCounter}`.slice(0, 50);
  const lastModifiedMs = spec.endMs !== undefined && spec.endMs < b.now ? spec.endMs : (spec.activatedMs ?? spec.createdMs);
  const rel: FakeRelationship = {
    id,
    displayName,
    duration: spec.duration,
    customer: spec.partialCustomer
      ? { tenantId: spec.customer.tenantId }
      : { tenantId: spec.customer.tenantId, displayName: spec.customer.displayName },
    accessDetails: { unifiedRoles: spec.roleSet.roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
    autoExtendDuration: spec.autoExtendDuration,
    status: spec.status,
    createdDateTime: isoDate(spec.createdMs),
    lastModifiedDateTime: isoDate(lastModifiedMs),
    etag: formatEtag(prng.int(0, 0xffffffff), Math.floor(lastModifiedMs / 1000)),
  };
  if (spec.unsetDates === 'created-shape') {
    rel.activatedDateTime = null;
    rel.endDateTime = '';
  } else if (spec.unsetDates === 'rotate') {
    const form = b.unsetCounter++ % 3;
    if (form === 0) {
      rel.activatedDateTime = null;
      rel.endDateTime = null;
    } else if (form === 1) {
      // both missing: leave the properties out
    } else {
      rel.activatedDateTime = '';
      rel.endDateTime = '';
    }
  } else {
    rel.activatedDateTime = spec.activatedMs === undefined ? null : isoDate(spec.activatedMs);
    rel.endDateTime = spec.endMs === undefined ? null : isoDate(spec.endMs);
  }
  if (spec.reseller) {
    rel['@odata.type'] = RESELLER_ODATA_TYPE;
    rel.indirectProviderTenantId = b.indirectProviderTenantId;
    rel.isPartnerConsentPending = false;
  }
  b.relationships.push(rel);

  if (spec.assignments) {
    const roles = spec.roleSet.roles;
    const split = roles.length >= 2 && prng.chance(0.5) ? prng.int(1, roles.length - 1) : roles.length;
    const groups = prng.sample(b.securityGroups, 2);
    const parts = [roles.slice(0, split), roles.slice(split)].filter((p) => p.length > 0);
    const at = spec.activatedMs ?? spec.createdMs;
    b.accessAssignments.set(
      id,
      parts.map((part, i) => ({
        id: prng.guid(),
        accessContainer: { accessContainerId: groups[i] ?? prng.guid(), accessContainerType: 'securityGroup' as const },
        accessDetails: { unifiedRoles: part.map((roleDefinitionId) => ({ roleDefinitionId })) },
        status: 'active' as const,
        createdDateTime: isoDate(at + MINUTE_MS),
        lastModifiedDateTime: isoDate(at + 2 * MINUTE_MS),
        etag: formatEtag(prng.int(0, 0xffffffff), Math.floor(at / 1000)),
      })),
    );
  }

  const addRequest = (action: FakeRelationshipRequest['action'], atMs: number): void => {
    const list = b.requests.get(id) ?? [];
    list.push({
      id: prng.guid(),
      action,
      status: 'succeeded',
      createdDateTime: isoDate(atMs),
      lastModifiedDateTime: isoDate(atMs + 5000),
    });
    b.requests.set(id, list);
  };
  if (spec.status !== 'created') addRequest('lockForApproval', spec.createdMs + 10 * MINUTE_MS);
  if (spec.status === 'terminated' && spec.endMs !== undefined) addRequest('terminate', spec.endMs - 30 * 60_000);
  return rel;
}

const DAY_DURATIONS = ['P730D', 'P365D', 'P180D', 'P90D'] as const;
const ANY_DURATIONS = ['P730D', 'P2Y', 'P365D', 'P1Y6M', 'P180D', 'P730D', 'P90D'] as const;

/** An active relationship that started in the past and ends at least `minDaysLeft` days from now. */
function activeSpan(b: Builder, minDaysLeft: number): { duration: string; activatedMs: number; endMs: number } {
  const duration = b.prng.pick(ANY_DURATIONS);
  const days = Math.floor(durationDays(parseIsoDuration(duration) as IsoDuration));
  const maxAgo = Math.max(0, days - minDaysLeft - 1);
  const activatedMs = b.now - b.prng.int(0, maxAgo) * DAY_MS - b.prng.int(0, 23) * HOUR_MS;
  return { duration, activatedMs, endMs: addIsoDuration(activatedMs, duration) };
}

/** An active relationship ending exactly `leftMs` from now (day-based durations only). */
function endingIn(b: Builder, leftMs: number): { duration: string; activatedMs: number; endMs: number } {
  const duration = b.prng.pick(DAY_DURATIONS);
  const endMs = b.now + leftMs;
  return { duration, activatedMs: addIsoDuration(endMs, duration, -1), endMs };
}

function nonGaRoleSet(b: Builder): RoleSet {
  return b.prng.pick(ROLE_SETS);
}

function buildScenario(b: Builder, c: FakeCustomer, index: number): void {
  const { prng, now } = b;
  const reseller = index % 8 === 5;
  const created = (activatedMs: number): number => activatedMs - prng.int(1, 20) * DAY_MS - prng.int(0, 23) * HOUR_MS;
  const active = (
    span: { duration: string; activatedMs: number; endMs: number },
    roleSet: RoleSet,
    autoExtend: boolean,
    extra: Partial<RelationshipSpec> = {},
  ): void => {
    addRelationship(b, {
      customer: c,
      roleSet,
      status: 'active',
      duration: span.duration,
      autoExtendDuration: autoExtend ? 'P180D' : prng.pick(['PT0S', 'PT0S', 'P0D']),
      createdMs: created(span.activatedMs),
      activatedMs: span.activatedMs,
      endMs: span.endMs,
      reseller,
      assignments: true,
      ...extra,
    });
  };

  switch (c.scenario) {
    case 'active-auto-extend':
      active(activeSpan(b, 31), nonGaRoleSet(b), true);
      break;
    case 'active-no-auto-extend':
      active(activeSpan(b, 31), nonGaRoleSet(b), false);
      break;
    case 'active-global-admin':
      active(activeSpan(b, 31), prng.pick(GA_ROLE_SETS), false, { autoExtendDuration: 'PT0S' });
      break;
    case 'expiring-1d':
      active(endingIn(b, 12 * HOUR_MS + prng.int(-60, 60) * MINUTE_MS), nonGaRoleSet(b), false);
      break;
    case 'expiring-7d':
      active(endingIn(b, 5 * DAY_MS + prng.int(-12, 12) * HOUR_MS), nonGaRoleSet(b), false);
      break;
    case 'expiring-30d':
      active(endingIn(b, 20 * DAY_MS + prng.int(-48, 48) * HOUR_MS), nonGaRoleSet(b), false);
      break;
    case 'pending-near-lapse':
    case 'pending-fresh': {
      const ageMs =
        c.scenario === 'pending-near-lapse'
          ? prng.int(85, 89) * DAY_MS + prng.int(0, 20) * HOUR_MS
          : 2 * DAY_MS + prng.int(0, 6) * HOUR_MS;
      addRelationship(b, {
        customer: c,
        roleSet: prng.chance(0.15) ? prng.pick(GA_ROLE_SETS) : nonGaRoleSet(b),
        status: 'approvalPending',
        duration: prng.pick(ANY_DURATIONS),
        autoExtendDuration: 'PT0S',
        createdMs: now - ageMs,
        unsetDates: 'rotate',
        reseller,
      });
      break;
    }
    case 'created-not-locked':
      addRelationship(b, {
        customer: c,
        roleSet: nonGaRoleSet(b),
        status: 'created',
        duration: prng.pick(ANY_DURATIONS),
        autoExtendDuration: prng.pick(['PT0S', 'P180D']),
        createdMs: now - prng.int(0, 10) * DAY_MS - prng.int(1, 23) * HOUR_MS,
        unsetDates: 'created-shape',
        partialCustomer: true,
      });
      break;
    case 'expired': {
      const duration = prng.pick(DAY_DURATIONS);
      const endMs = now - prng.int(10, 300) * DAY_MS - prng.int(0, 23) * HOUR_MS;
      const activatedMs = addIsoDuration(endMs, duration, -1);
      addRelationship(b, {
        customer: c,
        roleSet: nonGaRoleSet(b),
        status: 'expired',
        duration,
        autoExtendDuration: 'PT0S',
        createdMs: created(activatedMs),
        activatedMs,
        endMs,
        reseller,
      });
      break;
    }
    case 'terminated': {
      const duration = prng.pick(ANY_DURATIONS);
      const activatedMs = now - prng.int(30, 500) * DAY_MS;
      const plannedEnd = addIsoDuration(activatedMs, duration);
      const endMs = Math.min(plannedEnd - DAY_MS, now - prng.int(1, 200) * DAY_MS);
      addRelationship(b, {
        customer: c,
        roleSet: nonGaRoleSet(b),
        status: 'terminated',
        duration,
        autoExtendDuration: prng.pick(['PT0S', 'P180D']),
        createdMs: created(activatedMs),
        activatedMs,
        endMs: Math.max(endMs, activatedMs + DAY_MS),
        reseller,
      });
      break;
    }
    case 'several-relationships': {
      const sets = prng.sample(ROLE_SETS, 3);
      active(activeSpan(b, 60), sets[0] ?? ROLE_SETS[0]!, true);
      active(endingIn(b, prng.int(10, 25) * DAY_MS), sets[1] ?? ROLE_SETS[2]!, false, { reseller: false });
      if (prng.chance(0.6)) {
        addRelationship(b, {
          customer: c,
          roleSet: sets[2] ?? ROLE_SETS[3]!,
          status: 'approvalPending',
          duration: 'P730D',
          autoExtendDuration: 'PT0S',
          createdMs: now - prng.int(3, 40) * DAY_MS,
          unsetDates: 'rotate',
        });
      }
      break;
    }
    case 'no-security-group':
      active(activeSpan(b, 31), nonGaRoleSet(b), prng.chance(0.5), { assignments: false });
      break;
    case 'dap-only':
      break;
    case 'unknown-status': {
      const span = activeSpan(b, 31);
      addRelationship(b, {
        customer: c,
        roleSet: nonGaRoleSet(b),
        status: UNKNOWN_STATUS,
        duration: span.duration,
        autoExtendDuration: 'PT0S',
        createdMs: created(span.activatedMs),
        activatedMs: span.activatedMs,
        endMs: span.endMs,
      });
      break;
    }
  }
}

function pickWeightedScenario(prng: Prng): CustomerScenario {
  let total = 0;
  for (const s of SCENARIOS) total += SCENARIO_WEIGHTS[s];
  let r = prng.next() * total;
  for (const s of SCENARIOS) {
    r -= SCENARIO_WEIGHTS[s];
    if (r < 0) return s;
  }
  return 'active-auto-extend';
}

function customerName(prng: Prng, index: number, used: Map<string, number>): string {
  const special = index >= 3 && (index - 3) % 4 === 0 ? SPECIAL_NAMES[(index - 3) / 4] : undefined;
  let name: string;
  if (special !== undefined) name = special;
  else if (index >= 40 && prng.chance(0.03)) name = prng.pick(KOREAN_NAMES);
  else if (index >= 40 && prng.chance(0.004)) name = prng.pick(HOSTILE_CUSTOMER_NAMES);
  else {
    const region = prng.pick(COMPANY_REGIONS);
    const suffix = prng.pick(COMPANY_SUFFIXES);
    name = [prng.pick(COMPANY_BASES), region, suffix].filter(Boolean).join(' ');
  }
  // Base names repeat; numbering them keeps every customer name unique ("Contoso Ltd 2").
  const seen = used.get(name);
  used.set(name, (seen ?? 0) + 1);
  if (seen === undefined) return name;
  let n = seen + 1;
  while (used.has(`${name} ${n}`)) n++;
  const unique = `${name} ${n}`;
  used.set(unique, 1);
  return unique;
}

/** Builds a world. Same `seed` and `now` → the same world. */
export function generateWorld(opts: GenerateOptions): World {
  const count = Math.max(0, Math.floor(opts.customers));
  const seed = opts.seed ?? 1;
  const nowDate = opts.now ?? new Date();
  const now = nowDate.getTime();
  const prng = createPrng(seed);

  const partnerTenantId = prng.guid();
  const partner = { tenantId: partnerTenantId, displayName: 'Contoso Cloud Partners', locationId: String(prng.int(1_000_000, 9_999_999)) };
  const partnerDomain = 'contosocloudpartners.onmicrosoft.com';
  const users: FakeUser[] = [
    { objectId: prng.guid(), displayName: 'Avery Admin', userPrincipalName: `avery.admin@${partnerDomain}`, isAdminAgent: true },
    { objectId: prng.guid(), displayName: 'Nico Nonagent', userPrincipalName: `nico.nonagent@${partnerDomain}`, isAdminAgent: false },
  ];

  const b: Builder = {
    prng,
    now,
    relationships: [],
    accessAssignments: new Map(),
    requests: new Map(),
    securityGroups: Array.from({ length: 6 }, () => prng.guid()),
    indirectProviderTenantId: prng.guid(),
    relationshipCounter: 0,
    unsetCounter: 0,
    slugs: new Map(),
  };

  const customers: FakeCustomer[] = [];
  const usedNames = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const scenario = i < SCENARIOS.length * 2 ? (SCENARIOS[i % SCENARIOS.length] as CustomerScenario) : pickWeightedScenario(prng);
    const tenantId = prng.guid();
    const displayName = customerName(prng, i, usedNames);
    const customer: FakeCustomer = {
      id: tenantId,
      tenantId,
      displayName,
      domain: `${asciiSlug(displayName, 12)}${100 + i}.onmicrosoft.com`,
      scenario,
      hasDap: scenario === 'dap-only' || i % 10 === 1 || (i >= 40 && prng.chance(0.08)),
      isResellerCustomer: scenario === 'dap-only' || i % 9 !== 4,
    };
    customers.push(customer);
    buildScenario(b, customer, i);
  }

  const operations = new Map<string, FakeOperation[]>();
  const world: World = {
    now: new Date(now),
    partner,
    users,
    customers,
    relationships: b.relationships,
    accessAssignments: b.accessAssignments,
    requests: b.requests,
    operations,
    adminCenter: { tenantId: '', displayName: '', partners: [] },
  };
  world.adminCenter = buildAdminCenter(world, prng);
  return world;
}

/**
 * The approvalPending relationship whose customer is the admin center's tenant: the
 * invitation the fake admin center lets the customer approve (undefined for tiny worlds).
 */
export function findInvitationRelationship(world: World): FakeRelationship | undefined {
  return world.relationships.find(
    (r) => r.status === 'approvalPending' && r.customer?.tenantId === world.adminCenter.tenantId,
  );
}

/** The customer's admin center: its tenant is the customer of the first fresh invitation. */
function buildAdminCenter(world: World, prng: Prng): World['adminCenter'] {
  const plain = (c: FakeCustomer): boolean => !SPECIAL_NAMES.includes(c.displayName) && !HOSTILE_CUSTOMER_NAMES.includes(c.displayName);
  const pendingCustomer =
    world.customers.find((c) => c.scenario === 'pending-fresh' && plain(c)) ??
    world.customers.find((c) => c.scenario === 'pending-fresh') ??
    world.customers.find((c) => world.relationships.some((r) => r.status === 'approvalPending' && r.customer?.tenantId === c.tenantId)) ??
    world.customers[0];
  const tenantId = pendingCustomer?.tenantId ?? prng.guid();
  const displayName = pendingCustomer?.displayName ?? 'Fabrikam Customer Ltd';
  const now = world.now.getTime();
  const end = (days: number): string => isoDate(now + days * DAY_MS);
  const partners: AdminCenterPartner[] = [
    {
      id: prng.guid(),
      displayName: 'Northwind IT Services',
      relationshipTypes: ['Reseller', 'Delegated admin (DAP)'],
      roles: ['Global Administrator'],
    },
    {
      id: prng.guid(),
      displayName: 'Woodgrove Managed Cloud',
      relationshipTypes: ['Reseller', 'Delegated admin (DAP)', 'Granular delegated admin (GDAP)'],
      roles: ['Global Administrator', 'Exchange Administrator', 'Global Reader'],
      gdapEndDateTime: end(240),
      gdapRelationshipName: 'Woodgrove_Exchange_2024',
    },
    {
      id: prng.guid(),
      displayName: 'Fabrikam Security Partners',
      relationshipTypes: ['Granular delegated admin (GDAP)'],
      roles: ['Global Administrator'],
      gdapEndDateTime: end(5),
      gdapRelationshipName: 'Fabrikam_GA_Onboarding',
    },
    {
      id: prng.guid(),
      displayName: 'Tailspin Cloud Operations',
      relationshipTypes: ['Granular delegated admin (GDAP)', 'Microsoft Partner Agreement'],
      roles: ['Privileged Role Administrator', 'Privileged Authentication Administrator', 'User Administrator', 'Helpdesk Administrator'],
      gdapEndDateTime: end(400),
      gdapRelationshipName: 'Tailspin_Default_GDAP',
    },
    {
      id: prng.guid(),
      displayName: 'Litware Audit & Compliance',
      relationshipTypes: ['Granular delegated admin (GDAP)'],
      roles: ['Global Reader', 'Directory Readers'],
      gdapEndDateTime: end(25),
      gdapRelationshipName: 'Litware_ReadOnly',
    },
    {
      id: prng.guid(),
      displayName: 'Proseware Licensing',
      relationshipTypes: ['Reseller'],
      roles: [],
    },
    {
      id: prng.guid(),
      displayName: '주식회사 클라우드브릿지',
      relationshipTypes: ['Reseller', 'Granular delegated admin (GDAP)'],
      roles: ['Service Support Administrator', 'Helpdesk Administrator'],
      gdapEndDateTime: end(600),
      gdapRelationshipName: '클라우드브릿지_지원',
    },
    {
      id: prng.guid(),
      displayName: '<img src=x onerror=alert(1)> Partners',
      relationshipTypes: ['Granular delegated admin (GDAP)'],
      roles: ['Exchange Administrator', 'Teams Administrator'],
      gdapEndDateTime: end(90),
      gdapRelationshipName: '"><script>alert(1)</script>',
    },
  ];
  return { tenantId, displayName, partners };
}

// ---------------------------------------------------------------------------
// Hostile names planted on purpose (reliability tests)
// ---------------------------------------------------------------------------

/** The global a hostile name's script sets if it ever runs: tests read it in the page. */
export const SCRIPT_RAN_FLAG = '__gdapScriptRan';

/** 5,000 characters without a space: the worst case for a layout. */
export const NAME_5000 = Array.from({ length: 500 }, (_, i) => `Abcdefghi${i % 10}`).join('');

/**
 * Names that run script if anything renders them as markup (each sets {@link SCRIPT_RAN_FLAG}),
 * turn text around (U+202E), are 5,000 characters long, or are emoji ZWJ sequences.
 */
export const SCRIPT_PROBE_NAMES: readonly string[] = [
  `<img src=x onerror="window.${SCRIPT_RAN_FLAG}='img'">`,
  `"><script>window.${SCRIPT_RAN_FLAG}='script'</script>`,
  `<svg/onload="window.${SCRIPT_RAN_FLAG}='svg'"> Ltd`,
  'Evil\u202Egnp.exe Trading',
  NAME_5000,
  '👨‍👩‍👧‍👦 Family Office 🏳️‍🌈 👩🏽‍💻 Ltd',
];

export interface PlantedNames {
  /** Customers renamed, each to SCRIPT_PROBE_NAMES[i]; their relationships carry the same name. */
  customers: FakeCustomer[];
  relationships: FakeRelationship[];
  /** Admin center partners renamed (and their GDAP relationship names). */
  partners: AdminCenterPartner[];
}

/**
 * Plants {@link SCRIPT_PROBE_NAMES} in a generated world, in place: on customers with an
 * active relationship ending within 30 days without auto-extend (so they also show in the
 * popup's expiring list) and on those relationships, on the admin center's partners, and as
 * the partner's own name (the approval page shows it). Call before anything reads the world.
 */
export function plantHostileNames(world: World): PlantedNames {
  const now = world.now.getTime();
  const planted: PlantedNames = { customers: [], relationships: [], partners: [] };
  const taken = new Set<string>();
  for (const rel of world.relationships) {
    if (planted.customers.length === SCRIPT_PROBE_NAMES.length) break;
    const tenantId = rel.customer?.tenantId;
    const end = rel.endDateTime ? Date.parse(rel.endDateTime) : NaN;
    if (!tenantId || taken.has(tenantId) || rel.status !== 'active' || rel.autoExtendDuration !== 'PT0S') continue;
    if (!(end > now && end - now <= 30 * DAY_MS)) continue;
    const customer = world.customers.find((c) => c.tenantId === tenantId);
    if (!customer) continue;
    const name = SCRIPT_PROBE_NAMES[planted.customers.length] as string;
    taken.add(tenantId);
    customer.displayName = name;
    planted.customers.push(customer);
    for (const r of world.relationships) {
      if (r.customer?.tenantId !== tenantId) continue;
      r.customer.displayName = name;
      r.displayName = name;
      planted.relationships.push(r);
    }
  }
  world.adminCenter.partners.forEach((p, i) => {
    const name = SCRIPT_PROBE_NAMES[i % SCRIPT_PROBE_NAMES.length] as string;
    p.displayName = name;
    if (p.gdapRelationshipName !== undefined) p.gdapRelationshipName = name;
    planted.partners.push(p);
  });
  world.partner.displayName = SCRIPT_PROBE_NAMES[0] as string;
  const invitation = findInvitationRelationship(world);
  if (invitation) {
    invitation.displayName = SCRIPT_PROBE_NAMES[1] as string;
    planted.relationships.push(invitation);
  }
  return planted;
}
