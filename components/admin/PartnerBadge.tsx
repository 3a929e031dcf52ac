/** @jsxRuntime classic */
/** @jsx h */
/** @jsxFrag Fragment */
// Classic JSX (`h`) rather than the automatic runtime: the admin center content script is
// about 0.2 KB gzip smaller for it (budget 15 KB, see utils/build-config.ts).
import { Fragment, h } from 'preact';
import { Popover } from '../popover';
import { t, uiLanguage } from '../text';
import { ENDS_SOON_DAYS, type PartnerBadgeModel, type PartnerRiskLevel, type RiskReason } from '@/utils/portals/admin-model';

export type AdminRisk = PartnerRiskLevel;
export type AdminRiskReason = RiskReason;

/**
 * Everything the badge shows: the background's model of the partner's row
 * (utils/portals/admin-risk.ts `partnerBadgeModel`) and the partner's name from the page.
 */
export interface PartnerBadgeProps extends PartnerBadgeModel {
  /** The partner's name as the page shows it (only ever rendered as text). */
  name: string;
  /** The clock for "ends in N days"; defaults to the current time. */
  now?: () => Date;
}

export const RISKS: readonly AdminRisk[] = ['high', 'medium', 'low', 'none'];
/** A known risk level; anything else reads as `none` (never throws). */
export const riskOf = (risk: unknown): AdminRisk => (RISKS.includes(risk as AdminRisk) ? (risk as AdminRisk) : 'none');

/** `t` for keys built at run time (role explanations, risk words). */
export const tr = (key: string, subs?: Array<string | number>): string =>
  (t as unknown as (k: string, s?: Array<string | number>) => string)(key, subs);

const DAY_MS = 86_400_000;
/** A bare date, or a midnight-UTC instant (how the page reader stores a bare date): shown as that calendar day. */
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}(?:T00:00(?::00(?:\.0+)?)?Z)?$/i;

/** A date (ISO date or date-time) as a short date in the UI language ("Mar 5, 2026" / "2026. 3. 5."); '' if invalid. */
export function formatDay(iso: string): string {
  const date = parseDay(iso);
  if (!date) return '';
  const options: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric' };
  if (DATE_ONLY.test(iso.trim())) options.timeZone = 'UTC';
  return new Intl.DateTimeFormat(uiLanguage(), options).format(date);
}

function parseDay(text: string): Date | null {
  const date = new Date(text.trim());
  return Number.isFinite(date.getTime()) ? date : null;
}

/** Whole days from `now` to `end` (rounded up); `null` when `end` is not a date. */
export function daysUntil(end: string, now: Date): number | null {
  const date = parseDay(end);
  return date ? Math.ceil((date.getTime() - now.getTime()) / DAY_MS) : null;
}

export const dayCount = (n: number) => t('acBadge.days', n);

/** The pill's end part: "ends in 12 days", "ends on Mar 5, 2026", "ends today", "ended on …". */
export function endPart(end: string | null, now: Date): string | null {
  const raw = end?.trim();
  if (!raw) return null;
  const days = daysUntil(raw, now);
  if (days === null) return t('acBadge.endsOn', [raw.slice(0, 40)]);
  if (days < 0) return t('acBadge.endedOn', [formatDay(raw)]);
  if (days === 0) return t('acBadge.endsToday');
  if (days <= ENDS_SOON_DAYS) return t('acBadge.endsIn', [dayCount(days)]);
  return t('acBadge.endsOn', [formatDay(raw)]);
}

/** The array, or `[]` for anything else. */
export const list = <T,>(x: readonly T[] | null | undefined): readonly T[] => (Array.isArray(x) ? x : []);

/** GDAP-like access: GDAP on the page, or roles listed without DAP. */
export const hasGdap = (p: Pick<PartnerBadgeProps, 'types' | 'roleCount'>) => p.types.gdap || (!p.types.dap && p.roleCount > 0);

/** The pill's parts, risk word first: "High risk · Full Global Administrator · no end date". */
export function pillParts(props: PartnerBadgeProps, now: Date): string[] {
  const parts = [tr(`acBadge.risk.${riskOf(props.risk)}`)];
  if (props.types.dap) {
    parts.push(t('acBadge.fullGa'), t('acBadge.noEndDate'));
    if (props.types.gdap) parts.push(t('acBadge.alsoGdap'));
  } else if (hasGdap(props)) {
    parts.push(t('acBadge.gdap'), t('acBadge.roles', props.roleCount));
    const privileged = list(props.privilegedRoles).length;
    if (privileged > 0) parts.push(t('acBadge.privileged', privileged));
    const end = endPart(props.gdapEnd, now);
    if (end) parts.push(end);
  }
  return parts;
}

const LABEL_NAME_MAX = 120;
/** The name as one isolated run (FSI … PDI), so that bidi controls in it cannot reorder the sentence. */
export function isolatedName(name: string, max = LABEL_NAME_MAX): string {
  const text = String(name ?? '').trim();
  const short = text.length > max ? `${text.slice(0, max)}…` : text;
  return `\u2068${short}\u2069`;
}

/** The button's accessible name: one sentence with the partner's name and what the pill says. */
export function partnerLabel(props: PartnerBadgeProps, now: Date): string {
  return t('acBadge.label', [isolatedName(props.name), pillParts(props, now).join(', ')]);
}

const NAME_MAX = 200;

/** The admin-center partner badge: a pill that opens the details on hover, focus, click, Enter or Space. */
export class PartnerBadge extends Popover<PartnerBadgeProps> {
  protected override openOnFocus = true;

  override render() {
    const props = this.props;
    const now = (props.now ?? (() => new Date()))();
    const risk = riskOf(props.risk);
    const parts = pillParts(props, now);
    return (
      <span class="b" {...this.rootProps()}>
        <button {...this.buttonProps()} type="button" class={`p ${risk}`} aria-label={partnerLabel(props, now)}>
          {parts.map((text) => (
            <span class="x">{text}</span>
          ))}
        </button>
        {this.state.open && (
          <div class="d" id="d" role="dialog" aria-label={t('acBadge.dialog')}>
            <button type="button" class="c" aria-label={t('acBadge.close')} onClick={() => this.close(true)}>
              ×
            </button>
            <PartnerDetails {...props} now={() => now} parts={parts} />
          </div>
        )}
      </span>
    );
  }
}

function PartnerDetails(props: PartnerBadgeProps & { parts: string[] }) {
  const { parts } = props;
  const name = String(props.name ?? '').trim();
  const shown = name.length > NAME_MAX ? `${name.slice(0, NAME_MAX)}…` : name;
  const { dap, gdap } = props.types;
  return (
    <>
      <div class="n" title={name.length > NAME_MAX ? name : undefined}>
        <bdi>{shown}</bdi>
      </div>
      <div class={`s ${riskOf(props.risk)}`}>{parts.join(' · ')}</div>
      {dap && (
        <section data-section="dap">
          <h3>{t('acBadge.dapTitle')}</h3>
          <p>{t('acBadge.dapWhat')}</p>
          <p>{t('acBadge.dapHidden')}</p>
          {gdap && (
            <>
              <h3>{t('acBadge.bothTitle')}</h3>
              <p data-rule="R27">{t('acBadge.dapGdap')}</p>
            </>
          )}
          <h3>{t('acBadge.removeTitle')}</h3>
          <p data-rule="D5">{t('acBadge.dapRemove')}</p>
          <h3>{t('acBadge.leftTitle')}</h3>
          <p data-rule="D9">{t('acBadge.dapAzure')}</p>
          <p data-rule="R28">{t('acBadge.dapSafeOrder')}</p>
        </section>
      )}
      {(gdap || hasGdap(props)) && <GdapDetails {...props} />}
      {!dap && !hasGdap(props) && <p>{t('acBadge.noAdmin')}</p>}
    </>
  );
}

const WHY: Array<[AdminRiskReason, string]> = [
  ['global-admin', 'acBadge.whyGlobalAdmin'],
  ['privileged-role', 'acBadge.whyPrivileged'],
  ['write-roles', 'acBadge.whyWrite'],
  ['read-only', 'acBadge.whyReadOnly'],
];

function GdapDetails(props: PartnerBadgeProps) {
  const now = (props.now ?? (() => new Date()))();
  const reasons = list(props.reasons);
  const why = WHY.find(([reason]) => reasons.includes(reason));
  const privileged = list(props.roles?.privileged);
  const others = list(props.roles?.other);
  return (
    <section data-section="gdap">
      {props.types.dap && <h3>{t('acBadge.gdap')}</h3>}
      {why && <p>{tr(why[1])}</p>}
      {reasons.includes('unrecognized-roles') && <p>{t('acBadge.whyUnrecognized')}</p>}
      {privileged.length > 0 && (
        <>
          <p>{t('acBadge.privilegedRoles', [privileged.length])}</p>
          <ul data-roles="privileged">
            {privileged.map((n) => (
              <li key={n} class="priv">
                <span aria-hidden="true">⚠ </span>
                {n}
              </li>
            ))}
          </ul>
        </>
      )}
      {others.length > 0 && (
        <>
          <p>{t('acBadge.otherRoles', [others.length])}</p>
          <ul data-roles="other">
            {others.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </>
      )}
      {privileged.length === 0 && others.length === 0 && <p>{t('acBadge.noRoles')}</p>}
      <p>{endLine(props.gdapEnd, now)}</p>
      <p>{t('acBadge.subscriptions')}</p>
    </section>
  );
}

/** The details' end-date sentence (R24: one end date for the whole relationship). */
function endLine(end: string | null, now: Date): string {
  const raw = end?.trim();
  if (!raw) return t('acBadge.noEndShown');
  const days = daysUntil(raw, now);
  if (days === null) return endPart(raw, now) ?? '';
  if (days < 0) return t('acBadge.accessEnded', [formatDay(raw)]);
  if (days === 0) return t('acBadge.accessEndsToday', [formatDay(raw)]);
  return t('acBadge.accessEnds', [formatDay(raw), dayCount(days)]);
}
