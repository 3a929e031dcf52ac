/**
 * Fault injection for the fake cloud, configured per test:
 *
 *   cloud.faults.add({ match: { host: 'graph.microsoft.com', path: /delegatedAdminRelationships/, nth: 3 },
 *                      fault: { kind: '429', retryAfter: 1 }, times: 2 });
 *
 * Matching (all given fields must match):
 * - `host`: exact host name, case-insensitive.
 * - `method`: HTTP method, case-insensitive. CORS preflights (OPTIONS) are never faulted
 *   unless `method: 'OPTIONS'` is given, so a fault reaches the script instead of the
 *   browser's preflight.
 * - `path`: a string is a prefix of the path (without query); a RegExp is tested
 *   against path + query (e.g. /\$skiptoken=/).
 * - `nth`: the rule fires from the Nth matching request on (1-based). With `nth` and no
 *   `times` it fires once, on exactly the Nth request ("page 3 only").
 * - `times`: how many times it fires at most (default: unlimited, or 1 with `nth`).
 *
 * Every rule counts the requests it saw and how often it fired. Latency rules add up
 * and combine with at most one other fault (the first matching rule that fires wins).
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

export type Fault =
  /** 429 TooManyRequests; `retryAfter` in seconds (omit it to test exponential back-off). */
  | { kind: '429'; retryAfter?: number }
  | { kind: '500' }
  | { kind: '503'; retryAfter?: number }
  | { kind: '504'; retryAfter?: number }
  /** Waits `ms` before the normal answer. */
  | { kind: 'latency'; ms: number }
  /** 200 with a JSON content type and a body that is not JSON. */
  | { kind: 'malformed-json' }
  /**
   * The real answer cut short: by default a complete HTTP message whose body is the first
   * `keepFraction` (default 0.5) of the JSON; with `abort: true` the headers announce the
   * full length and the connection is destroyed after the cut body.
   */
  | { kind: 'truncated-json'; keepFraction?: number; abort?: boolean }
  /** TCP reset (socket destroyed) without any answer. */
  | { kind: 'reset' }
  /** No answer at all until the client gives up or the server stops. */
  | { kind: 'hang' }
  /**
   * Holds the request (body already read) until `gate` resolves, then answers normally. The
   * request is processed on release even when the client has gone in the meantime: a write
   * that lands while its answer is lost, as when a service worker is stopped mid-request.
   * Make one with {@link holdGate}.
   */
  | { kind: 'hold'; gate: Promise<void> };

export type FaultKind = Fault['kind'];

export interface FaultMatch {
  host?: string;
  method?: string;
  path?: string | RegExp;
  nth?: number;
}

export interface FaultRuleInput {
  match?: FaultMatch;
  fault: Fault;
  times?: number;
}

/** A live rule: its counters update as requests arrive. */
export interface FaultRule {
  readonly id: number;
  readonly match: FaultMatch;
  readonly fault: Fault;
  readonly times: number;
  /** Matching requests seen so far. */
  seen: number;
  /** Times the fault was applied. */
  fired: number;
}

export interface FaultRequestInfo {
  host: string;
  method: string;
  /** Path without the query. */
  path: string;
  /** Path with the query. */
  pathAndQuery: string;
}

export interface FaultDecision {
  latencyMs: number;
  /** The fault to apply instead of (or around) the normal answer, if any. */
  fault?: Fault;
}

export class FaultInjector {
  private nextId = 1;
  private list: FaultRule[] = [];

  /** Adds a rule; returns the live rule (read `fired` / `seen` from it later). */
  add(input: FaultRuleInput): FaultRule {
    const match = input.match ?? {};
    const times = input.times ?? (match.nth !== undefined ? 1 : Number.POSITIVE_INFINITY);
    const rule: FaultRule = { id: this.nextId++, match, fault: input.fault, times, seen: 0, fired: 0 };
    this.list.push(rule);
    return rule;
  }

  remove(rule: FaultRule | number): void {
    const id = typeof rule === 'number' ? rule : rule.id;
    this.list = this.list.filter((r) => r.id !== id);
  }

  clear(): void {
    this.list = [];
  }

  get rules(): readonly FaultRule[] {
    return this.list;
  }

  /** Faults applied so far, over all current rules, optionally of one kind. */
  firedCount(kind?: FaultKind): number {
    let n = 0;
    for (const r of this.list) if (kind === undefined || r.fault.kind === kind) n += r.fired;
    return n;
  }

  /** Decides what happens to one request (counts it against every matching rule). */
  decide(info: FaultRequestInfo): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0 };
    for (const rule of this.list) {
      if (!matches(rule.match, info)) continue;
      rule.seen += 1;
      const from = rule.match.nth ?? 1;
      if (rule.seen < from || rule.fired >= rule.times) continue;
      if (rule.fault.kind === 'latency') {
        rule.fired += 1;
        decision.latencyMs += rule.fault.ms;
      } else if (!decision.fault) {
        rule.fired += 1;
        decision.fault = rule.fault;
      }
    }
    return decision;
  }
}

function matches(m: FaultMatch, info: FaultRequestInfo): boolean {
  if (info.method === 'OPTIONS' && m.method?.toUpperCase() !== 'OPTIONS') return false;
  if (m.host !== undefined && m.host.toLowerCase() !== info.host) return false;
  if (m.method !== undefined && m.method.toUpperCase() !== info.method) return false;
  if (m.path !== undefined) {
    if (typeof m.path === 'string') {
      if (!info.path.startsWith(m.path)) return false;
    } else {
      m.path.lastIndex = 0;
      if (!m.path.test(info.pathAndQuery)) return false;
    }
  }
  return true;
}

/** A gate for a `hold` fault: requests matching the rule wait until `release()`. */
export function holdGate(): { gate: Promise<void>; release(): void } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  return { gate, release };
}

// ---------------------------------------------------------------------------
// Applying a fault
// ---------------------------------------------------------------------------

const STATUS_TEXT: Record<'429' | '500' | '503' | '504', { status: number; code: string; message: string }> = {
  '429': { status: 429, code: 'TooManyRequests', message: 'Too many requests. Please retry after the interval in the Retry-After header.' },
  '500': { status: 500, code: 'InternalServerError', message: 'An internal server error occurred (injected fault).' },
  '503': { status: 503, code: 'ServiceUnavailable', message: 'The service is temporarily unavailable (injected fault).' },
  '504': { status: 504, code: 'GatewayTimeout', message: 'The gateway timed out (injected fault).' },
};

/** Headers that let a browser script read a faulted answer (what each real host would send). */
export function faultCorsHeaders(host: string, req: IncomingMessage): Record<string, string> {
  if (host === 'graph.microsoft.com') {
    return { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'Retry-After, request-id, client-request-id, Location, ETag' };
  }
  const origin = req.headers.origin;
  if (host === 'login.microsoftonline.com' && typeof origin === 'string') return { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' };
  return {};
}

/** Sends the HTTP error answer of a 429/500/503/504 fault, shaped like the host's own errors. */
export function sendErrorFault(fault: Extract<Fault, { kind: '429' | '500' | '503' | '504' }>, host: string, req: IncomingMessage, res: ServerResponse): void {
  const t = STATUS_TEXT[fault.kind];
  const headers: Record<string, string> = { ...faultCorsHeaders(host, req) };
  if ('retryAfter' in fault && fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
  let body: string;
  if (host === 'login.microsoftonline.com') {
    headers['Content-Type'] = 'application/json; charset=utf-8';
    body = JSON.stringify({ error: 'temporarily_unavailable', error_description: `AADSTS50196: ${t.message}`, error_codes: [50196] });
  } else if (host === 'graph.microsoft.com') {
    const requestId = randomUUID();
    headers['Content-Type'] = 'application/json; charset=utf-8';
    headers['request-id'] = requestId;
    const clientRequestId = req.headers['client-request-id'];
    body = JSON.stringify({
      error: {
        code: t.code,
        message: t.message,
        innerError: {
          date: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
          'request-id': requestId,
          'client-request-id': typeof clientRequestId === 'string' ? clientRequestId : requestId,
        },
      },
    });
  } else {
    headers['Content-Type'] = 'text/html; charset=utf-8';
    body = `<!doctype html><title>${t.status}</title><h1>${t.status} ${t.code}</h1>`;
  }
  res.writeHead(t.status, headers);
  res.end(body);
}

/** 200 with a JSON content type and a body no JSON parser accepts. */
export function sendMalformedJson(host: string, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', ...faultCorsHeaders(host, req) });
  res.end('{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#broken","value":[{"id":"0a1b",,]}<html>');
}

/** Resets the connection (RST where the platform allows, else a plain destroy). */
export function resetConnection(req: IncomingMessage): void {
  const socket = req.socket;
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

type Callback = (err?: Error | null) => void;
type PatchedResponse = {
  writeHead?: (...args: unknown[]) => ServerResponse;
  write?: (...args: unknown[]) => boolean;
  end?: (...args: unknown[]) => ServerResponse;
};

function toBuffer(chunk: unknown, encoding: unknown): Buffer | undefined {
  if (chunk === undefined || chunk === null || typeof chunk === 'function') return undefined;
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk);
  return Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
}

/**
 * Lets the real handler answer into a buffer, then sends only the start of the body.
 * Works with handlers that use writeHead/setHeader/write/end in any combination.
 */
export function truncateResponse(res: ServerResponse, fault: Extract<Fault, { kind: 'truncated-json' }>): void {
  const patched = res as unknown as PatchedResponse;
  const chunks: Buffer[] = [];
  const restore = (): void => {
    delete patched.writeHead;
    delete patched.write;
    delete patched.end;
  };
  patched.writeHead = (status: unknown, a?: unknown, b?: unknown): ServerResponse => {
    if (typeof status === 'number') res.statusCode = status;
    if (typeof a === 'string') res.statusMessage = a;
    const headers = (typeof a === 'string' ? b : a) as OutgoingHttpHeaders | undefined;
    if (headers && typeof headers === 'object' && !Array.isArray(headers)) {
      for (const [k, v] of Object.entries(headers)) if (v !== undefined) res.setHeader(k, v);
    }
    return res;
  };
  patched.write = (chunk: unknown, encoding?: unknown, cb?: unknown): boolean => {
    const buf = toBuffer(chunk, encoding);
    if (buf) chunks.push(buf);
    const callback = (typeof encoding === 'function' ? encoding : cb) as Callback | undefined;
    if (callback) process.nextTick(callback);
    return true;
  };
  patched.end = (chunk?: unknown, encoding?: unknown, cb?: unknown): ServerResponse => {
    const buf = toBuffer(chunk, encoding);
    if (buf) chunks.push(buf);
    restore();
    const full = Buffer.concat(chunks);
    const fraction = Math.min(Math.max(fault.keepFraction ?? 0.5, 0), 1);
    let keep = Math.floor(full.length * fraction);
    if (full.length > 1) keep = Math.min(Math.max(keep, 1), full.length - 1);
    const cut = full.subarray(0, keep);
    const callback = [chunk, encoding, cb].find((x) => typeof x === 'function') as Callback | undefined;
    if (fault.abort) {
      res.setHeader('Content-Length', String(full.length));
      res.write(cut, () => res.socket?.destroy());
      if (callback) process.nextTick(callback);
      return res;
    }
    res.removeHeader('Content-Length');
    res.removeHeader('Transfer-Encoding');
    res.end(cut, callback);
    return res;
  };
}
