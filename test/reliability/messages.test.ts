/**
 * Messages: every command from every kind of sender, with fuzzed payloads, unknown commands
 * and prototype-pollution keys, through the real router (utils/messaging/router.ts). Dropped
 * means: no answer (`handled: false`) and no handler ran. Then every command's answer from a
 * signed-in app is checked for the tokens it holds (access and refresh): none may appear.
 */
import fc from 'fast-check';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRouter, type Handlers } from '@/utils/messaging/router';
import { PAYLOADS, POLICY, type Command } from '@/utils/messaging/protocol';
import type { SenderLike } from '@/utils/messaging/guard';
import { SESSION_KEY } from '@/utils/auth/service';
import { startFakeCloud, type FakeCloud } from '../fake-cloud/server';
import { tried } from './tally';
import { OWN_ID, OWN_ORIGIN, newProfile, signIn, startWorker, textOf, type Worker } from './harness';

vi.mock('@/utils/graph/client', async (orig) => (await import('./graph-mock')).fastGraphClientMock(orig));

const COMMANDS = Object.keys(PAYLOADS) as Command[];
const T1 = '11111111-2222-4333-8444-555555555555';
const GLOBAL_READER = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';

/** One valid payload per command. */
const VALID: { [C in Command]: unknown } = {
  openOptions: undefined,
  getStatus: undefined,
  getSummaries: { tenantIds: [T1] },
  getCustomerRelationships: { tenantId: T1 },
  getRelationship: { id: 'rel-1' },
  getRelationships: { ids: ['rel-1'] },
  getBadges: { tenantIds: [T1], relationshipIds: ['rel-1'] },
  getBadgeDetails: { tenantId: T1 },
  getBadgeIndex: { kind: 'relationships' },
  getExpiring: { days: 30 },
  signIn: undefined,
  signOut: undefined,
  syncNow: undefined,
  saveSettings: { notifications: true },
  setAutoExtend: { id: 'rel-1', on: false },
  createInvitation: { displayName: 'Reliability', durationDays: 30, roleIds: [GLOBAL_READER], autoExtend: false },
  terminate: { id: 'rel-1' },
  searchCustomers: { query: 'a' },
  checkRelationshipName: { name: 'x' },
  suggestRelationshipName: { customerName: 'x' },
  setAutoExtendMany: { ids: ['rel-1'], on: false },
  exportCsv: undefined,
  analyzePartners: { rows: [{ types: 'Reseller, Delegated admin (DAP)', roles: ['Global Administrator'], end: null }] },
  analyzeInvitation: { roles: [{ name: 'Global Reader', id: GLOBAL_READER }], duration: '730 days', autoExtend: 'On' },
};

const OTHER_ID = 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz';
/**
 * Which commands a sender may send: `none`; `partner-center` (our content script there:
 * the `own` commands); `admin-center` (our content script there: `own` and `admin-center`);
 * `page` (our own extension pages: all but the `admin-center` commands).
 */
type Allowed = 'none' | 'partner-center' | 'admin-center' | 'page';
const mayAnswer = (allowed: Allowed, command: Command): boolean =>
  allowed === 'page'
    ? POLICY[command] !== 'admin-center'
    : allowed === 'admin-center'
      ? POLICY[command] === 'own' || POLICY[command] === 'admin-center'
      : allowed === 'partner-center' && POLICY[command] === 'own';

const SENDERS: Array<{ name: string; sender: SenderLike | undefined; allowed: Allowed }> = [
  { name: 'no sender at all', sender: undefined, allowed: 'none' },
  { name: 'a web page (no extension id)', sender: { url: 'https://evil.example/', origin: 'https://evil.example' }, allowed: 'none' },
  { name: 'a web page claiming our origin without an id', sender: { url: `${OWN_ORIGIN}options.html`, origin: OWN_ORIGIN.slice(0, -1) }, allowed: 'none' },
  { name: 'another extension', sender: { id: OTHER_ID, url: `chrome-extension://${OTHER_ID}/x.html` }, allowed: 'none' },
  { name: 'another extension pretending our page URL', sender: { id: OTHER_ID, url: `${OWN_ORIGIN}options.html` }, allowed: 'none' },
  { name: 'an empty id', sender: { id: '', url: `${OWN_ORIGIN}options.html` }, allowed: 'none' },
  { name: 'our content script on an unknown host', sender: { id: OWN_ID, url: 'https://evil.example/partner.microsoft.com/', origin: 'https://evil.example' }, allowed: 'none' },
  { name: 'our content script on a look-alike host', sender: { id: OWN_ID, url: 'https://partner.microsoft.com.evil.example/dashboard' }, allowed: 'none' },
  { name: 'our content script on http (not https)', sender: { id: OWN_ID, url: 'http://partner.microsoft.com/dashboard' }, allowed: 'none' },
  { name: 'our content script without a URL', sender: { id: OWN_ID }, allowed: 'none' },
  { name: 'a page on our id but another scheme-origin', sender: { id: OWN_ID, url: `${OWN_ORIGIN.slice(0, -1)}.evil.example/options.html` }, allowed: 'none' },
  { name: 'our content script on Partner Center', sender: { id: OWN_ID, url: 'https://partner.microsoft.com/dashboard/v2/customers/list' }, allowed: 'partner-center' },
  { name: 'our content script on the admin center', sender: { id: OWN_ID, url: 'https://admin.microsoft.com/#/partners' }, allowed: 'admin-center' },
  { name: 'our content script on admin.cloud.microsoft', sender: { id: OWN_ID, url: 'https://admin.cloud.microsoft/?#/partners' }, allowed: 'admin-center' },
  { name: 'our content script on an admin center look-alike', sender: { id: OWN_ID, url: 'https://admin.microsoft.com.evil.example/AdminPortal/Home#/partners' }, allowed: 'none' },
  { name: 'our content script on the admin center over http', sender: { id: OWN_ID, url: 'http://admin.microsoft.com/AdminPortal/Home#/partners' }, allowed: 'none' },
  { name: 'our own extension page', sender: { id: OWN_ID, url: `${OWN_ORIGIN}popup.html`, origin: OWN_ORIGIN.slice(0, -1) }, allowed: 'page' },
];

/** Handlers that only record that they ran. */
function spies(): { handlers: Handlers; calls: Array<{ command: Command; data: unknown }> } {
  const calls: Array<{ command: Command; data: unknown }> = [];
  const handlers = Object.fromEntries(COMMANDS.map((c) => [c, (data: unknown) => (calls.push({ command: c, data }), { ok: true, echo: c })])) as unknown as Handlers;
  return { handlers, calls };
}

const router = (handlers: Handlers) => createRouter(handlers, { ownId: OWN_ID, ownOrigin: OWN_ORIGIN });
const PAGE: SenderLike = { id: OWN_ID, url: `${OWN_ORIGIN}options.html` };
const ADMIN_CENTER: SenderLike = { id: OWN_ID, url: 'https://admin.microsoft.com/AdminPortal/Home#/partners', origin: 'https://admin.microsoft.com' };
/** A sender that may send `command` (the page, or the admin center content script for its commands). */
const allowedSender = (command: Command): SenderLike => (POLICY[command] === 'admin-center' ? ADMIN_CENTER : PAGE);

describe('senders', () => {
  it.each(SENDERS)('$name: only the commands it may send are answered', async ({ sender, allowed }) => {
    for (const command of COMMANDS) {
      const { handlers, calls } = spies();
      const r = await router(handlers).dispatch(command, VALID[command], sender);
      const expected = mayAnswer(allowed, command);
      expect(r.handled, command).toBe(expected);
      expect(calls.length, command).toBe(expected ? 1 : 0);
      if (!r.handled) expect(Object.keys(r)).toEqual(['handled', 'reason']);
    }
    tried('messages', 'every command from one kind of sender', COMMANDS.length);
  });
});

describe('wrong shapes, unknown commands, prototype pollution', () => {
  it.each(COMMANDS)('%s: fuzzed payloads are dropped unless its schema accepts them; the handler gets the parsed value', async (command) => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.anything({ withNullPrototype: true, withObjectString: true }), fc.jsonValue(), fc.constant(VALID[command])), async (data) => {
        runs++;
        const { handlers, calls } = spies();
        const valid = v.safeParse(PAYLOADS[command], data).success;
        const r = await router(handlers).dispatch(command, data, allowedSender(command));
        expect(r.handled).toBe(valid);
        expect(calls.length).toBe(valid ? 1 : 0);
      }),
      { numRuns: 150 },
    );
    tried('messages', `fuzzed payloads for ${command}`, runs);
  });

  it('unknown commands, including Object.prototype names, are dropped from every sender', async () => {
    const names = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', 'getStatus ', 'GETSTATUS', 'getstatus'),
    );
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(names, fc.constantFrom(...SENDERS.map((s) => s.sender)), async (command, sender) => {
        if (Object.prototype.hasOwnProperty.call(PAYLOADS, command)) return;
        runs++;
        const { handlers, calls } = spies();
        const r = await router(handlers).dispatch(command, {}, sender);
        expect(r).toEqual({ handled: false, reason: 'unknown-command' });
        expect(calls).toEqual([]);
      }),
      { numRuns: 300 },
    );
    tried('messages', 'unknown commands', runs);
  });

  it('payloads with __proto__ / constructor / prototype keys are dropped and pollute nothing', async () => {
    const hostile = [
      '{"__proto__":{"polluted":1}}',
      '{"constructor":{"prototype":{"polluted":1}}}',
      '{"tenantIds":[],"__proto__":{"polluted":1}}',
      '{"id":"rel-1","__proto__":{"isAdmin":true}}',
      '{"ids":["rel-1"],"on":false,"constructor":{"prototype":{"polluted":1}}}',
      '{"query":"a","prototype":{"polluted":1}}',
      '{"cloud":"global","__proto__":{"clientId":"x"}}',
    ].map((s) => JSON.parse(s) as unknown);
    let n = 0;
    for (const command of COMMANDS) {
      for (const data of hostile) {
        const { handlers, calls } = spies();
        const r = await router(handlers).dispatch(command, data, allowedSender(command));
        n++;
        // strictObject refuses the extra own key; the handler never sees it.
        expect(r.handled, `${command} ${JSON.stringify(data)}`).toBe(false);
        expect(calls).toEqual([]);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    tried('messages', 'prototype-pollution payloads', n);
  });
});

describe('no answer ever carries a token', () => {
  let cloud: FakeCloud;
  let w: Worker;
  beforeAll(async () => {
    cloud = await startFakeCloud({ customers: 8, seed: 5 });
    w = startWorker(cloud, newProfile(cloud));
    await signIn(w);
  }, 60_000);
  afterAll(async () => {
    w?.app.scheduler.cancel();
    w?.app.cache.close();
    await cloud?.stop();
  });

  it('every command, with a signed-in app holding an access and a refresh token', async () => {
    const session = (await w.profile.session.get(SESSION_KEY)) as { accessToken?: string; refreshToken?: string } | undefined;
    const secrets = [session?.accessToken, session?.refreshToken].filter((s): s is string => typeof s === 'string' && s.length > 20);
    expect(secrets.length).toBe(2);
    const rel = cloud.world.relationships.find((r) => r.status === 'active' && r.customer?.tenantId)!;
    const payloads: { [C in Command]?: unknown } = {
      ...VALID,
      getSummaries: { tenantIds: [rel.customer!.tenantId!] },
      getCustomerRelationships: { tenantId: rel.customer!.tenantId! },
      getRelationship: { id: rel.id },
      getRelationships: { ids: [rel.id] },
      setAutoExtend: { id: rel.id, on: false },
      setAutoExtendMany: { ids: [rel.id], on: false },
      createInvitation: { ...(VALID.createInvitation as object), customerTenantId: rel.customer!.tenantId! },
      saveSettings: { clientId: w.profile.clientId },
      terminate: { id: rel.id },
      signOut: undefined,
    };
    const appRouter = createRouter(w.app.handlers, { ownId: OWN_ID, ownOrigin: OWN_ORIGIN });
    // signOut last: it drops the tokens.
    const order = [...COMMANDS.filter((c) => c !== 'signOut' && c !== 'signIn'), 'signIn' as const, 'signOut' as const];
    for (const command of order) {
      const r = await appRouter.dispatch(command, payloads[command], allowedSender(command));
      expect(r.handled, command).toBe(true);
      const text = textOf(r);
      for (const s of secrets) {
        expect(text.includes(s), `${command} answer holds a token`).toBe(false);
        // Nor a recognisable part of one (a JWT's payload segment).
        for (const part of s.split('.').filter((p) => p.length > 16)) expect(text.includes(part), command).toBe(false);
      }
      tried('messages', `token check of the ${command} answer`);
    }
  });
});
