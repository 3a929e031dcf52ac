/** @jsxRuntime classic */
/** @jsx h */
/** @jsxFrag Fragment */
// Classic JSX (Preact's `h`): content scripts then carry no JSX runtime of their own.
import { Component, Fragment, h } from 'preact';
import { t, uiLanguage } from '../text';
import type { BadgeDetails, BadgeModel, RelationshipDetails } from '@/utils/portals/badge-model';
import type { BadgeActionResult } from './Badge';

/** An ISO date as a short local date in the UI language ("Mar 5, 2026" / "2026. 3. 5."). */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (!Number.isFinite(date.getTime())) return '';
  return new Intl.DateTimeFormat(uiLanguage(), { year: 'numeric', month: 'short', day: 'numeric' }).format(date);
}

/** "245 days": `n` chooses the plural form; `shown` (default: `n`) is what is written. */
export const days = (n: number, shown = String(n)) => (t as (key: string, n: number, subs: string[]) => string)('pcBadge.days', n, [shown]);

/**
 * State word plus days, the first words of the pill: "Active", "access ends in 245 days".
 * With `shown`, that stands for the number of days (the pill's words are made once per
 * plural form and the number put in per pill).
 */
export function stateParts(m: Pick<BadgeModel, 'state' | 'daysLeft' | 'autoExtend'>, shown?: string): string[] {
  const parts = [t(`pcBadge.state.${m.state}`)];
  if (m.daysLeft === null) return parts;
  const d = days(m.daysLeft, shown);
  if (m.state === 'pending') parts.push(t('pcBadge.lapsesIn', [d]));
  else if (m.autoExtend === 'on') parts.push(t('pcBadge.autoExtendsIn', [d]));
  else parts.push(t('pcBadge.endsIn', [d]));
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
  const text = key ? (t as (k: string) => string)(key) : '';
  return text || t('pcBadge.actionFailed');
}

const EMPTY: BadgeDetails = { relationships: [], lockoutRecoveryMissing: false };

/** The badge's popover: every relationship's dates, roles, link and quick actions. */
export class Details extends Component<DetailsProps, { details: BadgeDetails | null; failed: boolean }> {
  #alive = true;

  constructor(props: DetailsProps) {
    super(props);
    this.state = { details: null, failed: false };
  }

  readonly #load = () => {
    Promise.resolve()
      .then(this.props.loadDetails)
      .then(
        (d) => this.#alive && this.setState({ details: d && Array.isArray(d.relationships) ? d : EMPTY, failed: false }),
        () => this.#alive && this.setState({ failed: true }),
      );
  };

  override componentDidMount(): void {
    this.#load();
  }

  override componentWillUnmount(): void {
    this.#alive = false;
  }

  override render() {
    const { id, onEnableAutoExtend, onClose } = this.props;
    const { details, failed } = this.state;
    return (
      <div class="d" id={id} role="dialog" aria-label={t('pcBadge.dialog')}>
        <button type="button" class="c" aria-label={t('pcBadge.close')} onClick={onClose}>
          ×
        </button>
        {details === null ? (
          <div role="status">{t(failed ? 'pcBadge.loadFailed' : 'pcBadge.loading')}</div>
        ) : details.relationships.length === 0 ? (
          <div>{t('pcBadge.empty')}</div>
        ) : (
          details.relationships.map((d) => <Relationship key={d.id} d={d} onEnableAutoExtend={onEnableAutoExtend} reload={this.#load} />)
        )}
        {details?.lockoutRecoveryMissing && <p>{t('pcBadge.lockout')}</p>}
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
    const m = d.model;
    const line = (text: string) => <div>{text}</div>;
    const date = (iso: string | null) => (iso ? formatDate(iso) : '');

    const enable = async () => {
      if (!onEnableAutoExtend) return;
      this.setState({ busy: true, note: t('pcBadge.working') });
      let result: BadgeActionResult;
      try {
        result = await onEnableAutoExtend(d.id);
      } catch {
        result = { ok: false };
      }
      this.setState({ busy: false, note: result.ok ? t('pcBadge.enabled') : message(result.messageKey) });
      if (result.ok) reload();
    };
    const copy = async () => {
      const url = d.invitationUrl;
      if (!url) return;
      try {
        await navigator.clipboard.writeText(url);
        this.setState({ manualCopy: false, note: t('pcBadge.copied') });
      } catch {
        this.setState({ manualCopy: true, note: t('pcBadge.copyFailed') });
      }
    };

    const live = m.state === 'active' || m.state === 'expiring';
    const ended = m.state === 'expired' || m.state === 'terminated';
    return (
      <section class="r">
        <div class="n">{d.name.trim() || t('pcBadge.unnamed')}</div>
        <div class={`s ${m.tone}`}>{stateParts(m).join(' · ')}</div>
        {m.state === 'pending' && d.created && line(t('pcBadge.requested', [date(d.created)]))}
        {d.start && line(t('pcBadge.started', [date(d.start)]))}
        {d.end &&
          line(
            m.state === 'pending'
              ? t('pcBadge.lapses', [date(d.end)])
              : ended
                ? t('pcBadge.accessEnded', [date(d.end)])
                : d.nextAutoExtend
                  ? t('pcBadge.nextAutoExtend', [date(d.nextAutoExtend)])
                  : t('pcBadge.accessEnds', [date(d.end)]),
          )}
        {live && m.autoExtend === 'on' && line(t('pcBadge.autoOn'))}
        {live && m.autoExtend === 'off' && line(t('pcBadge.autoOffLong'))}
        {live && m.autoExtend === 'not-allowed' && line(t('pcBadge.autoNotAllowedLong'))}
        {live && m.noSecurityGroup && (
          <div class="w">
            <span aria-hidden="true">⚠ </span>
            {t('pcBadge.noGroupLong')}
          </div>
        )}
        {(m.state === 'expiring' || ended) && line(t('pcBadge.subscriptions'))}
        {d.roles.length > 0 && (
          <>
            {line(t('pcBadge.rolesTitle', [d.roles.length]))}
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
              {t('pcBadge.openPartnerCenter')}
            </a>
          )}
          {onEnableAutoExtend && d.actions.includes('enable-auto-extend') && (
            <button type="button" data-action="enable-auto-extend" disabled={busy} onClick={enable}>
              {t('pcBadge.enableAutoExtend')}
            </button>
          )}
          {d.actions.includes('copy-invitation') && (
            <button type="button" data-action="copy-invitation" onClick={copy}>
              {t('pcBadge.copyInvitation')}
            </button>
          )}
        </div>
        <div role="status">{note}</div>
        {manualCopy && d.invitationUrl && (
          <input readOnly value={d.invitationUrl} aria-label={t('pcBadge.copyInvitation')} onFocus={(e) => e.currentTarget.select()} />
        )}
      </section>
    );
  }
}
