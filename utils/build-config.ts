/**
 * How content scripts are built (wxt.config.ts calls this for every build step).
 *
 * Content scripts are injected into every Partner Center and admin center page, so each
 * byte is paid on every page load (budget: 15 KB gzip each). Two choices keep them small:
 *
 * - **No webextension-polyfill in content scripts.** The polyfill stays the `browser` of
 *   the background, popup and options page (through @wxt-dev/webextension-polyfill). A
 *   content script only uses what needs no promise wrapping in any MV3 browser we ship to:
 *   events (`storage.onChanged`), synchronous calls (`i18n.getMessage`, `runtime.id`) and
 *   messaging, which @webext-core/messaging sends through the callback API itself. There,
 *   `wxt/browser` resolves to WXT's own `browser` (the native `browser` in Firefox,
 *   `chrome` in Chromium), which saves about 3 KB gzip per script.
 * - **No WXT content-script context.** WXT's wrapper builds a ContentScriptContext for
 *   `main(ctx)`; the content scripts live by their own lifetime (utils/portals/lifetime.ts)
 *   and never use it, so the wrapper gets a one-line stand-in
 *   (utils/portals/script-context.ts): about 1.2 KB gzip per script.
 * - **Terser** with two compress passes instead of esbuild's minifier (about 4% smaller).
 *
 * A build test (test/e2e/built-manifests.test.ts) checks that the polyfill is absent from
 * the content scripts and present in the background.
 */
import type { InlineConfig } from 'vite';

/** The part of WXT's entrypoint this needs. */
interface EntrypointLike {
  type: string;
}

export const POLYFILL_ALIAS = 'wxt/browser';
/** What WXT's content-script wrapper imports its context from. */
export const CONTEXT_MODULE = 'wxt/utils/content-script-context';

/**
 * Adjusts `config` in place when every entrypoint of the step is a content script.
 * `contextShim` is the file that stands in for WXT's context (utils/portals/script-context.ts).
 */
export function slimContentScriptBuild(entrypoints: readonly EntrypointLike[], config: InlineConfig, contextShim: string): void {
  if (entrypoints.length === 0 || !entrypoints.every((e) => e.type === 'content-script')) return;
  const alias = config.resolve?.alias;
  if (Array.isArray(alias)) {
    const i = alias.findIndex((a: { find: unknown }) => a.find === POLYFILL_ALIAS);
    if (i >= 0) alias.splice(i, 1);
    alias.unshift({ find: CONTEXT_MODULE, replacement: contextShim });
  } else if (alias && typeof alias === 'object') {
    delete (alias as Record<string, string>)[POLYFILL_ALIAS];
    (alias as Record<string, string>)[CONTEXT_MODULE] = contextShim;
  } else {
    config.resolve = { ...config.resolve, alias: { [CONTEXT_MODULE]: contextShim } };
  }
  config.build = {
    ...config.build,
    minify: 'terser',
    terserOptions: { compress: { passes: 2 }, ecma: 2020 },
  };
}
