// @vitest-environment happy-dom
import { render } from 'preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PopupApp, POPUP_TABS, type PopupAppProps } from '@/components/popup/App';
import { fieldForError } from '@/components/popup/InviteView';
import { GLOBAL_ADMINISTRATOR, GLOBAL_READER, ROLE_PRESETS, SERVICE_SUPPORT_ADMINISTRATOR, roleName } from '@/utils/gdap/roles';
import { DEFAULT_SETTINGS } from '@/utils/settings';
import type { Api } from '@/utils/messaging/client';
import type { Command, CustomerChoice, Payload, Results, StatusView } from '@/utils/messaging/protocol';
import { TENANT, rel, view } from './badge-fixtures';
import { useLocale, type TestLocale } from './i18n-test-helper';

const HANGUL = /[\uac00-\ud7a3]/;
const PARTNER_TENANT = '11111111-2222-4333-8444-555555555555';
const PROVIDER_TENANT = '99999999-8888-4777-8666-555555555555';
const NEW_TENANT = 'abcdefab-1234-4abc-8def-0123456789ab';
const HOSTILE = '<img src=x onerror="globalThis.pwned=1">Fabrikam & "Co"';
const INVITATION_URL = 'https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/new-rel-1';

// ---------------------------------------------------------------------------
// A fake background that records every command.

type Handlers = { [C in Command]?: (data: Payload<C>) => Results[C] | Promise<Results[C]> };
interface Sent {
  command: Command;
  data: unknown;
}

const CUSTOMERS: CustomerChoice[] = [
  { tenantId: TENANT, displayName: 'Contoso', domains: ['contoso.onmicrosoft.com'] },
  { tenantId: '22222222-3333-4444-8555-666666666666', displayName: 'Contoso Pharma', domains: [] },
  { tenantId: '33333333-4444-4555-8666-777777777777', displayName: HOSTILE, domains: ['fabrikam.onmicrosoft.com'] },
];

function signedIn(): StatusView {
  return {
    auth: { state: 'signed-in', account: { name: 'Ada Lovelace', username: 'ada@partner.example', tenantId: PARTNER_TENANT, signedInAt: '2026-03-01T08:00:00.000Z' } },
    sync: {
      running: false,
      lastSuccess: '2026-03-01T11:00:00.000Z',
      lastAttempt: '2026-03-01T11:00:00.000Z',
      lastError: null,
      counts: { relationships: 20000, customers: 9000, assignments: 0, skipped: 0 },
      durationMs: 1000,
      writeMs: null,
      emptyHint: null,
    },
    settings: DEFAULT_SETTINGS,
  };
}

const DEFAULTS: Handlers = {
  getStatus: () => signedIn(),
  syncNow: () => ({ ok: true, value: signedIn().sync }),
  searchCustomers: ({ query }) => CUSTOMERS.filter((c) => c.displayName.toLowerCase().includes(query.toLowerCase()) || c.tenantId === query.toLowerCase()),
  suggestRelationshipName: ({ customerName }) => ({ name: customerName ? `${customerName} GDAP` : 'GDAP' }),
  checkRelationshipName: ({ name }) => ({
    issues: name.toLowerCase() === 'taken gdap' ? [{ code: 'duplicate', messageKey: 'action.error.nameDuplicate', reusableFrom: null }] : [],
  }),
  createInvitation: (data) => ({
    ok: true,
    value: { relationship: view(rel({ id: 'new-rel-1', displayName: data.displayName, status: 'created' })), invitationUrl: INVITATION_URL },
  }),
  getExpiring: () => [],
  setAutoExtendMany: ({ ids }) => ids.map((id) => ({ id, ok: true })),
  exportCsv: () => ({ filename: 'gdap-relationships-2026-03-01.csv', csv: '\ufeffCustomer,Tenant ID\r\nContoso,x\r\n' }),
};

function fakeApi(handlers: Handlers = {}) {
  const sent: Sent[] = [];
  const all = { ...DEFAULTS, ...handlers } as Record<string, (d: unknown) => unknown>;
  const api: Api = {
    send: (async (command: Command, data?: unknown) => {
      sent.push({ command, data });
      const h = all[command];
      if (!h) throw new Error(`unexpected command ${command}`);
      return h(data);
    }) as Api['send'],
    onChange: () => () => undefined,
  };
  const of = <C extends Command>(c: C) => sent.filter((s) => s.command === c).map((s) => s.data as Payload<C>);
  return { api, sent, of };
}

// ---------------------------------------------------------------------------
// Rendering and DOM helpers.

let container: HTMLElement | null = null;
afterEach(() => {
  if (container) render(null, container);
  container?.remove();
  container = null;
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

/**
 * These tests wait on real timers (the search and name-check debounces, Preact's renders).
 * With other test files running beside them on a loaded two-core machine a timer can be
 * starved past the wait, so a test is tried up to three times; a real failure fails all three.
 */
const TIMED = { retry: 2 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Lets Preact render and promises settle. */
const flush = async () => {
  for (let i = 0; i < 5; i++) await sleep(0);
};
/** Waits out the search debounce used in these tests (20 ms), then settles. */
const settle = async () => {
  await sleep(40);
  await flush();
};

async function mount(props: Partial<PopupAppProps> = {}, handlers: Handlers = {}) {
  const fake = fakeApi(handlers);
  const openUrl = vi.fn<(url: string) => void>();
  const saveFile = vi.fn<(filename: string, text: string, type: string) => void>();
  const openOptions = vi.fn<() => void>();
  container = document.createElement('div');
  document.body.append(container);
  render(<PopupApp api={fake.api} openOptions={openOptions} openUrl={openUrl} saveFile={saveFile} debounceMs={20} {...props} />, container);
  await flush();
  return { ...fake, openUrl, saveFile, openOptions, root: container };
}

const root = () => container!;
const visible = (el: Element) => !el.closest('[hidden]');
const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

function tab(name: string): HTMLButtonElement {
  const found = [...root().querySelectorAll<HTMLButtonElement>('[role=tab]')].filter((b) => text(b) === name);
  expect(found, `tab ${name}`).toHaveLength(1);
  return found[0]!;
}
async function openTab(name: string) {
  tab(name).click();
  await flush();
}
function panel(): HTMLElement {
  const p = [...root().querySelectorAll<HTMLElement>('[role=tabpanel]')].filter((x) => !x.hidden);
  expect(p).toHaveLength(1);
  return p[0]!;
}
/** The one visible button with exactly this text. */
function button(name: string, scope: ParentNode = root()): HTMLButtonElement {
  const found = [...scope.querySelectorAll<HTMLButtonElement>('button')].filter((b) => visible(b) && text(b) === name);
  expect(found, `button "${name}"`).toHaveLength(1);
  return found[0]!;
}
/** The one visible control labelled exactly `name` (label[for], wrapping label, or aria-labelledby). */
function field<T extends HTMLElement = HTMLInputElement>(name: string, scope: ParentNode = root()): T {
  const found = new Set<HTMLElement>();
  for (const label of scope.querySelectorAll('label')) {
    if (!visible(label) || text(label) !== name) continue;
    const control = label.htmlFor ? document.getElementById(label.htmlFor) : label.querySelector('input, select, textarea');
    if (control) found.add(control as HTMLElement);
  }
  for (const el of scope.querySelectorAll<HTMLElement>('[aria-labelledby]')) {
    if (!visible(el)) continue;
    const labelText = el.getAttribute('aria-labelledby')!.split(' ').map((id) => text(document.getElementById(id))).join(' ');
    if (labelText === name) found.add(el);
  }
  expect([...found], `field "${name}"`).toHaveLength(1);
  return [...found][0] as T;
}
/** The text of the messages the control points at (aria-describedby). */
const description = (el: Element) =>
  (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => text(document.getElementById(id)))
    .join(' ');

function type(input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}
const press = (el: Element, key: string) => el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));

function roleCheckbox(id: string): HTMLInputElement {
  const box = panel().querySelector<HTMLInputElement>(`.role-list input[value="${id}"]`);
  expect(box, id).not.toBeNull();
  return box!;
}
const createButton = (t: (k: string) => string) => button(t('popup2.invite.create'));

/** A form that could be sent: a name, 730 days and one role. */
async function fillValidInvite(t: (k: string) => string) {
  type(field(t('popup2.invite.name')), 'Northwind GDAP');
  button(t('popup2.preset.supportTickets')).click();
  await settle();
}

/** Presses Create the way a user can: a click, and the form's submit (Enter in a field). */
async function tryToCreate(t: (k: string) => string) {
  createButton(t).click();
  panel().querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  await flush();
}

// ---------------------------------------------------------------------------

describe('popup: first paint and tabs', TIMED, () => {
  it('paints the status and the tabs without loading any list', async () => {
    const t = await useLocale('en');
    let answer: (s: StatusView) => void = () => undefined;
    const m = await mount({}, { getStatus: () => new Promise<StatusView>((r) => (answer = r)) });
    // Before the background answers: the tab list and a busy status, nothing else asked for.
    expect([...m.root.querySelectorAll('[role=tab]')].map(text)).toEqual(POPUP_TABS.map((x) => t(`popup2.tabs.${x}`)));
    expect(m.root.querySelector('.status[aria-busy=true]')).not.toBeNull();
    expect(m.sent.map((s) => s.command).filter((c) => c !== 'suggestRelationshipName')).toEqual(['getStatus']);
    expect(m.root.querySelector('main')!.hasAttribute('data-ready')).toBe(false);
    answer(signedIn());
    await flush();
    expect(text(m.root.querySelector('[data-testid=last-sync]'))).toMatch(/^Last sync: /);
    // Marked ready in the same render that shows the status and the first tab's form.
    expect(m.root.querySelector('main')!.getAttribute('data-ready')).toBe('true');
    expect(m.root.querySelector('#panel-invite form, #panel-invite input')).not.toBeNull();
    expect(m.of('searchCustomers')).toHaveLength(0);
    expect(m.of('getExpiring')).toHaveLength(0);
    expect(m.of('exportCsv')).toHaveLength(0);
    expect(m.of('checkRelationshipName').length).toBeLessThanOrEqual(1);
  });

  it('with the status already in (asked by popup-status.js), the first render is ready and asks nothing again', async () => {
    await useLocale('en');
    const fake = fakeApi();
    const status = signedIn();
    container = document.createElement('div');
    document.body.append(container);
    render(<PopupApp api={fake.api} openOptions={() => undefined} debounceMs={20} statusRequest={{ promise: Promise.resolve(status), value: status }} />, container);
    // No flush: the render that mounted the popup already shows the status.
    expect(container.querySelector('main')!.getAttribute('data-ready')).toBe('true');
    expect(text(container.querySelector('[data-testid=last-sync]'))).toMatch(/^Last sync: /);
    expect(container.querySelector('#panel-invite form')).not.toBeNull();
    await flush();
    expect(fake.of('getStatus')).toHaveLength(0);
  });

  it('shows the answer as soon as it arrives, without waiting for a paint or a timer', async () => {
    await useLocale('en');
    let answer: (s: StatusView) => void = () => undefined;
    const fake = fakeApi({ getStatus: () => new Promise<StatusView>((r) => (answer = r)) });
    container = document.createElement('div');
    document.body.append(container);
    render(<PopupApp api={fake.api} openOptions={() => undefined} debounceMs={20} />, container);
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(fake.of('getStatus')).toHaveLength(1);
    answer(signedIn());
    // Promise jobs only: no timer and no animation frame runs in between.
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(container.querySelector('main')!.getAttribute('data-ready')).toBe('true');
  });

  it('waits for the early request while it is under way, and asks again only if it failed', async () => {
    await useLocale('en');
    let answer: (s: StatusView | null) => void = () => undefined;
    const pending = new Promise<StatusView | null>((r) => (answer = r));
    const m = await mount({ statusRequest: { promise: pending, value: undefined } });
    expect(m.root.querySelector('main')!.hasAttribute('data-ready')).toBe(false);
    expect(m.of('getStatus')).toHaveLength(0);
    answer(signedIn());
    await flush();
    expect(m.root.querySelector('main')!.getAttribute('data-ready')).toBe('true');
    expect(m.of('getStatus')).toHaveLength(0);
    render(null, m.root);

    // The background could not answer the early request (null): the popup asks itself.
    const again = await mount({ statusRequest: { promise: Promise.resolve(null), value: null } });
    expect(again.of('getStatus')).toHaveLength(1);
    expect(again.root.querySelector('main')!.getAttribute('data-ready')).toBe('true');
  });

  it('loads Expiring only when its tab opens, once', async () => {
    const t = await useLocale('en');
    const m = await mount();
    expect(m.of('getExpiring')).toHaveLength(0);
    await openTab(t('popup2.tabs.expiring'));
    expect(m.of('getExpiring')).toEqual([{ days: 30 }]);
    await openTab(t('popup2.tabs.invite'));
    await openTab(t('popup2.tabs.expiring'));
    expect(m.of('getExpiring')).toHaveLength(1);
  });

  it('is a keyboard-accessible tab list: arrows, Home and End move focus and selection', async () => {
    const t = await useLocale('en');
    await mount();
    const tabs = [...root().querySelectorAll<HTMLButtonElement>('[role=tab]')];
    expect(root().querySelector('[role=tablist]')).not.toBeNull();
    const selected = () => tabs.filter((b) => b.getAttribute('aria-selected') === 'true').map(text);
    expect(selected()).toEqual([t('popup2.tabs.invite')]);
    expect(tabs.map((b) => b.tabIndex)).toEqual([0, -1, -1, -1, -1]);
    tabs[0]!.focus();
    press(tabs[0]!, 'ArrowRight');
    await flush();
    expect(selected()).toEqual([t('popup2.tabs.reseller')]);
    expect(document.activeElement).toBe(tabs[1]);
    press(tabs[1]!, 'End');
    await flush();
    expect(selected()).toEqual([t('popup2.tabs.export')]);
    press(tabs[4]!, 'ArrowRight');
    await flush();
    expect(selected()).toEqual([t('popup2.tabs.invite')]);
    press(tabs[0]!, 'ArrowLeft');
    await flush();
    expect(selected()).toEqual([t('popup2.tabs.export')]);
    press(tabs[4]!, 'Home');
    await flush();
    expect(selected()).toEqual([t('popup2.tabs.invite')]);
    expect(panel().getAttribute('aria-labelledby')).toBe(tabs[0]!.id);
  });

  it('keeps a half-filled form when the user looks at another tab', async () => {
    const t = await useLocale('en');
    await mount();
    type(field(t('popup2.invite.name')), 'Keep me');
    await openTab(t('popup2.tabs.find'));
    await openTab(t('popup2.tabs.invite'));
    expect(field(t('popup2.invite.name')).value).toBe('Keep me');
  });
});

describe.each<TestLocale>(['en', 'ko'])('popup in %s', (locale) => {
  it('renders every view in the UI language', async () => {
    const t = await useLocale(locale);
    const m = await mount({}, {
      getExpiring: () => [{ ...view(rel({ id: 'e1', endDateTime: '2026-03-06T12:00:00.000Z' })), reason: 'ending' as const }],
    });
    const check = (s: string) => {
      expect(s).not.toBe('');
      if (locale === 'ko') expect(s).toMatch(HANGUL);
      return s;
    };
    // Status
    expect(text(m.root.querySelector('.status'))).toContain(check(t('status.signedInAs', 'Ada Lovelace', 'ada@partner.example')));
    button(check(t('actions.syncNow')));
    button(check(t('popup2.status.openOptions')));
    // Invite
    expect(text(panel().querySelector('h2'))).toBe(check(t('popup2.invite.title')));
    for (const key of ['customer', 'name', 'duration', 'autoExtend']) field(check(t(`popup2.invite.${key}`)));
    field(check(t('popup2.invite.roles')));
    button(check(t('popup2.invite.create')));
    button(check(t('popup2.preset.supportTickets')));
    // Reseller
    await openTab(check(t('popup2.tabs.reseller')));
    expect(text(panel().querySelector('h2'))).toBe(check(t('popup2.reseller.title')));
    button(check(t('popup2.copyLink')));
    button(check(t('popup2.draftEmail')));
    // Expiring
    await openTab(check(t('popup2.tabs.expiring')));
    expect(text(panel().querySelector('h2'))).toBe(check(t('popup2.expiring.title')));
    button(check(t('popup2.expiring.enable')));
    const plural = t('pcBadge.days', '5').split(' | ');
    expect(text(panel())).toContain(check(t('pcBadge.endsIn', plural[plural.length - 1]!)));
    // Find
    await openTab(check(t('popup2.tabs.find')));
    expect(text(panel().querySelector('h2'))).toBe(check(t('popup2.find.title')));
    type(field(check(t('popup2.find.query'))), 'contoso');
    // The search is debounced and the answer asynchronous: wait for it (a fixed pause was too short on a loaded machine).
    await vi.waitFor(() => expect(text(panel())).toContain(check(t('pcBadge.openPartnerCenter'))));
    // Export
    await openTab(check(t('popup2.tabs.export')));
    expect(text(panel().querySelector('h2'))).toBe(check(t('popup2.export.title')));
    button(check(t('popup2.export.button')));
    // No English UI words left in Korean (role and product names are data, not UI).
    if (locale === 'ko') {
      for (const word of ['Create invitation', 'Copy link', 'Draft e-mail', 'Enable auto-extend', 'Sync now', 'Relationship name', 'Duration (days)']) {
        expect(text(m.root)).not.toContain(word);
      }
    }
  });

  it('Draft e-mail opens a mailto: draft in the UI language with the invitation link', async () => {
    const t = await useLocale(locale);
    const m = await mount();
    await fillValidInvite(t);
    createButton(t).click();
    await flush();
    button(t('popup2.draftEmail')).click();
    expect(m.openUrl).toHaveBeenCalledTimes(1);
    const url = m.openUrl.mock.calls[0]![0];
    expect(url).toMatch(/^mailto:\?subject=/);
    const params = new URLSearchParams(url.slice('mailto:'.length).replace(/\+/g, '%2B'));
    expect(params.get('subject')).toBe(t('popup2.invite.mailSubject', 'Northwind GDAP'));
    const body = params.get('body')!.replace(/\r\n/g, '\n');
    expect(body).toBe(t('popup2.invite.mailBody', INVITATION_URL, 'Ada Lovelace'));
    expect(body).toContain(INVITATION_URL);
    expect(body).toContain('90');
    if (locale === 'ko') expect(body).toMatch(HANGUL);
    else expect(body).toMatch(/^Hello,/);
  });

  it('D1/R31: the reseller link carries the partner tenant and DAP=false; copy and draft it', async () => {
    const t = await useLocale(locale);
    const writeText = vi.fn(async (_: string) => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const m = await mount({ initialTab: 'reseller' });
    const link = text(panel().querySelector('[data-testid=reseller-url]'));
    expect(link).toContain(`partnerId=${PARTNER_TENANT}`);
    expect(link).toContain('DAP=false');
    button(t('popup2.copyLink')).click();
    await flush();
    expect(writeText).toHaveBeenCalledWith(link);
    expect(text(panel())).toContain(t('popup2.linkCopied'));
    button(t('popup2.draftEmail')).click();
    const params = new URLSearchParams(m.openUrl.mock.calls[0]![0].slice('mailto:'.length));
    expect(params.get('subject')).toBe(t('popup2.reseller.mailSubject'));
    expect(params.get('body')!.replace(/\r\n/g, '\n')).toBe(t('popup2.reseller.mailBody', link, 'Ada Lovelace'));
  });
});

describe('invite form: refused before any request', TIMED, () => {
  it('R19: a 51-character name is refused, with the reason next to the field; 50 is fine', async () => {
    const t = await useLocale('en');
    const m = await mount();
    await fillValidInvite(t);
    const name = field(t('popup2.invite.name'));
    type(name, 'x'.repeat(51));
    await settle();
    expect(createButton(t).disabled).toBe(true);
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(description(name)).toContain(t('action.error.nameTooLong'));
    expect(description(name)).toContain('51/50');
    expect(description(createButton(t))).toContain(t('action.error.nameTooLong'));
    await tryToCreate(t);
    expect(m.of('createInvitation')).toHaveLength(0);
    // The 50-character limit is local: no name check was sent for 51 characters.
    expect(m.of('checkRelationshipName').map((d) => d.name)).not.toContain('x'.repeat(51));

    type(name, 'x'.repeat(50));
    await settle();
    expect(createButton(t).disabled).toBe(false);
    expect(description(name)).not.toContain(t('action.error.nameTooLong'));
  });

  it('R19: a name already in use is reported as the user types (debounced), and refused', async () => {
    const t = await useLocale('en');
    const m = await mount();
    await fillValidInvite(t);
    const name = field(t('popup2.invite.name'));
    const before = m.of('checkRelationshipName').length;
    for (const s of ['T', 'Ta', 'Tak', 'Taken', 'Taken GDAP']) type(name, s);
    await settle();
    expect(m.of('checkRelationshipName').slice(before)).toEqual([{ name: 'Taken GDAP' }]);
    expect(description(name)).toContain(t('action.error.nameDuplicate'));
    expect(createButton(t).disabled).toBe(true);
    await tryToCreate(t);
    expect(m.of('createInvitation')).toHaveLength(0);
  });

  it('R3: 731 days (and 0, and no number) are refused; 730 is the default and allowed', async () => {
    const t = await useLocale('en');
    const m = await mount();
    const duration = field(t('popup2.invite.duration'));
    expect(duration.value).toBe('730');
    await fillValidInvite(t);
    expect(createButton(t).disabled).toBe(false);
    for (const bad of ['731', '0', '']) {
      type(duration, bad);
      await flush();
      expect(createButton(t).disabled, bad).toBe(true);
      expect(description(duration)).toBe(t('action.error.duration'));
      await tryToCreate(t);
    }
    expect(m.of('createInvitation')).toHaveLength(0);
    type(duration, '1');
    await flush();
    expect(createButton(t).disabled).toBe(false);
  });

  it('R6: picking Global Administrator switches auto-extend off and says why; forcing it back on is refused', async () => {
    const t = await useLocale('en');
    const m = await mount();
    await fillValidInvite(t);
    const auto = field(t('popup2.invite.autoExtend'));
    expect(auto.checked).toBe(true);
    expect(description(auto)).toBe(t('popup2.invite.autoExtendHelp'));
    roleCheckbox(GLOBAL_ADMINISTRATOR).click();
    await flush();
    expect(auto.checked).toBe(false);
    expect(description(auto)).toBe(t('popup2.invite.autoExtendGaOff'));
    expect(createButton(t).disabled).toBe(false);

    auto.click();
    await flush();
    expect(auto.checked).toBe(true);
    expect(description(auto)).toBe(t('action.error.globalAdmin'));
    expect(createButton(t).disabled).toBe(true);
    await tryToCreate(t);
    expect(m.of('createInvitation')).toHaveLength(0);

    // Without Global Administrator, auto-extend on is fine again.
    roleCheckbox(GLOBAL_ADMINISTRATOR).click();
    await flush();
    expect(createButton(t).disabled).toBe(false);
  });

  it('turns auto-extend back on when Global Administrator, which switched it off, is removed', async () => {
    const t = await useLocale('en');
    await mount();
    const auto = field(t('popup2.invite.autoExtend'));
    roleCheckbox(GLOBAL_ADMINISTRATOR).click();
    await flush();
    expect(auto.checked).toBe(false);
    const remove = panel().querySelector<HTMLButtonElement>(`button[aria-label="${t('popup2.invite.remove', roleName(GLOBAL_ADMINISTRATOR)!)}"]`);
    expect(remove).not.toBeNull();
    remove!.click();
    await flush();
    expect(auto.checked).toBe(true);
  });

  it('needs at least one role, and a customer that is picked or a tenant ID', async () => {
    const t = await useLocale('en');
    const m = await mount();
    type(field(t('popup2.invite.name')), 'Northwind GDAP');
    await settle();
    expect(createButton(t).disabled).toBe(true);
    expect(description(createButton(t))).toContain(t('popup2.invite.rolesNone'));
    button(t('popup2.preset.readOnly')).click();
    await flush();
    expect(createButton(t).disabled).toBe(false);
    type(field(t('popup2.invite.customer')), 'no such customer');
    await settle();
    expect(createButton(t).disabled).toBe(true);
    expect(description(field(t('popup2.invite.customer')))).toBe(t('popup2.invite.customerNoMatch'));
    await tryToCreate(t);
    expect(m.of('createInvitation')).toHaveLength(0);
  });
});

describe('invite form: roles', TIMED, () => {
  it('R17: the Support tickets preset fills exactly Service Support Administrator', async () => {
    const t = await useLocale('en');
    await mount();
    button(t('popup2.preset.supportTickets')).click();
    await flush();
    const chosen = [...panel().querySelectorAll('.chosen li')].map((li) => li.getAttribute('data-role-id'));
    expect(chosen).toEqual([SERVICE_SUPPORT_ADMINISTRATOR]);
    expect(text(panel().querySelector('.chosen'))).toContain('Service Support Administrator');
    expect(roleCheckbox(SERVICE_SUPPORT_ADMINISTRATOR).checked).toBe(true);
    expect(button(t('popup2.preset.supportTickets')).getAttribute('aria-pressed')).toBe('true');
  });

  it('every preset fills its roles from the rules core (R26 default GDAP: nine roles)', async () => {
    const t = await useLocale('en');
    await mount();
    const labels: Record<string, string> = {
      'default-gdap': 'defaultGdap',
      'read-only': 'readOnly',
      'support-tickets': 'supportTickets',
      'helpdesk-lockout': 'helpdeskLockout',
      exchange: 'exchange',
      intune: 'intune',
      teams: 'teams',
      security: 'security',
    };
    for (const preset of ROLE_PRESETS) {
      button(t(`popup2.preset.${labels[preset.id]}`)).click();
      await flush();
      const chosen = [...panel().querySelectorAll('.chosen li')].map((li) => li.getAttribute('data-role-id'));
      expect(chosen.sort(), preset.id).toEqual([...preset.roleIds].sort());
    }
    button(t('popup2.preset.defaultGdap')).click();
    await flush();
    expect(panel().querySelectorAll('.chosen li')).toHaveLength(9);
  });

  it('the role picker searches all roles by name', async () => {
    const t = await useLocale('en');
    await mount();
    type(field(t('popup2.invite.findRole')), 'global');
    await flush();
    const names = [...panel().querySelectorAll('.role-list li')].map(text);
    expect(names.some((n) => n.startsWith('Global Administrator'))).toBe(true);
    expect(names.some((n) => n.startsWith('Global Reader'))).toBe(true);
    expect(names.every((n) => /global/i.test(n))).toBe(true);
    roleCheckbox(GLOBAL_READER).click();
    await flush();
    expect([...panel().querySelectorAll('.chosen li')].map((li) => li.getAttribute('data-role-id'))).toEqual([GLOBAL_READER]);
    type(field(t('popup2.invite.findRole')), 'zzz-no-role');
    await flush();
    expect(text(panel().querySelector('.role-list'))).toBe(t('popup2.invite.noRoleMatch'));
  });
});

describe('invite form: creating', TIMED, () => {
  it('searches customers only as the user types, suggests a name, sends one command, shows the link and copies it', async () => {
    const t = await useLocale('en');
    const writeText = vi.fn(async (_: string) => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const m = await mount();
    expect(m.of('searchCustomers')).toHaveLength(0);
    const customer = field(t('popup2.invite.customer'));
    for (const s of ['c', 'co', 'con']) type(customer, s);
    await settle();
    expect(m.of('searchCustomers')).toEqual([{ query: 'con', limit: 8 }]);
    expect(customer.getAttribute('aria-expanded')).toBe('true');
    const options = [...panel().querySelectorAll<HTMLElement>('[role=option]')];
    expect(options.map((o) => text(o.querySelector('.name')))).toEqual(['Contoso', 'Contoso Pharma']);
    // Keyboard: down, Enter picks Contoso.
    press(customer, 'ArrowDown');
    await flush();
    expect(customer.getAttribute('aria-activedescendant')).toBe(options[0]!.id);
    press(customer, 'Enter');
    await settle();
    expect(customer.value).toBe('Contoso');
    expect(description(customer)).toBe(t('popup2.invite.customerTenant', TENANT));
    expect(m.of('suggestRelationshipName').at(-1)).toEqual({ customerName: 'Contoso' });
    expect(field(t('popup2.invite.name')).value).toBe('Contoso GDAP');

    button(t('popup2.preset.supportTickets')).click();
    await settle();
    createButton(t).click();
    await flush();
    expect(m.of('createInvitation')).toEqual([
      { displayName: 'Contoso GDAP', durationDays: 730, roleIds: [SERVICE_SUPPORT_ADMINISTRATOR], autoExtend: true, customerTenantId: TENANT },
    ]);
    expect(text(panel().querySelector('[data-testid=invitation-url]'))).toBe(INVITATION_URL);
    expect(text(panel())).toContain(t('popup2.invite.created'));
    button(t('popup2.copyLink')).click();
    await flush();
    expect(writeText).toHaveBeenCalledWith(INVITATION_URL);
    expect(text(panel())).toContain(t('popup2.linkCopied'));

    button(t('popup2.invite.another')).click();
    await flush();
    expect(field(t('popup2.invite.customer')).value).toBe('');
  });

  it('takes a new customer tenant ID typed in, and no customer at all', async () => {
    const t = await useLocale('en');
    const m = await mount();
    type(field(t('popup2.invite.customer')), NEW_TENANT.toUpperCase());
    await settle();
    expect(text(panel().querySelector('[role=option]'))).toBe(t('popup2.invite.customerNew', NEW_TENANT));
    await fillValidInvite(t);
    createButton(t).click();
    await flush();
    expect(m.of('createInvitation')[0]).toMatchObject({ customerTenantId: NEW_TENANT, displayName: 'Northwind GDAP' });

    button(t('popup2.invite.another')).click();
    await flush();
    await fillValidInvite(t);
    createButton(t).click();
    await flush();
    expect(m.of('createInvitation')[1]).not.toHaveProperty('customerTenantId');
  });

  it("shows Graph's errors in plain words next to the field that caused them", async () => {
    const t = await useLocale('en');
    const answers = [
      { kind: 'conflict', messageKey: 'graphError.conflict' },
      { kind: 'validation', messageKey: 'action.error.duration' },
      { kind: 'validation', messageKey: 'action.error.globalAdmin' },
      { kind: 'throttled', messageKey: 'graphError.throttled' },
    ];
    const m = await mount({}, { createInvitation: () => ({ ok: false, error: answers[m.of('createInvitation').length - 1]! }) });
    await fillValidInvite(t);
    const where = [t('popup2.invite.name'), t('popup2.invite.duration'), t('popup2.invite.autoExtend')];
    for (const [i, label] of where.entries()) {
      createButton(t).click();
      await flush();
      const message = t(answers[i]!.messageKey);
      expect(description(field(label)), label).toContain(message);
      expect(field(label).getAttribute('aria-invalid')).toBe('true');
      // Not repeated next to the other fields.
      for (const other of where.filter((w) => w !== label)) expect(description(field(other))).not.toContain(message);
    }
    createButton(t).click();
    await flush();
    expect(text(panel().querySelector('[role=alert]'))).toBe(`${t('popup2.invite.failed')} ${t('graphError.throttled')}`);
    // Editing the field clears its error.
    type(field(t('popup2.invite.name')), 'Other name');
    await settle();
    expect(description(field(t('popup2.invite.name')))).not.toContain(t('graphError.conflict'));
  });

  it('maps error keys to fields', () => {
    expect(fieldForError({ messageKey: 'graphError.conflict' })).toBe('name');
    expect(fieldForError({ messageKey: 'action.error.nameTooLong' })).toBe('name');
    expect(fieldForError({ messageKey: 'action.error.duration' })).toBe('duration');
    expect(fieldForError({ messageKey: 'action.error.globalAdmin' })).toBe('autoExtend');
    expect(fieldForError({ messageKey: 'graphError.badRequest', detail: 'The duration must be between P1D and P2Y' })).toBe('duration');
    expect(fieldForError({ messageKey: 'graphError.badRequest' })).toBe('form');
    expect(fieldForError({ messageKey: 'graphError.throttled' })).toBe('form');
  });

  it('refuses to create while signed out, and says so', async () => {
    const t = await useLocale('en');
    const m = await mount({}, { getStatus: () => ({ ...signedIn(), auth: { state: 'signed-out' } }) });
    await fillValidInvite(t);
    expect(createButton(t).disabled).toBe(true);
    expect(text(panel())).toContain(t('popup2.invite.signInFirst'));
    await tryToCreate(t);
    expect(m.of('createInvitation')).toHaveLength(0);
  });
});

describe('search as you type', TIMED, () => {
  it('waits ~150 ms after the last key stroke by default, then searches once', async () => {
    const t = await useLocale('en');
    const m = await mount({ debounceMs: undefined, initialTab: 'find' });
    const input = field(t('popup2.find.query'));
    for (const s of ['f', 'fa', 'fab']) {
      type(input, s);
      await sleep(50);
    }
    expect(m.of('searchCustomers')).toHaveLength(0);
    await sleep(200);
    await flush();
    expect(m.of('searchCustomers')).toEqual([{ query: 'fab', limit: 20 }]);
  });
});

describe('find a customer', TIMED, () => {
  it('opens the customer in Partner Center or its admin portals', async () => {
    const t = await useLocale('en');
    await mount({ initialTab: 'find' });
    type(field(t('popup2.find.query')), 'Contoso');
    await settle();
    const item = panel().querySelector<HTMLElement>(`[data-tenant-id="${TENANT}"]`)!;
    expect(item).not.toBeNull();
    const links = [...item.querySelectorAll<HTMLAnchorElement>('a')];
    const pc = links.find((a) => text(a) === t('pcBadge.openPartnerCenter'))!;
    expect(pc.href).toBe(`https://partner.microsoft.com/dashboard/v2/customers/${TENANT}/adminrelationships`);
    expect(pc.target).toBe('_blank');
    expect(pc.rel).toContain('noopener');
    const m365 = links.find((a) => text(a) === t('popup2.find.portal.m365'))!;
    expect(m365.href).toBe('https://admin.cloud.microsoft/?delegatedOrg=contoso.onmicrosoft.com');
    expect(links.find((a) => text(a) === t('popup2.find.portal.defender'))!.href).toBe(`https://security.microsoft.com/?tid=${TENANT}`);
    expect(links).toHaveLength(9);
  });

  it('says when nothing matches', async () => {
    const t = await useLocale('en');
    await mount({ initialTab: 'find' });
    type(field(t('popup2.find.query')), 'nothing like this');
    await settle();
    expect(text(panel())).toContain(t('popup2.find.none'));
  });
});

describe('hostile names render as text', TIMED, () => {
  it('in Find, in the Customer picker and in the Expiring list', async () => {
    const t = await useLocale('en');
    (globalThis as { pwned?: number }).pwned = undefined;
    const hostileRel = rel({ id: 'rel-hostile', displayName: HOSTILE, customer: { tenantId: TENANT, displayName: HOSTILE }, endDateTime: '2026-03-06T12:00:00.000Z' });
    await mount({}, { getExpiring: () => [{ ...view(hostileRel), reason: 'ending' as const }] });
    type(field(t('popup2.invite.customer')), 'fabrikam');
    await settle();
    expect(text(panel().querySelector('[role=option] .name'))).toBe(HOSTILE);
    await openTab(t('popup2.tabs.find'));
    type(field(t('popup2.find.query')), 'fabrikam');
    await settle();
    expect(text(panel().querySelector('.customer .name'))).toBe(HOSTILE);
    await openTab(t('popup2.tabs.expiring'));
    expect(text(panel().querySelector('.rows .name'))).toBe(HOSTILE);
    expect(root().querySelector('img')).toBeNull();
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
  });
});

describe('expiring soon', TIMED, () => {
  const ending = (i: number) => ({ ...view(rel({ id: `rel-${i}`, displayName: `Customer ${i} GDAP`, endDateTime: '2026-03-20T12:00:00.000Z' })), reason: 'ending' as const });

  it('enables auto-extend on all 30 selected with ONE command and reports each row', async () => {
    const t = await useLocale('en');
    const rows = Array.from({ length: 30 }, (_, i) => ending(i));
    const ga = { ...view(rel({ id: 'rel-ga', displayName: 'GA GDAP', roleIds: [GLOBAL_ADMINISTRATOR], endDateTime: '2026-03-20T12:00:00.000Z' })), reason: 'ending' as const };
    const pending = { ...view(rel({ id: 'rel-pending', status: 'approvalPending', createdDateTime: '2025-12-06T12:00:00.000Z' })), reason: 'pending-lapse' as const };
    const expired = { ...view(rel({ id: 'rel-expired', status: 'expired', endDateTime: '2025-12-01T12:00:00.000Z' })), reason: 'expired' as const };
    const m = await mount({ initialTab: 'expiring' }, {
      getExpiring: () => [...rows, ga, pending, expired],
      setAutoExtendMany: ({ ids }) =>
        ids.map((id) => (id === 'rel-7' ? { id, ok: false, error: { kind: 'precondition', messageKey: 'graphError.preconditionFailed' } } : id === 'rel-8' ? { id, ok: true, unchanged: true as const } : { id, ok: true })),
    });
    expect(m.of('getExpiring')).toEqual([{ days: 30 }]);
    const enable = button(t('popup2.expiring.enable'));
    expect(enable.disabled).toBe(true);
    // R6: the Global Administrator row cannot be selected and says why.
    const gaRow = panel().querySelector('[data-relationship-id="rel-ga"]')!;
    expect(gaRow.querySelector<HTMLInputElement>('input')!.disabled).toBe(true);
    expect(text(gaRow)).toContain(t('pcBadge.autoNotAllowed'));
    // Pending and expired rows have no checkbox.
    expect(panel().querySelector('[data-relationship-id="rel-pending"] input')).toBeNull();
    expect(panel().querySelector('[data-relationship-id="rel-expired"] input')).toBeNull();

    field(t('popup2.expiring.selectAll')).click();
    await flush();
    expect(text(panel())).toContain(t('popup2.expiring.selected', '30'));
    button(t('popup2.expiring.enable')).click();
    await flush();
    expect(m.of('setAutoExtendMany')).toEqual([{ ids: rows.map((r) => r.relationship.id), on: true }]);
    const outcome = (id: string) => text(panel().querySelector(`[data-relationship-id="${id}"] .outcome`));
    expect(outcome('rel-0')).toBe(t('popup2.expiring.enabled'));
    expect(outcome('rel-29')).toBe(t('popup2.expiring.enabled'));
    expect(outcome('rel-7')).toBe(t('graphError.preconditionFailed'));
    expect(outcome('rel-8')).toBe(t('popup2.expiring.unchanged'));
    expect(panel().querySelectorAll('[data-outcome=ok]')).toHaveLength(29);
    expect(text(panel().querySelector('[data-testid=bulk-summary]'))).toBe(t('popup2.expiring.summary', '29', '30'));
    // The failed one stays selected for another try; the others are done.
    expect(text(panel())).toContain(t('popup2.expiring.selected', '1'));
  });

  it('sends only the rows the user ticked', async () => {
    const t = await useLocale('en');
    const m = await mount({ initialTab: 'expiring' }, { getExpiring: () => Array.from({ length: 5 }, (_, i) => ending(i)) });
    panel().querySelector<HTMLInputElement>('[data-relationship-id="rel-1"] input')!.click();
    panel().querySelector<HTMLInputElement>('[data-relationship-id="rel-3"] input')!.click();
    await flush();
    button(t('popup2.expiring.enable')).click();
    await flush();
    expect(m.of('setAutoExtendMany')).toEqual([{ ids: ['rel-1', 'rel-3'], on: true }]);
    expect(panel().querySelector('[data-relationship-id="rel-0"] .outcome')).toBeNull();
  });

  it('filters by 1, 7 or 30 days', async () => {
    const t = await useLocale('en');
    const m = await mount({ initialTab: 'expiring' });
    const select = field<HTMLSelectElement>(t('popup2.expiring.window'));
    select.value = '7';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await flush();
    expect(m.of('getExpiring')).toEqual([{ days: 30 }, { days: 7 }]);
  });

  it('reports every row as failed when the command itself fails', async () => {
    const t = await useLocale('en');
    await mount({ initialTab: 'expiring' }, {
      getExpiring: () => [ending(0), ending(1)],
      setAutoExtendMany: () => Promise.reject(new Error('worker restarted')),
    });
    field(t('popup2.expiring.selectAll')).click();
    await flush();
    button(t('popup2.expiring.enable')).click();
    await flush();
    expect(panel().querySelectorAll('[data-outcome=error]')).toHaveLength(2);
    expect(text(panel().querySelector('[data-outcome=error]'))).toBe(t('pcBadge.actionFailed'));
  });
});

describe('reseller link, indirect variant', TIMED, () => {
  it('needs the provider tenant ID and a numeric location ID', async () => {
    const t = await useLocale('en');
    await mount({ initialTab: 'reseller' });
    field(t('popup2.reseller.indirect')).click();
    await flush();
    expect(panel().querySelector('[data-testid=reseller-url]')).toBeNull();
    type(field(t('popup2.reseller.providerTenant')), PROVIDER_TENANT);
    type(field(t('popup2.reseller.locationId')), '12a');
    await flush();
    expect(text(panel())).toContain(t('popup2.reseller.locationInvalid'));
    expect(panel().querySelector('[data-testid=reseller-url]')).toBeNull();
    type(field(t('popup2.reseller.locationId')), '1234567');
    await flush();
    const link = text(panel().querySelector('[data-testid=reseller-url]'));
    expect(link).toContain('invType=IndirectResellerRelationship');
    expect(link).toContain(`partnerId=${PARTNER_TENANT}`);
    expect(link).toContain(`indirectCSPId=${PROVIDER_TENANT}`);
    expect(link).toContain('msppId=1234567');
    expect(link).toContain('DAP=false');
  });

  it('asks to sign in when no partner tenant is known', async () => {
    const t = await useLocale('en');
    await mount({ initialTab: 'reseller' }, { getStatus: () => ({ ...signedIn(), auth: { state: 'signed-out' } }) });
    expect(text(panel())).toContain(t('popup2.reseller.signInFirst'));
    expect(panel().querySelector('[data-testid=reseller-url]')).toBeNull();
  });
});

describe('status and export', TIMED, () => {
  it('Sync now sends syncNow; the settings button opens the options page', async () => {
    const t = await useLocale('en');
    const m = await mount();
    expect(text(m.root.querySelector('.status'))).toContain(t('status.partnerTenant', PARTNER_TENANT));
    button(t('actions.syncNow')).click();
    await flush();
    expect(m.of('syncNow')).toHaveLength(1);
    expect(m.sent.filter((s) => s.command === 'getStatus').length).toBeGreaterThanOrEqual(2);
    button(t('popup2.status.openOptions')).click();
    expect(m.openOptions).toHaveBeenCalledTimes(1);
  });

  it('shows the last sync failure and a signed-out prompt', async () => {
    const t = await useLocale('en');
    const failed = signedIn();
    failed.sync.lastError = { kind: 'throttled', messageKey: 'graphError.throttled' };
    await mount({}, { getStatus: () => failed });
    expect(text(root().querySelector('.status [role=alert]'))).toBe(t('status.syncFailed', t('graphError.throttled')));
    render(null, container!);
    container!.remove();
    const m = await mount({}, { getStatus: () => ({ ...signedIn(), auth: { state: 'signed-out' } }) });
    expect(text(m.root.querySelector('.status'))).toContain(t('popup.signedOut'));
    button(t('popup.openOptions')).click();
    expect(m.openOptions).toHaveBeenCalledTimes(1);
  });

  it('exports the cache as a CSV download', async () => {
    const t = await useLocale('en');
    const m = await mount({ initialTab: 'export' });
    expect(m.of('exportCsv')).toHaveLength(0);
    button(t('popup2.export.button')).click();
    await flush();
    expect(m.of('exportCsv')).toHaveLength(1);
    expect(m.saveFile).toHaveBeenCalledWith('gdap-relationships-2026-03-01.csv', '\ufeffCustomer,Tenant ID\r\nContoso,x\r\n', 'text/csv;charset=utf-8');
    expect(text(panel())).toContain(t('popup2.export.done', 'gdap-relationships-2026-03-01.csv'));
  });
});
