/**
 * The built CLI with only `use: deribit`, against the fake Deribit: alerts with the liquidated side and
 * USD, a dropped connection resubscribed, the socket kept past the fake's idle cut by answering its
 * test_requests, and SIGTERM -> exit 0.
 */
import { fileURLToPath } from 'node:url';
import { FakeDeribit } from '@liqmon/exchange-deribit/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertEvents, cleanEnv, type CliRun, liqmon } from './cli.js';

const config = fileURLToPath(new URL('./fixtures/deribit.yaml', import.meta.url));
/** The fake cuts a client silent this long; its test_requests come every 10 x 100 ms. */
const IDLE_CUT_MS = 2_500;

const alerts = (stdout: string) => alertEvents(stdout).map((e) => `${e.exchange}:${e.symbol}:${e.side}:${e.notionalUsd.toFixed(2)}`);

let fake: FakeDeribit;
beforeEach(async () => {
  fake = await FakeDeribit.start({ heartbeatUnitMs: 100, idleTimeout: IDLE_CUT_MS });
});
afterEach(async () => {
  await fake.close();
});

async function until(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Push one liquidation (fixed trade id, so one alert) until its alert shows, across reconnects. */
async function pushUntilSeen(run: CliRun, instrument: string, trade: Parameters<FakeDeribit['liquidation']>[1]): Promise<void> {
  const fixed = { ...trade, timestamp: Date.now(), tradeId: `e2e-${instrument}-${Date.now()}` };
  const timer = setInterval(() => fake.liquidation(instrument, fixed), 100);
  try {
    await run.waitFor(`"symbol":"${instrument}"`);
  } finally {
    clearInterval(timer);
  }
}

describe('liqmon start with only the deribit source', () => {
  it('alerts, stays connected past the idle cut, resubscribes after a drop, and exits 0 on SIGTERM', async () => {
    const run = liqmon(['start', '-c', config], { env: cleanEnv({ FAKE_DERIBIT_WS: fake.wsUrl, FAKE_DERIBIT_REST: fake.restUrl }) });
    await until(() => fake.subscribedChannels().includes('trades.future.any.100ms'), 'the subscription');
    // A taker sell of 25,000 USD of BTC-PERPETUAL (inverse): a long worth $25,000.
    await pushUntilSeen(run, 'BTC-PERPETUAL', { liquidation: 'T', direction: 'sell', amount: 25_000, price: 60_000 });

    // Quiet for longer than the idle cut: only the answers to test_request keep the socket.
    const tests = fake.testRequests;
    await new Promise((resolve) => setTimeout(resolve, IDLE_CUT_MS * 1.5));
    expect(fake.testRequests - tests).toBeGreaterThanOrEqual(3);
    expect(fake.server.idleCuts).toEqual([]);
    expect(fake.heartbeatCuts).toEqual([]);
    expect(fake.server.connections.length).toBe(1);

    fake.dropAll();
    await until(() => fake.server.connections.length === 2 && fake.subscribedChannels().length === 1, 'the resubscription');
    // MT on a linear perpetual: 2 SOL at 150 USDC, one short (taker bought) and one long (maker sold).
    await pushUntilSeen(run, 'SOL_USDC-PERPETUAL', { liquidation: 'MT', direction: 'buy', amount: 10, price: 150 });

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(alerts(run.stdout())).toEqual([
      'deribit:BTC-PERPETUAL:long:25000.00',
      'deribit:SOL_USDC-PERPETUAL:short:1500.00',
      'deribit:SOL_USDC-PERPETUAL:long:1500.00',
    ]);
  }, 60_000);
});
