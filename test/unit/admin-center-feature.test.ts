// @vitest-environment happy-dom
// @vitest-environment-options {"url":"https://admin.microsoft.com/AdminPortal/Home#/partners"}
import { afterEach, describe, expect, it, vi } from 'vitest';
import { messagingAnalyzer, startAdminCenter, type AdminAnalyzer, type AdminMounts } from '@/utils/features/admin-center';
import { detectAdminCenterPage } from '@/utils/portals/admin-center-dom';
import { ADMIN_PAGE_LIMITS, type InvitationView, type PartnerBadgeModel, type PartnersAnalysis } from '@/utils/portals/admin-model';
import { analyzeInvitationTexts, analyzePartnerTexts } from '@/utils/portals/admin-risk';
import type { Api } from '@/utils/messaging/client';
import { mountInvitation, mountPartnersPage, mountUnknownLayout, type PartnerSpec } from './fixtures/admin-center/build';

const NOW = new Date('2026-03-01T12:00:00Z');
const PARTNERS: PartnerSpec[] = [
  { id: 'p1', name: 'Northwind DAP', types: ['Reseller', 'Delegated admin (DAP)'], roles: ['Global Administrator'] },
  { id: 'p2', name: 'Litware Readers', types: ['Granular delegated admin (GDAP)'], roles: ['Global Reader', 'Directory Readers'] },
  { id: 'p3', name: 'Proseware Licensing', types: ['Reseller'], roles: [] },
];

/** The background's answers, computed in the test (what the handlers return), and a log of the questions. */
function localAnalyzer() {
  const asked: string[] = [];
  const analyzer: AdminAnalyzer = {
    partners: async (rows) => (asked.push(`partners ${rows.length}`), analyzePartnerTexts(rows, NOW)),
    invitation: async (texts) => (asked.push('invitation'), analyzeInvitationTexts(texts, NOW)),
  };
  return { asked, analyzer };
}

/** Records mounts, updates and removals with the props the feature passed. */
function recorder() {
  const log: string[] = [];
  const props: Record<string, unknown> = {};
  const handle = (kind: string, anchor: Element) => {
    const host = document.createElement('gdap-lens-badge');
    anchor.append(host);
    return {
      host,
      update: (p: unknown) => void (log.push(`update ${kind}`), (props[kind] = p)),
      remove: () => (log.push(`remove ${kind}`), host.remove()),
    };
  };
  const mounts: AdminMounts<string, string, string> = {
    badge: (anchor, key, p) => (log.push(`badge ${key.partnerName} ${p}`), handle('badge', anchor)),
    summary: (before, p) => (log.push(`summary ${p}`), handle('summary', before.parentNode as Element)),
    approval: (anchor, p) => (log.push(`approval ${p}`), handle('approval', anchor.parentNode as Element)),
  };
  const builders = {
    badge: (row: { name: string }, model: PartnerBadgeModel) => `${model.risk}`,
    summary: (s: PartnersAnalysis['summary']) => `${s.withAdminAccess}/${s.total}`,
    approval: (view: InvitationView) => view.roles.map((r) => r.name).join(','),
  };
  return { log, props, mounts, builders };
}

let stop: (() => void) | undefined;
afterEach(() => {
  stop?.();
  stop = undefined;
  document.body.replaceChildren();
  history.replaceState(null, '', '/AdminPortal/Home#/partners');
});

function start(r: ReturnType<typeof recorder>, analyzer: AdminAnalyzer) {
  const f = startAdminCenter({ doc: document, page: () => detectAdminCenterPage(location.href), mounts: r.mounts, analyzer, props: r.builders });
  stop = () => f.stop();
  return f;
}

/** Lets the answers' promises settle. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

describe('admin center feature', () => {
  it('asks the background once per page state, then mounts one badge per partner and one summary', async () => {
    mountPartnersPage(document, PARTNERS);
    const r = recorder();
    const { asked, analyzer } = localAnalyzer();
    const f = start(r, analyzer);
    f.scan();
    // Nothing until the answer is in.
    expect(r.log).toEqual([]);
    await settle();
    expect(asked).toEqual(['partners 3']);
    expect(r.log.filter((l) => l.startsWith('badge')).sort()).toEqual(['badge Litware Readers low', 'badge Northwind DAP high', 'badge Proseware Licensing none']);
    expect(r.log.filter((l) => l.startsWith('summary'))).toEqual(['summary 2/3']);
    const before = r.log.length;
    f.scan();
    f.scan();
    await settle();
    expect(r.log.length).toBe(before);
    expect(asked).toEqual(['partners 3']);
  });

  it('updates a badge and the summary when a row changes, e.g. after Remove delegated admin (D5)', async () => {
    const page = mountPartnersPage(document, PARTNERS);
    const r = recorder();
    const f = start(r, localAnalyzer().analyzer);
    f.scan();
    await settle();
    const types = page.rows[0]!.row.querySelector('[data-automation-key="relationshipTypes"]')!;
    types.textContent = 'Reseller';
    f.scan();
    await settle();
    expect(r.log).toContain('update badge');
    expect(r.log).toContain('update summary');
    expect(r.props.summary).toBe('2/3'); // Global Administrator is still listed: still admin access
  });

  it('removes everything when the route leaves the partners page', async () => {
    mountPartnersPage(document, PARTNERS);
    const r = recorder();
    const f = start(r, localAnalyzer().analyzer);
    f.scan();
    await settle();
    history.replaceState(null, '', '/AdminPortal/Home#/homepage');
    f.scan();
    expect(r.log.filter((l) => l === 'remove badge')).toHaveLength(PARTNERS.length);
    expect(r.log).toContain('remove summary');
    expect(document.querySelectorAll('gdap-lens-badge')).toHaveLength(0);
  });

  it('adds nothing to a page of unknown layout, and asks nothing', async () => {
    mountUnknownLayout(document, PARTNERS);
    const r = recorder();
    const { asked, analyzer } = localAnalyzer();
    start(r, analyzer).scan();
    await settle();
    expect(r.log).toEqual([]);
    expect(asked).toEqual([]);
  });

  it('mounts one approval panel on a GDAP invitation page', async () => {
    history.replaceState(null, '', '/AdminPortal/Home#/partners/invitation/granularAdminRelationships/abc-123');
    mountInvitation(document, { id: 'abc-123', duration: '730 days', autoExtend: 'Off', roles: [{ name: 'Global Reader' }] });
    const r = recorder();
    const { asked, analyzer } = localAnalyzer();
    const f = start(r, analyzer);
    f.scan();
    f.scan();
    await settle();
    f.scan();
    expect(r.log).toEqual(['approval Global Reader']);
    expect(asked).toEqual(['invitation']);
  });

  it('no panel when the invitation names no role the background knows', async () => {
    history.replaceState(null, '', '/AdminPortal/Home#/partners/invitation/granularAdminRelationships/abc-123');
    mountInvitation(document, { id: 'abc-123', duration: '730 days', roles: [{ name: '—' }] });
    const r = recorder();
    const f = start(r, localAnalyzer().analyzer);
    f.scan();
    await settle();
    expect(r.log).toEqual([]);
  });
});

describe('when the background does not answer as it should', () => {
  it.each<[string, AdminAnalyzer['partners']]>([
    ['no answer', async () => null],
    ['a rejected send', async () => Promise.reject(new Error('Receiving end does not exist'))],
    [
      'a throw before sending',
      () => {
        throw new Error('runtime gone');
      },
    ],
  ])('%s: nothing is mounted, nothing throws, the same page is not asked again', async (_name, partners) => {
    mountPartnersPage(document, PARTNERS);
    const r = recorder();
    const spy = vi.fn(partners);
    const f = start(r, { partners: spy, invitation: async () => null });
    expect(() => f.scan()).not.toThrow();
    await settle();
    f.scan();
    await settle();
    expect(r.log).toEqual([]);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('a slow answer: nothing until it comes, then the badges; an answer for a page no longer shown is not used', async () => {
    const page = mountPartnersPage(document, PARTNERS);
    const r = recorder();
    const pending: Array<() => void> = [];
    const slow: AdminAnalyzer = {
      partners: (rows) => new Promise((resolve) => pending.push(() => resolve(analyzePartnerTexts(rows, NOW)))),
      invitation: async () => null,
    };
    const f = start(r, slow);
    f.scan();
    await settle();
    expect(r.log).toEqual([]);
    // The page changes while the first question is out: a second question.
    page.rows[2]!.row.querySelector('[data-automation-key="roles"]')!.textContent = 'Global Reader';
    f.scan();
    expect(pending).toHaveLength(2);
    pending[0]!();
    await settle();
    expect(r.log).toEqual([]); // the first answer is about rows the page no longer shows
    pending[1]!();
    await settle();
    expect(r.log.filter((l) => l.startsWith('badge')).sort()).toEqual(['badge Litware Readers low', 'badge Northwind DAP high', 'badge Proseware Licensing low']);
  });

  it('after a failed answer for a changed page, what was shown goes (nothing rather than out of date)', async () => {
    const page = mountPartnersPage(document, PARTNERS);
    const r = recorder();
    let fail = false;
    const f = start(r, { partners: async (rows) => (fail ? null : analyzePartnerTexts(rows, NOW)), invitation: async () => null });
    f.scan();
    await settle();
    expect(r.log.filter((l) => l.startsWith('badge') || l.startsWith('summary'))).toHaveLength(PARTNERS.length + 1);
    fail = true;
    page.rows[0]!.row.querySelector('[data-automation-key="relationshipTypes"]')!.textContent = 'Reseller';
    f.scan();
    await settle();
    expect(r.log.filter((l) => l === 'remove badge')).toHaveLength(PARTNERS.length);
    expect(r.log).toContain('remove summary');
    expect(r.log.some((l) => l.startsWith('update'))).toBe(false);
  });

  it('an answer that comes after stop() mounts nothing', async () => {
    mountPartnersPage(document, PARTNERS);
    const r = recorder();
    let release: () => void = () => undefined;
    const f = start(r, {
      partners: (rows) => new Promise((resolve) => (release = () => resolve(analyzePartnerTexts(rows, NOW)))),
      invitation: async () => null,
    });
    f.scan();
    f.stop();
    release();
    await settle();
    expect(r.log).toEqual([]);
  });
});

describe('messagingAnalyzer: the content script\'s side of analyzePartners and analyzeInvitation', () => {
  const ROWS = [
    { types: 'Delegated admin (DAP)', roles: ['Global Administrator'], end: null },
    { types: 'Granular delegated admin (GDAP)', roles: ['Global Reader'], end: { datetime: '2026-05-05', text: 'May 5, 2026' } },
  ];
  const fakeApi = (answer: (command: string, data: unknown) => unknown) => {
    const sent: Array<[string, unknown]> = [];
    const api: Pick<Api, 'send'> = { send: (async (command: string, data: unknown) => (sent.push([command, data]), answer(command, data))) as Api['send'] };
    return { api, sent };
  };

  it('sends the texts and returns a well-formed answer', async () => {
    const good = analyzePartnerTexts(ROWS, NOW);
    const { api, sent } = fakeApi(() => good);
    expect(await messagingAnalyzer(api).partners(ROWS)).toEqual(good);
    expect(sent).toEqual([['analyzePartners', { rows: ROWS }]]);
    const view = analyzeInvitationTexts({ roles: [{ name: 'Global Reader', id: null }], duration: 'P90D', autoExtend: null }, NOW);
    const inv = fakeApi(() => view);
    expect(await messagingAnalyzer(inv.api).invitation({ roles: [{ name: 'Global Reader', id: null }], duration: 'P90D', autoExtend: null })).toEqual(view);
  });

  it('clips what it sends to the protocol\'s limits', async () => {
    const long = 'x'.repeat(ADMIN_PAGE_LIMITS.text + 500);
    const rows = Array.from({ length: ADMIN_PAGE_LIMITS.rows + 3 }, () => ({
      types: long,
      roles: Array.from({ length: ADMIN_PAGE_LIMITS.roles + 1 }, () => long),
      end: { datetime: long, text: long },
    }));
    const { api, sent } = fakeApi(() => null);
    await messagingAnalyzer(api).partners(rows);
    const data = sent[0]![1] as { rows: typeof rows };
    expect(data.rows).toHaveLength(ADMIN_PAGE_LIMITS.rows);
    expect(data.rows[0]!.roles).toHaveLength(ADMIN_PAGE_LIMITS.roles);
    expect(data.rows[0]!.types).toHaveLength(ADMIN_PAGE_LIMITS.text);
    expect(data.rows[0]!.end!.text).toHaveLength(ADMIN_PAGE_LIMITS.text);
    const inv = fakeApi(() => null);
    await messagingAnalyzer(inv.api).invitation({ roles: [{ name: long, id: long }], duration: long, autoExtend: long });
    expect(inv.sent[0]![1]).toEqual({ roles: [{ name: long.slice(0, 1000), id: long.slice(0, 1000) }], duration: long.slice(0, 1000), autoExtend: long.slice(0, 1000) });
  });

  it.each<[string, unknown]>([
    ['undefined (the router dropped it)', undefined],
    ['a string', 'high'],
    ['no partners', { summary: { total: 2, withAdminAccess: 0, viaDap: 0, withGlobalAdmin: 0 } }],
    ['one partner too few', { ...analyzePartnerTexts(ROWS, NOW), partners: analyzePartnerTexts(ROWS, NOW).partners.slice(1) }],
    ['an unknown risk', { ...analyzePartnerTexts(ROWS, NOW), partners: analyzePartnerTexts(ROWS, NOW).partners.map((p) => ({ ...p, risk: 'severe' })) }],
    ['a role that is markup, not text', { ...analyzePartnerTexts(ROWS, NOW), partners: analyzePartnerTexts(ROWS, NOW).partners.map((p) => ({ ...p, roles: { privileged: [{ type: 'img' }], other: [] } })) }],
    ['a negative count', { ...analyzePartnerTexts(ROWS, NOW), summary: { total: -1, withAdminAccess: 0, viaDap: 0, withGlobalAdmin: 0 } }],
  ])('a malformed partners answer (%s) is no answer', async (_name, answer) => {
    expect(await messagingAnalyzer(fakeApi(() => answer).api).partners(ROWS)).toBeNull();
  });

  it('a malformed invitation answer, or a failed send, is no answer', async () => {
    const inv = { roles: [{ name: 'Global Reader', id: null }], duration: null, autoExtend: null };
    for (const answer of [undefined, 'x', { roles: 'Global Reader' }, { roles: [], durationDays: null, endDate: null, autoExtend: 'maybe', exceeds: [] }]) {
      expect(await messagingAnalyzer(fakeApi(() => answer).api).invitation(inv)).toBeNull();
    }
    const failing: Pick<Api, 'send'> = { send: async () => Promise.reject(new Error('Could not establish connection')) };
    expect(await messagingAnalyzer(failing).invitation(inv)).toBeNull();
    expect(await messagingAnalyzer(failing).partners(ROWS)).toBeNull();
  });
});
