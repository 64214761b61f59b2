/**
 * The Bitget source against the fake Bitget: what it subscribes, what a user gets out of a pushed
 * liquidation, refusals, the symbols filter, new listings, offline reference data.
 */
import { SourceUnreachableError, UnknownInstrumentError, type RawFrame } from '@liqmon/core';
import { createSourceHarness, runSource, type SourceHarness } from '@liqmon/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import bitget from '../src/index.js';
import { FakeBitget } from '../src/testing/index.js';

let fake: FakeBitget | undefined;
let run: SourceHarness | undefined;
afterEach(async () => {
  await run?.stop();
  await fake?.close();
  run = fake = undefined;
});

const options = (f: FakeBitget, extra: Record<string, unknown> = {}) => ({ wsUrl: f.wsUrl, restUrl: f.restUrl, ...extra });

/**
 * Push until the source has `count` events (the subscribe may still be on its way). A push may be
 * repeated before the first copy arrives, so later events are looked up by symbol, not by position.
 */
async function pushUntil(r: SourceHarness, count: number, push: () => void, symbol?: string): Promise<void> {
  const done = () => (symbol ? r.events.some((e) => e.symbol === symbol) : r.events.length >= count);
  await r.waitFor(() => {
    if (!done()) push();
    return done();
  });
}

describe('Bitget source against the fake Bitget', () => {
  it('subscribes the liquidation topic of the three product types on /v3/ws/public, and a buy alerts as a long worth its amount', async () => {
    fake = await FakeBitget.start();
    run = await runSource(bitget, options(fake), { name: 'bitget-test' });
    await fake.server.waitFor(() => fake!.subscriptions().length === 3);
    expect(fake.server.connections).toEqual(['/v3/ws/public']);
    expect(fake.requests.map((r) => r.instTypes.join())).toEqual(['usdt-futures,usdc-futures,coin-futures']);
    const f = fake;
    await pushUntil(run, 1, () => f.liquidation('usdt-futures', 'APEUSDT', { side: 'buy', amount: '13.70319', price: '0.1649', time: 1_796_000_000_000 }));
    expect(run.events[0]).toMatchObject({ exchange: 'bitget', market: 'linear', symbol: 'APEUSDT', base: 'APE', side: 'long', notionalUsd: 13.70319, sampled: true, source: 'bitget-test' });
    expect(run.events[0]?.quantity).toBeCloseTo(83.1, 9);
    await pushUntil(run, 2, () => f.liquidation('coin-futures', 'BTCUSD', { side: 'sell', amount: '3000', price: '60000', time: 1_796_000_000_001 }), 'BTCUSD');
    expect(run.events.find((e) => e.symbol === 'BTCUSD')).toMatchObject({ market: 'inverse', symbol: 'BTCUSD', side: 'short', notionalUsd: 3000, quantity: 0.05 });
    expect(run.instance.health?.()).toMatchObject({ connected: true, feeds: { linear: true, inverse: true } });
  });

  it('subscribes only the product types of the chosen markets, and keeps only the listed symbols', async () => {
    fake = await FakeBitget.start();
    run = await runSource(bitget, options(fake, { markets: ['linear'], symbols: ['IPUSDT'] }));
    await fake.server.waitFor(() => fake!.subscriptions().length === 2);
    expect(fake.requests.map((r) => r.instTypes.join())).toEqual(['usdt-futures,usdc-futures']);
    const f = fake;
    f.liquidation('usdt-futures', 'BTCUSDT', { amount: '60000', price: '60000' });
    await pushUntil(run, 1, () => f.liquidation('usdt-futures', 'IPUSDT', { amount: '50', price: '0.5' }));
    expect(run.events.map((event) => event.symbol)).toEqual(['IPUSDT']);
    expect(fake.server.restRequests).toEqual(['/api/v3/market/instruments?category=USDT-FUTURES', '/api/v3/market/instruments?category=USDC-FUTURES']);
  });

  it("logs a refused product type with Bitget's message, and the others carry on", async () => {
    fake = await FakeBitget.start({ rejectInstTypes: ['coin-futures'] });
    run = await runSource(bitget, options(fake));
    await run.waitFor(() => run!.logs.some((line) => String(line.msg).startsWith("Bitget refused the coin-futures liquidation subscription: instType:coin-futures,topic:liquidation doesn't exist (code 30001)")));
    const f = fake;
    await pushUntil(run, 1, () => f.liquidation('usdt-futures', 'BTCUSDT', { amount: '600', price: '60000' }));
    expect(run.instance.health?.()).toMatchObject({ connected: true, feeds: { linear: true, inverse: false }, problem: "coin-futures subscription refused: instType:coin-futures,topic:liquidation doesn't exist (code 30001)" });
  });

  it('resubscribes after the venue drops the connection', async () => {
    fake = await FakeBitget.start();
    run = await runSource(bitget, options(fake, { markets: ['inverse'] }));
    await fake.server.waitFor(() => fake!.subscriptions().length === 1);
    fake.dropAll();
    await fake.server.waitFor(() => fake!.requests.length === 2 && fake!.subscriptions().length === 1);
    const f = fake;
    await pushUntil(run, 1, () => f.liquidation('coin-futures', 'BTCUSD', { side: 'buy', amount: '100', price: '50000' }));
    expect(run.events[0]).toMatchObject({ side: 'long', notionalUsd: 100 });
  });

  it('throws UnknownInstrumentError for a new listing, and decodes it after refresh()', async () => {
    fake = await FakeBitget.start();
    const harness = createSourceHarness(bitget, options(fake));
    await harness.prepare();
    const listing = frame('usdt-futures', { symbol: 'NEWUSDT', side: 'sell', price: '2', amount: '20', ts: '1796000000000' });
    expect(() => harness.instance.decode(listing)).toThrow(UnknownInstrumentError);
    fake.setInstruments('usdt-futures', [{ symbol: 'NEWUSDT', baseCoin: 'NEW', quoteCoin: 'USDT' }]);
    await harness.instance.refresh?.();
    expect(harness.instance.decode(listing)[0]).toMatchObject({ symbol: 'NEWUSDT', base: 'NEW', side: 'short', quantity: 10, notionalUsd: 20 });
    await harness.stop();
  });

  it('hands its instrument list back through reference(), and prepare(reference) decodes the same with no request', async () => {
    fake = await FakeBitget.start();
    const live = createSourceHarness(bitget, options(fake));
    await live.prepare();
    const reference = JSON.parse(JSON.stringify(live.instance.reference?.())) as unknown;
    await live.stop();
    const requests = fake.server.restRequests.length;
    const offline = createSourceHarness(bitget, options(fake));
    await offline.instance.prepare?.(reference);
    await offline.stop();
    expect(fake.server.restRequests).toHaveLength(requests);
    const liquidation = frame('usdc-futures', { symbol: 'BTCPERP', side: 'buy', price: '50000', amount: '500', ts: '1796000000000' });
    expect(offline.instance.decode(liquidation)).toEqual(live.instance.decode(liquidation));
  });

  it('refuses to start while no instrument list can be had, with a retryable error', async () => {
    fake = await FakeBitget.start();
    fake.server.setRest('/api/v3/market/instruments', { status: 503, body: { code: '50000', msg: 'busy' } });
    await expect(runSource(bitget, options(fake))).rejects.toThrow(SourceUnreachableError);
    expect(fake.server.connections).toEqual([]);
  });
});

function frame(instType: string, item: Record<string, unknown>): RawFrame {
  return { channel: 'public', receivedAt: 1_796_000_000_100, data: JSON.stringify({ action: 'update', arg: { instType, topic: 'liquidation' }, data: [item], ts: 1_796_000_000_050 }) };
}
