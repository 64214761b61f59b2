import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerJson, AnswerTooLargeError, HttpHeaders, httpRequest } from '../../src/util/http-client.js';

const BODY = JSON.stringify({ symbols: Array.from({ length: 200 }, (_, i) => ({ symbol: `S${i}USDT`, contractSize: 1 })) });

/** A server on 127.0.0.1 whose paths answer as their names say; it remembers what it was asked. */
const routes: Record<string, (request: IncomingMessage, response: ServerResponse) => void> = {
  '/ok': (_q, r) => r.writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] }).end(BODY),
  '/echo': (q, r) => {
    const chunks: Buffer[] = [];
    q.on('data', (chunk: Buffer) => chunks.push(chunk));
    q.on('end', () => r.writeHead(201).end(JSON.stringify({ method: q.method, headers: q.headers, body: Buffer.concat(chunks).toString() })));
  },
  '/gzip': (_q, r) => r.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(BODY)),
  '/deflate': (_q, r) => r.writeHead(200, { 'content-encoding': 'deflate' }).end(deflateSync(BODY)),
  '/br': (_q, r) => r.writeHead(200, { 'content-encoding': 'br' }).end(brotliCompressSync(BODY)),
  // 10 MB of zeros in about 10 kB: the limit must count what comes out of the decompressor.
  '/bomb': (_q, r) => r.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(Buffer.alloc(10_000_000))),
  '/declared-large': (_q, r) => r.writeHead(200, { 'content-length': '5000' }).end('x'.repeat(5000)),
  '/chunked-large': (_q, r) => {
    r.writeHead(200);
    for (let i = 0; i < 10; i++) r.write('y'.repeat(500));
    r.end();
  },
  '/bad-gzip': (_q, r) => r.writeHead(200, { 'content-encoding': 'gzip' }).end('this is not gzip'),
  '/moved': (_q, r) => r.writeHead(301, { location: '/ok' }).end(),
  '/cut': (q, r) => {
    r.writeHead(200, { 'content-length': '1000' });
    r.write('partial');
    setTimeout(() => q.socket.destroy(), 20);
  },
  '/headers-later': (_q, r) => {
    setTimeout(() => r.writeHead(200).end('late'), 5_000);
  },
  '/body-later': (_q, r) => {
    r.writeHead(200, { 'content-length': '100' });
    r.write('start');
  },
};

let server: Server;
let base: string;
const sockets = new Set<Socket>();
beforeAll(async () => {
  server = createServer((request, response) => (routes[request.url ?? ''] ?? ((_q, r) => r.writeHead(404).end('not found')))(request, response));
  server.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('httpRequest', () => {
  it('reads status, headers (any letter case, repeated ones joined) and the whole body', async () => {
    const answer = await httpRequest(`${base}/ok`);
    expect(answer).toMatchObject({ status: 200, ok: true, statusText: 'OK', text: BODY });
    expect(answer.headers.get('Content-Type')).toBe('application/json');
    expect(answer.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(answer.headers.get('x-absent')).toBeNull();
    expect(answerJson(answer)).toEqual(JSON.parse(BODY));
  });

  it('sends method, body with its length, and headers; user-agent liqmon unless given', async () => {
    const answer = await httpRequest(new URL(`${base}/echo`), { method: 'POST', body: 'héllo', headers: { 'Content-Type': 'text/plain' } });
    expect(answer.status).toBe(201);
    const seen = answerJson(answer) as { method: string; headers: Record<string, string>; body: string };
    expect(seen).toMatchObject({ method: 'POST', body: 'héllo' });
    expect(seen.headers).toMatchObject({ 'content-type': 'text/plain', 'content-length': '6', 'user-agent': 'liqmon', 'accept-encoding': 'gzip, deflate, br' });
    const named = answerJson(await httpRequest(`${base}/echo`, { headers: { 'User-Agent': 'liqmon (Discord sink)' } })) as { headers: Record<string, string> };
    expect(named.headers['user-agent']).toBe('liqmon (Discord sink)');
  });

  it.each(['gzip', 'deflate', 'br'])('decompresses a %s answer', async (encoding) => {
    const answer = await httpRequest(`${base}/${encoding}`);
    expect(answer.text).toBe(BODY);
  });

  it('refuses a body past maxBytes: declared, chunked, or decompressed from a small answer', async () => {
    for (const path of ['/declared-large', '/chunked-large', '/bomb']) {
      const error = await httpRequest(`${base}${path}`, { maxBytes: 4_096 }).catch((caught: unknown) => caught);
      expect(error, path).toBeInstanceOf(AnswerTooLargeError);
      expect(error, path).toMatchObject({ status: 200, maxBytes: 4_096, message: 'the answer is larger than 4096 bytes; refused' });
    }
    expect((await httpRequest(`${base}/chunked-large`, { maxBytes: 5_000 })).text).toHaveLength(5_000);
  });

  it('rejects a body that does not decompress, and the next request goes through', async () => {
    await expect(httpRequest(`${base}/bad-gzip`)).rejects.toMatchObject({ code: 'Z_DATA_ERROR' });
    expect((await httpRequest(`${base}/gzip`)).text).toBe(BODY);
  });

  it('does not follow a redirect: a 3xx is an answer', async () => {
    const answer = await httpRequest(`${base}/moved`);
    expect(answer).toMatchObject({ status: 301, ok: false });
    expect(answer.headers.get('location')).toBe('/ok');
  });

  it('keeps the connection alive between requests', async () => {
    await httpRequest(`${base}/ok`);
    const before = sockets.size;
    await httpRequest(`${base}/ok`);
    await httpRequest(`${base}/ok`);
    expect(sockets.size).toBe(before);
  });

  it('rejects with the signal\'s reason when it aborts before the answer or during its body', async () => {
    const before = httpRequest(`${base}/headers-later`, { signal: AbortSignal.timeout(50) });
    await expect(before).rejects.toMatchObject({ name: 'TimeoutError' });
    const controller = new AbortController();
    const during = httpRequest(`${base}/body-later`, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stopping')), 50);
    await expect(during).rejects.toThrow('stopping');
    const aborted = AbortSignal.abort(new Error('already stopped'));
    await expect(httpRequest(`${base}/ok`, { signal: aborted })).rejects.toThrow('already stopped');
  });

  it('rejects with Node\'s error when the connection fails or the body is cut short', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(httpRequest(`http://127.0.0.1:${port}/`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(httpRequest(`${base}/cut`)).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('rejects, without throwing, a URL or header it cannot send', async () => {
    await expect(httpRequest('ftp://127.0.0.1/')).rejects.toThrow('cannot send an HTTP request to a ftp: URL');
    await expect(httpRequest('not a url')).rejects.toThrow(/Invalid URL/);
    await expect(httpRequest(`${base}/ok`, { headers: { 'x-title': 'line\nbreak' } })).rejects.toMatchObject({ code: 'ERR_INVALID_CHAR' });
  });
});

describe('HttpHeaders', () => {
  it('reads names in any letter case', () => {
    const headers = new HttpHeaders({ 'Retry-After': '7' });
    expect(headers.get('retry-after')).toBe('7');
    expect(headers.get('RETRY-AFTER')).toBe('7');
  });
});

describe('answerJson', () => {
  it('is undefined for a body that is not JSON', () => {
    expect(answerJson({ text: '<html>Bad gateway</html>' })).toBeUndefined();
    expect(answerJson({ text: '' })).toBeUndefined();
  });
});
