/**
 * User settings (storage.local: nothing secret lives here). Validated on read, so a
 * corrupted or foreign value falls back to defaults instead of breaking the worker.
 */
import * as v from 'valibot';
import type { CloudId } from './graph/clouds';
import { GUID_RE, TENANT_RE } from './ids';
import type { KeyValueArea } from './storage-area';

export const SettingsSchema = v.object({
  cloud: v.optional(v.picklist(['global', 'usgov-l4', 'usgov-l5', 'china'] satisfies CloudId[]), 'global'),
  /** Application (client) ID of the partner's own Entra app registration; '' = not set. */
  clientId: v.optional(v.union([v.literal(''), v.pipe(v.string(), v.regex(GUID_RE))]), ''),
  tenant: v.optional(v.pipe(v.string(), v.regex(TENANT_RE)), 'organizations'),
  /** Background refresh interval; 0 turns periodic sync off. */
  syncIntervalHours: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(168)), 6),
  /** Desktop notifications before a relationship ends without auto-extend. */
  notifications: v.optional(v.boolean(), true),
});

export type Settings = v.InferOutput<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = v.parse(SettingsSchema, {});

const KEY = 'settings';

/** Reads settings; invalid fields fall back to their defaults one by one. */
export async function loadSettings(area: KeyValueArea): Promise<Settings> {
  const raw = await area.get(KEY);
  if (raw === null || typeof raw !== 'object') return { ...DEFAULT_SETTINGS };
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(SettingsSchema.entries)) {
    const r = v.safeParse(schema, (raw as Record<string, unknown>)[key]);
    out[key] = r.success ? r.output : DEFAULT_SETTINGS[key as keyof Settings];
  }
  return out as Settings;
}

/** Validates and stores a change; returns the saved settings or the invalid field names. */
export async function saveSettings(
  area: KeyValueArea,
  patch: Partial<Settings>,
): Promise<{ ok: true; settings: Settings } | { ok: false; invalid: string[] }> {
  const next = { ...(await loadSettings(area)), ...patch };
  const r = v.safeParse(SettingsSchema, next);
  if (!r.success) {
    const invalid = [...new Set(r.issues.map((i) => String(i.path?.[0]?.key ?? '')))].filter(Boolean);
    return { ok: false, invalid };
  }
  await area.set(KEY, r.output);
  return { ok: true, settings: r.output };
}
