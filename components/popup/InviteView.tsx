import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { includesGlobalAdministrator } from '@/utils/gdap/roles';
import { MAX_NAME_LENGTH, validateDuration } from '@/utils/gdap/rules';
import { mailtoDraft } from '@/utils/gdap/links';
import type { NameIssueView, StatusView } from '@/utils/messaging/protocol';
import { textFor, type Api } from '../api';
import { CustomerField, type CustomerValue } from './CustomerField';
import { RolePicker } from './RolePicker';
import { LinkActions, formatDay, useAlive, useDebounced, useId, type OpenUrl } from './shared';

export interface InviteViewProps {
  api: Api;
  status: StatusView | null;
  debounceMs: number;
  openUrl: OpenUrl;
}

/** Where an error from the background is shown. */
export type InviteField = 'customer' | 'name' | 'duration' | 'autoExtend' | 'roles' | 'form';

/**
 * The field an error from createInvitation belongs to, from its message key (and Graph's
 * detail for generic keys): `graphError.conflict` and `action.error.name*` → name,
 * `action.error.duration` → duration, `action.error.globalAdmin` → auto-extend, … .
 */
export function fieldForError(error: { messageKey: string; detail?: string | undefined }): InviteField {
  const byText = (s: string): InviteField | null => {
    if (/conflict|displayName|\bname/i.test(s)) return 'name';
    if (/duration/i.test(s)) return 'duration';
    if (/globalAdmin|global administrator|autoExtend/i.test(s)) return 'autoExtend';
    if (/role/i.test(s)) return 'roles';
    if (/customer|tenant/i.test(s)) return 'customer';
    return null;
  };
  return byText(error.messageKey.replace(/^graphError\.(badRequest|server)$/, '')) ?? (error.detail ? byText(error.detail) : null) ?? 'form';
}

const DAYS = /^\s*\d{1,6}\s*$/;

/** View 1: create a GDAP invitation link, then copy it or draft the e-mail. */
export function InviteView(props: InviteViewProps) {
  const [created, setCreated] = useState<{ url: string; name: string } | null>(null);
  const [round, setRound] = useState(0);
  if (created) {
    const auth = props.status?.auth;
    const signature = auth && auth.state !== 'signed-out' && auth.state !== 'not-configured' ? auth.account.name : '';
    return (
      <div class="invite-result" data-testid="invite-result">
        <h2>{i18n.t('popup2.invite.title')}</h2>
        <p role="status">{i18n.t('popup2.invite.created')}</p>
        <LinkActions
          label={i18n.t('popup2.invite.link')}
          url={created.url}
          testId="invitation-url"
          openUrl={props.openUrl}
          mailto={() =>
            mailtoDraft({
              subject: i18n.t('popup2.invite.mailSubject', [created.name]),
              body: i18n.t('popup2.invite.mailBody', [created.url, signature]),
            })
          }
        />
        <div class="row">
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setCreated(null);
              setRound((n) => n + 1);
            }}
          >
            {i18n.t('popup2.invite.another')}
          </button>
        </div>
      </div>
    );
  }
  return <InviteForm key={round} {...props} onCreated={setCreated} />;
}

function InviteForm({ api, status, debounceMs, onCreated }: InviteViewProps & { onCreated: (c: { url: string; name: string }) => void }) {
  const [customer, setCustomer] = useState<CustomerValue>({ kind: 'none' });
  const [name, setName] = useState('');
  const [nameCheck, setNameCheck] = useState<{ name: string; issues: NameIssueView[] } | null>(null);
  const [duration, setDuration] = useState('730');
  const [autoExtend, setAutoExtend] = useState(true);
  const [autoOffByGa, setAutoOffByGa] = useState(false);
  const [roles, setRoles] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<{ field: InviteField; text: string } | null>(null);
  const touched = useRef(false);
  const alive = useAlive();
  const suggestSeq = useRef(0);
  const checkSeq = useRef(0);
  const ids = {
    customer: useId('customer-msg'),
    name: useId('name'),
    nameMsg: useId('name-msg'),
    duration: useId('duration'),
    durationMsg: useId('duration-msg'),
    auto: useId('auto'),
    autoMsg: useId('auto-msg'),
    rolesMsg: useId('roles-msg'),
    formMsg: useId('form-msg'),
  };
  const clearServer = (field: InviteField) => setServerError((e) => (e && e.field === field ? null : e));

  // A unique suggestion (R19) for the chosen customer, until the user edits the name.
  const suggestFor = customer.kind === 'cached' ? customer.displayName : customer.kind === 'incomplete' ? null : '';
  // Asked once the status is in: the popup's first view waits for the status alone.
  const ready = status !== null;
  useEffect(() => {
    if (!ready || suggestFor === null || touched.current) return;
    const mine = ++suggestSeq.current;
    api.send('suggestRelationshipName', { customerName: suggestFor.slice(0, 300) }).then(
      (r) => {
        if (alive.current && mine === suggestSeq.current && !touched.current && r && typeof r.name === 'string') setName(r.name);
      },
      () => undefined,
    );
  }, [suggestFor, ready]);

  // R19 as the user types: length locally, uniqueness against the cache (debounced).
  const trimmed = name.trim();
  const localNameKey = trimmed === '' ? 'action.error.nameEmpty' : trimmed.length > MAX_NAME_LENGTH ? 'action.error.nameTooLong' : null;
  const settledName = useDebounced(trimmed, debounceMs);
  useEffect(() => {
    const mine = ++checkSeq.current;
    if (!ready || settledName === '' || settledName.length > MAX_NAME_LENGTH) return;
    api.send('checkRelationshipName', { name: settledName }).then(
      (r) => {
        if (alive.current && mine === checkSeq.current) setNameCheck({ name: settledName, issues: Array.isArray(r?.issues) ? r.issues : [] });
      },
      () => undefined,
    );
  }, [settledName, ready]);
  const remoteIssues = nameCheck && nameCheck.name === trimmed ? nameCheck.issues.filter((i) => i.code === 'duplicate' || i.code === 'recently-ended') : [];
  const checking = localNameKey === null && (nameCheck === null || nameCheck.name !== trimmed);

  // R3: 1–730 whole days.
  const durationCheck = DAYS.test(duration) ? validateDuration(duration.trim()) : null;
  const durationDays = durationCheck?.ok ? durationCheck.days : null;

  // R6: Global Administrator never auto-extends.
  const ga = includesGlobalAdministrator(roles);
  const gaConflict = ga && autoExtend;
  const updateRoles = (next: string[]) => {
    const nextGa = includesGlobalAdministrator(next);
    if (!ga && nextGa && autoExtend) {
      setAutoExtend(false);
      setAutoOffByGa(true);
    } else if (ga && !nextGa && autoOffByGa) {
      setAutoExtend(true);
      setAutoOffByGa(false);
    }
    setRoles(next);
    clearServer('roles');
    clearServer('autoExtend');
  };

  // The role list (123 rows, most of the form) is rendered again only when its own props
  // change; the status arriving, or a key stroke in a field, re-render the form around it.
  const latestUpdateRoles = useRef(updateRoles);
  latestUpdateRoles.current = updateRoles;

  const signedIn = status?.auth.state === 'signed-in';
  const server = (field: InviteField) => (serverError && serverError.field === field ? serverError.text : null);
  const errors = {
    customer: server('customer'),
    name: server('name') ?? (localNameKey ? textFor(localNameKey) : null),
    duration: server('duration') ?? (durationDays === null ? i18n.t('action.error.duration') : null),
    autoExtend: server('autoExtend') ?? (gaConflict ? i18n.t('action.error.globalAdmin') : null),
    roles: server('roles') ?? (roles.length === 0 ? i18n.t('popup2.invite.rolesNone') : null),
  };
  const blocked =
    !signedIn ||
    customer.kind === 'incomplete' ||
    localNameKey !== null ||
    remoteIssues.length > 0 ||
    durationDays === null ||
    roles.length === 0 ||
    gaConflict ||
    busy;
  const describedBy = [
    (customer.kind === 'incomplete' || errors.customer) && ids.customer,
    (errors.name || remoteIssues.length > 0) && ids.nameMsg,
    errors.duration && ids.durationMsg,
    errors.autoExtend && ids.autoMsg,
    errors.roles && ids.rolesMsg,
    ids.formMsg,
  ]
    .filter(Boolean)
    .join(' ');

  const rolesInvalid = errors.roles !== null;
  const rolePicker = useMemo(
    () => <RolePicker value={roles} onChange={(next) => latestUpdateRoles.current(next)} describedBy={ids.rolesMsg} invalid={rolesInvalid} />,
    [roles, rolesInvalid],
  );

  const submit = async (e: Event) => {
    e.preventDefault();
    if (blocked || durationDays === null) return;
    setBusy(true);
    setServerError(null);
    try {
      const r = await api.send('createInvitation', {
        displayName: trimmed,
        durationDays,
        roleIds: roles,
        autoExtend,
        ...(customer.kind === 'cached' || customer.kind === 'new' ? { customerTenantId: customer.tenantId } : {}),
      });
      if (!alive.current) return;
      if (r.ok) {
        onCreated({ url: r.value.invitationUrl, name: trimmed });
        return;
      }
      const field = fieldForError(r.error);
      const text = textFor(r.error.messageKey);
      setServerError({ field, text: field === 'form' ? `${i18n.t('popup2.invite.failed')} ${text}` : text });
    } catch {
      if (alive.current) setServerError({ field: 'form', text: `${i18n.t('popup2.invite.failed')} ${i18n.t('syncError.unknown')}` });
    } finally {
      if (alive.current) setBusy(false);
    }
  };

  const formNote = serverError?.field === 'form' ? serverError.text : status && !signedIn ? i18n.t('popup2.invite.signInFirst') : blocked && !busy && status ? i18n.t('popup2.invite.fixFirst') : '';

  return (
    <form class="invite" onSubmit={(e) => void submit(e)} noValidate>
      <h2>{i18n.t('popup2.invite.title')}</h2>
      <CustomerField
        api={api}
        debounceMs={debounceMs}
        messageId={ids.customer}
        error={errors.customer}
        onChange={(v) => {
          setCustomer(v);
          clearServer('customer');
        }}
      />

      <div class="field">
        <label for={ids.name}>{i18n.t('popup2.invite.name')}</label>
        <input
          id={ids.name}
          type="text"
          autocomplete="off"
          spellcheck={false}
          maxLength={200}
          value={name}
          aria-invalid={errors.name || remoteIssues.length > 0 ? 'true' : 'false'}
          aria-describedby={ids.nameMsg}
          onInput={(e) => {
            touched.current = true;
            setName((e.currentTarget as HTMLInputElement).value);
            clearServer('name');
          }}
        />
        <div id={ids.nameMsg} class="messages" aria-live="polite">
          {errors.name && <small class="error">{errors.name}</small>}
          {remoteIssues.map((issue) => (
            <small class="error" key={issue.code}>
              {textFor(issue.messageKey, issue.code === 'duplicate' ? 'action.error.nameDuplicate' : 'action.error.nameRecentlyEnded')}
              {issue.reusableFrom && ` ${i18n.t('popup2.invite.reusableFrom', [formatDay(issue.reusableFrom)])}`}
            </small>
          ))}
          <small class="muted">
            {i18n.t('popup2.invite.nameCount', [trimmed.length])}
            {' · '}
            {checking && trimmed !== '' ? i18n.t('popup2.invite.nameChecking') : i18n.t('popup2.invite.nameHelp')}
          </small>
        </div>
      </div>

      <div class="field">
        <label for={ids.duration}>{i18n.t('popup2.invite.duration')}</label>
        <input
          id={ids.duration}
          type="number"
          inputMode="numeric"
          min={1}
          max={730}
          step={1}
          value={duration}
          aria-invalid={errors.duration ? 'true' : 'false'}
          aria-describedby={ids.durationMsg}
          onInput={(e) => {
            setDuration((e.currentTarget as HTMLInputElement).value);
            clearServer('duration');
          }}
        />
        <small id={ids.durationMsg} class={errors.duration ? 'error' : 'muted'}>
          {errors.duration ?? i18n.t('popup2.invite.durationHelp')}
        </small>
      </div>

      <div class="field checkbox">
        <input
          id={ids.auto}
          type="checkbox"
          checked={autoExtend}
          aria-invalid={errors.autoExtend ? 'true' : 'false'}
          aria-describedby={ids.autoMsg}
          onChange={(e) => {
            setAutoExtend((e.currentTarget as HTMLInputElement).checked);
            setAutoOffByGa(false);
            clearServer('autoExtend');
          }}
        />
        <label for={ids.auto}>{i18n.t('popup2.invite.autoExtend')}</label>
      </div>
      <small id={ids.autoMsg} class={`under-checkbox ${errors.autoExtend ? 'error' : ga ? 'warning' : 'muted'}`}>
        {errors.autoExtend ?? (ga ? i18n.t('popup2.invite.autoExtendGaOff') : i18n.t('popup2.invite.autoExtendHelp'))}
      </small>

      {rolePicker}
      <small id={ids.rolesMsg} class={errors.roles ? 'warning' : 'muted'}>
        {errors.roles ?? ''}
      </small>

      <div class="row submit">
        <button type="submit" disabled={blocked} aria-describedby={describedBy}>
          {busy ? i18n.t('popup2.invite.creating') : i18n.t('popup2.invite.create')}
        </button>
      </div>
      <p id={ids.formMsg} class={serverError?.field === 'form' ? 'error' : 'muted small'} role={serverError?.field === 'form' ? 'alert' : undefined}>
        {formNote}
      </p>
    </form>
  );
}
