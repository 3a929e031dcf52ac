import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { indirectResellerInvitationUrl, mailtoDraft, resellerInvitationUrl } from '@/utils/gdap/links';
import type { StatusView } from '@/utils/messaging/protocol';
import { LinkActions, useId, type OpenUrl } from './shared';
import { isTenantId } from './CustomerField';

export interface ResellerViewProps {
  status: StatusView | null;
  openUrl: OpenUrl;
}

/**
 * View 2 (D1, R31): the signed-in partner's reseller relationship link (always `DAP=false`),
 * or the indirect reseller variant naming the indirect provider; copy it or draft the e-mail.
 */
export function ResellerView({ status, openUrl }: ResellerViewProps) {
  const [kind, setKind] = useState<'direct' | 'indirect'>('direct');
  const [provider, setProvider] = useState('');
  const [location, setLocation] = useState('');
  const ids = { kind: useId('kind'), provider: useId('provider'), providerMsg: useId('provider-msg'), location: useId('location'), locationMsg: useId('location-msg') };
  const auth = status?.auth;
  const account = auth && (auth.state === 'signed-in' || auth.state === 'sign-in-required') ? auth.account : null;

  const providerOk = isTenantId(provider);
  const locationOk = /^\d{1,20}$/.test(location.trim());
  const url = !account
    ? null
    : kind === 'direct'
      ? resellerInvitationUrl(account.tenantId)
      : indirectResellerInvitationUrl({ resellerTenantId: account.tenantId, locationId: location.trim(), providerTenantId: provider.trim() });

  return (
    <div class="reseller">
      <h2>{i18n.t('popup2.reseller.title')}</h2>
      <p class="muted small">{i18n.t('popup2.reseller.intro')}</p>
      {!status ? (
        <p class="muted">{i18n.t('popup2.loading')}</p>
      ) : !account ? (
        <p class="warning">{i18n.t('popup2.reseller.signInFirst')}</p>
      ) : (
        <>
          <fieldset class="kind" aria-labelledby={ids.kind}>
            <legend id={ids.kind}>{i18n.t('popup2.reseller.kind')}</legend>
            {(['direct', 'indirect'] as const).map((k) => (
              <label key={k} class="radio">
                <input type="radio" name={ids.kind} value={k} checked={kind === k} onChange={() => setKind(k)} />
                {i18n.t(k === 'direct' ? 'popup2.reseller.direct' : 'popup2.reseller.indirect')}
              </label>
            ))}
          </fieldset>
          {kind === 'indirect' && (
            <>
              <div class="field">
                <label for={ids.provider}>{i18n.t('popup2.reseller.providerTenant')}</label>
                <input
                  id={ids.provider}
                  type="text"
                  autocomplete="off"
                  spellcheck={false}
                  value={provider}
                  aria-invalid={provider !== '' && !providerOk ? 'true' : 'false'}
                  aria-describedby={ids.providerMsg}
                  onInput={(e) => setProvider((e.currentTarget as HTMLInputElement).value)}
                />
                {provider !== '' && !providerOk && (
                  <small id={ids.providerMsg} class="error">
                    {i18n.t('popup2.reseller.tenantInvalid')}
                  </small>
                )}
              </div>
              <div class="field">
                <label for={ids.location}>{i18n.t('popup2.reseller.locationId')}</label>
                <input
                  id={ids.location}
                  type="text"
                  inputMode="numeric"
                  autocomplete="off"
                  spellcheck={false}
                  value={location}
                  aria-invalid={location !== '' && !locationOk ? 'true' : 'false'}
                  aria-describedby={ids.locationMsg}
                  onInput={(e) => setLocation((e.currentTarget as HTMLInputElement).value)}
                />
                <small id={ids.locationMsg} class={location !== '' && !locationOk ? 'error' : 'muted'}>
                  {location !== '' && !locationOk ? i18n.t('popup2.reseller.locationInvalid') : i18n.t('popup2.reseller.locationHelp')}
                </small>
              </div>
            </>
          )}
          {url && (
            <LinkActions
              label={i18n.t('popup2.reseller.link')}
              url={url}
              testId="reseller-url"
              openUrl={openUrl}
              mailto={() =>
                mailtoDraft({
                  subject: i18n.t('popup2.reseller.mailSubject'),
                  body: i18n.t('popup2.reseller.mailBody', [url, account.name]),
                })
              }
            />
          )}
        </>
      )}
    </div>
  );
}
