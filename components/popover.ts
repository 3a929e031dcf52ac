import { useEffect, useRef, useState } from 'preact/hooks';

/** Hover opens after a short pause, so that sweeping over a grid does not flash popovers. */
export const HOVER_MS = 300;

/**
 * The disclosure behaviour shared by every inline badge: hover opens (after a pause) and
 * leaving closes; click, Enter or Space pins it open (Enter and Space act on key down, and
 * the click they cause is ignored, so every browser answers the keyboard alike); Escape
 * closes and gives focus back to the button; focus leaving the badge or a press elsewhere
 * on the page closes it. Spread `rootProps` on the wrapper and `buttonProps` on the button.
 */
export function usePopover(options: { openOnFocus?: boolean } = {}) {
  const [open, setOpen] = useState(false);
  const pinned = useRef(false);
  const keyed = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const root = useRef<HTMLSpanElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  const show = (pin: boolean) => {
    clearTimeout(timer.current);
    pinned.current = pin || pinned.current;
    setOpen(true);
  };
  const close = (refocus = false) => {
    clearTimeout(timer.current);
    pinned.current = false;
    setOpen(false);
    // A focus handler sees `open` still true here, so giving focus back does not reopen.
    if (refocus) button.current?.focus();
  };
  const toggle = () => (open && pinned.current ? close() : show(true));
  const later = (action: () => void, ms: number) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(action, ms);
  };
  const release = () => setTimeout(() => (keyed.current = false));

  // A pinned popover closes on a press anywhere else on the page.
  useEffect(() => {
    if (!open) return;
    const outside = (e: Event) => {
      if (root.current && !e.composedPath().includes(root.current)) close();
    };
    document.addEventListener('pointerdown', outside, true);
    return () => document.removeEventListener('pointerdown', outside, true);
  }, [open]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const rootProps = {
    ref: root,
    onMouseEnter: () => (open ? clearTimeout(timer.current) : later(() => show(false), HOVER_MS)),
    onMouseLeave: () => {
      if (!pinned.current) later(() => setOpen(false), HOVER_MS);
    },
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key === 'Escape' && open) {
        e.preventDefault();
        e.stopPropagation();
        close(true);
      }
    },
    onFocusOut: (e: FocusEvent) => {
      const next = e.relatedTarget as Node | null;
      if (open && next && root.current && !root.current.contains(next)) close();
    },
  };
  const buttonProps = {
    ref: button,
    'aria-expanded': open,
    'aria-haspopup': 'dialog' as const,
    'aria-controls': open ? 'd' : undefined,
    onClick: () => {
      if (!keyed.current) toggle();
    },
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      if (!e.repeat) toggle();
      keyed.current = true;
      if (e.key === 'Enter') release();
    },
    onKeyUp: (e: KeyboardEvent) => {
      if (e.key === ' ') release();
    },
    ...(options.openOnFocus
      ? {
          onFocus: () => {
            if (!open) show(false);
          },
        }
      : {}),
  };
  return { open, close, rootProps, buttonProps };
}
