// @vitest-environment happy-dom
// @vitest-environment-options {"url":"https://partner.microsoft.com/dashboard/v2/customers/list"}
import { afterEach, describe, expect, it } from 'vitest';
import { SLICE_MS, startPartnerCenterBadges, type MountFn } from '@/utils/features/partner-center-badges';
import { detectPartnerCenterPage } from '@/utils/portals/partner-center';
import { summarizeCustomer } from '@/utils/gdap/summary';
import { customerBadgeModel } from '@/utils/portals/badge-model';
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
