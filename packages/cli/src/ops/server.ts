/**
 * The operations HTTP server (node:http; read-only routes need no framework):
 *   GET /healthz  200 or 503 with the health report as JSON
 *   GET /metrics  Prometheus text exposition
 *   GET /, /assets/..., /api/...  the dashboard and its API (@liqmon/dashboard), when given one;
 *                 otherwise / is a one-line index
 * HEAD works on each; other methods get 405, other paths 404. Nothing here changes the running
 * instance, and it binds to loopback unless the config says otherwise. With `http.token` set, every
 * route but /healthz needs the token (http-auth.ts).
 *
 * Connections are bounded (docs/security.md): a socket must deliver its request headers within
 * `headersTimeoutMs` of connecting (one that never sends a byte is closed then, with 408), an idle
 * keep-alive connection is closed after `keepAliveTimeoutMs`, and at most `maxConnections` are open at
 * once (more are closed on accept), so descriptors cannot grow without bound.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpServerError } from '@liqmon/core/runtime';
import type { Logger } from '@liqmon/core';
import type { HealthReport } from './health-report.js';
import type { HttpAuth } from './http-auth.js';

/** The dashboard as the server uses it (`Dashboard` of @liqmon/dashboard fits). */
export interface DashboardRoutes {
  /** Answer the request when the path is the dashboard's; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
}

export interface OpsServerOptions {
  host: string;
  port: number;
  health: () => HealthReport;
  metrics: () => Promise<string>;
  metricsContentType: string;
  logger: Logger;
  /** The page at `/` and the API under `/api`. */
  dashboard?: DashboardRoutes;
  /** The token check of every route but /healthz (absent: no token configured). */
  auth?: HttpAuth;
  /** Limits on connections; the defaults are {@link OPS_SERVER_LIMITS}. */
  limits?: Partial<OpsServerLimits>;
}

/** How long connections may take and how many may be open. */
export interface OpsServerLimits {
  /** The request headers must have arrived this long after the connection opened (or the last request). */
  headersTimeoutMs: number;
  /** The whole request must have arrived by then (at least `headersTimeoutMs`). */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long. */
  keepAliveTimeoutMs: number;
  /** Connections open at once; more are closed as soon as they are accepted. */
  maxConnections: number;
}

/**
 * Defaults. /healthz and /metrics answer in milliseconds and Prometheus sends a request at once, so
 * 10 s for the headers is generous; 1,024 connections leave room for probes beside 1,000 idle sockets
 * (each costs a descriptor and a few KB), and every idle one is gone after 10 s anyway.
 */
export const OPS_SERVER_LIMITS: Readonly<OpsServerLimits> = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1_024,
});

/** A listening operations server. */
export interface OpsServer {
  /** The address actually bound (the real port when the config said 0). */
  readonly host: string;
  readonly port: number;
  /** `http://host:port`, for logs. */
  readonly url: string;
  /** Connections open right now. */
  connections(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Listen on `host:port`.
 * @throws HttpServerError when the address cannot be bound (in use, not an address of this machine).
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const limits = { ...OPS_SERVER_LIMITS, ...options.limits };
  // Node checks the header and request timeouts every `connectionsCheckingInterval` (30 s by default):
  // check often enough that a timeout is honoured within a fraction of itself.
  const checkEveryMs = Math.max(10, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4)));
  const server = createServer({ connectionsCheckingInterval: checkEveryMs }, (req, res) => {
    handle(req, res, options).catch((error: unknown) => {
      // The path only: a query string may carry the token.
      options.logger.error({ err: error, path: new URL(req.url ?? '/', 'http://localhost').pathname }, 'operations server: request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('internal error\n');
    });
  });
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs);
  // Scrapers and probes reconnect often; an idle socket must not hold descriptors or shutdown up.
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  let refused = 0;
  let warnedAt = Number.NEGATIVE_INFINITY;
  server.on('drop', () => {
    // At most one line a minute, with the count since the last one: a flood must not flood the log too.
    refused++;
    if (Date.now() - warnedAt < 60_000) return;
    warnedAt = Date.now();
    options.logger.warn(`operations server: ${limits.maxConnections} connections open (the limit); refused ${refused} since the last warning`);
    refused = 0;
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(new HttpServerError(options.host, options.port, error)));
    server.listen(options.port, options.host, () => resolve());
  });
  server.on('error', (error) => options.logger.error({ err: error }, 'operations server error'));
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    host: address.address,
    port: address.port,
    url: `http://${shownHost}:${address.port}`,
    connections: () => new Promise<number>((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count)))),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, options: OpsServerOptions): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return send(res, req, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
  }
  const decision = options.auth?.check(req, url) ?? { kind: 'allow' };
  if (decision.kind === 'deny') {
    res.setHeader('www-authenticate', 'Bearer realm="liqmon"');
    return send(res, req, 401, 'text/plain; charset=utf-8', `unauthorized: ${decision.message}\n`);
  }
  if (decision.kind === 'redirect') {
    res.setHeader('set-cookie', decision.cookie);
    res.setHeader('location', decision.location);
    return send(res, req, 303, 'text/plain; charset=utf-8', `see ${decision.location}\n`);
  }
  const route = ROUTES[url.pathname];
  if (route && !(options.dashboard && url.pathname === '/')) return route(req, res, options);
  if (options.dashboard && (await options.dashboard.handle(req, res, url))) return;
  send(res, req, 404, 'text/plain; charset=utf-8', `not found: try ${Object.keys(ROUTES).join(', ')}${options.dashboard ? ', /api' : ''}\n`);
}

type Route = (req: IncomingMessage, res: ServerResponse, options: OpsServerOptions) => Promise<void> | void;

const ROUTES: Record<string, Route> = {
  '/healthz': (req, res, options) => {
    const report = options.health();
    send(res, req, report.status === 'ok' ? 200 : 503, 'application/json; charset=utf-8', `${JSON.stringify(report, null, 2)}\n`);
  },
  '/metrics': async (req, res, options) => {
    send(res, req, 200, options.metricsContentType, await options.metrics());
  },
  '/': (req, res) => {
    send(res, req, 200, 'text/plain; charset=utf-8', 'liqmon: GET /healthz (JSON, 200 or 503), GET /metrics (Prometheus)\n');
  },
};

function send(res: ServerResponse, req: IncomingMessage, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
}
