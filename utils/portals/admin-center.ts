/**
 * Everything GDAP Lens knows about the Microsoft 365 admin center's pages
 * (shared/portals.md): which hash routes exist, and how to read the customer's
 * Partner relationships page (D4, D6) and a GDAP invitation page. There is no API on
 * the customer side (shared/graph-contract.md, "Customer side"): the page is the data.
 *
 * Anchored on what is likeliest to survive a redesign: ARIA roles (grid rows, cells,
 * column headers), Fluent UI's `data-automation-key` column keys, `data-*` ids and
 * fields, and a small table of words per signal. Class names are never read. Anything
 * unrecognised yields nothing (`[]` / `null`); nothing here throws into the page. All
 * page text is data: it is only ever returned as strings, never interpreted as markup.
 */
import { durationToDays, parseDuration } from '../gdap/duration';
import { GLOBAL_ADMINISTRATOR, ROLES, findRole, type Role } from '../gdap/roles';
import { BADGE_HOST_TAG, closestAcrossShadow, deepQuerySelectorAll, type DeepRoot } from './dom';

export { BADGE_HOST_TAG } from './dom';

// ---------------------------------------------------------------------------
// Routes

export type AdminCenterPage = { kind: 'partners' } | { kind: 'gdap-invitation'; relationshipId: string };

const ADMIN_CENTER_HOSTS: ReadonlySet<string> = new Set(['admin.microsoft.com', 'admin.cloud.microsoft']);
/** `/AdminPortal/Home`, `/Adminportal/Home`, any case, optional trailing slash. */
const SHELL_PATH = /^\/adminportal\/home\/?$/i;
const PARTNERS_ROUTE = /^\/partners\/?$/i;
const INVITATION_ROUTE = /^\/partners\/invitation\/granularAdminRelationships\/([^/]+)\/?$/i;
/** Relationship ids are opaque (never parsed): any URL-safe segment. */
const RELATIONSHIP_ID = /^[A-Za-z0-9._~-]{1,200}$/;

/**
 * The kind of admin center page at `url` (the route lives in the hash), or null when
 * GDAP Lens has nothing to add there. Never throws.
 */
export function detectAdminCenterPage(url: string | URL): AdminCenterPage | null {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' || !ADMIN_CENTER_HOSTS.has(parsed.hostname)) return null;
  if (!SHELL_PATH.test(parsed.pathname)) return null;
  // `#/partners?tab=x`: the hash route ends at its own query.
  const route = parsed.hash.replace(/^#/, '').split('?')[0] ?? '';
  if (PARTNERS_ROUTE.test(route)) return { kind: 'partners' };
  const m = INVITATION_ROUTE.exec(route);
  if (m) {
    let id: string;
    try {
      id = decodeURIComponent(m[1]!);
    } catch {
      return null;
    }
    return RELATIONSHIP_ID.test(id) ? { kind: 'gdap-invitation', relationshipId: id } : null;
  }
  return null;
}

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

/** Cell text meaning "nothing here". */
const EMPTY_WORDS: ReadonlySet<string> = new Set(['—', '–', '-', '--', 'none', 'n/a', '없음']);

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

/** Labels of the invitation's approve button, when it carries no `data-action`. */
const APPROVE_WORDS: ReadonlySet<string> = new Set(['approve', 'approve request', '승인']);

const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
/** Full and three-letter English month names (and "sept") → month index. */
const MONTHS: ReadonlyMap<string, number> = new Map<string, number>([
  ...MONTH_NAMES.map((m, i) => [m, i] as const),
  ...MONTH_NAMES.map((m, i) => [m.slice(0, 3), i] as const),
  ['sept', 8],
]);

// ---------------------------------------------------------------------------
// Selectors (perishable: all in one place)

const ROW_SELECTOR = '[role="row"], tr';
const CELL_SELECTOR = '[role="gridcell"], [role="rowheader"], [role="cell"], td, th';
/** Column headers; a `<th scope="row">` is a data row's header cell, not a header row's. */
const HEADER_CELL_SELECTOR = '[role="columnheader"], th:not([scope="row"]):not([role])';
const GRID_SELECTOR = '[role="grid"], [role="treegrid"], [role="table"], table';
const KEYED_CELL_SELECTOR = '[data-automation-key]';
/** Fluent UI DetailsList column keys of the Partner relationships grid. */
const COLUMN = { name: 'displayName', types: 'relationshipTypes', roles: 'roles', end: 'gdapEndDateTime' } as const;
const LIST_ITEM_SELECTOR = 'li, [role="listitem"]';

const INVITATION_CARRIER_SELECTOR = '[data-relationship-id]';
const FIELD_SELECTOR = '[data-field]';
const INVITATION_FIELD = { partner: 'partner', name: 'relationshipName', duration: 'duration', autoExtend: 'autoExtend' } as const;
/** Role lists of the invitation page: by class seen on the page, by accessible label, by role id. */
const INVITATION_ROLE_ITEM_SELECTOR = [
  'ul.roles > li',
  'ol.roles > li',
  'ul[aria-label*="role" i] > li',
  'ul[aria-label*="역할"] > li',
  '[role="list"][aria-label*="role" i] > [role="listitem"]',
  '[role="list"][aria-label*="역할"] > [role="listitem"]',
  'li[data-role-id]',
].join(', ');
const BUTTON_SELECTOR = 'button, [role="button"]';

// ---------------------------------------------------------------------------
// Text and role helpers

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;
const UNREAD_TAGS: ReadonlySet<string> = new Set([BADGE_HOST_TAG, 'style', 'script', 'template']);

/** Tags that format words rather than separate items ("<b>Global</b> Administrator"). */
const FORMATTING_TAGS: ReadonlySet<string> = new Set(['b', 'strong', 'i', 'em', 'mark', 'u', 'small', 'sub', 'sup', 'abbr', 'bdi', 'bdo']);

/**
 * The light-DOM text of `el` (never our own badges). Plain: whitespace collapsed, as
 * read. `items`: a line break at every element boundary except formatting tags, so that
 * chips rendered side by side ("<div>Reseller</div><div>DAP</div>") stay apart.
 */
function rawText(el: Element, items: boolean): string {
  let out = '';
  const walk = (node: Node): void => {
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === TEXT_NODE) {
        out += child.nodeValue ?? '';
      } else if (child.nodeType === ELEMENT_NODE) {
        const tag = (child as Element).localName;
        if (UNREAD_TAGS.has(tag)) continue;
        const separate = items && !FORMATTING_TAGS.has(tag);
        if (separate) out += '\n';
        walk(child);
        if (separate) out += '\n';
      }
    }
  };
  walk(el);
  return out;
}

function textOf(el: Element): string {
  return rawText(el, false).replace(/\s+/g, ' ').trim();
}

/** The text of `el` cut into items at element boundaries and list separators. */
function itemsOf(el: Element): string[] {
  return rawText(el, true)
    .split(/[\n\r,;·•|\u3001\uFF0C]/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => !isEmptyWord(p));
}

function isEmptyWord(s: string): boolean {
  return s === '' || EMPTY_WORDS.has(s.toLowerCase()) || !/\p{L}/u.test(s);
}

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

export interface PartnerRow {
  row: Element;
  /** The name cell: the badge is appended there. */
  anchor: Element;
  name: string;
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

/**
 * The partner rows of the Partner relationships grid, in page order. A row counts when
 * it is an ARIA row (or `<tr>`) holding a cell keyed `relationshipTypes` or `roles`
 * (keyed cells that are column headers make a header row, skipped) and a name cell (the
 * cell keyed `displayName`, else the row header or first non-empty unkeyed cell).
 * Returns [] for an unknown layout; never throws.
 */
export function findPartnerRows(doc: DeepRoot): PartnerRow[] {
  try {
    return collectPartnerRows(doc);
  } catch {
    return [];
  }
}

function collectPartnerRows(doc: DeepRoot): PartnerRow[] {
  const out: PartnerRow[] = [];
  for (const row of deepQuerySelectorAll(doc, ROW_SELECTOR, { skip: BADGE_HOST_TAG })) {
    const parsed = readPartnerRow(row);
    if (parsed) out.push(parsed);
  }
  return out;
}

/** Elements below `row` matching `selector` whose own row is `row` (not a nested one). */
function ownDescendants(row: Element, selector: string): Element[] {
  return deepQuerySelectorAll(row, selector, { skip: BADGE_HOST_TAG }).filter((el) => closestAcrossShadow(el.parentNode, ROW_SELECTOR) === row);
}

function readPartnerRow(row: Element): PartnerRow | null {
  const cells = new Map<string, Element>();
  for (const cell of ownDescendants(row, KEYED_CELL_SELECTOR)) {
    const key = cell.getAttribute('data-automation-key') ?? '';
    if (!cells.has(key)) cells.set(key, cell);
  }
  const typesCell = cells.get(COLUMN.types) ?? null;
  const rolesCell = cells.get(COLUMN.roles) ?? null;
  if (!typesCell && !rolesCell) return null;
  // Header rows: column headers (keyed or not).
  if (ownDescendants(row, HEADER_CELL_SELECTOR).length > 0) return null;

  const nameCell = cells.get(COLUMN.name) ?? fallbackNameCell(row);
  if (!nameCell) return null;
  const name = textOf(nameCell);
  if (name === '') return null;

  const types = typesCell ? parseRelationshipTypes(itemsOf(typesCell).join(', ')) : { reseller: false, dap: false, gdap: false };
  const roles = resolveRoles(rolesCell ? splitRoleCell(rolesCell).map((n) => ({ name: n })) : []);
  // D7: under DAP the partner's admin agents act as Global Administrator, shown or not.
  if (types.dap && !roles.roleIds.includes(GLOBAL_ADMINISTRATOR)) {
    roles.roleIds.unshift(GLOBAL_ADMINISTRATOR);
    const ga = findRole(GLOBAL_ADMINISTRATOR);
    if (ga && !roles.roleNames.includes(ga.name)) roles.roleNames.unshift(ga.name);
  }
  const endCell = cells.get(COLUMN.end) ?? null;
  return {
    row,
    anchor: nameCell,
    name,
    types,
    roleNames: roles.roleNames,
    roleIds: roles.roleIds,
    unknownRoleNames: roles.unknownRoleNames,
    gdapEnd: endCell ? readDate(endCell) : null,
  };
}

/** A row without a `displayName` cell: its row header, else its first non-empty unkeyed cell. */
function fallbackNameCell(row: Element): Element | null {
  const cells = ownDescendants(row, CELL_SELECTOR);
  const header = cells.find((c) => c.matches('[role="rowheader"]'));
  if (header) return header;
  return cells.find((c) => !c.hasAttribute('data-automation-key') && textOf(c) !== '') ?? null;
}

/** Role names of a roles cell: its list items, else its items (chips, comma lists). */
function splitRoleCell(cell: Element): string[] {
  const items = deepQuerySelectorAll(cell, LIST_ITEM_SELECTOR, { skip: BADGE_HOST_TAG });
  return items.length > 0 ? items.map(textOf).filter((p) => !isEmptyWord(p)) : itemsOf(cell);
}

/** A date cell: a `<time datetime>` inside, else its text in a known format. ISO instant or null. */
function readDate(cell: Element): string | null {
  const time = deepQuerySelectorAll(cell, 'time[datetime]', { skip: BADGE_HOST_TAG })[0];
  const attr = time?.getAttribute('datetime')?.trim();
  if (attr && /^\d{4}-\d{2}-\d{2}/.test(attr)) {
    const fromAttr = parseDisplayedDate(attr);
    if (fromAttr) return fromAttr;
  }
  return parseDisplayedDate(textOf(cell));
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

/**
 * Where the summary panel goes: the grid holding the partner rows (the caller inserts
 * the panel before it). Null while no partner row is shown or when the rows sit in no grid.
 */
export function findSummaryAnchor(doc: DeepRoot): Element | null {
  try {
    const first = findPartnerRows(doc)[0];
    if (!first) return null;
    return closestAcrossShadow(first.row.parentNode, GRID_SELECTOR);
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------
// GDAP invitation page (#/partners/invitation/granularAdminRelationships/{id})

export interface Invitation {
  /** Where the approval panel goes, see `placement`. */
  anchor: Element;
  /** 'before': insert before `anchor` (the page's action buttons); 'after': insert after it (the role list). */
  placement: 'before' | 'after';
  partnerName: string | null;
  relationshipName: string | null;
  roleNames: string[];
  roleIds: string[];
  unknownRoleNames: string[];
  /** Requested duration in days, from "730 days", "P730D", "2 years", "730일"…; null when unreadable. */
  durationDays: number | null;
  autoExtend: boolean | null;
  /** The page's own state of the request (`data-state`, lower case), e.g. 'pending', 'approved'; null when not shown. */
  state: string | null;
}

/**
 * The GDAP invitation `relationshipId` as the page shows it, or null: when an element
 * carries a relationship id and none carries this one (a stale page), when no role list
 * is shown (still loading, unknown layout), on any surprise. Never throws.
 */
export function readInvitation(doc: DeepRoot, relationshipId: string): Invitation | null {
  try {
    return collectInvitation(doc, relationshipId);
  } catch {
    return null;
  }
}

function collectInvitation(doc: DeepRoot, relationshipId: string): Invitation | null {
  const wanted = relationshipId.trim().toLowerCase();
  if (wanted === '') return null;
  const carriers = deepQuerySelectorAll(doc, INVITATION_CARRIER_SELECTOR, { skip: BADGE_HOST_TAG });
  let scope: DeepRoot = doc;
  let container: Element | null = null;
  if (carriers.length > 0) {
    container = carriers.find((c) => (c.getAttribute('data-relationship-id') ?? '').trim().toLowerCase() === wanted) ?? null;
    if (!container) return null;
    scope = container;
  }
  /** Inside the container and not inside another relationship's element. */
  const own = (el: Element): boolean => container === null || closestAcrossShadow(el, INVITATION_CARRIER_SELECTOR) === container;
  const found = (selector: string): Element[] => deepQuerySelectorAll(scope, selector, { skip: BADGE_HOST_TAG }).filter(own);

  const items = found(INVITATION_ROLE_ITEM_SELECTOR);
  const roleItems = items
    .map((li) => ({ name: textOf(li), id: li.getAttribute('data-role-id') }))
    .filter((r) => !isEmptyWord(r.name) || (r.id !== null && findRole(r.id) !== null));
  if (roleItems.length === 0) return null;
  const roles = resolveRoles(roleItems);

  const fields = new Map<string, Element>();
  for (const f of found(FIELD_SELECTOR)) {
    const key = f.getAttribute('data-field') ?? '';
    if (!fields.has(key)) fields.set(key, f);
  }
  const fieldText = (key: string): string | null => {
    const f = fields.get(key);
    if (!f) return null;
    const t = textOf(f);
    return isEmptyWord(t) ? null : t;
  };

  const approve =
    found('[data-action="approve"]')[0] ?? found(BUTTON_SELECTOR).find((b) => APPROVE_WORDS.has(textOf(b).toLowerCase())) ?? null;
  let anchor: Element;
  let placement: Invitation['placement'];
  if (approve) {
    // The group of action buttons when the button has one, else the button itself.
    const group = approve.parentElement;
    anchor = group && Array.from(group.children).every((c) => c.matches(BUTTON_SELECTOR)) ? group : approve;
    placement = 'before';
  } else {
    const last = items[items.length - 1]!;
    anchor = last.parentElement ?? last;
    placement = 'after';
  }

  const durationText = fieldText(INVITATION_FIELD.duration);
  const autoExtendText = fieldText(INVITATION_FIELD.autoExtend);
  const state = container?.getAttribute('data-state')?.trim().toLowerCase() || null;
  return {
    anchor,
    placement,
    partnerName: fieldText(INVITATION_FIELD.partner),
    relationshipName: fieldText(INVITATION_FIELD.name),
    roleNames: roles.roleNames,
    roleIds: roles.roleIds,
    unknownRoleNames: roles.unknownRoleNames,
    durationDays: durationText === null ? null : parseDurationText(durationText),
    autoExtend: autoExtendText === null ? null : parseOnOff(autoExtendText),
    state,
  };
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
