/**
 * What an inline badge's pill shows, as the background sends it to a content script.
 * The background computes it (utils/portals/badge-model.ts, with the rules and the state
 * model); the page only reads it. A whole partner's customers travel at once in the badge
 * index (`getBadgeIndex`), so each pill goes as a short tuple, not an object: about a third
 * of the bytes to send, parse and keep in every Partner Center tab.
 */

export type PillState = 'none' | 'pending' | 'active' | 'expiring' | 'expired' | 'terminated' | 'unknown';
export type PillTone = 'ok' | 'warn' | 'danger' | 'muted';
export type PillAutoExtend = 'on' | 'off' | 'not-allowed';

/** The part of a badge model the pill reads (BadgeModel is one). */
export interface Pill {
  state: PillState;
  /** Whole days to the date that matters (see BadgeModel.daysLeft); null where none applies. */
  daysLeft: number | null;
  autoExtend: PillAutoExtend | null;
  roleCount: number;
  /** R16: in force, but no security group is assigned. */
  noSecurityGroup: boolean;
  tone: PillTone;
  relationshipCount: number;
}

/** A pill on the wire: [state, daysLeft, autoExtend, roleCount, noSecurityGroup (0/1), tone, relationshipCount]. */
export type PillCode = [PillState, number | null, PillAutoExtend | null, number, 0 | 1, PillTone, number];

/** Every customer's (or relationship's) pill, keyed as the cache keys them. */
export interface BadgeIndex {
  /** Customers by lower-case tenant id; relationships by id. */
  entries: Record<string, PillCode>;
  /** What a key the cache does not hold shows (a customer without GDAP); null: no badge. */
  absent: PillCode | null;
}

/** Past this many entries the index is not sent; the badges ask per batch instead. */
export const BADGE_INDEX_MAX = 50_000;

export const encodePill = (p: Pill): PillCode => [
  p.state,
  p.daysLeft,
  p.autoExtend,
  p.roleCount,
  p.noSecurityGroup ? 1 : 0,
  p.tone,
  p.relationshipCount,
];

const STATES: ReadonlySet<unknown> = new Set(['none', 'pending', 'active', 'expiring', 'expired', 'terminated', 'unknown']);
const TONES: ReadonlySet<unknown> = new Set(['ok', 'warn', 'danger', 'muted']);
const AUTO: ReadonlySet<unknown> = new Set(['on', 'off', 'not-allowed', null]);
const count = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;

/** A pill from the wire; null for anything that is not one (never throws). */
export function decodePill(code: unknown): Pill | null {
  if (!Array.isArray(code) || code.length !== 7) return null;
  // Read by index: destructuring walks the array's iterator, slow in code run once per row.
  const state: unknown = code[0];
  const days: unknown = code[1];
  const auto: unknown = code[2];
  const roles: unknown = code[3];
  const noGroup: unknown = code[4];
  const tone: unknown = code[5];
  const rels: unknown = code[6];
  if (!STATES.has(state) || !TONES.has(tone) || !AUTO.has(auto) || !count(roles) || !count(rels)) return null;
  if ((days !== null && !count(days)) || (noGroup !== 0 && noGroup !== 1)) return null;
  return {
    state: state as PillState,
    daysLeft: days as number | null,
    autoExtend: auto as PillAutoExtend | null,
    roleCount: roles,
    noSecurityGroup: noGroup === 1,
    tone: tone as PillTone,
    relationshipCount: rels,
  };
}
