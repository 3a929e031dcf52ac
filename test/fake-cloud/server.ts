/**
 * The fake Microsoft cloud: ONE local https server answering for
 * login.microsoftonline.com, graph.microsoft.com, partner.microsoft.com,
 * admin.microsoft.com and admin.cloud.microsoft, dispatching on the Host header.
 *
 * Chromium reaches it under the real host names with
 * `cloud.chromiumArgs()` = `--host-resolver-rules=MAP <host> 127.0.0.1:<port>, …` and
 * `--ignore-certificate-errors-spki-list=<pin>`; Node clients connect to 127.0.0.1:port
 * with `servername`/`Host` set (see client.ts).
 *
 * The Partner Center and admin center pages come from ./partner-center and ./admin-center.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { makeCertificate } from './cert';
import { generateWorld } from './data';
import { FaultInjector, resetConnection, sendErrorFault, sendMalformedJson, truncateResponse, type FaultKind } from './faults';
import { FakeGraph, GRAPH_HOST } from './graph';
import { FakeClock, FakeLogin, LOGIN_HOST } from './login';
import type { HostContext, HostHandler, World } from './model';
import { partnerCenterHandler } from './partner-center/index';
import { adminCenterHandler } from './admin-center/index';

export { LOGIN_HOST, GRAPH_HOST };
export const PARTNER_CENTER_HOST = 'partner.microsoft.com';
export const ADMIN_CENTER_HOSTS = ['admin.microsoft.com', 'admin.cloud.microsoft'] as const;
export const FAKE_HOSTS = [LOGIN_HOST, GRAPH_HOST, PARTNER_CENTER_HOST, ...ADMIN_CENTER_HOSTS] as const;

/** The app registration the fake tenant has unless told otherwise. */
export const DEFAULT_CLIENT_ID = '4f6c7a52-6764-4170-8a4c-656e73000001';
/** Default redirect URIs: any Chromium extension (`https://<32 a–p>.chromiumapp.org/`) or Firefox one. */
export const DEFAULT_REDIRECT_URIS: ReadonlyArray<string | RegExp> = [
  /^https:\/\/[a-p]{32}\.chromiumapp\.org\/$/,
  /^https:\/\/[0-9a-f]{40}\.extensions\.allizom\.org\/$/,
];

export interface StartFakeCloudOptions {
  /** A ready world; otherwise one is generated from customers/seed/now. */
  world?: World;
  /** Customers of the generated world (default 40). */
  customers?: number;
  /** Generator seed (default 1). */
  seed?: number;
  /** Generator `now` (default: the current time). */
  now?: Date;
  /** Listening port; 0 (default) = a free one. */
  port?: number;
  /** Listening address (default 127.0.0.1). */
  listenHost?: string;
  /** Client ID of the registered SPA app (default DEFAULT_CLIENT_ID). */
  clientId?: string;
  /** Its redirect URIs (default DEFAULT_REDIRECT_URIS: any chromiumapp.org / allizom.org extension URL). */
  redirectUris?: Array<string | RegExp>;
}

export interface RequestLogEntry {
  /** ISO time the request arrived (real clock). */
  time: string;
  host: string;
  method: string;
  /** Path and query. */
  path: string;
  /** 0 when no answer was sent (reset, hang, client gone). */
  status: number;
  durationMs: number;
  /** The injected fault, if any. */
  fault?: FaultKind;
}

export interface FakeCloud {
  readonly port: number;
  /** base64 SHA-256 of the certificate's SubjectPublicKeyInfo. */
  readonly spkiPin: string;
  /** The server certificate (PEM), usable as `ca` by Node clients. */
  readonly cert: string;
  readonly hosts: readonly string[];
  /** Value of Chromium's --host-resolver-rules flag. */
  readonly hostResolverRules: string;
  /** `[--host-resolver-rules=…, --ignore-certificate-errors-spki-list=…]`. */
  chromiumArgs(): string[];
  readonly world: World;
  readonly faults: FaultInjector;
  readonly login: FakeLogin;
  readonly graph: FakeGraph;
  /** The clock login and Graph share (real time + offset). */
  readonly clock: FakeClock;
  /** Every request, in arrival order (entries are added when the answer ends). */
  readonly requests: RequestLogEntry[];
  clearRequests(): void;
  /** Total time spent producing Graph answers (ms). */
  readonly graphServeTimeMs: number;
  /** `https://<host>` as a browser sees it (no port). */
  origin(host: string): string;
  /** Closes the server and every connection (hung ones too). */
  stop(): Promise<void>;
}

function hostOf(req: IncomingMessage): string {
  const raw = (req.headers.host ?? '').trim().toLowerCase();
  if (raw.startsWith('[')) return raw.slice(0, raw.indexOf(']') + 1);
  const colon = raw.lastIndexOf(':');
  return colon >= 0 ? raw.slice(0, colon) : raw;
}

function notFound(res: ServerResponse): void {
  if (res.headersSent) return;
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end('Not found (fake cloud)');
}

/** Starts the fake cloud. */
export async function startFakeCloud(opts: StartFakeCloudOptions = {}): Promise<FakeCloud> {
  const world = opts.world ?? generateWorld({ customers: opts.customers ?? 40, seed: opts.seed ?? 1, now: opts.now ?? new Date() });
  const clock = new FakeClock();
  const login = new FakeLogin(world, clock);
  login.registerApp({ clientId: opts.clientId ?? DEFAULT_CLIENT_ID, redirectUris: opts.redirectUris ?? [...DEFAULT_REDIRECT_URIS] });
  const graph = new FakeGraph(world, login, clock);
  const faults = new FaultInjector();
  const requests: RequestLogEntry[] = [];
  const { key, cert, spkiPin } = await makeCertificate(FAKE_HOSTS);

  const handlers = new Map<string, HostHandler | undefined>([
    [LOGIN_HOST, login.handle],
    [GRAPH_HOST, graph.handle],
    [PARTNER_CENTER_HOST, partnerCenterHandler],
    ...ADMIN_CENTER_HOSTS.map((h) => [h, adminCenterHandler] as [string, HostHandler | undefined]),
  ]);
  const ctx: HostContext = { world, origin: (host) => `https://${host}` };

  const sockets = new Set<Socket>();
  const sleepers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  let stopped = false;
  let onStop = (): void => undefined;
  /** Resolves when stop() is called: held requests stop waiting. */
  const stopping = new Promise<void>((resolve) => (onStop = resolve));

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          sleepers.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      sleepers.add(entry);
    });

  const handleRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const host = hostOf(req);
    const method = (req.method ?? 'GET').toUpperCase();
    const rawPath = req.url ?? '/';
    const entry: RequestLogEntry = { time: new Date().toISOString(), host, method, path: rawPath, status: 0, durationMs: 0 };
    res.once('close', () => {
      entry.status = res.headersSent ? res.statusCode : 0;
      entry.durationMs = performance.now() - started;
      requests.push(entry);
    });
    res.on('error', () => undefined);

    let url: URL;
    try {
      url = new URL(rawPath.startsWith('/') ? rawPath : `/${rawPath}`, `https://${host || 'localhost'}`);
    } catch {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Bad request');
      return;
    }

    const decision = faults.decide({ host, method, path: url.pathname, pathAndQuery: url.pathname + url.search });
    if (decision.latencyMs > 0) {
      await sleep(decision.latencyMs);
      if (stopped || res.destroyed) return;
    }
    const fault = decision.fault;
    if (fault) {
      entry.fault = fault.kind;
      switch (fault.kind) {
        case '429':
        case '500':
        case '503':
        case '504':
          sendErrorFault(fault, host, req, res);
          return;
        case 'malformed-json':
          sendMalformedJson(host, req, res);
          return;
        case 'reset':
          resetConnection(req);
          return;
        case 'hang':
          // Never answer; stop() destroys the socket.
          return;
        case 'hold': {
          // Read the body now: the client may be gone (and the socket with it) by the release.
          const chunks: Buffer[] = [];
          try {
            for await (const chunk of req) chunks.push(chunk as Buffer);
          } catch {
            return;
          }
          await Promise.race([fault.gate, stopping]);
          if (stopped) return;
          const handler = handlers.get(host);
          if (!handler) return notFound(res);
          const replay = Object.assign(Readable.from(chunks), {
            headers: req.headers,
            rawHeaders: req.rawHeaders,
            method: req.method,
            url: req.url,
            httpVersion: req.httpVersion,
            socket: req.socket,
          }) as unknown as IncomingMessage;
          if (!(await handler(replay, res, url, ctx))) notFound(res);
          return;
        }
        case 'truncated-json':
          truncateResponse(res, fault);
          break;
        case 'latency':
          break;
      }
    }

    const handler = handlers.get(host);
    if (!handler) return notFound(res);
    const handled = await handler(req, res, url, ctx);
    if (!handled) notFound(res);
  };

  const server: Server = createServer({ key, cert }, (req, res) => {
    handleRequest(req, res).catch((err: unknown) => {
      console.warn('[fake-cloud] handler error:', err);
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Internal error (fake cloud)');
      } else {
        res.destroy();
      }
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => {
    socket.destroy();
  });
  server.on('tlsClientError', () => undefined);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.listenHost ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => console.warn('[fake-cloud] server error:', err));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const hostResolverRules = FAKE_HOSTS.map((h) => `MAP ${h} 127.0.0.1:${port}`).join(', ');

  return {
    port,
    spkiPin,
    cert,
    hosts: FAKE_HOSTS,
    hostResolverRules,
    chromiumArgs: () => [`--host-resolver-rules=${hostResolverRules}`, `--ignore-certificate-errors-spki-list=${spkiPin}`],
    world,
    faults,
    login,
    graph,
    clock,
    requests,
    clearRequests: () => {
      requests.length = 0;
    },
    get graphServeTimeMs() {
      return graph.serveTimeMs;
    },
    origin: ctx.origin,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      onStop();
      graph.stop();
      for (const s of sleepers) {
        clearTimeout(s.timer);
        s.resolve();
      }
      sleepers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      await closed;
    },
  };
}
