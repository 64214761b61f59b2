/** `liqmon start` with only the HTX source, against the fake HTX: gzip frames, alerts, a dropped connection, HTX's ping/pong, SIGTERM. */
import { fileURLToPath } from 'node:url';
import { FakeHtx, type FakeHtxLiquidation } from '@liqmon/exchange-htx/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertEvents, cleanEnv, type CliRun, liqmon } from './cli.js';

const config = fileURLToPath(new URL('./fixtures/htx.yaml', import.meta.url));
/** The fake cuts a client that sent nothing for this long; it pings every 300 ms, and only pongs count. */
const IDLE_CUT_MS = 1_500;

const alerts = (stdout: string) => alertEvents(stdout).map((e) => `${e.exchange}:${e.market}:${e.symbol}:${e.side}:${e.notionalUsd.toFixed(2)}`);

let fake: FakeHtx;
beforeEach(async () => {
  fake = await FakeHtx.start({ contracts: ['BTC-USDT', 'ETH-USDT'], idleTimeout: IDLE_CUT_MS, pingInterval: 300, maxMissedPings: 3 });
});
afterEach(async () => {
  await fake.close();
});

/** Push one liquidation (fixed time, so one id) until its alert shows, across reconnects. */
async function pushUntilSeen(run: CliRun, code: string, liquidation: FakeHtxLiquidation): Promise<void> {
  const fixed = { ...liquidation, created_at: Date.now() };
  const timer = setInterval(() => fake.liquidation(code, fixed), 100);
  try {
    await run.waitFor(`"symbol":"${code}"`);
  } finally {
    clearInterval(timer);
  }
}

describe('liqmon start against a fake HTX', () => {
  it('alerts with the position side and USD value, resubscribes after a drop, answers pings past the idle cut, exits 0 on SIGTERM', async () => {
    const run = liqmon(['start', '-c', config], { env: cleanEnv({ FAKE_HTX_WS: fake.wsUrl, FAKE_HTX_REST: fake.restUrl }) });
    // The live frame's numbers: a buy of 500 contracts = 5 ETH at 2,446.26, turnover $12,231.30: a short.
    await pushUntilSeen(run, 'ETH-USDT', { direction: 'buy', volume: 500, price: 2446.26 });

    const before = fake.server.connections.length;
    fake.dropAll();
    await fake.server.waitFor(() => fake.server.connections.length > before && fake.subscribedTopics().some((topics) => topics.length === 1), { timeout: 15_000 });
    // A sell of 200 contracts x 0.001 BTC = 0.2 BTC x 60,000 = $12,000 of a long.
    await pushUntilSeen(run, 'BTC-USDT', { direction: 'sell', volume: 200, price: 60000 });

    // Two idle-cut periods of a quiet market: only the answers to HTX's pings keep the connection.
    const connections = fake.server.connections.length;
    await new Promise((resolve) => setTimeout(resolve, IDLE_CUT_MS * 2));
    expect(fake.server.idleCuts).toEqual([]);
    expect(fake.pingCuts).toEqual([]);
    expect(fake.server.connections).toHaveLength(connections);
    expect([...fake.pongs.values()].reduce((sum, count) => sum + count, 0)).toBeGreaterThan(4);

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(alerts(run.stdout())).toEqual(['htx:linear:ETH-USDT:short:12231.30', 'htx:linear:BTC-USDT:long:12000.00']);
  });
});
