import { useMemo, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { ROLES, ROLE_PRESETS, roleName, roleRisk, type RolePresetId } from '@/utils/gdap/roles';
import { useId } from './shared';

const PRESET_LABEL_KEYS = {
  'default-gdap': 'popup2.preset.defaultGdap',
  'read-only': 'popup2.preset.readOnly',
  'support-tickets': 'popup2.preset.supportTickets',
  'helpdesk-lockout': 'popup2.preset.helpdeskLockout',
  exchange: 'popup2.preset.exchange',
  intune: 'popup2.preset.intune',
  teams: 'popup2.preset.teams',
  security: 'popup2.preset.security',
} as const satisfies Record<RolePresetId, string>;

const RISK_LABEL_KEYS = { high: 'acBadge.risk.high', medium: 'acBadge.risk.medium', low: 'acBadge.risk.low' } as const;

/** Catalog order, so that a set of ids always lists the same way. */
const ORDER: ReadonlyMap<string, number> = new Map(ROLES.map((r, i) => [r.id, i]));
export function sortRoleIds(ids: Iterable<string>): string[] {
  const unique = [...new Set([...ids].map((id) => id.toLowerCase()))];
  return unique.sort((a, b) => (ORDER.get(a) ?? Infinity) - (ORDER.get(b) ?? Infinity) || a.localeCompare(b));
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id) => b.includes(id));

export interface RolePickerProps {
  /** Lower-case role template ids. */
  value: readonly string[];
  onChange: (roleIds: string[]) => void;
  /** Id of the text under the field (error or hint), for aria-describedby. */
  describedBy?: string;
  invalid?: boolean;
}

/**
 * "Roles": the presets from the rules core (R26, R23, R17, R10, workloads), the chosen roles
 * with a remove button each, and a searchable list of all built-in roles with their risk.
 */
export function RolePicker({ value, onChange, describedBy, invalid }: RolePickerProps) {
  const [query, setQuery] = useState('');
  const legendId = useId('roles');
  const searchId = useId('role-search');
  const chosen = new Set(value);
  const q = query.trim().toLowerCase();
  const matches = useMemo(() => (q === '' ? ROLES : ROLES.filter((r) => r.name.toLowerCase().includes(q) || r.id === q)), [q]);
  const toggle = (id: string, on: boolean) => onChange(sortRoleIds(on ? [...value, id] : value.filter((v) => v !== id)));

  return (
    <fieldset class="roles" aria-labelledby={legendId} aria-describedby={describedBy} data-invalid={invalid ? 'true' : undefined}>
      <legend id={legendId}>{i18n.t('popup2.invite.roles')}</legend>
      <div class="presets" role="group" aria-label={i18n.t('popup2.invite.presets')}>
        {ROLE_PRESETS.map((p) => (
          <button
            type="button"
            key={p.id}
            class="chip"
            data-preset={p.id}
            aria-pressed={sameSet(value, sortRoleIds(p.roleIds)) ? 'true' : 'false'}
            onClick={() => onChange(sortRoleIds(p.roleIds))}
          >
            {i18n.t(PRESET_LABEL_KEYS[p.id])}
          </button>
        ))}
      </div>
      {value.length > 0 && (
        <>
          <p class="muted small">{i18n.t('popup2.invite.selectedCount', [value.length])}</p>
          <ul class="chosen">
            {value.map((id) => {
              const name = roleName(id) ?? id;
              return (
                <li key={id} data-role-id={id}>
                  <span class={`risk risk-${roleRisk(id)}`}>{name}</span>
                  <button type="button" class="remove" aria-label={i18n.t('popup2.invite.remove', [name])} title={i18n.t('popup2.invite.remove', [name])} onClick={() => toggle(id, false)}>
                    ×
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      )}
      <div class="field compact">
        <label for={searchId}>{i18n.t('popup2.invite.findRole')}</label>
        <input id={searchId} type="search" autocomplete="off" spellcheck={false} value={query} onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <ul class="role-list" data-testid="role-list">
        {matches.length === 0 && <li class="muted">{i18n.t('popup2.invite.noRoleMatch')}</li>}
        {matches.map((r) => {
          const risk = roleRisk(r.id);
          return (
            <li key={r.id}>
              <label>
                <input type="checkbox" value={r.id} checked={chosen.has(r.id)} onChange={(e) => toggle(r.id, (e.currentTarget as HTMLInputElement).checked)} />
                <span>{r.name}</span>
                {risk !== 'medium' && <span class={`tag risk-${risk}`}>{i18n.t(RISK_LABEL_KEYS[risk])}</span>}
              </label>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}
