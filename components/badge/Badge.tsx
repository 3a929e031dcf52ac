import { useEffect, useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { BadgeModel } from '@/utils/portals/badge-model';
import type { RelationshipView } from '@/utils/messaging/protocol';
import { Details, stateParts } from './Details';

export interface BadgeActionResult {
  ok: boolean;
  /** An i18n key (e.g. `action.error.globalAdmin`) explaining a failure. */
  messageKey?: string;
}

export interface BadgeProps {
  model: BadgeModel;
  /** The relationships the details list (one, or all of a customer's, R25). Called on each opening. */
  loadDetails: () => Promise<RelationshipView[]>;
  /** Without it the "Enable auto-extend" action is not offered. */
  onEnableAutoExtend?: (relationshipId: string) => Promise<BadgeActionResult>;
  /** The clock for the details; defaults to the current time. */
  now?: () => Date;
}

/** What the pill adds after the state, days and R16 warning: auto-extend, roles, relationships. */
export function extraParts(m: BadgeModel): string[] {
  const parts: string[] = [];
  if (m.autoExtend === 'off') parts.push(i18n.t('pcBadge.autoOff'));
  if (m.autoExtend === 'not-allowed') parts.push(i18n.t('pcBadge.autoNotAllowed'));
  const live = m.state === 'pending' || m.state === 'active' || m.state === 'expiring' || m.state === 'unknown';
  if (live && m.roleCount > 0) parts.push(i18n.t('pcBadge.roles', m.roleCount));
  if (m.relationshipCount > 1) parts.push(i18n.t('pcBadge.relationships', m.relationshipCount));
  return parts;
}

const showsNoGroup = (m: BadgeModel) => m.noSecurityGroup && (m.state === 'active' || m.state === 'expiring');

/** The button's accessible name: one sentence with the state and the days, as the pill reads. */
export function badgeLabel(m: BadgeModel): string {
  const parts = m.state === 'none' ? [i18n.t('pcBadge.noneLong')] : stateParts(m);
  if (m.state === 'expired' || m.state === 'terminated') parts.push(i18n.t('pcBadge.endedLong'));
  if (showsNoGroup(m)) parts.push(i18n.t('pcBadge.noGroup'));
  return i18n.t('pcBadge.label', [[...parts, ...extraParts(m)].join(', ')]);
}

const HOVER_MS = 300;

/** The inline badge: a pill that opens the details on hover, click, Enter or Space. */
export function Badge(props: BadgeProps) {
  const { model } = props;
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
    if (refocus) button.current?.focus();
  };
  const toggle = () => (open && pinned.current ? close() : show(true));
  const later = (action: () => void, ms: number) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(action, ms);
  };

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

  const release = () => setTimeout(() => (keyed.current = false));
  const noGroup = showsNoGroup(model);
  return (
    <span
      class="b"
      ref={root}
      // Hover opens after a short pause, so that sweeping over a grid does not flash popovers.
      onMouseEnter={() => (open ? clearTimeout(timer.current) : later(() => show(false), HOVER_MS))}
      onMouseLeave={() => {
        if (!pinned.current) later(() => setOpen(false), HOVER_MS);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.preventDefault();
          e.stopPropagation();
          close(true);
        }
      }}
      onFocusOut={(e) => {
        const next = e.relatedTarget as Node | null;
        if (open && next && root.current && !root.current.contains(next)) close();
      }}
    >
      <button
        ref={button}
        type="button"
        class={`p ${model.tone}`}
        aria-expanded={open}
        aria-haspopup="dialog"
        aria-controls={open ? 'd' : undefined}
        aria-label={badgeLabel(model)}
        onClick={() => {
          if (!keyed.current) toggle();
        }}
        // Enter and Space act on key down (the click they cause is then ignored), so the
        // badge answers the keyboard the same way in every browser.
        onKeyDown={(e) => {
          if (e.key !== 'Enter' && e.key !== ' ') return;
          e.preventDefault();
          if (!e.repeat) toggle();
          keyed.current = true;
          if (e.key === 'Enter') release();
        }}
        onKeyUp={(e) => {
          if (e.key === ' ') release();
        }}
      >
        {stateParts(model).map((text) => (
          <span class="x">{text}</span>
        ))}
        {noGroup && (
          <span class="x">
            <span aria-hidden="true">⚠ </span>
            {i18n.t('pcBadge.noGroup')}
          </span>
        )}
        {extraParts(model).map((text) => (
          <span class="x">{text}</span>
        ))}
      </button>
      {open && (
        <Details
          id="d"
          loadDetails={props.loadDetails}
          onEnableAutoExtend={props.onEnableAutoExtend}
          now={props.now ?? (() => new Date())}
          onClose={() => close(true)}
        />
      )}
    </span>
  );
}
