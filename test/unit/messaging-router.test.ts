import { describe, expect, it, vi } from 'vitest';
import { createRouter, type Handlers } from '@/utils/messaging/router';
import { PAYLOADS, POLICY, type Command } from '@/utils/messaging/protocol';

const OWN = 'abcdefghijklmnopabcdefghijklmnop';
const ORIGIN = `chrome-extension://${OWN}/`;
const T = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

const fromPage = { id: OWN, url: `${ORIGIN}options.html`, origin: ORIGIN.slice(0, -1) };
const fromContentScript = { id: OWN, url: 'https://partner.microsoft.com/dashboard/v2/customers/list', origin: 'https://partner.microsoft.com' };
const fromOtherExtension = { id: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', url: 'chrome-extension://zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz/x.html' };
const fromWebPage = { url: 'https://evil.example/' };

function handlers() {
  const calls: string[] = [];
  const h = Object.fromEntries(
    (Object.keys(PAYLOADS) as Command[]).map((c) => [c, vi.fn(async () => (calls.push(c), { ok: true }))]),
  ) as unknown as Handlers;
  return { h, calls };
}

describe('message router', () => {
  it('runs a read from a content script with a valid payload', async () => {
    const { h, calls } = handlers();
    const r = await createRouter(h, { ownId: OWN, ownOrigin: ORIGIN }).dispatch('getSummaries', { tenantIds: [T] }, fromContentScript);
    expect(r).toEqual({ handled: true, result: { ok: true } });
    expect(calls).toEqual(['getSummaries']);
    expect(h.getSummaries).toHaveBeenCalledWith({ tenantIds: [T] }, fromContentScript);
  });

  it.each([
    ['another extension', fromOtherExtension],
    ['a web page', fromWebPage],
    ['no sender', undefined],
  ])('drops every command from %s', async (_name, sender) => {
    const { h, calls } = handlers();
    const router = createRouter(h, { ownId: OWN, ownOrigin: ORIGIN });
    for (const c of Object.keys(PAYLOADS)) {
      expect(await router.dispatch(c, undefined, sender)).toEqual({ handled: false, reason: 'foreign-sender' });
    }
    expect(calls).toEqual([]);
  });

  it('keeps sign-in, settings, invitations and termination out of content scripts', async () => {
    const { h, calls } = handlers();
    const router = createRouter(h, { ownId: OWN, ownOrigin: ORIGIN });
    const pageOnly = (Object.keys(POLICY) as Command[]).filter((c) => POLICY[c] === 'page');
    expect(pageOnly).toEqual(expect.arrayContaining(['signIn', 'signOut', 'saveSettings', 'createInvitation', 'terminate', 'syncNow']));
    for (const c of pageOnly) {
      expect(await router.dispatch(c, undefined, fromContentScript)).toEqual({ handled: false, reason: 'not-an-extension-page' });
    }
    expect(calls).toEqual([]);
    expect((await router.dispatch('signOut', undefined, fromPage)).handled).toBe(true);
  });

  it('drops unknown commands, prototype names included', async () => {
    const { h } = handlers();
    const router = createRouter(h, { ownId: OWN, ownOrigin: ORIGIN });
    for (const c of ['getToken', 'eval', '__proto__', 'constructor', 'toString', '']) {
      expect(await router.dispatch(c, {}, fromPage)).toEqual({ handled: false, reason: 'unknown-command' });
    }
  });

  it.each([
    ['getSummaries', { tenantIds: ['not-a-guid'] }],
    ['getSummaries', { tenantIds: Array.from({ length: 1001 }, () => T) }],
    ['getSummaries', { tenantIds: [T], extra: 1 }],
    ['getSummaries', 'x'],
    ['getRelationship', { id: '<script>' }],
    ['getRelationship', { id: 'a'.repeat(201) }],
    ['getExpiring', { days: 5 }],
    ['setAutoExtend', { id: 'abc', on: 'yes' }],
    ['getStatus', { anything: true }],
    ['createInvitation', { displayName: 'x', durationDays: 1.5, roleIds: [T], autoExtend: true }],
    ['createInvitation', { displayName: 'x', durationDays: 30, roleIds: [], autoExtend: true }],
  ])('drops %s with a malformed payload %j', async (command, data) => {
    const { h, calls } = handlers();
    const r = await createRouter(h, { ownId: OWN, ownOrigin: ORIGIN }).dispatch(command, data, fromPage);
    expect(r).toEqual({ handled: false, reason: 'invalid-payload' });
    expect(calls).toEqual([]);
  });

  it("keeps the popup's quick actions out of content scripts, and serves them to the popup", async () => {
    const valid: Array<[Command, unknown]> = [
      ['searchCustomers', { query: '', limit: 50 }],
      ['checkRelationshipName', { name: 'Contoso GDAP' }],
      ['suggestRelationshipName', { customerName: '주식회사 한빛소프트' }],
      ['setAutoExtendMany', { ids: ['rel-1', 'rel-2'], on: true }],
      ['exportCsv', undefined],
    ];
    for (const [c] of valid) expect(POLICY[c], c).toBe('page');
    const { h, calls } = handlers();
    const router = createRouter(h, { ownId: OWN, ownOrigin: ORIGIN });
    for (const [c, data] of valid) {
      expect(await router.dispatch(c, data, fromContentScript), c).toEqual({ handled: false, reason: 'not-an-extension-page' });
    }
    expect(calls).toEqual([]);
    const fromPopup = { id: OWN, url: `${ORIGIN}popup.html`, origin: ORIGIN.slice(0, -1) };
    for (const [c, data] of valid) expect((await router.dispatch(c, data, fromPopup)).handled, c).toBe(true);
    expect(calls).toEqual(valid.map(([c]) => c));
  });

  it.each([
    ['searchCustomers', { query: 'x'.repeat(201) }],
    ['searchCustomers', { query: 'x', limit: 0 }],
    ['searchCustomers', { query: 'x', limit: 51 }],
    ['searchCustomers', { query: 'x', limit: 2.5 }],
    ['searchCustomers', { query: /x/ }],
    ['searchCustomers', {}],
    ['checkRelationshipName', { name: 'x'.repeat(201) }],
    ['checkRelationshipName', { name: 1 }],
    ['suggestRelationshipName', { customerName: 'x'.repeat(301) }],
    ['setAutoExtendMany', { ids: [], on: true }],
    ['setAutoExtendMany', { ids: Array.from({ length: 1001 }, (_, i) => `rel-${i}`), on: true }],
    ['setAutoExtendMany', { ids: ['<script>'], on: true }],
    ['setAutoExtendMany', { ids: ['rel-1'], on: 'true' }],
    ['setAutoExtendMany', { ids: ['rel-1'], on: true, force: true }],
    ['exportCsv', { all: true }],
  ])('drops the quick action %s with a malformed payload %j', async (command, data) => {
    const { h, calls } = handlers();
    const fromPopup = { id: OWN, url: `${ORIGIN}popup.html`, origin: ORIGIN.slice(0, -1) };
    const r = await createRouter(h, { ownId: OWN, ownOrigin: ORIGIN }).dispatch(command, data, fromPopup);
    expect(r).toEqual({ handled: false, reason: 'invalid-payload' });
    expect(calls).toEqual([]);
  });

  it('setAutoExtendMany takes 1000 ids (no 25-item cap)', async () => {
    const { h, calls } = handlers();
    const ids = Array.from({ length: 1000 }, (_, i) => `rel-${i}`);
    const r = await createRouter(h, { ownId: OWN, ownOrigin: ORIGIN }).dispatch('setAutoExtendMany', { ids, on: false }, fromPage);
    expect(r.handled).toBe(true);
    expect(calls).toEqual(['setAutoExtendMany']);
  });

  it('does not treat a look-alike origin as an extension page', async () => {
    const { h } = handlers();
    const router = createRouter(h, { ownId: OWN, ownOrigin: ORIGIN });
    const sneaky = { id: OWN, url: `${ORIGIN.slice(0, -1)}.evil.example/options.html` };
    expect(await router.dispatch('signIn', undefined, sneaky)).toEqual({ handled: false, reason: 'not-an-extension-page' });
  });
});

describe("the admin center's commands (analyzePartners, analyzeInvitation)", () => {
  const PARTNERS = { rows: [{ types: 'Reseller, Delegated admin (DAP)', roles: ['Global Administrator'], end: null }] };
  const INVITATION = { roles: [{ name: 'Global Reader', id: null }], duration: '730 days', autoExtend: 'Off' };
  const ADMIN_COMMANDS: Array<[Command, unknown]> = [
    ['analyzePartners', PARTNERS],
    ['analyzeInvitation', INVITATION],
  ];
  const fromAdminCenter = { id: OWN, url: 'https://admin.microsoft.com/AdminPortal/Home#/partners', origin: 'https://admin.microsoft.com' };
  const fromAdminCloud = { id: OWN, url: 'https://admin.cloud.microsoft/AdminPortal/Home#/partners', origin: 'https://admin.cloud.microsoft' };

  it('are the only admin-center commands, and nothing else is', () => {
    expect((Object.keys(POLICY) as Command[]).filter((c) => POLICY[c] === 'admin-center').sort()).toEqual(['analyzeInvitation', 'analyzePartners']);
  });

  it.each([
    ['admin.microsoft.com', fromAdminCenter],
    ['admin.cloud.microsoft', fromAdminCloud],
  ])('are answered for our content script on %s', async (_host, sender) => {
    const { h, calls } = handlers();
    const router = createRouter(h, { ownId: OWN, ownOrigin: ORIGIN });
    for (const [c, data] of ADMIN_COMMANDS) expect((await router.dispatch(c, data, sender)).handled, c).toBe(true);
    expect(calls).toEqual(['analyzePartners', 'analyzeInvitation']);
  });

  it.each([
    ['our content script on Partner Center', fromContentScript, 'not-the-admin-center'],
    ['our own extension page', fromPage, 'not-the-admin-center'],
    ['another extension', fromOtherExtension, 'foreign-sender'],
    ['a web page', fromWebPage, 'foreign-sender'],
    ['a page on the admin center without our id', { url: 'https://admin.microsoft.com/AdminPortal/Home#/partners' }, 'foreign-sender'],
    ['our id on an admin center look-alike', { id: OWN, url: 'https://admin.microsoft.com.evil.example/AdminPortal/Home' }, 'unknown-page'],
    ['our id on the admin center over http', { id: OWN, url: 'http://admin.microsoft.com/AdminPortal/Home' }, 'unknown-page'],
    ['our id on the admin center on another port', { id: OWN, url: 'https://admin.microsoft.com:8443/AdminPortal/Home' }, 'unknown-page'],
    ['no sender', undefined, 'foreign-sender'],
  ])('are refused to %s', async (_name, sender, reason) => {
    const { h, calls } = handlers();
    const router = createRouter(h, { ownId: OWN, ownOrigin: ORIGIN });
    for (const [c, data] of ADMIN_COMMANDS) expect(await router.dispatch(c, data, sender), c).toEqual({ handled: false, reason });
    expect(calls).toEqual([]);
  });

  it('the admin center content script may still ask what every content script may', async () => {
    const { h, calls } = handlers();
    const router = createRouter(h, { ownId: OWN, ownOrigin: ORIGIN });
    expect((await router.dispatch('getStatus', undefined, fromAdminCenter)).handled).toBe(true);
    expect(await router.dispatch('signIn', undefined, fromAdminCenter)).toEqual({ handled: false, reason: 'not-an-extension-page' });
    expect(calls).toEqual(['getStatus']);
  });

  const text = (n: number) => 'x'.repeat(n);
  const row = { types: 'GDAP', roles: ['Global Reader'], end: null };
  it.each<[Command, unknown]>([
    ['analyzePartners', undefined],
    ['analyzePartners', {}],
    ['analyzePartners', { rows: 'x' }],
    ['analyzePartners', { rows: Array.from({ length: 501 }, () => row) }],
    ['analyzePartners', { rows: [{ ...row, types: text(1001) }] }],
    ['analyzePartners', { rows: [{ ...row, roles: Array.from({ length: 201 }, () => 'Global Reader') }] }],
    ['analyzePartners', { rows: [{ ...row, roles: [text(1001)] }] }],
    ['analyzePartners', { rows: [{ ...row, roles: [7] }] }],
    ['analyzePartners', { rows: [{ types: 'GDAP', roles: [] }] }],
    ['analyzePartners', { rows: [{ ...row, end: { text: 'May 5, 2026' } }] }],
    ['analyzePartners', { rows: [{ ...row, end: { datetime: text(1001), text: '' } }] }],
    ['analyzePartners', { rows: [{ ...row, name: 'Contoso' }] }],
    ['analyzePartners', { rows: [row], now: '2030-01-01' }],
    ['analyzeInvitation', { roles: [], duration: null, autoExtend: null }],
    ['analyzeInvitation', { roles: Array.from({ length: 201 }, () => ({ name: 'Global Reader', id: null })), duration: null, autoExtend: null }],
    ['analyzeInvitation', { roles: [{ name: text(1001), id: null }], duration: null, autoExtend: null }],
    ['analyzeInvitation', { roles: [{ name: 'Global Reader' }], duration: null, autoExtend: null }],
    ['analyzeInvitation', { roles: [{ name: 'Global Reader', id: null }], duration: 730, autoExtend: null }],
    ['analyzeInvitation', { roles: [{ name: 'Global Reader', id: null }], duration: null }],
    ['analyzeInvitation', { roles: [{ name: 'Global Reader', id: null }], duration: null, autoExtend: true }],
  ])('drops %s with a malformed payload %j', async (command, data) => {
    const { h, calls } = handlers();
    const r = await createRouter(h, { ownId: OWN, ownOrigin: ORIGIN }).dispatch(command, data, fromAdminCenter);
    expect(r).toEqual({ handled: false, reason: 'invalid-payload' });
    expect(calls).toEqual([]);
  });

  it('takes a page at its limits: 500 rows of 200 roles, texts of 1,000 characters', async () => {
    const { h, calls } = handlers();
    const full = { types: text(1000), roles: Array.from({ length: 200 }, () => text(1000)), end: { datetime: text(1000), text: text(1000) } };
    const r = await createRouter(h, { ownId: OWN, ownOrigin: ORIGIN }).dispatch('analyzePartners', { rows: Array.from({ length: 500 }, () => full) }, fromAdminCenter);
    expect(r.handled).toBe(true);
    expect(calls).toEqual(['analyzePartners']);
  });
});
