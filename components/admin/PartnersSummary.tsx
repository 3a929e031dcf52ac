/** @jsxRuntime classic */
/** @jsx h */
// Classic JSX (`h`) rather than the automatic runtime: the admin center content script is
// about 0.2 KB gzip smaller for it (budget 15 KB, see utils/build-config.ts).
import { h } from 'preact';
import { t } from '../text';

/** `summarizePartners(rows)` of utils/portals/admin-risk.ts. */
export interface PartnersSummaryCounts {
  total: number;
  withAdminAccess: number;
  viaDap: number;
  withGlobalAdmin: number;
}

export interface PartnersSummaryProps {
  summary: PartnersSummaryCounts;
}

/** A count as a whole number ≥ 0 (anything else is 0). */
const count = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0);

/** The summary's parts: "3 partners hold admin access", "1 through DAP", "2 hold Global Administrator". */
export function summaryParts(s: PartnersSummaryCounts): string[] {
  return [
    t('acBadge.summary.admin', count(s.withAdminAccess)),
    t('acBadge.summary.dap', count(s.viaDap)),
    t('acBadge.summary.globalAdmin', count(s.withGlobalAdmin)),
  ];
}

/** Warning tone: some partner holds DAP or Global Administrator. */
export const summaryWarns = (s: PartnersSummaryCounts) => count(s.viaDap) > 0 || count(s.withGlobalAdmin) > 0;

/** The panel above the Partner relationships list. */
export function PartnersSummary({ summary }: PartnersSummaryProps) {
  const warn = summaryWarns(summary);
  return (
    <div class={`panel ${warn ? 'warn' : 'ok'}`} role="region" aria-label={t('acBadge.summary.label')}>
      <p class="lead">
        {warn && <span aria-hidden="true">⚠ </span>}
        {summaryParts(summary).join(' · ')}
      </p>
      {warn && <p>{t('acBadge.summary.warn')}</p>}
    </div>
  );
}
