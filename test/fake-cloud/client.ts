/**
 * A tiny https client for tests and benchmarks that talk to the fake cloud from Node:
 * connects to 127.0.0.1:<port> and sets SNI and Host to the real host name of the URL,
 * trusting the fake's own certificate. Plus a helper that runs the PKCE sign-in.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';

export interface FakeCloudAddress {
  port: number;
  /** PEM certificate of the fake; when absent, certificates are not checked. */
  cert?: string;
}

export interface FakeResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** Parses the body as JSON (throws when it is not JSON). */
  json<T = unknown>(): T;
}

export interface FakeRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** A string is sent as is; URLSearchParams as a form; anything else as JSON. */
  body?: unknown;
  /** Bearer token shortcut. */
  token?: string;
  /** Rejects with an Error('timeout') after this many ms (default 10,000). */
  timeoutMs?: number;
}

/** Sends one request to the fake cloud; `url` uses the real host name (https://graph.microsoft.com/...). */
export function fakeRequest(cloud: FakeCloudAddress, url: string, opts: FakeRequestOptions = {}): Promise<FakeResponse> {
  const target = new URL(url);
  const headers: Record<string, string> = { Host: target.hostname, ...opts.headers };
  let payload: string | undefined;
  if (opts.body !== undefined) {
    if (typeof opts.body === 'string') payload = opts.body;
    else if (opts.body instanceof URLSearchParams) {
      payload = opts.body.toString();
      headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
    } else {
      payload = JSON.stringify(opts.body);
      headers['Content-Type'] ??= 'application/json';
    }
    headers['Content-Length'] = String(Buffer.byteLength(payload));
  }
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: cloud.port,
        servername: target.hostname,
        path: target.pathname + target.search,
        method: opts.method ?? 'GET',
        headers,
        agent: false,
        ...(cloud.cert ? { ca: cloud.cert } : { rejectUnauthorized: false }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('aborted')));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T,>() => JSON.parse(text) as T });
        });
      },
    );
    req.setTimeout(opts.timeoutMs ?? 10_000, () => {
      req.destroy(new Error('timeout'));
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export interface PkceSignInOptions {
  clientId: string;
  redirectUri: string;
  scope?: string;
  tenant?: string;
  /** Origin header of the token request (default: the redirect URI's origin). */
  origin?: string;
  loginHint?: string;
  nonce?: string;
}

export interface TokenSet {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  expires_in: number;
  scope: string;
  token_type: string;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Runs authorize (no UI) then redeems the code; returns the parsed token answer. */
export async function signInWithPkce(cloud: FakeCloudAddress, opts: PkceSignInOptions): Promise<TokenSet> {
  const tenant = opts.tenant ?? 'organizations';
  const { verifier, challenge } = pkcePair();
  const authorize = new URL(`https://login.microsoftonline.com/${tenant}/oauth2/v2.0/authorize`);
  const q = authorize.searchParams;
  q.set('client_id', opts.clientId);
  q.set('response_type', 'code');
  q.set('redirect_uri', opts.redirectUri);
  q.set('scope', opts.scope ?? 'openid profile offline_access https://graph.microsoft.com/DelegatedAdminRelationship.ReadWrite.All');
  q.set('state', randomBytes(8).toString('hex'));
  q.set('code_challenge', challenge);
  q.set('code_challenge_method', 'S256');
  if (opts.loginHint) q.set('login_hint', opts.loginHint);
  if (opts.nonce) q.set('nonce', opts.nonce);
  const res = await fakeRequest(cloud, authorize.toString());
  const location = res.headers.location;
  if (res.status !== 302 || !location) throw new Error(`authorize failed: ${res.status} ${res.text}`);
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new Error(`authorize redirected without a code: ${location}`);
  const token = await fakeRequest(cloud, `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { Origin: opts.origin ?? new URL(opts.redirectUri).origin },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: opts.clientId, code, redirect_uri: opts.redirectUri, code_verifier: verifier }),
  });
  if (token.status !== 200) throw new Error(`token failed: ${token.status} ${token.text}`);
  return token.json<TokenSet>();
}

/**
 * A WHATWG `fetch` that reaches the fake cloud from Node under the real host names
 * (SNI and Host set), for code under test that takes `fetch` by injection.
 * `onRequest` sees every request first (tests record them).
 */
export function fakeCloudFetch(cloud: FakeCloudAddress, onRequest?: (r: { method: string; url: string }) => void): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
    const method = init?.method ?? 'GET';
    onRequest?.({ method, url });
    let body: string | undefined;
    if (typeof init?.body === 'string') body = init.body;
    else if (init?.body instanceof URLSearchParams) {
      body = init.body.toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
    }
    const res = await fakeRequest(cloud, url, { method, headers, ...(body !== undefined ? { body } : {}) });
    const out = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) out.append(name, v);
    }
    const nullBody = res.status === 204 || res.status === 304 || res.status === 302;
    return new Response(nullBody ? null : res.text, { status: res.status, headers: out });
  };
}
