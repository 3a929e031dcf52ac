import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { AutoExtendOutcome, Results } from '@/utils/messaging/protocol';
import type { ExpiringWindow } from '@/utils/gdap/state';
import { textFor, type Api } from '../api';
import { formatDay, useAlive, useId } from './shared';

type ExpiringRow = Results['getExpiring'][number];
type Reason = ExpiringRow['reason'];

/** Most ids one setAutoExtendMany takes (the protocol's bound); more are sent in turns. */
const BATCH = 1000;
/** Rows of the long read-only groups painted before "Show all". */
const FIRST_ROWS = 50;
const WINDOWS: readonly ExpiringWindow[] = [1, 7, 30];
const GROUPS: ReadonlyArray<{ reason: Reason; titleKey: 'popup2.expiring.ending' | 'popup2.expiring.lapsing' | 'popup2.expiring.expired' }> = [
  { reason: 'ending', titleKey: 'popup2.expiring.ending' },
  { reason: 'pending-lapse', titleKey: 'popup2.expiring.lapsing' },
  { reason: 'expired', titleKey: 'popup2.expiring.expired' },
];

/** R5/R6: auto-extend can be switched on here (active, not on yet, no Global Administrator). */
export function canEnableAutoExtend(row: ExpiringRow): boolean {
  return row.reason === 'ending' && row.state.autoExtend === 'off' && (row.state.kind === 'active' || row.state.kind === 'expiring');
}

const days = (n: number) => i18n.t('pcBadge.days', n);

function whenText(row: ExpiringRow): string {
  const s = row.state;
  if (row.reason === 'expired') return s.endDate ? i18n.t('pcBadge.accessEnded', [formatDay(s.endDate)]) : i18n.t('pcBadge.state.expired');
  if (s.daysLeft === null) return '';
  return row.reason === 'pending-lapse' ? i18n.t('pcBadge.lapsesIn', [days(s.daysLeft)]) : i18n.t('pcBadge.endsIn', [days(s.daysLeft)]);
}

export interface ExpiringViewProps {
  api: Api;
}

/**
 * View 3 (R8, from the cache): relationships ending within 1, 7 or 30 days without
 * auto-extend, requests near their 90-day lapse (R2), and those expired in the last year.
 * Loads when the tab first opens. "Enable auto-extend" works on any number of selected rows
 * at once (no 25-item cap) and reports each row's outcome.
 */
export function ExpiringView({ api }: ExpiringViewProps) {
  const [within, setWithin] = useState<ExpiringWindow>(30);
  const [rows, setRows] = useState<ExpiringRow[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [outcomes, setOutcomes] = useState<ReadonlyMap<string, AutoExtendOutcome>>(new Map());
  const [summary, setSummary] = useState<{ ok: number; total: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [expanded, setExpanded] = useState<ReadonlySet<Reason>>(new Set());
  const alive = useAlive();
  const seq = useRef(0);
  const windowId = useId('window');
  const selectAllRef = useRef<HTMLInputElement>(null);

  const load = (days: ExpiringWindow) => {
    const mine = ++seq.current;
    setRows(null);
    setFailed(false);
    setSelected(new Set());
    setOutcomes(new Map());
    setSummary(null);
    api.send('getExpiring', { days }).then(
      (list) => {
        if (alive.current && mine === seq.current) setRows(Array.isArray(list) ? list : []);
      },
      () => {
        if (alive.current && mine === seq.current) setFailed(true);
      },
    );
  };
  useEffect(() => load(within), [within]);

  const eligible = useMemo(() => (rows ?? []).filter((r) => canEnableAutoExtend(r) && !outcomes.get(r.relationship.id)?.ok).map((r) => r.relationship.id), [rows, outcomes]);
  const allSelected = eligible.length > 0 && eligible.every((id) => selected.has(id));
  const someSelected = selected.size > 0 && !allSelected;
  useEffect(() => {
    if (selectAllRef.current) selectAllRef.current.indeterminate = someSelected;
  }, [someSelected]);

  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const enable = async () => {
    const ids = eligible.filter((id) => selected.has(id));
    if (ids.length === 0 || busy) return;
    setBusy(true);
    setSummary(null);
    const results = new Map<string, AutoExtendOutcome>();
    for (let i = 0; i < ids.length; i += BATCH) {
      const chunk = ids.slice(i, i + BATCH);
      try {
        const answer = await api.send('setAutoExtendMany', { ids: chunk, on: true });
        for (const o of Array.isArray(answer) ? answer : []) if (o && typeof o.id === 'string') results.set(o.id, o);
      } catch {
        // Reported below as "did not work" for every id without an answer.
      }
      for (const id of chunk) if (!results.has(id)) results.set(id, { id, ok: false, error: { kind: 'unknown', messageKey: 'pcBadge.actionFailed' } });
    }
    if (!alive.current) return;
    setOutcomes((prev) => new Map([...prev, ...results]));
    setSelected((s) => new Set([...s].filter((id) => !results.get(id)?.ok)));
    setSummary({ ok: [...results.values()].filter((o) => o.ok).length, total: ids.length });
    setBusy(false);
  };

  const outcomeText = (o: AutoExtendOutcome) =>
    o.ok ? i18n.t(o.unchanged ? 'popup2.expiring.unchanged' : 'popup2.expiring.enabled') : textFor(o.error?.messageKey ?? 'pcBadge.actionFailed', 'pcBadge.actionFailed');

  return (
    <div class="expiring">
      <h2>{i18n.t('popup2.expiring.title')}</h2>
      <div class="field inline">
        <label for={windowId}>{i18n.t('popup2.expiring.window')}</label>
        <select id={windowId} value={String(within)} onChange={(e) => setWithin(Number((e.currentTarget as HTMLSelectElement).value) as ExpiringWindow)}>
          {WINDOWS.map((w) => (
            <option value={String(w)} key={w}>
              {days(w)}
            </option>
          ))}
        </select>
      </div>

      {failed ? (
        <div>
          <p role="alert" class="error">
            {i18n.t('popup2.expiring.loadFailed')}
          </p>
          <button type="button" onClick={() => load(within)}>
            {i18n.t('popup2.expiring.retry')}
          </button>
        </div>
      ) : rows === null ? (
        <p class="muted" aria-busy="true">
          {i18n.t('popup2.loading')}
        </p>
      ) : (
        <>
          <div class="bulk row">
            <label class="select-all">
              <input
                ref={selectAllRef}
                type="checkbox"
                checked={allSelected}
                disabled={eligible.length === 0 || busy}
                onChange={(e) => setSelected((e.currentTarget as HTMLInputElement).checked ? new Set(eligible) : new Set())}
              />
              {i18n.t('popup2.expiring.selectAll')}
            </label>
            <span class="muted small">{i18n.t('popup2.expiring.selected', [selected.size])}</span>
            <button type="button" onClick={() => void enable()} disabled={selected.size === 0 || busy}>
              {i18n.t('popup2.expiring.enable')}
            </button>
          </div>
          <p role="status" class="muted small" data-testid="bulk-summary">
            {busy ? i18n.t('popup2.expiring.working') : summary ? i18n.t('popup2.expiring.summary', [summary.ok, summary.total]) : ''}
          </p>
          {GROUPS.map(({ reason, titleKey }) => {
            const group = rows.filter((r) => r.reason === reason);
            const shown = reason === 'ending' || expanded.has(reason) ? group : group.slice(0, FIRST_ROWS);
            return (
              <section class="group" key={reason} data-reason={reason}>
                <h3>
                  {i18n.t(titleKey)} ({group.length})
                </h3>
                {group.length === 0 ? (
                  <p class="muted small">{i18n.t('popup2.expiring.none')}</p>
                ) : (
                  <ul class="rows">
                    {shown.map((row) => {
                      const id = row.relationship.id;
                      const outcome = outcomes.get(id);
                      const can = canEnableAutoExtend(row) && !outcome?.ok;
                      const name = row.relationship.displayName.trim() || i18n.t('pcBadge.unnamed');
                      const customer = row.relationship.customer.displayName ?? row.relationship.customer.tenantId;
                      return (
                        <li key={id} data-relationship-id={id}>
                          <label class="row-main">
                            {reason === 'ending' && <input type="checkbox" checked={can && selected.has(id)} disabled={!can || busy} onChange={(e) => toggle(id, (e.currentTarget as HTMLInputElement).checked)} />}
                            <span class="name">{name}</span>
                          </label>
                          <span class="muted small">
                            {customer && i18n.t('popup2.expiring.customer', [customer])}
                            {customer && ' · '}
                            {whenText(row)}
                            {row.state.autoExtend === 'not-allowed' && ` · ${i18n.t('pcBadge.autoNotAllowed')}`}
                          </span>
                          {outcome && (
                            <span class={`outcome ${outcome.ok ? 'ok' : 'error'}`} data-outcome={outcome.ok ? 'ok' : 'error'}>
                              {outcomeText(outcome)}
                            </span>
                          )}
                        </li>
                      );
                    })}
                  </ul>
                )}
                {shown.length < group.length && (
                  <button type="button" class="secondary" onClick={() => setExpanded((s) => new Set([...s, reason]))}>
                    {i18n.t('popup2.expiring.showAll', [group.length])}
                  </button>
                )}
              </section>
            );
          })}
        </>
      )}
    </div>
  );
}
