import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { portalLinks, type PortalId } from '@/utils/gdap/links';
import type { CustomerChoice } from '@/utils/messaging/protocol';
import type { Api } from '../api';
import { useAlive, useDebounced, useId } from './shared';

const PORTAL_LABEL_KEYS = {
  partnerCenter: 'popup2.find.portal.partnerCenter',
  m365: 'popup2.find.portal.m365',
  exchange: 'popup2.find.portal.exchange',
  teams: 'popup2.find.portal.teams',
  entra: 'popup2.find.portal.entra',
  intune: 'popup2.find.portal.intune',
  azure: 'popup2.find.portal.azure',
  defender: 'popup2.find.portal.defender',
  purview: 'popup2.find.portal.purview',
} as const satisfies Record<PortalId, string>;

/** How many matches one search shows. */
const LIMIT = 20;

export interface FindViewProps {
  api: Api;
  debounceMs: number;
}

/** View 4 (D2): search the cached customers; open one in Partner Center or its admin portals. */
export function FindView({ api, debounceMs }: FindViewProps) {
  const [text, setText] = useState('');
  const [results, setResults] = useState<{ query: string; list: CustomerChoice[] } | null>(null);
  const alive = useAlive();
  const seq = useRef(0);
  const inputId = useId('find');
  const query = text.trim();
  const settled = useDebounced(query, debounceMs);

  useEffect(() => {
    const mine = ++seq.current;
    if (settled === '') {
      setResults(null);
      return;
    }
    api.send('searchCustomers', { query: settled.slice(0, 200), limit: LIMIT }).then(
      (list) => {
        if (alive.current && mine === seq.current) setResults({ query: settled, list: Array.isArray(list) ? list : [] });
      },
      () => undefined,
    );
  }, [settled]);

  return (
    <div class="find">
      <h2>{i18n.t('popup2.find.title')}</h2>
      <div class="field">
        <label for={inputId}>{i18n.t('popup2.find.query')}</label>
        <input id={inputId} type="search" autocomplete="off" spellcheck={false} maxLength={200} value={text} onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)} />
      </div>
      {query === '' || !results ? (
        <p class="muted small">{i18n.t('popup2.find.hint')}</p>
      ) : results.list.length === 0 ? (
        <p class="muted">{i18n.t('popup2.find.none')}</p>
      ) : (
        <ul class="customers" aria-live="polite">
          {results.list.map((c) => (
            <CustomerResult key={c.tenantId} customer={c} />
          ))}
        </ul>
      )}
    </div>
  );
}

function CustomerResult({ customer }: { customer: CustomerChoice }) {
  const nameId = useId('cust');
  const links = portalLinks({ tenantId: customer.tenantId, domain: customer.domains[0] ?? null });
  const partnerCenter = links.find((l) => l.id === 'partnerCenter');
  const portals = links.filter((l) => l.id !== 'partnerCenter');
  return (
    <li class="customer" data-tenant-id={customer.tenantId}>
      <div id={nameId} class="name">
        {customer.displayName}
      </div>
      <div class="muted small">
        {customer.domains[0] && <span>{customer.domains[0]} · </span>}
        <span>{i18n.t('popup2.find.tenant', [customer.tenantId])}</span>
      </div>
      {partnerCenter && (
        <a href={partnerCenter.url} target="_blank" rel="noopener noreferrer" aria-describedby={nameId} data-portal="partnerCenter">
          {i18n.t('pcBadge.openPartnerCenter')}
        </a>
      )}
      {portals.length > 0 && (
        <div class="portals small">
          <span class="muted">{i18n.t('popup2.find.portals')} </span>
          {portals.map((l, i) => (
            <Fragment key={l.id}>
              {i > 0 && ' · '}
              <a href={l.url} target="_blank" rel="noopener noreferrer" aria-describedby={nameId} data-portal={l.id}>
                {i18n.t(PORTAL_LABEL_KEYS[l.id])}
              </a>
            </Fragment>
          ))}
        </div>
      )}
    </li>
  );
}
