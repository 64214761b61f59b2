import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceUnreachableError } from '../../src/errors.js';
import { fetchJson, RestAnswerError } from '../../src/util/rest.js';

/** A venue on 127.0.0.1 whose paths answer as their names say. */
const routes: Record<string, (response: ServerResponse) => void> = {
  '/ok': (r) => r.writeHead(200, { 'content-type': 'application/json' }).end('{"symbols":[{"symbol":"BTCUSDT"}]}'),
  '/busy': (r) => r.writeHead(503).end('maintenance'),
  '/limited': (r) => r.writeHead(429, { 'retry-after': '5' }).end(),
  '/missing': (r) => r.writeHead(404).end('not found'),
  '/html': (r) => r.writeHead(200, { 'content-type': 'text/html' }).end('<html>captive portal</html>'),
  // Chunked, so no content-length gives the size away: the reader must stop counting bytes itself.
  '/huge': (r) => {
    r.writeHead(200, { 'content-type': 'application/json' });
    r.write(`[${'1,'.repeat(600)}`);
    r.end('1]');
  },
  '/slow': () => undefined, // never answers
};

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((request, response) => (routes[request.url ?? ''] ?? routes['/missing']!)(response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const action = 'cannot list instruments';

describe('fetchJson', () => {
  it('returns the parsed body', async () => {
    expect(await fetchJson(`${base}/ok`, { action })).toEqual({ symbols: [{ symbol: 'BTCUSDT' }] });
  });

  it('treats 5xx and 429 as the venue being unreachable for now (retried), naming the host and the status', async () => {
    const busy = await fetchJson(`${base}/busy`, { action }).catch((error: unknown) => error);
    expect(busy).toBeInstanceOf(SourceUnreachableError);
    expect((busy as Error).message).toBe(`cannot list instruments (${new URL(base).host}): HTTP 503`);
    const limited = await fetchJson(`${base}/limited`, { action }).catch((error: unknown) => error);
    expect(limited).toMatchObject({ status: 429, code: 'LIQMON_SOURCE_UNREACHABLE' });
  });

  it('reports another status, or a body that is not JSON, as a wrong answer with the URL', async () => {
    await expect(fetchJson(`${base}/missing`, { action })).rejects.toThrow(`GET ${base}/missing answered HTTP 404`);
    const html = await fetchJson(`${base}/html`, { action }).catch((error: unknown) => error);
    expect(html).toBeInstanceOf(RestAnswerError);
    expect((html as Error).message).toMatch(/answered a body that is not JSON/);
  });

  it('refuses a body larger than maxBytes without reading it whole', async () => {
    await expect(fetchJson(`${base}/huge`, { action, maxBytes: 1_000 })).rejects.toThrow(`GET ${base}/huge answered more than 1000 bytes; refused`);
    expect(await fetchJson(`${base}/huge`, { action, maxBytes: 10_000 })).toHaveLength(601);
  });

  it('gives up after the timeout as an unreachable venue, and rejects with the reason when the source stops', async () => {
    const late = await fetchJson(`${base}/slow`, { action, timeoutMs: 50 }).catch((error: unknown) => error);
    expect(late).toBeInstanceOf(SourceUnreachableError);
    const stop = new AbortController();
    const pending = fetchJson(`${base}/slow`, { action, signal: stop.signal });
    stop.abort(new Error('source stopped'));
    await expect(pending).rejects.toThrow('source stopped');
  });

  it('reports a refused connection as an unreachable venue', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await fetchJson(`http://127.0.0.1:${port}/ok`, { action }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SourceUnreachableError);
    expect((refused as Error).message).toContain('ECONNREFUSED');
  });
});
