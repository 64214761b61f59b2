/** The Binance source end to end, in process, against a fake Binance on 127.0.0.1. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runSource, type SourceHarness } from '@liqmon/core/testing';
import { ReconnectingWebSocket } from '@liqmon/core/ws';
import binance from '../src/index.js';
import { fakeOptions, lines, startFakeBinance } from './helpers.js';
import type { FakeBinance } from '@liqmon/core/testing';

let fake: FakeBinance | undefined;
let run: SourceHarness | undefined;
afterEach(async () => {
  await run?.stop();
  await fake?.close();
  run = fake = undefined;
});

/** Pushes until the source has more than `before` events (subscriptions may still be settling). */
async function pushUntil(push: () => void, harness: SourceHarness, before = harness.events.length): Promise<void> {
  await vi.waitFor(
    () => {
      if (harness.events.length <= before) push();
      expect(harness.events.length).toBeGreaterThan(before);
    },
    { timeout: 5_000, interval: 50 },
  );
}

describe('binance source against a fake Binance', () => {
  it('connects USD-M under /market and COIN-M under /stream, and emits decoded liquidations', async () => {
    fake = await startFakeBinance();
    const f = fake;
    run = await runSource(binance, fakeOptions(f), { name: 'bn' });
    expect(f.server.connections.sort()).toEqual(['/coinm/stream?streams=!forceOrder@arr', '/market/stream?streams=!forceOrder@arr']);
    const usdmFrame = lines('binance-usdm.jsonl')[14] ?? '';
    const coinmFrame = lines('binance-coinm.jsonl')[0] ?? '';
    const r = run;
    await pushUntil(() => f.pushUsdm(usdmFrame), r);
    await pushUntil(() => f.pushCoinm(coinmFrame), r);
    expect(r.events.map((e) => [e.market, e.symbol, e.side, Math.round(e.notionalUsd * 1e6) / 1e6, e.source])).toEqual([
      ['usdm', 'BTCUSDT', 'long', 15703.861, 'bn'],
      ['coinm', 'BTCUSD_200925', 'long', 300, 'bn'],
    ]);
    expect(f.server.restRequests.sort()).toEqual(['/dapi/v1/exchangeInfo', '/fapi/v1/exchangeInfo']);
    expect(r.logs.filter((l) => l.level >= 40)).toEqual([]);
    expect(r.instance.health?.()).toMatchObject({ connected: true, reconnects: 0, details: { exchangeInfo: { usdm: 10, coinm: 3 } } });
  });

  it('the legacy USD-M root accepts a connection and stays silent while /market delivers', async () => {
    fake = await startFakeBinance();
    const f = fake;
    const rootFrames: string[] = [];
    const root = new ReconnectingWebSocket({ url: `${f.usdmUrl}/stream?streams=!forceOrder@arr`, onMessage: (d) => rootFrames.push(d) });
    await root.start();
    run = await runSource(binance, fakeOptions(f, { markets: ['usdm'] }));
    const r = run;
    await pushUntil(() => f.pushUsdm({ symbol: 'ETHUSDT', filled: '2', price: '3000' }), r);
    expect(r.events[0]).toMatchObject({ symbol: 'ETHUSDT', base: 'ETH', quote: 'USDT', notionalUsd: 6000 });
    expect(root.state).toBe('open');
    expect(rootFrames).toEqual([]);
    await root.stop();
  });

  it('subscribes per-symbol streams when symbols are given, split between markets', async () => {
    fake = await startFakeBinance();
    run = await runSource(binance, fakeOptions(fake, { symbols: ['btcusdt', 'ETHUSDC', 'BTCUSD_PERP'] }));
    expect(fake.server.connections.sort()).toEqual([
      '/coinm/stream?streams=btcusd_perp@forceOrder',
      '/market/stream?streams=btcusdt@forceOrder/ethusdc@forceOrder',
    ]);
  });

  it('reconnects after the exchange drops every connection, and later liquidations arrive', async () => {
    fake = await startFakeBinance();
    const f = fake;
    run = await runSource(binance, fakeOptions(f));
    const r = run;
    await pushUntil(() => f.pushUsdm({ time: 1_800_000_000_000 }), r);
    f.server.dropAll();
    await f.server.waitFor(() => f.server.connections.length >= 4, { message: 'no reconnect after drop' });
    await pushUntil(() => f.pushUsdm({ time: 1_800_000_001_000 }), r);
    await pushUntil(() => f.pushCoinm({ time: 1_800_000_002_000 }), r);
    expect(r.instance.health?.().reconnects).toBeGreaterThanOrEqual(2);
    expect(r.crashes).toEqual([]);
  });

  it('notices a silent exchange within staleAfter and replaces the connection', async () => {
    fake = await startFakeBinance();
    const f = fake;
    run = await runSource(binance, fakeOptions(f, { markets: ['usdm'], staleAfter: '300ms', probeAfter: '100ms' }));
    const r = run;
    await pushUntil(() => f.pushUsdm(), r);
    f.server.goSilent();
    await vi.waitFor(() => expect(r.logs.some((l) => l.msg === 'websocket silent for too long; replacing it')).toBe(true), { timeout: 3_000 });
    f.server.resume();
    await f.server.waitFor(() => f.server.connections.length >= 2);
    await pushUntil(() => f.pushUsdm({ time: Date.now() + 1 }), r);
    const feeds = (r.instance.health?.().details as { feeds: { staleReplacements: number }[] }).feeds;
    expect(feeds[0]?.staleReplacements).toBeGreaterThanOrEqual(1);
  });

  it('without exchange info warns, alerts USD-M liquidations, and counts COIN-M ones as unknown instruments until it loads', async () => {
    fake = await startFakeBinance({
      usdmExchangeInfo: { status: 503, body: { msg: 'maintenance' } },
      coinmExchangeInfo: { status: 503, body: { msg: 'maintenance' } },
    });
    const f = fake;
    run = await runSource(binance, fakeOptions(f));
    const r = run;
    const warnings = r.logs.filter((l) => l.level === 40).map((l) => l.msg);
    // One line each: who, what, host, cause, what happens meanwhile, the next try. No stack.
    const host = new URL(String(f.endpoints().coinmRestUrl)).host;
    expect(warnings).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^binance: cannot load coinm exchange info \\(${host}\\): HTTP 503; COIN-M liquidations are not priced \\(their contract sizes are unknown\\) until it loads; retrying in 1h \\(at \\d\\d:\\d\\d:\\d\\d UTC\\)$`,
        ),
      ),
    );
    expect(warnings).toContainEqual(expect.stringMatching(/^binance: cannot load usdm exchange info \(.+\): HTTP 503; base\/quote are guessed from symbols until it loads; retrying in 1h/));
    expect(r.logs.filter((l) => l.level === 40).every((l) => !('err' in l))).toBe(true);
    const coinmFrame = { symbol: 'ETHUSD_PERP', filled: '7', price: '2000' };
    expect(() => r.instance.decode({ channel: 'coinm', data: JSON.stringify({ e: 'forceOrder', E: 1, o: { s: 'ETHUSD_PERP', S: 'SELL', z: '7', ap: '2000', T: 1 } }), receivedAt: 1 })).toThrow(
      expect.objectContaining({ code: 'LIQMON_UNKNOWN_INSTRUMENT', instrument: coinmFrame.symbol }),
    );
    await pushUntil(() => f.pushUsdm({ symbol: 'ETHUSDT', filled: '7', price: '2000' }), r);
    expect(r.events[0]).toMatchObject({ base: 'ETH', quote: 'USDT', notionalUsd: 14_000 });
  });

  it('garbage frames are counted as malformed and the feed goes on', async () => {
    fake = await startFakeBinance();
    const f = fake;
    run = await runSource(binance, fakeOptions(f, { markets: ['usdm'] }));
    const r = run;
    await pushUntil(() => f.pushUsdm(), r);
    f.pushUsdm('{"not":"binance"');
    f.pushUsdm('{"error":{"code":2,"msg":"Invalid request"},"id":7}');
    f.pushUsdm('{"id":1,"result":null}');
    await pushUntil(() => f.pushUsdm({ side: 'BUY' }), r);
    expect(r.malformed).toHaveLength(2);
    expect(r.crashes).toEqual([]);
    expect(r.events.at(-1)?.side).toBe('short');
  });

  it('start() returns after startTimeout with a warning when the exchange refuses, and keeps retrying', async () => {
    const { FakeExchangeServer } = await import('@liqmon/core/testing');
    const refusing = await FakeExchangeServer.start({ acceptPath: () => false });
    try {
      run = await runSource(binance, {
        usdmUrl: refusing.wsUrl,
        usdmRestUrl: refusing.httpUrl,
        markets: ['usdm'],
        startTimeout: '200ms',
        reconnectDelay: '20ms',
        maxReconnectDelay: '50ms',
      });
      const r = run;
      expect(r.logs.some((l) => l.msg === 'binance: usdm not connected after 0.2s; retrying in the background')).toBe(true);
      await vi.waitFor(() => expect(r.instance.health?.().reconnects).toBeGreaterThanOrEqual(2));
      expect(r.instance.health?.().connected).toBe(false);
      await r.stop();
    } finally {
      await refusing.close();
    }
  });

  it('refuses invalid options with readable messages', async () => {
    const { parseSourceOptions } = await import('@liqmon/core/testing');
    expect(() => parseSourceOptions(binance, { markets: ['spot'] })).toThrow(/markets/);
    expect(() => parseSourceOptions(binance, { usdmUrl: 'https://fstream.binance.com' })).toThrow(/ws:\/\/ or wss:\/\//);
    expect(() => parseSourceOptions(binance, { staleAfter: 60 })).toThrow(/with a unit/);
    expect(parseSourceOptions(binance, {})).toMatchObject({
      markets: ['usdm', 'coinm'],
      usdmUrl: 'wss://fstream.binance.com',
      coinmUrl: 'wss://dstream.binance.com',
      usdmRestUrl: 'https://fapi.binance.com',
      coinmRestUrl: 'https://dapi.binance.com',
      staleAfter: 60_000,
      maxConnectionAge: 23 * 3_600_000,
    });
  });
});
