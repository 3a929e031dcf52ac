import { describe, expect, it } from 'vitest';
import type { InlineConfig } from 'vite';
import { CONTEXT_MODULE, POLYFILL_ALIAS, slimContentScriptBuild } from '@/utils/build-config';

const SHIM = '/repo/utils/portals/script-context.ts';

const POLYFILL = '@wxt-dev/webextension-polyfill/browser';
const config = (alias: InlineConfig['resolve'] extends infer R ? (R extends { alias?: infer A } ? A : never) : never): InlineConfig => ({
  resolve: { alias },
  build: { sourcemap: false },
});

describe('content-script build steps (utils/build-config.ts)', () => {
  it('drop the polyfill alias and minify with terser, keeping the rest of the build options', () => {
    const c = config({ [POLYFILL_ALIAS]: POLYFILL, other: '/x' });
    slimContentScriptBuild([{ type: 'content-script' }], c, SHIM);
    expect(c.resolve?.alias).toEqual({ other: '/x', [CONTEXT_MODULE]: SHIM });
    expect(c.build).toMatchObject({ minify: 'terser', sourcemap: false });
  });

  it('also handle the array form of aliases', () => {
    const c = config([
      { find: POLYFILL_ALIAS, replacement: POLYFILL },
      { find: 'other', replacement: '/x' },
    ]);
    slimContentScriptBuild([{ type: 'content-script' }, { type: 'content-script' }], c, SHIM);
    expect(c.resolve?.alias).toEqual([
      { find: CONTEXT_MODULE, replacement: SHIM },
      { find: 'other', replacement: '/x' },
    ]);
  });

  it('leave the background, popup and options build (and a mixed or empty step) alone', () => {
    for (const step of [[{ type: 'background' }, { type: 'popup' }], [{ type: 'content-script' }, { type: 'options' }], []]) {
      const c = config({ [POLYFILL_ALIAS]: POLYFILL });
      slimContentScriptBuild(step, c, SHIM);
      expect(c.resolve?.alias).toEqual({ [POLYFILL_ALIAS]: POLYFILL });
      expect(c.build?.minify).toBeUndefined();
    }
  });
});
