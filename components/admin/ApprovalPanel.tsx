/** @jsxRuntime classic */
/** @jsx h */
/** @jsxFrag Fragment */
// Classic JSX (`h`) rather than the automatic runtime: the admin center content script is
// about 0.2 KB gzip smaller for it (budget 15 KB, see utils/build-config.ts).
import { Fragment, h } from 'preact';
import { t } from '../text';
import type { InvitationView } from '@/utils/portals/admin-model';
import { dayCount, formatDay, list, tr } from './PartnerBadge';

/** What the panel shows: the background's `analyzeInvitation` of the page (utils/portals/admin-risk.ts). */
export type InvitationAnalysis = InvitationView;
export type RequestedRole = InvitationAnalysis['roles'][number];
export type RequestedRoleRisk = RequestedRole['risk'];

export interface ApprovalPanelProps {
  analysis: InvitationAnalysis;
}

const RANK: Record<RequestedRoleRisk, number> = { high: 0, medium: 1, low: 2 };
const riskOfRole = (risk: unknown): RequestedRoleRisk => (risk === 'high' || risk === 'low' ? risk : 'medium');

/** The requested roles, most risky first; the page's order within one risk level. */
export function sortByRisk<T extends Pick<RequestedRole, 'risk'>>(roles: readonly T[]): T[] {
  return roles
    .map((role, i) => ({ role, i }))
    .sort((a, b) => RANK[riskOfRole(a.role.risk)] - RANK[riskOfRole(b.role.risk)] || a.i - b.i)
    .map(({ role }) => role);
}

/** The role's sentence; an unknown key falls back to the generic sentence of its risk. */
export function explanation(role: Pick<RequestedRole, 'risk' | 'explanationKey'>): string {
  const key = String(role.explanationKey ?? '');
  const text = key.startsWith('adminRole.') ? tr(key) : '';
  return text || tr(`adminRole.generic.${riskOfRole(role.risk)}`);
}

/** "730 days: until Mar 1, 2028", or as much of it as is known. */
export function durationText(a: Pick<InvitationAnalysis, 'durationDays' | 'endDate'>): string {
  const days = typeof a.durationDays === 'number' && Number.isFinite(a.durationDays) ? dayCount(a.durationDays) : null;
  const until = a.endDate ? formatDay(a.endDate) : '';
  if (days && until) return t('acBadge.approval.durationUntil', [days, until]);
  if (days) return days;
  if (until) return t('acBadge.approval.until', [until]);
  return t('acBadge.approval.unknown');
}

const AUTO_EXTEND = {
  on: 'acBadge.approval.autoOn',
  off: 'acBadge.approval.autoOff',
  'not-allowed': 'acBadge.approval.autoNotAllowed',
} as const;

const has = (o: object, key: unknown) => typeof key === 'string' && Object.prototype.hasOwnProperty.call(o, key);
const own = <T extends object>(o: T, key: unknown): key is keyof T => has(o, key);

const EXCEEDS = {
  'support-tickets': 'acBadge.approval.exceedsSupport',
  'read-only': 'acBadge.approval.exceedsReadOnly',
} as const;

/** The panel on the GDAP invitation approval page. */
export function ApprovalPanel({ analysis }: ApprovalPanelProps) {
  const roles = sortByRisk(list(analysis.roles));
  const names = new Map(roles.flatMap((r) => (r.id ? [[r.id.toLowerCase(), r.name] as const] : [])));
  const nameOf = (id: string) => names.get(String(id).toLowerCase()) || String(id);
  const exceeds = list(analysis.exceeds).filter(
    (e) => !!e && has(EXCEEDS, e.presetId) && list(e.extraRoleIds).length > 0,
  );
  const auto = own(AUTO_EXTEND, analysis.autoExtend) ? AUTO_EXTEND[analysis.autoExtend] : null;
  const warn = exceeds.length > 0 || roles.some((r) => riskOfRole(r.risk) === 'high');
  return (
    <div class={`panel ${warn ? 'warn' : 'ok'}`} role="region" aria-label={t('acBadge.approval.label')}>
      <p class="t">{t('acBadge.approval.title')}</p>
      {roles.length === 0 ? (
        <p>{t('acBadge.approval.noRoles')}</p>
      ) : (
        <>
          <p>{t('acBadge.approval.roles', [roles.length])}</p>
          <ul class="roles">
            {roles.map((r) => {
              const risk = riskOfRole(r.risk);
              return (
                <li key={r.id ?? `?${r.name}`} data-risk={risk}>
                  <span class={`chip ${risk}`}>{tr(`acBadge.risk.${risk}`)}</span>
                  <span class="rn">{r.name || (r.id ? nameOf(r.id) : '')}</span>
                  <span class="re">{explanation(r)}</span>
                </li>
              );
            })}
          </ul>
        </>
      )}
      <dl>
        <dt>{t('acBadge.approval.duration')}</dt>
        <dd data-field="duration">{durationText(analysis)}</dd>
        {auto && (
          <>
            <dt>{t('acBadge.approval.autoExtend')}</dt>
            <dd data-field="auto-extend">{tr(auto)}</dd>
          </>
        )}
      </dl>
      <p>{t('acBadge.subscriptions')}</p>
      {exceeds.length > 0 && (
        <div class="ex" data-field="exceeds">
          <p class="w">
            <span aria-hidden="true">⚠ </span>
            {t('acBadge.approval.exceeds')}
          </p>
          {exceeds.map((e) => (
            <div key={e.presetId} data-preset={e.presetId}>
              <p>{tr(EXCEEDS[e.presetId])}</p>
              <ul>
                {e.extraRoleIds.map((id) => (
                  <li key={id}>{nameOf(id)}</li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
