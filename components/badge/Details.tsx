import { Component } from 'preact';
import { i18n } from '#i18n';
import type { BadgeDetails, BadgeModel, RelationshipDetails } from '@/utils/portals/badge-model';
import type { BadgeActionResult } from './Badge';

/** The language dates are written in: the page's, else the browser's; Korean or English. */
export function uiLanguage(): 'ko' | 'en' {
  const lang = (document.documentElement.lang || navigator.language || '').toLowerCase();
  return lang.startsWith('ko') ? 'ko' : 'en';
}

/** An ISO date as a short local date in the UI language ("Mar 5, 2026" / "2026. 3. 5."). */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (!Number.isFinite(date.getTime())) return '';
  return new Intl.DateTimeFormat(uiLanguage(), { year: 'numeric', month: 'short', day: 'numeric' }).format(date);
}

export const days = (n: number) => i18n.t('pcBadge.days', n);

/** State word plus days, the first words of the pill: "Active", "access ends in 245 days". */
export function stateParts(m: Pick<BadgeModel, 'state' | 'daysLeft' | 'autoExtend'>): string[] {
  const parts = [i18n.t(`pcBadge.state.${m.state}`)];
  if (m.daysLeft === null) return parts;
  if (m.state === 'pending') parts.push(i18n.t('pcBadge.lapsesIn', [days(m.daysLeft)]));
  else if (m.autoExtend === 'on') parts.push(i18n.t('pcBadge.autoExtendsIn', [days(m.daysLeft)]));
  else parts.push(i18n.t('pcBadge.endsIn', [days(m.daysLeft)]));
  return parts;
}

export interface DetailsProps {
  id: string;
  /** The background's details at the time of asking; `null` when nothing is cached. */
  loadDetails: () => Promise<BadgeDetails | null>;
  onEnableAutoExtend?: ((relationshipId: string) => Promise<BadgeActionResult>) | undefined;
  onClose: () => void;
}

/** A message key from the background; unknown keys fall back to a generic sentence. */
function message(key: string | undefined): string {
  const text = key ? (i18n.t as (k: string) => string)(key) : '';
  return text || i18n.t('pcBadge.actionFailed');
}

const EMPTY: BadgeDetails = { relationships: [], lockoutRecoveryMissing: false };

/** The badge's popover: every relationship's dates, roles, link and quick actions. */
export class Details extends Component<DetailsProps, { details: BadgeDetails | null; failed: boolean }> {
  private alive = true;

  constructor(props: DetailsProps) {
    super(props);
    this.state = { details: null, failed: false };
  }

  private readonly load = () => {
    Promise.resolve()
      .then(this.props.loadDetails)
      .then(
        (d) => this.alive && this.setState({ details: d && Array.isArray(d.relationships) ? d : EMPTY, failed: false }),
        () => this.alive && this.setState({ failed: true }),
      );
  };

  override componentDidMount(): void {
    this.load();
  }

  override componentWillUnmount(): void {
    this.alive = false;
  }

  override render() {
    const { id, onEnableAutoExtend, onClose } = this.props;
    const { details, failed } = this.state;
    return (
      <div class="d" id={id} role="dialog" aria-label={i18n.t('pcBadge.dialog')}>
        <button type="button" class="c" aria-label={i18n.t('pcBadge.close')} onClick={onClose}>
          ×
        </button>
        {details === null ? (
          <div role="status">{i18n.t(failed ? 'pcBadge.loadFailed' : 'pcBadge.loading')}</div>
        ) : details.relationships.length === 0 ? (
          <div>{i18n.t('pcBadge.empty')}</div>
        ) : (
          details.relationships.map((d) => <Relationship key={d.id} d={d} onEnableAutoExtend={onEnableAutoExtend} reload={this.load} />)
        )}
        {details?.lockoutRecoveryMissing && <p>{i18n.t('pcBadge.lockout')}</p>}
      </div>
    );
  }
}

interface RelationshipProps {
  d: RelationshipDetails;
  onEnableAutoExtend: DetailsProps['onEnableAutoExtend'];
  reload: () => void;
}

class Relationship extends Component<RelationshipProps, { busy: boolean; note: string; manualCopy: boolean }> {
  constructor(props: RelationshipProps) {
    super(props);
    this.state = { busy: false, note: '', manualCopy: false };
  }

  override render() {
    const { d, onEnableAutoExtend, reload } = this.props;
    const { busy, note, manualCopy } = this.state;
    const setBusy = (busy: boolean) => this.setState({ busy });
    const setNote = (note: string) => this.setState({ note });
    const setManualCopy = (manualCopy: boolean) => this.setState({ manualCopy });
    const m = d.model;
    const line = (text: string) => <div>{text}</div>;
    const date = (iso: string | null) => (iso ? formatDate(iso) : '');

    const enable = async () => {
      if (!onEnableAutoExtend) return;
      setBusy(true);
      setNote(i18n.t('pcBadge.working'));
      let result: BadgeActionResult;
      try {
        result = await onEnableAutoExtend(d.id);
      } catch {
        result = { ok: false };
      }
      setBusy(false);
      setNote(result.ok ? i18n.t('pcBadge.enabled') : message(result.messageKey));
      if (result.ok) reload();
    };
    const copy = async () => {
      const url = d.invitationUrl;
      if (!url) return;
      try {
        await navigator.clipboard.writeText(url);
        setManualCopy(false);
        setNote(i18n.t('pcBadge.copied'));
      } catch {
        setManualCopy(true);
        setNote(i18n.t('pcBadge.copyFailed'));
      }
    };

    const live = m.state === 'active' || m.state === 'expiring';
    const ended = m.state === 'expired' || m.state === 'terminated';
    return (
      <section class="r">
        <div class="n">{d.name.trim() || i18n.t('pcBadge.unnamed')}</div>
        <div class={`s ${m.tone}`}>{stateParts(m).join(' · ')}</div>
        {m.state === 'pending' && d.created && line(i18n.t('pcBadge.requested', [date(d.created)]))}
        {d.start && line(i18n.t('pcBadge.started', [date(d.start)]))}
        {d.end &&
          line(
            m.state === 'pending'
              ? i18n.t('pcBadge.lapses', [date(d.end)])
              : ended
                ? i18n.t('pcBadge.accessEnded', [date(d.end)])
                : d.nextAutoExtend
                  ? i18n.t('pcBadge.nextAutoExtend', [date(d.nextAutoExtend)])
                  : i18n.t('pcBadge.accessEnds', [date(d.end)]),
          )}
        {live && m.autoExtend === 'on' && line(i18n.t('pcBadge.autoOn'))}
        {live && m.autoExtend === 'off' && line(i18n.t('pcBadge.autoOffLong'))}
        {live && m.autoExtend === 'not-allowed' && line(i18n.t('pcBadge.autoNotAllowedLong'))}
        {live && m.noSecurityGroup && (
          <div class="w">
            <span aria-hidden="true">⚠ </span>
            {i18n.t('pcBadge.noGroupLong')}
          </div>
        )}
        {(m.state === 'expiring' || ended) && line(i18n.t('pcBadge.subscriptions'))}
        {d.roles.length > 0 && (
          <>
            {line(i18n.t('pcBadge.rolesTitle', [d.roles.length]))}
            <ul>
              {d.roles.map((r) => (
                <li key={r.id} class={r.risk}>
                  {r.name}
                </li>
              ))}
            </ul>
          </>
        )}
        <div class="a">
          {d.partnerCenterUrl && (
            <a href={d.partnerCenterUrl} target="_blank" rel="noopener noreferrer">
              {i18n.t('pcBadge.openPartnerCenter')}
            </a>
          )}
          {onEnableAutoExtend && d.actions.includes('enable-auto-extend') && (
            <button type="button" data-action="enable-auto-extend" disabled={busy} onClick={enable}>
              {i18n.t('pcBadge.enableAutoExtend')}
            </button>
          )}
          {d.actions.includes('copy-invitation') && (
            <button type="button" data-action="copy-invitation" onClick={copy}>
              {i18n.t('pcBadge.copyInvitation')}
            </button>
          )}
        </div>
        <div role="status">{note}</div>
        {manualCopy && d.invitationUrl && (
          <input readOnly value={d.invitationUrl} aria-label={i18n.t('pcBadge.copyInvitation')} onFocus={(e) => e.currentTarget.select()} />
        )}
      </section>
    );
  }
}
