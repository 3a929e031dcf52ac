import { useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { useStatus, type Api, type PendingStatus } from '../api';
import { ExpiringView } from './ExpiringView';
import { ExportView } from './ExportView';
import { FindView } from './FindView';
import { InviteView } from './InviteView';
import { ResellerView } from './ResellerView';
import { StatusView } from './StatusView';
import { DEFAULT_DEBOUNCE_MS, defaultOpenUrl, defaultSaveFile, type OpenUrl, type SaveFile } from './shared';

export type PopupTab = 'invite' | 'reseller' | 'expiring' | 'find' | 'export';
export const POPUP_TABS: readonly PopupTab[] = ['invite', 'reseller', 'expiring', 'find', 'export'];
const TAB_LABEL_KEYS = {
  invite: 'popup2.tabs.invite',
  reseller: 'popup2.tabs.reseller',
  expiring: 'popup2.tabs.expiring',
  find: 'popup2.tabs.find',
  export: 'popup2.tabs.export',
} as const satisfies Record<PopupTab, string>;

export interface PopupAppProps {
  api: Api;
  /** Opens the options page (browser.runtime.openOptionsPage). */
  openOptions: () => void;
  /** Opens a `mailto:` draft; default: a click on a temporary link. */
  openUrl?: OpenUrl;
  /** Saves the CSV export; default: a Blob download. */
  saveFile?: SaveFile;
  /** Search-as-you-type delay in ms (default 150). */
  debounceMs?: number;
  /** The tab shown first (default "invite"). */
  initialTab?: PopupTab;
  /** The status request popup.html started before the modules loaded (see ./early-status.ts). */
  statusRequest?: PendingStatus;
}

/**
 * The toolbar popup. The first paint is the status and the tab list, nothing else is
 * loaded: each view is mounted the first time its tab opens (then kept, hidden, so a
 * half-filled form survives a look at another tab), and the views search only as the user
 * types. Tabs follow the WAI-ARIA tabs pattern (arrow keys, Home, End).
 */
export function PopupApp({ api, openOptions, openUrl = defaultOpenUrl, saveFile = defaultSaveFile, debounceMs = DEFAULT_DEBOUNCE_MS, initialTab = 'invite', statusRequest }: PopupAppProps) {
  const { status, reload } = useStatus(api, statusRequest);
  const [tab, setTab] = useState<PopupTab>(initialTab);
  const [visited, setVisited] = useState<ReadonlySet<PopupTab>>(new Set([initialTab]));
  const tabRefs = useRef<Partial<Record<PopupTab, HTMLButtonElement | null>>>({});

  const select = (next: PopupTab, focus = false) => {
    setTab(next);
    setVisited((v) => (v.has(next) ? v : new Set([...v, next])));
    if (focus) tabRefs.current[next]?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const i = POPUP_TABS.indexOf(tab);
    const n = POPUP_TABS.length;
    const target =
      e.key === 'ArrowRight' ? POPUP_TABS[(i + 1) % n] : e.key === 'ArrowLeft' ? POPUP_TABS[(i - 1 + n) % n] : e.key === 'Home' ? POPUP_TABS[0] : e.key === 'End' ? POPUP_TABS[n - 1] : undefined;
    if (!target) return;
    e.preventDefault();
    select(target, true);
  };

  const view = (t: PopupTab) => {
    switch (t) {
      case 'invite':
        return <InviteView api={api} status={status} debounceMs={debounceMs} openUrl={openUrl} />;
      case 'reseller':
        return <ResellerView status={status} openUrl={openUrl} />;
      case 'expiring':
        return <ExpiringView api={api} />;
      case 'find':
        return <FindView api={api} debounceMs={debounceMs} />;
      case 'export':
        return <ExportView api={api} saveFile={saveFile} />;
    }
  };

  // `data-ready`: the first view has rendered with the status, in the same commit (a stable
  // marker for tests and the popup-open benchmark).
  return (
    <main class="popup popup2" data-auth-state={status?.auth.state ?? 'loading'} data-ready={status ? 'true' : undefined}>
      <h1>{i18n.t('popup.title')}</h1>
      <StatusView api={api} status={status} reload={reload} openOptions={openOptions} />
      <div class="tabs" role="tablist" aria-label={i18n.t('popup2.tabs.label')} onKeyDown={onKeyDown}>
        {POPUP_TABS.map((t) => (
          <button
            key={t}
            ref={(el) => {
              tabRefs.current[t] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${t}`}
            aria-selected={tab === t ? 'true' : 'false'}
            aria-controls={`panel-${t}`}
            tabIndex={tab === t ? 0 : -1}
            onClick={() => select(t)}
          >
            {i18n.t(TAB_LABEL_KEYS[t])}
          </button>
        ))}
      </div>
      {POPUP_TABS.map((t) => (
        <div key={t} role="tabpanel" id={`panel-${t}`} aria-labelledby={`tab-${t}`} hidden={tab !== t} tabIndex={0} data-tab={t}>
          {visited.has(t) && view(t)}
        </div>
      ))}
    </main>
  );
}
