// @vitest-environment happy-dom
// @vitest-environment-options {"url":"https://admin.microsoft.com/AdminPortal/Home#/partners"}
import { afterEach, describe, expect, it } from 'vitest';
import { startAdminCenter, type AdminMounts } from '@/utils/features/admin-center';
import { detectAdminCenterPage } from '@/utils/portals/admin-center';
import { mountInvitation, mountPartnersPage, mountUnknownLayout, type PartnerSpec } from './fixtures/admin-center/build';

const PARTNERS: PartnerSpec[] = [
  { id: 'p1', name: 'Northwind DAP', types: ['Reseller', 'Delegated admin (DAP)'], roles: ['Global Administrator'] },
  { id: 'p2', name: 'Litware Readers', types: ['Granular delegated admin (GDAP)'], roles: ['Global Reader', 'Directory Readers'] },
  { id: 'p3', name: 'Proseware Licensing', types: ['Reseller'], roles: [] },
];

/** Records mounts, updates and removals; props are just the facts the feature passed. */
function recorder() {
  const log: string[] = [];
  const handle = (kind: string, anchor: Element) => {
    const host = document.createElement('gdap-lens-badge');
    anchor.append(host);
    return { host, update: () => void log.push(`update ${kind}`), remove: () => (log.push(`remove ${kind}`), host.remove()) };
  };
  const mounts: AdminMounts<string, string, string> = {
    badge: (anchor, key) => (log.push(`badge ${key.partnerName}`), handle('badge', anchor)),
    summary: (before) => (log.push('summary'), handle('summary', before.parentNode as Element)),
    approval: (anchor) => (log.push('approval'), handle('approval', anchor.parentNode as Element)),
  };
  const props = {
    badge: (row: { name: string; types: { dap: boolean } }) => `${row.name}:${row.types.dap ? 'dap' : 'no-dap'}`,
    summary: (rows: readonly unknown[]) => `${rows.length}`,
    approval: (inv: { roleNames: string[] }) => inv.roleNames.join(','),
  };
  return { log, mounts, props };
}

let stop: (() => void) | undefined;
afterEach(() => {
  stop?.();
  document.body.replaceChildren();
});

function start(r: ReturnType<typeof recorder>) {
  const f = startAdminCenter({ doc: document, page: () => detectAdminCenterPage(location.href), mounts: r.mounts, props: r.props as never });
  stop = () => f.stop();
  return f;
}

describe('admin center feature', () => {
  it('mounts one badge per partner and one summary, and nothing more on a rescan', () => {
    mountPartnersPage(document, PARTNERS);
    const r = recorder();
    const f = start(r);
    f.scan();
    expect(r.log.filter((l) => l.startsWith('badge')).sort()).toEqual(PARTNERS.map((p) => `badge ${p.name}`).sort());
    expect(r.log.filter((l) => l === 'summary')).toHaveLength(1);
    const before = r.log.length;
    f.scan();
    f.scan();
    expect(r.log.length).toBe(before);
  });

  it('updates a badge and the summary when a row changes, e.g. after Remove delegated admin (D5)', () => {
    const page = mountPartnersPage(document, PARTNERS);
    const r = recorder();
    const f = start(r);
    f.scan();
    const types = page.rows[0]!.row.querySelector('[data-automation-key="relationshipTypes"]')!;
    types.textContent = 'Reseller';
    f.scan();
    expect(r.log).toContain('update badge');
    expect(r.log).toContain('update summary');
  });

  it('removes everything when the route leaves the partners page', () => {
    mountPartnersPage(document, PARTNERS);
    const r = recorder();
    const f = start(r);
    f.scan();
    history.replaceState(null, '', '/AdminPortal/Home#/homepage');
    f.scan();
    expect(r.log.filter((l) => l === 'remove badge')).toHaveLength(PARTNERS.length);
    expect(r.log).toContain('remove summary');
    expect(document.querySelectorAll('gdap-lens-badge')).toHaveLength(0);
    history.replaceState(null, '', '/AdminPortal/Home#/partners');
  });

  it('adds nothing to a page of unknown layout', () => {
    mountUnknownLayout(document, PARTNERS);
    const r = recorder();
    start(r).scan();
    expect(r.log).toEqual([]);
  });

  it('mounts one approval panel on a GDAP invitation page', () => {
    history.replaceState(null, '', '/AdminPortal/Home#/partners/invitation/granularAdminRelationships/abc-123');
    mountInvitation(document, { id: 'abc-123', duration: '730 days', autoExtend: 'Off', roles: [{ name: 'Global Reader' }] });
    const r = recorder();
    const f = start(r);
    f.scan();
    f.scan();
    expect(r.log).toEqual(['approval']);
    history.replaceState(null, '', '/AdminPortal/Home#/partners');
  });
});
