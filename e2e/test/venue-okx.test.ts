/** `liqmon start` with only the OKX source, against the fake OKX: alerts, a dropped connection, the heartbeat, SIGTERM. */
import { fileURLToPath } from 'node:url';
import { FakeOkx, type FakeOkxLiquidation } from '@liqmon/exchange-okx/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertEvents, cleanEnv, type CliRun, liqmon } from './cli.js';

const config = fileURLToPath(new URL('./fixtures/okx.yaml', import.meta.url));
/** The fake cuts a client that sent nothing for this long; the source pings every 333 ms (staleAfter 1s). */
const IDLE_CUT_MS = 1_500;

const alerts = (stdout: string) => alertEvents(stdout).map((e) => `${e.exchange}:${e.market}:${e.symbol}:${e.side}:${e.notionalUsd.toFixed(2)}`);

let fake: FakeOkx;
beforeEach(async () => {
  fake = await FakeOkx.start({ instruments: ['BTC-USDT-SWAP', 'ETH-USDT-SWAP', 'BTC-USD-SWAP'], idleTimeout: IDLE_CUT_MS });
});
afterEach(async () => {
  await fake.close();
});

/** Push one liquidation (fixed time, so one id) until its alert shows, across reconnects. */
async function pushUntilSeen(run: CliRun, instId: string, liquidation: FakeOkxLiquidation): Promise<void> {
  const fixed = { ...liquidation, ts: Date.now() };
  const timer = setInterval(() => fake.liquidation(instId, fixed), 100);
  try {
    await run.waitFor(`"symbol":"${instId}"`);
  } finally {
    clearInterval(timer);
  }
}

describe('liqmon start against a fake OKX', () => {
  it('alerts with the position side and USD value, resubscribes after a drop, outlives the idle cut, exits 0 on SIGTERM', async () => {
    const run = liqmon(['start', '-c', config], { env: cleanEnv({ FAKE_OKX_WS: fake.wsUrl, FAKE_OKX_REST: fake.restUrl }) });
    // 20 contracts x 0.01 BTC = 0.2 BTC x 60,000 = $12,000 of a long (a sell order closed it).
    await pushUntilSeen(run, 'BTC-USDT-SWAP', { posSide: 'long', side: 'sell', sz: '20', bkPx: '60000' });
    // Inverse: 50 contracts x 100 USD = $5,000 of a short, net mode (a buy order closed it).
    await pushUntilSeen(run, 'BTC-USD-SWAP', { posSide: 'net', side: 'buy', sz: '50', bkPx: '61000' });

    const before = fake.server.connections.length;
    fake.dropAll();
    await fake.server.waitFor(() => fake.server.connections.length > before && fake.subscribedTypes().some((types) => types.length === 2), { timeout: 15_000 });
    // 1,000 contracts x 0.01 ETH = 10 ETH x 3,000 = $30,000 of a short.
    await pushUntilSeen(run, 'ETH-USDT-SWAP', { posSide: 'short', side: 'buy', sz: '1000', bkPx: '3000' });

    // Two idle-cut periods of a quiet market: the text ping keeps the connection.
    const connections = fake.server.connections.length;
    await new Promise((resolve) => setTimeout(resolve, IDLE_CUT_MS * 2));
    expect(fake.server.idleCuts).toEqual([]);
    expect(fake.server.connections).toHaveLength(connections);
    expect([...fake.pings.values()].reduce((sum, count) => sum + count, 0)).toBeGreaterThan(2);

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(alerts(run.stdout())).toEqual([
      'okx:linear:BTC-USDT-SWAP:long:12000.00',
      'okx:inverse:BTC-USD-SWAP:short:5000.00',
      'okx:linear:ETH-USDT-SWAP:short:30000.00',
    ]);
  });
});
