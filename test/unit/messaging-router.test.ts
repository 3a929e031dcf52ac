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
