import type { Pill } from '@/utils/portals/pill';
import { forgetSleeper, HOST_TAG, mountShadowHost, sleepUntilUsed, styleAdopter, type HostSpec, type MountedHost } from '../shadow-host';
import { Badge, fillPill, pillSkeleton, pillText, wordsKind, type BadgeProps } from './Badge';
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

const init = (host: HTMLElement) => host.setAttribute('data-gdap-badge', '');
function attributes(host: HTMLElement, p: BadgeProps): void {
  const { state, daysLeft } = p.model;
  host.setAttribute('data-state', state);
  if (daysLeft === null) host.removeAttribute('data-days-left');
  else host.setAttribute('data-days-left', String(daysLeft));
}

/** What every badge host shares once woken: one object for all, nothing made per badge. */
const BADGE_HOST: HostSpec<BadgeProps> = {
  component: Badge,
  display: 'inline-block',
  addStyles,
  init,
  attributes,
  // Placed by the mount below, once the host says whose badge it is.
  place: () => undefined,
};

/**
 * The host every badge is a copy of: display, fixed attribute, and a shadow root (clonable)
 * holding the container and the pill's fixed part. One native copy then stands for a dozen
 * calls per badge. Its styles make the shared sheet; copies do not take adopted sheets along.
 */
let pattern: HTMLElement | null = null;
function patternHost(): HTMLElement {
  if (!pattern || pattern.ownerDocument !== document) {
    pattern = document.createElement(HOST_TAG);
    pattern.style.setProperty('display', 'inline-block');
    init(pattern);
    addStyles(drawRoot(pattern.attachShadow({ mode: 'open', clonable: true } as ShadowRootInit)));
  }
  return pattern;
}

/** Puts the container with the pill's fixed part into a badge's shadow root. */
function drawRoot(root: ShadowRoot): ShadowRoot {
  root.appendChild(document.createElement('span')).append(pillSkeleton(document));
  return root;
}

/**
 * One badge. Until its first use it is plain DOM (a copy of {@link patternHost} filled in, the
 * pill exactly as the Preact {@link Badge} first renders it): a grid shows a thousand and
 * someone points at one. Then the component takes the host over in place.
 */
class BadgeMount implements MountedBadge {
  readonly host: HTMLElement;
  readonly #anchor: Element;
  #props: BadgeProps;
  #container: HTMLElement | null = null;
  #awake: MountedHost<BadgeProps> | null = null;
  #live = true;

  constructor(anchor: Element, key: BadgeKey, props: BadgeProps, deferPlace: boolean) {
    this.#anchor = anchor;
    this.#props = props;
    const host = (this.host = patternHost().cloneNode(true) as HTMLElement);
    try {
      // A browser without clonable shadow roots copies the host alone: the rest is drawn here.
      const root = host.shadowRoot ?? drawRoot(host.attachShadow({ mode: 'open' }));
      this.#container = root.firstChild as HTMLElement;
      addStyles(root);
      if ('tenantId' in key) host.setAttribute('data-tenant-id', key.tenantId);
      else host.setAttribute('data-relationship-id', key.relationshipId);
      this.#draw();
      sleepUntilUsed(host, this);
      if (!deferPlace) anchor.append(host);
    } catch {
      this.remove();
    }
  }

  #draw(): void {
    attributes(this.host, this.#props);
    fillPill(this.#container!.firstChild!, pillText(this.#props.model));
  }

  /** The first use (called by the window's listener, see sleepUntilUsed): the component takes the host over. */
  wake(): void {
    if (this.#live && !this.#awake) this.#awake = mountShadowHost(BADGE_HOST, this.#props, { host: this.host, container: this.#container! });
  }

  update(model: BadgeProps['model'], more?: Partial<BadgeHandlers>): void {
    if (!this.alive()) return;
    this.#props = { ...this.#props, ...more, model };
    if (this.#awake) return this.#awake.update(this.#props);
    try {
      this.#draw();
    } catch {
      this.remove();
    }
  }

  remove(): void {
    if (!this.#live) return;
    this.#live = false;
    forgetSleeper(this.host);
    if (this.#awake) this.#awake.remove();
    else this.host.remove();
  }

  alive(): boolean {
    return this.#live && (!this.#awake || this.#awake.alive());
  }

  place(): void {
    const { host } = this;
    const anchor = this.#anchor;
    if (!this.alive() || host.isConnected || !anchor.isConnected) return;
    try {
      anchor.append(host);
    } catch {
      this.remove();
    }
  }
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
  return new BadgeMount(anchor, key, props, !!options.deferPlace);
}

/** The page's next idle spell, at most a second away (its deadline tells the time left in it). */
const idle = (): Promise<IdleDeadline> => new Promise((resolve) => requestIdleCallback(resolve, { timeout: 1000 }));

/**
 * Gets badges ready before a grid's rows arrive, while the page is still waiting for them:
 * makes the words of each kind of pill (see {@link wordsKind}) among `pills` (a partner's
 * thousands of customers show a few hundred kinds). Only while the page is idle, so that
 * its own loading never waits for it; stops when `stop()` says so. Rows that come first
 * make their own words. Never throws.
 */
export async function prepareBadges(pills: Iterable<Pill>, stop: () => boolean = () => false): Promise<void> {
  const kinds = new Set<string>();
  const it = pills[Symbol.iterator]();
  try {
    for (;;) {
      const spell = await idle();
      if (stop()) return;
      do {
        const next = it.next();
        if (next.done) return;
        const kind = wordsKind(next.value);
        if (!kinds.has(kind)) {
          kinds.add(kind);
          pillText(next.value);
        }
      } while (spell.timeRemaining() > 1);
    }
  } catch {
    // What is not ready is made as badges need it.
  }
}
