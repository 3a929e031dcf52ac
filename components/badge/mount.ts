import { h, render } from 'preact';
import { CONTAINED_EVENTS, Guard, HOST_TAG, styleAdopter } from '../shadow-host';
import type { BadgeModel } from '@/utils/portals/badge-model';
import { Badge, type BadgeProps } from './Badge';
import { BADGE_CSS } from './styles';

export type BadgeKey = { tenantId: string } | { relationshipId: string };
export type BadgeHandlers = Omit<BadgeProps, 'model'>;

export interface MountedBadge {
  /** The `<gdap-lens-badge>` element (detached once removed). */
  host: HTMLElement;
  /** Re-renders with a new model (and optionally new handlers) and refreshes the attributes. */
  update(model: BadgeModel, props?: Partial<BadgeHandlers>): void;
  /** Unmounts and detaches; later calls do nothing. */
  remove(): void;
}

const addStyles = styleAdopter(BADGE_CSS);

const CONTAINED = CONTAINED_EVENTS;

/**
 * Appends one badge to `anchor`: a `<gdap-lens-badge>` host (a plain, unregistered element)
 * with an open shadow root holding the styles and the Preact {@link Badge}. The host says
 * what it shows: `data-gdap-badge`, `data-tenant-id` or `data-relationship-id`,
 * `data-state` and, when a date applies, `data-days-left`. Never throws: on any failure the
 * badge removes itself and the page is left as it was.
 */
export function mountBadge(anchor: Element, key: BadgeKey, props: BadgeProps): MountedBadge {
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
      const { state, daysLeft } = current.model;
      host.setAttribute('data-state', state);
      if (daysLeft === null) host.removeAttribute('data-days-left');
      else host.setAttribute('data-days-left', String(daysLeft));
      render(h(Guard, { onError: () => queueMicrotask(remove) }, h(Badge, current)), container);
    } catch {
      remove();
    }
  };

  try {
    host.setAttribute('data-gdap-badge', '');
    if ('tenantId' in key) host.setAttribute('data-tenant-id', key.tenantId);
    else host.setAttribute('data-relationship-id', key.relationshipId);
    host.style.setProperty('display', 'inline-block');
    for (const type of CONTAINED) host.addEventListener(type, (e) => e.stopPropagation());
    const root = host.attachShadow({ mode: 'open' });
    addStyles(root);
    container = document.createElement('span');
    root.append(container);
    draw();
    if (alive) anchor.append(host);
  } catch {
    remove();
  }

  return {
    host,
    update(model, more) {
      current = { ...current, ...more, model };
      draw();
    },
    remove,
  };
}
