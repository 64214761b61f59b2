/**
 * `liqmon start` with only the Bitget source, against the fake Bitget: alerts out of the console sink,
 * a dropped connection and its resubscription, heartbeats past the venue's idle cut, SIGTERM exit 0.
 */
import { fileURLToPath } from 'node:url';
import { FakeBitget, type FakeBitgetInstType, type FakeBitgetLiquidation } from '@liqmon/exchange-bitget/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertEvents, cleanEnv, type CliRun, liqmon } from './cli.js';

const config = fileURLToPath(new URL('./fixtures/bitget.yaml', import.meta.url));
/** Bitget cuts a connection that sends no ping; the source's ping (every 500 ms with staleAfter 1.5s) must prevent it. */
const IDLE_CUT_MS = 1_000;

const alerts = (stdout: string) => alertEvents(stdout).map((e) => `${e.exchange}:${e.market}:${e.symbol}:${e.side}:${e.notionalUsd.toFixed(2)}`);

let fake: FakeBitget;
beforeEach(async () => {
  fake = await FakeBitget.start({ idleTimeout: IDLE_CUT_MS });
});
afterEach(async () => {
  await fake.close();
});

/** Push one liquidation (fixed time, so one id) until its alert shows, across reconnects. */
async function pushUntilSeen(run: CliRun, instType: FakeBitgetInstType, symbol: string, liquidation: FakeBitgetLiquidation): Promise<void> {
  const fixed = { ...liquidation, time: Date.now() };
  const timer = setInterval(() => fake.liquidation(instType, symbol, fixed), 100);
  try {
    await run.waitFor(`"symbol":"${symbol}"`);
  } finally {
    clearInterval(timer);
  }
}

describe('liqmon start against a fake Bitget', () => {
  it('alerts, keeps the quiet socket past the idle cut, resubscribes after a drop, and exits 0 on SIGTERM', async () => {
    const run = liqmon(['start', '-c', config], { env: cleanEnv({ FAKE_BITGET_WS: fake.wsUrl, FAKE_BITGET_REST: fake.restUrl }) });
    await fake.server.waitFor(() => fake.subscriptions().length === 3, { timeout: 15_000, message: 'liqmon did not subscribe the three product types' });
    await pushUntilSeen(run, 'usdt-futures', 'BTCUSDT', { side: 'buy', amount: '30000', price: '60000' }); // a long, $30k
    await pushUntilSeen(run, 'coin-futures', 'BTCUSD', { side: 'sell', amount: '2500', price: '60000' }); // a short, $2.5k

    await new Promise((resolve) => setTimeout(resolve, IDLE_CUT_MS * 2.5));
    expect(fake.server.idleCuts).toEqual([]);

    const connections = fake.server.connections.length;
    fake.dropAll();
    await fake.server.waitFor(() => fake.server.connections.length > connections && fake.subscriptions().length === 3, { timeout: 15_000 });
    await pushUntilSeen(run, 'usdc-futures', 'BTCPERP', { side: 'sell', amount: '3750', price: '61000' }); // a short, $3.75k

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(alerts(run.stdout())).toEqual(['bitget:linear:BTCUSDT:long:30000.00', 'bitget:inverse:BTCUSD:short:2500.00', 'bitget:linear:BTCPERP:short:3750.00']);
  }, 60_000);
});
