/**
 * Where things are on the Microsoft 365 admin center's pages (shared/portals.md): which
 * hash routes exist, and which texts of the Partner relationships page (D4, D6) and of a
 * GDAP invitation page GDAP Lens reads. This half runs in the content script and knows no
 * roles, dates or durations: it returns the page's texts as it finds them, and
 * ./admin-center.ts (in the background) says what they mean. There is no API on the
 * customer side (shared/graph-contract.md, "Customer side"): the page is the data.
 *
 * Anchored on what is likeliest to survive a redesign: ARIA roles (grid rows, cells,
 * column headers), Fluent UI's `data-automation-key` column keys, `data-*` ids and
 * fields, and a few words. Class names are never read. Anything unrecognised yields
 * nothing (`[]` / `null`); nothing here throws into the page. All page text is data: it
 * is only ever returned as strings, never interpreted as markup.
 */
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
// Words

/** Cell text meaning "nothing here". */
const EMPTY_WORDS: ReadonlySet<string> = new Set(['—', '–', '-', '--', 'none', 'n/a', '없음']);

/** Labels of the invitation's approve button, when it carries no `data-action`. */
const APPROVE_WORDS: ReadonlySet<string> = new Set(['approve', 'approve request', '승인']);

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
// Text

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

/** Text that says nothing: empty, a dash or "none", or without a single letter. */
export function isEmptyWord(s: string): boolean {
  return s === '' || EMPTY_WORDS.has(s.toLowerCase()) || !/\p{L}/u.test(s);
}

// ---------------------------------------------------------------------------
// Partner relationships page (#/partners)

/** What one partner row of the grid says, as text (./admin-center.ts reads it). */
export interface PartnerRowTexts {
  /** The relationship-type cell's items joined by ", "; '' without such a cell. */
  types: string;
  /** The role names the roles cell lists ([] without one). */
  roles: string[];
  /** The GDAP end cell: its `<time datetime>` (trimmed, or null) and its text; null without such a cell. */
  end: { datetime: string | null; text: string } | null;
}

export interface PartnerRowOnPage {
  row: Element;
  /** The name cell: the badge is appended there. */
  anchor: Element;
  /** The partner's name as the page shows it (only ever displayed as text). */
  name: string;
  texts: PartnerRowTexts;
}

/**
 * The partner rows of the Partner relationships grid, in page order. A row counts when
 * it is an ARIA row (or `<tr>`) holding a cell keyed `relationshipTypes` or `roles`
 * (keyed cells that are column headers make a header row, skipped) and a name cell (the
 * cell keyed `displayName`, else the row header or first non-empty unkeyed cell).
 * Returns [] for an unknown layout; never throws.
 */
export function readPartnerRows(doc: DeepRoot): PartnerRowOnPage[] {
  try {
    const out: PartnerRowOnPage[] = [];
    for (const row of deepQuerySelectorAll(doc, ROW_SELECTOR, { skip: BADGE_HOST_TAG })) {
      const parsed = readPartnerRow(row);
      if (parsed) out.push(parsed);
    }
    return out;
  } catch {
    return [];
  }
}

/** Elements below `row` matching `selector` whose own row is `row` (not a nested one). */
function ownDescendants(row: Element, selector: string): Element[] {
  return deepQuerySelectorAll(row, selector, { skip: BADGE_HOST_TAG }).filter((el) => closestAcrossShadow(el.parentNode, ROW_SELECTOR) === row);
}

function readPartnerRow(row: Element): PartnerRowOnPage | null {
  const cells = new Map<string, Element>();
  for (const cell of ownDescendants(row, KEYED_CELL_SELECTOR)) {
    const key = cell.getAttribute('data-automation-key') ?? '';
    if (!cells.has(key)) cells.set(key, cell);
  }
  const typesCell = cells.get(COLUMN.types);
  const rolesCell = cells.get(COLUMN.roles);
  if (!typesCell && !rolesCell) return null;
  // Header rows: column headers (keyed or not).
  if (ownDescendants(row, HEADER_CELL_SELECTOR).length > 0) return null;

  const nameCell = cells.get(COLUMN.name) ?? fallbackNameCell(row);
  if (!nameCell) return null;
  const name = textOf(nameCell);
  if (name === '') return null;

  const endCell = cells.get(COLUMN.end);
  const time = endCell && deepQuerySelectorAll(endCell, 'time[datetime]', { skip: BADGE_HOST_TAG })[0];
  return {
    row,
    anchor: nameCell,
    name,
    texts: {
      types: typesCell ? itemsOf(typesCell).join(', ') : '',
      roles: rolesCell ? splitRoleCell(rolesCell) : [],
      end: endCell ? { datetime: time?.getAttribute('datetime')?.trim() ?? null, text: textOf(endCell) } : null,
    },
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

/**
 * Where the summary panel goes: the grid holding the partner rows (the caller inserts
 * the panel before it). Null while no partner row is shown or when the rows sit in no grid.
 */
export function findSummaryAnchor(doc: DeepRoot): Element | null {
  try {
    const first = readPartnerRows(doc)[0];
    if (!first) return null;
    return closestAcrossShadow(first.row.parentNode, GRID_SELECTOR);
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------
// GDAP invitation page (#/partners/invitation/granularAdminRelationships/{id})

/** What a GDAP invitation page says, as text (./admin-center.ts reads it). */
export interface InvitationTexts {
  /** Each item of the role list: its text and its `data-role-id`, if any. */
  roles: Array<{ name: string; id: string | null }>;
  /** The duration field's text ("730 days", "P730D", "2년"…); null when not shown. */
  duration: string | null;
  /** The auto-extend field's text ("On (180 days)", "사용 안 함"…); null when not shown. */
  autoExtend: string | null;
}

export interface InvitationOnPage {
  /** Where the approval panel goes, see `placement`. */
  anchor: Element;
  /** 'before': insert before `anchor` (the page's action buttons); 'after': insert after it (the role list). */
  placement: 'before' | 'after';
  partnerName: string | null;
  relationshipName: string | null;
  /** The page's own state of the request (`data-state`, lower case), e.g. 'pending', 'approved'; null when not shown. */
  state: string | null;
  texts: InvitationTexts;
}

/**
 * The GDAP invitation `relationshipId` as the page shows it, or null: when an element
 * carries a relationship id and none carries this one (a stale page), when no role list
 * is shown (still loading, unknown layout), on any surprise. Never throws.
 */
export function readInvitationPage(doc: DeepRoot, relationshipId: string): InvitationOnPage | null {
  try {
    return collectInvitation(doc, relationshipId);
  } catch {
    return null;
  }
}

function collectInvitation(doc: DeepRoot, relationshipId: string): InvitationOnPage | null {
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
  if (items.length === 0) return null;

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
  let placement: InvitationOnPage['placement'];
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

  return {
    anchor,
    placement,
    partnerName: fieldText(INVITATION_FIELD.partner),
    relationshipName: fieldText(INVITATION_FIELD.name),
    state: container?.getAttribute('data-state')?.trim().toLowerCase() || null,
    texts: {
      roles: items.map((li) => ({ name: textOf(li), id: li.getAttribute('data-role-id') })),
      duration: fieldText(INVITATION_FIELD.duration),
      autoExtend: fieldText(INVITATION_FIELD.autoExtend),
    },
  };
}
