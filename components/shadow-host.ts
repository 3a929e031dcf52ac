import { Component, type ComponentChildren } from 'preact';

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
