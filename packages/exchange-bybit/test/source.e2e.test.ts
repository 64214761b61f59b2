/**
 * End to end, in process: the Bybit source against a local fake Bybit (WebSocket streams +
 * instruments-info with pagination) listing more than 600 linear contracts over two pages plus
 * inverse ones.
 */
import { defineSource, networkFailure } from '@liqmon/core';
import { FakeBybit, runSource, type SourceHarness } from '@liqmon/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import bybit from '../src/index.js';
import { bybitOptionsSchema } from '../src/options.js';
import { createBybitSource } from '../src/source.js';

const LINEAR = ['BTCUSDT', 'ETHUSDT', ...Array.from({ length: 650 }, (_, i) => `COIN${i}USDT`)];
const INVERSE = ['BTCUSD', 'ETHUSD', 'XRPUSD'];
const REFUSED = 'allLiquidation.COIN7USDT';
const topic = (symbol: string) => `allLiquidation.${symbol}`;

/** The real plugin, but refreshing instruments every 300 ms (the schema's minimum is 10 s). */
const fastRefresh = defineSource({
  name: 'bybit',
  options: bybitOptionsSchema,
  create: (options, context) => createBybitSource({ ...options, refreshInterval: 300 }, context),
});

describe('Bybit source against a fake Bybit', () => {
  let fake: FakeBybit;
  let run: SourceHarness | undefined;

  beforeEach(async () => {
    fake = await FakeBybit.start({ linear: LINEAR, inverse: INVERSE, pageSize: 500, rejectTopics: [REFUSED] });
  });

  afterEach(async () => {
    await run?.stop();
    run = undefined;
    await fake.close();
  });

  const options = () => ({ wsUrl: fake.wsUrl, restUrl: fake.restUrl, topicsPerConnection: 200 });
  const sorted = (list: string[]) => [...list].sort();

  it('lists every page, subscribes every topic, checks every ack, and carries on past a refused topic', async () => {
    run = await runSource(bybit, options(), { name: 'bybit-main' });

    const pages = fake.server.restRequests.filter((path) => path.includes('category=linear'));
    expect(pages).toHaveLength(2);
    expect(pages[1]).toContain('cursor=page%3A500');

    const wanted = [...LINEAR.map(topic).filter((t) => t !== REFUSED)];
    expect(sorted(fake.subscribedTopics('linear'))).toEqual(sorted(wanted));
    expect(sorted(fake.subscribedTopics('inverse'))).toEqual(sorted(INVERSE.map(topic)));
    // 652 linear topics at 200 per connection, plus one inverse connection.
    expect(fake.server.match('/v5/public/linear')).toHaveLength(4);
    expect(fake.server.match('/v5/public/inverse')).toHaveLength(1);

    // Every request carried a req_id, unique on its connection, so each ack is matched to its request.
    const reqIds = fake.requests.map((request) => `${request.client}/${request.reqId}`);
    expect(new Set(reqIds).size).toBe(reqIds.length);
    expect(fake.requests.every((request) => request.reqId !== '')).toBe(true);
    for (const request of fake.requests) expect(request.args.join().length).toBeLessThan(21_000);

    const refusedLog = run.logs.find((line) => line.level === 40 && JSON.stringify(line).includes(REFUSED));
    expect(refusedLog).toBeDefined();
    const connections = run.instance.health?.().details?.connections as { subscribed: number; refused: Record<string, string> }[];
    expect(connections.reduce((sum, c) => sum + c.subscribed, 0)).toBe(wanted.length + INVERSE.length);
    expect(connections.flatMap((c) => Object.keys(c.refused))).toEqual([REFUSED]);
    expect(run.instance.health?.().connected).toBe(true);
  });

  it('turns liquidations from several symbols and both categories into events', async () => {
    run = await runSource(bybit, options(), { name: 'bybit-main' });
    fake.liquidation('linear', 'BTCUSDT', { side: 'Buy', size: '0.5', price: '60000', time: 1_790_000_000_000 });
    fake.liquidation('linear', 'COIN600USDT', { side: 'Sell', size: '100', price: '2', time: 1_790_000_000_001 });
    fake.liquidation('inverse', 'BTCUSD', { side: 'Sell', size: '5000', price: '50000', time: 1_790_000_000_002 });
    const events = await run.waitForEvents(3);
    const bySymbol = Object.fromEntries(events.map((event) => [event.symbol, event]));
    expect(bySymbol.BTCUSDT).toMatchObject({ market: 'linear', base: 'BTC', quote: 'USDT', side: 'long', notionalUsd: 30_000, quantity: 0.5 });
    expect(bySymbol.COIN600USDT).toMatchObject({ market: 'linear', base: 'COIN600', side: 'short', notionalUsd: 200 });
    expect(bySymbol.BTCUSD).toMatchObject({ market: 'inverse', base: 'BTC', quote: 'USD', side: 'short', notionalUsd: 5000, quantity: 0.1 });
    expect(events.every((event) => event.source === 'bybit-main' && event.priceKind === 'bankruptcy')).toBe(true);
    expect(run.malformed).toEqual([]);
  });

  it('after the fake drops every connection, subscribes exactly the same topics again and liquidations arrive', async () => {
    run = await runSource(bybit, options());
    const before = sorted(fake.requests.filter((r) => r.op === 'subscribe').flatMap((r) => r.args));
    const activeBefore = sorted(fake.subscribedTopics());
    const requestCount = fake.requests.length;
    const connectionCount = fake.server.connections.length;

    fake.dropAll();
    await fake.server.waitFor(() => fake.server.connections.length >= connectionCount * 2, { timeout: 10_000 });
    await run.waitFor(() => sorted(fake.subscribedTopics()).join() === activeBefore.join(), { timeout: 10_000 });
    await run.waitFor(() => run!.instance.health?.().connected === true);

    const after = sorted(fake.requests.slice(requestCount).filter((r) => r.op === 'subscribe').flatMap((r) => r.args));
    expect(after).toEqual(before);
    expect(run.instance.health?.().reconnects).toBeGreaterThanOrEqual(5);

    fake.liquidation('linear', 'ETHUSDT', { size: '2', price: '3000' });
    fake.liquidation('inverse', 'XRPUSD', { size: '50', price: '0.5' });
    const events = await run.waitForEvents(2);
    expect(events.map((event) => event.symbol).sort()).toEqual(['ETHUSDT', 'XRPUSD']);
  });

  it('subscribes a new listing and unsubscribes a delisted one at a refresh, without reconnecting', async () => {
    run = await runSource(fastRefresh, options());
    const connectionCount = fake.server.connections.length;

    fake.setInstruments('linear', [...LINEAR.filter((symbol) => symbol !== 'COIN5USDT'), 'NEWUSDT']);
    await run.waitFor(() => fake.subscribedTopics('linear').includes(topic('NEWUSDT')), { timeout: 5_000 });
    await run.waitFor(() => !fake.subscribedTopics('linear').includes(topic('COIN5USDT')), { timeout: 5_000 });

    expect(fake.server.connections).toHaveLength(connectionCount);
    expect(fake.requests.some((r) => r.op === 'unsubscribe' && r.args.includes(topic('COIN5USDT')))).toBe(true);
    expect(fake.subscribedTopics('linear').filter((t) => t === topic('NEWUSDT'))).toHaveLength(1);

    fake.liquidation('linear', 'NEWUSDT', { side: 'Sell', size: '10', price: '1.5' });
    const [event] = await run.waitForEvents(1);
    expect(event).toMatchObject({ symbol: 'NEWUSDT', base: 'NEW', quote: 'USDT', side: 'short', notionalUsd: 15 });
  });

  it('with explicit symbols, subscribes only those, each on its category', async () => {
    run = await runSource(bybit, { ...options(), symbols: ['ETHUSDT', 'ETHUSD'] });
    expect(fake.subscribedTopics('linear')).toEqual([topic('ETHUSDT')]);
    expect(fake.subscribedTopics('inverse')).toEqual([topic('ETHUSD')]);
  });
});

describe('Bybit source without instruments-info', () => {
  it('fails to start with an actionable message when nothing can be listed and no symbols are set', async () => {
    const fake = await FakeBybit.start({ linear: ['BTCUSDT'] });
    fake.server.setRest('/v5/market/instruments-info', { status: 503, body: 'down' });
    try {
      const failure = await runSource(bybit, { wsUrl: fake.wsUrl, restUrl: fake.restUrl }).then(
        () => undefined,
        (error: unknown) => error,
      );
      // What core's retry line and the status summary read: what failed, where, the cause; the hint says what to do.
      expect(failure).toMatchObject({ action: 'cannot list instruments', host: new URL(fake.restUrl).host, message: expect.stringMatching(/: HTTP 503$/) });
      expect((failure as { hint?: string }).hint).toMatch(/set `symbols`/);
      expect(networkFailure(failure)).toEqual({ action: 'cannot list instruments', host: new URL(fake.restUrl).host, cause: 'HTTP 503' });
      // prepare() asked once per category; start() does not ask again a moment later.
      expect(fake.server.restRequests.filter((request) => request.startsWith('/v5/market/instruments-info')).map((r) => new URL(r, 'http://x').searchParams.get('category')).sort()).toEqual(['inverse', 'linear']);
    } finally {
      await fake.close();
    }
  });

  it('still watches explicit symbols, guessing their category', async () => {
    const fake = await FakeBybit.start({ linear: ['BTCUSDT'], inverse: ['BTCUSD'] });
    fake.server.setRest('/v5/market/instruments-info', { status: 503, body: 'down' });
    const run = await runSource(bybit, { wsUrl: fake.wsUrl, restUrl: fake.restUrl, symbols: ['BTCUSDT', 'BTCUSD'] });
    try {
      expect(fake.subscribedTopics('linear')).toEqual([topic('BTCUSDT')]);
      expect(fake.subscribedTopics('inverse')).toEqual([topic('BTCUSD')]);
      fake.liquidation('inverse', 'BTCUSD', { size: '100', price: '50000' });
      const [event] = await run.waitForEvents(1);
      expect(event).toMatchObject({ base: 'BTC', quote: 'USD', notionalUsd: 100 });
    } finally {
      await run.stop();
      await fake.close();
    }
  });
});
