import { Component, createRef } from 'preact';

/** Hover opens after a short pause, so that sweeping over a grid does not flash popovers. */
export const HOVER_MS = 300;

export interface PopoverState {
  open: boolean;
}

/**
 * The disclosure behaviour shared by every inline badge: hover opens (after a pause) and
 * leaving closes; click, Enter or Space pins it open (Enter and Space act on key down, and
 * the click they cause is ignored, so every browser answers the keyboard alike); Escape
 * closes and gives focus back to the button; focus leaving the badge or a press elsewhere
 * on the page closes it. A subclass renders `this.rootProps()` on its wrapper and
 * `this.buttonProps()` on its button, and reads `this.state.open`.
 *
 * A class rather than hooks: content scripts then carry no hooks runtime (about 1 KB gzip
 * of a 15 KB budget).
 */
export abstract class Popover<P, S extends PopoverState = PopoverState> extends Component<P, S> {
  /** Keyboard focus on the button opens the popover too (the admin center's badge). */
  protected openOnFocus = false;
  #pinned = false;
  #keyed = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #root = createRef<HTMLSpanElement>();
  readonly #button = createRef<HTMLButtonElement>();
  #listening = false;

  constructor(props: P) {
    super(props);
    this.state = { open: false } as S;
  }

  // A pinned popover closes on a press anywhere else on the page.
  readonly #outside = (e: Event) => {
    if (this.#root.current && !e.composedPath().includes(this.#root.current)) this.close();
  };

  #setOpen(open: boolean): void {
    this.setState({ open } as Partial<S> as S);
  }

  #show(pin: boolean): void {
    clearTimeout(this.#timer);
    this.#pinned = pin || this.#pinned;
    this.#setOpen(true);
  }

  protected close(refocus = false): void {
    clearTimeout(this.#timer);
    this.#pinned = false;
    this.#setOpen(false);
    // A focus handler sees `open` still true here, so giving focus back does not reopen.
    if (refocus) this.#button.current?.focus();
  }

  #toggle(): void {
    if (this.state.open && this.#pinned) this.close();
    else this.#show(true);
  }

  #later(action: () => void, ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(action, ms);
  }

  #release(): void {
    setTimeout(() => (this.#keyed = false));
  }

  override componentDidUpdate(): void {
    const want = this.state.open;
    if (want === this.#listening) return;
    this.#listening = want;
    if (want) document.addEventListener('pointerdown', this.#outside, true);
    else document.removeEventListener('pointerdown', this.#outside, true);
  }

  override componentWillUnmount(): void {
    clearTimeout(this.#timer);
    document.removeEventListener('pointerdown', this.#outside, true);
  }

  protected rootProps() {
    return {
      ref: this.#root,
      onMouseEnter: () => (this.state.open ? clearTimeout(this.#timer) : this.#later(() => this.#show(false), HOVER_MS)),
      onMouseLeave: () => {
        if (!this.#pinned) this.#later(() => this.#setOpen(false), HOVER_MS);
      },
      onKeyDown: (e: KeyboardEvent) => {
        if (e.key === 'Escape' && this.state.open) {
          e.preventDefault();
          e.stopPropagation();
          this.close(true);
        }
      },
      // Focus moving out of the badge (Tab past the popover) closes it.
      onFocusOut: (e: FocusEvent) => {
        const next = e.relatedTarget as Node | null;
        if (this.state.open && next && this.#root.current && !this.#root.current.contains(next)) this.close();
      },
    };
  }

  protected buttonProps() {
    const open = this.state.open;
    return {
      ref: this.#button,
      'aria-expanded': open,
      'aria-haspopup': 'dialog' as const,
      'aria-controls': open ? 'd' : undefined,
      onClick: () => {
        if (!this.#keyed) this.#toggle();
      },
      onKeyDown: (e: KeyboardEvent) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        e.preventDefault();
        if (!e.repeat) this.#toggle();
        this.#keyed = true;
        // Enter's click follows at once; Space's on key up.
        if (e.key === 'Enter') this.#release();
      },
      onKeyUp: (e: KeyboardEvent) => {
        if (e.key === ' ') this.#release();
      },
      ...(this.openOnFocus
        ? {
            onFocus: () => {
              if (!this.state.open) this.#show(false);
            },
          }
        : {}),
    };
  }
}
