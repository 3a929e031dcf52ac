/**
 * Audit at the source level: no code evaluation or HTML injection anywhere in product code,
 * exactly the intended permissions in the manifest of every browser, the default extension
 * CSP, no logging of tokens (by reading the code, and at run time during a full sign-in,
 * sync and write), and no token in storage.local. (The built manifests are checked by the
 * e2e suite, test/e2e/built-manifests.test.ts.)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildManifest } from '@/utils/manifest';
import { SESSION_KEY } from '@/utils/auth/service';
import { startFakeCloud, type FakeCloud } from '../fake-cloud/server';
import { tried } from './tally';
import { newProfile, signIn, startWorker, textOf, type Worker } from './harness';

vi.mock('@/utils/graph/client', async (orig) => (await import('./graph-mock')).fastGraphClientMock(orig));

const ROOT = join(__dirname, '../..');
const PRODUCT_DIRS = ['entrypoints', 'components', 'utils'];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx|js|jsx|mjs|html|vue|svelte)$/.test(name)) out.push(path);
  }
  return out;
}

const FILES = PRODUCT_DIRS.flatMap((d) => sourceFiles(join(ROOT, d))).map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') }));

/** Nothing is allow-listed: a justified exception would be added here with a comment. */
const FORBIDDEN: Array<{ name: string; re: RegExp }> = [
  { name: 'eval(', re: /(^|[^\w.])eval\s*\(/ },
  { name: 'new Function', re: /\bnew\s+Function\s*\(/ },
  { name: 'Function( constructor call', re: /(^|[^\w.])Function\s*\(\s*['"`]/ },
  { name: 'innerHTML', re: /\binnerHTML\b/ },
  { name: 'outerHTML', re: /\bouterHTML\b/ },
  { name: 'insertAdjacentHTML', re: /\binsertAdjacentHTML\b/ },
  { name: 'document.write', re: /\bdocument\s*\.\s*write(ln)?\s*\(/ },
  { name: 'dangerouslySetInnerHTML', re: /\bdangerouslySetInnerHTML\b/ },
  { name: 'createContextualFragment', re: /\bcreateContextualFragment\b/ },
  { name: 'DOMParser', re: /\bnew\s+DOMParser\b/ },
  { name: 'string setTimeout/setInterval', re: /\bset(Timeout|Interval)\s*\(\s*['"`]/ },
  { name: 'javascript: URL', re: /['"`]javascript:/i },
];

describe('source audit', () => {
  it('scans a meaningful amount of product code', () => {
    expect(FILES.length).toBeGreaterThan(40);
    expect(FILES.some((f) => f.path.startsWith('components/'))).toBe(true);
    expect(FILES.some((f) => f.path.startsWith('entrypoints/'))).toBe(true);
  });

  it.each(FORBIDDEN)('no $name in entrypoints/, components/, utils/', ({ name, re }) => {
    const hits = FILES.flatMap((f) => f.text.split('\n').map((line, i) => ({ where: `${f.path}:${i + 1}`, line })).filter((l) => re.test(l.line)));
    tried('audit', `source scan: ${name}`, FILES.length);
    expect(hits).toEqual([]);
  });

  it('the patterns find what they look for (the scan itself can fail)', () => {
    const samples: Record<string, string> = {
      'eval(': 'const x = eval("1")',
      'new Function': 'new Function("return 1")',
      'Function( constructor call': "Function('return this')()",
      innerHTML: 'el.innerHTML = name',
      outerHTML: 'el.outerHTML = name',
      insertAdjacentHTML: "el.insertAdjacentHTML('beforeend', x)",
      'document.write': 'document.write(x)',
      dangerouslySetInnerHTML: '<div dangerouslySetInnerHTML={{ __html: x }} />',
      createContextualFragment: 'range.createContextualFragment(x)',
      DOMParser: 'new DOMParser()',
      'string setTimeout/setInterval': "setTimeout('alert(1)', 0)",
      'javascript: URL': "href='javascript:alert(1)'",
    };
    for (const { name, re } of FORBIDDEN) expect(re.test(samples[name]!), name).toBe(true);
    expect(FORBIDDEN.find((f) => f.name === 'eval(')!.re.test('retrieval(x)')).toBe(false);
  });

  it('no logging call prints a token, secret, code or authorization header', () => {
    const logs = FILES.flatMap((f) => [...f.text.matchAll(/console\s*\.\s*\w+\s*\(([^;]*)/g)].map((m) => ({ file: f.path, args: m[1]! })));
    tried('audit', 'console calls reviewed', Math.max(1, logs.length));
    for (const l of logs) expect(l.args, l.file).not.toMatch(/token|secret|verifier|authorization|bearer|code\b|session|password/i);
  });
});

describe('manifest', () => {
  const INTENDED_PERMISSIONS = ['alarms', 'identity', 'notifications', 'storage'];
  const INTENDED_HOSTS = ['https://graph.microsoft.com/*', 'https://login.microsoftonline.com/*'];
  const INTENDED_OPTIONAL = [
    'https://dod-graph.microsoft.us/*',
    'https://graph.microsoft.us/*',
    'https://login.chinacloudapi.cn/*',
    'https://login.microsoftonline.us/*',
    'https://microsoftgraph.chinacloudapi.cn/*',
  ];

  it.each(['chrome', 'edge', 'firefox'])('%s: exactly the intended permissions, default CSP, not externally connectable', (browser) => {
    const m = buildManifest(browser) as Record<string, unknown>;
    tried('audit', `manifest of ${browser}`);
    expect([...(m.permissions as string[])].sort()).toEqual(INTENDED_PERMISSIONS);
    expect([...(m.host_permissions as string[])].sort()).toEqual(INTENDED_HOSTS);
    expect([...(m.optional_host_permissions as string[])].sort()).toEqual(INTENDED_OPTIONAL);
    expect(m).not.toHaveProperty('optional_permissions');
    expect(m).not.toHaveProperty('content_security_policy');
    expect(m).not.toHaveProperty('externally_connectable');
    expect(m).not.toHaveProperty('web_accessible_resources');
    expect(m).not.toHaveProperty('key');
    expect(JSON.stringify(m)).not.toMatch(/<all_urls>|\*:\/\/\*|https:\/\/\*\//);
  });
});

describe('tokens at run time', () => {
  let cloud: FakeCloud;
  let w: Worker;
  const logged: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

  beforeAll(async () => {
    for (const m of methods) vi.spyOn(console, m).mockImplementation((...args: unknown[]) => void logged.push(textOf(args.map(String))));
    cloud = await startFakeCloud({ customers: 8, seed: 9 });
    w = startWorker(cloud, newProfile(cloud));
    await signIn(w);
    // A write, a failing write and a failing sync, so error paths run too.
    const rel = cloud.world.relationships.find((r) => r.status === 'active' && r.customer?.tenantId)!;
    await w.api.setAutoExtend({ id: rel.id, on: false });
    cloud.faults.add({ match: { method: 'POST' }, fault: { kind: '500' }, times: 1 });
    await w.api.terminate({ id: rel.id });
    cloud.faults.add({ match: { path: '/v1.0/tenantRelationships/delegatedAdminCustomers' }, fault: { kind: 'malformed-json' }, times: 5 });
    await w.api.syncNow(undefined);
    cloud.faults.clear();
  }, 60_000);

  afterAll(async () => {
    vi.restoreAllMocks();
    w?.app.scheduler.cancel();
    w?.app.cache.close();
    await cloud?.stop();
  });

  async function secrets(): Promise<string[]> {
    const s = (await w.profile.session.get(SESSION_KEY)) as Record<string, unknown> | undefined;
    const list = [s?.accessToken, s?.refreshToken].filter((x): x is string => typeof x === 'string' && x.length > 20);
    expect(list).toHaveLength(2);
    return list;
  }

  it('no console output holds a token during sign-in, sync, writes and failures', async () => {
    tried('audit', 'console output of a full run', Math.max(1, logged.length));
    const all = logged.join('\n');
    for (const s of await secrets()) expect(all.includes(s)).toBe(false);
  });

  it('storage.local holds settings and state only: no token, no key that names one', async () => {
    const local = w.profile.local.dump();
    tried('audit', 'storage.local keys after sign-in and sync', Object.keys(local).length);
    const text = textOf(local);
    for (const s of await secrets()) expect(text.includes(s)).toBe(false);
    expect(Object.keys(local).filter((k) => /token|secret|verifier|session/i.test(k))).toEqual([]);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
  });
});
