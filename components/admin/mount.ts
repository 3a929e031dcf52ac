import { mountShadowHost, styleAdopter, type HostSpec, type MountedHost } from '../shadow-host';
import { ApprovalPanel, type ApprovalPanelProps } from './ApprovalPanel';
import { PartnerBadge, riskOf, type PartnerBadgeProps } from './PartnerBadge';
import { PartnersSummary, type PartnersSummaryProps } from './PartnersSummary';
import { ADMIN_CSS } from './styles';

export type MountedAdmin<P> = MountedHost<P>;

export interface PartnerKey {
  /** The partner's name as the page shows it; written to `data-partner-name` as text. */
  partnerName: string;
}

const addStyles = styleAdopter(ADMIN_CSS);
function mountHost<P>(spec: Omit<HostSpec<P>, 'addStyles'>, props: P): MountedAdmin<P> {
  return mountShadowHost<P>({ ...spec, addStyles }, props);
}

/**
 * Appends one partner badge to `anchor` (the cell holding the partner's name). The host
 * carries `data-gdap-badge` (empty), `data-partner-name` (the name, as an attribute value:
 * never parsed as HTML) and `data-risk` (`high` | `medium` | `low` | `none`).
 */
export function mountPartnerBadge(anchor: Element, key: PartnerKey, props: PartnerBadgeProps): MountedAdmin<PartnerBadgeProps> {
  return mountHost<PartnerBadgeProps>(
    {
      component: PartnerBadge,
      display: 'inline-block',
      init(host) {
        host.setAttribute('data-gdap-badge', '');
        host.setAttribute('data-partner-name', String(key.partnerName ?? ''));
      },
      attributes(host, p) {
        host.setAttribute('data-risk', riskOf(p.risk));
      },
      place: (host) => anchor.append(host),
    },
    props,
  );
}

/** Inserts the partners summary right before `before` (the partner list): `<gdap-lens-badge data-gdap-summary>`. */
export function mountSummary(before: Element, props: PartnersSummaryProps): MountedAdmin<PartnersSummaryProps> {
  return mountHost<PartnersSummaryProps>(
    {
      component: PartnersSummary,
      display: 'block',
      init: (host) => host.setAttribute('data-gdap-summary', ''),
      place(host) {
        const parent = before.parentNode;
        if (!parent) throw new Error('The list is not in the page.');
        parent.insertBefore(host, before);
      },
    },
    props,
  );
}

/** Where the approval panel goes relative to its anchor (the page reader's `Invitation.placement`, or inside it). */
export type ApprovalPlacement = 'append' | 'before' | 'after';

/**
 * Puts the invitation analysis on the GDAP approval page: `<gdap-lens-badge data-gdap-approval>`
 * appended to `anchor`, or right before / after it.
 */
export function mountApprovalPanel(
  anchor: Element,
  props: ApprovalPanelProps,
  placement: ApprovalPlacement = 'append',
): MountedAdmin<ApprovalPanelProps> {
  return mountHost<ApprovalPanelProps>(
    {
      component: ApprovalPanel,
      display: 'block',
      init: (host) => host.setAttribute('data-gdap-approval', ''),
      place(host) {
        if (placement === 'append') return anchor.append(host);
        if (!anchor.parentNode) throw new Error('The anchor is not in the page.');
        if (placement === 'before') anchor.before(host);
        else anchor.after(host);
      },
    },
    props,
  );
}
