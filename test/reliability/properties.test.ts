/**
 * Property-based tests (fast-check), counted in runs. They extend what test/unit already
 * proves (gdap-duration: round trips and "never throws" of the parser; gdap-state: kind
 * consistency; gdap-schema: "never throws" on arbitrary JSON) with the properties the
 * reliability issue asks for: R3 at the boundary, totality and monotony of the state
 * model over arbitrary relationships and dates, and "accepted ⇒ the TypeScript shape".
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysToDuration, durationToDays, formatDuration, parseDuration } from '@/utils/gdap/duration';
import { MAX_DURATION_DAYS, validateDuration } from '@/utils/gdap/rules';
import { relationshipState, type RelationshipKind } from '@/utils/gdap/state';
import {
  parseAccessAssignmentPage,
  parseCustomer,
  parseRelationship,
  parseRelationshipPage,
  RELATIONSHIP_STATUSES,
  type Relationship,
} from '@/utils/gdap/schema';
import { tried } from './tally';

const RUNS = 500;
const DAY = 86_400_000;

/** Runs a property and counts its runs in the tally. */
function check<T>(what: string, arb: fc.Arbitrary<T>, predicate: (value: T) => boolean | void, runs = RUNS): void {
  let n = 0;
  fc.assert(
    fc.property(arb, (value) => {
      n++;
      return predicate(value);
    }),
    { numRuns: runs },
  );
  tried('properties', what, n);
}

const KINDS: RelationshipKind[] = ['none', 'pending', 'active', 'expiring', 'expired', 'terminated', 'unknown'];

// ---------------------------------------------------------------------------
// Duration (R3)
// ---------------------------------------------------------------------------

describe('duration parser and R3', () => {
  it('whole days 1–730 are accepted, as a number, a digit string and ISO P<n>D; the days round-trip', () => {
    check('duration: 1–730 days accepted in every form', fc.integer({ min: 1, max: MAX_DURATION_DAYS }), (n) => {
      for (const input of [n, String(n), `P${n}D`, ` P${n}D `]) {
        const r = validateDuration(input);
        expect(r.ok, String(input)).toBe(true);
        if (r.ok) {
          expect(r.days).toBe(n);
          expect(durationToDays(parseDuration(r.duration)!)).toBe(n);
        }
      }
      expect(parseDuration(daysToDuration(n))).not.toBeNull();
    });
  });

  it('anything longer than 730 days (2 years) or shorter than one day is refused, whatever the notation', () => {
    const tooLong = fc.oneof(
      fc.integer({ min: MAX_DURATION_DAYS + 1, max: 1e9 }).map((d) => `P${d}D`),
      fc.integer({ min: MAX_DURATION_DAYS + 1, max: 1e9 }),
      fc.integer({ min: 3, max: 1000 }).map((y) => `P${y}Y`),
      fc.integer({ min: 25, max: 10_000 }).map((m) => `P${m}M`),
      fc.integer({ min: 105, max: 10_000 }).map((w) => `P${w}W`),
      fc.integer({ min: MAX_DURATION_DAYS * 24 + 1, max: 1e8 }).map((h) => `PT${h}H`),
      fc.constantFrom('P2Y1D', 'P1Y366D', 'P731D', 'P24M11D'),
    );
    check('duration: > 730 days refused', tooLong, (input) => {
      expect(validateDuration(input).ok, String(input)).toBe(false);
    });
    const tooShort = fc.oneof(fc.constantFrom(0, '0', 'P0D', 'PT0S', 'PT23H', 'PT1439M'), fc.double({ min: -1e6, max: 0.999, noNaN: true }));
    check('duration: < 1 day refused', tooShort, (input) => {
      expect(validateDuration(input).ok, String(input)).toBe(false);
    });
  });

  it('never throws on any string or value, and what it accepts formats back to a parseable duration', () => {
    const input = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.stringMatching(/^P(\d{0,4}[YMWD]){0,4}(T(\d{0,4}[HMS]){0,3})?$/),
      fc.anything(),
    );
    check('duration: parse/validate never throw', input, (s) => {
      const parsed = parseDuration(s);
      if (parsed !== null) {
        expect(parseDuration(formatDuration(parsed))).not.toBeNull();
        expect(Number.isFinite(durationToDays(parsed))).toBe(true);
      }
      if (typeof s === 'string' || typeof s === 'number') {
        const r = validateDuration(s);
        if (r.ok) {
          expect(r.days).toBeGreaterThanOrEqual(1);
          expect(r.days).toBeLessThanOrEqual(MAX_DURATION_DAYS);
        }
      }
    });
  });
});

// ---------------------------------------------------------------------------
// State model
// ---------------------------------------------------------------------------

const isoOrJunk = fc.oneof(
  fc.date({ min: new Date('2015-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(null, '', 'not a date', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z'),
);

const relationshipArb: fc.Arbitrary<Relationship> = fc.record({
  id: fc.uuid(),
  displayName: fc.string({ maxLength: 20 }),
  status: fc.constantFrom(...RELATIONSHIP_STATUSES, 'unknown' as const),
  rawStatus: fc.string({ maxLength: 10 }),
  duration: fc.constantFrom(null, 'P730D', 'P90D', 'P1D', 'P2Y', 'garbage', 'PT0S'),
  autoExtendDuration: fc.constantFrom(null, 'PT0S', 'P0D', 'P180D', 'nonsense'),
  customer: fc.record({ tenantId: fc.option(fc.uuid(), { nil: null }), displayName: fc.option(fc.string({ maxLength: 10 }), { nil: null }) }),
  roleIds: fc.array(fc.constantFrom('62e90394-69f5-4237-9190-012177145e10', 'f2ef992c-3afb-46b9-b7cf-a126ee74c451', 'junk'), { maxLength: 3 }),
  createdDateTime: isoOrJunk,
  lastModifiedDateTime: isoOrJunk,
  activatedDateTime: isoOrJunk,
  endDateTime: isoOrJunk,
  etag: fc.constant(null),
  odataType: fc.constant(null),
  isReseller: fc.boolean(),
  indirectProviderTenantId: fc.constant(null),
  isPartnerConsentPending: fc.constant(null),
}) as fc.Arbitrary<Relationship>;

const assignmentsArb = fc.option(fc.array(fc.record({ status: fc.constantFrom('active', 'pending', 'deleted', 'error', 'unknown') as fc.Arbitrary<'active'> }), { maxLength: 3 }), { nil: undefined });
const nowArb = fc.date({ min: new Date('2014-01-01'), max: new Date('2036-01-01'), noInvalidDate: true });

describe('state model', () => {
  it('is total: any relationship at any date gives a known kind, no NaN, days only where they belong', () => {
    check('state: total over arbitrary relationships and dates', fc.tuple(relationshipArb, assignmentsArb, nowArb), ([rel, assignments, now]) => {
      const s = relationshipState(rel, assignments, now);
      expect(KINDS).toContain(s.kind);
      if (s.daysLeft !== null) expect(Number.isInteger(s.daysLeft)).toBe(true);
      expect(JSON.stringify(s)).not.toMatch(/NaN|Infinity|Invalid Date/);
      if (s.endDate !== null) expect(Number.isNaN(Date.parse(s.endDate))).toBe(false);
      if (s.kind === 'expired' || s.kind === 'terminated' || s.kind === 'unknown') expect(s.daysLeft).toBeNull();
    });
  });

  it('days left never increase as time goes on (without auto-extend: with it, the end moves on by design, R4)', () => {
    check(
      'state: days left monotone in time',
      fc.tuple(relationshipArb, nowArb, fc.integer({ min: 0, max: 800 * DAY })),
      ([rel, now, later]) => {
        const a = relationshipState(rel, undefined, now);
        const b = relationshipState(rel, undefined, new Date(now.getTime() + later));
        if (a.autoExtend === 'on' || b.autoExtend === 'on') return;
        if (a.daysLeft !== null && b.daysLeft !== null && a.kind === b.kind) expect(b.daysLeft).toBeLessThanOrEqual(a.daysLeft);
      },
    );
  });

  it('once ended (expired, terminated), it stays ended at every later date', () => {
    check(
      'state: ended stays ended',
      fc.tuple(relationshipArb, nowArb, fc.integer({ min: 0, max: 3000 * DAY })),
      ([rel, now, later]) => {
        const a = relationshipState(rel, undefined, now);
        if (a.kind !== 'expired' && a.kind !== 'terminated') return;
        const b = relationshipState(rel, undefined, new Date(now.getTime() + later));
        expect(['expired', 'terminated']).toContain(b.kind);
      },
    );
  });
});

// ---------------------------------------------------------------------------
// Validation of Graph answers
// ---------------------------------------------------------------------------

/** The TypeScript shape of Relationship, checked at run time. */
function expectRelationshipShape(r: Relationship): void {
  const strOrNull = (x: unknown) => x === null || typeof x === 'string';
  expect(typeof r.id === 'string' && r.id.length > 0).toBe(true);
  expect(typeof r.displayName).toBe('string');
  expect([...RELATIONSHIP_STATUSES, 'unknown']).toContain(r.status);
  expect(typeof r.rawStatus).toBe('string');
  for (const k of ['duration', 'autoExtendDuration', 'createdDateTime', 'lastModifiedDateTime', 'activatedDateTime', 'endDateTime', 'etag', 'odataType', 'indirectProviderTenantId'] as const) {
    expect(strOrNull(r[k]), k).toBe(true);
  }
  expect(strOrNull(r.customer.tenantId) && strOrNull(r.customer.displayName)).toBe(true);
  expect(Array.isArray(r.roleIds) && r.roleIds.every((x) => typeof x === 'string' && x === x.toLowerCase())).toBe(true);
  expect(new Set(r.roleIds).size).toBe(r.roleIds.length);
  expect(typeof r.isReseller).toBe('boolean');
  expect(r.isPartnerConsentPending === null || typeof r.isPartnerConsentPending === 'boolean').toBe(true);
}

const graphRelationshipJson = fc.record(
  {
    id: fc.oneof(fc.uuid(), fc.string({ maxLength: 5 }), fc.integer(), fc.constant(null)),
    displayName: fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.constant(null)),
    status: fc.oneof(fc.constantFrom(...RELATIONSHIP_STATUSES, 'unknownFutureValue', 'brandNew'), fc.integer()),
    duration: fc.oneof(fc.constantFrom('P730D', 'P2Y', 'bad'), fc.integer()),
    autoExtendDuration: fc.constantFrom('PT0S', 'P180D', 5, null),
    customer: fc.oneof(fc.record({ tenantId: fc.oneof(fc.uuid(), fc.integer()), displayName: fc.string({ maxLength: 8 }) }, { requiredKeys: [] }), fc.constant(null), fc.string()),
    accessDetails: fc.oneof(fc.record({ unifiedRoles: fc.array(fc.oneof(fc.record({ roleDefinitionId: fc.oneof(fc.uuid(), fc.integer()) }), fc.anything()), { maxLength: 3 }) }), fc.anything()),
    createdDateTime: isoOrJunk,
    endDateTime: fc.oneof(isoOrJunk, fc.integer()),
    '@odata.etag': fc.oneof(fc.string({ maxLength: 8 }), fc.integer()),
    '@odata.type': fc.constantFrom('#microsoft.graph.delegatedAdminRelationship', '#microsoft.graph.resellerDelegatedAdminRelationship', 7),
    isPartnerConsentPending: fc.oneof(fc.boolean(), fc.string({ maxLength: 3 })),
    __proto__: fc.constant({ polluted: true }),
  },
  { requiredKeys: [] },
);

describe('Graph answer validation', () => {
  it('arbitrary JSON: never throws; anything accepted has the TypeScript shape', () => {
    check('schema: arbitrary JSON never throws, accepted ⇒ shape', fc.oneof(fc.jsonValue(), fc.anything(), graphRelationshipJson), (json) => {
      const r = parseRelationship(json);
      if (r.ok) expectRelationshipShape(r.value);
      else expect(r.issues.length).toBeGreaterThan(0);
      const c = parseCustomer(json);
      if (c.ok) expect(typeof c.value.id).toBe('string');
    });
  });

  it('relationship-shaped JSON with wrong field types: accepted only with a string id and string (or missing) core fields', () => {
    check('schema: accepted only when well-formed', graphRelationshipJson, (json) => {
      const r = parseRelationship(json);
      const j = json as Record<string, unknown>;
      const wellFormedCore =
        typeof j.id === 'string' && j.id !== '' && (j.displayName == null || typeof j.displayName === 'string') && (j.status == null || typeof j.status === 'string');
      if (r.ok) {
        expect(wellFormedCore).toBe(true);
        expectRelationshipShape(r.value);
        expect(r.value.id).toBe(j.id);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  it('a page of arbitrary items: never throws; kept + skipped = items; every kept item has the shape', () => {
    const page = fc.record({ value: fc.array(fc.oneof(graphRelationshipJson, fc.anything()), { maxLength: 8 }), '@odata.nextLink': fc.option(fc.webUrl(), { nil: undefined }) });
    check('schema: pages of arbitrary items', page, (json) => {
      const r = parseRelationshipPage(json);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.value.items.length + r.value.skipped).toBe(json.value.length);
      r.value.items.forEach(expectRelationshipShape);
      expect(parseAccessAssignmentPage(json).ok).toBe(true);
    });
    check('schema: non-pages refused without throwing', fc.oneof(fc.jsonValue(), fc.record({ value: fc.oneof(fc.string(), fc.integer(), fc.object()) })), (json) => {
      const r = parseRelationshipPage(json);
      if (r.ok) expect(Array.isArray((json as { value?: unknown })?.value)).toBe(true);
    });
  });
});
