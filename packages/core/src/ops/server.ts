/**
 * The operations HTTP server (node:http; two read-only routes need no framework):
 *   GET /healthz  200 or 503 with the health report as JSON
 *   GET /metrics  Prometheus text exposition
 *   GET /         a one-line index
 * HEAD works on each; other methods get 405, other paths 404. Nothing here changes the running
 * instance, and it binds to loopback unless the config says otherwise.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpServerError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { HealthReport } from './health-report.js';

export interface OpsServerOptions {
  host: string;
  port: number;
  health: () => HealthReport;
  metrics: () => Promise<string>;
  metricsContentType: string;
  logger: Logger;
}

/** A listening operations server. */
export interface OpsServer {
  /** The address actually bound (the real port when the config said 0). */
  readonly host: string;
  readonly port: number;
  /** `http://host:port`, for logs. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Listen on `host:port`.
 * @throws HttpServerError when the address cannot be bound (in use, not an address of this machine).
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server = createServer((req, res) => {
    handle(req, res, options).catch((error: unknown) => {
      options.logger.error({ err: error, path: req.url }, 'operations server: request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('internal error\n');
    });
  });
  // Scrapers and probes reconnect often; an idle socket must not hold shutdown up.
  server.keepAliveTimeout = 5_000;
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
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, options: OpsServerOptions): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const route = ROUTES[path];
  if (!route) return send(res, req, 404, 'text/plain; charset=utf-8', `not found: try ${Object.keys(ROUTES).join(', ')}\n`);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return send(res, req, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
  }
  await route(req, res, options);
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
