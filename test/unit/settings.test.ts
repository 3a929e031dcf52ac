import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, loadSettings, saveSettings } from '@/utils/settings';
import { isGuid, TENANT_RE } from '@/utils/ids';
import { memoryArea } from '@/utils/storage-area';

const CLIENT = '3c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5';

describe('identifier shapes', () => {
  it.each([
    [CLIENT, true],
    [CLIENT.toUpperCase(), true],
    [`${CLIENT}x`, false],
    [` ${CLIENT}`, false],
    ['not-a-guid', false],
    [42, false],
  ])('isGuid(%j) is %s', (value, expected) => expect(isGuid(value)).toBe(expected));

  it.each([
    ['organizations', true],
    ['common', true],
    [CLIENT, true],
    ['contoso.onmicrosoft.com', true],
    ['contoso', false],
    ['../etc', false],
    ['a b.com', false],
  ])('tenant %j valid: %s', (value, expected) => expect(TENANT_RE.test(value)).toBe(expected));
});

describe('settings', () => {
  it('defaults when nothing or something foreign is stored', async () => {
    expect(await loadSettings(memoryArea())).toEqual(DEFAULT_SETTINGS);
    expect(await loadSettings(memoryArea({ settings: 'garbage' }))).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS).toMatchObject({ cloud: 'global', clientId: '', tenant: 'organizations', syncIntervalHours: 6, notifications: true });
  });

  it('a corrupted field falls back to its default alone; the others are kept', async () => {
    const area = memoryArea({ settings: { cloud: 'mars', clientId: CLIENT, tenant: 'contoso.onmicrosoft.com', syncIntervalHours: -3, notifications: false } });
    expect(await loadSettings(area)).toEqual({ cloud: 'global', clientId: CLIENT, tenant: 'contoso.onmicrosoft.com', syncIntervalHours: 6, notifications: false });
  });

  it('saves a valid change, refuses an invalid one and names the field, leaving storage as it was', async () => {
    const area = memoryArea();
    expect(await saveSettings(area, { clientId: CLIENT, syncIntervalHours: 12 })).toMatchObject({ ok: true, settings: { clientId: CLIENT, syncIntervalHours: 12 } });
    expect(await saveSettings(area, { clientId: 'nope', tenant: 'bad tenant' })).toEqual({ ok: false, invalid: ['clientId', 'tenant'] });
    expect(await loadSettings(area)).toMatchObject({ clientId: CLIENT, tenant: 'organizations', syncIntervalHours: 12 });
  });
});
