import { Component, h, render, type ComponentChildren, type ComponentType } from 'preact';

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
}

/**
 * One `<gdap-lens-badge>` host with an open shadow root holding the styles and the Preact
 * component. Never throws: on any failure (while mounting, rendering or updating) the host
 * removes itself and the page is left as it was.
 */
export function mountShadowHost<P>(spec: HostSpec<P>, props: P): MountedHost<P> {
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
      render(h(Guard, { onError: () => queueMicrotask(remove) }, h(spec.component as ComponentType<object>, current as object)), container);
    } catch {
      remove();
    }
  };

  try {
    spec.init(host);
    host.style.setProperty('display', spec.display);
    for (const type of CONTAINED_EVENTS) host.addEventListener(type, (e) => e.stopPropagation());
    const root = host.attachShadow({ mode: 'open' });
    spec.addStyles(root);
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
    alive: () => alive,
  };
}

