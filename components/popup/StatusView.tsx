import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { StatusView as Status } from '@/utils/messaging/protocol';
import { formatDateTime, textFor, type Api } from '../api';
import { uiLocale, useAlive } from './shared';

export interface StatusViewProps {
  api: Api;
  /** `null` until the background has answered (the popup paints without waiting). */
  status: Status | null;
  reload: () => Promise<void>;
  openOptions: () => void;
}

/** Who is signed in, the last sync and its outcome, "Sync now" and a link to the settings. */
export function StatusView({ api, status, reload, openOptions }: StatusViewProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const alive = useAlive();
  if (!status) {
    return (
      <section class="status" aria-busy="true">
        <p class="muted">{i18n.t('popup2.loading')}</p>
      </section>
    );
  }
  const { auth, sync } = status;
  const syncNow = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.send('syncNow');
      if (!r.ok && alive.current) setError(textFor(r.error.messageKey, 'syncError.unknown'));
    } catch {
      if (alive.current) setError(i18n.t('syncError.unknown'));
    } finally {
      if (alive.current) setBusy(false);
      await reload();
    }
  };
  const settings = (
    <button type="button" class="secondary" onClick={openOptions}>
      {i18n.t('popup2.status.openOptions')}
    </button>
  );

  if (auth.state !== 'signed-in') {
    return (
      <section class="status" aria-label={i18n.t('settings.account')} data-auth-state={auth.state}>
        {auth.state === 'sign-in-required' ? (
          <p role="alert" class="warning">
            {i18n.t('status.signInRequired', [auth.account.username])}
          </p>
        ) : (
          <p>{i18n.t('popup.signedOut')}</p>
        )}
        <div class="row">
          <button type="button" onClick={openOptions}>
            {i18n.t('popup.openOptions')}
          </button>
        </div>
      </section>
    );
  }
  const locale = uiLocale();
  return (
    <section class="status" aria-label={i18n.t('settings.account')} data-auth-state={auth.state}>
      <p>{i18n.t('status.signedInAs', [auth.account.name, auth.account.username])}</p>
      <p class="muted small">{i18n.t('status.partnerTenant', [auth.account.tenantId])}</p>
      <p class="muted small">{i18n.t('status.since', [formatDateTime(auth.account.signedInAt, locale)])}</p>
      <p data-testid="last-sync">
        {sync.running
          ? i18n.t('status.syncing')
          : sync.lastSuccess
            ? i18n.t('status.lastSync', [formatDateTime(sync.lastSuccess, locale)])
            : i18n.t('status.neverSynced')}
      </p>
      {sync.counts && <p class="muted small">{i18n.t('status.syncCounts', [sync.counts.relationships, sync.counts.customers])}</p>}
      {sync.emptyHint && <p class="warning">{i18n.t('graphError.adminAgentRole')}</p>}
      {sync.lastError && !sync.running && (
        <p role="alert" class="error">
          {i18n.t('status.syncFailed', [textFor(sync.lastError.messageKey)])}
        </p>
      )}
      {error && !sync.lastError && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <div class="row">
        <button type="button" onClick={() => void syncNow()} disabled={busy || sync.running}>
          {i18n.t('actions.syncNow')}
        </button>
        {settings}
      </div>
    </section>
  );
}
