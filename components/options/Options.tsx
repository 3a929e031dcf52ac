import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { CLOUDS, type CloudId } from '@/utils/graph/clouds';
import { type Settings } from '@/utils/settings';
import { isGuid, TENANT_RE } from '@/utils/ids';
import type { StatusView } from '@/utils/messaging/protocol';
import { formatDateTime, textFor, useStatus, type Api } from '../api';
import { CopyField } from './CopyField';

export interface OptionsProps {
  api: Api;
  /** browser.identity.getRedirectURL(): what the partner registers as the SPA redirect URI. */
  redirectUri: string;
  /** Asks for another cloud's optional host permissions (needs the click's user gesture). */
  requestCloudPermission: (cloud: CloudId) => Promise<boolean>;
}

const CLOUD_LABEL_KEYS = {
  global: 'settings.cloudGlobal',
  'usgov-l4': 'settings.cloudUsgovL4',
  'usgov-l5': 'settings.cloudUsgovL5',
  china: 'settings.cloudChina',
} as const satisfies Record<CloudId, string>;
const INTERVALS = [0, 1, 3, 6, 12, 24];

export function Options({ api, redirectUri, requestCloudPermission }: OptionsProps) {
  const { status, reload } = useStatus(api);
  return (
    <main class="options">
      <h1>{i18n.t('options.title')}</h1>
      <p class="muted">{i18n.t('options.intro')}</p>
      {status ? (
        <>
          <AccountSection api={api} status={status} reload={reload} requestCloudPermission={requestCloudPermission} />
          <AppSection api={api} settings={status.settings} redirectUri={redirectUri} reload={reload} />
          <SyncSection api={api} status={status} reload={reload} />
        </>
      ) : (
        <p aria-busy="true">…</p>
      )}
    </main>
  );
}

function AccountSection(props: { api: Api; status: StatusView; reload: () => Promise<void>; requestCloudPermission: OptionsProps['requestCloudPermission'] }) {
  const { api, status, reload } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const auth = status.auth;

  const signIn = async () => {
    if (busy) return; // one window at a time, never a loop
    setBusy(true);
    setError(null);
    try {
      const cloud = status.settings.cloud;
      if (cloud !== 'global' && !(await props.requestCloudPermission(cloud))) {
        setError(i18n.t('settings.permissionDenied'));
        return;
      }
      const r = await api.send('signIn');
      if (!r.ok) setError(textFor(r.error.messageKey, 'auth.error.server'));
    } catch {
      setError(i18n.t('auth.error.server'));
    } finally {
      setBusy(false);
      await reload();
    }
  };
  const signOut = async () => {
    setBusy(true);
    try {
      await api.send('signOut');
    } finally {
      setBusy(false);
      await reload();
    }
  };

  return (
    <section aria-labelledby="account-heading" data-auth-state={auth.state}>
      <h2 id="account-heading">{i18n.t('settings.account')}</h2>
      {auth.state === 'signed-in' && (
        <div class="account">
          <p>{i18n.t('status.signedInAs', [auth.account.name, auth.account.username])}</p>
          <p class="muted">{i18n.t('status.partnerTenant', [auth.account.tenantId])}</p>
          <p class="muted">{i18n.t('status.since', [formatDateTime(auth.account.signedInAt)])}</p>
        </div>
      )}
      {auth.state === 'sign-in-required' && (
        <p role="alert" class="warning">
          {i18n.t('status.signInRequired', [auth.account.username])}
        </p>
      )}
      {auth.state === 'signed-out' && <p>{i18n.t('status.signedOut')}</p>}
      {auth.state === 'not-configured' && <p>{i18n.t('status.notConfigured')}</p>}
      <div class="row">
        {auth.state === 'signed-in' ? (
          <button type="button" onClick={() => void signOut()} disabled={busy}>
            {i18n.t('actions.signOut')}
          </button>
        ) : (
          <button type="button" onClick={() => void signIn()} disabled={busy || auth.state === 'not-configured'}>
            {i18n.t('actions.signIn')}
          </button>
        )}
      </div>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </section>
  );
}

function AppSection(props: { api: Api; settings: Settings; redirectUri: string; reload: () => Promise<void> }) {
  const { api, settings, redirectUri, reload } = props;
  const [clientId, setClientId] = useState(settings.clientId);
  const [tenant, setTenant] = useState(settings.tenant);
  useEffect(() => setClientId(settings.clientId), [settings.clientId]);
  useEffect(() => setTenant(settings.tenant), [settings.tenant]);
  const clientIdValid = clientId.trim() === '' || isGuid(clientId.trim());
  const tenantValid = TENANT_RE.test(tenant.trim());

  const save = async (patch: Partial<Settings>) => {
    await api.send('saveSettings', patch);
    await reload();
  };
  const graph = CLOUDS[settings.cloud].graph;

  return (
    <section aria-labelledby="app-heading">
      <h2 id="app-heading">{i18n.t('settings.app')}</h2>
      <div class="field">
        <label for="cloud">{i18n.t('settings.cloud')}</label>
        <select id="cloud" value={settings.cloud} onChange={(e) => void save({ cloud: (e.currentTarget as HTMLSelectElement).value as CloudId })}>
          {(Object.keys(CLOUDS) as CloudId[]).map((id) => (
            <option value={id} key={id}>
              {i18n.t(CLOUD_LABEL_KEYS[id])}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="client-id">{i18n.t('settings.clientId')}</label>
        <input
          id="client-id"
          value={clientId}
          spellcheck={false}
          autocomplete="off"
          aria-invalid={!clientIdValid}
          aria-describedby="client-id-help"
          onInput={(e) => setClientId((e.currentTarget as HTMLInputElement).value)}
          onChange={() => clientIdValid && void save({ clientId: clientId.trim().toLowerCase() })}
        />
        <small id="client-id-help" class={clientIdValid ? 'muted' : 'error'}>
          {clientIdValid ? i18n.t('settings.clientIdHelp') : i18n.t('settings.clientIdInvalid')}
        </small>
      </div>
      <div class="field">
        <label for="tenant">{i18n.t('settings.tenant')}</label>
        <input
          id="tenant"
          value={tenant}
          spellcheck={false}
          autocomplete="off"
          aria-invalid={!tenantValid}
          aria-describedby="tenant-help"
          onInput={(e) => setTenant((e.currentTarget as HTMLInputElement).value)}
          onChange={() => tenantValid && void save({ tenant: tenant.trim() })}
        />
        <small id="tenant-help" class={tenantValid ? 'muted' : 'error'}>
          {tenantValid ? i18n.t('settings.tenantHelp') : i18n.t('settings.tenantInvalid')}
        </small>
      </div>

      <h3>{i18n.t('options.registerTitle')}</h3>
      <CopyField label={i18n.t('options.redirectUri')} value={redirectUri} testId="redirect-uri" />
      <ol>
        <li>{i18n.t('options.registerStep1')}</li>
        <li>{i18n.t('options.registerStep2')}</li>
        <li>{i18n.t('options.registerStep3')}</li>
        <li>{i18n.t('options.registerStep4')}</li>
      </ol>
      <p class="muted">{i18n.t('settings.scopes')}</p>
      <ul class="scopes">
        <li>
          <code>{`${graph}/DelegatedAdminRelationship.ReadWrite.All`}</code>
        </li>
        <li>
          <code>offline_access</code>
        </li>
      </ul>
      <p class="muted">{i18n.t('settings.pim')}</p>
    </section>
  );
}

function SyncSection(props: { api: Api; status: StatusView; reload: () => Promise<void> }) {
  const { api, status, reload } = props;
  const sync = status.sync;
  const [busy, setBusy] = useState(false);
  const signedIn = status.auth.state === 'signed-in';
  const syncNow = async () => {
    setBusy(true);
    try {
      await api.send('syncNow');
    } finally {
      setBusy(false);
      await reload();
    }
  };
  const save = async (patch: Partial<Settings>) => {
    await api.send('saveSettings', patch);
    await reload();
  };
  return (
    <section aria-labelledby="sync-heading" data-sync-running={sync.running ? 'true' : 'false'}>
      <h2 id="sync-heading">{i18n.t('settings.sync')}</h2>
      <p data-testid="last-sync">
        {sync.running
          ? i18n.t('status.syncing')
          : sync.lastSuccess
            ? i18n.t('status.lastSync', [formatDateTime(sync.lastSuccess)])
            : i18n.t('status.neverSynced')}
      </p>
      {sync.counts && <p class="muted">{i18n.t('status.syncCounts', [sync.counts.relationships, sync.counts.customers])}</p>}
      {sync.counts && sync.counts.skipped > 0 && <p class="muted">{i18n.t('status.skipped', [sync.counts.skipped])}</p>}
      {sync.emptyHint && <p class="warning">{i18n.t('graphError.adminAgentRole')}</p>}
      {sync.lastError && (
        <p role="alert" class="error">
          {i18n.t('status.syncFailed', [textFor(sync.lastError.messageKey)])}
        </p>
      )}
      <div class="row">
        <button type="button" onClick={() => void syncNow()} disabled={!signedIn || busy || sync.running}>
          {i18n.t('actions.syncNow')}
        </button>
      </div>
      <div class="field">
        <label for="interval">{i18n.t('settings.syncInterval')}</label>
        <select
          id="interval"
          value={String(status.settings.syncIntervalHours)}
          onChange={(e) => void save({ syncIntervalHours: Number((e.currentTarget as HTMLSelectElement).value) })}
        >
          {INTERVALS.map((h) => (
            <option value={String(h)} key={h}>
              {h === 0 ? i18n.t('settings.syncOff') : i18n.t('settings.hours', [h])}
            </option>
          ))}
        </select>
      </div>
      <div class="field checkbox">
        <input
          id="notifications"
          type="checkbox"
          checked={status.settings.notifications}
          onChange={(e) => void save({ notifications: (e.currentTarget as HTMLInputElement).checked })}
        />
        <label for="notifications">{i18n.t('settings.notifications')}</label>
      </div>
    </section>
  );
}
