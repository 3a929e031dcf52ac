import { h, render, type FunctionComponent } from 'preact';
import { CONTAINED_EVENTS, Guard, HOST_TAG, styleAdopter } from '../shadow-host';
import { ApprovalPanel, type ApprovalPanelProps } from './ApprovalPanel';
import { PartnerBadge, riskOf, type PartnerBadgeProps } from './PartnerBadge';
import { PartnersSummary, type PartnersSummaryProps } from './PartnersSummary';
import { ADMIN_CSS } from './styles';


export interface MountedAdmin<P> {
  /** The `<gdap-lens-badge>` element (detached once removed, or when mounting failed). */
  host: HTMLElement;
  /** Re-renders with new props and refreshes the host's attributes. Never throws. */
  update(props: P): void;
  /** Unmounts and detaches; later calls do nothing. */
  remove(): void;
}

export interface PartnerKey {
  /** The partner's name as the page shows it; written to `data-partner-name` as text. */
  partnerName: string;
}

const addStyles = styleAdopter(ADMIN_CSS);

const CONTAINED = CONTAINED_EVENTS;

interface HostSpec<P> {
  component: FunctionComponent<P>;
  display: 'inline-block' | 'block';
  /** Sets the fixed attributes; runs once, before the host is placed. */
  init(host: HTMLElement): void;
  /** Refreshes the attributes that follow the props; runs on every render. */
  attributes?(host: HTMLElement, props: P): void;
  /** Puts the host into the page. */
  place(host: HTMLElement): void;
}

/**
 * One `<gdap-lens-badge>` host with an open shadow root holding the styles and the Preact
 * component. Never throws: on any failure (while mounting, rendering or updating) the host
 * removes itself and the page is left as it was.
 */
function mountHost<P>(spec: HostSpec<P>, props: P): MountedAdmin<P> {
  const host = document.createElement(HOST_TAG);
  let container: HTMLElement | null = null;
  let current = props;
  let alive = true;

  const remove = () => {
    if (!alive) return;
    alive = false;
    try {
      if (container) render(null, container);
    } catch {
      // The host goes anyway.
    }
    host.remove();
  };
  const draw = () => {
    if (!alive || !container) return;
    try {
      spec.attributes?.(host, current);
      render(h(Guard, { onError: () => queueMicrotask(remove) }, h(spec.component as FunctionComponent<object>, current as object)), container);
    } catch {
      remove();
    }
  };

  try {
    spec.init(host);
    host.style.setProperty('display', spec.display);
    for (const type of CONTAINED) host.addEventListener(type, (e) => e.stopPropagation());
    const root = host.attachShadow({ mode: 'open' });
    addStyles(root);
    container = document.createElement(spec.display === 'block' ? 'div' : 'span');
    root.append(container);
    draw();
    if (alive) spec.place(host);
  } catch {
    remove();
  }

  return {
    host,
    update(next) {
      current = next;
      draw();
    },
    remove,
  };
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
