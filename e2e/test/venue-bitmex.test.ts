/**
 * The built CLI with only `use: bitmex`, against the fake BitMEX: an alert with the liquidated side and
 * USD for an insert (and none for its update or delete), the socket kept past the fake's idle cut by
 * text pings, a dropped connection resubscribed, and SIGTERM -> exit 0.
 */
import { fileURLToPath } from 'node:url';
import { FakeBitmex, type FakeBitmexRow } from '@liqmon/exchange-bitmex/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertEvents, cleanEnv, type CliRun, liqmon } from './cli.js';

const config = fileURLToPath(new URL('./fixtures/bitmex.yaml', import.meta.url));
/** The fake cuts a client silent this long; `staleAfter: 3s` pings every second. */
const IDLE_CUT_MS = 2_000;

const alerts = (stdout: string) => alertEvents(stdout).map((e) => `${e.exchange}:${e.symbol}:${e.side}:${e.notionalUsd.toFixed(2)}`);

let fake: FakeBitmex;
beforeEach(async () => {
  fake = await FakeBitmex.start({ idleTimeout: IDLE_CUT_MS });
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

/** Push one liquidation order (fixed orderID, so one alert) until its alert shows, across reconnects. */
async function pushUntilSeen(run: CliRun, symbol: string, row: FakeBitmexRow): Promise<void> {
  const fixed = { ...row, orderID: `e2e-${symbol}-${Date.now()}` };
  const timer = setInterval(() => fake.liquidation(symbol, fixed), 100);
  try {
    await run.waitFor(`"symbol":"${symbol}"`);
  } finally {
    clearInterval(timer);
  }
}

describe('liqmon start with only the bitmex source', () => {
  it('alerts on inserts, stays connected past the idle cut, resubscribes after a drop, and exits 0 on SIGTERM', async () => {
    const run = liqmon(['start', '-c', config], { env: cleanEnv({ FAKE_BITMEX_WS: fake.wsUrl, FAKE_BITMEX_REST: fake.restUrl }) });
    await until(() => fake.subscribedTopics().includes('liquidation'), 'the subscription');
    // A Sell order of 25,000 XBTUSD contracts (1 USD each): a long worth $25,000.
    await pushUntilSeen(run, 'XBTUSD', { side: 'Sell', price: 60_000, leavesQty: 25_000 });
    fake.liquidation('XBTUSDT', { orderID: 'only-updated', leavesQty: 5_000_000 }, 'update'); // not a new liquidation

    // Quiet for longer than the idle cut: only the text pings keep the socket.
    await new Promise((resolve) => setTimeout(resolve, IDLE_CUT_MS * 1.5));
    expect(fake.server.idleCuts).toEqual([]);
    expect(fake.server.connections.length).toBe(1);

    fake.dropAll();
    await until(() => fake.server.connections.length === 2 && fake.subscribedTopics().length === 1, 'the resubscription');
    // A Buy order of 2,000,000 XBTUSDT contracts (1e-6 BTC each) at 60,000: a short of 2 BTC, $120,000.
    await pushUntilSeen(run, 'XBTUSDT', { side: 'Buy', price: 60_000, leavesQty: 2_000_000 });

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(alerts(run.stdout())).toEqual(['bitmex:XBTUSD:long:25000.00', 'bitmex:XBTUSDT:short:120000.00']);
  }, 60_000);
});
