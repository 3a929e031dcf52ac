/**
 * The fake Microsoft 365 admin center pages (test/fake-cloud/admin-center) on both of
 * its hosts: Partner relationships inside open shadow roots, the GDAP invitation page
 * whose Approve changes the world, the reseller invitation, hash navigation.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AC,
  AC2,
  buildTestWorld,
  deepEval,
  HOSTILE_NAMES,
  launchChromium,
  type PortalServer,
  startPortalServer,
  waitDeep,
} from './portal-kit';

let server: PortalServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  server = await startPortalServer(buildTestWorld());
  browser = await launchChromium(server);
  page = await browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

beforeEach(() => {
  server.world = buildTestWorld();
});

interface PartnerRow {
  id: string | null;
  name: string | null;
  types: string | null;
  roles: string | null;
  end: string | null;
  hosts: string[];
}

const ROWS_READY = `deepOne('.ms-DetailsList') && !deepOne('.ms-DetailsList').hasAttribute('aria-busy')`;

async function partnerRows(): Promise<PartnerRow[]> {
  await waitDeep(page, ROWS_READY);
  return deepEval<PartnerRow[]>(
    page,
    `deepAll('[role="row"][data-partner-id]').map((r) => {
      const cell = (k) => r.querySelector('[data-automation-key="' + k + '"]');
      const time = cell('gdapEndDateTime').querySelector('time');
      return { id: r.getAttribute('data-partner-id'), name: text(cell('displayName').querySelector('button')), types: text(cell('relationshipTypes')),
               roles: text(cell('roles')), end: time ? time.getAttribute('datetime') : null, hosts: hosts(r) };
    })`,
  );
}

const invitationId = (i: number): string => server.world.relationships[i]!.id;
const pwned = (): Promise<unknown> => page.evaluate('window.__pwned');

describe('fake admin center: Partner relationships (#/partners)', () => {
  it('lists the world’s partners inside open shadow roots, on both hosts and path spellings', async () => {
    for (const url of [`${AC}/AdminPortal/Home#/partners`, `${AC2}/AdminPortal/Home?delay=0#/partners`, `${AC}/Adminportal/Home?delay=0#/partners`, `${AC2}/adminportal/home/?delay=0#/partners`]) {
      const res = await page.goto(url);
      expect(res?.status(), url).toBe(200);
      const rows = await partnerRows();
      const partners = server.world.adminCenter.partners;
      expect(rows.map((r) => r.id), url).toEqual(partners.map((p) => p.id));
      rows.forEach((r, i) => {
        const p = partners[i]!;
        expect(r.name).toBe(p.displayName);
        expect(r.types).toBe(p.relationshipTypes.join(', '));
        expect(r.roles).toBe(p.roles.length ? p.roles.join(', ') : '—');
        expect(r.end).toBe(p.gdapEndDateTime ?? null);
        expect(r.hosts).toEqual(['m365-partner-relationships', 'm365-admin-shell']);
      });
      expect(await page.evaluate(`document.querySelectorAll('[data-partner-id], [role="row"]').length`)).toBe(0);
    }
    expect(await pwned()).toBeUndefined();
    expect(pageErrors).toEqual([]);
  });

  it('opens a details pane per partner with the actions its relationships allow; Remove delegated admin changes the world (D5)', async () => {
    await page.goto(`${AC}/AdminPortal/Home?delay=0#/partners`);
    await partnerRows();
    const pane = async (): Promise<{ id: string | null; title: string | null; actions: string[]; message: string | null }> =>
      deepEval(
        page,
        `(() => { const p = deepOne('.ms-Panel'); return { id: p.getAttribute('data-partner-id'), title: text(p.querySelector('h2')),
           actions: [...p.querySelectorAll('button[data-action]')].map((b) => b.getAttribute('data-action')), message: text(p.querySelector('.ms-MessageBar')) }; })()`,
      );
    await page.locator('button.ms-Link[data-partner-id="partner-gdap"]').click();
    expect(await pane()).toEqual({ id: 'partner-gdap', title: 'Woodgrove GDAP Partner', actions: ['terminate', 'close'], message: null });
    await page.locator('button.ms-Link[data-partner-id="partner-hostile"]').click();
    expect(await pane()).toMatchObject({ id: 'partner-hostile', title: HOSTILE_NAMES[0], actions: ['remove-delegated-admin', 'terminate', 'close'] });
    // Terminate is inert: it asks, then says so, and changes nothing.
    await page.locator('.ms-Panel button[data-action="terminate"]').click();
    await page.locator('.ms-Panel button[data-action="confirm-terminate"]').click();
    expect((await pane()).message).toBe('Termination requested.');
    expect(server.world.adminCenter.partners[2]?.relationshipTypes).toContain('Granular delegated admin (GDAP)');

    await page.locator('button.ms-Link[data-partner-id="partner-dap"]').click();
    expect(await pane()).toMatchObject({ id: 'partner-dap', actions: ['remove-delegated-admin', 'close'] });
    await page.locator('.ms-Panel button[data-action="remove-delegated-admin"]').click();
    await page.locator('.ms-Panel button[data-action="confirm-remove"]').click();
    await waitDeep(page, `text(deepOne('.ms-Panel .ms-MessageBar')) === 'Delegated admin roles removed.'`);
    const dap = server.world.adminCenter.partners[0]!;
    expect(dap.relationshipTypes).toEqual(['Reseller']);
    expect(dap.roles).toEqual([]);
    const rows = await partnerRows();
    expect(rows[0]).toMatchObject({ id: 'partner-dap', types: 'Reseller', roles: '—' });
    await page.locator('.ms-Panel button[data-action="close"]').click();
    expect(await deepEval<boolean>(page, `deepOne('.ms-Panel').hidden`)).toBe(true);
    expect(await pwned()).toBeUndefined();
  });

  it('unknown layout (?layout=unknown): the names are there, nothing a content script knows', async () => {
    await page.goto(`${AC}/AdminPortal/Home?layout=unknown&delay=0#/partners`);
    await waitDeep(page, `deepOne('.v3-canvas') && !deepOne('.v3-canvas').hasAttribute('aria-busy')`);
    const seen = await deepEval<{ tiles: string[]; known: number }>(
      page,
      `({ tiles: deepAll('.v3-tile-title').map(text), known: deepAll('[data-partner-id], [role="row"], [role="grid"], m365-admin-shell, m365-partner-relationships').length })`,
    );
    expect(seen.tiles).toEqual(server.world.adminCenter.partners.map((p) => p.displayName));
    expect(seen.known).toBe(0);
  });
});

describe('fake admin center: GDAP invitation (#/partners/invitation/granularAdminRelationships/{id})', () => {
  async function openInvitation(origin: string, id: string): Promise<void> {
    await page.goto(`${origin}/AdminPortal/Home?delay=0#/partners/invitation/granularAdminRelationships/${encodeURIComponent(id)}`);
    await waitDeep(page, `deepOne('m365-gdap-invitation[data-state]') || deepOne('[data-error]')`);
  }
  const fields = (): Promise<Record<string, string>> =>
    deepEval(page, `Object.fromEntries(deepAll('.invitation-details dd[data-field]').map((d) => [d.getAttribute('data-field'), text(d)]))`);

  it('shows the request with role names, duration and auto-extend; Approve makes it active (both hosts)', async () => {
    for (const [origin, index] of [
      [AC, 1],
      [AC2, 9],
    ] as const) {
      const id = invitationId(index);
      const before = { ...server.world.relationships[index]! };
      expect(before.status).toBe('approvalPending');
      await openInvitation(origin, id);
      expect(await fields()).toMatchObject({
        partner: 'Contoso Test Partner',
        relationshipName: before.displayName,
        duration: '730 days',
        autoExtend: 'Off',
      });
      expect(await deepEval<string[]>(page, `deepAll('ul.roles li').map(text)`)).toEqual(['Global Reader', 'Directory Readers']);
      expect(await deepEval<string | null>(page, `deepOne('m365-gdap-invitation').getAttribute('data-relationship-id')`)).toBe(id);
      await page.locator('button[data-action="approve"]').click();
      await waitDeep(page, `deepOne('m365-gdap-invitation').getAttribute('data-state') === 'approved'`);
      expect(await deepEval<string | null>(page, `text(deepOne('.ms-MessageBar'))`)).toBe('You approved this request.');
      expect(await deepEval<number>(page, `deepAll('button[data-action="approve"]').length`)).toBe(0);
      await expect.poll(() => server.world.relationships[index]!.status, { timeout: 5_000 }).toBe('active');
      const after = server.world.relationships[index]!;
      expect(after.etag).not.toBe(before.etag);
      const activated = Date.parse(after.activatedDateTime ?? '');
      expect(Number.isFinite(activated)).toBe(true);
      expect(Date.parse(after.endDateTime ?? '') - activated).toBe(730 * 86_400_000);
    }
    // The admin center's tenant (customer 1) now lists the partner with GDAP.
    const me = server.world.adminCenter.partners.find((p) => p.displayName === 'Contoso Test Partner');
    expect(me?.relationshipTypes).toContain('Granular delegated admin (GDAP)');
    expect(me?.roles).toEqual(['Global Reader', 'Directory Readers']);
    await page.goto(`${AC}/AdminPortal/Home?delay=0#/partners`);
    expect((await partnerRows()).map((r) => r.name)).toContain('Contoso Test Partner');
  });

  it('refuses what is not pending: already active, lapsed after 90 days (R2), unknown id', async () => {
    await openInvitation(AC, invitationId(0));
    expect(await deepEval<string | null>(page, `deepOne('m365-gdap-invitation').getAttribute('data-state')`)).toBe('approved');
    expect(await deepEval<number>(page, `deepAll('button[data-action="approve"]').length`)).toBe(0);
    await openInvitation(AC2, invitationId(12));
    expect(await deepEval<string | null>(page, `deepOne('m365-gdap-invitation').getAttribute('data-state')`)).toBe('expired');
    expect(await deepEval<number>(page, `deepAll('button[data-action="approve"]').length`)).toBe(0);
    await openInvitation(AC, 'no-such-relationship');
    expect(await deepEval<string | null>(page, `text(deepOne('[role="alert"] h1'))`)).toBe('We couldn’t find this request');
    // The endpoint refuses too.
    const refused = await page.evaluate(`fetch('/__fake/ac/api/gdap-invitations/${encodeURIComponent(invitationId(12))}/approve', { method: 'POST' }).then((r) => r.status)`);
    expect(refused).toBe(409);
    expect(server.world.relationships[12]?.status).toBe('approvalPending');
  });

  it('Cancel and hash navigation stay in the same document; back works', async () => {
    await openInvitation(AC, invitationId(1));
    await page.evaluate('window.__marker = 7');
    await page.locator('button[data-action="cancel"]').click();
    await page.waitForURL(/#\/partners$/);
    await partnerRows();
    await page.goBack();
    await waitDeep(page, `deepOne('m365-gdap-invitation[data-state="pending"]')`);
    await page.locator('nav a[href="#/homepage"]').click();
    await waitDeep(page, `deepOne('m365-home')`);
    await page.evaluate(`location.hash = '#/partners'`);
    await partnerRows();
    expect(await page.evaluate('window.__marker')).toBe(7);
    expect(server.world.relationships[1]?.status).toBe('approvalPending');
  });
});

describe('fake admin center: reseller invitation and deep links', () => {
  it('shows the partner id of a reseller relationship link; Accept is inert', async () => {
    const world = server.world;
    const link = `${AC}/Adminportal/Home?invType=ResellerRelationship&partnerId=${world.partner.tenantId}&msppId=0&DAP=false&delay=0#/BillingAccounts/partner-invitation`;
    await page.goto(link);
    await waitDeep(page, `deepOne('m365-reseller-invitation') && deepOne('m365-reseller-invitation').shadowRoot.querySelector('dl')`);
    const f = await deepEval<Record<string, string>>(page, `Object.fromEntries(deepAll('dd[data-field]').map((d) => [d.getAttribute('data-field'), text(d)]))`);
    expect(f).toMatchObject({ partnerName: 'Contoso Test Partner', partnerId: world.partner.tenantId, invType: 'ResellerRelationship', msppId: '0', dap: 'Not requested' });
    const accept = page.locator('button[data-action="accept"]');
    expect(await accept.isDisabled()).toBe(true);
    await page.locator('input[data-action="agree"]').check();
    await accept.click();
    await waitDeep(page, `text(deepOne('.ms-MessageBar')) === 'Thanks. Your partner will be notified.'`);
    expect(server.world).toBe(world);
    // Same page on the other host, unknown partner.
    await page.goto(`${AC2}/Adminportal/Home?invType=ResellerRelationship&partnerId=someone-else&delay=0#/BillingAccounts/partner-invitation`);
    await waitDeep(page, `deepOne('m365-reseller-invitation') && deepOne('m365-reseller-invitation').shadowRoot.querySelector('dl')`);
    expect(await deepEval<string | null>(page, `text(deepOne('dd[data-field="partnerName"]'))`)).toBe('Unknown partner');
  });

  it('opens the delegatedOrg deep links; other paths are 404', async () => {
    await page.goto(`${AC2}/?delegatedOrg=customer1.onmicrosoft.com`);
    await waitDeep(page, `deepOne('.delegated-org')`);
    expect(await deepEval<string | null>(page, `text(deepOne('.delegated-org'))`)).toBe("You're managing customer1.onmicrosoft.com");
    await page.goto(`${AC2}/exchange?delegatedOrg=customer1.onmicrosoft.com`);
    await waitDeep(page, `deepOne('m365-home') && text(deepOne('m365-home').shadowRoot.querySelector('h1')) === 'Exchange admin center'`);
    expect((await page.goto(`${AC}/not/a/page`))?.status()).toBe(404);
    expect(pageErrors).toEqual([]);
  });
});
