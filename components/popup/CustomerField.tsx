import { useEffect, useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { CustomerChoice } from '@/utils/messaging/protocol';
import type { Api } from '../api';
import { GUID_RE as GUID } from '@/utils/ids';
import { useAlive, useDebounced, useId } from './shared';

export const isTenantId = (s: string) => GUID.test(s.trim());

/** What the Customer field holds. */
export type CustomerValue =
  /** Empty: a link any customer can accept (once, R29). */
  | { kind: 'none' }
  /** A customer from the cache. */
  | { kind: 'cached'; tenantId: string; displayName: string }
  /** A tenant ID typed in that the cache does not know. */
  | { kind: 'new'; tenantId: string }
  /** Text that is neither a picked customer nor a tenant ID. */
  | { kind: 'incomplete' };

type Option = { kind: 'cached'; choice: CustomerChoice } | { kind: 'new'; tenantId: string };

export interface CustomerFieldProps {
  api: Api;
  debounceMs: number;
  onChange: (value: CustomerValue) => void;
  /** An error from the last attempt, shown under the field. */
  error?: string | null;
  /** Id for the text under the field (hint or error); the form points the button at it. */
  messageId: string;
}

/**
 * "Customer": a combobox that searches the cached customers by name, domain or tenant ID as
 * the user types (debounced; nothing is loaded before), or takes a new tenant ID, or nothing.
 */
export function CustomerField({ api, debounceMs, onChange, error, messageId }: CustomerFieldProps) {
  const [text, setText] = useState('');
  const [picked, setPicked] = useState<CustomerChoice | null>(null);
  const [results, setResults] = useState<{ query: string; list: CustomerChoice[] } | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const inputId = useId('customer');
  const listId = useId('customer-list');
  const alive = useAlive();
  const seq = useRef(0);

  const query = text.trim();
  const settled = useDebounced(query, debounceMs);
  useEffect(() => {
    const mine = ++seq.current;
    if (picked || settled === '') {
      setResults(null);
      return;
    }
    api.send('searchCustomers', { query: settled.slice(0, 200), limit: 8 }).then(
      (list) => {
        if (!alive.current || mine !== seq.current) return;
        setResults({ query: settled, list: Array.isArray(list) ? list : [] });
        setOpen(true);
        setActive(-1);
      },
      () => undefined,
    );
  }, [settled, picked]);

  const list = results && results.query === query ? results.list : [];
  const guid = isTenantId(query) ? query.toLowerCase() : null;
  const known = guid ? list.find((c) => c.tenantId.toLowerCase() === guid) : undefined;
  const options: Option[] = [...list.map((choice) => ({ kind: 'cached' as const, choice })), ...(guid && !known ? [{ kind: 'new' as const, tenantId: guid }] : [])];
  const expanded = open && !picked && options.length > 0;

  const value: CustomerValue = picked
    ? { kind: 'cached', tenantId: picked.tenantId, displayName: picked.displayName }
    : query === ''
      ? { kind: 'none' }
      : known
        ? { kind: 'cached', tenantId: known.tenantId, displayName: known.displayName }
        : guid
          ? { kind: 'new', tenantId: guid }
          : { kind: 'incomplete' };
  const valueKey = JSON.stringify(value);
  useEffect(() => onChange(value), [valueKey]);

  const choose = (o: Option) => {
    if (o.kind === 'cached') {
      setPicked(o.choice);
      setText(o.choice.displayName);
    } else {
      setPicked(null);
      setText(o.tenantId);
    }
    setOpen(false);
    setActive(-1);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (options.length === 0) return;
      e.preventDefault();
      setOpen(true);
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (i + step + options.length) % options.length);
    } else if (e.key === 'Enter' && expanded && active >= 0) {
      e.preventDefault();
      const o = options[active];
      if (o) choose(o);
    } else if (e.key === 'Escape' && expanded) {
      e.preventDefault();
      setOpen(false);
    }
  };

  let hint: { text: string; cls: string };
  if (error) hint = { text: error, cls: 'error' };
  else if (value.kind === 'cached') hint = { text: i18n.t('popup2.invite.customerTenant', [value.tenantId]), cls: 'muted' };
  else if (value.kind === 'new') hint = { text: i18n.t('popup2.invite.customerNew', [value.tenantId]), cls: 'muted' };
  else if (value.kind === 'none') hint = { text: i18n.t('popup2.invite.customerAny'), cls: 'muted' };
  else if (results && results.query === query && list.length === 0) hint = { text: i18n.t('popup2.invite.customerNoMatch'), cls: 'warning' };
  else hint = { text: i18n.t('popup2.invite.customerIncomplete'), cls: 'warning' };

  return (
    <div class="field combo">
      <label for={inputId}>{i18n.t('popup2.invite.customer')}</label>
      <input
        id={inputId}
        type="text"
        role="combobox"
        autocomplete="off"
        spellcheck={false}
        maxLength={200}
        value={text}
        aria-autocomplete="list"
        aria-expanded={expanded ? 'true' : 'false'}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        aria-describedby={messageId}
        aria-invalid={error ? 'true' : 'false'}
        onInput={(e) => {
          setText((e.currentTarget as HTMLInputElement).value);
          setPicked(null);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
      />
      <ul id={listId} role="listbox" class="options" hidden={!expanded}>
        {expanded &&
          options.map((o, i) => (
            <li
              key={o.kind === 'cached' ? o.choice.tenantId : `new-${o.tenantId}`}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active ? 'true' : 'false'}
              class={i === active ? 'active' : undefined}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(o)}
            >
              {o.kind === 'cached' ? (
                <>
                  <span class="name">{o.choice.displayName}</span>
                  <span class="muted small">{o.choice.domains[0] ?? o.choice.tenantId}</span>
                </>
              ) : (
                <span>{i18n.t('popup2.invite.customerNew', [o.tenantId])}</span>
              )}
            </li>
          ))}
      </ul>
      <small id={messageId} class={hint.cls} role={error ? 'alert' : undefined}>
        {hint.text}
      </small>
      <small class="muted">{i18n.t('popup2.invite.customerHelp')}</small>
    </div>
  );
}
