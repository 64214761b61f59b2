/** The built CLI with only `use: kraken`, against the package's fake Kraken Futures. */
import { fileURLToPath } from 'node:url';
import { FakeKraken, type FakeKrakenTrade } from '@liqmon/exchange-kraken/testing';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { alertEvents, cleanEnv, type CliRun, liqmon } from './cli.js';

const config = fileURLToPath(new URL('./fixtures/venue-kraken.yaml', import.meta.url));
const PRODUCTS = ['PF_XBTUSD', 'PF_ETHUSD', 'PI_XBTUSD', 'PI_ETHUSD'];

let fake: FakeKraken;
beforeEach(async () => {
  fake = await FakeKraken.start({ instruments: PRODUCTS });
});
afterEach(async () => {
  await fake.close();
});

const subscribedAll = () => fake.server.waitFor(() => new Set(fake.subscribedProducts()).size === PRODUCTS.length, { timeout: 15_000 });

/** Push one trade (fixed uid and time, so one id) until its alert line shows, across reconnects. */
async function pushUntilSeen(run: CliRun, product: string, trade: FakeKrakenTrade): Promise<void> {
  const fixed = { ...trade, uid: `e2e-${product}-${trade.qty}`, time: Date.now() };
  const timer = setInterval(() => fake.liquidation(product, fixed), 100);
  try {
    await run.waitFor(`"symbol":"${product}"`);
  } finally {
    clearInterval(timer);
  }
}


it('alerts Kraken liquidations, keeps pinging past the idle cut, resubscribes after a drop, exits 0 on SIGTERM', async () => {
  const run = liqmon(['start', '-c', config], { env: cleanEnv({ FAKE_WS: fake.wsUrl, FAKE_REST: fake.restUrl }) });
  await subscribedAll();
  await pushUntilSeen(run, 'PF_XBTUSD', { side: 'sell', qty: 0.5, price: 60_000 }); // long $30k

  // Kraken cuts a client that sent no ping; staleAfter 1s pings every 333 ms.
  fake.server.setIdleTimeout(800);
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  expect(fake.server.idleCuts).toEqual([]);
  fake.server.setIdleTimeout(undefined);

  fake.dropAll();
  await fake.server.waitFor(() => fake.server.connections.length === 2, { timeout: 15_000 });
  await subscribedAll();
  await pushUntilSeen(run, 'PI_ETHUSD', { side: 'buy', qty: 25_000, price: 2_500 }); // short, 25,000 USD contracts

  run.child.kill('SIGTERM');
  expect(await run.exited).toBe(0);
  const alerts = alertEvents(run.stdout()).map((e) => `${e.market}:${e.symbol}:${e.side}:${e.notionalUsd}`);
  expect(alerts).toEqual(['linear:PF_XBTUSD:long:30000', 'inverse:PI_ETHUSD:short:25000']);
}, 60_000);
