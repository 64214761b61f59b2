import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpServerError } from '@liqmon/core/runtime';
import type { HealthReport } from '../../src/ops/health-report.js';
import { OPS_SERVER_LIMITS, startOpsServer, type OpsServer, type OpsServerLimits } from '../../src/ops/server.js';
import { createMemoryLogger, type LogLine } from '@liqmon/core/testing';

const report = (status: HealthReport['status']): HealthReport => ({
  status,
  version: '0.1.0',
  pid: 42,
  uptimeMs: 1_000,
  downAfterMs: 60_000,
  sources: {},
  sinks: {},
  problems: status === 'ok' ? [] : ['source binance has been disconnected for 61s (limit 60s)'],
});

let status: HealthReport['status'] = 'ok';
const servers: OpsServer[] = [];
const sockets: Socket[] = [];
let logLines: LogLine[] = [];
async function serve(port = 0, limits: Partial<OpsServerLimits> = {}): Promise<OpsServer> {
  const { logger, lines } = createMemoryLogger();
  logLines = lines;
  const server = await startOpsServer({
    limits,
    host: '127.0.0.1',
    port,
    health: () => report(status),
    metrics: async () => '# TYPE liqmon_up gauge\nliqmon_up 1\n',
    metricsContentType: 'text/plain; version=0.0.4; charset=utf-8',
    logger,
  });
  servers.push(server);
  return server;
}
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) await server.close();
  status = 'ok';
});

describe('operations server', () => {
  it('answers /healthz with 200 and the report, then 503 when unhealthy', async () => {
    const { url, port } = await serve();
    expect(url).toBe(`http://127.0.0.1:${port}`);
    const ok = await fetch(`${url}/healthz`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(ok.headers.get('cache-control')).toBe('no-store');
    expect(await ok.json()).toMatchObject({ status: 'ok', pid: 42 });

    status = 'unhealthy';
    const bad = await fetch(`${url}/healthz`);
    expect(bad.status).toBe(503);
    expect(await bad.json()).toMatchObject({ status: 'unhealthy', problems: ['source binance has been disconnected for 61s (limit 60s)'] });
  });

  it('serves /metrics as Prometheus text; HEAD works, other methods and paths do not', async () => {
    const { url } = await serve();
    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await metrics.text()).toContain('liqmon_up 1');

    const head = await fetch(`${url}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');

    const post = await fetch(`${url}/healthz`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const missing = await fetch(`${url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('/healthz');
  });

  it('says clearly when the port is taken', async () => {
    const { port } = await serve();
    const error = await serve(port).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpServerError);
    expect((error as HttpServerError).message).toBe(`Cannot serve /healthz and /metrics on 127.0.0.1:${port}: the port is already in use.`);
    expect((error as HttpServerError).hint).toContain('http.port');
  });

  it('closes promptly even with a keep-alive connection open', async () => {
    const server = await serve();
    await fetch(`${server.url}/healthz`, { headers: { connection: 'keep-alive' } });
    await server.close();
    servers.length = 0;
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});

/** A connection that never sends a byte; resolves once connected. */
async function idleSocket(server: OpsServer): Promise<Socket> {
  const socket = connect(server.port, '127.0.0.1');
  sockets.push(socket);
  socket.on('error', () => undefined);
  socket.resume(); // read what the server says, so that its end is seen
  await new Promise((resolve) => socket.once('connect', resolve));
  return socket;
}

/** GET on a connection of its own (no keep-alive pool holding a slot): the status, or the error code. */
function get(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}

async function waitForConnections(server: OpsServer, count: number): Promise<void> {
  await expect.poll(() => server.connections(), { timeout: 5_000, interval: 10 }).toBe(count);
}

describe('operations server: bounded connections', () => {
  it('has documented defaults', () => {
    expect(OPS_SERVER_LIMITS).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 15_000, keepAliveTimeoutMs: 5_000, maxConnections: 1_024 });
  });

  it('closes a socket that never sends a byte once the header timeout has passed (408)', async () => {
    const server = await serve(0, { headersTimeoutMs: 200 });
    const socket = await idleSocket(server);
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    await new Promise((resolve) => socket.once('close', resolve));
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    await waitForConnections(server, 0);
  });

  it('closes a socket that sends half a request and stops', async () => {
    const server = await serve(0, { headersTimeoutMs: 200 });
    const socket = await idleSocket(server);
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    await new Promise((resolve) => socket.once('close', resolve));
    await waitForConnections(server, 0);
  });

  it('over the cap refuses new connections (one warning), and answers again once under it', async () => {
    const server = await serve(0, { maxConnections: 3 });
    const idle = [await idleSocket(server), await idleSocket(server), await idleSocket(server)];
    await waitForConnections(server, 3);
    expect(await get(`${server.url}/healthz`)).toBe('ECONNRESET');
    expect(await get(`${server.url}/healthz`)).toBe('ECONNRESET');
    expect(logLines.filter((line) => String(line.msg).includes('connections open (the limit)'))).toHaveLength(1);
    idle[0]!.destroy();
    await waitForConnections(server, 2);
    expect(await get(`${server.url}/healthz`)).toBe(200);
  });

  it('answers /healthz with many idle sockets open under the cap', async () => {
    const server = await serve();
    for (let i = 0; i < 200; i++) await idleSocket(server);
    await waitForConnections(server, 200);
    expect(await get(`${server.url}/healthz`)).toBe(200);
    expect(await get(`${server.url}/metrics`)).toBe(200);
  });
});
