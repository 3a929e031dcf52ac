import { Component, h, hydrate, render, type ComponentChildren, type ComponentType } from 'preact';

/** The host tag of every GDAP Lens UI on a portal (utils/portals/dom.ts BADGE_HOST_TAG): page observers skip it. */
export const HOST_TAG = 'gdap-lens-badge';

/**
 * Returns a function that puts `css` into a shadow root: one constructable sheet shared by
 * every host, or a `<style>` where adopting fails (Firefox content scripts cannot adopt
 * sheets made in their own world).
 */
export function styleAdopter(css: string): (root: ShadowRoot) => void {
  let sheet: CSSStyleSheet | null | undefined;
  return (root) => {
    try {
      if (sheet === undefined) {
        sheet = null;
        const s = new CSSStyleSheet();
        s.replaceSync(css);
        sheet = s;
      }
      if (sheet) {
        root.adoptedStyleSheets = [sheet];
        return;
      }
    } catch {
      sheet = null;
    }
    const style = document.createElement('style');
    style.textContent = css;
    root.append(style);
  };
}

/** Renders nothing once a child has thrown, and reports it. */
export class Guard extends Component<{ onError: () => void; children?: ComponentChildren }, { failed: boolean }> {
  override componentDidCatch(): void {
    this.setState({ failed: true });
    this.props.onError();
  }
  override render() {
    return this.state.failed ? null : this.props.children;
  }
}

/** Page events that must not reach the portal's own row handlers (a click on a row may select or open it). */
export const CONTAINED_EVENTS = ['click', 'mousedown', 'pointerdown', 'keydown', 'keyup'];

export interface MountedHost<P> {
  /** The `<gdap-lens-badge>` element (detached once removed, or when mounting failed). */
  host: HTMLElement;
  /** Re-renders with new props and refreshes the host's attributes. Never throws. */
  update(props: P): void;
  /** Unmounts and detaches; later calls do nothing. */
  remove(): void;
  /** False once removed, also after a failure while mounting or rendering. */
  alive(): boolean;
}

export interface HostSpec<P> {
  /** Puts the styles into the shadow root (a {@link styleAdopter}). */
  addStyles(root: ShadowRoot): void;
  component: ComponentType<P>;
  display: 'inline-block' | 'block';
  /** Sets the fixed attributes; runs once, before the host is placed. */
  init(host: HTMLElement): void;
  /** Refreshes the attributes that follow the props; runs on every render. */
  attributes?(host: HTMLElement, props: P): void;
  /** Puts the host into the page. */
  place(host: HTMLElement): void;
  /**
   * Plain DOM exactly as the component first renders it: drawn instead of the component
   * until the first use, when the component hydrates it in place. For UI shown by the
   * thousand and rarely used (a grid's badges): no Preact tree, no listeners until then.
   */
  dormant?(props: P): Node;
}

const stop = (e: Event) => e.stopPropagation();

/** Hosts still plain DOM, with what wakes each. */
const sleeping = new WeakMap<EventTarget, () => void>();
/**
 * What comes before any use: the pointer reaching the host, focus, a press, a click or a key
 * (a click from assistive technology may come alone). Every contained event is one of these
 * or follows one, so a host only needs its own listeners once woken: woken while the event
 * is still on its way down, it has them by the time the event bubbles back up through it.
 */
const WAKING = ['mouseover', 'pointerdown', 'mousedown', 'touchstart', 'focusin', 'click', 'keydown'];
const listening = new WeakSet<Window>();

/**
 * One capturing listener per window for all sleeping hosts: it runs before the event reaches
 * the host, so the component it wakes (hydrated in place, keeping focus) handles that event.
 */
function listenForUse(win: Window): void {
  if (listening.has(win)) return;
  listening.add(win);
  const wake = (e: Event) => {
    for (const node of e.composedPath()) {
      const up = sleeping.get(node);
      if (up) return up();
    }
  };
  for (const type of WAKING) win.addEventListener(type, wake, { capture: true, passive: true });
}

/**
 * One `<gdap-lens-badge>` host with an open shadow root holding the styles and the Preact
 * component (or, with `dormant`, its plain DOM until first used). Never throws: on any
 * failure (while mounting, rendering or updating) the host removes itself and the page is
 * left as it was.
 */
export function mountShadowHost<P>(spec: HostSpec<P>, props: P): MountedHost<P> {
  const host = document.createElement(HOST_TAG);
  let container: HTMLElement | null = null;
  let current = props;
  let alive = true;
  let awake = !spec.dormant;

  const remove = () => {
    if (!alive) return;
    alive = false;
    sleeping.delete(host);
    try {
      if (awake && container) render(null, container);
    } catch {
      // The host goes anyway.
    }
    host.remove();
  };
  const tree = () => h(Guard, { onError: () => queueMicrotask(remove) }, h(spec.component as ComponentType<object>, current as object));
  const listen = () => {
    for (const type of CONTAINED_EVENTS) host.addEventListener(type, stop);
  };
  const wake = () => {
    if (!alive || awake || !container) return;
    awake = true;
    sleeping.delete(host);
    try {
      listen();
      hydrate(tree(), container);
    } catch {
      remove();
    }
  };
  const draw = () => {
    if (!alive || !container) return;
    try {
      spec.attributes?.(host, current);
      if (awake) render(tree(), container);
      else container.replaceChildren(spec.dormant!(current));
    } catch {
      remove();
    }
  };

  try {
    spec.init(host);
    host.style.setProperty('display', spec.display);
    const root = host.attachShadow({ mode: 'open' });
    spec.addStyles(root);
    container = document.createElement(spec.display === 'block' ? 'div' : 'span');
    root.append(container);
    if (awake) listen();
    else {
      const win = document.defaultView;
      if (win) listenForUse(win);
      sleeping.set(host, wake);
    }
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
    alive: () => alive,
  };
}
