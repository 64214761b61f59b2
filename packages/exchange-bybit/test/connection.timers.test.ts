/**
 * Heartbeat cadence and dead-socket replacement of one Bybit connection, under fake timers with a
 * scripted socket (no network).
 */
import { createMemoryLogger } from '@liqmon/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACK_TIMEOUT_MS, BybitConnection, heartbeatInterval, STALE_AFTER_MS, SUBSCRIBE_TRIES } from '../src/connection.js';
import { PING_INTERVAL_MS } from '../src/protocol.js';
import { ScriptedSocket } from './scripted-socket.js';

const TOPICS = ['allLiquidation.BTCUSDT', 'allLiquidation.ETHUSDT'];

describe('BybitConnection timing', () => {
  let sockets: ScriptedSocket[];
  let connection: BybitConnection;

  /** A connection on scripted sockets; `staleAfter` as the source passes it (in the client options). */
  function connect(staleAfter?: number): BybitConnection {
    return new BybitConnection({
      category: 'linear',
      url: 'ws://fake/v5/public/linear',
      name: 'linear#1',
      topics: TOPICS,
      onFrame: () => undefined,
      logger: createMemoryLogger('silent').logger,
      ws: {
        ...(staleAfter === undefined ? {} : { staleAfter }),
        createSocket: () => {
          const socket = new ScriptedSocket();
          sockets.push(socket);
          return socket;
        },
        random: () => 0.5,
      },
    });
  }

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    connection = connect();
  });

  afterEach(async () => {
    const stopping = connection.stop();
    await vi.runAllTimersAsync();
    await stopping;
    vi.useRealTimers();
  });

  async function open(): Promise<ScriptedSocket> {
    const starting = connection.start();
    await vi.advanceTimersByTimeAsync(0);
    const socket = sockets.at(-1)!;
    socket.ackAll();
    await starting;
    return socket;
  }

  const pings = (socket: ScriptedSocket) => socket.sent.filter((data) => data === '{"op":"ping"}').length;

  it('sends {"op":"ping"} every 20 s and counts the pongs', async () => {
    const socket = await open();
    expect(pings(socket)).toBe(0);
    for (let i = 1; i <= 3; i += 1) {
      await vi.advanceTimersByTimeAsync(PING_INTERVAL_MS);
      expect(pings(socket)).toBe(i);
      socket.receive({ success: true, ret_msg: 'pong', conn_id: 'x', op: 'ping' });
    }
    await vi.advanceTimersByTimeAsync(PING_INTERVAL_MS - 1);
    expect(pings(socket)).toBe(3);
    expect(connection.health()).toMatchObject({ pingsSent: 3, pongs: 3, subscribed: 2, staleReplacements: 0 });
  });

  const subscribes = (socket: ScriptedSocket) =>
    socket.sent.map((data) => JSON.parse(data) as { op: string; args?: string[]; req_id?: string }).filter((message) => message.op === 'subscribe');

  it('sends a subscribe again when Bybit never acknowledged it, and counts the topics once it does', async () => {
    const starting = connection.start();
    await vi.advanceTimersByTimeAsync(0);
    const socket = sockets.at(-1)!;
    expect(subscribes(socket)).toHaveLength(1);
    expect(connection.health().subscribed).toBe(0);
    await vi.advanceTimersByTimeAsync(ACK_TIMEOUT_MS);
    const [first, second] = subscribes(socket);
    expect(second?.args).toEqual(first?.args);
    expect(second?.req_id).not.toBe(first?.req_id);
    socket.receive({ success: true, ret_msg: '', conn_id: 'x', req_id: second?.req_id, op: 'subscribe' });
    await starting;
    expect(connection.health().subscribed).toBe(2);
    await vi.advanceTimersByTimeAsync(ACK_TIMEOUT_MS * 2);
    expect(subscribes(socket)).toHaveLength(2); // answered: no more tries
  });

  it(`stops after ${SUBSCRIBE_TRIES} unanswered subscribes on the same socket`, async () => {
    void connection.start();
    await vi.advanceTimersByTimeAsync(ACK_TIMEOUT_MS * (SUBSCRIBE_TRIES + 1) + 1_000); // still under the 60 s stale limit
    expect(sockets).toHaveLength(1);
    expect(subscribes(sockets[0]!)).toHaveLength(SUBSCRIBE_TRIES);
    expect(connection.health().subscribed).toBe(0);
  });

  it('replaces a socket that sends no data and no pong, and resubscribes exactly the same topics', async () => {
    const first = await open();
    await vi.advanceTimersByTimeAsync(STALE_AFTER_MS + 1_000);
    expect(connection.health().staleReplacements).toBe(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(sockets.length).toBe(2);
    const second = sockets[1]!;
    const subscribed = (socket: ScriptedSocket) =>
      socket.sent
        .map((data) => JSON.parse(data) as { op: string; args?: string[] })
        .filter((message) => message.op === 'subscribe')
        .flatMap((message) => message.args ?? []);
    expect(subscribed(second)).toEqual(subscribed(first));
    expect(subscribed(second)).toEqual(TOPICS);
  });

  it('keeps a quiet socket that answers its pings', async () => {
    const socket = await open();
    for (let i = 0; i < 10; i += 1) {
      await vi.advanceTimersByTimeAsync(PING_INTERVAL_MS);
      socket.receive({ success: true, ret_msg: 'pong', conn_id: 'x', op: 'ping' });
    }
    expect(sockets).toHaveLength(1);
    expect(connection.health().staleReplacements).toBe(0);
  });

  describe('with a short staleAfter (the source option)', () => {
    beforeEach(async () => {
      await connection.stop();
      sockets = [];
      connection = connect(3_000);
    });

    it('replaces a silent socket after staleAfter, not after the default 60 s', async () => {
      await open();
      await vi.advanceTimersByTimeAsync(2_900);
      expect(connection.health().staleReplacements).toBe(0);
      await vi.advanceTimersByTimeAsync(200);
      expect(connection.health().staleReplacements).toBe(1);
      await vi.advanceTimersByTimeAsync(2_000);
      expect(sockets).toHaveLength(2);
    });

    it('pings three times per staleAfter, so a quiet socket that answers is kept', async () => {
      const socket = await open();
      for (let i = 1; i <= 10; i += 1) {
        await vi.advanceTimersByTimeAsync(1_000);
        expect(pings(socket)).toBe(i);
        socket.receive({ success: true, ret_msg: 'pong', conn_id: 'x', op: 'ping' });
      }
      expect(sockets).toHaveLength(1);
      expect(connection.health()).toMatchObject({ pingsSent: 10, pongs: 10, staleReplacements: 0 });
    });
  });
});

describe('heartbeatInterval', () => {
  it("is Bybit's 20 s for the default staleAfter and longer ones, a third of a shorter one", () => {
    expect(heartbeatInterval(STALE_AFTER_MS)).toBe(PING_INTERVAL_MS);
    expect(heartbeatInterval(10 * 60_000)).toBe(PING_INTERVAL_MS);
    expect(heartbeatInterval(30_000)).toBe(10_000);
    expect(heartbeatInterval(1_000)).toBe(333);
  });
});
