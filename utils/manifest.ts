import { CLOUDS, DEFAULT_CLOUD, cloudHostPatterns } from './graph/clouds';

export type TargetBrowser = string;

/** Exactly the API permissions the product uses; audited by test/unit/manifest.test.ts. */
export const PERMISSIONS = ['storage', 'identity', 'alarms', 'notifications'] as const;

/** The default (global) cloud's sign-in and Graph hosts; granted at install. */
export const HOST_PERMISSIONS = cloudHostPatterns(CLOUDS[DEFAULT_CLOUD]);

/** Other clouds' hosts, requested at run time when the user picks that cloud. */
export const OPTIONAL_HOST_PERMISSIONS = [
  ...new Set(
    Object.values(CLOUDS)
      .filter((c) => c.id !== DEFAULT_CLOUD)
      .flatMap(cloudHostPatterns),
  ),
];

/** Stable Firefox add-on ID, required by Firefox for storage and identity in MV3. */
export const GECKO_ID = 'gdap-lens@gdaplens.app';

/**
 * The manifest fields we own. WXT adds the entry points (background, popup, options,
 * content scripts with their match patterns) from entrypoints/.
 */
export function buildManifest(browser: TargetBrowser) {
  return {
    name: 'GDAP Lens',
    short_name: 'GDAP Lens',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: [...PERMISSIONS],
    host_permissions: [...HOST_PERMISSIONS],
    optional_host_permissions: [...OPTIONAL_HOST_PERMISSIONS],
    action: { default_title: '__MSG_actionTitle__' },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: GECKO_ID,
              strict_min_version: '140.0',
              // Nothing is sent to us or to third parties: only the user's own calls to Microsoft.
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  };
}
