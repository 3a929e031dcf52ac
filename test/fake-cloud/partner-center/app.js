// Fake Partner Center single-page app. Test code: served by ./index.ts, never shipped.
//
// Built like the real portal so the extension meets realistic difficulty:
//   <pc-shell>                         open shadow root: header, nav, <main id="page-host">
//     └ <pc-…-page>                    open shadow root: heading, toolbar, grid, pager
//         └ <customersvcadmin-data-grid>   open shadow root: the rows
//             └ <div role="row" id="row-{key}">
//                 └ <customersvcadmin_he-button appearance="link" href="…">Name</…>
//                     open shadow root: <a part="control" href="…"><span part="content"><slot>
// Client-side routing with the history API (links are intercepted, also inside shadow
// roots), rows that arrive after the shell, pagination and search without navigation.
// Data from the server is only ever written with textContent / setAttribute.

const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const API = '/__fake/pc/api/';
const ROOTS = '(/dashboard/v2|/dashboard/commerce2|/commerce)';

// Options: ?delay=ms (default 150) and ?pageSize=n (default 20) stick for the document
// once seen; ?layout=unknown applies to the URL that carries it.
const config = { delay: 150, pageSize: 20 };

function intOr(raw, fallback, min, max) {
  if (raw === null || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, Math.trunc(n)));
}

function readConfig(params) {
  const delay = intOr(params.get('delay'), null, 0, 60000);
  if (delay !== null) config.delay = delay;
  const size = intOr(params.get('pageSize'), null, 1, 10000);
  if (size !== null) config.pageSize = size;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const STATUS_EN = {
  created: 'Created',
  approvalPending: 'Approval pending',
  approved: 'Approved',
  activating: 'Activating',
  active: 'Active',
  expiring: 'Expiring',
  expired: 'Expired',
  terminationRequested: 'Termination requested',
  terminating: 'Terminating',
  terminated: 'Terminated',
};
const STATUS_KO = {
  created: '만들어짐',
  approvalPending: '승인 보류 중',
  approved: '승인됨',
  activating: '활성화하는 중',
  active: '활성',
  expiring: '곧 만료',
  expired: '만료됨',
  terminationRequested: '종료 요청됨',
  terminating: '종료하는 중',
  terminated: '종료됨',
};

const TEXT = {
  en: {
    intl: 'en-US',
    product: 'Partner Center',
    navHome: 'Home',
    navCustomers: 'Customers',
    navGdap: 'Granular admin relationships',
    welcome: 'Welcome to Partner Center',
    homeCustomers: 'Manage your customers',
    homeGdap: 'Review granular administrative relationships',
    customersTitle: 'Customers',
    gdapTitle: 'Granular administrative relationships',
    adminRelationships: 'Admin relationships',
    account: 'Account',
    colCustomer: 'Customer name',
    colDomain: 'Domain',
    colRelationship: 'Relationship',
    colName: 'Name',
    colCustomerOf: 'Customer',
    colStatus: 'Status',
    colEnd: 'End date',
    colAutoExtend: 'Auto extend',
    search: 'Search',
    searchCustomers: 'Search customers',
    searchRelationships: 'Search relationships',
    loading: 'Loading…',
    emptyCustomers: 'No customers found',
    emptyRelationships: 'No relationships found',
    error: 'Something went wrong. Try again later.',
    previous: 'Previous',
    next: 'Next',
    rowsPerPage: 'Rows per page',
    pagination: 'Pagination',
    range: (a, b, n) => `${a}–${b} of ${n}`,
    on: 'On',
    off: 'Off',
    rel: { reseller: 'Reseller', dap: 'Delegated admin', gdap: 'Granular admin' },
    status: STATUS_EN,
    tenantId: 'Microsoft ID',
    domain: 'Domain',
    fCustomer: 'Customer',
    fStatus: 'Status',
    fCreated: 'Created',
    fStart: 'Start date',
    fEnd: 'End date',
    fDuration: 'Duration',
    fAutoExtend: 'Auto extend',
    fRoles: 'Microsoft Entra roles',
    fId: 'Relationship ID',
    days: (n) => `${n} days`,
    notFound: "We can't find that page",
    customerNotFound: 'This customer was not found.',
    relationshipNotFound: 'This relationship was not found.',
  },
  ko: {
    intl: 'ko-KR',
    product: '파트너 센터',
    navHome: '홈',
    navCustomers: '고객',
    navGdap: '세분화된 관리자 관계',
    welcome: '파트너 센터에 오신 것을 환영합니다',
    homeCustomers: '고객 관리',
    homeGdap: '세분화된 관리 관계 검토',
    customersTitle: '고객',
    gdapTitle: '세분화된 관리 관계',
    adminRelationships: '관리자 관계',
    account: '계정',
    colCustomer: '고객 이름',
    colDomain: '도메인',
    colRelationship: '관계',
    colName: '이름',
    colCustomerOf: '고객',
    colStatus: '상태',
    colEnd: '종료 날짜',
    colAutoExtend: '자동 연장',
    search: '검색',
    searchCustomers: '고객 검색',
    searchRelationships: '관계 검색',
    loading: '로드하는 중…',
    emptyCustomers: '고객이 없습니다',
    emptyRelationships: '관계가 없습니다',
    error: '문제가 발생했습니다. 나중에 다시 시도하세요.',
    previous: '이전',
    next: '다음',
    rowsPerPage: '페이지당 행 수',
    pagination: '페이지 매기기',
    range: (a, b, n) => `${a}–${b} / ${n}`,
    on: '켜짐',
    off: '꺼짐',
    rel: { reseller: '재판매인', dap: '위임된 관리자', gdap: '세분화된 관리자' },
    status: STATUS_KO,
    tenantId: 'Microsoft ID',
    domain: '도메인',
    fCustomer: '고객',
    fStatus: '상태',
    fCreated: '만든 날짜',
    fStart: '시작 날짜',
    fEnd: '종료 날짜',
    fDuration: '기간',
    fAutoExtend: '자동 연장',
    fRoles: 'Microsoft Entra 역할',
    fId: '관계 ID',
    days: (n) => `${n}일`,
    notFound: '페이지를 찾을 수 없습니다',
    customerNotFound: '고객을 찾을 수 없습니다.',
    relationshipNotFound: '관계를 찾을 수 없습니다.',
  },
};

// ---------------------------------------------------------------------------
// DOM helpers (text only, never HTML parsing of data).

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

function style(css) {
  const s = document.createElement('style');
  s.textContent = css;
  return s;
}

function linkButton(text, href) {
  const b = document.createElement('customersvcadmin_he-button');
  b.setAttribute('appearance', 'link');
  if (href) b.setAttribute('href', href);
  b.textContent = text;
  return b;
}

function fmtDate(t, iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const text = new Intl.DateTimeFormat(t.intl, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(d);
  return el('time', { datetime: iso }, text);
}

const statusText = (t, s) => (Object.prototype.hasOwnProperty.call(t.status, s) ? t.status[s] : String(s));

async function getJson(path) {
  const res = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!res.ok) {
    const err = new Error(`HTTP ${res.status}`);
    err.status = res.status;
    throw err;
  }
  return res.json();
}

// ---------------------------------------------------------------------------
// Routes.

function matchRoute(path) {
  let m;
  if (/^\/dashboard\/home\/?$/i.test(path)) return { kind: 'home', gen: 'v2' };
  if ((m = new RegExp(`^${ROOTS}/customers/list/?$`, 'i').exec(path))) return { kind: 'customer-list', gen: genOf(m[1]) };
  if (/^\/dashboard\/v2\/customers\/granularadminaccess\/list\/?$/i.test(path)) return { kind: 'gdap-list', gen: 'v2' };
  if (/^\/dashboard\/commerce2\/granularadminaccess\/list\/?$/i.test(path)) return { kind: 'gdap-list', gen: 'commerce2' };
  if (/^\/commerce\/granularadminaccess\/list\/?$/i.test(path)) return { kind: 'gdap-list', gen: 'commerce' };
  if ((m = new RegExp(`^${ROOTS}/customers/(${GUID})/adminrelationships/([^/]+)/?$`, 'i').exec(path))) {
    let id;
    try {
      id = decodeURIComponent(m[3]);
    } catch {
      return { kind: 'not-found', gen: genOf(m[1]) };
    }
    return { kind: 'relationship', gen: genOf(m[1]), tenantId: m[2].toLowerCase(), relationshipId: id };
  }
  if ((m = new RegExp(`^${ROOTS}/customers/(${GUID})/adminrelationships/?$`, 'i').exec(path))) {
    return { kind: 'customer-relationships', gen: genOf(m[1]), tenantId: m[2].toLowerCase() };
  }
  if ((m = new RegExp(`^${ROOTS}/customers/(${GUID})(?:/account)?/?$`, 'i').exec(path))) {
    return { kind: 'customer', gen: genOf(m[1]), tenantId: m[2].toLowerCase() };
  }
  return { kind: 'not-found', gen: 'v2' };
}

function genOf(root) {
  const r = root.toLowerCase();
  return r === '/dashboard/commerce2' ? 'commerce2' : r === '/commerce' ? 'commerce' : 'v2';
}

function parseLocation() {
  let path = location.pathname;
  let locale = '';
  const lm = /^\/([a-z]{2}(?:-[a-z]{2,4})?)(\/.*)?$/i.exec(path);
  if (lm) {
    locale = lm[1].toLowerCase();
    path = lm[2] || '/';
  }
  const lang = locale.startsWith('ko') ? 'ko' : 'en';
  const params = new URLSearchParams(location.search);
  return { locale, lang, t: TEXT[lang], route: matchRoute(path), params };
}

const LIST_ROOT = { v2: '/dashboard/v2', commerce2: '/dashboard/commerce2', commerce: '/commerce' };
const GDAP_PATH = {
  v2: '/dashboard/v2/customers/granularadminaccess/list',
  commerce2: '/dashboard/commerce2/granularadminaccess/list',
  commerce: '/commerce/granularadminaccess/list',
};

/** Links of the current route generation and locale (customer pages exist under v2 and commerce2 only). */
function links(loc) {
  const pre = loc.locale ? `/${loc.locale}` : '';
  const gen = loc.route.gen || 'v2';
  const cust = gen === 'commerce2' ? '/dashboard/commerce2' : '/dashboard/v2';
  const enc = encodeURIComponent;
  return {
    home: `${pre}/dashboard/home`,
    customers: `${pre}${LIST_ROOT[gen]}/customers/list`,
    gdap: `${pre}${GDAP_PATH[gen]}`,
    customer: (t) => `${pre}${cust}/customers/${enc(t)}/account`,
    customerRelationships: (t) => `${pre}${cust}/customers/${enc(t)}/adminrelationships`,
    relationship: (t, id) => `${pre}${cust}/customers/${enc(t)}/adminrelationships/${enc(id)}`,
  };
}

// ---------------------------------------------------------------------------
// Components.

const BUTTON_CSS = `
:host { display: inline-block; }
.control { font: inherit; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; }
:host([appearance="link"]) .control { color: #0067b8; text-decoration: none; }
:host([appearance="link"]) .control:hover { text-decoration: underline; }
`;

class HeButton extends HTMLElement {
  static get observedAttributes() {
    return ['href'];
  }
  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).append(style(BUTTON_CSS));
    this._control = null;
  }
  connectedCallback() {
    this._sync();
  }
  attributeChangedCallback() {
    this._sync();
  }
  _sync() {
    const href = this.getAttribute('href');
    const tag = href !== null ? 'a' : 'button';
    if (!this._control || this._control.localName !== tag) {
      const control = el(tag, { class: 'control', part: 'control', type: tag === 'button' ? 'button' : null });
      control.append(el('span', { class: 'content', part: 'content' }, document.createElement('slot')));
      if (this._control) this._control.remove();
      this.shadowRoot.append(control);
      this._control = control;
    }
    if (href !== null) this._control.setAttribute('href', href);
  }
}

const GRID_CSS = `
:host { display: block; }
.grid { display: table; width: 100%; border-collapse: collapse; font-size: 14px; }
.head, .body { display: table-row-group; }
.head { font-weight: 600; }
[role="row"] { display: table-row; border-bottom: 1px solid #e1e1e1; }
[role="columnheader"], [role="gridcell"] { display: table-cell; padding: 8px 12px; text-align: left; }
.status { padding: 16px 12px; color: #605e5c; }
[data-column="status"], [data-column="endDate"], [data-column="autoExtend"] { white-space: nowrap; }
.status:empty { display: none; }
`;

class DataGrid extends HTMLElement {
  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    this._grid = el('div', { role: 'grid', class: 'grid' });
    this._head = el('div', { role: 'rowgroup', class: 'head' });
    this._body = el('div', { role: 'rowgroup', class: 'body' });
    this._status = el('div', { class: 'status' });
    this._grid.append(this._head, this._body);
    root.append(style(GRID_CSS), this._grid, this._status);
    this._columns = [];
  }
  setColumns(columns, label) {
    this._columns = columns;
    this._grid.setAttribute('aria-label', label);
    const row = el('div', { role: 'row' });
    for (const c of columns) row.append(el('div', { role: 'columnheader', 'data-column': c.key }, c.label));
    this._head.replaceChildren(row);
  }
  setLoading(text) {
    this.setAttribute('aria-busy', 'true');
    this._body.replaceChildren();
    this._status.replaceChildren(el('div', { role: 'progressbar', class: 'loading', 'aria-label': text }, text));
  }
  setMessage(text, role) {
    this.removeAttribute('aria-busy');
    this._body.replaceChildren();
    this._status.replaceChildren(el('div', { role: role || 'status', class: 'message' }, text));
  }
  /** rows: [{ id, attrs, cells: { [columnKey]: string | Node } }] */
  setRows(rows, emptyText) {
    const frag = document.createDocumentFragment();
    rows.forEach((r, i) => {
      const row = el('div', { role: 'row', id: r.id, 'aria-rowindex': i + 2, ...(r.attrs || {}) });
      for (const c of this._columns) {
        const cell = el('div', { role: 'gridcell', 'data-column': c.key });
        const v = r.cells[c.key];
        if (v !== null && v !== undefined) cell.append(v);
        row.append(cell);
      }
      frag.append(row);
    });
    this._body.replaceChildren(frag);
    // For benchmarks: when the rows went in (the mark's startTime is performance.now()).
    performance.mark('fake-pc:rows', { detail: { rows: rows.length } });
    this._grid.setAttribute('aria-rowcount', String(rows.length + 1));
    this._status.replaceChildren();
    if (rows.length === 0) this._status.append(el('div', { role: 'status', class: 'empty' }, emptyText));
    this.removeAttribute('aria-busy');
  }
}

/** Search box + grid + pager over a paged JSON endpoint. Not an element: pages compose it. */
class ListView {
  constructor(opts) {
    const t = opts.t;
    this.opts = opts;
    this.state = { page: 1, pageSize: config.pageSize, q: '' };
    this.seq = 0;
    this.root = el('section', { class: 'list' });
    this.search = el('input', { type: 'search', 'aria-label': opts.searchLabel, placeholder: t.search, 'data-action': 'search' });
    this.search.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.state.q = this.search.value;
        this.state.page = 1;
        this.load();
      }, 120);
    });
    this.size = el('select', { 'aria-label': t.rowsPerPage, 'data-action': 'page-size' });
    for (const n of [...new Set([20, 50, 100, 1000, 5000, this.state.pageSize])].sort((a, b) => a - b)) {
      this.size.append(el('option', { value: n, selected: n === this.state.pageSize }, String(n)));
    }
    this.size.addEventListener('change', () => {
      this.state.pageSize = Number(this.size.value);
      this.state.page = 1;
      this.load();
    });
    this.grid = document.createElement('customersvcadmin-data-grid');
    this.grid.setColumns(opts.columns, opts.gridLabel);
    this.prev = el('button', { type: 'button', class: 'pager-button', 'data-action': 'previous' }, t.previous);
    this.next = el('button', { type: 'button', class: 'pager-button', 'data-action': 'next' }, t.next);
    this.range = el('span', { class: 'range', 'aria-live': 'polite' });
    this.prev.addEventListener('click', () => this.go(this.state.page - 1));
    this.next.addEventListener('click', () => this.go(this.state.page + 1));
    this.root.append(
      el('div', { class: 'toolbar', role: 'toolbar' }, this.search, this.size),
      this.grid,
      el('div', { class: 'pager', role: 'navigation', 'aria-label': t.pagination }, this.prev, this.range, this.next),
    );
  }
  go(page) {
    this.state.page = Math.max(1, page);
    this.load();
  }
  async load() {
    const { t, endpoint, extra, toRow, emptyText } = this.opts;
    const seq = ++this.seq;
    this.prev.disabled = true;
    this.next.disabled = true;
    this.grid.setLoading(t.loading);
    let data;
    try {
      const qs = new URLSearchParams({ page: this.state.page, pageSize: this.state.pageSize, q: this.state.q, ...(extra || {}) });
      data = await getJson(`${endpoint}?${qs}`);
      await sleep(config.delay);
    } catch {
      if (seq === this.seq) this.grid.setMessage(t.error, 'alert');
      return;
    }
    if (seq !== this.seq || !this.root.isConnected) return;
    this.grid.setRows(data.items.map(toRow), emptyText);
    this.state.page = data.page;
    this.prev.disabled = data.page <= 1;
    this.next.disabled = data.page >= data.pageCount;
    const first = data.total === 0 ? 0 : (data.page - 1) * data.pageSize + 1;
    this.range.textContent = t.range(first, Math.min(data.page * data.pageSize, data.total), data.total);
  }
}

const PAGE_CSS = `
:host { display: block; }
h1 { font-size: 24px; font-weight: 600; margin: 0 0 4px; }
.sub { color: #605e5c; margin: 0 0 12px; }
.toolbar { display: flex; gap: 8px; margin: 12px 0; }
.toolbar input { min-width: 260px; padding: 4px 8px; }
.pager { display: flex; gap: 12px; align-items: center; margin-top: 12px; }
.tabs { display: flex; gap: 16px; margin: 8px 0 16px; border-bottom: 1px solid #e1e1e1; }
.tabs a { padding: 6px 0; color: #323130; text-decoration: none; }
.tabs a[aria-current="page"] { border-bottom: 2px solid #0067b8; font-weight: 600; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 6px 24px; }
dt { color: #605e5c; }
dd { margin: 0; }
.tiles { display: flex; gap: 16px; }
.tile { display: block; padding: 16px; border: 1px solid #e1e1e1; border-radius: 4px; min-width: 220px; color: #0067b8; text-decoration: none; }
`;

class PcPage extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).append(style(PAGE_CSS));
  }
  init(loc) {
    this.loc = loc;
    this.t = loc.t;
    this.links = links(loc);
    this.build();
  }
  build() {}
}

class HomePage extends PcPage {
  build() {
    const { t, links: L } = this;
    this.shadowRoot.append(
      el('h1', {}, t.welcome),
      el('div', { class: 'tiles' }, el('a', { class: 'tile', href: L.customers }, t.homeCustomers), el('a', { class: 'tile', href: L.gdap }, t.homeGdap)),
    );
  }
}

class NotFoundPage extends PcPage {
  build() {
    this.shadowRoot.append(el('h1', {}, this.t.notFound));
  }
}

class CustomerListPage extends PcPage {
  build() {
    const { t, links: L } = this;
    this.list = new ListView({
      t,
      endpoint: `${API}customers`,
      gridLabel: t.customersTitle,
      searchLabel: t.searchCustomers,
      emptyText: t.emptyCustomers,
      columns: [
        { key: 'name', label: t.colCustomer },
        { key: 'domain', label: t.colDomain },
        { key: 'relationship', label: t.colRelationship },
      ],
      toRow: (c) => ({
        id: `row-${c.tenantId}`,
        cells: {
          name: linkButton(c.displayName, L.customer(c.tenantId)),
          domain: c.domain || '—',
          relationship: c.relationships.map((k) => t.rel[k] || k).join(', ') || '—',
        },
      }),
    });
    this.shadowRoot.append(el('h1', {}, t.customersTitle), this.list.root);
    this.list.load();
  }
}

function relationshipColumns(t, withCustomer) {
  return [
    { key: 'name', label: t.colName },
    ...(withCustomer ? [{ key: 'customer', label: t.colCustomerOf }] : []),
    { key: 'status', label: t.colStatus },
    { key: 'endDate', label: t.colEnd },
    { key: 'autoExtend', label: t.colAutoExtend },
  ];
}

function relationshipRow(t, L, r) {
  return {
    id: `row-${r.id}`,
    attrs: { 'data-relationship-id': r.id },
    cells: {
      name: linkButton(r.displayName, r.tenantId ? L.relationship(r.tenantId, r.id) : null),
      customer: r.tenantId ? linkButton(r.customerName || r.tenantId, L.customerRelationships(r.tenantId)) : '—',
      status: statusText(t, r.status),
      endDate: fmtDate(t, r.endDateTime),
      autoExtend: r.autoExtend ? t.on : t.off,
    },
  };
}

class GdapListPage extends PcPage {
  build() {
    const { t, links: L } = this;
    this.list = new ListView({
      t,
      endpoint: `${API}relationships`,
      gridLabel: t.gdapTitle,
      searchLabel: t.searchRelationships,
      emptyText: t.emptyRelationships,
      columns: relationshipColumns(t, true),
      toRow: (r) => relationshipRow(t, L, r),
    });
    this.shadowRoot.append(el('h1', {}, t.gdapTitle), this.list.root);
    this.list.load();
  }
}

/** Heading of a customer's pages: name (loaded later), Microsoft ID, tabs. */
function customerHeader(page, tenantId, current) {
  const { t, links: L } = page;
  const h1 = el('h1', { class: 'customer-name', 'data-tenant-id': tenantId, 'aria-busy': 'true' }, t.loading);
  const tabs = el(
    'nav',
    { class: 'tabs', 'aria-label': t.fCustomer },
    el('a', { href: L.customer(tenantId), 'aria-current': current === 'account' ? 'page' : null }, t.account),
    el('a', { href: L.customerRelationships(tenantId), 'aria-current': current === 'relationships' ? 'page' : null }, t.adminRelationships),
  );
  const header = el('header', { class: 'page-header' }, h1, el('p', { class: 'sub' }, `${t.tenantId}: ${tenantId}`), tabs);
  const loaded = (async () => {
    try {
      const c = await getJson(`${API}customers/${encodeURIComponent(tenantId)}`);
      await sleep(config.delay);
      h1.textContent = c.displayName;
      return c;
    } catch {
      h1.textContent = t.customerNotFound;
      return null;
    } finally {
      h1.removeAttribute('aria-busy');
    }
  })();
  return { header, loaded };
}

class CustomerRelationshipsPage extends PcPage {
  build() {
    const { t, links: L, loc } = this;
    const tenantId = loc.route.tenantId;
    const { header } = customerHeader(this, tenantId, 'relationships');
    this.list = new ListView({
      t,
      endpoint: `${API}relationships`,
      extra: { tenantId },
      gridLabel: t.adminRelationships,
      searchLabel: t.searchRelationships,
      emptyText: t.emptyRelationships,
      columns: relationshipColumns(t, false),
      toRow: (r) => relationshipRow(t, L, r),
    });
    this.shadowRoot.append(header, el('h2', {}, t.adminRelationships), this.list.root);
    this.list.load();
  }
}

class CustomerPage extends PcPage {
  build() {
    const { t, loc } = this;
    const tenantId = loc.route.tenantId;
    const { header, loaded } = customerHeader(this, tenantId, 'account');
    const details = el('dl', { class: 'details', 'aria-busy': 'true' });
    this.shadowRoot.append(header, details);
    loaded.then((c) => {
      details.removeAttribute('aria-busy');
      if (!c) return;
      details.append(
        el('dt', {}, t.domain),
        el('dd', {}, c.domain || '—'),
        el('dt', {}, t.tenantId),
        el('dd', {}, c.tenantId),
        el('dt', {}, t.colRelationship),
        el('dd', {}, c.relationships.map((k) => t.rel[k] || k).join(', ') || '—'),
      );
    });
  }
}

class RelationshipPage extends PcPage {
  build() {
    const { t, links: L, loc } = this;
    const { relationshipId } = loc.route;
    const h1 = el('h1', { class: 'relationship-name', 'data-relationship-id': relationshipId, 'aria-busy': 'true' }, t.loading);
    const details = el('dl', { class: 'details' });
    const roles = el('ul', { class: 'roles' });
    this.shadowRoot.append(el('header', { class: 'page-header' }, h1), details, el('h2', {}, t.fRoles), roles);
    (async () => {
      let r;
      try {
        r = await getJson(`${API}relationships/${encodeURIComponent(relationshipId)}`);
        await sleep(config.delay);
      } catch {
        h1.removeAttribute('aria-busy');
        h1.textContent = t.relationshipNotFound;
        return;
      }
      h1.removeAttribute('aria-busy');
      h1.textContent = r.displayName;
      const customer = r.tenantId ? linkButton(r.customerName || r.tenantId, L.customerRelationships(r.tenantId)) : '—';
      const row = (k, v) => [el('dt', {}, k), el('dd', {}, v)];
      details.append(
        ...row(t.fCustomer, customer),
        ...row(t.fStatus, statusText(t, r.status)),
        ...row(t.fCreated, fmtDate(t, r.createdDateTime)),
        ...row(t.fStart, fmtDate(t, r.activatedDateTime)),
        ...row(t.fEnd, fmtDate(t, r.endDateTime)),
        ...row(t.fDuration, r.durationDays === null ? r.duration : t.days(r.durationDays)),
        ...row(t.fAutoExtend, r.autoExtend ? t.on : t.off),
        ...row(t.fId, r.id),
      );
      for (const role of r.roles) roles.append(el('li', { 'data-role-id': role.id }, role.name));
    })();
  }
}

const SHELL_CSS = `
:host { display: block; font-family: "Segoe UI", system-ui, sans-serif; color: #323130; }
.top { background: #243a5e; color: #fff; height: 48px; display: flex; align-items: center; padding: 0 16px; }
.brand { color: #fff; font-weight: 600; text-decoration: none; }
.frame { display: flex; }
nav.side { width: 220px; padding: 12px 0; background: #f3f2f1; min-height: calc(100vh - 48px); }
nav.side a { display: block; padding: 8px 16px; color: #323130; text-decoration: none; }
nav.side a[aria-current="page"] { background: #e1dfdd; font-weight: 600; }
main { flex: 1; padding: 20px 28px; }
`;

const PAGES = {
  home: 'pc-home-page',
  'customer-list': 'pc-customer-list-page',
  'gdap-list': 'pc-granular-admin-list-page',
  'customer-relationships': 'pc-customer-admin-relationships-page',
  relationship: 'pc-admin-relationship-page',
  customer: 'pc-customer-account-page',
  'not-found': 'pc-not-found-page',
};

class PcShell extends HTMLElement {
  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    this._brand = el('a', { class: 'brand', href: '/dashboard/home' });
    this._nav = el('nav', { class: 'side' });
    this._main = el('main', { id: 'page-host' });
    root.append(style(SHELL_CSS), el('header', { class: 'top' }, this._brand), el('div', { class: 'frame' }, this._nav, this._main));
  }
  show(loc) {
    const { t } = loc;
    const L = links(loc);
    const kind = loc.route.kind;
    this._brand.textContent = t.product;
    this._brand.setAttribute('href', L.home);
    this._nav.setAttribute('aria-label', t.product);
    const item = (href, text, on) => el('a', { href, 'aria-current': on ? 'page' : null }, text);
    this._nav.replaceChildren(
      item(L.home, t.navHome, kind === 'home'),
      item(L.customers, t.navCustomers, kind === 'customer-list' || kind === 'customer' || kind === 'customer-relationships'),
      item(L.gdap, t.navGdap, kind === 'gdap-list' || kind === 'relationship'),
    );
    const page = document.createElement(PAGES[kind] || PAGES['not-found']);
    page.init(loc);
    this._main.replaceChildren(page);
  }
}

customElements.define('customersvcadmin_he-button', HeButton);
customElements.define('customersvcadmin-data-grid', DataGrid);
customElements.define(PAGES.home, HomePage);
customElements.define(PAGES['customer-list'], CustomerListPage);
customElements.define(PAGES['gdap-list'], GdapListPage);
customElements.define(PAGES['customer-relationships'], CustomerRelationshipsPage);
customElements.define(PAGES.relationship, RelationshipPage);
customElements.define(PAGES.customer, CustomerPage);
customElements.define(PAGES['not-found'], NotFoundPage);
customElements.define('pc-shell', PcShell);

// ---------------------------------------------------------------------------
// "Unknown layout" (?layout=unknown): the same data in a structure the extension has
// never seen: no row ids, no known components, no customer links.

const UNKNOWN_CSS = `
:host { display: block; font-family: system-ui, sans-serif; padding: 16px; }
.entity { display: flex; gap: 16px; padding: 6px 0; border-bottom: 1px dashed #ccc; }
.entity-sub { color: #666; }
`;

class UxSurface extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).append(style(UNKNOWN_CSS));
  }
  async show(loc) {
    const { t, route } = loc;
    const root = this.shadowRoot;
    const heading = el('h2', {}, t.product);
    const list = el('ol', { class: 'entity-list', 'aria-busy': 'true' });
    root.replaceChildren(root.firstChild, heading, list);
    const entity = (title, sub) => el('li', { class: 'entity' }, el('span', { class: 'entity-title' }, title), el('span', { class: 'entity-sub' }, sub));
    const qs = new URLSearchParams({ page: 1, pageSize: config.pageSize });
    let items = [];
    try {
      if (route.kind === 'customer-list') {
        heading.textContent = t.customersTitle;
        items = (await getJson(`${API}customers?${qs}`)).items.map((c) => entity(c.displayName, c.domain || ''));
      } else if (route.kind === 'gdap-list' || route.kind === 'customer-relationships') {
        heading.textContent = t.gdapTitle;
        if (route.kind === 'customer-relationships') qs.set('tenantId', route.tenantId);
        items = (await getJson(`${API}relationships?${qs}`)).items.map((r) =>
          entity(r.displayName, `${r.customerName || ''} · ${statusText(t, r.status)}`),
        );
      }
      await sleep(config.delay);
    } catch {
      items = [entity(t.error, '')];
    }
    if (!this.isConnected) return;
    list.append(...items);
    list.removeAttribute('aria-busy');
  }
}
customElements.define('ux-surface', UxSurface);

// ---------------------------------------------------------------------------
// Router: history API, links intercepted (composedPath reaches into open shadow roots).

function render() {
  const loc = parseLocation();
  readConfig(loc.params);
  document.documentElement.lang = loc.locale || 'en-us';
  document.title = loc.t.product;
  if (loc.params.get('layout') === 'unknown') {
    document.querySelector('pc-shell')?.remove();
    let host = document.getElementById('app-root');
    if (!host) host = document.body.appendChild(el('div', { id: 'app-root' }));
    const surface = document.createElement('ux-surface');
    host.replaceChildren(surface);
    surface.show(loc);
    return;
  }
  document.getElementById('app-root')?.remove();
  let shell = document.querySelector('pc-shell');
  if (!shell) shell = document.body.appendChild(document.createElement('pc-shell'));
  shell.show(loc);
}

function navigate(url) {
  history.pushState(null, '', url);
  render();
}

document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = event.composedPath().find((n) => n instanceof HTMLAnchorElement && n.hasAttribute('href'));
  if (!anchor || (anchor.target && anchor.target !== '_self') || anchor.hasAttribute('download')) return;
  const url = new URL(anchor.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/__fake/')) return;
  event.preventDefault();
  if (url.href === location.href) return;
  navigate(url.pathname + url.search + url.hash);
});

window.addEventListener('popstate', render);

render();
