/** @jsxRuntime classic */
/** @jsx h */
// Classic JSX (Preact's `h`): content scripts then carry no JSX runtime of their own.
import { h } from 'preact';
import { fromTexts, t } from '../text';
import { Popover } from '../popover';
import type { BadgeDetails } from '@/utils/portals/badge-model';
import type { Pill } from '@/utils/portals/pill';
import { Details, stateParts } from './Details';

export interface BadgeActionResult {
  ok: boolean;
  /** An i18n key (e.g. `action.error.globalAdmin`) explaining a failure. */
  messageKey?: string;
}

export interface BadgeProps {
  model: Pill;
  /** The relationships the details list (one, or all of a customer's, R25). Called on each opening. */
  loadDetails: () => Promise<BadgeDetails | null>;
  /** Without it the "Enable auto-extend" action is not offered. */
  onEnableAutoExtend?: (relationshipId: string) => Promise<BadgeActionResult>;
}

/** What the pill adds after the state, days and R16 warning: auto-extend, roles, relationships. */
export function extraParts(m: Pill): string[] {
  const parts: string[] = [];
  if (m.autoExtend === 'off') parts.push(t('pcBadge.autoOff'));
  if (m.autoExtend === 'not-allowed') parts.push(t('pcBadge.autoNotAllowed'));
  const live = m.state === 'pending' || m.state === 'active' || m.state === 'expiring' || m.state === 'unknown';
  if (live && m.roleCount > 0) parts.push(t('pcBadge.roles', m.roleCount));
  if (m.relationshipCount > 1) parts.push(t('pcBadge.relationships', m.relationshipCount));
  return parts;
}

const showsNoGroup = (m: Pill) => m.noSecurityGroup && (m.state === 'active' || m.state === 'expiring');

/** The button's accessible name: one sentence with the state and the days, as the pill reads. */
function labelFrom(m: Pill, state: readonly string[], extra: readonly string[]): string {
  const parts = m.state === 'none' ? [t('pcBadge.noneLong')] : [...state];
  if (m.state === 'expired' || m.state === 'terminated') parts.push(t('pcBadge.endedLong'));
  if (showsNoGroup(m)) parts.push(t('pcBadge.noGroup'));
  return t('pcBadge.label', [[...parts, ...extra].join(', ')]);
}

/** Stands for the number of days in a pill's words made once per plural form (never in a message). */
const DAYS = '\u0002';

/** What the pill shows: its colour, its accessible sentence and its visible words. */
export interface PillText {
  tone: Pill['tone'];
  label: string;
  /** The parts, joined by " · "; the R16 part begins with a warning sign. */
  text: string;
}

/**
 * What tells pills' words apart, but for the number of days: pills of one kind show the same
 * words, made once per plural form of the days with a mark where the number goes.
 */
export function wordsKind(m: Pill): string {
  const d = m.daysLeft;
  const form = d === null ? 'n' : d === 0 || d === 1 ? d : 2;
  return `${m.state}|${form}|${m.autoExtend}|${m.roleCount}|${m.noSecurityGroup}|${m.tone}|${m.relationshipCount}`;
}

/** A kind's words (see {@link wordsKind}), split where the number of days goes. */
function kindWords(m: Pill): { tone: Pill['tone']; label: string[]; text: string[] } {
  const w = pillWords(m, DAYS);
  return { tone: w.tone, label: w.label.split(DAYS), text: w.text.split(DAYS) };
}

/**
 * The pill's words. Those of each kind of pill (see {@link wordsKind}) are made once on a page
 * (a grid repeats them a lot); a pill then only puts its number of days in.
 */
export function pillText(m: Pill): PillText {
  const w = fromTexts(`pill:${wordsKind(m)}`, kindWords, m);
  const n = String(m.daysLeft);
  return { tone: w.tone, label: w.label.join(n), text: w.text.join(n) };
}

/** A pill's words composed directly (`shown`: what stands for the days; default the number). */
export function pillWords(m: Pill, shown?: string): PillText {
  const state = stateParts(m, shown);
  const extra = extraParts(m);
  const parts = [...state, ...(showsNoGroup(m) ? [`⚠ ${t('pcBadge.noGroup')}`] : []), ...extra];
  return { tone: m.tone, label: labelFrom(m, state, extra), text: parts.join(' · ') };
}

/**
 * The closed pill without Preact: the same elements and attributes the Badge below renders
 * while closed (a unit test holds the two together), so that a grid's thousand badges are
 * plain DOM until someone points at one; then Preact hydrates that one in place. Two
 * elements and a text: each node more is paid a thousand times, in building and in layout.
 * This is its fixed part, what every closed pill shares; {@link fillPill} writes the rest.
 */
export function pillSkeleton(doc: Document): HTMLElement {
  const root = doc.createElement('span');
  root.className = 'b';
  const button = doc.createElement('button');
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-haspopup', 'dialog');
  button.setAttribute('type', 'button');
  root.append(button);
  return root;
}

/** Writes a pill's words and colour into a copy of {@link pillSkeleton}. */
export function fillPill(root: Node, p: PillText): void {
  const button = root.firstChild as HTMLElement;
  button.className = `p ${p.tone}`;
  button.setAttribute('aria-label', p.label);
  button.textContent = p.text;
}

/** The inline badge: a pill that opens the details on hover, click, Enter or Space. */
export class Badge extends Popover<BadgeProps> {
  override render() {
    const pill = pillText(this.props.model);
    return (
      <span class="b" {...this.rootProps()}>
        <button {...this.buttonProps()} type="button" class={`p ${pill.tone}`} aria-label={pill.label}>
          {pill.text}
        </button>
        {this.state.open && (
          <Details
            id="d"
            loadDetails={this.props.loadDetails}
            onEnableAutoExtend={this.props.onEnableAutoExtend}
            onClose={() => this.close(true)}
          />
        )}
      </span>
    );
  }
}
