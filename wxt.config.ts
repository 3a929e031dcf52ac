import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { buildManifest } from './utils/manifest';
import { fileURLToPath } from 'node:url';
import { slimContentScriptBuild } from './utils/build-config';

const CONTEXT_SHIM = fileURLToPath(new URL('./utils/portals/script-context.ts', import.meta.url));

// Entry points stay thin; the manifest's contents live in utils/manifest.ts so that
// the audit tests can check exactly what ships.
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill', '@wxt-dev/i18n/module'],
  i18n: { localesDir: 'utils/i18n/locales' },
  manifestVersion: 3,
  manifest: ({ browser }) => buildManifest(browser),
  hooks: {
    // Content scripts run on every portal page: see utils/build-config.ts for why they
    // are built without the polyfill and minified harder.
    'vite:build:extendConfig': (entrypoints, config) => slimContentScriptBuild(entrypoints, config, CONTEXT_SHIM),
  },
  vite: () => ({
    plugins: [preact()],
  }),
});
