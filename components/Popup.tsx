import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { formatDateTime, textFor, useStatus, type Api } from './api';

export interface PopupProps {
  api: Api;
  openOptions: () => void;
}

/** The toolbar popup. Today: who is signed in, the last sync and Sync now. */
export function Popup({ api, openOptions }: PopupProps) {
  const { status, reload } = useStatus(api);
  const [busy, setBusy] = useState(false);
  if (!status) return <main class="popup" aria-busy="true" />;
  const { auth, sync } = status;
  const syncNow = async () => {
    setBusy(true);
    try {
      await api.send('syncNow');
    } finally {
      setBusy(false);
      await reload();
    }
  };
  return (
    <main class="popup" data-auth-state={auth.state}>
      <h1>{i18n.t('popup.title')}</h1>
      {auth.state === 'signed-in' ? (
        <section aria-label={i18n.t('settings.account')}>
          <p>{i18n.t('status.signedInAs', [auth.account.name, auth.account.username])}</p>
          <p class="muted">{i18n.t('status.partnerTenant', [auth.account.tenantId])}</p>
          <p class="muted">{i18n.t('status.since', [formatDateTime(auth.account.signedInAt)])}</p>
          <p data-testid="last-sync">
            {sync.running
              ? i18n.t('status.syncing')
              : sync.lastSuccess
                ? i18n.t('status.lastSync', [formatDateTime(sync.lastSuccess)])
                : i18n.t('status.neverSynced')}
          </p>
          {sync.counts && <p class="muted">{i18n.t('status.syncCounts', [sync.counts.relationships, sync.counts.customers])}</p>}
          {sync.emptyHint && <p class="warning">{i18n.t('graphError.adminAgentRole')}</p>}
          {sync.lastError && (
            <p role="alert" class="error">
              {i18n.t('status.syncFailed', [textFor(sync.lastError.messageKey)])}
            </p>
          )}
          <div class="row">
            <button type="button" onClick={() => void syncNow()} disabled={busy || sync.running}>
              {i18n.t('actions.syncNow')}
            </button>
            <button type="button" class="secondary" onClick={openOptions}>
              {i18n.t('popup.openOptions')}
            </button>
          </div>
        </section>
      ) : (
        <section>
          {auth.state === 'sign-in-required' ? (
            <p role="alert" class="warning">
              {i18n.t('status.signInRequired', [auth.account.username])}
            </p>
          ) : (
            <p>{i18n.t('popup.signedOut')}</p>
          )}
          <button type="button" onClick={openOptions}>
            {i18n.t('popup.openOptions')}
          </button>
        </section>
      )}
    </main>
  );
}
