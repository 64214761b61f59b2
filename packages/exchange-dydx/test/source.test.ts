/** The dYdX v4 source against its fake indexer: subscriptions, history, refusals, spreading and refresh. */
import { runSource } from '@liqmon/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import dydx from '../src/index.js';
import { FakeDydx } from '../src/testing/index.js';

let fake: FakeDydx;
const cleanups: (() => Promise<void>)[] = [];

async function start(options: Record<string, unknown> = {}, markets = ['BTC-USD', 'ETH-USD', 'SOL-USD']) {
  fake = await FakeDydx.start({ markets });
  const run = await runSource(dydx, { wsUrl: fake.wsUrl, restUrl: fake.restUrl, ...options }, { name: 'dx' });
  cleanups.push(() => run.stop(), () => fake.close());
  return run;
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('dYdX v4 source', () => {
  it('subscribes v4_trades per market on /v4/ws, ignores the history in the replies, alerts LIQUIDATED trades only', async () => {
    const run = await start();
    expect(fake.server.connections).toEqual(['/v4/ws']);
    expect(fake.requests.map((request) => `${request.type} ${request.id}`)).toEqual(['subscribe BTC-USD', 'subscribe ETH-USD', 'subscribe SOL-USD']);
    fake.trade('ETH-USD', { type: 'LIMIT' });
    fake.trade('ETH-USD', { type: 'DELEVERAGED', side: 'BUY' });
    fake.trade('ETH-USD', { side: 'BUY', size: '2', price: '3000' });
    const [event] = await run.waitForEvents(1);
    expect(event).toMatchObject({ exchange: 'dydx', market: 'linear', symbol: 'ETH-USD', base: 'ETH', quote: 'USD', side: 'short', quantity: 2, notionalUsd: 6000 });
    // Each subscribed reply carried an hour-old liquidation: none of them alerted.
    expect(run.events).toHaveLength(1);
    expect(run.instance.health?.()).toMatchObject({ connected: true, details: { markets: 3 } });
  });

  it('spreads markets over connections of marketsPerConnection, and a refresh fills the one with room first', async () => {
    const run = await start({ marketsPerConnection: 2 });
    expect(fake.server.connections).toHaveLength(2);
    fake.setMarkets(['BTC-USD', 'SOL-USD', 'DOGE-USD']);
    await run.instance.refresh?.();
    await run.waitFor(() => fake.subscribedMarkets().includes('DOGE-USD'));
    expect(fake.requests.slice(3).map((request) => `${request.client} ${request.type} ${request.id}`)).toEqual(['1 unsubscribe ETH-USD', '1 subscribe DOGE-USD']);
    expect(fake.server.connections).toHaveLength(2);
    fake.trade('DOGE-USD', { side: 'SELL', size: '10000', price: '0.4' });
    const [event] = await run.waitForEvents(1);
    expect(event).toMatchObject({ symbol: 'DOGE-USD', side: 'long', notionalUsd: 4000 });
  });

  it('logs a refused market and keeps the others', async () => {
    const run = await start({ symbols: ['BTC-USD', 'NOPE-USD'] });
    await run.waitFor(() => run.logs.some((line) => line.msg?.includes('refused') === true));
    expect(run.instance.health?.().details).toMatchObject({ connections: [{ refused: { 'NOPE-USD': 'Invalid subscribe message: Invalid ticker NOPE-USD' } }] });
    fake.trade('BTC-USD', { side: 'SELL', size: '0.5', price: '60000' });
    expect((await run.waitForEvents(1))[0]).toMatchObject({ symbol: 'BTC-USD', side: 'long', notionalUsd: 30_000 });
  });
});
