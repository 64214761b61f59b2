import { afterEach, describe, expect, it } from 'vitest';
import { HttpServerError } from '../../src/errors.js';
import type { HealthReport } from '../../src/ops/health-report.js';
import { startOpsServer, type OpsServer } from '../../src/ops/server.js';
import { createMemoryLogger } from '../../src/testing/memory-logger.js';

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
async function serve(port = 0): Promise<OpsServer> {
  const server = await startOpsServer({
    host: '127.0.0.1',
    port,
    health: () => report(status),
    metrics: async () => '# TYPE liqmon_up gauge\nliqmon_up 1\n',
    metricsContentType: 'text/plain; version=0.0.4; charset=utf-8',
    logger: createMemoryLogger().logger,
  });
  servers.push(server);
  return server;
}
afterEach(async () => {
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
