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
  /** Sets the fixed attributes; runs once, before the host is placed (with `dormant`, once on the host every host is copied from). */
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
  dormant?: Dormant<P>;
}

/** A component's first render as plain DOM: a fixed part, cloned per host, then filled in. */
export interface Dormant<P> {
  /** The fixed part (built once per document). */
  build(doc: Document): Node;
  /** Fills a copy of it in for `props` (also when the props change before first use). */
  fill(node: Node, props: P): void;
}

const stop = (e: Event) => e.stopPropagation();

/** Hosts still plain DOM, and their mounts. */
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
 * One capturing listener per window (per document: a grid's thousand hosts need not ask
 * for its window) for all sleeping hosts: it runs before the event reaches the host, so the
 * component it wakes (hydrated in place, keeping focus) handles that event.
 */
function listenForUse(doc: Document): void {
  if (listening.has(doc)) return;
  listening.add(doc);
  const win = doc.defaultView;
  if (!win) return;
  const wake = (e: Event) => {
    for (const node of e.composedPath()) {
      const mount = sleeping.get(node);
      if (mount) return mount.wake();
    }
  };
  for (const type of WAKING) win.addEventListener(type, wake, { capture: true, passive: true });
}

/** An empty host with its display set. */
function bareHost(display: HostSpec<unknown>['display']): HTMLElement {
  const host = document.createElement(HOST_TAG);
  host.style.setProperty('display', display);
  return host;
}

/**
 * For a dormant spec, a whole host to clone: its display and fixed attributes, a shadow root
 * (clonable) and the container holding the fixed part. One native copy then stands for a
 * dozen calls per host. The styles are put in too, which makes the shared sheet now; copies
 * do not take them along (adopted sheets are not copied), each gets them when mounted.
 */
const prototypes = new WeakMap<HostSpec<never>, HTMLElement>();
function prototypeHost<P>(spec: HostSpec<P>, dormant: Dormant<P>): HTMLElement {
  const key = spec as unknown as HostSpec<never>;
  let proto = prototypes.get(key);
  if (!proto || proto.ownerDocument !== document) {
    proto = bareHost(spec.display);
    spec.init(proto);
    const root = proto.attachShadow({ mode: 'open', clonable: true } as ShadowRootInit);
    root.appendChild(containerFor(spec.display)).append(dormant.build(document));
    spec.addStyles(root);
    prototypes.set(key, proto);
  }
  return proto;
}

const containerFor = (display: HostSpec<unknown>['display']): HTMLElement => document.createElement(display === 'block' ? 'div' : 'span');

/**
 * One mounted host. A class, not closures: a grid mounts a thousand, and its methods are
 * shared rather than made for each.
 */
class ShadowHost<P> implements MountedHost<P> {
  readonly host: HTMLElement;
  readonly #spec: HostSpec<P>;
  #props: P;
  #container: HTMLElement | null = null;
  #live = true;
  #awake: boolean;

  constructor(spec: HostSpec<P>, props: P) {
    this.#spec = spec;
    this.#props = props;
    this.#awake = !spec.dormant;
    const { dormant } = spec;
    let host: HTMLElement;
    let root: ShadowRoot | null = null;
    if (dormant) {
      host = prototypeHost(spec, dormant).cloneNode(true) as HTMLElement;
      // A browser without clonable shadow roots copies the host alone: what is missing is built below.
      root = host.shadowRoot;
      this.#container = root?.firstChild as HTMLElement | null;
    } else host = bareHost(spec.display);
    this.host = host;
    try {
      if (!dormant) spec.init(host);
      if (!root || !this.#container) {
        root ??= host.attachShadow({ mode: 'open' });
        root.replaceChildren();
        this.#container = root.appendChild(containerFor(spec.display));
        if (dormant) this.#container.append(dormant.build(document));
      }
      spec.addStyles(root);
      if (this.#awake) this.#listen();
      else {
        listenForUse(document);
        sleeping.set(host, this);
      }
      this.#draw();
      if (this.#live) spec.place(host);
    } catch {
      this.remove();
    }
  }

  #tree() {
    return h(Guard, { onError: () => queueMicrotask(() => this.remove()) }, h(this.#spec.component as ComponentType<object>, this.#props as object));
  }

  #listen(): void {
    for (const type of CONTAINED_EVENTS) this.host.addEventListener(type, stop);
  }

  /** Hands a sleeping host's plain DOM to the component (the first use). */
  wake(): void {
    if (!this.#live || this.#awake || !this.#container) return;
    this.#awake = true;
    sleeping.delete(this.host);
    try {
      this.#listen();
      hydrate(this.#tree(), this.#container);
    } catch {
      this.remove();
    }
  }

  #draw(): void {
    const container = this.#container;
    const spec = this.#spec;
    if (!this.#live || !container) return;
    try {
      spec.attributes?.(this.host, this.#props);
      if (this.#awake) render(this.#tree(), container);
      else spec.dormant!.fill(container.firstChild!, this.#props);
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
    sleeping.delete(this.host);
    try {
      if (this.#awake && this.#container) render(null, this.#container);
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
 * component (or, with `dormant`, its plain DOM until first used). Never throws: on any
 * failure (while mounting, rendering or updating) the host removes itself and the page is
 * left as it was.
 */
export function mountShadowHost<P>(spec: HostSpec<P>, props: P): MountedHost<P> {
  return new ShadowHost(spec, props);
}
