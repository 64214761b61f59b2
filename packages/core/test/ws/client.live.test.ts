/** The client against a real `ws` server on 127.0.0.1 (the fake exchange of @liqmon/core/testing). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeExchangeServer } from '../../src/testing/index.js';
import { ReconnectingWebSocket, type ReconnectingWebSocketOptions } from '../../src/ws/index.js';

let fake: FakeExchangeServer | undefined;
let client: ReconnectingWebSocket | undefined;

afterEach(async () => {
  await client?.stop();
  await fake?.close();
  client = fake = undefined;
});

async function connect(options: Partial<ReconnectingWebSocketOptions> = {}) {
  fake = await FakeExchangeServer.start({
    onClientMessage: (c, data) => c.send({ result: null, id: (JSON.parse(data) as { id: number }).id }),
  });
  const frames: string[] = [];
  client = new ReconnectingWebSocket({
    url: `${fake.wsUrl}/stream`,
    onMessage: (data) => frames.push(data),
    onOpen: (c) => void c.send({ method: 'SUBSCRIBE', params: ['!forceOrder@arr'], id: c.id }),
    backoff: { initialDelay: 20, maxDelay: 100 },
    ...options,
  });
  await client.start();
  return { fake, client, frames };
}

describe('ReconnectingWebSocket against a local server', () => {
  it('subscribes, receives frames, and resubscribes after the server drops it', async () => {
    const { fake, client, frames } = await connect();
    await vi.waitFor(() => expect(frames).toContain('{"result":null,"id":1}'));
    fake.push('{"n":1}');
    await vi.waitFor(() => expect(frames).toContain('{"n":1}'));

    fake.dropAll();
    await fake.waitFor(() => fake.connections.length === 2 && fake.received.length === 2);
    expect(fake.received.map((m) => m.data)).toEqual([
      '{"method":"SUBSCRIBE","params":["!forceOrder@arr"],"id":1}',
      '{"method":"SUBSCRIBE","params":["!forceOrder@arr"],"id":2}',
    ]);
    fake.push('{"n":2}');
    await vi.waitFor(() => expect(frames).toContain('{"n":2}'));
    expect(client.stats()).toMatchObject({ state: 'open', reconnects: 1 });
  });

  it('sends the configured upgrade headers on every connection', async () => {
    const { fake } = await connect({ headers: { 'X-Gate-Size-Decimal': '1' } });
    expect([...fake.clients].map((c) => c.headers['x-gate-size-decimal'])).toEqual(['1']);
    fake.dropAll();
    await fake.waitFor(() => fake.connections.length === 2 && fake.clients.size === 1);
    expect([...fake.clients].map((c) => c.headers['x-gate-size-decimal'])).toEqual(['1']);
  });

  it('keeps a quiet connection whose pings are answered', async () => {
    const { fake, client } = await connect({ staleAfter: 300, probeAfter: 60 });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(fake.connections).toHaveLength(1);
    expect(client.stats().staleReplacements).toBe(0);
  });

  it('replaces a connection when the server goes silent (no frames, no pongs)', async () => {
    const { fake, client } = await connect({ staleAfter: 300, probeAfter: 100 });
    fake.goSilent();
    await vi.waitFor(() => expect(client.stats().staleReplacements).toBeGreaterThanOrEqual(1), { timeout: 3_000 });
    fake.resume();
    await fake.waitFor(() => fake.connections.length >= 2);
    await client.opened();
    expect(client.state).toBe('open');
  });

  it('rotates to a new connection before the maximum age, overlapping the old one', async () => {
    const { fake, client, frames } = await connect({ maxConnectionAge: 200, rotationOverlap: 100 });
    await fake.waitFor(() => fake.connections.length >= 2);
    fake.push('{"after":"rotation"}');
    await vi.waitFor(() => expect(frames).toContain('{"after":"rotation"}'));
    expect(client.stats().rotations).toBeGreaterThanOrEqual(1);
    expect(client.stats().reconnects).toBe(0);
  });

  it('stop() closes the socket and is safe twice', async () => {
    const { fake, client } = await connect();
    await client.stop();
    await client.stop();
    await fake.waitFor(() => fake.clients.size === 0);
    expect(client.state).toBe('stopped');
  });

  it('start() keeps retrying while the server refuses the path', async () => {
    fake = await FakeExchangeServer.start({ acceptPath: (p) => p.startsWith('/market') });
    let path = '/ws';
    client = new ReconnectingWebSocket({
      url: () => `${fake!.wsUrl}${path}`,
      onMessage: () => undefined,
      backoff: { initialDelay: 10, maxDelay: 20 },
    });
    const started = client.start();
    await vi.waitFor(() => expect(client!.stats().reconnects).toBeGreaterThanOrEqual(2));
    path = '/market/ws';
    await started;
    expect(client.state).toBe('open');
  });

  it('refuses a frame larger than maxFrameBytes without reading it whole, counts it, reconnects, and later frames arrive', async () => {
    const oversized: number[] = [];
    const { fake, client, frames } = await connect({ maxFrameBytes: 64 * 1024, onOversized: ({ maxFrameBytes }) => oversized.push(maxFrameBytes) });
    fake.push(`{"big":"${'x'.repeat(200 * 1024)}"}`);
    await vi.waitFor(() => expect(client.stats().oversizedFrames).toBe(1));
    expect(oversized).toEqual([64 * 1024]);
    expect(frames.some((frame) => frame.startsWith('{"big"'))).toBe(false);
    await fake.waitFor(() => fake.connections.length === 2 && client.state === 'open');
    fake.push('{"n":3}');
    await vi.waitFor(() => expect(frames).toContain('{"n":3}'));
  });

  it('says why it cannot connect in one warn line with the host, the cause and the next try', async () => {
    const lines: { level: number; msg: string; err?: unknown }[] = [];
    const { createLogger } = await import('../../src/logger.js');
    const { Writable } = await import('node:stream');
    const logger = createLogger({
      destination: new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
          done();
        },
      }),
    });
    // A port nobody listens on: ECONNREFUSED.
    const { createServer } = await import('node:net');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise((resolve) => server.close(resolve));
    client = new ReconnectingWebSocket({ name: 'binance/usdm', url: `ws://127.0.0.1:${port}/ws`, onMessage: () => undefined, logger, backoff: { initialDelay: 20, maxDelay: 40 } });
    void client.start();
    await vi.waitFor(() => expect(lines.length).toBeGreaterThanOrEqual(2));
    expect(lines[0]).toMatchObject({ level: 40, msg: expect.stringMatching(new RegExp(`^binance/usdm: cannot connect \\(127\\.0\\.0\\.1:${port}\\): ECONNREFUSED; retrying in [\\d.]+s \\(at \\d\\d:\\d\\d:\\d\\d UTC\\)$`)) });
    expect(lines.every((line) => line.err === undefined)).toBe(true);
    expect(client.stats().lastFailure).toBe('cannot connect: ECONNREFUSED');
  });
});

describe('ReconnectingWebSocket with gzip binary frames (HTX)', () => {
  it('inflates binary frames to text, passes text frames as they are, and drops a frame that inflates past maxFrameBytes or is not gzip', async () => {
    const { gzipSync } = await import('node:zlib');
    // Everything the fake sends is gzip, as on HTX; one frame is sent as plain text by a second fake.
    fake = await FakeExchangeServer.start({ encodeFrame: (text) => (text.startsWith('plain:') ? text.slice(6) : text === 'garbage' ? Buffer.from('not gzip at all') : gzipSync(text)) });
    const frames: string[] = [];
    const oversized: number[] = [];
    client = new ReconnectingWebSocket({
      url: `${fake.wsUrl}/linear-swap-notification`,
      onMessage: (data) => frames.push(data),
      binaryFrames: 'gzip',
      maxFrameBytes: 4096,
      onOversized: ({ maxFrameBytes }) => oversized.push(maxFrameBytes),
    });
    await client.start();
    fake.push('{"op":"ping","ts":"1789670297217"}');
    fake.push('plain:{"text":true}');
    // About 100 bytes compressed, 10,000 inflated: over the 4,096-byte limit.
    fake.push(JSON.stringify({ op: 'notify', pad: 'x'.repeat(10_000) }));
    fake.push('garbage');
    fake.push('{"op":"notify","n":2}');
    await vi.waitFor(() => expect(frames).toContain('{"op":"notify","n":2}'));
    expect(frames).toEqual(['{"op":"ping","ts":"1789670297217"}', '{"text":true}', '{"op":"notify","n":2}']);
    expect(oversized).toEqual([4096]);
    expect(client.stats()).toMatchObject({ state: 'open', oversizedFrames: 1, undecodableFrames: 1, reconnects: 0 });
  });
});
