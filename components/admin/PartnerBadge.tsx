import { i18n } from '#i18n';
import { Popover } from '../popover';
import { uiLanguage } from '../text';
import { roleName } from '@/utils/gdap/roles';
import { matchRoleName, type PartnerRow } from '@/utils/portals/admin-center';
import { GUID_RE as GUID } from '../../utils/ids';
import { ENDS_SOON_DAYS, type PartnerRiskLevel, type RiskReason } from '@/utils/portals/admin-risk';

export type AdminRisk = PartnerRiskLevel;
export type AdminRiskReason = RiskReason;

/** What the badge reads of a partner row (a `PartnerRow` fits as it is). */
export type PartnerInfo = Pick<PartnerRow, 'name' | 'types' | 'gdapEnd'> & {
  /** The role names the page lists for the partner (Global Administrator included for DAP, D7). */
  roleNames: readonly string[];
};

/**
 * Everything the badge shows, from the model in utils/portals/admin-risk.ts:
 * `{ partner: row, ...partnerRisk(row, now), privilegedRoles: privilegedRoles(row.roleIds) }`.
 */
export interface PartnerBadgeProps {
  partner: PartnerInfo;
  risk: AdminRisk;
  reasons: readonly AdminRiskReason[];
  /** The privileged roles among the partner's roles: role template ids (named from the catalog) or names. */
  privilegedRoles: readonly string[];
  /** The clock for "ends in N days"; defaults to the current time. */
  now?: () => Date;
}

export const RISKS: readonly AdminRisk[] = ['high', 'medium', 'low', 'none'];
/** A known risk level; anything else reads as `none` (never throws). */
export const riskOf = (risk: unknown): AdminRisk => (RISKS.includes(risk as AdminRisk) ? (risk as AdminRisk) : 'none');

/** `i18n.t` for keys built at run time (role explanations, risk words). */
export const tr = (key: string, subs?: Array<string | number>): string =>
  (i18n.t as unknown as (k: string, s?: Array<string | number>) => string)(key, subs);

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

export const dayCount = (n: number) => i18n.t('acBadge.days', n);

/** The pill's end part: "ends in 12 days", "ends on Mar 5, 2026", "ends today", "ended on …". */
export function endPart(end: string | null, now: Date): string | null {
  const raw = end?.trim();
  if (!raw) return null;
  const days = daysUntil(raw, now);
  if (days === null) return i18n.t('acBadge.endsOn', [raw.slice(0, 40)]);
  if (days < 0) return i18n.t('acBadge.endedOn', [formatDay(raw)]);
  if (days === 0) return i18n.t('acBadge.endsToday');
  if (days <= ENDS_SOON_DAYS) return i18n.t('acBadge.endsIn', [dayCount(days)]);
  return i18n.t('acBadge.endsOn', [formatDay(raw)]);
}

const norm = (s: string) => s.trim().toLowerCase();

/** The privileged roles as names (ids are named from the catalog), without blanks or repeats. */
export function privilegedNames(list: readonly string[]): string[] {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const entry of list) {
    const text = String(entry ?? '').trim();
    const name = GUID.test(text) ? (roleName(text) ?? text) : text;
    if (name && !seen.has(norm(name))) {
      seen.add(norm(name));
      names.push(name);
    }
  }
  return names;
}

/**
 * The partner's roles split into privileged and other, each under the name the page shows
 * (English or Korean: page names are matched to catalog roles), privileged ones the page
 * does not list named from the catalog.
 */
export function splitRoles(roleNames: readonly string[], privileged: readonly string[]): { privileged: string[]; other: string[] } {
  const ids = new Set<string>();
  const names = new Set<string>();
  for (const entry of privileged) {
    const text = String(entry ?? '').trim();
    if (GUID.test(text)) ids.add(text.toLowerCase());
    else if (text) names.add(norm(text));
  }
  const out = { privileged: [] as string[], other: [] as string[] };
  const covered = new Set<string>();
  for (const raw of roleNames) {
    const name = String(raw ?? '').trim();
    if (!name) continue;
    const role = matchRoleName(name);
    const flagged = (role !== null && (ids.has(role.id) || names.has(norm(role.name)))) || names.has(norm(name));
    (flagged ? out.privileged : out.other).push(name);
    if (flagged) {
      covered.add(norm(name));
      if (role) covered.add(role.id).add(norm(role.name));
    }
  }
  for (const extra of privilegedNames(privileged)) {
    const id = [...ids].find((i) => roleName(i) === extra);
    if (!covered.has(norm(extra)) && !(id && covered.has(id))) out.privileged.push(extra);
  }
  return out;
}

/** GDAP-like access: GDAP on the page, or roles listed without DAP. */
export const hasGdap = (p: PartnerInfo) => p.types.gdap || (!p.types.dap && p.roleNames.length > 0);

/** The pill's parts, risk word first: "High risk · Full Global Administrator · no end date". */
export function pillParts(props: PartnerBadgeProps, now: Date): string[] {
  const { partner } = props;
  const parts = [tr(`acBadge.risk.${riskOf(props.risk)}`)];
  if (partner.types.dap) {
    parts.push(i18n.t('acBadge.fullGa'), i18n.t('acBadge.noEndDate'));
    if (partner.types.gdap) parts.push(i18n.t('acBadge.alsoGdap'));
  } else if (hasGdap(partner)) {
    parts.push(i18n.t('acBadge.gdap'), i18n.t('acBadge.roles', partner.roleNames.length));
    const privileged = privilegedNames(props.privilegedRoles).length;
    if (privileged > 0) parts.push(i18n.t('acBadge.privileged', privileged));
    const end = endPart(partner.gdapEnd, now);
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
  return i18n.t('acBadge.label', [isolatedName(props.partner.name), pillParts(props, now).join(', ')]);
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
          <div class="d" id="d" role="dialog" aria-label={i18n.t('acBadge.dialog')}>
            <button type="button" class="c" aria-label={i18n.t('acBadge.close')} onClick={() => this.close(true)}>
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
  const { partner, parts } = props;
  const name = String(partner.name ?? '').trim();
  const shown = name.length > NAME_MAX ? `${name.slice(0, NAME_MAX)}…` : name;
  const { dap, gdap } = partner.types;
  return (
    <>
      <div class="n" title={name.length > NAME_MAX ? name : undefined}>
        <bdi>{shown}</bdi>
      </div>
      <div class={`s ${riskOf(props.risk)}`}>{parts.join(' · ')}</div>
      {dap && (
        <section data-section="dap">
          <h3>{i18n.t('acBadge.dapTitle')}</h3>
          <p>{i18n.t('acBadge.dapWhat')}</p>
          <p>{i18n.t('acBadge.dapHidden')}</p>
          {gdap && (
            <>
              <h3>{i18n.t('acBadge.bothTitle')}</h3>
              <p data-rule="R27">{i18n.t('acBadge.dapGdap')}</p>
            </>
          )}
          <h3>{i18n.t('acBadge.removeTitle')}</h3>
          <p data-rule="D5">{i18n.t('acBadge.dapRemove')}</p>
          <h3>{i18n.t('acBadge.leftTitle')}</h3>
          <p data-rule="D9">{i18n.t('acBadge.dapAzure')}</p>
          <p data-rule="R28">{i18n.t('acBadge.dapSafeOrder')}</p>
        </section>
      )}
      {(gdap || hasGdap(partner)) && <GdapDetails {...props} />}
      {!dap && !hasGdap(partner) && <p>{i18n.t('acBadge.noAdmin')}</p>}
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
  const { partner } = props;
  const now = (props.now ?? (() => new Date()))();
  const reasons = Array.isArray(props.reasons) ? props.reasons : [];
  const why = WHY.find(([reason]) => reasons.includes(reason));
  const { privileged, other: others } = splitRoles(partner.roleNames, props.privilegedRoles);
  return (
    <section data-section="gdap">
      {partner.types.dap && <h3>{i18n.t('acBadge.gdap')}</h3>}
      {why && <p>{tr(why[1])}</p>}
      {reasons.includes('unrecognized-roles') && <p>{i18n.t('acBadge.whyUnrecognized')}</p>}
      {privileged.length > 0 && (
        <>
          <p>{i18n.t('acBadge.privilegedRoles', [privileged.length])}</p>
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
          <p>{i18n.t('acBadge.otherRoles', [others.length])}</p>
          <ul data-roles="other">
            {others.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </>
      )}
      {privileged.length === 0 && others.length === 0 && <p>{i18n.t('acBadge.noRoles')}</p>}
      <p>{endLine(partner.gdapEnd, now)}</p>
      <p>{i18n.t('acBadge.subscriptions')}</p>
    </section>
  );
}

/** The details' end-date sentence (R24: one end date for the whole relationship). */
function endLine(end: string | null, now: Date): string {
  const raw = end?.trim();
  if (!raw) return i18n.t('acBadge.noEndShown');
  const days = daysUntil(raw, now);
  if (days === null) return endPart(raw, now) ?? '';
  if (days < 0) return i18n.t('acBadge.accessEnded', [formatDay(raw)]);
  if (days === 0) return i18n.t('acBadge.accessEndsToday', [formatDay(raw)]);
  return i18n.t('acBadge.accessEnds', [formatDay(raw), dayCount(days)]);
}
