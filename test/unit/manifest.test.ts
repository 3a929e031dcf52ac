import { describe, expect, it } from 'vitest';
import { buildManifest, HOST_PERMISSIONS, OPTIONAL_HOST_PERMISSIONS, PERMISSIONS } from '@/utils/manifest';
import { CLOUDS } from '@/utils/graph/clouds';

const MICROSOFT_HOST = /^https:\/\/(login\.microsoftonline\.(com|us)|graph\.microsoft\.(com|us)|dod-graph\.microsoft\.us|login\.chinacloudapi\.cn|microsoftgraph\.chinacloudapi\.cn)\/\*$/;

describe('manifest fields we own', () => {
  for (const browser of ['chrome', 'edge', 'firefox']) {
    it(`${browser}: exactly storage, identity, alarms, notifications`, () => {
      const m = buildManifest(browser);
      expect([...m.permissions].sort()).toEqual(['alarms', 'identity', 'notifications', 'storage']);
      expect(m.name).toBe('GDAP Lens');
      expect(m.default_locale).toBe('en');
    });
  }

  it('grants only the global cloud at install, other clouds are optional', () => {
    expect(HOST_PERMISSIONS).toEqual(['https://login.microsoftonline.com/*', 'https://graph.microsoft.com/*']);
    expect(OPTIONAL_HOST_PERMISSIONS).toHaveLength(5);
    for (const p of [...HOST_PERMISSIONS, ...OPTIONAL_HOST_PERMISSIONS]) expect(p).toMatch(MICROSOFT_HOST);
    for (const cloud of Object.values(CLOUDS)) {
      expect([...HOST_PERMISSIONS, ...OPTIONAL_HOST_PERMISSIONS]).toContain(`${cloud.graph}/*`);
      expect([...HOST_PERMISSIONS, ...OPTIONAL_HOST_PERMISSIONS]).toContain(`${cloud.authority}/*`);
    }
  });

  it('never asks for tabs, <all_urls> or a local host', () => {
    const text = JSON.stringify(buildManifest('chrome'));
    expect(PERMISSIONS).not.toContain('tabs');
    expect(text).not.toMatch(/<all_urls>|\*:\/\/\*|127\.0\.0\.1|localhost/);
  });

  it('gives Firefox a stable add-on id, and no other browser', () => {
    expect(buildManifest('firefox')).toHaveProperty('browser_specific_settings.gecko.id');
    expect(buildManifest('chrome')).not.toHaveProperty('browser_specific_settings');
  });
});
