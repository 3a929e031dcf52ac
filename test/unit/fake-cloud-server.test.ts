import { spawn } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { connect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeCertificate, spkiPinOf } from '../fake-cloud/cert';
import { fakeRequest, type FakeResponse } from '../fake-cloud/client';
import { FAKE_HOSTS, startFakeCloud, type FakeCloud } from '../fake-cloud/server';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const RELS = 'https://graph.microsoft.com/v1.0/tenantRelationships/delegatedAdminRelationships';

let cloud: FakeCloud;
let token: string;

beforeAll(async () => {
  cloud = await startFakeCloud({ customers: 400, seed: 9 });
  token = cloud.login.mintAccessToken();
});
afterAll(async () => {
  await cloud?.stop();
});
afterEach(() => {
  cloud.faults.clear();
});

const list = (url = `${RELS}?$top=300`): Promise<FakeResponse> => fakeRequest(cloud, url, { token });

describe('certificate', () => {
  it('covers every host plus localhost and 127.0.0.1, and pins the SPKI', async () => {
    const { cert, key, spkiPin } = await makeCertificate(['graph.microsoft.com', 'admin.cloud.microsoft']);
    expect(key).toContain('PRIVATE KEY');
    const x = new X509Certificate(cert);
    for (const name of ['DNS:graph.microsoft.com', 'DNS:admin.cloud.microsoft', 'DNS:localhost', 'IP Address:127.0.0.1']) {
      expect(x.subjectAltName).toContain(name);
    }
    const der = x.publicKey.export({ type: 'spki', format: 'der' });
    expect(spkiPin).toBe(createHash('sha256').update(der).digest('base64'));
    expect(spkiPinOf(cert)).toBe(spkiPin);
  });

  it('is the certificate the server presents, valid for each fake host', async () => {
    expect(spkiPinOf(cloud.cert)).toBe(cloud.spkiPin);
    for (const host of FAKE_HOSTS) {
      // fakeRequest verifies the chain and the host name against cloud.cert.
      const res = await fakeRequest(cloud, `https://${host}/__nothing_here__`);
      expect([200, 302, 400, 404]).toContain(res.status);
    }
  });
});

describe('server', () => {
  it('exposes the Chromium flags', () => {
    const rules = FAKE_HOSTS.map((h) => `MAP ${h} 127.0.0.1:${cloud.port}`).join(', ');
    expect(cloud.hosts).toEqual(['login.microsoftonline.com', 'graph.microsoft.com', 'partner.microsoft.com', 'admin.microsoft.com', 'admin.cloud.microsoft']);
    expect(cloud.hostResolverRules).toBe(rules);
    expect(cloud.chromiumArgs()).toEqual([`--host-resolver-rules=${rules}`, `--ignore-certificate-errors-spki-list=${cloud.spkiPin}`]);
    expect(cloud.port).toBeGreaterThan(0);
    expect(cloud.origin('graph.microsoft.com')).toBe('https://graph.microsoft.com');
  });

  it('answers 404 for an unknown host, with or without a port in Host', async () => {
    // The certificate does not cover example.com: connect without checking it.
    expect((await fakeRequest({ port: cloud.port }, 'https://example.com/')).status).toBe(404);
    const res = await fakeRequest(cloud, `https://graph.microsoft.com/v1.0/tenantRelationships/delegatedAdminRelationships?$top=1`, {
      token,
      headers: { Host: `graph.microsoft.com:${cloud.port}` },
    });
    expect(res.status).toBe(200);
  });

  it('logs every request and can clear the log', async () => {
    cloud.clearRequests();
    await list(`${RELS}?$top=2`);
    await fakeRequest({ port: cloud.port }, 'https://example.com/x?y=1');
    expect(cloud.requests).toHaveLength(2);
    expect(cloud.requests[0]).toMatchObject({ host: 'graph.microsoft.com', method: 'GET', path: '/v1.0/tenantRelationships/delegatedAdminRelationships?$top=2', status: 200 });
    expect(cloud.requests[0]!.durationMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(cloud.requests[0]!.time)).not.toBeNaN();
    expect(cloud.requests[1]).toMatchObject({ host: 'example.com', path: '/x?y=1', status: 404 });
    cloud.clearRequests();
    expect(cloud.requests).toHaveLength(0);
  });

  it('survives malformed HTTP and TLS garbage', async () => {
    await new Promise<void>((done) => {
      const socket = connect({ host: '127.0.0.1', port: cloud.port, servername: 'graph.microsoft.com', rejectUnauthorized: false }, () => {
        socket.write('NOT HTTP AT ALL\r\n\r\n\0\0\0');
      });
      socket.on('data', () => undefined);
      socket.on('error', () => done());
      socket.on('close', () => done());
    });
    await new Promise<void>((done) => {
      const raw = connect({ host: '127.0.0.1', port: cloud.port, rejectUnauthorized: false });
      raw.on('error', () => done());
      raw.on('close', () => done());
      raw.on('secureConnect', () => {
        raw.write('GET /%%%% HTTP/1.1\r\nHost: graph.microsoft.com\r\n\r\n');
        setTimeout(() => raw.destroy(), 200);
      });
    });
    expect((await list(`${RELS}?$top=1`)).status).toBe(200);
  });

  it('stop() closes promptly even with a hung request pending', async () => {
    const own = await startFakeCloud({ customers: 5 });
    own.faults.add({ match: { host: 'graph.microsoft.com' }, fault: { kind: 'hang' } });
    const pending = fakeRequest(own, RELS, { token: own.login.mintAccessToken(), timeoutMs: 30_000 });
    const outcome = pending.then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((r) => setTimeout(r, 200));
    const t = performance.now();
    await own.stop();
    expect(performance.now() - t).toBeLessThan(1000);
    expect(await outcome).toBe('failed');
    expect(own.faults.firedCount('hang')).toBe(1);
  });
});

describe('faults', () => {
  it('429 with Retry-After, twice, then normal answers; counted', async () => {
    const rule = cloud.faults.add({ match: { host: 'graph.microsoft.com', path: /delegatedAdminRelationships/ }, fault: { kind: '429', retryAfter: 1 }, times: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await list();
      expect(res.status).toBe(429);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['access-control-expose-headers']).toContain('Retry-After');
      expect(res.json<{ error: { code: string } }>().error.code).toBe('TooManyRequests');
    }
    expect((await list()).status).toBe(200);
    expect(rule.fired).toBe(2);
    expect(rule.seen).toBe(3);
    expect(cloud.faults.firedCount('429')).toBe(2);
    expect(cloud.faults.firedCount()).toBe(2);
  });

  it('429 without Retry-After', async () => {
    cloud.faults.add({ match: { host: 'graph.microsoft.com' }, fault: { kind: '429' }, times: 1 });
    const res = await list();
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBeUndefined();
  });

  it.each([
    [{ kind: '500' as const }, 500, 'InternalServerError', undefined],
    [{ kind: '503' as const, retryAfter: 3 }, 503, 'ServiceUnavailable', '3'],
    [{ kind: '503' as const }, 503, 'ServiceUnavailable', undefined],
    [{ kind: '504' as const }, 504, 'GatewayTimeout', undefined],
    [{ kind: '504' as const, retryAfter: 2 }, 504, 'GatewayTimeout', '2'],
  ])('%j answers %d', async (fault, status, code, retryAfter) => {
    cloud.faults.add({ match: { host: 'graph.microsoft.com' }, fault, times: 1 });
    const res = await list();
    expect(res.status).toBe(status);
    expect(res.json<{ error: { code: string } }>().error.code).toBe(code);
    expect(res.headers['retry-after']).toBe(retryAfter);
    expect((await list()).status).toBe(200);
  });

  it('adds latency before the normal answer', async () => {
    cloud.faults.add({ match: { host: 'graph.microsoft.com', method: 'GET' }, fault: { kind: 'latency', ms: 300 }, times: 1 });
    const t = performance.now();
    const res = await list(`${RELS}?$top=1`);
    expect(res.status).toBe(200);
    expect(performance.now() - t).toBeGreaterThanOrEqual(280);
  });

  it('answers malformed JSON', async () => {
    cloud.faults.add({ match: { host: 'graph.microsoft.com' }, fault: { kind: 'malformed-json' }, times: 1 });
    const res = await list();
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(() => res.json()).toThrow();
  });

  it('answers truncated JSON: a valid start of the real answer, cut off', async () => {
    const full = (await list(`${RELS}?$top=5`)).text;
    cloud.faults.add({ match: { host: 'graph.microsoft.com' }, fault: { kind: 'truncated-json' }, times: 1 });
    const res = await list(`${RELS}?$top=5`);
    expect(res.status).toBe(200);
    expect(res.text.length).toBeGreaterThan(0);
    expect(res.text.length).toBeLessThan(full.length);
    expect(res.text.startsWith('{"@odata.context":')).toBe(true);
    expect(full.startsWith(res.text.slice(0, 100))).toBe(true);
    expect(() => res.json()).toThrow();
  });

  it('truncated JSON with abort: the connection dies mid-body', async () => {
    cloud.faults.add({ match: { host: 'graph.microsoft.com' }, fault: { kind: 'truncated-json', abort: true, keepFraction: 0.3 }, times: 1 });
    await expect(list()).rejects.toThrow();
    expect((await list()).status).toBe(200);
  });

  it('resets the connection', async () => {
    cloud.faults.add({ match: { host: 'graph.microsoft.com' }, fault: { kind: 'reset' }, times: 1 });
    await expect(list()).rejects.toThrow(/ECONNRESET|socket hang up|aborted/);
    expect((await list()).status).toBe(200);
  });

  it('hangs until the client gives up', async () => {
    cloud.faults.add({ match: { host: 'graph.microsoft.com' }, fault: { kind: 'hang' }, times: 1 });
    await expect(fakeRequest(cloud, RELS, { token, timeoutMs: 300 })).rejects.toThrow('timeout');
    expect((await list()).status).toBe(200);
  });

  it('fails in the middle of paging (page 3 only), and the retry succeeds', async () => {
    const rule = cloud.faults.add({ match: { host: 'graph.microsoft.com', method: 'GET', path: '/v1.0/tenantRelationships/delegatedAdminRelationships', nth: 3 }, fault: { kind: '503', retryAfter: 1 } });
    const statuses: number[] = [];
    let url: string | undefined = `${RELS}?$top=100`;
    let items = 0;
    while (url) {
      const res = await list(url);
      statuses.push(res.status);
      if (res.status !== 200) continue; // retry the same page
      const page = res.json<{ value: unknown[]; '@odata.nextLink'?: string }>();
      items += page.value.length;
      url = page['@odata.nextLink'];
    }
    expect(statuses.slice(0, 4)).toEqual([200, 200, 503, 200]);
    expect(items).toBe(cloud.world.relationships.length);
    expect(rule.fired).toBe(1);
  });

  it('matches $skiptoken requests with a RegExp on path + query', async () => {
    cloud.faults.add({ match: { path: /\$skiptoken=/ }, fault: { kind: '500' }, times: 1 });
    const first = await list(`${RELS}?$top=10`);
    expect(first.status).toBe(200);
    const next = first.json<{ '@odata.nextLink': string }>()['@odata.nextLink'];
    expect((await list(next)).status).toBe(500);
    expect((await list(next)).status).toBe(200);
  });

  it('matches by host and method, and leaves CORS preflights alone unless asked', async () => {
    cloud.faults.add({ match: { host: 'login.microsoftonline.com' }, fault: { kind: '503' } });
    cloud.faults.add({ match: { host: 'graph.microsoft.com', method: 'POST' }, fault: { kind: '500' } });
    expect((await list()).status).toBe(200);
    const login = await fakeRequest(cloud, 'https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration');
    expect(login.status).toBe(503);
    expect(login.json<{ error: string }>().error).toBe('temporarily_unavailable');
    const pre = await fakeRequest(cloud, RELS, { method: 'OPTIONS', headers: { Origin: 'chrome-extension://x', 'Access-Control-Request-Method': 'POST' } });
    expect(pre.status).toBe(200);
    expect((await fakeRequest(cloud, RELS, { method: 'POST', token, body: {} })).status).toBe(500);
    cloud.faults.add({ match: { method: 'OPTIONS' }, fault: { kind: '503' }, times: 1 });
    expect((await fakeRequest(cloud, RELS, { method: 'OPTIONS' })).status).toBe(503);
  });

  it('records the fault in the request log; remove() and clear() stop faults', async () => {
    const rule = cloud.faults.add({ match: { host: 'graph.microsoft.com' }, fault: { kind: '500' } });
    cloud.clearRequests();
    await list(`${RELS}?$top=1`);
    expect(cloud.requests[0]).toMatchObject({ status: 500, fault: '500' });
    cloud.faults.remove(rule);
    expect((await list(`${RELS}?$top=1`)).status).toBe(200);
    cloud.faults.add({ match: { host: 'graph.microsoft.com' }, fault: { kind: '500' } });
    cloud.faults.clear();
    expect(cloud.faults.rules).toHaveLength(0);
    expect((await list(`${RELS}?$top=1`)).status).toBe(200);
  });

  it('keeps faults out of graphServeTimeMs', async () => {
    const before = cloud.graphServeTimeMs;
    cloud.faults.add({ match: { host: 'graph.microsoft.com' }, fault: { kind: '429', retryAfter: 1 }, times: 1 });
    await list();
    expect(cloud.graphServeTimeMs).toBe(before);
  });
});

describe('cli', () => {
  it('starts, prints port, pin and host-resolver rules, and stops on SIGINT', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fake-cloud/cli.ts', '--customers', '5', '--port', '0', '--seed', '3'], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      await expect.poll(() => out, { timeout: 25_000, interval: 100 }).toContain('host resolver rules: MAP login.microsoftonline.com 127.0.0.1:');
      expect(out).toMatch(/listening on https:\/\/127\.0\.0\.1:\d+/);
      expect(out).toMatch(/spki pin: [A-Za-z0-9+/]{43}=/);
      expect(out).toContain('--ignore-certificate-errors-spki-list=');
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 40_000);
});
