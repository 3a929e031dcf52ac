/**
 * What the Microsoft 365 admin center's pages say (shared/portals.md): the relationship
 * types, roles and GDAP end of each partner on the Partner relationships page (D4, D6), and
 * the roles, duration and auto-extend of a GDAP invitation. ./admin-center-dom.ts finds the
 * texts on the page (in the content script); this half reads them against the role
 * catalog, a small table of words per signal and the date and duration formats. It runs in
 * the background (the content script does not ship the catalog) and in tests, where
 * {@link findPartnerRows} and {@link readInvitation} put both halves together.
 *
 * Unknown words, roles and formats yield nothing (`null`, unknown role names); nothing
 * here throws. All page text is data: it is only ever returned as strings.
 */
import { durationToDays, parseDuration } from '../gdap/duration';
import { GLOBAL_ADMINISTRATOR, ROLES, findRole, type Role } from '../gdap/roles';
import { isEmptyWord, readInvitationPage, readPartnerRows, type InvitationOnPage, type InvitationTexts, type PartnerRowTexts } from './admin-center-dom';
import type { DeepRoot } from './dom';

export { BADGE_HOST_TAG, detectAdminCenterPage, findSummaryAnchor, type AdminCenterPage } from './admin-center-dom';

// ---------------------------------------------------------------------------
// Words the page may use. One table per signal, English and Korean (the page may be in
// Korean; words from the Korean Microsoft Learn pages in shared/seeds).

/**
 * Relationship-type words. GDAP is looked for first and what it matched is removed
 * before DAP is looked for: "Granular delegated admin (GDAP)" contains both
 * "delegated admin" and "DAP", "세분화된 위임된 관리자" contains "위임된 관리자".
 */
const TYPE_WORDS = {
  gdap: [/\bGDAP\b/gi, /\bgranular(?:\s+delegated)?(?:\s+admin(?:istrat(?:or|ion))?)?(?:\s+(?:privileges?|relationships?|access))?/gi, /세분화된(?:\s*위임된)?(?:\s*관리자)?(?:\s*권한)?/g],
  dap: [/\bDAP\b/i, /\bdelegated\s+admin/i, /위임된\s*관리/],
  reseller: [/\breseller\b/i, /재판매인/],
} as const;

/**
 * Korean names of roles, as written in Microsoft's Korean GDAP FAQ (shared/seeds/003),
 * compared with all whitespace removed (Korean spacing varies).
 */
const KOREAN_ROLE_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['전역 관리자', 'Global Administrator'],
  ['전역 읽기 권한자', 'Global Reader'],
  ['디렉터리 읽기 권한자', 'Directory Readers'],
  ['디렉터리 작성자', 'Directory Writers'],
  ['라이선스 관리자', 'License Administrator'],
  ['서비스 지원 관리자', 'Service Support Administrator'],
  ['사용자 관리자', 'User Administrator'],
  ['권한 있는 역할 관리자', 'Privileged Role Administrator'],
  ['기술 지원팀 관리자', 'Helpdesk Administrator'],
  ['권한 있는 인증 관리자', 'Privileged Authentication Administrator'],
  ['클라우드 애플리케이션 관리자', 'Cloud Application Administrator'],
  ['애플리케이션 관리자', 'Application Administrator'],
  ['외부 ID 공급자 관리자', 'External Identity Provider Administrator'],
  ['도메인 이름 관리자', 'Domain Name Administrator'],
];

/** Auto-extend values; "off" words are checked first ("사용 안 함" starts with "사용"). */
const AUTO_EXTEND_WORDS = {
  off: ['off', 'no', 'disabled', 'disable', 'not allowed', 'not available', 'none', '꺼짐', '끄기', '해제', '사용 안 함', '사용 안함', '아니요', '아니오'],
  on: ['on', 'yes', 'enabled', 'enable', '켜짐', '켜기', '사용', '예'],
} as const;

const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
/** Full and three-letter English month names (and "sept") → month index. */
const MONTHS: ReadonlyMap<string, number> = new Map<string, number>([
  ...MONTH_NAMES.map((m, i) => [m, i] as const),
  ...MONTH_NAMES.map((m, i) => [m.slice(0, 3), i] as const),
  ['sept', 8],
]);

// ---------------------------------------------------------------------------
// Role names

function normalizeName(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
}

const ROLE_BY_NAME: ReadonlyMap<string, Role> = new Map(ROLES.map((r) => [normalizeName(r.name), r]));
const ROLE_BY_KOREAN_NAME: ReadonlyMap<string, Role> = new Map(
  KOREAN_ROLE_NAMES.flatMap(([ko, en]) => {
    const role = ROLE_BY_NAME.get(normalizeName(en));
    return role ? [[normalizeName(ko).replace(/\s+/g, ''), role] as [string, Role]] : [];
  }),
);

/**
 * The catalog role a displayed name stands for: the English name in any case, the
 * admin center's short "… admin" form of an "… Administrator" name, or a Korean name
 * from the table above. Null when unknown.
 */
export function matchRoleName(name: string): Role | null {
  const n = normalizeName(name);
  if (n === '') return null;
  const direct = ROLE_BY_NAME.get(n);
  if (direct) return direct;
  if (n.endsWith(' admin')) {
    const long = ROLE_BY_NAME.get(`${n.slice(0, -' admin'.length)} administrator`);
    if (long) return long;
  }
  return ROLE_BY_KOREAN_NAME.get(n.replace(/\s+/g, '')) ?? null;
}

interface ResolvedRoles {
  roleNames: string[];
  roleIds: string[];
  unknownRoleNames: string[];
}

/** Resolves displayed role names (with an optional role id each) against the catalog. */
function resolveRoles(items: ReadonlyArray<{ name: string; id?: string | null }>): ResolvedRoles {
  const out: ResolvedRoles = { roleNames: [], roleIds: [], unknownRoleNames: [] };
  const seenNames = new Set<string>();
  for (const item of items) {
    const name = item.name;
    const byId = item.id ? findRole(item.id) : null;
    const role = byId ?? matchRoleName(name);
    const shown = name !== '' ? name : (role?.name ?? '');
    if (shown === '') continue;
    if (!seenNames.has(shown)) {
      seenNames.add(shown);
      out.roleNames.push(shown);
    }
    if (role) {
      if (!out.roleIds.includes(role.id)) out.roleIds.push(role.id);
    } else if (!out.unknownRoleNames.includes(shown)) {
      out.unknownRoleNames.push(shown);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Partner relationships page (#/partners)

export interface PartnerTypes {
  reseller: boolean;
  dap: boolean;
  gdap: boolean;
}

/** What a partner row means (without the page's elements and the partner's name). */
export interface PartnerRowFacts {
  types: PartnerTypes;
  /** Role names as the page shows them (plus Global Administrator for DAP, D7). */
  roleNames: string[];
  /** Catalog role ids (lower case) of the names the catalog knows; Global Administrator for DAP (D7). */
  roleIds: string[];
  /** Names the catalog does not know (kept in roleNames too). */
  unknownRoleNames: string[];
  /** The GDAP end as an ISO instant, when the page shows a date that parses. */
  gdapEnd: string | null;
}

export interface PartnerRow extends PartnerRowFacts {
  row: Element;
  /** The name cell: the badge is appended there. */
  anchor: Element;
  name: string;
}

/** What a relationship-type text says. */
export function parseRelationshipTypes(text: string): PartnerTypes {
  let rest = text;
  let gdap = false;
  for (const re of TYPE_WORDS.gdap) {
    re.lastIndex = 0;
    if (re.test(rest)) gdap = true;
    re.lastIndex = 0;
    rest = rest.replace(re, ' ');
  }
  const dap = TYPE_WORDS.dap.some((re) => re.test(rest));
  const reseller = TYPE_WORDS.reseller.some((re) => re.test(text));
  return { reseller, dap, gdap };
}

/** What a partner row's texts (./admin-center-dom.ts) mean. */
export function readPartnerTexts(texts: PartnerRowTexts): PartnerRowFacts {
  const types = parseRelationshipTypes(texts.types);
  const roles = resolveRoles(texts.roles.map((n) => ({ name: n })));
  // D7: under DAP the partner's admin agents act as Global Administrator, shown or not.
  if (types.dap && !roles.roleIds.includes(GLOBAL_ADMINISTRATOR)) {
    roles.roleIds.unshift(GLOBAL_ADMINISTRATOR);
    const ga = findRole(GLOBAL_ADMINISTRATOR);
    if (ga && !roles.roleNames.includes(ga.name)) roles.roleNames.unshift(ga.name);
  }
  return {
    types,
    roleNames: roles.roleNames,
    roleIds: roles.roleIds,
    unknownRoleNames: roles.unknownRoleNames,
    gdapEnd: texts.end ? readDate(texts.end) : null,
  };
}

/**
 * The partner rows of the Partner relationships grid, in page order, with what they mean
 * (./admin-center-dom.ts `readPartnerRows`, then {@link readPartnerTexts}). Returns [] for
 * an unknown layout; never throws.
 */
export function findPartnerRows(doc: DeepRoot): PartnerRow[] {
  try {
    return readPartnerRows(doc).map(({ row, anchor, name, texts }) => ({ row, anchor, name, ...readPartnerTexts(texts) }));
  } catch {
    return [];
  }
}

/** A date cell: its `<time datetime>`, else its text in a known format. ISO instant or null. */
function readDate(end: NonNullable<PartnerRowTexts['end']>): string | null {
  const attr = end.datetime;
  if (attr && /^\d{4}-\d{2}-\d{2}/.test(attr)) {
    const fromAttr = parseDisplayedDate(attr);
    if (fromAttr) return fromAttr;
  }
  return parseDisplayedDate(end.text);
}

function utcDate(y: number, m: number, d: number): string | null {
  if (!Number.isInteger(y) || y < 1970 || y > 9999 || m < 0 || m > 11 || d < 1 || d > 31) return null;
  const date = new Date(Date.UTC(y, m, d));
  if (date.getUTCMonth() !== m || date.getUTCDate() !== d) return null;
  return date.toISOString();
}

/**
 * Dates the page may show: ISO 8601 (date or date-time), "May 5, 2026", "5 May 2026",
 * Korean "2026. 5. 5." / "2026년 5월 5일". Numeric d/m vs m/d forms are ambiguous and
 * refused. Returns an ISO instant (midnight UTC for a bare date) or null.
 */
export function parseDisplayedDate(text: string): string | null {
  const t = text.trim();
  if (t === '' || t.length > 100) return null;
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:([T ])\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i.exec(t);
  if (m) {
    const day = utcDate(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    if (!day) return null;
    if (m[4] === undefined) return day;
    const ms = Date.parse(t.replace(' ', 'T'));
    return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
  }
  m = /^(\d{4})\s*[.년]\s*(\d{1,2})\s*[.월]\s*(\d{1,2})\s*[.일]?$/.exec(t);
  if (m) return utcDate(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  m = /^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$/.exec(t);
  if (m) {
    const month = MONTHS.get(m[1]!.toLowerCase());
    return month === undefined ? null : utcDate(Number(m[3]), month, Number(m[2]));
  }
  m = /^(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})$/.exec(t);
  if (m) {
    const month = MONTHS.get(m[2]!.toLowerCase());
    return month === undefined ? null : utcDate(Number(m[3]), month, Number(m[1]));
  }
  return null;
}

// ---------------------------------------------------------------------------
// GDAP invitation page (#/partners/invitation/granularAdminRelationships/{id})

/** What a GDAP invitation asks for (without the page's elements). */
export interface InvitationFacts {
  roleNames: string[];
  roleIds: string[];
  unknownRoleNames: string[];
  /** Requested duration in days, from "730 days", "P730D", "2 years", "730일"…; null when unreadable. */
  durationDays: number | null;
  autoExtend: boolean | null;
}

export interface Invitation extends InvitationFacts, Omit<InvitationOnPage, 'texts'> {}

/**
 * What an invitation page's texts (./admin-center-dom.ts) mean; null when no item of the
 * role list names a role (neither a name nor a role id the catalog knows).
 */
export function readInvitationTexts(texts: InvitationTexts): InvitationFacts | null {
  const roleItems = texts.roles.filter((r) => !isEmptyWord(r.name) || (r.id !== null && findRole(r.id) !== null));
  if (roleItems.length === 0) return null;
  const roles = resolveRoles(roleItems);
  return {
    roleNames: roles.roleNames,
    roleIds: roles.roleIds,
    unknownRoleNames: roles.unknownRoleNames,
    durationDays: texts.duration === null ? null : parseDurationText(texts.duration),
    autoExtend: texts.autoExtend === null ? null : parseOnOff(texts.autoExtend),
  };
}

/**
 * The GDAP invitation `relationshipId` as the page shows it, with what it asks for, or
 * null: when an element carries a relationship id and none carries this one (a stale
 * page), when no role list is shown (still loading, unknown layout), on any surprise.
 * Never throws.
 */
export function readInvitation(doc: DeepRoot, relationshipId: string): Invitation | null {
  try {
    const page = readInvitationPage(doc, relationshipId);
    const facts = page && readInvitationTexts(page.texts);
    if (!page || !facts) return null;
    const { texts: _texts, ...where } = page;
    return { ...where, ...facts };
  } catch {
    return null;
  }
}

const DURATION_UNITS: ReadonlyArray<readonly [RegExp, number]> = [
  [/^(?:years?|yrs?|년)$/i, 365],
  [/^(?:months?|mos?|개월|달)$/i, 30],
  [/^(?:weeks?|wks?|주)$/i, 7],
  [/^(?:days?|일)$/i, 1],
];
const DURATION_PAIR = /(\d+(?:[.,]\d+)?)\s*(years?|yrs?|months?|mos?|weeks?|wks?|days?|년|개월|달|주|일)(?![A-Za-z])/iy;
const DURATION_GAP = /(?:\s*,\s*|\s+and\s+|\s+)/iy;

/**
 * A duration as the page writes it, in days: ISO 8601 ("P730D", "P2Y" → 730, Graph's
 * 1 Y = 365 days), or number-unit pairs at the start of the text ("730 days", "2 years",
 * "1 year 6 months", "730일", "2년"). Anything after the first run of pairs is ignored
 * ("730 days (2 years)" is 730). Null when nothing reads.
 */
export function parseDurationText(text: string): number | null {
  const t = text.trim();
  if (t === '' || t.length > 200) return null;
  const iso = parseDuration(t.split(/\s/)[0]?.toUpperCase());
  if (iso) {
    const days = durationToDays(iso);
    return Number.isFinite(days) ? Math.round(days) : null;
  }
  let pos = 0;
  let total = 0;
  let any = false;
  for (;;) {
    DURATION_PAIR.lastIndex = pos;
    const m = DURATION_PAIR.exec(t);
    if (!m) break;
    const n = Number(m[1]!.replace(',', '.'));
    const unit = DURATION_UNITS.find(([re]) => re.test(m[2]!));
    if (!unit || !Number.isFinite(n)) break;
    total += n * unit[1];
    any = true;
    pos = DURATION_PAIR.lastIndex;
    DURATION_GAP.lastIndex = pos;
    if (DURATION_GAP.exec(t)) pos = DURATION_GAP.lastIndex;
  }
  return any ? Math.round(total) : null;
}

/** `text` starts with `word`; an ASCII word must end there ("on" is not "one"), Korean ones may take endings ("사용함"). */
function startsWithWord(text: string, word: string): boolean {
  if (!text.startsWith(word)) return false;
  if (!/^[\x20-\x7e]+$/.test(word)) return true;
  return !/[a-z0-9]/i.test(text.charAt(word.length));
}

/** "On (180 days)" → true, "Off" → false, Korean too; null when unreadable. */
export function parseOnOff(text: string): boolean | null {
  const t = text.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
  if (AUTO_EXTEND_WORDS.off.some((w) => startsWithWord(t, w))) return false;
  if (AUTO_EXTEND_WORDS.on.some((w) => startsWithWord(t, w))) return true;
  return null;
}
