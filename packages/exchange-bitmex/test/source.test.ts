/**
 * The BitMEX source against the fake BitMEX: what it subscribes, its text pings, refused topics, alerts
 * on inserts only, a new listing picked up by refresh(), and reference data handed back.
 */
import { UnknownInstrumentError } from '@liqmon/core';
import { createSourceHarness, runSource, type SourceHarness } from '@liqmon/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import bitmex from '../src/index.js';
import { DEFAULT_INSTRUMENTS, FakeBitmex } from '../src/testing/index.js';

let fake: FakeBitmex;
let run: SourceHarness | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
  await fake.close();
});

const options = (extra: Record<string, unknown> = {}) => ({ wsUrl: fake.wsUrl, restUrl: fake.restUrl, ...extra });
const insert = (symbol: string) => ({
  channel: 'realtime',
  data: JSON.stringify({ table: 'liquidation', action: 'insert', data: [{ orderID: 'o-1', symbol, side: 'Sell', price: 2, leavesQty: 10_000 }] }),
  receivedAt: Date.now(),
});

describe('BitMEX source', () => {
  it('subscribes the whole liquidation table and alerts once per liquidation order, not on its update or delete', async () => {
    fake = await FakeBitmex.start();
    run = await runSource(bitmex, options(), { name: 'bmx' });
    expect(fake.requests).toEqual([{ client: 1, op: 'subscribe', args: ['liquidation'] }]);
    fake.liquidation('XBTUSD', { orderID: 'o-42', side: 'Buy', price: 60_000, leavesQty: 30_000 });
    fake.liquidation('XBTUSD', { orderID: 'o-42', leavesQty: 10_000 }, 'update');
    fake.liquidation('XBTUSD', { orderID: 'o-42' }, 'delete');
    fake.liquidation('XBTUSDT', { orderID: 'o-43', side: 'Sell', price: 60_000, leavesQty: 250_000 });
    const events = await run.waitForEvents(2);
    expect(events.map((event) => `${event.source}:${event.market}:${event.symbol}:${event.side}:${event.quantity}:${event.notionalUsd}`)).toEqual([
      'bmx:inverse:XBTUSD:short:0.5:30000', // a Buy order closes a short; 30,000 contracts of 1 USD
      'bmx:linear:XBTUSDT:long:0.25:15000', // 250,000 contracts of 1e-6 BTC
    ]);
    expect(run.instance.health?.()).toMatchObject({ connected: true, feeds: { liquidation: true } });
  });

  it('sends a text ping when quiet and keeps the pongs out of the frames', async () => {
    fake = await FakeBitmex.start();
    run = await runSource(bitmex, options({ staleAfter: '1s' }), { name: 'bmx' });
    await run.waitFor(() => fake.pings >= 3, { timeout: 3_000 });
    expect(run.frames.some((frame) => frame.data === 'pong')).toBe(false);
  });

  it('logs a refused topic and counts it in health; the other topics carry on', async () => {
    fake = await FakeBitmex.start();
    run = await runSource(bitmex, options({ symbols: ['XBTUSD', 'NOPEUSD'] }), { name: 'bmx' });
    const health = run.instance.health?.().details?.connection as { subscribed: number; refused: Record<string, string> };
    expect(health.subscribed).toBe(1);
    expect(Object.keys(health.refused)).toEqual(['liquidation:NOPEUSD']);
    expect(run.logs.some((line) => line.level === 40 && String(line.msg).includes('refused a subscription'))).toBe(true);
    expect(fake.liquidation('XBTUSD')).toBe(1);
    expect(fake.liquidation('XBTUSDT')).toBe(0); // only subscribed topics reach the client
  });

  it('prices a new listing once refresh() has fetched it (core calls it after UnknownInstrumentError)', async () => {
    fake = await FakeBitmex.start();
    const harness = createSourceHarness(bitmex, options(), { name: 'bmx' });
    try {
      await harness.prepare();
      expect(() => harness.instance.decode(insert('DOGEUSDT'))).toThrow(UnknownInstrumentError);
      fake.setInstruments([
        ...DEFAULT_INSTRUMENTS,
        { symbol: 'DOGEUSDT', rootSymbol: 'DOGE', quoteCurrency: 'USDT', settlCurrency: 'USDt', isInverse: false, isQuanto: false, multiplier: 1, underlyingToPositionMultiplier: 100, markPrice: 2 },
      ]);
      await harness.instance.refresh?.();
      expect(harness.instance.decode(insert('DOGEUSDT'))).toMatchObject([{ base: 'DOGE', side: 'long', quantity: 100, notionalUsd: 200 }]);
    } finally {
      await harness.stop();
    }
  });

  it('hands its contract list and XBT price back through reference(), and prepare(reference) decodes offline with them', async () => {
    fake = await FakeBitmex.start();
    const live = createSourceHarness(bitmex, options(), { name: 'bmx' });
    await live.prepare();
    const reference = JSON.parse(JSON.stringify(live.instance.reference?.())) as unknown;
    await live.stop();
    const offline = createSourceHarness(bitmex, options({ restUrl: 'http://127.0.0.1:9' }), { name: 'bmx' });
    try {
      await offline.instance.prepare?.(reference);
      // Quanto ETHUSD: 100 sat x 2 x 10,000 contracts = 0.02 XBT, at the fake's XBTUSD mark price of 60,000.
      expect(offline.instance.decode(insert('ETHUSD'))).toMatchObject([{ base: 'ETH', notionalUsd: 1_200, quantity: 600 }]);
    } finally {
      await offline.stop();
    }
  });
});
