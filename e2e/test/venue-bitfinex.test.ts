/** The built CLI with only `use: bitfinex`, against the package's fake Bitfinex. */
import { fileURLToPath } from 'node:url';
import { FakeBitfinex, type FakeBitfinexLiquidation } from '@liqmon/exchange-bitfinex/testing';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { alertEvents, cleanEnv, type CliRun, liqmon } from './cli.js';

const config = fileURLToPath(new URL('./fixtures/venue-bitfinex.yaml', import.meta.url));

let fake: FakeBitfinex;
beforeEach(async () => {
  fake = await FakeBitfinex.start({ heartbeatInterval: 200 });
});
afterEach(async () => {
  await fake.close();
});

/** Push one row (fixed position id and time, so one event id) until its alert line shows, across reconnects. */
async function pushUntilSeen(run: CliRun, liquidation: FakeBitfinexLiquidation & { symbol: string }): Promise<void> {
  const fixed = { ...liquidation, posId: 170_000_000 + Math.round(Math.abs(liquidation.amount ?? 1) * 1000), time: Date.now() };
  const timer = setInterval(() => fake.liquidation(fixed), 100);
  try {
    await run.waitFor(`"symbol":"${liquidation.symbol}"`);
  } finally {
    clearInterval(timer);
  }
}


it('alerts Bitfinex liquidations (not the snapshot), pings past the idle cut, resubscribes after a drop, exits 0 on SIGTERM', async () => {
  const run = liqmon(['start', '-c', config], { env: cleanEnv({ FAKE_WS: fake.wsUrl }) });
  await fake.server.waitFor(() => fake.subscribedClients === 1, { timeout: 15_000 });
  await pushUntilSeen(run, { symbol: 'tBTCF0:USTF0', amount: 0.5, price: 60_000 }); // long $30k

  fake.server.setIdleTimeout(800);
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  expect(fake.server.idleCuts).toEqual([]);
  fake.server.setIdleTimeout(undefined);

  fake.dropAll();
  await fake.server.waitFor(() => fake.server.connections.length === 2 && fake.subscribedClients === 1, { timeout: 15_000 });
  await pushUntilSeen(run, { symbol: 'tETHUSD', amount: -10, price: 2_500 }); // short $25k

  run.child.kill('SIGTERM');
  expect(await run.exited).toBe(0);
  const alerts = alertEvents(run.stdout()).map((e) => `${e.market}:${e.symbol}:${e.side}:${e.notionalUsd}:${e.price}`);
  expect(alerts).toEqual(['linear:tBTCF0:USTF0:long:30000:60000', 'linear:tETHUSD:short:25000:2500']);
}, 60_000);
