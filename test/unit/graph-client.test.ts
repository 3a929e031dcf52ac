import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createGraphClient,
  describeEmptyHint,
  describeErrorKind,
  GraphError,
  RELATIONSHIPS_PATH,
  CUSTOMERS_PATH,
  type GraphClientOptions,
} from '@/utils/graph/client';
import { GRAPH_ERROR_KINDS, type GraphErrorKind } from '@/utils/graph/errors';
import { backoffDelay, parseRetryAfter, retryBudget } from '@/utils/graph/retry';
import { createSemaphore, forEachBounded } from '@/utils/graph/pool';
import { parseCustomerPage, parseRelationshipPage } from '@/utils/gdap/schema';
import { CLOUDS } from '@/utils/graph/clouds';

// ---------------------------------------------------------------------------
// Scripted fake fetch: a queue of answers per "METHOD path?query", every request recorded
// ---------------------------------------------------------------------------

const ORIGIN = CLOUDS.global.graph;
const G = `${ORIGIN}/v1.0/tenantRelationships`;
const RELS = `${G}/delegatedAdminRelationships`;

interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  signal: AbortSignal | null;
}

type Answer =
  | { status: number; json?: unknown; text?: string; headers?: Record<string, string> }
  | { networkError: true }
  | { hang: true }
  | ((req: Recorded) => Response | Promise<Response>);

class FakeFetch {
  readonly requests: Recorded[] = [];
  readonly unscripted: string[] = [];
  inFlight = 0;
  peakInFlight = 0;
  private readonly queues = new Map<string, Answer[]>();

  /** Answers for `METHOD url` in order; the last one repeats. `url` is absolute or a path on ORIGIN. */
  on(method: string, url: string, ...answers: Answer[]): this {
    const key = `${method} ${new URL(url, ORIGIN).href}`;
    this.queues.set(key, [...(this.queues.get(key) ?? []), ...answers]);
    return this;
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
    const req: Recorded = {
      method: init?.method ?? 'GET',
      url,
      headers,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      signal: init?.signal ?? null,
    };
    this.requests.push(req);
    const key = `${req.method} ${new URL(url).href}`;
    const queue = this.queues.get(key);
    if (!queue || queue.length === 0) {
      this.unscripted.push(key);
      return new Response('unscripted', { status: 418 });
    }
    const answer = (queue.length > 1 ? queue.shift() : queue[0]) as Answer;
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    try {
      if (typeof answer === 'function') return await answer(req);
      if ('networkError' in answer) throw new TypeError('fetch failed');
      if ('hang' in answer) {
        return await new Promise<Response>((_, reject) => {
          req.signal?.addEventListener('abort', () => {
            const e = new Error('aborted');
            e.name = 'AbortError';
            reject(e);
          });
        });
      }
      const text = answer.text ?? (answer.json === undefined ? null : JSON.stringify(answer.json));
      const headers = { ...(text !== null ? { 'Content-Type': 'application/json' } : {}), ...answer.headers };
      return new Response(answer.status === 204 ? null : text, { status: answer.status, headers });
    } finally {
      this.inFlight--;
    }
  };
}

let fake: FakeFetch;
let sleeps: number[];
let tokenCalls: number;

function client(overrides: Partial<GraphClientOptions> = {}) {
  return createGraphClient({
    graphOrigin: ORIGIN,
    getAccessToken: async () => `token-${++tokenCalls}`,
    fetch: fake.fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0,
    now: () => Date.parse('2025-01-01T00:00:00Z'),
    newRequestId: () => 'crid-1',
    ...overrides,
  });
}

function fresh(): void {
  fake = new FakeFetch();
  sleeps = [];
  tokenCalls = 0;
}
fresh();

afterEach(() => {
  expect(fake.unscripted, 'requests nobody scripted').toEqual([]);
  fresh();
});

async function failure(p: Promise<unknown>): Promise<GraphError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(GraphError);
    return e as GraphError;
  }
  throw new Error('expected the call to fail');
}

function rel(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@odata.etag': `W/"etag-${id}"`,
    id,
    displayName: `Relationship ${id}`,
    status: 'active',
    duration: 'P730D',
    autoExtendDuration: 'PT0S',
    customer: { tenantId: '52eaad04-13a2-4a2f-9ce8-93a294fadf36', displayName: 'Contoso' },
    accessDetails: { unifiedRoles: [{ roleDefinitionId: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451' }] },
    ...extra,
  };
}

function graphError(code: string, message: string, requestId = 'req-123'): unknown {
  return { error: { code, message, innerError: { date: '2025-01-01T00:00:00', 'request-id': requestId, 'client-request-id': 'crid-1' } } };
}

const FIRST_PAGE = `${RELS}?$top=300`;
const ok = (json: unknown, headers?: Record<string, string>): Answer => ({ status: 200, json, headers });

// ---------------------------------------------------------------------------
// Paging
// ---------------------------------------------------------------------------

describe('paging', () => {
  it('follows @odata.nextLink across 3 pages, asking $top=300 first', async () => {
    const next2 = `${RELS}?$top=300&$skiptoken=p2`;
    const next3 = `${RELS}?$top=300&$skiptoken=p3`;
    fake
      .on('GET', FIRST_PAGE, ok({ value: [rel('a'), rel('b')], '@odata.nextLink': next2 }))
      .on('GET', next2, ok({ value: [rel('c')], '@odata.nextLink': next3 }))
      .on('GET', next3, ok({ value: [rel('d'), rel('e')] }));
    const result = await client().listRelationships();
    expect(result.items.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(result.pages).toBe(3);
    expect(result.skipped).toBe(0);
    expect(result.emptyHint).toBeNull();
    expect(fake.requests.map((r) => r.url)).toEqual([FIRST_PAGE, next2, next3]);
  });

  it('iterates page by page with pages(), validating each with the schema parser', async () => {
    const next = `${CUSTOMERS_PATH}?$skiptoken=x`;
    fake
      .on('GET', `${CUSTOMERS_PATH}?$top=300`, ok({ value: [{ id: 't1', tenantId: 't1', displayName: 'One' }], '@odata.nextLink': `${ORIGIN}${next}` }))
      .on('GET', next, ok({ value: [{ id: 't2', tenantId: 't2', displayName: 'Two' }] }));
    const seen: string[][] = [];
    for await (const page of client().pages(CUSTOMERS_PATH, parseCustomerPage)) seen.push(page.items.map((c) => c.displayName));
    expect(seen).toEqual([['One'], ['Two']]);
  });

  it('skips malformed items and counts them over all pages', async () => {
    const next = `${RELS}?$skiptoken=2`;
    fake
      .on('GET', FIRST_PAGE, ok({ value: [rel('a'), { id: '' }, 42], '@odata.nextLink': next }))
      .on('GET', next, ok({ value: [{ displayName: 'no id' }, rel('b'), rel('c', { status: 7 })] }));
    const result = await client().listRelationships();
    expect(result.items.map((r) => r.id)).toEqual(['a', 'b']);
    expect(result.skipped).toBe(4);
    expect(result.pages).toBe(2);
    expect(result.issues).toHaveLength(4);
    expect(result.issues[0]).toMatch(/^page 1 \[1\]/);
    expect(result.issues[2]).toMatch(/^page 2 \[0\]/);
  });

  it("a malformed page envelope is a 'malformed' error (wrong shape, or not JSON)", async () => {
    const next = `${RELS}?$skiptoken=2`;
    fake.on('GET', FIRST_PAGE, ok({ value: [rel('a')], '@odata.nextLink': next })).on('GET', next, ok({ value: 'not a list' }));
    const e = await failure(client().listRelationships());
    expect(e.kind).toBe('malformed');
    expect(e.code).toBe('InvalidPage');
    expect(e.issues.join(' ')).toMatch(/value/);

    fresh();
    fake.on('GET', FIRST_PAGE, { status: 200, text: '{"value": [', headers: { 'Content-Type': 'application/json' } });
    const e2 = await failure(client().listRelationships());
    expect(e2.kind).toBe('malformed');
    expect(e2.code).toBe('InvalidJson');
    expect(fake.requests).toHaveLength(1); // not retried
  });

  it.each([
    ['another host', 'https://evil.example/v1.0/tenantRelationships/delegatedAdminRelationships?$skiptoken=2'],
    ['a look-alike host', 'https://graph.microsoft.com.evil.example/v1.0/x'],
    ['plain http', 'http://graph.microsoft.com/v1.0/tenantRelationships/delegatedAdminRelationships?$skiptoken=2'],
    ['another port', 'https://graph.microsoft.com:8443/v1.0/x'],
    ['a protocol-relative link', '//evil.example/v1.0/x'],
    ['another cloud', 'https://graph.microsoft.us/v1.0/x'],
  ])('refuses a nextLink to %s and never sends the token there', async (_, link) => {
    fake.on('GET', FIRST_PAGE, ok({ value: [rel('a')], '@odata.nextLink': link }));
    const e = await failure(client().listRelationships());
    expect(e.kind).toBe('malformed');
    expect(e.code).toBe('ForeignNextLink');
    expect(fake.requests.map((r) => r.url)).toEqual([FIRST_PAGE]);
  });

  it('accepts a relative nextLink on the Graph origin', async () => {
    fake
      .on('GET', FIRST_PAGE, ok({ value: [rel('a')], '@odata.nextLink': '/v1.0/tenantRelationships/delegatedAdminRelationships?$skiptoken=2' }))
      .on('GET', `${RELS}?$skiptoken=2`, ok({ value: [rel('b')] }));
    expect((await client().listRelationships()).items).toHaveLength(2);
  });

  it('stops a nextLink that loops back to an earlier page', async () => {
    const next = `${RELS}?$skiptoken=2`;
    fake.on('GET', FIRST_PAGE, ok({ value: [], '@odata.nextLink': next })).on('GET', next, ok({ value: [rel('b')], '@odata.nextLink': next }));
    const e = await failure(client().listRelationships());
    expect(e.code).toBe('NextLinkLoop');
    expect(fake.requests).toHaveLength(2);
  });

  it('sends $filter and $orderby percent-encoded with literal $ names', async () => {
    fake.on('GET', `${RELS}?$filter=status%20eq%20'active'&$orderby=endDateTime&$top=300`, ok({ value: [rel('a')] }));
    const result = await client().listRelationships({ filter: "status eq 'active'", orderBy: 'endDateTime' });
    expect(result.items).toHaveLength(1);
  });

  it('lists customers and access assignments with the shared parsers', async () => {
    fake
      .on('GET', `${CUSTOMERS_PATH}?$top=300`, ok({ value: [{ id: 't1', tenantId: 't1', displayName: 'One' }] }))
      .on(
        'GET',
        `${RELS}/r%2F1/accessAssignments?$top=300`,
        ok({ value: [{ id: 'as1', status: 'active', accessContainer: { accessContainerId: 'g1', accessContainerType: 'securityGroup' } }] }),
      );
    const c = client();
    expect((await c.listCustomers()).items[0]?.displayName).toBe('One');
    const assignments = await c.listAccessAssignments('r/1');
    expect(assignments.items[0]?.securityGroupId).toBe('g1');
  });

  it('listAll takes any page parser and query, keeping a caller $top', async () => {
    fake.on('GET', `${RELS}?$top=5`, ok({ value: [rel('a')] }));
    const result = await client().listAll(RELATIONSHIPS_PATH, parseRelationshipPage, { query: { $top: 5 } });
    expect(result.items).toHaveLength(1);
    fake.on('GET', `${RELS}?$top=7&$filter=x`, ok({ value: [] }));
    await client().listAll(`${RELATIONSHIPS_PATH}?$top=7`, parseRelationshipPage, { query: { $filter: 'x' } });
    expect(fake.requests.map((r) => r.url)).toEqual([`${RELS}?$top=5`, `${RELS}?$top=7&$filter=x`]);
  });
});

describe('R1: an empty list is not an error but carries a hint', () => {
  it('R1: an empty unfiltered relationship list carries emptyHint admin-agent-role', async () => {
    fake.on('GET', FIRST_PAGE, ok({ '@odata.context': 'x', value: [] }));
    const result = await client().listRelationships();
    expect(result.items).toEqual([]);
    expect(result.emptyHint).toBe('admin-agent-role');
    expect(describeEmptyHint(result.emptyHint!)).toBe('graphError.adminAgentRole');
  });

  it('R1: an empty customer list carries the same hint', async () => {
    fake.on('GET', `${CUSTOMERS_PATH}?$top=300`, ok({ value: [] }));
    expect((await client().listCustomers()).emptyHint).toBe('admin-agent-role');
  });

  it('R1: a filtered empty list, or a list of only malformed items, has no hint', async () => {
    fake.on('GET', `${RELS}?$filter=status%20eq%20'expired'&$top=300`, ok({ value: [] }));
    expect((await client().listRelationships({ filter: "status eq 'expired'" })).emptyHint).toBeNull();
    fake.on('GET', FIRST_PAGE, ok({ value: [{ id: 3 }] }));
    const onlyBad = await client().listRelationships();
    expect(onlyBad.skipped).toBe(1);
    expect(onlyBad.emptyHint).toBeNull();
  });
});

// ---------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------

describe('retries', () => {
  const URL_ = `${RELS}/r1`;
  const GOOD = ok(rel('r1'));

  it('429 with Retry-After: 2 waits exactly 2 s, then succeeds', async () => {
    fake.on('GET', URL_, { status: 429, json: graphError('TooManyRequests', 'slow down'), headers: { 'Retry-After': '2' } }, GOOD);
    const r = await client().getRelationship('r1');
    expect(r.id).toBe('r1');
    expect(sleeps).toEqual([2000]);
    expect(fake.requests).toHaveLength(2);
  });

  it('429 with Retry-After as an HTTP date waits until that date', async () => {
    fake.on('GET', URL_, { status: 429, headers: { 'Retry-After': 'Wed, 01 Jan 2025 00:00:07 GMT' } }, GOOD);
    await client().getRelationship('r1');
    expect(sleeps).toEqual([7000]);
  });

  it('429 without Retry-After backs off exponentially (with jitter inside [ceiling/2, ceiling])', async () => {
    const t429: Answer = { status: 429, json: graphError('TooManyRequests', 'slow down') };
    fake.on('GET', URL_, t429, t429, t429, t429, GOOD);
    await client({ random: () => 0 }).getRelationship('r1');
    expect(sleeps).toEqual([500, 1000, 2000, 4000]);

    fresh();
    fake.on('GET', URL_, t429, t429, t429, GOOD);
    await client({ random: () => 0.999999 }).getRelationship('r1');
    expect(sleeps).toEqual([1000, 2000, 4000]);
  });

  it.each([503, 504])('%i is retried for GET', async (status) => {
    fake.on('GET', URL_, { status, json: graphError('ServiceUnavailable', 'busy') }, { status }, GOOD);
    await client().getRelationship('r1');
    expect(fake.requests).toHaveLength(3);
    expect(sleeps).toEqual([500, 1000]);
  });

  it("429 retries exhausted → 'throttled' after 1 + maxRetries attempts, keeping Graph's code", async () => {
    fake.on('GET', URL_, { status: 429, json: graphError('TooManyRequests', 'slow down', 'rq-9'), headers: { 'Retry-After': '1' } });
    const e = await failure(client({ maxRetries: 4 }).getRelationship('r1'));
    expect(e.kind).toBe('throttled');
    expect(e.status).toBe(429);
    expect(e.code).toBe('TooManyRequests');
    expect(e.requestId).toBe('rq-9');
    expect(e.attempts).toBe(5);
    expect(fake.requests).toHaveLength(5);
    expect(sleeps).toEqual([1000, 1000, 1000, 1000]);
  });

  it("503 retries exhausted → 'server'", async () => {
    fake.on('GET', URL_, { status: 503 });
    const e = await failure(client({ maxRetries: 2 }).getRelationship('r1'));
    expect(e.kind).toBe('server');
    expect(e.status).toBe(503);
    expect(fake.requests).toHaveLength(3);
  });

  it('500 is retried once for GET, then surfaces as server', async () => {
    fake.on('GET', URL_, { status: 500, json: graphError('InternalServerError', 'oops') });
    const e = await failure(client().getRelationship('r1'));
    expect(e.kind).toBe('server');
    expect(e.message).toBe('oops');
    expect(fake.requests).toHaveLength(2);
  });

  it('a Retry-After above the cap is not slept through: throttled at once with retryAfterMs', async () => {
    fake.on('GET', URL_, { status: 429, headers: { 'Retry-After': '120' } });
    const e = await failure(client().getRelationship('r1'));
    expect(e.kind).toBe('throttled');
    expect(e.retryAfterMs).toBe(120_000);
    expect(sleeps).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });

  it('network errors are retried for GET, and surface as network when they persist', async () => {
    fake.on('GET', URL_, { networkError: true }, GOOD);
    await client().getRelationship('r1');
    expect(fake.requests).toHaveLength(2);

    fresh();
    fake.on('GET', URL_, { networkError: true });
    const e = await failure(client({ maxRetries: 2 }).getRelationship('r1'));
    expect(e.kind).toBe('network');
    expect(e.status).toBeNull();
    expect(fake.requests).toHaveLength(3);
  });

  describe('non-idempotent POST', () => {
    const CREATE = { displayName: 'x', duration: 'P730D', roleIds: ['f2ef992c-3afb-46b9-b7cf-a126ee74c451'], autoExtendDuration: 'PT0S' };
    const CREATED: Answer = { status: 201, json: rel('new', { status: 'created' }), headers: { Location: `${RELS}/new` } };

    it.each([
      [500, {}],
      [502, {}],
      [503, {}],
      [504, {}],
      [504, { 'Retry-After': '1' }],
    ])('is not retried on %i %o', async (status, headers) => {
      fake.on('POST', RELS, { status, headers }, CREATED);
      const e = await failure(client().createRelationship(CREATE));
      expect(e.kind).toBe('server');
      expect(fake.requests).toHaveLength(1);
    });

    it('is not retried on a network error or a timeout (it may have landed)', async () => {
      fake.on('POST', RELS, { networkError: true }, CREATED);
      expect((await failure(client().createRelationship(CREATE))).kind).toBe('network');
      expect(fake.requests).toHaveLength(1);

      fresh();
      fake.on('POST', RELS, { hang: true }, CREATED);
      expect((await failure(client({ timeoutMs: 20 }).createRelationship(CREATE))).kind).toBe('timeout');
      expect(fake.requests).toHaveLength(1);
    });

    it('is retried on 429, and on 503 with Retry-After (not yet processed)', async () => {
      fake.on('POST', RELS, { status: 429 }, { status: 503, headers: { 'Retry-After': '3' } }, CREATED);
      const created = await client().createRelationship(CREATE);
      expect(created.id).toBe('new');
      expect(fake.requests).toHaveLength(3);
      expect(sleeps).toEqual([500, 3000]);
    });
  });
});

// ---------------------------------------------------------------------------
// Errors without retry
// ---------------------------------------------------------------------------

describe('errors', () => {
  const URL_ = `${RELS}/r1`;

  it("401 twice → 'unauthorized' after exactly one forced token refresh, no back-off", async () => {
    fake.on('GET', URL_, { status: 401, json: graphError('InvalidAuthenticationToken', 'Access token has expired.') });
    const e = await failure(client().getRelationship('r1'));
    expect(e.kind).toBe('unauthorized');
    expect(e.code).toBe('InvalidAuthenticationToken');
    expect(e.attempts).toBe(2);
    expect(fake.requests).toHaveLength(2);
    expect(sleeps).toEqual([]);
  });

  it("403 → 'forbidden' (consent or role), never retried", async () => {
    fake.on('GET', FIRST_PAGE, { status: 403, json: graphError('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.') });
    const e = await failure(client().listRelationships());
    expect(e.kind).toBe('forbidden');
    expect(e.code).toBe('Authorization_RequestDenied');
    expect(fake.requests).toHaveLength(1);
  });

  it("404 → 'not-found'", async () => {
    fake.on('GET', URL_, { status: 404, json: graphError('ResourceNotFound', 'gone') });
    expect((await failure(client().getRelationship('r1'))).kind).toBe('not-found');
  });

  it("409 on a duplicate name → 'conflict' with Graph's message", async () => {
    const message = "A delegated admin relationship with the name 'x' already exists.";
    fake.on('POST', RELS, { status: 409, json: graphError('Conflict', message) });
    const e = await failure(
      client().createRelationship({ displayName: 'x', duration: 'P730D', roleIds: [], autoExtendDuration: 'PT0S' }),
    );
    expect(e.kind).toBe('conflict');
    expect(e.message).toBe(message);
    expect(fake.requests).toHaveLength(1);
  });

  it("412 on a stale ETag → 'precondition-failed'", async () => {
    fake.on('PATCH', URL_, { status: 412, json: graphError('PreconditionFailed', 'stale') });
    const e = await failure(client().setAutoExtend('r1', 'W/"old"', true));
    expect(e.kind).toBe('precondition-failed');
    expect(e.status).toBe(412);
    expect(fake.requests).toHaveLength(1);
  });

  it("400 → 'bad-request' with Graph's message, code and request id", async () => {
    const message = "The value 'P3Y' of 'duration' is outside P1D…P2Y.";
    fake.on('POST', RELS, { status: 400, json: graphError('BadRequest', message, 'rq-400') });
    const e = await failure(
      client().createRelationship({ displayName: 'x', duration: 'P3Y', roleIds: [], autoExtendDuration: 'PT0S' }),
    );
    expect(e.kind).toBe('bad-request');
    expect(e.message).toBe(message);
    expect(e.code).toBe('BadRequest');
    expect(e.requestId).toBe('rq-400');
    expect(e.toJSON()).toMatchObject({ kind: 'bad-request', status: 400, message, method: 'POST' });
  });

  it('an error without a Graph body keeps the status and takes request-id from the header', async () => {
    fake.on('GET', URL_, { status: 400, text: '<html>Bad</html>', headers: { 'request-id': 'hdr-1' } });
    const e = await failure(client().getRelationship('r1'));
    expect(e.kind).toBe('bad-request');
    expect(e.code).toBeNull();
    expect(e.requestId).toBe('hdr-1');
  });

  it("a 200 whose object fails the schema is 'malformed'", async () => {
    fake.on('GET', URL_, ok({ id: 5 }));
    const e = await failure(client().getRelationship('r1'));
    expect(e.kind).toBe('malformed');
    expect(e.issues.length).toBeGreaterThan(0);
  });

  it("timeout → 'timeout' (GET retried once; the hung fetch is aborted)", async () => {
    fake.on('GET', URL_, { hang: true });
    const started = Date.now();
    const e = await failure(client({ timeoutMs: 30 }).getRelationship('r1'));
    expect(e.kind).toBe('timeout');
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests.every((r) => r.signal?.aborted)).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a timeout also covers a fetch that ignores its signal', async () => {
    fake.on('GET', URL_, () => new Promise<Response>(() => undefined));
    const e = await failure(client({ timeoutMs: 20, maxRetries: 0 }).getRelationship('r1'));
    expect(e.kind).toBe('timeout');
  });

  it("describeErrorKind gives one stable, distinct i18n key per kind", () => {
    const keys = GRAPH_ERROR_KINDS.map((k: GraphErrorKind) => describeErrorKind(k));
    expect(new Set(keys).size).toBe(GRAPH_ERROR_KINDS.length);
    for (const key of keys) expect(key).toMatch(/^graphError\.[a-z][A-Za-z]*$/);
    expect(describeErrorKind('precondition-failed')).toBe('graphError.preconditionFailed');
    expect(describeErrorKind('unauthorized')).toBe('graphError.unauthorized');
  });
});

// ---------------------------------------------------------------------------
// Cancellation
// ---------------------------------------------------------------------------

describe('cancellation', () => {
  const URL_ = `${RELS}/r1`;

  it("abort during the back-off sleep → 'aborted' at once, no further attempt", async () => {
    fake.on('GET', URL_, { status: 429 }, ok(rel('r1')));
    const controller = new AbortController();
    let sleeping!: () => void;
    const asleep = new Promise<void>((resolve) => (sleeping = resolve));
    const c = client({
      // A sleep that never ends and ignores the signal: the client must not wait for it.
      sleep: (ms) => {
        sleeps.push(ms);
        sleeping();
        return new Promise<void>(() => undefined);
      },
    });
    const pending = failure(c.getRelationship('r1', { signal: controller.signal }));
    await asleep;
    const t0 = Date.now();
    controller.abort();
    const e = await pending;
    expect(e.kind).toBe('aborted');
    expect(Date.now() - t0).toBeLessThan(200);
    expect(fake.requests).toHaveLength(1);
  });

  it('the default sleep is a timer cleared by abort', async () => {
    fake.on('GET', URL_, { status: 503, headers: { 'Retry-After': '30' } }, ok(rel('r1')));
    const controller = new AbortController();
    const c = createGraphClient({ graphOrigin: ORIGIN, getAccessToken: async () => 't', fetch: fake.fetch });
    const pending = failure(c.getRelationship('r1', { signal: controller.signal }));
    setTimeout(() => controller.abort(), 20);
    const t0 = Date.now();
    expect((await pending).kind).toBe('aborted');
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it("abort during a fetch → 'aborted' (not 'timeout'), the fetch's signal aborted", async () => {
    fake.on('GET', URL_, { hang: true });
    const controller = new AbortController();
    const pending = failure(client().getRelationship('r1', { signal: controller.signal }));
    await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const e = await pending;
    expect(e.kind).toBe('aborted');
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.signal?.aborted).toBe(true);
  });

  it("abort during a POST → 'aborted', not 'network'", async () => {
    fake.on('POST', `${RELS}/r1/requests`, { hang: true });
    const controller = new AbortController();
    const pending = failure(client().terminate('r1', { signal: controller.signal }));
    await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    expect((await pending).kind).toBe('aborted');
    expect(fake.requests).toHaveLength(1);
  });

  it('an already aborted signal sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await failure(client().listRelationships({ signal: controller.signal }))).kind).toBe('aborted');
    expect(fake.requests).toHaveLength(0);
    expect(tokenCalls).toBe(0);
  });
});

// ---------------------------------------------------------------------------
// Concurrency, tokens, headers
// ---------------------------------------------------------------------------

describe('concurrency', () => {
  it('keeps at most maxConcurrent requests in flight across the whole client', async () => {
    const releases: Array<() => void> = [];
    for (let i = 0; i < 10; i++) {
      fake.on('GET', `${RELS}/r${i}`, () => new Promise<Response>((resolve) => releases.push(() => resolve(Response.json(rel(`r${i}`))))));
    }
    const c = client({ maxConcurrent: 3 });
    const all = Promise.all(Array.from({ length: 10 }, (_, i) => c.getRelationship(`r${i}`)));
    const settle = () => new Promise((r) => setTimeout(r, 5));
    await settle();
    expect(fake.inFlight).toBe(3);
    while (releases.length > 0 || fake.inFlight > 0) {
      releases.splice(0, 1)[0]?.();
      await settle();
      expect(fake.inFlight).toBeLessThanOrEqual(3);
    }
    const rels = await all;
    expect(rels.map((r) => r.id)).toEqual(Array.from({ length: 10 }, (_, i) => `r${i}`));
    expect(fake.peakInFlight).toBe(3);
  });

  it('a request sleeping between retries gives its slot to others', async () => {
    let wake!: () => void;
    fake.on('GET', `${RELS}/a`, { status: 429 }, ok(rel('a'))).on('GET', `${RELS}/b`, ok(rel('b')));
    const c = client({ maxConcurrent: 1, sleep: () => new Promise<void>((r) => (wake = r)) });
    const a = c.getRelationship('a');
    await new Promise((r) => setTimeout(r, 5));
    const b = await c.getRelationship('b'); // would hang if `a` held the only slot while sleeping
    expect(b.id).toBe('b');
    wake();
    expect((await a).id).toBe('a');
  });

  it('access assignments for many relationships: bounded, every outcome kept in order', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `r${i}`);
    for (const id of ids) {
      fake.on(
        'GET',
        `${RELS}/${id}/accessAssignments?$top=300`,
        id === 'r3'
          ? { status: 403, json: graphError('Authorization_RequestDenied', 'no') }
          : async () => {
              await new Promise((r) => setTimeout(r, 3));
              return Response.json({ value: [{ id: `as-${id}`, status: 'active' }] });
            },
      );
    }
    const out = await client({ maxConcurrent: 8 }).listAccessAssignmentsForEach(ids, { concurrency: 2 });
    expect(out.map((o) => o.relationshipId)).toEqual(ids);
    expect(out.filter((o) => o.ok)).toHaveLength(7);
    const bad = out[3];
    expect(bad?.ok === false && bad.error.kind).toBe('forbidden');
    expect(fake.peakInFlight).toBeLessThanOrEqual(2);
    expect(fake.peakInFlight).toBe(2);
  });
});

describe('tokens and headers', () => {
  it('asks getAccessToken for every attempt and page and sends it as a bearer token', async () => {
    const next = `${RELS}?$skiptoken=2`;
    fake.on('GET', FIRST_PAGE, { status: 503 }, ok({ value: [rel('a')], '@odata.nextLink': next })).on('GET', next, ok({ value: [] }));
    await client().listRelationships();
    expect(tokenCalls).toBe(3);
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2', 'Bearer token-3']);
    expect(fake.requests.every((r) => r.headers['client-request-id'] === 'crid-1')).toBe(true);
  });

  it("a token callback that fails → 'unauthorized' TokenUnavailable, nothing sent", async () => {
    const c = client({ getAccessToken: async () => Promise.reject(new Error('interaction required')) });
    const e = await failure(c.getRelationship('r1'));
    expect(e.kind).toBe('unauthorized');
    expect(e.code).toBe('TokenUnavailable');
    expect(fake.requests).toHaveLength(0);
  });

  it('R5: setAutoExtend PATCHes autoExtendDuration P180D with If-Match and returns the 200 object', async () => {
    fake.on('PATCH', `${RELS}/r1`, ok(rel('r1', { autoExtendDuration: 'P180D', '@odata.etag': 'W/"new"' })));
    const result = await client().setAutoExtend('r1', 'W/"etag-r1"', true);
    expect(result.state).toBe('applied');
    expect(result.relationship.autoExtendDuration).toBe('P180D');
    expect(result.relationship.etag).toBe('W/"new"');
    const req = fake.requests[0]!;
    expect(req.method).toBe('PATCH');
    expect(req.headers['if-match']).toBe('W/"etag-r1"');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.body).toEqual({ autoExtendDuration: 'P180D' });
  });

  it('setAutoExtend(false) sends PT0S', async () => {
    fake.on('PATCH', `${RELS}/r1`, ok(rel('r1')));
    await client().setAutoExtend('r1', 'W/"e"', false);
    expect(fake.requests[0]?.body).toEqual({ autoExtendDuration: 'PT0S' });
  });

  it('createRelationship POSTs the Graph body and returns the parsed relationship', async () => {
    fake.on('POST', RELS, { status: 201, json: rel('new', { status: 'created' }) });
    const created = await client().createRelationship({
      displayName: 'Contoso GDAP',
      duration: 'P730D',
      roleIds: ['f2ef992c-3afb-46b9-b7cf-a126ee74c451'],
      customerTenantId: 'tenant-1',
      autoExtendDuration: 'P180D',
    });
    expect(created.status).toBe('created');
    expect(fake.requests[0]?.body).toEqual({
      displayName: 'Contoso GDAP',
      duration: 'P730D',
      accessDetails: { unifiedRoles: [{ roleDefinitionId: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451' }] },
      autoExtendDuration: 'P180D',
      customer: { tenantId: 'tenant-1' },
    });
    expect(fake.requests[0]?.headers['if-match']).toBeUndefined();
  });

  it.each(['lockForApproval', 'terminate'] as const)('%s POSTs {action} to /requests', async (action) => {
    fake.on('POST', `${RELS}/r1/requests`, {
      status: 201,
      json: { id: 'q1', action, status: 'succeeded', createdDateTime: '2025-01-01T00:00:00Z' },
    });
    const c = client();
    const request = action === 'lockForApproval' ? await c.lockForApproval('r1') : await c.terminate('r1');
    expect(request).toMatchObject({ id: 'q1', action, status: 'succeeded' });
    expect(fake.requests[0]?.body).toEqual({ action });
  });

  it('request() is the low-level call: query, If-Match, 204 → undefined', async () => {
    fake.on('DELETE', `${RELS}/r1?x=1`, { status: 204 });
    const body = await client().request('DELETE', '/v1.0/tenantRelationships/delegatedAdminRelationships/r1', { ifMatch: '*', query: { x: 1 } });
    expect(body).toBeUndefined();
    expect(fake.requests[0]?.headers['if-match']).toBe('*');
  });

  it('request() refuses an absolute URL outside the Graph origin', async () => {
    const e = await failure(client().request('GET', 'https://evil.example/steal'));
    expect(e.kind).toBe('malformed');
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses a graphOrigin that is not https', () => {
    expect(() => createGraphClient({ graphOrigin: 'http://graph.microsoft.com', getAccessToken: async () => 't' })).toThrow(/https/);
  });
});

// ---------------------------------------------------------------------------
// 401: the token expired or was revoked mid-way (e.g. during a long sync)
// ---------------------------------------------------------------------------

describe('401 → one forced token refresh, then one re-send', () => {
  const URL_ = `${RELS}/r1`;
  const EXPIRED: Answer = { status: 401, json: graphError('InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.') };

  /** A token callback that records its contexts and hands out token-1, token-2, … */
  function recordingTokens(): { contexts: Array<{ forceRefresh?: boolean }>; getAccessToken: GraphClientOptions['getAccessToken'] } {
    const contexts: Array<{ forceRefresh?: boolean }> = [];
    return {
      contexts,
      getAccessToken: async (context) => {
        contexts.push({ ...(context.forceRefresh === undefined ? {} : { forceRefresh: context.forceRefresh }) });
        return `token-${contexts.length}`;
      },
    };
  }

  it('GET: 401 → getAccessToken({ forceRefresh: true }) → the same request again with the new token succeeds', async () => {
    fake.on('GET', URL_, EXPIRED, ok(rel('r1')));
    const tokens = recordingTokens();
    const r = await client({ getAccessToken: tokens.getAccessToken }).getRelationship('r1');
    expect(r.id).toBe('r1');
    expect(tokens.contexts).toEqual([{}, { forceRefresh: true }]);
    expect(fake.requests.map((q) => q.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(fake.requests.map((q) => q.url)).toEqual([URL_, URL_]);
    expect(sleeps).toEqual([]);
  });

  it('a second 401 is final: one refresh per logical request, never more', async () => {
    fake.on('GET', URL_, EXPIRED, EXPIRED, ok(rel('r1')));
    const tokens = recordingTokens();
    const e = await failure(client({ getAccessToken: tokens.getAccessToken }).getRelationship('r1'));
    expect(e.kind).toBe('unauthorized');
    expect(tokens.contexts.filter((c) => c.forceRefresh === true)).toHaveLength(1);
    expect(fake.requests).toHaveLength(2);
  });

  it('POST and PATCH are re-sent once too (a 401 means Graph did nothing)', async () => {
    fake.on('POST', RELS, EXPIRED, { status: 201, json: rel('new', { status: 'created' }) });
    const created = await client().createRelationship({
      displayName: 'x',
      duration: 'P730D',
      roleIds: ['f2ef992c-3afb-46b9-b7cf-a126ee74c451'],
      autoExtendDuration: 'PT0S',
    });
    expect(created.id).toBe('new');
    expect(fake.requests.map((q) => q.method)).toEqual(['POST', 'POST']);
    expect(fake.requests[1]?.body).toEqual(fake.requests[0]?.body);

    fresh();
    fake.on('PATCH', URL_, EXPIRED, ok(rel('r1', { autoExtendDuration: 'P180D' })));
    const result = await client().setAutoExtend('r1', 'W/"etag-r1"', true);
    expect(result.state).toBe('applied');
    expect(fake.requests.map((q) => q.headers['if-match'])).toEqual(['W/"etag-r1"', 'W/"etag-r1"']);
  });

  it('a 401 on page 2 of a list refreshes and continues from page 2', async () => {
    const next = `${RELS}?$skiptoken=2`;
    fake.on('GET', FIRST_PAGE, ok({ value: [rel('a')], '@odata.nextLink': next })).on('GET', next, EXPIRED, ok({ value: [rel('b')] }));
    const tokens = recordingTokens();
    const result = await client({ getAccessToken: tokens.getAccessToken }).listRelationships();
    expect(result.items.map((r) => r.id)).toEqual(['a', 'b']);
    expect(fake.requests.map((q) => q.url)).toEqual([FIRST_PAGE, next, next]);
    expect(tokens.contexts).toEqual([{}, {}, { forceRefresh: true }]);
  });

  it('the refresh does not use the retry budget, and the budget does not use up the refresh', async () => {
    const t429: Answer = { status: 429, headers: { 'Retry-After': '1' } };
    fake.on('GET', URL_, t429, EXPIRED, t429, ok(rel('r1')));
    const r = await client({ maxRetries: 2 }).getRelationship('r1');
    expect(r.id).toBe('r1');
    expect(fake.requests).toHaveLength(4);
    expect(sleeps).toEqual([1000, 1000]);
  });

  it("a refresh that cannot get a token (sign-in required) → 'unauthorized' TokenUnavailable with the cause kept", async () => {
    fake.on('GET', URL_, EXPIRED, ok(rel('r1')));
    const signInRequired = Object.assign(new Error('The refresh token has expired'), { kind: 'sign-in-required' });
    const c = client({
      getAccessToken: async ({ forceRefresh }) => {
        if (forceRefresh) throw signInRequired;
        return 'stale';
      },
    });
    const e = await failure(c.getRelationship('r1'));
    expect(e.kind).toBe('unauthorized');
    expect(e.code).toBe('TokenUnavailable');
    expect(e.cause).toBe(signInRequired);
    expect(fake.requests).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------
// setAutoExtend: 202 Accepted
// ---------------------------------------------------------------------------

describe('setAutoExtend 202 path', () => {
  const PATCH_URL = `${RELS}/r1`;
  const OP_URL = `${RELS}/r1/operations/op1`;
  const op = (status: string) => ({ id: 'op1', operationType: 'delegatedAdminRelationshipUpdate', data: '{}', status });

  it('R5: polls the operation at Location after Retry-After, then re-reads the relationship', async () => {
    fake
      .on('PATCH', PATCH_URL, { status: 202, headers: { Location: OP_URL, 'Retry-After': '3' } })
      .on('GET', OP_URL, ok(op('running'), { 'Retry-After': '2' }), ok(op('succeeded')))
      .on('GET', PATCH_URL, ok(rel('r1', { autoExtendDuration: 'P180D' })));
    const result = await client().setAutoExtend('r1', 'W/"e"', true);
    expect(result.state).toBe('applied');
    expect(result.operation?.status).toBe('succeeded');
    expect(result.relationship.autoExtendDuration).toBe('P180D');
    expect(sleeps).toEqual([3000, 2000]);
    expect(fake.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `PATCH ${PATCH_URL}`,
      `GET ${OP_URL}`,
      `GET ${OP_URL}`,
      `GET ${PATCH_URL}`,
    ]);
  });

  it('a failed operation is a server error', async () => {
    fake.on('PATCH', PATCH_URL, { status: 202, headers: { Location: OP_URL } }).on('GET', OP_URL, ok(op('failed')));
    const e = await failure(client().setAutoExtend('r1', 'W/"e"', true));
    expect(e.kind).toBe('server');
    expect(e.code).toBe('OperationFailed');
  });

  it('a Location outside the Graph origin is not followed: re-reads the relationship instead', async () => {
    fake
      .on('PATCH', PATCH_URL, { status: 202, headers: { Location: 'https://evil.example/op1', 'Retry-After': '1' } })
      .on('GET', PATCH_URL, ok(rel('r1')), ok(rel('r1', { autoExtendDuration: 'P180D' })));
    const result = await client().setAutoExtend('r1', 'W/"e"', true);
    expect(result.state).toBe('applied');
    expect(fake.requests.some((r) => r.url.startsWith('https://evil.example'))).toBe(false);
    expect(fake.requests.filter((r) => r.method === 'GET')).toHaveLength(2);
    expect(sleeps).toEqual([1000, 1000]);
  });

  it("without Location: waits 1 s by default between re-reads; 'pending' when the budget runs out", async () => {
    fake.on('PATCH', PATCH_URL, { status: 202 }).on('GET', PATCH_URL, ok(rel('r1')));
    const result = await client({ operationPollAttempts: 3 }).setAutoExtend('r1', 'W/"e"', true);
    expect(result.state).toBe('pending');
    expect(result.relationship.autoExtendDuration).toBe('PT0S');
    expect(sleeps).toEqual([1000, 1000, 1000]);
    expect(fake.requests.filter((r) => r.method === 'GET')).toHaveLength(4);
  });

  it('abort while waiting to poll → aborted', async () => {
    fake.on('PATCH', PATCH_URL, { status: 202, headers: { Location: OP_URL } });
    const controller = new AbortController();
    const c = client({
      sleep: () => {
        controller.abort();
        return new Promise<void>(() => undefined);
      },
    });
    const e = await failure(c.setAutoExtend('r1', 'W/"e"', true, { signal: controller.signal }));
    expect(e.kind).toBe('aborted');
    expect(fake.requests).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------
// Pure pieces: retry policy, semaphore, bounded map
// ---------------------------------------------------------------------------

describe('retry policy', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  it('parses Retry-After seconds and HTTP dates', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('', now)).toBeNull();
    expect(parseRetryAfter('-1', now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });

  it('decides retries by method and failure', () => {
    expect(retryBudget('GET', { type: 'status', status: 429, hasRetryAfter: false }, 4)).toBe(4);
    expect(retryBudget('POST', { type: 'status', status: 429, hasRetryAfter: false }, 4)).toBe(4);
    expect(retryBudget('POST', { type: 'status', status: 503, hasRetryAfter: false }, 4)).toBe(0);
    expect(retryBudget('PATCH', { type: 'status', status: 503, hasRetryAfter: true }, 4)).toBe(4);
    expect(retryBudget('GET', { type: 'status', status: 500, hasRetryAfter: false }, 4)).toBe(1);
    expect(retryBudget('DELETE', { type: 'status', status: 504, hasRetryAfter: false }, 4)).toBe(4);
    expect(retryBudget('GET', { type: 'status', status: 401, hasRetryAfter: false }, 4)).toBe(0);
    expect(retryBudget('GET', { type: 'network' }, 4)).toBe(4);
    expect(retryBudget('POST', { type: 'network' }, 4)).toBe(0);
    expect(retryBudget('GET', { type: 'timeout' }, 4)).toBe(1);
    expect(retryBudget('GET', { type: 'status', status: 500, hasRetryAfter: false }, 0)).toBe(0);
  });

  it('back-off stays within [ceiling/2, ceiling] and the ceiling doubles up to the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (retry, r) => {
        const ceiling = Math.min(32_000, 1000 * 2 ** retry);
        const d = backoffDelay(retry, { random: () => r });
        return d >= Math.floor(ceiling / 2) && d <= ceiling;
      }),
    );
  });
});

describe('pool', () => {
  it('forEachBounded never runs more than `concurrency` at once and keeps input order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 20 }), fc.integer({ min: 1, max: 5 }), async (delays, concurrency) => {
        let active = 0;
        let peak = 0;
        const out = await forEachBounded(
          delays,
          async (d, i) => {
            active++;
            peak = Math.max(peak, active);
            await new Promise((r) => setTimeout(r, d));
            active--;
            if (d === 3) throw new Error(`boom ${i}`);
            return i;
          },
          concurrency,
        );
        expect(peak).toBeLessThanOrEqual(concurrency);
        expect(out.map((o, i) => (o.ok ? o.value : i))).toEqual(delays.map((_, i) => i));
        expect(out.filter((o) => !o.ok)).toHaveLength(delays.filter((d) => d === 3).length);
      }),
      { numRuns: 30 },
    );
  });

  it('the semaphore is FIFO and an aborted waiter leaves the queue', async () => {
    const s = createSemaphore(1);
    const first = await s.acquire();
    const order: string[] = [];
    const controller = new AbortController();
    const b = s.acquire(controller.signal).then(
      () => order.push('b'),
      () => order.push('b-aborted'),
    );
    const c = s.acquire().then((release) => {
      order.push('c');
      release();
    });
    expect(s.waiting).toBe(2);
    controller.abort();
    await b;
    expect(s.waiting).toBe(1);
    first();
    first(); // releasing twice is harmless
    await c;
    expect(order).toEqual(['b-aborted', 'c']);
    expect(s.active).toBe(0);
  });
});
