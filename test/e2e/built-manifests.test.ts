import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './harness';
import { ICON_SIZES } from '../tools/make-icons';

const BUILDS = ['chrome-mv3', 'edge-mv3', 'firefox-mv3'];

describe.each(BUILDS)('built manifest %s', (build) => {
  const dir = join(REPO_ROOT, '.output', build);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));

  it('is MV3 named GDAP Lens with exactly the intended permissions', () => {
    expect(manifest.manifest_version).toBe(3);
    expect(manifest.name).toBe('GDAP Lens');
    expect([...manifest.permissions].sort()).toEqual(['alarms', 'identity', 'notifications', 'storage']);
    expect(manifest.host_permissions).toEqual(['https://login.microsoftonline.com/*', 'https://graph.microsoft.com/*']);
  });

  it('names no test host, no <all_urls>, no remote code and keeps the default CSP', () => {
    const text = JSON.stringify(manifest);
    expect(text).not.toMatch(/127\.0\.0\.1|localhost|<all_urls>|"tabs"|unsafe-eval|externally_connectable/);
    expect(manifest.content_security_policy).toBeUndefined();
    for (const cs of manifest.content_scripts ?? []) {
      for (const m of cs.matches) expect(m).toMatch(/^https:\/\/(partner\.microsoft\.com|admin\.microsoft\.com|admin\.cloud\.microsoft)\/\*$/);
    }
  });

  it('ships every icon size and both locales', () => {
    for (const size of ICON_SIZES) {
      expect(manifest.icons[String(size)]).toBe(`icon/${size}.png`);
      expect(existsSync(join(dir, 'icon', `${size}.png`))).toBe(true);
    }
    const en = JSON.parse(readFileSync(join(dir, '_locales/en/messages.json'), 'utf8'));
    const ko = JSON.parse(readFileSync(join(dir, '_locales/ko/messages.json'), 'utf8'));
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
    expect(en.extDescription.message).toBeTruthy();
  });
});

describe('what the Partner Center content script carries', () => {
  it('ships no role catalog: role names and risks come from the background with each view', () => {
    const dir = join(REPO_ROOT, '.output', 'chrome-mv3');
    const content = readFileSync(join(dir, 'content-scripts', 'partner-center.js'), 'utf8');
    // The background is split into chunks: the catalog may live in any of them.
    const background = [join(dir, 'background.js'), ...readdirSync(join(dir, 'chunks')).map((f) => join(dir, 'chunks', f))]
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    // Names from the catalog that no rule or preset names as a constant.
    for (const name of ['Attack Payload Author', 'Yammer Administrator', 'Agent ID Developer']) {
      expect(background).toContain(name);
      expect(content).not.toContain(name);
    }
  });
});

describe('what the admin center content script carries', () => {
  it('ships no role catalog and no reading of the page against it: what the page means comes from the background', () => {
    const dir = join(REPO_ROOT, '.output', 'chrome-mv3');
    const content = readFileSync(join(dir, 'content-scripts', 'admin-center.js'), 'utf8');
    const background = [join(dir, 'background.js'), ...readdirSync(join(dir, 'chunks')).map((f) => join(dir, 'chunks', f))]
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const markers = [
      // The catalog: names no rule names, and Global Administrator's template id.
      'Attack Payload Author',
      'Yammer Administrator',
      '62e90394-69f5-4237-9190-012177145e10',
      // Reading the page's words (utils/portals/admin-center.ts): Korean role names, month
      // names, auto-extend words, the duration parser's pattern.
      '전역 읽기 권한자',
      'september',
      '사용 안 함',
      '(?:[.,]',
      // The answers' valibot schemas: valibot's issue message.
      'Expected ${',
    ];
    for (const marker of markers) {
      expect(background, marker).toContain(marker);
      expect(content, marker).not.toContain(marker);
    }
  });
});

describe.each(BUILDS)('what the content scripts of %s carry', (build) => {
  const dir = join(REPO_ROOT, '.output', build);
  const read = (f: string) => readFileSync(f, 'utf8');
  const scripts = readdirSync(join(dir, 'content-scripts')).filter((f) => f.endsWith('.js'));
  const pages = [join(dir, 'background.js'), ...readdirSync(join(dir, 'chunks')).map((f) => join(dir, 'chunks', f))].filter((f) => f.endsWith('.js'));
  // A string only webextension-polyfill holds (its check that it runs in an extension).
  const POLYFILL = 'This script should only be loaded in a browser extension';

  it('the polyfill stays with the background and pages, out of the content scripts (utils/build-config.ts)', () => {
    expect(scripts.sort()).toEqual(['admin-center.js', 'partner-center.js']);
    expect(pages.map(read).some((code) => code.includes(POLYFILL))).toBe(true);
    for (const f of scripts) expect(read(join(dir, 'content-scripts', f)), f).not.toContain(POLYFILL);
  });

  it('no WXT content-script context and no i18n library in the content scripts: their own lifetime and texts', () => {
    for (const f of scripts) {
      const code = read(join(dir, 'content-scripts', f));
      // WXT's context retires copies on this event; ours is named after GDAP Lens.
      expect(code, f).not.toContain('wxt:content-script-started');
      expect(code, f).toContain('gdap-lens:content-script-started');
      // @wxt-dev/i18n's plural error text: the badges read messages themselves (components/text.ts).
      expect(code, f).not.toContain('Unknown plural formatting');
    }
  });

  it('the Partner Center content script has no rules core: models and details come from the background', () => {
    const content = read(join(dir, 'content-scripts', 'partner-center.js'));
    // Words only the duration parser and the rules produce (error texts and ISO duration shapes).
    const background = pages.map(read).join('\n');
    // The rules' auto-extend duration and a piece of the ISO 8601 duration parser's pattern.
    for (const marker of ['P180D', '(?:[.,]']) {
      expect(background, marker).toContain(marker);
      expect(content, marker).not.toContain(marker);
    }
  });
});

describe.each(BUILDS)('the popup of %s', (build) => {
  const dir = join(REPO_ROOT, '.output', build);

  it('asks for the status first, from a small classic script that carries no polyfill (components/popup/early-status.ts)', () => {
    const html = readFileSync(join(dir, 'popup.html'), 'utf8');
    const early = html.indexOf('<script src="/popup-status.js" async');
    expect(early).toBeGreaterThan(0);
    expect(early).toBeLessThan(html.indexOf('<script type="module"'));
    expect(html).not.toMatch(/<script[^>]*vite-ignore/);
    const script = readFileSync(join(dir, 'popup-status.js'), 'utf8');
    expect(script).toContain('getStatus');
    expect(script).not.toContain('This script should only be loaded in a browser extension');
    expect(script.length).toBeLessThan(8_000);
  });
});
