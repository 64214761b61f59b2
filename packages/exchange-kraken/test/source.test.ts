/** The Kraken Futures source against its fake: what it subscribes, refusals, refresh, saved reference data. */
import { createSourceHarness, runSource } from '@liqmon/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import kraken from '../src/index.js';
import { FakeKraken } from '../src/testing/index.js';

const PRODUCTS = ['PF_XBTUSD', 'PF_ETHUSD', 'PI_XBTUSD', 'PI_ETHUSD', { symbol: 'PF_OLDUSD', type: 'flexible_futures', contractSize: 1, tradeable: false }];
let fake: FakeKraken;
const cleanups: (() => Promise<void>)[] = [];

async function start(options: Record<string, unknown> = {}, instruments: unknown[] = PRODUCTS) {
  fake = await FakeKraken.start({ instruments: instruments as never });
  const run = await runSource(kraken, { wsUrl: fake.wsUrl, restUrl: fake.restUrl, ...options }, { name: 'kf' });
  cleanups.push(() => run.stop(), () => fake.close());
  return run;
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('Kraken Futures source', () => {
  it('subscribes every tradeable product of the chosen markets on /ws/v1 and alerts only liquidation trades', async () => {
    const run = await start({ markets: ['linear'] });
    expect(fake.server.connections).toEqual(['/ws/v1']);
    expect(fake.requests.map((request) => request.productIds)).toEqual([['PF_XBTUSD', 'PF_ETHUSD']]);
    fake.liquidation('PF_ETHUSD', { side: 'sell', qty: 2, price: 3000, type: 'fill' }); // an ordinary trade
    fake.liquidation('PI_XBTUSD', { side: 'sell', qty: 1000, price: 50_000 }); // not subscribed: not delivered
    fake.liquidation('PF_ETHUSD', { side: 'sell', qty: 2, price: 3000 });
    const [event] = await run.waitForEvents(1);
    expect(event).toMatchObject({ exchange: 'kraken', market: 'linear', symbol: 'PF_ETHUSD', base: 'ETH', side: 'long', quantity: 2, notionalUsd: 6000 });
    expect(run.events).toHaveLength(1);
    expect(run.malformed).toEqual([]);
    expect(run.instance.health?.()).toMatchObject({ connected: true, details: { products: 2, subscribed: 2 } });
  });

  it('logs a refused product and keeps the others', async () => {
    const run = await start({ symbols: ['PF_XBTUSD', 'PF_NOPEUSD'] });
    await run.waitFor(() => run.logs.some((line) => line.msg?.includes('refused') === true));
    fake.liquidation('PF_XBTUSD', { side: 'buy', qty: 0.1, price: 60_000 });
    const [event] = await run.waitForEvents(1);
    expect(event).toMatchObject({ symbol: 'PF_XBTUSD', base: 'BTC', side: 'short', notionalUsd: 6000 });
    expect(run.instance.health?.().details).toMatchObject({ refused: { PF_NOPEUSD: 'Invalid product id' } });
  });

  it('refresh() subscribes a new listing and unsubscribes a delisted one on the live connection', async () => {
    const run = await start({ markets: ['inverse'] });
    fake.setInstruments(['PI_ETHUSD', 'PI_SOLUSD']);
    fake.liquidation('PI_SOLUSD', { qty: 10 }); // before the refresh: not subscribed yet
    await run.instance.refresh?.();
    await fake.server.waitFor(() => fake.requests.length === 3);
    expect(fake.requests.slice(1).map((request) => `${request.event} ${request.productIds.join()}`)).toEqual(['unsubscribe PI_XBTUSD', 'subscribe PI_SOLUSD']);
    expect(fake.server.connections).toHaveLength(1);
    await run.waitFor(() => fake.subscribedProducts().includes('PI_SOLUSD'));
    fake.liquidation('PI_SOLUSD', { side: 'buy', qty: 500, price: 125 });
    const [event] = await run.waitForEvents(1);
    expect(event).toMatchObject({ market: 'inverse', symbol: 'PI_SOLUSD', side: 'short', notionalUsd: 500, quantity: 4 });
  });

  it('decodes offline from reference data saved by another instance (no REST request)', async () => {
    const first = await start();
    const saved = first.instance.reference?.();
    const offline = await runSourceOffline(saved);
    const [event] = offline.instance.decode({
      channel: 'trade',
      receivedAt: 1_800_000_000_040,
      data: '{"feed":"trade","product_id":"PI_ETHUSD","uid":"u1","side":"sell","type":"liquidation","seq":1,"time":1800000000000,"qty":300,"price":3000}',
    });
    expect(event).toMatchObject({ market: 'inverse', base: 'ETH', side: 'long', notionalUsd: 300, quantity: 0.1 });
    expect(fake.server.restRequests).toHaveLength(1);
  });

  it('refuses to guess: a product missing from the list throws UnknownInstrumentError until a refresh lists it', async () => {
    const run = await start({ markets: ['linear'] }, ['PF_XBTUSD']);
    const frame = { channel: 'trade', receivedAt: 1_800_000_000_040, data: '{"feed":"trade","product_id":"PF_NEWUSD","uid":"n1","side":"sell","type":"liquidation","time":1800000000000,"qty":5,"price":2}' };
    expect(() => run.instance.decode(frame)).toThrow(/PF_NEWUSD/);
    fake.setInstruments(['PF_XBTUSD', 'PF_NEWUSD']);
    await run.instance.refresh?.();
    expect(run.instance.decode(frame)[0]).toMatchObject({ symbol: 'PF_NEWUSD', notionalUsd: 10 });
  });
});

/** An instance pointed at a closed port: only `prepare(reference)` can give it instruments. */
async function runSourceOffline(reference: unknown) {
  const harness = createSourceHarness(kraken, { restUrl: 'http://127.0.0.1:9', wsUrl: 'ws://127.0.0.1:9' }, { name: 'offline' });
  cleanups.push(() => harness.stop());
  await harness.instance.prepare?.(reference);
  return harness;
}
