// @vitest-environment happy-dom
// @vitest-environment-options {"url":"https://partner.microsoft.com/dashboard/v2/customers/list"}
import { afterEach, describe, expect, it } from 'vitest';
import { SLICE_MS, startPartnerCenterBadges, type MountFn } from '@/utils/features/partner-center-badges';
import { detectPartnerCenterPage } from '@/utils/portals/partner-center';
import { BADGE_HOST_TAG, treeScopes } from '@/utils/portals/dom';
import { summarizeCustomer } from '@/utils/gdap/summary';
import { customerBadgeModel } from '@/utils/portals/badge-model';
import { decodePill, encodePill, type PillCode } from '@/utils/portals/pill';
import { createBadgeIndexSource, indexKindOf } from '@/utils/features/badge-index';
import { customerRow, guid, heading, mountGrid, mountShell } from './fixtures/partner-center/build';
import { makeRel } from './gdap-fixtures';

const NOW = new Date('2026-06-01T00:00:00Z');

/** A fake background: counts messages, answers summaries for the tenants it knows. */
function fakeApi(known: Set<string>) {
  const calls: Array<{ command: string; size: number }> = [];
  const api = {
    send: (async (command: string, data: { tenantIds?: string[]; relationshipIds?: string[] }) => {
      calls.push({ command, size: (data.tenantIds ?? []).length + (data.relationshipIds ?? []).length });
      if (command === 'getBadges') {
        const customers = Object.fromEntries(
          (data.tenantIds ?? []).map((t) => [
            t,
            customerBadgeModel(
              summarizeCustomer(known.has(t) ? [makeRel({ id: `r-${t}`, customer: { tenantId: t, displayName: 'x' }, endDateTime: '2027-12-31T00:00:00.000Z' })] : [], {}, NOW),
              NOW,
            ),
          ]),
        );
        return { customers, relationships: {} };
      }
      return undefined;
    }) as never,
  };
  return { api, calls };
}

/** A fake mount that records what it mounted, appending a real host like the real one. */
function fakeMount() {
  const mounted: Array<{ key: string; state: string; removed: boolean; host: Element }> = [];
  const mount: MountFn = (anchor, key, props, options) => {
    const host = document.createElement('gdap-lens-badge');
    let placed = false;
    const place = () => {
      if (placed || entry.removed) return;
      placed = true;
      anchor.append(host);
    };
    const entry = { key: 'tenantId' in key ? key.tenantId : key.relationshipId, state: props.model.state, removed: false, host };
    mounted.push(entry);
    if (!options?.deferPlace) place();
    return {
      host,
      update: (model) => void (entry.state = model.state),
      remove: () => {
        entry.removed = true;
        host.remove();
      },
      place,
    };
  };
  return { mount, mounted, live: () => mounted.filter((m) => !m.removed) };
}

function customerList(n: number) {
  document.body.replaceChildren();
  const shell = mountShell(document, 'pc-customer-list-page');
  const grid = mountGrid(document, shell.page, ['name', 'domain', 'relationship']);
  const rows = Array.from({ length: n }, (_, i) => customerRow(document, 'v2', '', { tenantId: guid(i + 1), name: `Customer ${i}` }));
  for (const r of rows) grid.body.append(r.row);
  return { shell, grid, rows };
}

const page = () => detectPartnerCenterPage(location.href);
let stop: (() => void) | undefined;
afterEach(() => stop?.());

describe('Partner Center badges feature', () => {
  it('badges every row once, asking the background in batches of at most 1,000', async () => {
    customerList(1200);
    const { api, calls } = fakeApi(new Set([guid(1)]));
    const m = fakeMount();
    const f = startPartnerCenterBadges({ api, doc: document, page, mount: m.mount });
    stop = () => f.stop();
    await f.scan();
    expect(m.live()).toHaveLength(1200);
    expect(calls.filter((c) => c.command === 'getBadges').map((c) => c.size)).toEqual([1000, 200]);
    expect(m.live().find((b) => b.key === guid(1))?.state).toBe('active');
    expect(m.live().find((b) => b.key === guid(2))?.state).toBe('none');
    await f.scan();
    await f.scan();
    expect(m.mounted).toHaveLength(1200); // never twice
  });

  it('mounts in slices of at most SLICE_MS, giving the page the main thread back in between', async () => {
    customerList(100);
    const { api } = fakeApi(new Set());
    const m = fakeMount();
    // Each mount costs 2 ms on this clock: 25 ms slices hold 13 mounts each.
    let t = 0;
    const counted: MountFn = (anchor, key, props, options) => {
      t += 2;
      return m.mount(anchor, key, props, options);
    };
    const yields: number[] = [];
    const connectedAtYields: number[] = [];
    const f = startPartnerCenterBadges({
      api,
      doc: document,
      page,
      mount: counted,
      clock: () => t,
      yieldToPage: async () => {
        yields.push(m.mounted.length);
        // Rendered so far, but none in the page yet: the page lays out once, at the end.
        connectedAtYields.push(m.mounted.filter((b) => b.host.isConnected).length);
      },
    });
    stop = () => f.stop();
    await f.scan();
    expect(m.live()).toHaveLength(100);
    expect(m.live().every((b) => b.host.isConnected)).toBe(true);
    expect(yields).toEqual([13, 26, 39, 52, 65, 78, 91]);
    expect(connectedAtYields).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(SLICE_MS).toBeLessThan(50); // a long task starts at 50 ms
  });

  it('stopped between slices, mounts nothing more', async () => {
    customerList(50);
    const { api } = fakeApi(new Set());
    const m = fakeMount();
    let t = 0;
    const f = startPartnerCenterBadges({
      api,
      doc: document,
      page,
      mount: (a, k, p, o) => ((t += 10), m.mount(a, k, p, o)),
      clock: () => t,
      yieldToPage: async () => f.stop(),
    });
    await f.scan();
    expect(m.mounted.length).toBe(3);
    expect(m.live()).toHaveLength(0);
  });

  it('removes badges with their rows and badges rows that arrive later', async () => {
    const { grid, rows } = customerList(3);
    const { api } = fakeApi(new Set());
    const m = fakeMount();
    const f = startPartnerCenterBadges({ api, doc: document, page, mount: m.mount });
    stop = () => f.stop();
    await f.scan();
    rows[0]!.row.remove();
    grid.body.append(customerRow(document, 'v2', '', { tenantId: guid(50), name: 'Late' }).row);
    await f.scan();
    expect(m.live().map((b) => b.key).sort()).toEqual([guid(2), guid(3), guid(50)].sort());
  });

  it('mounts again when the portal wipes the badge out of a still-present anchor', async () => {
    const { rows } = customerList(1);
    const { api } = fakeApi(new Set());
    const m = fakeMount();
    const f = startPartnerCenterBadges({ api, doc: document, page, mount: m.mount });
    stop = () => f.stop();
    await f.scan();
    const anchor = rows[0]!.cells.name!;
    anchor.querySelector('gdap-lens-badge')!.remove(); // e.g. the portal set the cell's text
    await f.scan();
    expect(m.live()).toHaveLength(1);
    expect(anchor.querySelectorAll('gdap-lens-badge')).toHaveLength(1);
  });

  it('refresh re-reads the data and updates badges in place', async () => {
    customerList(2);
    const known = new Set<string>();
    const { api } = fakeApi(known);
    const m = fakeMount();
    const f = startPartnerCenterBadges({ api, doc: document, page, mount: m.mount });
    stop = () => f.stop();
    await f.scan();
    expect(m.live().map((b) => b.state)).toEqual(['none', 'none']);
    known.add(guid(2));
    await f.refresh();
    expect(m.mounted).toHaveLength(2);
    expect(m.live().find((b) => b.key === guid(2))?.state).toBe('active');
  });

  it('shows nothing when the background cannot answer, and never throws', async () => {
    customerList(2);
    const m = fakeMount();
    const api = { send: (async () => Promise.reject(new Error('Extension context invalidated.'))) as never };
    const f = startPartnerCenterBadges({ api, doc: document, page, mount: m.mount });
    stop = () => f.stop();
    await expect(f.scan()).resolves.toBeUndefined();
    expect(m.mounted).toHaveLength(0);
  });

  it('stop removes every badge and ignores answers that arrive afterwards', async () => {
    customerList(3);
    const { api } = fakeApi(new Set());
    const m = fakeMount();
    const f = startPartnerCenterBadges({ api, doc: document, page, mount: m.mount });
    await f.scan();
    f.stop();
    expect(m.live()).toHaveLength(0);
    expect(document.querySelectorAll('gdap-lens-badge')).toHaveLength(0);
    await f.scan();
    expect(m.live()).toHaveLength(0);
  });

  it('a header on a customer page gets one customer badge', async () => {
    document.body.replaceChildren();
    history.replaceState(null, '', `/dashboard/v2/customers/${guid(7)}/account`);
    const shell = mountShell(document, 'pc-customer-account-page');
    shell.page.append(heading(document, 'Contoso'));
    const { api } = fakeApi(new Set([guid(7)]));
    const m = fakeMount();
    const f = startPartnerCenterBadges({ api, doc: document, page, mount: m.mount });
    stop = () => f.stop();
    await f.scan();
    expect(m.live()).toMatchObject([{ key: guid(7), state: 'active', removed: false }]);
    expect(m.live()[0]!.host.isConnected).toBe(true);
    history.replaceState(null, '', '/dashboard/v2/customers/list');
  });
});

describe('Partner Center badges from the badge index', () => {
  const pillOf = (state: 'active' | 'none', days: number | null): PillCode => [state, days, state === 'active' ? 'on' : null, 3, 0, state === 'active' ? 'ok' : 'muted', state === 'active' ? 1 : 0];

  /** A fake background that answers the index (tenants upper-case on the page, lower-case in the index). */
  function indexApi(known: string[], index: 'answer' | 'null' | 'throw' = 'answer') {
    const calls: string[] = [];
    const api = {
      send: (async (command: string, data: { tenantIds?: string[] }) => {
        calls.push(command);
        if (command === 'getBadgeIndex') {
          if (index === 'throw') throw new Error('Could not establish connection. Receiving end does not exist.');
          if (index === 'null') return null;
          return { entries: Object.fromEntries(known.map((t, i) => [t.toLowerCase(), pillOf('active', 100 + i)])), absent: pillOf('none', null) };
        }
        if (command === 'getBadges') {
          return { customers: Object.fromEntries((data.tenantIds ?? []).map((t) => [t, decodePill(pillOf('none', null))])), relationships: {} };
        }
        return undefined;
      }) as never,
    };
    return { api, calls };
  }

  /** The feature on a clock where each mount costs 2 ms, counting its yields to the page. */
  function timed(api: ReturnType<typeof indexApi>['api'], index: ReturnType<typeof createBadgeIndexSource>) {
    const m = fakeMount();
    let t = 0;
    let yields = 0;
    const f = startPartnerCenterBadges({
      api,
      doc: document,
      page,
      mount: (a, k, p, o) => ((t += 2), m.mount(a, k, p, o)),
      clock: () => t,
      yieldToPage: async () => void yields++,
      index,
    });
    return { f, m, yields: () => yields };
  }

  it('rows take their pills from the index: no getBadges, no slices, all in the page after one scan', async () => {
    customerList(300);
    const { api, calls } = indexApi([guid(1), guid(2)]);
    // As the content script does: asked for as the page opens, before the rows arrive.
    const index = createBadgeIndexSource(api);
    await index.get('customers');
    const { f, m, yields } = timed(api, index);
    stop = () => f.stop();
    await f.scan();
    expect(m.live()).toHaveLength(300);
    expect(m.live().every((b) => b.host.isConnected)).toBe(true);
    expect(yields()).toBe(0);
    expect(calls).toEqual(['getBadgeIndex']);
    expect(m.live().find((b) => b.key === guid(1))?.state).toBe('active');
    expect(m.live().find((b) => b.key === guid(3))?.state).toBe('none'); // not in the cache: the index's "absent"
    // refresh asks for the index again, and meanwhile the badges' pills as a batch.
    await f.refresh();
    expect(calls).toEqual(['getBadgeIndex', 'getBadgeIndex', 'getBadges']);
  });

  it('with the index in hand, the badges of rows that arrive are in the page when scan() returns, before any await', async () => {
    const { grid } = customerList(2);
    const { api } = indexApi([guid(1), guid(2), guid(3)]);
    const index = createBadgeIndexSource(api);
    await index.get('customers');
    const { f, m } = timed(api, index);
    stop = () => f.stop();
    await f.scan();
    expect(m.live()).toHaveLength(2);
    // A page of rows arrives; the observer calls scan() in the same task.
    for (let i = 3; i <= 50; i++) grid.body.append(customerRow(document, 'v2', '', { tenantId: guid(i), name: `Customer ${i}` }).row);
    void f.scan();
    expect(m.live()).toHaveLength(50);
    expect(m.live().every((b) => b.host.isConnected)).toBe(true);
  });

  it("takes the observer's walk of the page for its first pass, not for later ones", async () => {
    const { grid } = customerList(5);
    const { api } = indexApi([guid(1)]);
    const index = createBadgeIndexSource(api);
    await index.get('customers');
    // A walk made before the grid's rows had their shadow roots... stood in for by one without the grid.
    const stale = treeScopes(document, BADGE_HOST_TAG).filter((s) => s.scope !== grid.root);
    const { f, m } = timed(api, index);
    stop = () => f.stop();
    await f.scan();
    for (const b of m.live()) b.host.remove();
    // The rows' badges are gone; a scan with the given walk does not see the grid's rows...
    await f.scan(stale);
    expect(m.live().filter((b) => b.host.isConnected)).toHaveLength(0);
    // ...and the next one, walking itself, badges them again.
    await f.scan();
    expect(m.live().filter((b) => b.host.isConnected)).toHaveLength(5);
  });

  it('an index still on its way is not waited for: the batch is asked for instead', async () => {
    customerList(20);
    const { api, calls } = indexApi([guid(1)]);
    const m = fakeMount();
    const f = startPartnerCenterBadges({ api, doc: document, page, mount: m.mount, index: createBadgeIndexSource(api) });
    stop = () => f.stop();
    await f.scan();
    expect(m.live()).toHaveLength(20);
    expect(calls).toEqual(['getBadgeIndex', 'getBadges']);
    // Rows that arrive later use it.
    customerList(25);
    await new Promise((r) => setTimeout(r, 0));
    await f.scan();
    expect(m.live()).toHaveLength(25);
    expect(calls).toEqual(['getBadgeIndex', 'getBadges']);
  });

  it('without an index (too large, or the background restarting) the rows are asked for in slices', async () => {
    for (const mode of ['null', 'throw'] as const) {
      customerList(40);
      const { api, calls } = indexApi([], mode);
      const { f, m, yields } = timed(api, createBadgeIndexSource(api));
      await f.scan();
      expect(m.live(), mode).toHaveLength(40);
      expect(yields(), mode).toBeGreaterThan(0);
      expect(calls.filter((c) => c === 'getBadges'), mode).toHaveLength(1);
      f.stop();
    }
  });
});

describe('the badge index source', () => {
  it('asks once per kind, looks tenants up in any case, decodes pills and refuses malformed ones', async () => {
    const calls: string[] = [];
    const T = guid(9);
    const api = {
      send: (async (command: string, data: { kind: string }) => {
        calls.push(`${command}:${data.kind}`);
        return data.kind === 'customers'
          ? { entries: { [T.toLowerCase()]: ['expiring', 5, 'off', 2, 1, 'danger', 1], [guid(10)]: ['active', -3, 'on', 1, 0, 'ok', 1], [guid(12)]: 'active', [guid(13)]: null }, absent: ['none', null, null, 0, 0, 'muted', 0] }
          : { entries: { 'Rel-A': ['pending', 80, null, 4, 0, 'muted', 1] }, absent: null };
      }) as never,
    };
    const source = createBadgeIndexSource(api);
    const customers = await source.get('customers');
    expect(customers?.pill(T.toUpperCase())).toEqual({ state: 'expiring', daysLeft: 5, autoExtend: 'off', roleCount: 2, noSecurityGroup: true, tone: 'danger', relationshipCount: 1 });
    expect(customers?.pill(guid(10))).toBeNull(); // negative days: not a pill
    expect(customers?.pill(guid(11))?.state).toBe('none');
    expect(customers?.pill('__proto__')?.state).toBe('none');
    expect(customers?.pill('constructor')?.state).toBe('none'); // inherited: not an entry
    expect(customers?.pill(guid(12))).toBeNull(); // an entry that is not a code: no badge, not "no GDAP"
    expect(customers?.pill(guid(13))).toBeNull();
    const relationships = await source.get('relationships');
    expect(relationships?.pill('Rel-A')?.state).toBe('pending');
    expect(relationships?.pill('rel-a')).toBeNull(); // relationship ids are exact
    // Every pill it holds, for getting ready ahead: the absent one first, malformed codes left out.
    expect([...customers!.pills()].map((p) => `${p.state}:${p.daysLeft}`)).toEqual(['none:null', 'expiring:5']);
    expect([...relationships!.pills()].map((p) => p.state)).toEqual(['pending']);
    await source.get('customers');
    expect(calls).toEqual(['getBadgeIndex:customers', 'getBadgeIndex:relationships']);
    source.forget();
    await source.get('customers');
    expect(calls).toHaveLength(3);
  });

  it('asks again after a failure, and never throws', async () => {
    let fail = true;
    const api = {
      send: (async () => {
        if (fail) throw new Error('no receiver');
        return { entries: {}, absent: null };
      }) as never,
    };
    const source = createBadgeIndexSource(api);
    expect(await source.get('customers')).toBeNull();
    fail = false;
    expect(await source.get('customers')).not.toBeNull();
    const weird = createBadgeIndexSource({ send: (async () => 'not an index') as never });
    expect(await weird.get('relationships')).toBeNull();
  });

  it('knows which index each page kind needs', () => {
    expect(indexKindOf({ kind: 'customer-list' })).toBe('customers');
    expect(indexKindOf({ kind: 'gdap-list' })).toBe('relationships');
    expect(indexKindOf({ kind: 'customer-relationships' })).toBe('relationships');
    expect(indexKindOf({ kind: 'customer' })).toBeNull();
    expect(indexKindOf({ kind: 'relationship' })).toBeNull();
    expect(indexKindOf(null)).toBeNull();
  });
});

describe('pill codes', () => {
  it('decode what the background encodes, and nothing else', () => {
    const pill = { state: 'expiring', daysLeft: 5, autoExtend: 'not-allowed', roleCount: 12, noSecurityGroup: true, tone: 'danger', relationshipCount: 3 } as const;
    expect(decodePill(encodePill(pill))).toEqual(pill);
    expect(decodePill(encodePill({ ...pill, state: 'none', daysLeft: null, autoExtend: null, noSecurityGroup: false }))).toMatchObject({ daysLeft: null, autoExtend: null });
    const bad: unknown[] = [
      null, 'active', {}, [], ['active', 5, 'on', 1, 0, 'ok'], ['active', 5, 'on', 1, 0, 'ok', 1, 1],
      ['Active', 5, 'on', 1, 0, 'ok', 1], ['active', -1, 'on', 1, 0, 'ok', 1], ['active', 1.5, 'on', 1, 0, 'ok', 1],
      ['active', 5, 'yes', 1, 0, 'ok', 1], ['active', 5, 'on', 1, 2, 'ok', 1], ['active', 5, 'on', 1, 0, 'red', 1],
      [['active'], 5, 'on', 1, 0, 'ok', 1], ['active,5', 'on', 1, 0, 'ok', 1, 1], ['active', 5, 'on', { n: 1 }, 0, 'ok', 1],
      ['<img src=x onerror=alert(1)>', 5, 'on', 1, 0, 'ok', 1],
    ];
    for (const b of bad) expect(decodePill(b), JSON.stringify(b)).toBeNull();
  });
});
