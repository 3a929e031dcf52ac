/**
 * The admin center content script checks the background's answers with small guards
 * (utils/messaging/shape.ts, utils/portals/admin-answers.ts) instead of valibot. They must
 * accept exactly what the answers' valibot schemas (protocol.ts ANSWERS) accept: checked on
 * arbitrary values and on well-formed answers with one part replaced by anything.
 */
import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ANSWERS } from '@/utils/messaging/protocol';
import { isInvitationView, isPartnersAnalysis } from '@/utils/portals/admin-answers';
import { RISK_REASONS } from '@/utils/portals/admin-model';

const RISKS = ['high', 'medium', 'low', 'none'] as const;
const names = fc.array(fc.string(), { maxLength: 4 });
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });

const partnersAnalysis = fc.record({
  partners: fc.array(
    fc.record({
      types: fc.record({ reseller: fc.boolean(), dap: fc.boolean(), gdap: fc.boolean() }),
      roleCount: fc.nat(),
      gdapEnd: maybe(fc.string()),
      risk: fc.constantFrom(...RISKS),
      reasons: fc.array(fc.constantFrom(...RISK_REASONS), { maxLength: 4 }),
      privilegedRoles: names,
      roles: fc.record({ privileged: names, other: names }),
    }),
    { maxLength: 3 },
  ),
  summary: fc.record({ total: fc.nat(), withAdminAccess: fc.nat(), viaDap: fc.nat(), withGlobalAdmin: fc.nat() }),
});

const invitationView = maybe(
  fc.record({
    roles: fc.array(
      fc.record({ id: maybe(fc.string()), name: fc.string(), risk: fc.constantFrom('high', 'medium', 'low'), explanationKey: fc.string() }),
      { maxLength: 3 },
    ),
    durationDays: maybe(fc.double({ noNaN: true })),
    endDate: maybe(fc.string()),
    autoExtend: maybe(fc.constantFrom('on', 'off', 'not-allowed')),
    exceeds: fc.array(fc.record({ presetId: fc.constantFrom('read-only', 'support-tickets'), extraRoleIds: names }), { maxLength: 2 }),
  }),
);

/** Every path to a value inside `x` (the root included). */
function paths(x: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  const out = [at];
  if (x && typeof x === 'object') for (const [k, child] of Object.entries(x)) out.push(...paths(child, [...at, Array.isArray(x) ? Number(k) : k]));
  return out;
}

/** `x` with the value at one of its paths replaced. */
function replaced(x: unknown, pick: number, value: unknown): unknown {
  const all = paths(x);
  const path = all[pick % all.length]!;
  if (path.length === 0) return value;
  const copy = structuredClone(x) as Record<string | number, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
  return copy;
}

const anything = fc.oneof(fc.anything({ withNullPrototype: true, withObjectString: true }), fc.jsonValue(), fc.constantFrom(undefined, null, NaN, -1, 1.5, '', 'high', [], {}));

describe.each([
  ['analyzePartners', isPartnersAnalysis, ANSWERS.analyzePartners, partnersAnalysis],
  ['analyzeInvitation', isInvitationView, ANSWERS.analyzeInvitation, invitationView],
] as const)('the %s guard and its valibot schema', (_name, guard, schema, valid) => {
  const agree = (x: unknown): void => {
    expect(guard(x), String(JSON.stringify(x))).toBe(v.safeParse(schema as v.GenericSchema, x).success);
  };

  it('accept every well-formed answer', () => {
    fc.assert(
      fc.property(valid, (x) => {
        expect(guard(x)).toBe(true);
        agree(x);
      }),
      { numRuns: 300 },
    );
  });

  it('agree on anything at all', () => {
    fc.assert(fc.property(anything, agree), { numRuns: 500 });
  });

  it('agree on a well-formed answer with one part replaced by anything', () => {
    fc.assert(
      fc.property(valid, fc.nat(), anything, (x, pick, value) => {
        agree(replaced(x, pick, value));
      }),
      { numRuns: 1000 },
    );
  });
});
