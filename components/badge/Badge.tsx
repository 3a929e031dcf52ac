import { t } from '../text';
import { Popover } from '../popover';
import type { BadgeDetails, BadgeModel } from '@/utils/portals/badge-model';
import { Details, stateParts } from './Details';

export interface BadgeActionResult {
  ok: boolean;
  /** An i18n key (e.g. `action.error.globalAdmin`) explaining a failure. */
  messageKey?: string;
}

export interface BadgeProps {
  model: BadgeModel;
  /** The relationships the details list (one, or all of a customer's, R25). Called on each opening. */
  loadDetails: () => Promise<BadgeDetails | null>;
  /** Without it the "Enable auto-extend" action is not offered. */
  onEnableAutoExtend?: (relationshipId: string) => Promise<BadgeActionResult>;
}

/** What the pill adds after the state, days and R16 warning: auto-extend, roles, relationships. */
export function extraParts(m: BadgeModel): string[] {
  const parts: string[] = [];
  if (m.autoExtend === 'off') parts.push(t('pcBadge.autoOff'));
  if (m.autoExtend === 'not-allowed') parts.push(t('pcBadge.autoNotAllowed'));
  const live = m.state === 'pending' || m.state === 'active' || m.state === 'expiring' || m.state === 'unknown';
  if (live && m.roleCount > 0) parts.push(t('pcBadge.roles', m.roleCount));
  if (m.relationshipCount > 1) parts.push(t('pcBadge.relationships', m.relationshipCount));
  return parts;
}

const showsNoGroup = (m: BadgeModel) => m.noSecurityGroup && (m.state === 'active' || m.state === 'expiring');

/** The button's accessible name: one sentence with the state and the days, as the pill reads. */
export function badgeLabel(m: BadgeModel): string {
  const parts = m.state === 'none' ? [t('pcBadge.noneLong')] : stateParts(m);
  if (m.state === 'expired' || m.state === 'terminated') parts.push(t('pcBadge.endedLong'));
  if (showsNoGroup(m)) parts.push(t('pcBadge.noGroup'));
  return t('pcBadge.label', [[...parts, ...extraParts(m)].join(', ')]);
}

/** The inline badge: a pill that opens the details on hover, click, Enter or Space. */
export class Badge extends Popover<BadgeProps> {
  override render() {
    const { model } = this.props;
    const noGroup = showsNoGroup(model);
    return (
      <span class="b" {...this.rootProps()}>
        <button {...this.buttonProps()} type="button" class={`p ${model.tone}`} aria-label={badgeLabel(model)}>
          {stateParts(model).map((text) => (
            <span class="x">{text}</span>
          ))}
          {noGroup && (
            <span class="x">
              <span aria-hidden="true">⚠ </span>
              {t('pcBadge.noGroup')}
            </span>
          )}
          {extraParts(model).map((text) => (
            <span class="x">{text}</span>
          ))}
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
