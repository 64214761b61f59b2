/** The built CLI with only `use: dydx`, against the package's fake dYdX v4 indexer. */
import { fileURLToPath } from 'node:url';
import { FakeDydx, type FakeDydxTrade } from '@liqmon/exchange-dydx/testing';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { alertEvents, cleanEnv, type CliRun, liqmon } from './cli.js';

const config = fileURLToPath(new URL('./fixtures/venue-dydx.yaml', import.meta.url));
const MARKETS = ['BTC-USD', 'ETH-USD', 'SOL-USD'];

let fake: FakeDydx;
beforeEach(async () => {
  // The indexer pings every 30 s; here every 200 ms, so that an idle cut of 800 ms can be checked.
  fake = await FakeDydx.start({ markets: MARKETS, pingInterval: 200 });
});
afterEach(async () => {
  await fake.close();
});

const subscribedAll = () => fake.server.waitFor(() => new Set(fake.subscribedMarkets()).size === MARKETS.length, { timeout: 15_000 });

/** Push one trade (fixed id and time, so one event id) until its alert line shows, across reconnects. */
async function pushUntilSeen(run: CliRun, market: string, trade: FakeDydxTrade): Promise<void> {
  const fixed = { ...trade, id: `e2e-${market}`, time: Date.now() };
  const timer = setInterval(() => fake.trade(market, fixed), 100);
  try {
    await run.waitFor(`"symbol":"${market}"`);
  } finally {
    clearInterval(timer);
  }
}


it('alerts dYdX liquidations (not the history of the subscribe replies), answers pings past the idle cut, resubscribes after a drop, exits 0 on SIGTERM', async () => {
  const run = liqmon(['start', '-c', config], { env: cleanEnv({ FAKE_WS: fake.wsUrl, FAKE_REST: fake.restUrl }) });
  await subscribedAll();
  await pushUntilSeen(run, 'ETH-USD', { side: 'SELL', size: '10', price: '3000' }); // long $30k

  fake.server.setIdleTimeout(800);
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  expect(fake.server.idleCuts).toEqual([]);
  fake.server.setIdleTimeout(undefined);

  fake.dropAll();
  await fake.server.waitFor(() => fake.server.connections.length === 2, { timeout: 15_000 });
  await subscribedAll();
  await pushUntilSeen(run, 'SOL-USD', { side: 'BUY', size: '100', price: '150' }); // short $15k

  run.child.kill('SIGTERM');
  expect(await run.exited).toBe(0);
  const alerts = alertEvents(run.stdout()).map((e) => `${e.market}:${e.symbol}:${e.side}:${e.notionalUsd}`);
  expect(alerts).toEqual(['linear:ETH-USD:long:30000', 'linear:SOL-USD:short:15000']);
}, 60_000);
