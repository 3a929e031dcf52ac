// Fake Microsoft 365 admin center single-page app. Test code: served by ./index.ts,
// never shipped. Same content on admin.microsoft.com and admin.cloud.microsoft.
//
//   <div id="root">
//     <m365-admin-shell>                      open shadow root: header, nav, <main id="content">
//       └ <m365-partner-relationships>        open shadow root (Fluent-UI-like DetailsList)
//           └ <div role="grid" class="ms-DetailsList" aria-label="Partners">
//               └ <div role="row" class="ms-DetailsRow" data-partner-id="{id}" data-selection-index="{i}">
//                   └ <div role="gridcell" data-automation-key="displayName"><button class="ms-Link" data-partner-id>Name</button>
//           └ <div role="dialog" class="ms-Panel" data-partner-id>  (details pane: remove / terminate)
//       └ <m365-gdap-invitation data-relationship-id="{id}">   open shadow root: Approve / Cancel
//       └ <m365-reseller-invitation>          open shadow root: Accept (inert)
// Hash routes with hashchange; rows arrive after the shell (?delay=ms, default 150);
// ?layout=unknown renders the partner list in a structure the extension has never seen.
// Data is only ever written with textContent / setAttribute.

const API = '/__fake/ac/api/';
const config = { delay: 150 };
{
  const raw = new URLSearchParams(location.search).get('delay');
  const n = raw === null || raw.trim() === '' ? NaN : Number(raw);
  if (Number.isFinite(n)) config.delay = Math.min(60000, Math.max(0, Math.trunc(n)));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

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

function fmtDate(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return el('time', { datetime: iso }, new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(d));
}

async function request(path, init) {
  const res = await fetch(path, { headers: { Accept: 'application/json' }, ...(init || {}) });
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok) {
    const err = new Error((body && body.error && body.error.message) || `HTTP ${res.status}`);
    err.status = res.status;
    throw err;
  }
  return body;
}

const PAGE_CSS = `
:host { display: block; }
h1 { font-size: 28px; font-weight: 600; margin: 0 0 8px; }
h2 { font-size: 20px; font-weight: 600; }
.description { color: #605e5c; margin: 0 0 16px; max-width: 720px; }
.ms-DetailsList { display: table; width: 100%; border-collapse: collapse; font-size: 14px; }
.ms-DetailsList-headerWrapper, .ms-DetailsList-contentWrapper { display: table-row-group; }
[role="row"] { display: table-row; border-bottom: 1px solid #edebe9; }
[role="columnheader"], [role="gridcell"] { display: table-cell; padding: 10px 12px; text-align: left; vertical-align: top; }
[role="columnheader"] { font-weight: 600; }
.ms-Link { color: #0f6cbd; background: none; border: 0; padding: 0; font: inherit; cursor: pointer; text-align: left; }
.ms-Panel { position: fixed; top: 48px; right: 0; bottom: 0; width: 420px; background: #fff; box-shadow: -4px 0 16px rgba(0,0,0,.2); padding: 20px 24px; overflow: auto; }
.ms-Panel[hidden] { display: none; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 6px 20px; }
dt { color: #605e5c; }
dd { margin: 0; }
.actions { display: flex; gap: 8px; margin-top: 20px; }
.ms-Button { padding: 6px 16px; border: 1px solid #8a8886; border-radius: 4px; background: #fff; font: inherit; cursor: pointer; }
.ms-Button--primary { background: #0f6cbd; border-color: #0f6cbd; color: #fff; }
.ms-MessageBar { padding: 8px 12px; margin: 12px 0; background: #dff6dd; }
.ms-MessageBar--error { background: #fde7e9; }
.loading { color: #605e5c; padding: 12px; }
`;

class AcPage extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).append(style(PAGE_CSS));
  }
  start() {}
}

// ---------------------------------------------------------------------------
// Settings → Partner relationships.

const DAP = 'Delegated admin (DAP)';
const GDAP = 'Granular delegated admin (GDAP)';

class PartnerRelationshipsPage extends AcPage {
  start() {
    const root = this.shadowRoot;
    this._head = el('div', { class: 'ms-DetailsList-headerWrapper', role: 'rowgroup' });
    this._body = el('div', { class: 'ms-DetailsList-contentWrapper', role: 'rowgroup' });
    this._grid = el('div', { class: 'ms-DetailsList', role: 'grid', 'aria-label': 'Partners', 'aria-busy': 'true' }, this._head, this._body);
    this._status = el('div', { class: 'loading', role: 'progressbar', 'aria-label': 'Loading' }, 'Loading…');
    this._panel = el('div', { class: 'ms-Panel', role: 'dialog', hidden: true });
    const headerRow = el('div', { role: 'row', class: 'ms-DetailsHeader' });
    for (const [key, label] of [
      ['displayName', 'Partner name'],
      ['relationshipTypes', 'Relationship'],
      ['roles', 'Roles'],
      ['gdapEndDateTime', 'Granular delegated admin ends'],
    ]) {
      headerRow.append(el('div', { role: 'columnheader', 'data-automation-key': key }, label));
    }
    this._head.append(headerRow);
    root.append(
      el('h1', {}, 'Partner relationships'),
      el(
        'p',
        { class: 'description' },
        'Partners you work with can manage your subscriptions and services. Select a partner to see details, remove delegated admin roles or end the relationship.',
      ),
      this._grid,
      this._status,
      this._panel,
    );
    this.load();
  }
  async load(selectId) {
    this._grid.setAttribute('aria-busy', 'true');
    let partners;
    try {
      partners = (await request(`${API}partners`)).value;
      await sleep(config.delay);
    } catch (e) {
      this._status.replaceChildren('We couldn’t load your partners. ' + e.message);
      this._status.setAttribute('role', 'alert');
      return;
    }
    if (!this.isConnected) return;
    this._partners = partners;
    const frag = document.createDocumentFragment();
    partners.forEach((p, i) => {
      const name = el('button', { type: 'button', class: 'ms-Link', 'data-partner-id': p.id }, p.displayName);
      name.addEventListener('click', () => this.select(p.id));
      const cell = (key, ...content) => el('div', { role: 'gridcell', class: 'ms-DetailsRow-cell', 'data-automation-key': key }, ...content);
      frag.append(
        el(
          'div',
          { role: 'row', class: 'ms-DetailsRow', 'data-partner-id': p.id, 'data-selection-index': i, 'aria-rowindex': i + 2 },
          cell('displayName', name),
          cell('relationshipTypes', p.relationshipTypes.join(', ')),
          cell('roles', p.roles.length ? p.roles.join(', ') : '—'),
          cell('gdapEndDateTime', fmtDate(p.gdapEndDateTime)),
        ),
      );
    });
    this._body.replaceChildren(frag);
    this._grid.removeAttribute('aria-busy');
    this._status.replaceChildren(partners.length ? '' : 'You have no partner relationships.');
    this._status.removeAttribute('role');
    this._status.className = partners.length ? 'loading done' : 'loading empty';
    if (partners.length) this._status.hidden = true;
    if (selectId) this.select(selectId);
  }
  select(id, message) {
    const p = (this._partners || []).find((x) => x.id === id);
    const panel = this._panel;
    if (!p) {
      panel.hidden = true;
      return;
    }
    panel.setAttribute('data-partner-id', p.id);
    panel.setAttribute('aria-label', p.displayName);
    const actions = el('div', { class: 'actions' });
    if (p.relationshipTypes.includes(DAP)) {
      const remove = el('button', { type: 'button', class: 'ms-Button', 'data-action': 'remove-delegated-admin' }, 'Remove delegated admin');
      remove.addEventListener('click', () => this.confirmRemove(p));
      actions.append(remove);
    }
    if (p.relationshipTypes.includes(GDAP)) {
      const terminate = el('button', { type: 'button', class: 'ms-Button', 'data-action': 'terminate' }, 'Terminate');
      terminate.addEventListener('click', () => this.confirmTerminate(p));
      actions.append(terminate);
    }
    const close = el('button', { type: 'button', class: 'ms-Button', 'data-action': 'close' }, 'Close');
    close.addEventListener('click', () => {
      panel.hidden = true;
    });
    actions.append(close);
    const details = el('dl', {});
    const row = (k, v) => details.append(el('dt', {}, k), el('dd', {}, v));
    row('Relationship', p.relationshipTypes.join(', '));
    row('Roles', p.roles.length ? p.roles.join(', ') : '—');
    if (p.gdapRelationshipName) row('Granular relationship name', p.gdapRelationshipName);
    if (p.gdapEndDateTime) row('Ends', fmtDate(p.gdapEndDateTime));
    panel.replaceChildren(
      el('h2', {}, p.displayName),
      message ? el('div', { class: 'ms-MessageBar', role: 'status' }, message) : null,
      details,
      actions,
    );
    panel.hidden = false;
  }
  confirm(p, question, explanation, actionLabel, actionKey, onConfirm) {
    const yes = el('button', { type: 'button', class: 'ms-Button ms-Button--primary', 'data-action': actionKey }, actionLabel);
    const no = el('button', { type: 'button', class: 'ms-Button', 'data-action': 'cancel' }, 'Cancel');
    yes.addEventListener('click', onConfirm);
    no.addEventListener('click', () => this.select(p.id));
    this._panel.replaceChildren(el('h2', {}, question), el('p', {}, explanation), el('div', { class: 'actions' }, yes, no));
  }
  confirmRemove(p) {
    this.confirm(
      p,
      'Remove delegated admin roles?',
      'This partner will no longer have admin roles in your organization. Your reseller relationship stays.',
      'Remove',
      'confirm-remove',
      async () => {
        try {
          await request(`${API}partners/${encodeURIComponent(p.id)}/removeDelegatedAdmin`, { method: 'POST' });
        } catch (e) {
          this.select(p.id, e.message);
          return;
        }
        await this.load();
        this.select(p.id, 'Delegated admin roles removed.');
      },
    );
  }
  confirmTerminate(p) {
    // Inert in the fake: the customer side of terminating GDAP is not simulated.
    this.confirm(
      p,
      'Terminate this relationship?',
      'The partner will lose the admin roles granted through this granular delegated admin relationship.',
      'Terminate',
      'confirm-terminate',
      () => this.select(p.id, 'Termination requested.'),
    );
  }
}

// ---------------------------------------------------------------------------
// GDAP invitation: #/partners/invitation/granularAdminRelationships/{id}

class GdapInvitationPage extends AcPage {
  start(route) {
    this.id = route.id;
    this.setAttribute('data-relationship-id', route.id);
    this.shadowRoot.append(el('div', { class: 'loading', role: 'progressbar', 'aria-label': 'Loading' }, 'Loading…'));
    this.load();
  }
  async load(message) {
    let inv;
    try {
      inv = await request(`${API}gdap-invitations/${encodeURIComponent(this.id)}`);
      await sleep(config.delay);
    } catch (e) {
      if (!this.isConnected) return;
      this.showError(e.status === 404 ? 'We couldn’t find this request' : 'Something went wrong', e.status === 404 ? 'The link may be wrong, or the request was removed. Ask your partner for a new link.' : e.message);
      return;
    }
    if (!this.isConnected) return;
    this.render(inv, message);
  }
  showError(title, text) {
    const root = this.shadowRoot;
    root.replaceChildren(root.firstChild, el('div', { class: 'ms-MessageBar ms-MessageBar--error', role: 'alert', 'data-error': 'not-found' }, el('h1', {}, title), el('p', {}, text)));
  }
  render(inv, message) {
    const root = this.shadowRoot;
    const details = el('dl', { class: 'invitation-details' });
    const row = (key, label, value) => details.append(el('dt', {}, label), el('dd', { 'data-field': key }, value));
    row('partner', 'Partner', inv.partnerName);
    row('relationshipName', 'Relationship name', inv.displayName);
    row('duration', 'Duration', inv.durationDays === null ? inv.duration : `${inv.durationDays} days`);
    row('autoExtend', 'Auto extend', inv.autoExtend ? `On (${inv.autoExtendDays} days)` : 'Off');
    row('expires', 'Request expires', fmtDate(inv.expiresDateTime));
    if (inv.endDateTime) row('ends', 'Ends', fmtDate(inv.endDateTime));
    const roles = el('ul', { class: 'roles', 'aria-label': 'Microsoft Entra roles' });
    for (const r of inv.roles) roles.append(el('li', { 'data-role-id': r.id }, r.name));
    const parts = [
      el('h1', {}, 'Review partner’s request for admin roles'),
      el('p', { class: 'description' }, 'Your partner asks for the Microsoft Entra roles below, for the time shown. Approve to give them this access.'),
      message ? el('div', { class: 'ms-MessageBar', role: 'status' }, message) : null,
      details,
      el('h2', {}, 'Microsoft Entra roles'),
      roles,
    ];
    if (inv.state === 'pending') {
      const approve = el('button', { type: 'button', class: 'ms-Button ms-Button--primary', 'data-action': 'approve' }, 'Approve');
      const cancel = el('button', { type: 'button', class: 'ms-Button', 'data-action': 'cancel' }, 'Cancel');
      approve.addEventListener('click', async () => {
        approve.disabled = true;
        cancel.disabled = true;
        try {
          const after = await request(`${API}gdap-invitations/${encodeURIComponent(this.id)}/approve`, { method: 'POST' });
          this.render(after, 'You approved this request.');
        } catch (e) {
          this.load(e.message);
        }
      });
      cancel.addEventListener('click', () => {
        location.hash = '#/partners';
      });
      parts.push(el('div', { class: 'actions' }, approve, cancel));
    } else {
      const text = {
        approved: 'This request has been approved.',
        expired: 'This request has expired. Ask your partner to send a new one.',
        unavailable: 'This request is no longer available.',
      }[inv.state];
      parts.push(el('div', { class: 'ms-MessageBar', role: 'status', 'data-state': inv.state }, text || 'This request is no longer available.'));
    }
    root.replaceChildren(root.firstChild, ...parts.filter(Boolean));
    this.setAttribute('data-state', inv.state);
  }
}

// ---------------------------------------------------------------------------
// Reseller invitation: ?invType=…&partnerId=…#/BillingAccounts/partner-invitation

class ResellerInvitationPage extends AcPage {
  async start() {
    const q = new URLSearchParams(location.search);
    const partnerId = q.get('partnerId') || '';
    const root = this.shadowRoot;
    const loading = el('div', { class: 'loading', role: 'progressbar', 'aria-label': 'Loading' }, 'Loading…');
    root.append(loading);
    let info = { partnerId, partnerName: null };
    try {
      info = await request(`${API}reseller-invitation?${new URLSearchParams({ partnerId })}`);
      await sleep(config.delay);
    } catch {
      // show what the link says
    }
    if (!this.isConnected) return;
    const details = el('dl', {});
    const row = (key, label, value) => details.append(el('dt', {}, label), el('dd', { 'data-field': key }, value));
    row('partnerName', 'Partner', info.partnerName || 'Unknown partner');
    row('partnerId', 'Partner ID', partnerId || '—');
    row('invType', 'Invitation type', q.get('invType') || '—');
    if (q.get('msppId') !== null) row('msppId', 'MPN ID', q.get('msppId'));
    if (q.get('indirectCSPId') !== null) row('indirectCSPId', 'Indirect provider', q.get('indirectCSPId'));
    row('dap', 'Delegated admin', q.get('DAP') === 'true' ? 'Requested' : 'Not requested');
    const agree = el('input', { type: 'checkbox', id: 'agree', 'data-action': 'agree' });
    const accept = el('button', { type: 'button', class: 'ms-Button ms-Button--primary', 'data-action': 'accept', disabled: true }, 'Accept');
    const status = el('div', { role: 'status' });
    agree.addEventListener('change', () => {
      accept.disabled = !agree.checked;
    });
    accept.addEventListener('click', () => {
      // Inert: accepting a reseller relationship is not simulated.
      status.replaceChildren(el('div', { class: 'ms-MessageBar' }, 'Thanks. Your partner will be notified.'));
      accept.disabled = true;
    });
    loading.remove();
    root.append(
      el('h1', {}, 'Accept partner invitation'),
      el('p', { class: 'description' }, 'A partner invited you to a reseller relationship so they can sell you Microsoft products and services.'),
      details,
      el('label', { for: 'agree' }, agree, ' I have authority to accept this invitation for my organization.'),
      el('div', { class: 'actions' }, accept),
      status,
    );
  }
}

// ---------------------------------------------------------------------------
// Home.

class HomePage extends AcPage {
  start(route, tenant) {
    const q = new URLSearchParams(location.search);
    const delegatedOrg = q.get('delegatedOrg');
    const isExchange = /^\/exchange\/?$/i.test(location.pathname);
    this.shadowRoot.append(
      el('h1', {}, isExchange ? 'Exchange admin center' : 'Home'),
      delegatedOrg ? el('p', { class: 'delegated-org', 'data-delegated-org': delegatedOrg }, `You're managing ${delegatedOrg}`) : null,
      el('p', { class: 'description' }, tenant ? tenant.displayName : ''),
      el('a', { href: '#/partners' }, 'Partner relationships'),
    );
  }
}

// ---------------------------------------------------------------------------
// Shell and router.

const SHELL_CSS = `
:host { display: block; font-family: "Segoe UI", system-ui, sans-serif; color: #242424; }
.ms-header { background: #0f6cbd; color: #fff; height: 48px; display: flex; align-items: center; justify-content: space-between; padding: 0 16px; }
.product { font-weight: 600; }
.frame { display: flex; }
nav { width: 220px; background: #f5f5f5; min-height: calc(100vh - 48px); padding: 8px 0; }
nav a { display: block; padding: 8px 16px; color: #242424; text-decoration: none; }
nav a[aria-current="page"] { font-weight: 600; background: #e6e6e6; }
main { flex: 1; padding: 24px 32px; }
`;

function parseHash() {
  const raw = location.hash.replace(/^#/, '').split('?')[0] || '';
  let m;
  if ((m = /^\/partners\/invitation\/granularAdminRelationships\/([^/]+)\/?$/i.exec(raw))) {
    let id;
    try {
      id = decodeURIComponent(m[1]);
    } catch {
      id = m[1];
    }
    return { kind: 'gdap-invitation', id };
  }
  if (/^\/partners\/?$/i.test(raw)) return { kind: 'partners' };
  if (/^\/BillingAccounts\/partner-invitation\/?$/i.test(raw)) return { kind: 'reseller-invitation' };
  return { kind: 'home' };
}

const PAGES = {
  home: 'm365-home',
  partners: 'm365-partner-relationships',
  'gdap-invitation': 'm365-gdap-invitation',
  'reseller-invitation': 'm365-reseller-invitation',
};

let tenantPromise = null;
const tenant = () => (tenantPromise ??= request(`${API}tenant`).catch(() => null));

class AdminShell extends HTMLElement {
  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    this._tenant = el('span', { class: 'tenant' });
    this._nav = el('nav', { 'aria-label': 'Navigation' });
    this._main = el('main', { id: 'content' });
    root.append(
      style(SHELL_CSS),
      el('header', { class: 'ms-header', role: 'banner' }, el('span', { class: 'product' }, 'Microsoft 365 admin center'), this._tenant),
      el('div', { class: 'frame' }, this._nav, this._main),
    );
    tenant().then((t) => {
      if (t) this._tenant.textContent = t.displayName;
    });
  }
  async show(route) {
    const item = (href, text, on) => el('a', { href, 'aria-current': on ? 'page' : null }, text);
    this._nav.replaceChildren(item('#/homepage', 'Home', route.kind === 'home'), item('#/partners', 'Partner relationships', route.kind !== 'home'));
    const page = document.createElement(PAGES[route.kind]);
    this._main.replaceChildren(page);
    page.start(route, route.kind === 'home' ? await tenant() : null);
  }
}

customElements.define('m365-admin-shell', AdminShell);
customElements.define(PAGES.home, HomePage);
customElements.define(PAGES.partners, PartnerRelationshipsPage);
customElements.define(PAGES['gdap-invitation'], GdapInvitationPage);
customElements.define(PAGES['reseller-invitation'], ResellerInvitationPage);

/** ?layout=unknown: plain markup, no shadow roots, no partner ids, no known components. */
async function renderUnknown(root) {
  const list = el('div', { class: 'v3-canvas', 'aria-busy': 'true' });
  root.replaceChildren(el('section', { class: 'v3-surface' }, el('div', { class: 'v3-title' }, 'Partners'), list));
  let partners = [];
  try {
    partners = (await request(`${API}partners`)).value;
    await sleep(config.delay);
  } catch {
    partners = [];
  }
  for (const p of partners) {
    list.append(el('div', { class: 'v3-tile' }, el('div', { class: 'v3-tile-title' }, p.displayName), el('div', { class: 'v3-tile-body' }, p.roles.join(' · '))));
  }
  list.removeAttribute('aria-busy');
}

function render() {
  const root = document.getElementById('root') || document.body.appendChild(el('div', { id: 'root' }));
  if (new URLSearchParams(location.search).get('layout') === 'unknown') {
    renderUnknown(root);
    return;
  }
  let shell = root.querySelector('m365-admin-shell');
  if (!shell) shell = root.appendChild(document.createElement('m365-admin-shell'));
  shell.show(parseHash());
}

// Hash changes fire both hashchange and popstate; history.pushState fires neither. Render
// once per distinct URL.
let lastRendered = null;
function route() {
  if (location.href === lastRendered) return;
  lastRendered = location.href;
  render();
}
window.addEventListener('hashchange', route);
window.addEventListener('popstate', route);
route();
