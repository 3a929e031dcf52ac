import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { buildManifest } from './utils/manifest';

// Entry points stay thin; the manifest's contents live in utils/manifest.ts so that
// the audit tests can check exactly what ships.
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill', '@wxt-dev/i18n/module'],
  i18n: { localesDir: 'utils/i18n/locales' },
  manifestVersion: 3,
  manifest: ({ browser }) => buildManifest(browser),
  vite: () => ({
    plugins: [preact()],
  }),
});
