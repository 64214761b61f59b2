import { createMemoryLogger } from '@liqmon/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { AUTH_COOKIE, HttpAuth } from '../../src/ops/http-auth.js';
import { startOpsServer, type OpsServer } from '../../src/ops/server.js';

const TOKEN = 'test-token-0123456789abcdef';
const servers: OpsServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** A server with the token check and a dashboard that answers `/` and `/api/...` with "dashboard". */
async function serve(): Promise<{ server: OpsServer; lines: ReturnType<typeof createMemoryLogger>['lines'] }> {
  const { logger, lines } = createMemoryLogger();
  const server = await startOpsServer({
    host: '127.0.0.1',
    port: 0,
    health: () => ({ status: 'ok', version: '0.1.0', pid: 1, uptimeMs: 1, downAfterMs: 60_000, sources: {}, sinks: {}, problems: [] }),
    metrics: async () => 'liqmon_up 1\n',
    metricsContentType: 'text/plain',
    logger,
    auth: new HttpAuth(TOKEN),
    dashboard: {
      handle: async (req, res, url) => {
        if (url.pathname === '/api/boom') throw new Error('boom');
        if (url.pathname !== '/' && !url.pathname.startsWith('/api/')) return false;
        res.end(`dashboard ${url.pathname}${url.search}`);
        return true;
      },
    },
  });
  servers.push(server);
  return { server, lines };
}

describe('http.token', () => {
  it('leaves /healthz open and answers 401 on every other route without the token', async () => {
    const { server } = await serve();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    for (const path of ['/', '/api/stats', '/metrics', '/nope']) {
      const response = await fetch(`${server.url}${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 401 });
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="liqmon"');
      expect(await response.text()).toBe('unauthorized: a token is required: open the dashboard once as /?token=<http.token>, or send Authorization: Bearer <http.token>\n');
    }
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${server.url}/`, { headers: { cookie: `${AUTH_COOKIE}=${TOKEN}` } })).status).toBe(401);
  });

  it('accepts Authorization: Bearer (scripts, Prometheus)', async () => {
    const { server } = await serve();
    const metrics = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toBe('liqmon_up 1\n');
  });

  it('swaps ?token= for an HttpOnly SameSite=Strict cookie and a redirect without it; the cookie then works', async () => {
    const { server } = await serve();
    const wrong = await fetch(`${server.url}/?token=nope`, { redirect: 'manual' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const first = await fetch(`${server.url}/api/stats?since=1h&token=${TOKEN}&by=side`, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/api/stats?since=1h&by=side');
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(new RegExp(`^${AUTH_COOKIE}=[\\w-]+; HttpOnly; SameSite=Strict; Path=/$`));
    expect(cookie).not.toContain(TOKEN);

    const next = await fetch(`${server.url}/api/stats?since=1h`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(next.status).toBe(200);
    expect(await next.text()).toBe('dashboard /api/stats?since=1h');
  });

  it('never logs the query string of a failed request (it may hold the token)', async () => {
    const { server, lines } = await serve();
    const response = await fetch(`${server.url}/api/boom?x=1`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(500);
    expect(lines.find((line) => line.msg === 'operations server: request failed')).toMatchObject({ path: '/api/boom' });
    expect(JSON.stringify(lines)).not.toContain('x=1');
  });
});

describe('without http.token', () => {
  it('serves the dashboard at / and the API, keeping /healthz and /metrics as they are', async () => {
    const { logger } = createMemoryLogger();
    const server = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      health: () => ({ status: 'ok', version: '0.1.0', pid: 1, uptimeMs: 1, downAfterMs: 60_000, sources: {}, sinks: {}, problems: [] }),
      metrics: async () => 'liqmon_up 1\n',
      metricsContentType: 'text/plain',
      logger,
      dashboard: { handle: async (_req, res, url) => (url.pathname === '/' ? (res.end('page'), true) : false) },
    });
    servers.push(server);
    expect(await (await fetch(`${server.url}/`)).text()).toBe('page');
    expect(await (await fetch(`${server.url}/metrics`)).text()).toBe('liqmon_up 1\n');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const missing = await fetch(`${server.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('not found: try /healthz, /metrics, /, /api\n');
  });
});
