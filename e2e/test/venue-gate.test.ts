/**
 * `liqmon start` with only the Gate source, against the fake Gate: alerts out of the console sink,
 * a dropped connection and its resubscription, heartbeats past the venue's idle cut, SIGTERM exit 0.
 */
import { fileURLToPath } from 'node:url';
import { FakeGate, type FakeGateLiquidation } from '@liqmon/exchange-gate/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertEvents, cleanEnv, type CliRun, liqmon } from './cli.js';

const config = fileURLToPath(new URL('./fixtures/gate.yaml', import.meta.url));
/** Gate cuts a connection that stays silent; the source's futures.ping (every 500 ms with staleAfter 1.5s) must prevent it. */
const IDLE_CUT_MS = 1_000;

const alerts = (stdout: string) => alertEvents(stdout).map((e) => `${e.exchange}:${e.market}:${e.symbol}:${e.side}:${e.notionalUsd.toFixed(2)}`);

let fake: FakeGate;
beforeEach(async () => {
  fake = await FakeGate.start({ idleTimeout: IDLE_CUT_MS });
});
afterEach(async () => {
  await fake.close();
});

/** Push one liquidation (fixed time, so one id) until its alert shows, across reconnects. */
async function pushUntilSeen(run: CliRun, contract: string, liquidation: FakeGateLiquidation): Promise<void> {
  const fixed = { ...liquidation, time: Date.now() };
  const timer = setInterval(() => fake.liquidation(contract, fixed), 100);
  try {
    await run.waitFor(`"symbol":"${contract}"`);
  } finally {
    clearInterval(timer);
  }
}

describe('liqmon start against a fake Gate', () => {
  it('alerts, keeps the quiet socket past the idle cut, resubscribes after a drop, and exits 0 on SIGTERM', async () => {
    const run = liqmon(['start', '-c', config], { env: cleanEnv({ FAKE_GATE_WS: fake.wsUrl, FAKE_GATE_REST: fake.restUrl }) });
    await fake.server.waitFor(() => fake.subscriptions().length === 2, { timeout: 15_000, message: 'liqmon did not subscribe both Gate streams' });
    await pushUntilSeen(run, 'BTC_USDT', { size: '-5000', price: '60000' }); // 0.5 BTC sold: a long, $30k
    await pushUntilSeen(run, 'BTC_USD', { size: '2500', price: '60000' }); // 2500 USD contracts bought: a short, $2.5k

    await new Promise((resolve) => setTimeout(resolve, IDLE_CUT_MS * 2.5));
    expect(fake.server.idleCuts).toEqual([]);

    const connections = fake.server.connections.length;
    fake.dropAll();
    await fake.server.waitFor(() => fake.server.connections.length >= connections + 2 && fake.subscriptions().length === 2, { timeout: 15_000 });
    await pushUntilSeen(run, 'ETH_USDT', { size: '125', price: '3000' }); // 125 x 0.01 ETH bought: a short, $3.75k

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(alerts(run.stdout())).toEqual(['gate:linear:BTC_USDT:long:30000.00', 'gate:inverse:BTC_USD:short:2500.00', 'gate:linear:ETH_USDT:short:3750.00']);
  }, 60_000);
});
