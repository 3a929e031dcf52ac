import { mountShadowHost, styleAdopter } from '../shadow-host';
import { Badge, pillElement, pillText, type BadgeProps, type PillText } from './Badge';
import { BADGE_CSS } from './styles';

export type BadgeKey = { tenantId: string } | { relationshipId: string };
export type BadgeHandlers = Omit<BadgeProps, 'model'>;

export interface MountOptions {
  /**
   * Render now but put the host into the page only when `place()` is called: a caller
   * mounting many badges renders them in slices and puts them in all at once, so the page
   * lays out once instead of after every slice.
   */
  deferPlace?: boolean;
}

export interface MountedBadge {
  /** The `<gdap-lens-badge>` element (detached once removed). */
  host: HTMLElement;
  /** Re-renders with a new model (and optionally new handlers) and refreshes the attributes. */
  update(model: BadgeProps['model'], props?: Partial<BadgeHandlers>): void;
  /** Unmounts and detaches; later calls do nothing. */
  remove(): void;
  /** Puts a deferred host into its anchor (a no-op while it is in the page, once removed, or when the anchor left the page). */
  place(): void;
}

const addStyles = styleAdopter(BADGE_CSS);

/** One built pill per distinct text (remembered with it), cloned for every badge that shows it. */
const prototypes = new WeakMap<PillText, HTMLElement>();
function pillClone(text: PillText): Node {
  let proto = prototypes.get(text);
  if (!proto) {
    proto = pillElement(document, text);
    prototypes.set(text, proto);
  }
  return proto.cloneNode(true);
}

/**
 * Appends one badge to `anchor`: a `<gdap-lens-badge>` host (a plain, unregistered element)
 * with an open shadow root holding the shared stylesheet and the pill. The host says what it
 * shows: `data-gdap-badge`, `data-tenant-id` or `data-relationship-id`, `data-state` and,
 * when a date applies, `data-days-left`. The pill is plain DOM until first used, when the
 * Preact {@link Badge} takes it over. Never throws: on any failure the badge removes itself
 * and the page is left as it was.
 */
export function mountBadge(anchor: Element, key: BadgeKey, props: BadgeProps, options: MountOptions = {}): MountedBadge {
  let current = props;
  const mounted = mountShadowHost<BadgeProps>(
    {
      component: Badge,
      display: 'inline-block',
      addStyles,
      init(host) {
        host.setAttribute('data-gdap-badge', '');
        if ('tenantId' in key) host.setAttribute('data-tenant-id', key.tenantId);
        else host.setAttribute('data-relationship-id', key.relationshipId);
      },
      attributes(host, p) {
        const { state, daysLeft } = p.model;
        host.setAttribute('data-state', state);
        if (daysLeft === null) host.removeAttribute('data-days-left');
        else host.setAttribute('data-days-left', String(daysLeft));
      },
      place: (host) => options.deferPlace || anchor.append(host),
      dormant: (p) => pillClone(pillText(p.model)),
    },
    props,
  );
  return {
    host: mounted.host,
    update(model, more) {
      current = { ...current, ...more, model };
      mounted.update(current);
    },
    remove: mounted.remove,
    place() {
      const { host } = mounted;
      if (!mounted.alive() || host.isConnected || !anchor.isConnected) return;
      try {
        anchor.append(host);
      } catch {
        mounted.remove();
      }
    },
  };
}
