// @vitest-environment happy-dom
// @vitest-environment-options {"url":"https://partner.microsoft.com/dashboard/home"}
import { afterEach, describe, expect, it } from 'vitest';
import { BADGE_HOST_TAG, detectPartnerCenterPage, findBadgeTargets, isLinkHost, type BadgeTarget, type PartnerCenterPage } from '@/utils/portals/partner-center';
import { closestAcrossShadow, deepQueryGroups, deepQuerySelectorAll, openShadowRoots } from '@/utils/portals/dom';
import {
  buildRow,
  customerRow,
  el,
  guid,
  heading,
  linkButton,
  links,
  mountGrid,
  mountShell,
  mountUnknownLayout,
  relationshipId,
  relationshipRow,
  type BuiltRow,
  type Generation,
} from './fixtures/partner-center/build';

const PC = 'https://partner.microsoft.com';

function page(url: string): PartnerCenterPage {
  const p = detectPartnerCenterPage(`${PC}${url}`);
  if (!p) throw new Error(`fixture route not recognised: ${url}`);
  return p;
}

/** A target's shape without the elements, for readable comparisons. */
function ids(t: BadgeTarget) {
  switch (t.kind) {
    case 'customer-row':
    case 'customer-header':
      return { kind: t.kind, tenantId: t.tenantId };
    case 'relationship-row':
    case 'relationship-header':
      return { kind: t.kind, relationshipId: t.relationshipId, tenantId: t.tenantId };
  }
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('dom helpers', () => {
  it('deepQuerySelectorAll goes through nested open shadow roots in rendered order, not into skipped hosts', () => {
    const { page: pageRoot } = mountShell(document);
    pageRoot.append(el(document, 'h1', { id: 'first' }, 'Customers'));
    const grid = mountGrid(document, pageRoot, ['name']);
    const rows = [1, 2, 3].map((n) => customerRow(document, 'v2', '', { tenantId: guid(n), name: `C${n}` }));
    grid.body.append(...rows.map((r) => r.row));
    document.body.append(el(document, 'h1', { id: 'light' }, 'After'));

    expect(document.querySelectorAll('[role="row"]').length).toBe(0); // the reason this module exists
    const found = deepQuerySelectorAll(document, '[role="row"][id]');
    expect(found).toEqual(rows.map((r) => r.row));
    // Anchors inside the link-buttons' own shadow roots are reached too.
    const anchors = deepQuerySelectorAll(document, 'a[part="control"]');
    expect(anchors.map((a) => a.getAttribute('href'))).toEqual([1, 2, 3].map((n) => links('v2').customer(guid(n))));
    // Rendered order: shell's shadow content before later light DOM.
    expect(deepQuerySelectorAll(document, 'h1').map((h) => h.id)).toEqual(['first', 'light']);

    // Skipped hosts are entered neither in light nor in shadow DOM.
    const badge = el(document, BADGE_HOST_TAG, {}, el(document, 'h1', { id: 'in-badge-light' }));
    badge.attachShadow({ mode: 'open' }).append(el(document, 'h1', { id: 'in-badge-shadow' }));
    rows[0]!.cells.name!.append(badge);
    // A host's shadow tree comes right after the host, before its light children.
    expect(deepQuerySelectorAll(document, 'h1').map((h) => h.id)).toEqual(['first', 'in-badge-shadow', 'in-badge-light', 'light']);
    expect(deepQuerySelectorAll(document, 'h1', { skip: BADGE_HOST_TAG }).map((h) => h.id)).toEqual(['first', 'light']);
    // Root itself is not a candidate, its own shadow root is searched.
    expect(deepQuerySelectorAll(grid.host, 'customersvcadmin-data-grid')).toEqual([]);
    expect(deepQuerySelectorAll(grid.host, '[role="row"][id]')).toHaveLength(3);
  });

  it('openShadowRoots lists every open shadow root below, closed ones stay invisible', () => {
    const { shell, pageHost, page: pageRoot } = mountShell(document);
    const grid = mountGrid(document, pageRoot, ['name']);
    const r = customerRow(document, 'v2', '', { tenantId: guid(1), name: 'C1' });
    grid.body.append(r.row);
    const closed = el(document, 'x-closed');
    closed.attachShadow({ mode: 'closed' }).append(linkButton(document, 'hidden', '/x'));
    pageRoot.append(closed);
    const button = r.cells.name!.firstElementChild!;
    expect(openShadowRoots(document, BADGE_HOST_TAG)).toEqual([shell.shadowRoot, pageHost.shadowRoot, grid.root, button.shadowRoot]);
    expect(openShadowRoots(grid.host, BADGE_HOST_TAG)).toEqual([grid.root, button.shadowRoot]);
  });

  it('leaves out the shadow roots of opaque hosts (link-buttons with their own href), and only those', () => {
    const { shell, pageHost, page: pageRoot } = mountShell(document);
    const grid = mountGrid(document, pageRoot, ['name']);
    const r = customerRow(document, 'v2', '', { tenantId: guid(1), name: 'C1' });
    grid.body.append(r.row);
    const button = r.cells.name!.firstElementChild!;
    expect(openShadowRoots(document, BADGE_HOST_TAG, isLinkHost)).toEqual([shell.shadowRoot, pageHost.shadowRoot, grid.root]);
    let [hrefs] = deepQueryGroups(document, ['[href]'], BADGE_HOST_TAG, isLinkHost) as [Element[]];
    expect(hrefs).toContain(button);
    expect(hrefs).not.toContain(button.shadowRoot!.querySelector('a'));
    // Without an href of its own, the host's root is where its link is.
    button.removeAttribute('href');
    expect(openShadowRoots(document, BADGE_HOST_TAG, isLinkHost)).toEqual([shell.shadowRoot, pageHost.shadowRoot, grid.root, button.shadowRoot]);
    [hrefs] = deepQueryGroups(document, ['[href]'], BADGE_HOST_TAG, isLinkHost) as [Element[]];
    expect(hrefs).toContain(button.shadowRoot!.querySelector('a'));
  });

  it('deepQueryGroups and openShadowRoots skip our hosts, what the page put inside them, and nothing else', () => {
    const { page: pageRoot } = mountShell(document);
    const grid = mountGrid(document, pageRoot, ['name']);
    const rows = [1, 2, 3].map((n) => customerRow(document, 'v2', '', { tenantId: guid(n), name: `C${n}` }));
    for (const r of rows) grid.body.append(r.row);
    // Our usual hosts: no light children; rows and link-buttons after them are found as ever.
    for (const r of rows.slice(0, 2)) {
      const host = el(document, BADGE_HOST_TAG, { role: 'row', href: '/x' });
      host.attachShadow({ mode: 'open' }).append(el(document, 'div', { role: 'row', id: 'in-shadow' }));
      r.cells.name!.prepend(host);
    }
    const buttons = rows.map((r) => r.cells.name!.querySelector('[appearance="link"]')!);
    let [found, links] = deepQueryGroups(document, ['[role="row"]', '[href]'], BADGE_HOST_TAG) as [Element[], Element[]];
    expect(found.filter((e) => e.id.startsWith('row-'))).toEqual(rows.map((r) => r.row));
    expect(found.some((e) => e.localName === BADGE_HOST_TAG || e.id === 'in-shadow')).toBe(false);
    expect(links.filter((e) => e.localName === BADGE_HOST_TAG)).toEqual([]);
    expect(openShadowRoots(document, BADGE_HOST_TAG)).toEqual(expect.arrayContaining(buttons.map((b) => b.shadowRoot)));
    // A host the page filled with light children: those, and their shadow roots, count as ours.
    const stuffed = el(document, BADGE_HOST_TAG, {}, linkButton(document, 'inside', '/dashboard/v2/customers/list'), el(document, 'div', { role: 'row', id: 'in-light' }));
    rows[2]!.cells.name!.append(stuffed);
    [found, links] = deepQueryGroups(document, ['[role="row"]', '[href]'], BADGE_HOST_TAG) as [Element[], Element[]];
    expect(found.some((e) => e.id === 'in-light')).toBe(false);
    expect(links.some((e) => stuffed.contains(e))).toBe(false);
    expect(openShadowRoots(document, BADGE_HOST_TAG)).not.toContain(stuffed.firstElementChild!.shadowRoot);
    expect(openShadowRoots(document, BADGE_HOST_TAG)).toEqual(expect.arrayContaining(buttons.map((b) => b.shadowRoot)));
    expect(found.filter((e) => e.id.startsWith('row-'))).toEqual(rows.map((r) => r.row));
  });

  it('closestAcrossShadow climbs from inside a link-button to its cell and row; detached nodes give null', () => {
    const { page: pageRoot } = mountShell(document);
    const grid = mountGrid(document, pageRoot, ['name']);
    const r = customerRow(document, 'v2', '', { tenantId: guid(1), name: 'C1' });
    grid.body.append(r.row);
    const anchor = deepQuerySelectorAll(r.row, 'a')[0]!;
    expect(anchor.getRootNode()).not.toBe(document);
    expect(closestAcrossShadow(anchor, '[role="gridcell"]')).toBe(r.cells.name);
    expect(closestAcrossShadow(anchor, '[role="row"]')).toBe(r.row);
    expect(closestAcrossShadow(anchor, 'pc-shell')).toBe(document.querySelector('pc-shell'));
    const text = r.cells.name!.firstElementChild!.firstChild!; // slotted text node
    expect(closestAcrossShadow(text, '[role="row"]')).toBe(r.row);
    expect(closestAcrossShadow(grid.root, 'pc-shell')).toBe(document.querySelector('pc-shell'));
    expect(closestAcrossShadow(anchor, 'table')).toBeNull();

    const detached = el(document, 'div', {}, el(document, 'span'));
    const sr = detached.attachShadow({ mode: 'open' });
    const inner = el(document, 'i');
    sr.append(inner);
    expect(closestAcrossShadow(inner, 'div')).toBe(detached);
    expect(closestAcrossShadow(inner, 'section')).toBeNull();
    expect(closestAcrossShadow(document.createTextNode('x'), 'div')).toBeNull();
    expect(closestAcrossShadow(null, 'div')).toBeNull();
    expect(deepQuerySelectorAll(detached, 'i, span')).toHaveLength(2);
    expect(openShadowRoots(document.createDocumentFragment(), BADGE_HOST_TAG)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------

/** Customer-list pages of the three generations, with and without locale. */
const CUSTOMER_LISTS: Array<[Generation, string]> = [
  ['v2', ''],
  ['commerce2', 'en-us'],
  ['commerce', 'ko-kr'],
  ['v2', 'ko-kr'],
  ['commerce2', ''],
];

describe('findBadgeTargets: customer list', () => {
  it.each(CUSTOMER_LISTS)('%s generation, locale "%s": one customer-row per row, anchored on the name cell', (gen, locale) => {
    const p = page(links(gen, locale).customers);
    expect(p.kind).toBe('customer-list');
    const { page: pageRoot } = mountShell(document, 'pc-customer-list-page');
    pageRoot.append(heading(document, 'Customers'));
    const grid = mountGrid(document, pageRoot, ['name', 'domain', 'relationship']);
    const built = [1, 2, 3].map((n) => customerRow(document, gen, locale, { tenantId: guid(n, n === 2), name: `Customer ${n}` }));
    grid.body.append(...built.map((b) => b.row));

    const targets = findBadgeTargets(document, p);
    expect(targets.map(ids)).toEqual([1, 2, 3].map((n) => ({ kind: 'customer-row', tenantId: guid(n) })));
    targets.forEach((t, i) => {
      expect(t.kind === 'customer-row' && t.row).toBe(built[i]!.row);
      expect(t.anchor).toBe(built[i]!.cells.name);
    });
  });

  it('reads ids from row ids and hrefs only: hostile names change nothing', () => {
    const p = page('/dashboard/v2/customers/list');
    const { page: pageRoot } = mountShell(document);
    const grid = mountGrid(document, pageRoot, ['name', 'domain', 'relationship']);
    const evil = guid(666);
    const names = [
      `<a href="/dashboard/v2/customers/${evil}/account">x</a>`,
      `row-${evil}`,
      `/customers/${evil}/adminrelationships/${relationshipId(6, 6)}`,
      `${evil} "><img src=x onerror=alert(1)>`,
      '',
    ];
    const built = names.map((name, i) => customerRow(document, 'v2', '', { tenantId: guid(i + 1), name }));
    grid.body.append(...built.map((b) => b.row));
    const targets = findBadgeTargets(document, p);
    expect(targets.map(ids)).toEqual(names.map((_, i) => ({ kind: 'customer-row', tenantId: guid(i + 1) })));
    expect(JSON.stringify(targets.map(ids))).not.toContain(evil);
  });

  it('row id and links must agree; each row once; rows without a trustworthy id are skipped', () => {
    const p = page('/en-us/dashboard/commerce2/customers/list');
    const { page: pageRoot } = mountShell(document);
    const grid = mountGrid(document, pageRoot, ['name', 'domain']);
    const L = links('commerce2', 'en-us');
    const a = guid(1);
    const b = guid(2);
    const rows: Record<string, BuiltRow> = {
      // Several links to the same customer (name + domain + a plain anchor): one target.
      many: buildRow(document, `row-${a}`, {}, {
        name: linkButton(document, 'A', L.customer(a)),
        domain: el(document, 'a', { href: `${PC}${L.customerRelationships(a.toUpperCase())}` }, 'relationships'),
      }),
      // Id only (no link): found, badge in the first cell.
      idOnly: buildRow(document, `row-${guid(3)}`, {}, { name: 'Plain text name', domain: 'c.example' }),
      // Link only (no row id): found.
      linkOnly: buildRow(document, null, {}, { name: linkButton(document, 'D', L.customer(guid(4))), domain: 'd.example' }),
      // Id and link disagree: skipped.
      disagree: buildRow(document, `row-${a}`, {}, { name: linkButton(document, 'B', L.customer(b)), domain: '' }),
      // Two customers in one row: skipped.
      twoLinks: buildRow(document, null, {}, { name: linkButton(document, 'E', L.customer(guid(5))), domain: linkButton(document, 'F', L.customer(guid(6))) }),
      // Links off Partner Center do not count: skipped.
      offsite: buildRow(document, null, {}, { name: el(document, 'a', { href: `https://evil.example/customers/${guid(7)}` }, 'G'), domain: '' }),
      javascript: buildRow(document, null, {}, { name: el(document, 'a', { href: `javascript:void('/customers/${guid(8)}')` }, 'H'), domain: '' }),
      // A relationship's row on the customer list (stale grid): not a customer row.
      relationship: buildRow(document, `row-${relationshipId(9, 10)}`, { 'data-relationship-id': relationshipId(9, 10) }, { name: 'R', domain: '' }),
      // A relationship-shaped row id is not a tenant id.
      relShapedId: buildRow(document, `row-${relationshipId(11, 12)}`, {}, { name: 'S', domain: '' }),
      // Malformed ids.
      badId: buildRow(document, 'row-not-a-guid', {}, { name: 'T', domain: '' }),
      nearGuid: buildRow(document, `row-${guid(13)}x`, {}, { name: 'U', domain: '' }),
    };
    grid.body.append(...Object.values(rows).map((r) => r.row));

    const targets = findBadgeTargets(document, p);
    expect(targets.map(ids)).toEqual([
      { kind: 'customer-row', tenantId: a },
      { kind: 'customer-row', tenantId: guid(3) },
      { kind: 'customer-row', tenantId: guid(4) },
    ]);
    expect(targets.map((t) => t.anchor)).toEqual([rows.many!.cells.name, rows.idOnly!.cells.name, rows.linkOnly!.cells.name]);
  });

  it('reads a link-button with its own href from the host, one without through its shadow root', () => {
    const p = page('/dashboard/v2/customers/list');
    const { page: pageRoot } = mountShell(document);
    const grid = mountGrid(document, pageRoot, ['name', 'domain']);
    const L = links('v2');
    // The host names customer 1; what its root draws is never read, even another customer.
    const hostLink = linkButton(document, 'A', L.customer(guid(1)));
    hostLink.shadowRoot!.querySelector('a')!.setAttribute('href', L.customer(guid(2)));
    // No href on the host: the anchor in its root names customer 3.
    const rootLink = linkButton(document, 'B', L.customer(guid(3)));
    rootLink.removeAttribute('href');
    const r1 = buildRow(document, null, {}, { name: hostLink, domain: '' });
    const r2 = buildRow(document, null, {}, { name: rootLink, domain: '' });
    grid.body.append(r1.row, r2.row);
    const targets = findBadgeTargets(document, p);
    expect(targets.map(ids)).toEqual([
      { kind: 'customer-row', tenantId: guid(1) },
      { kind: 'customer-row', tenantId: guid(3) },
    ]);
    expect(targets.map((t) => t.anchor)).toEqual([r1.cells.name, r2.cells.name]);
  });

  it('works for rows in a plain table and in light DOM too', () => {
    const p = page('/commerce/customers/list');
    const table = el(document, 'table', {}, el(document, 'tbody'));
    const tr = el(document, 'tr', {}, el(document, 'td', {}, 'Name'));
    const cell = el(document, 'td', {}, el(document, 'a', { href: `/commerce/customers/${guid(1)}/account` }, 'One'));
    const tr2 = el(document, 'tr', {}, el(document, 'th', {}, 'x'), cell);
    table.firstElementChild!.append(tr, tr2);
    document.body.append(table);
    const targets = findBadgeTargets(document, p);
    expect(targets.map(ids)).toEqual([{ kind: 'customer-row', tenantId: guid(1) }]);
    expect(targets[0]!.anchor).toBe(cell);
  });

  it('reads links as the browser resolves them: dot segments, escapes, spaces, other hosts', () => {
    const p = page('/dashboard/v2/customers/list');
    const { page: pageRoot } = mountShell(document);
    const grid = mountGrid(document, pageRoot, ['name']);
    const cases: Array<[string, string | null]> = [
      [`/dashboard/v2/customers/${guid(1)}/account`, guid(1)],
      [`/dashboard/v2/customers/${guid(9)}/../${guid(2)}`, guid(2)], // resolves to /dashboard/v2/customers/{2}
      [`/dashboard/v2/x/../customers/${guid(3)}`, guid(3)],
      [`/dashboard/v2/customers/${guid(4)}/./adminrelationships`, guid(4)],
      [`/dashboard/v2/customers/${guid(5)} `, guid(5)], // the URL parser strips the trailing space
      [`/dashboard/v2/%63ustomers/${guid(6)}`, null], // an escaped path is not a customer link
      [`//evil.example/dashboard/v2/customers/${guid(7)}`, null],
      [`https://partner.microsoft.com/dashboard/v2/customers/${guid(8).toUpperCase()}?x=1#y`, guid(8)],
      [`/dashboard/v2/customers/${guid(10)}?q=a b`, guid(10)],
    ];
    for (const [href] of cases) grid.body.append(buildRow(document, null, {}, { name: linkButton(document, 'x', href) }).row);
    const found = findBadgeTargets(document, p).map(ids);
    expect(found).toEqual(cases.filter(([, t]) => t !== null).map(([, t]) => ({ kind: 'customer-row', tenantId: t })));
  });

  it('ignores anything inside our own badge hosts', () => {
    const p = page('/dashboard/v2/customers/list');
    const { page: pageRoot } = mountShell(document);
    const grid = mountGrid(document, pageRoot, ['name', 'domain']);
    const r = customerRow(document, 'v2', '', { tenantId: guid(1), name: 'One' });
    grid.body.append(r.row);
    // A badge in the name cell with a link to another customer and a whole row inside it.
    const badge = el(document, BADGE_HOST_TAG, {}, el(document, 'a', { href: links('v2').customer(guid(2)) }, 'open'));
    badge.attachShadow({ mode: 'open' }).append(
      buildRow(document, `row-${guid(3)}`, {}, { name: linkButton(document, 'x', links('v2').customer(guid(3))) }).row,
      el(document, 'slot'),
    );
    r.cells.name!.append(badge);
    expect(findBadgeTargets(document, p).map(ids)).toEqual([{ kind: 'customer-row', tenantId: guid(1) }]);
    expect(BADGE_HOST_TAG).toBe('gdap-lens-badge');
  });

  it('finds rows that appear later with a second call', () => {
    const p = page('/dashboard/v2/customers/list');
    const { page: pageRoot } = mountShell(document);
    expect(findBadgeTargets(document, p)).toEqual([]);
    const grid = mountGrid(document, pageRoot, ['name']);
    grid.body.append(customerRow(document, 'v2', '', { tenantId: guid(1), name: 'One' }).row);
    expect(findBadgeTargets(document, p).map(ids)).toEqual([{ kind: 'customer-row', tenantId: guid(1) }]);
    // Next page: rows replaced.
    grid.body.replaceChildren(...[2, 3].map((n) => customerRow(document, 'v2', '', { tenantId: guid(n), name: `C${n}` }).row));
    expect(findBadgeTargets(document, p).map(ids)).toEqual([2, 3].map((n) => ({ kind: 'customer-row', tenantId: guid(n) })));
  });

  it('extracts 5,000 rows', () => {
    const p = page('/dashboard/v2/customers/list');
    const { page: pageRoot } = mountShell(document);
    const grid = mountGrid(document, pageRoot, ['name', 'domain', 'relationship']);
    const frag = document.createDocumentFragment();
    for (let n = 1; n <= 5000; n++) frag.append(customerRow(document, 'v2', '', { tenantId: guid(n), name: `Customer ${n}` }).row);
    grid.body.append(frag);
    const started = performance.now();
    const targets = findBadgeTargets(document, p);
    const ms = performance.now() - started;
    console.info(`findBadgeTargets: 5,000 rows in ${ms.toFixed(0)} ms (happy-dom)`);
    expect(targets).toHaveLength(5000);
    expect(new Set(targets.map((t) => (t.kind === 'customer-row' ? t.tenantId : ''))).size).toBe(5000);
    expect(targets.every((t) => t.anchor.getAttribute('data-column') === 'name')).toBe(true);
  });
});

// ---------------------------------------------------------------------------

const GDAP_LISTS = ['/dashboard/v2/customers/granularadminaccess/list', '/en-us/dashboard/commerce2/granularadminaccess/list', '/ko-kr/commerce/granularadminaccess/list'];

describe('findBadgeTargets: relationships', () => {
  it.each(GDAP_LISTS)('%s: relationship rows with their customer, anchored on the name cell', (url) => {
    const p = page(url);
    expect(p.kind).toBe('gdap-list');
    const gen: Generation = url.includes('/v2/') ? 'v2' : url.includes('commerce2') ? 'commerce2' : 'commerce';
    const locale = url.match(/^\/([a-z]{2}-[a-z]{2})\//)?.[1] ?? '';
    const { page: pageRoot } = mountShell(document, 'pc-granular-admin-list-page');
    pageRoot.append(heading(document, 'Granular administrative relationships'));
    const grid = mountGrid(document, pageRoot, ['name', 'customer', 'status', 'endDate']);
    const specs = [
      { id: relationshipId(1, 2), name: 'Rel 1', tenantId: guid(100) },
      { id: relationshipId(3, 4), name: `row-${guid(666)}`, tenantId: guid(101, true), customerName: guid(666) },
      { id: relationshipId(5, 6), name: 'Pending, no customer yet', tenantId: null },
    ];
    const built = specs.map((s) => relationshipRow(document, gen, locale, s));
    grid.body.append(...built.map((b) => b.row));

    const targets = findBadgeTargets(document, p);
    expect(targets.map(ids)).toEqual([
      { kind: 'relationship-row', relationshipId: specs[0]!.id, tenantId: guid(100) },
      { kind: 'relationship-row', relationshipId: specs[1]!.id, tenantId: guid(101) },
      { kind: 'relationship-row', relationshipId: specs[2]!.id, tenantId: null },
    ]);
    targets.forEach((t, i) => {
      expect(t.kind === 'relationship-row' && t.row).toBe(built[i]!.row);
      expect(t.anchor).toBe(built[i]!.cells.name);
    });
  });

  it('never takes a tenant id out of a relationship id, and skips rows whose ids disagree', () => {
    const p = page('/dashboard/v2/customers/granularadminaccess/list');
    const { page: pageRoot } = mountShell(document);
    const grid = mountGrid(document, pageRoot, ['name', 'customer']);
    const L = links('v2');
    const rel = relationshipId(7, 8);
    const encoded = `${guid(7)}%2D${guid(8).replace(/-/g, '%2d')}`; // percent-encoded form of rel
    const rows = {
      // Only the relationship id: no tenant (neither of the GUIDs inside it).
      attrOnly: buildRow(document, `row-${rel}`, { 'data-relationship-id': rel }, { name: 'x', customer: '—' }),
      // Only a percent-encoded link: decoded, tenant from the link.
      encodedLink: buildRow(document, null, {}, { name: linkButton(document, 'y', `/dashboard/v2/customers/${guid(20)}/adminrelationships/${encoded}`), customer: '' }),
      // Attribute and link name different relationships: skipped.
      disagree: buildRow(document, null, { 'data-relationship-id': relationshipId(1, 1) }, { name: linkButton(document, 'z', L.relationship(guid(21), relationshipId(2, 2))), customer: '' }),
      // Two relationships in one row: skipped.
      two: buildRow(document, null, {}, { name: linkButton(document, 'a', L.relationship(guid(22), relationshipId(3, 3))), customer: linkButton(document, 'b', L.relationship(guid(22), relationshipId(4, 4))) }),
      // A customer row on a GDAP page: not a relationship row.
      customer: customerRow(document, 'v2', '', { tenantId: guid(23), name: 'Customer' }),
      // A relationship-shaped row id without attribute or link: nothing trustworthy.
      idOnly: buildRow(document, `row-${relationshipId(9, 9)}`, {}, { name: 'c', customer: '' }),
      // Garbage relationship attribute: skipped.
      garbage: buildRow(document, null, { 'data-relationship-id': 'a b<c>' }, { name: 'd', customer: '' }),
      // Relationship link and a customer link naming another customer: relationship kept, tenant unknown.
      tenantConflict: buildRow(document, null, { 'data-relationship-id': relationshipId(5, 5) }, {
        name: linkButton(document, 'e', L.relationship(guid(24), relationshipId(5, 5))),
        customer: linkButton(document, 'f', L.customerRelationships(guid(25))),
      }),
    };
    grid.body.append(...Object.values(rows).map((r) => r.row));

    const targets = findBadgeTargets(document, p);
    expect(targets.map(ids)).toEqual([
      { kind: 'relationship-row', relationshipId: rel, tenantId: null },
      { kind: 'relationship-row', relationshipId: rel, tenantId: guid(20) },
      { kind: 'relationship-row', relationshipId: relationshipId(5, 5), tenantId: null },
    ]);
    expect(targets.map((t) => t.anchor)).toEqual([rows.attrOnly.cells.name, rows.encodedLink.cells.name, rows.tenantConflict.cells.name]);
  });

  it.each([
    ['/dashboard/v2/customers/{T}/adminrelationships', 'v2', ''],
    ['/ko-kr/dashboard/commerce2/customers/{T}/adminrelationships/', 'commerce2', 'ko-kr'],
  ] as const)('%s: customer header and that customer\'s relationship rows', (template, gen, locale) => {
    const tenant = guid(42);
    const p = page(template.replace('{T}', tenant.toUpperCase()));
    expect(p).toEqual({ kind: 'customer-relationships', tenantId: tenant });
    const { page: pageRoot } = mountShell(document, 'pc-customer-admin-relationships-page');
    const h1 = heading(document, 'Contoso', { class: 'customer-name', 'data-tenant-id': tenant });
    pageRoot.append(el(document, 'header', {}, h1), el(document, 'h2', {}, 'Admin relationships'));
    const grid = mountGrid(document, pageRoot, ['name', 'status']);
    const own = relationshipRow(document, gen, locale, { id: relationshipId(1, 42), name: 'Own', tenantId: tenant }, false);
    const noLink = relationshipRow(document, gen, locale, { id: relationshipId(2, 42), name: 'Pending', tenantId: null }, false);
    // A row of another customer (a stale grid after navigation): skipped.
    const stale = relationshipRow(document, gen, locale, { id: relationshipId(3, 43), name: 'Other', tenantId: guid(43) }, false);
    grid.body.append(own.row, noLink.row, stale.row);

    const targets = findBadgeTargets(document, p);
    expect(targets.map(ids)).toEqual([
      { kind: 'customer-header', tenantId: tenant },
      { kind: 'relationship-row', relationshipId: relationshipId(1, 42), tenantId: tenant },
      { kind: 'relationship-row', relationshipId: relationshipId(2, 42), tenantId: null },
    ]);
    expect(targets.map((t) => t.anchor)).toEqual([h1, own.cells.name, noLink.cells.name]);
  });
});

// ---------------------------------------------------------------------------

describe('findBadgeTargets: headers', () => {
  const T = guid(77);
  const REL = relationshipId(77, 78);

  it('customer page: the first h1 through shadow roots, for the route tenant', () => {
    const p = page(`/en-us/dashboard/v2/customers/${T}/account`);
    expect(p.kind).toBe('customer');
    const { page: pageRoot } = mountShell(document, 'pc-customer-account-page');
    const h1 = heading(document, 'Loading…', { class: 'customer-name', 'data-tenant-id': T.toUpperCase() });
    pageRoot.append(el(document, 'header', {}, h1), el(document, 'h1', {}, 'Second'));
    // Rows on a customer page are not badged there.
    mountGrid(document, pageRoot, ['name']).body.append(customerRow(document, 'v2', '', { tenantId: guid(1), name: 'x' }).row);
    const targets = findBadgeTargets(document, p);
    expect(targets).toEqual([{ kind: 'customer-header', tenantId: T, anchor: h1 }]);
  });

  it('customer page: a header naming another customer or a relationship is stale, nothing is shown', () => {
    const p = page(`/dashboard/commerce2/customers/${T}`);
    const { page: pageRoot } = mountShell(document);
    const h1 = heading(document, 'Other', { 'data-tenant-id': guid(1) });
    pageRoot.append(h1);
    expect(findBadgeTargets(document, p)).toEqual([]);
    h1.removeAttribute('data-tenant-id');
    h1.setAttribute('data-relationship-id', REL);
    expect(findBadgeTargets(document, p)).toEqual([]);
    h1.removeAttribute('data-relationship-id');
    expect(findBadgeTargets(document, p).map(ids)).toEqual([{ kind: 'customer-header', tenantId: T }]);
  });

  it('relationship page: one relationship header with the route ids', () => {
    const p = page(`/ko-kr/dashboard/v2/customers/${T}/adminrelationships/${REL}`);
    const { page: pageRoot } = mountShell(document, 'pc-admin-relationship-page');
    const h1 = heading(document, 'GDAP for Contoso', { class: 'relationship-name', 'data-relationship-id': REL });
    pageRoot.append(el(document, 'header', {}, h1));
    expect(findBadgeTargets(document, p)).toEqual([{ kind: 'relationship-header', relationshipId: REL, tenantId: T, anchor: h1 }]);
    h1.setAttribute('data-relationship-id', relationshipId(1, 2));
    expect(findBadgeTargets(document, p)).toEqual([]);
  });

  it('an h1 inside our own badge host is not the page header', () => {
    const p = page(`/dashboard/v2/customers/${T}/account`);
    const { page: pageRoot } = mountShell(document);
    const badge = el(document, BADGE_HOST_TAG);
    badge.attachShadow({ mode: 'open' }).append(el(document, 'h1', {}, 'ours'));
    const h1 = heading(document, 'Contoso');
    pageRoot.append(badge, h1);
    expect(findBadgeTargets(document, p)).toEqual([{ kind: 'customer-header', tenantId: T, anchor: h1 }]);
  });

  it('no h1: nothing', () => {
    const p = page(`/dashboard/v2/customers/${T}/adminrelationships/${REL}`);
    mountShell(document).page.append(el(document, 'h2', {}, 'Not a header'));
    expect(findBadgeTargets(document, p)).toEqual([]);
  });
});

describe('findBadgeTargets: unknown pages', () => {
  const T = guid(5);
  it.each([
    '/dashboard/v2/customers/list',
    '/commerce/granularadminaccess/list',
    `/dashboard/v2/customers/${T}/adminrelationships`,
    `/dashboard/v2/customers/${T}/account`,
    `/dashboard/v2/customers/${T}/adminrelationships/${relationshipId(1, 2)}`,
  ])('%s in an unknown layout: []', (url) => {
    mountUnknownLayout(document, ['Contoso', guid(9), `row-${guid(10)}`, `/customers/${guid(11)}`]);
    expect(findBadgeTargets(document, page(url))).toEqual([]);
  });

  it('never throws', () => {
    const p = page('/dashboard/v2/customers/list');
    expect(findBadgeTargets({} as Document, p)).toEqual([]);
    expect(findBadgeTargets(document, { kind: 'nonsense' } as unknown as PartnerCenterPage)).toEqual([]);
    const detached = document.implementation.createHTMLDocument('x');
    expect(findBadgeTargets(detached, p)).toEqual([]);
    // The DOM itself failing mid-walk.
    const broken = {
      nodeType: 9,
      baseURI: `${PC}/`,
      URL: `${PC}/`,
      createTreeWalker() {
        throw new Error('page broke');
      },
    } as unknown as Document;
    expect(findBadgeTargets(broken, p)).toEqual([]);
    const { page: pageRoot } = mountShell(document);
    const r = customerRow(document, 'v2', '', { tenantId: guid(1), name: 'One' });
    Object.defineProperty(r.row, 'id', {
      get() {
        throw new Error('hostile getter');
      },
    });
    mountGrid(document, pageRoot, ['name']).body.append(r.row);
    expect(findBadgeTargets(document, p)).toEqual([]);
  });
});
