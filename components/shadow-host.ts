import { Component, h, hydrate, render, type ComponentChildren, type ComponentType } from 'preact';

/** The host tag of every GDAP Lens UI on a portal (utils/portals/dom.ts BADGE_HOST_TAG): page observers skip it. */
export const HOST_TAG = 'gdap-lens-badge';

/**
 * Returns a function that puts `css` into a shadow root: one constructable sheet shared by
 * every host, or a `<style>` where adopting fails (Firefox content scripts cannot adopt
 * sheets made in their own world).
 */
export function styleAdopter(css: string): (root: ShadowRoot) => void {
  let sheets: CSSStyleSheet[] | null | undefined;
  return (root) => {
    try {
      if (sheets === undefined) {
        sheets = null;
        const s = new CSSStyleSheet();
        s.replaceSync(css);
        sheets = [s];
      }
      if (sheets) {
        root.adoptedStyleSheets = sheets;
        return;
      }
    } catch {
      sheets = null;
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
 * A host drawn as plain DOM beforehand (see {@link sleepUntilUsed}): its shadow root holds
 * `container`, whose content is exactly what the component first renders, and which the
 * component hydrates in place.
 */
export interface DrawnHost {
  host: HTMLElement;
  container: HTMLElement;
}

const stop = (e: Event) => e.stopPropagation();

/** Hosts still plain DOM, and what wakes each. */
const sleeping = new WeakMap<EventTarget, { wake(): void }>();
/**
 * What comes before any use: the pointer reaching the host, focus, a press, a click or a key
 * (a click from assistive technology may come alone). Every contained event is one of these
 * or follows one, so a host only needs its own listeners once woken: woken while the event
 * is still on its way down, it has them by the time the event bubbles back up through it.
 */
const WAKING = ['mouseover', 'pointerdown', 'mousedown', 'touchstart', 'focusin', 'click', 'keydown'];
const listening = new WeakSet<Document>();

/**
 * For UI shown by the thousand and rarely used (a grid's badges): `host` stays plain DOM,
 * with no Preact tree and no listeners of its own, until its first use calls
 * `sleeper.wake()` (which hands it to the component, see {@link mountShadowHost}), or until
 * {@link forgetSleeper}.
 * One capturing listener per window (looked up once per document) serves every such host:
 * it runs before the event reaches the host, so the component it wakes (hydrated in place,
 * keeping focus) handles that event.
 */
export function sleepUntilUsed(host: HTMLElement, sleeper: { wake(): void }): void {
  sleeping.set(host, sleeper);
  const doc = document;
  if (listening.has(doc)) return;
  listening.add(doc);
  const win = doc.defaultView;
  if (!win) return;
  const onUse = (e: Event) => {
    for (const node of e.composedPath()) {
      const sleeper = sleeping.get(node);
      if (sleeper) {
        sleeping.delete(node);
        return sleeper.wake();
      }
    }
  };
  for (const type of WAKING) win.addEventListener(type, onUse, { capture: true, passive: true });
}

/** The host will not be woken (it was woken otherwise, or removed). */
export function forgetSleeper(host: HTMLElement): void {
  sleeping.delete(host);
}

const containerFor = (display: HostSpec<unknown>['display']): HTMLElement => document.createElement(display === 'block' ? 'div' : 'span');

/**
 * One mounted host. A class, not closures: its methods are shared rather than made for each.
 */
class ShadowHost<P> implements MountedHost<P> {
  readonly host: HTMLElement;
  readonly #spec: HostSpec<P>;
  #props: P;
  #container: HTMLElement | null = null;
  #live = true;

  constructor(spec: HostSpec<P>, props: P, drawn?: DrawnHost) {
    this.#spec = spec;
    this.#props = props;
    const host = (this.host = drawn?.host ?? document.createElement(HOST_TAG));
    try {
      if (drawn) this.#container = drawn.container;
      else {
        host.style.setProperty('display', spec.display);
        spec.init(host);
        const root = host.attachShadow({ mode: 'open' });
        this.#container = root.appendChild(containerFor(spec.display));
        spec.addStyles(root);
      }
      for (const type of CONTAINED_EVENTS) host.addEventListener(type, stop);
      this.#draw(!!drawn);
      if (this.#live && !drawn) spec.place(host);
    } catch {
      this.remove();
    }
  }

  #tree() {
    return h(Guard, { onError: () => queueMicrotask(() => this.remove()) }, h(this.#spec.component as ComponentType<object>, this.#props as object));
  }

  /** `hydrating`: the container already holds the component's first render. */
  #draw(hydrating = false): void {
    const container = this.#container;
    if (!this.#live || !container) return;
    try {
      this.#spec.attributes?.(this.host, this.#props);
      (hydrating ? hydrate : render)(this.#tree(), container);
    } catch {
      this.remove();
    }
  }

  update(next: P): void {
    this.#props = next;
    this.#draw();
  }

  remove(): void {
    if (!this.#live) return;
    this.#live = false;
    try {
      if (this.#container) render(null, this.#container);
    } catch {
      // The host goes anyway.
    }
    this.host.remove();
  }

  alive(): boolean {
    return this.#live;
  }
}

/**
 * One `<gdap-lens-badge>` host with an open shadow root holding the styles and the Preact
 * component; with `drawn`, the component takes over a host drawn beforehand (hydrating its
 * plain DOM in place). Never throws: on any failure (while mounting, rendering or
 * updating) the host removes itself and the page is left as it was.
 */
export function mountShadowHost<P>(spec: HostSpec<P>, props: P, drawn?: DrawnHost): MountedHost<P> {
  return new ShadowHost(spec, props, drawn);
}
