import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReconnectingWebSocket, backoffDelay, type ReconnectingWebSocketOptions } from '../../src/ws/index.js';
import { fakeFactory } from './fake-socket.js';

/** Lets queued microtasks (close events, awaited hooks) run. */
const settle = () => vi.advanceTimersByTimeAsync(0);

function setup(options: Partial<ReconnectingWebSocketOptions> = {}) {
  const factory = fakeFactory();
  const received: string[] = [];
  const client = new ReconnectingWebSocket({
    url: 'wss://example.test/ws',
    onMessage: (data) => received.push(data),
    createSocket: factory,
    random: () => 1,
    backoff: { initialDelay: 100, maxDelay: 1_000, factor: 2, jitter: 0.5 },
    ...options,
  });
  return { client, factory, received };
}

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, with jitter taking at most the configured share', () => {
    const o = { initialDelay: 100, maxDelay: 1_000, factor: 2, jitter: 0.5 };
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, o, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, o, () => 0))).toEqual([50, 100, 200, 400, 500, 500]);
  });
});

describe('ReconnectingWebSocket (fake sockets, fake timers)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs the subscribe hook on every connection and passes frames on', async () => {
    const { client, factory, received } = setup({ onOpen: (c) => void c.send({ method: 'SUBSCRIBE', id: 1 }) });
    const started = client.start();
    factory.last().open();
    await started;
    expect(client.state).toBe('open');
    factory.last().receive('{"a":1}');
    expect(received).toEqual(['{"a":1}']);
    expect(factory.last().sent).toEqual(['{"method":"SUBSCRIBE","id":1}']);

    factory.last().drop();
    await settle();
    expect(client.state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(100);
    expect(factory.sockets).toHaveLength(2);
    factory.last().open();
    await settle();
    expect(factory.last().sent).toEqual(['{"method":"SUBSCRIBE","id":1}']);
    expect(client.stats()).toMatchObject({ state: 'open', reconnects: 1, messages: 1 });
    await client.stop();
  });

  it('backs off exponentially while connections keep failing, and resets after a frame', async () => {
    const { client, factory } = setup();
    const delays: number[] = [];
    client.on('reconnect', ({ delay }) => delays.push(delay));
    void client.start();
    for (let i = 0; i < 6; i += 1) {
      factory.last().drop();
      await settle();
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
    factory.last().open();
    factory.last().receive('x');
    factory.last().drop();
    await settle();
    expect(delays.at(-1)).toBe(100);
    await client.stop();
  });

  it('probes a quiet connection with a WebSocket ping and keeps it when the pong comes back', async () => {
    const { client, factory } = setup({ staleAfter: 10_000, probeAfter: 4_000 });
    void client.start();
    const socket = factory.last();
    socket.open();
    await vi.advanceTimersByTimeAsync(4_000);
    expect(socket.pings).toBe(1);
    socket.pong();
    await vi.advanceTimersByTimeAsync(9_000);
    expect(socket.pings).toBe(2);
    socket.pong();
    expect(client.stats().staleReplacements).toBe(0);
    expect(factory.sockets).toHaveLength(1);
    await client.stop();
  });

  it('replaces a connection that stays silent past staleAfter', async () => {
    const { client, factory } = setup({ staleAfter: 10_000 });
    const stale = vi.fn();
    client.on('stale', stale);
    void client.start();
    factory.last().open();
    factory.last().receive('x');
    await vi.advanceTimersByTimeAsync(9_999);
    expect(stale).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(stale).toHaveBeenCalledWith({ connectionId: 1, idle: 10_000 });
    await vi.advanceTimersByTimeAsync(100);
    expect(factory.sockets).toHaveLength(2);
    expect(client.stats().staleReplacements).toBe(1);
    await client.stop();
  });

  it('frames keep a connection fresh without a ping', async () => {
    const { client, factory } = setup({ staleAfter: 10_000 });
    void client.start();
    const socket = factory.last();
    socket.open();
    for (let i = 0; i < 10; i += 1) {
      await vi.advanceTimersByTimeAsync(3_000);
      socket.receive('tick');
    }
    expect(socket.pings).toBe(0);
    expect(factory.sockets).toHaveLength(1);
    await client.stop();
  });

  it('rotates before the maximum age: opens the new connection, then closes the old after the overlap', async () => {
    const { client, factory, received } = setup({
      maxConnectionAge: 60_000,
      rotationOverlap: 2_000,
      staleAfter: false,
      onOpen: (c) => void c.send('sub'),
    });
    const opened: boolean[] = [];
    client.on('open', ({ rotation }) => opened.push(rotation));
    void client.start();
    const old = factory.last();
    old.open();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(factory.sockets).toHaveLength(2);
    const fresh = factory.last();
    old.receive('still-old');
    fresh.open();
    await settle();
    expect(fresh.sent).toEqual(['sub']);
    fresh.receive('new');
    old.receive('overlap');
    expect(old.readyState).toBe(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(old.readyState).toBe(3);
    expect(received).toEqual(['still-old', 'new', 'overlap']);
    expect(opened).toEqual([false, true]);
    expect(client.stats()).toMatchObject({ rotations: 1, reconnects: 0, state: 'open' });
    await client.stop();
  });

  it('sends the application heartbeat and swallows its replies', async () => {
    const { client, factory, received } = setup({
      heartbeat: { interval: 20_000, message: { op: 'ping' }, isReply: (d) => d.includes('"pong"') },
      staleAfter: 30_000,
      probeAfter: false,
    });
    void client.start();
    const socket = factory.last();
    socket.open();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(socket.sent).toEqual(['{"op":"ping"}']);
    socket.receive('{"op":"pong"}');
    await vi.advanceTimersByTimeAsync(20_000);
    socket.receive('{"op":"pong"}');
    expect(received).toEqual([]);
    expect(factory.sockets).toHaveLength(1);
    await client.stop();
  });


  it('pings on a schedule with pingInterval even while frames keep the connection busy', async () => {
    const { client, factory } = setup({ pingInterval: 20_000, staleAfter: 60_000 });
    void client.start();
    const socket = factory.last();
    socket.open();
    // A frame every 5 s: the quiet-connection probe never fires, the scheduled ping still does.
    for (let second = 5; second <= 60; second += 5) {
      await vi.advanceTimersByTimeAsync(5_000);
      socket.receive('{"feed":"trade"}');
    }
    expect(socket.pings).toBe(3);
    await client.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(socket.pings).toBe(3);
  });
  it('drops a connection whose subscribe hook fails, and retries', async () => {
    let calls = 0;
    const { client, factory } = setup({
      onOpen: () => {
        calls += 1;
        if (calls === 1) throw new Error('subscribe refused');
      },
    });
    void client.start();
    factory.last().open();
    await settle();
    expect(client.state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(100);
    factory.last().open();
    await settle();
    expect(client.state).toBe('open');
    await client.stop();
  });

  it('stop() is idempotent, leaves no timers, and stops on abort', async () => {
    const controller = new AbortController();
    const { client, factory } = setup({ signal: controller.signal, maxConnectionAge: 1_000_000, heartbeat: { interval: 1_000, message: 'p' } });
    void client.start();
    factory.last().open();
    await settle();
    controller.abort();
    await settle();
    expect(client.state).toBe('stopped');
    await client.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
