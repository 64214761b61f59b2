import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeBybit, type FakeBybitCategory, type FakeBybitLiquidation } from '@liqmon/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, liqmon, liqmonRun, type CliRun } from './cli.js';

const config = fileURLToPath(new URL('./fixtures/bybit.yaml', import.meta.url));
// More than one page of linear contracts (the fake pages at 500), as on the real exchange.
const LINEAR = ['BTCUSDT', 'ETHUSDT', '1000PEPEUSDT', ...Array.from({ length: 620 }, (_, i) => `COIN${i}USDT`)];
const INVERSE = ['BTCUSD', 'ETHUSD', 'XRPUSD'];

interface AlertLine {
  rule: string;
  events: { market: string; symbol: string; side: string; notionalUsd: number; quantity: number }[];
}
const alerts = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AlertLine)
    .map((a) => `${a.rule}:${a.events.map((e) => `${e.market}:${e.symbol}:${e.side}:${e.notionalUsd.toFixed(2)}`).join()}`);

let fake: FakeBybit;
const env = () => cleanEnv({ FAKE_BYBIT_WS: fake.wsUrl, FAKE_BYBIT_REST: fake.restUrl });

beforeEach(async () => {
  fake = await FakeBybit.start({ linear: LINEAR, inverse: INVERSE });
});
afterEach(async () => {
  await fake.close();
});

async function waitForTopics(count: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (new Set(fake.subscribedTopics()).size < count) {
    if (Date.now() > deadline) throw new Error(`only ${new Set(fake.subscribedTopics()).size} of ${count} topics subscribed`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Push one liquidation (fixed time, so one id) until its alert shows, across reconnects. */
async function pushUntilSeen(run: CliRun, category: FakeBybitCategory, symbol: string, liq: FakeBybitLiquidation): Promise<void> {
  const fixed = { ...liq, time: Date.now() };
  const timer = setInterval(() => fake.liquidation(category, symbol, fixed), 100);
  try {
    await run.waitFor(`"symbol":"${symbol}"`);
  } finally {
    clearInterval(timer);
  }
}

describe('liqmon start against a fake Bybit', () => {
  it('subscribes every linear and inverse contract, alerts, resubscribes after a drop, and exits 0', async () => {
    const run = liqmon(['start', '-c', config], { env: env() });
    await waitForTopics(LINEAR.length + INVERSE.length);
    await pushUntilSeen(run, 'linear', 'BTCUSDT', { side: 'Buy', size: '0.5', price: '60000' }); // long $30k: majors
    await pushUntilSeen(run, 'inverse', 'ETHUSD', { side: 'Sell', size: '25000', price: '3000' }); // short $25k contracts
    await pushUntilSeen(run, 'linear', '1000PEPEUSDT', { side: 'Sell', size: '10000000', price: '0.012' }); // $120k: rest

    fake.dropAll();
    await run.waitFor(/websocket (closed|reconnecting)/);
    await waitForTopics(LINEAR.length + INVERSE.length);
    await pushUntilSeen(run, 'linear', 'COIN7USDT', { side: 'Buy', size: '1000', price: '150' }); // $150k: rest

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(alerts(run.stdout())).toEqual([
      'majors:linear:BTCUSDT:long:30000.00',
      'majors:inverse:ETHUSD:short:25000.00',
      'rest:linear:1000PEPEUSDT:short:120000.00',
      'rest:linear:COIN7USDT:long:150000.00',
    ]);
  });

  it('records frames that replay into the same alerts', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'liqmon-bybit-rec-')), 'rec.ndjson');
    const record = liqmon(['record', '-c', config, '-o', file], { env: env() });
    await waitForTopics(LINEAR.length + INVERSE.length);
    fake.liquidation('linear', 'ETHUSDT', { side: 'Sell', size: '10', price: '3000' }); // $30k short: majors
    fake.liquidation('linear', 'COIN1USDT', { side: 'Buy', size: '5', price: '2' }); // $10: nothing
    await new Promise((resolve) => setTimeout(resolve, 300));
    record.child.kill('SIGTERM');
    expect(await record.exited).toBe(0);
    const records = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { type: string; channel: string; data: string });
    expect(records[0]).toMatchObject({ type: 'reference', source: 'bybit', data: { format: 'bybit-instruments', v: 1 } });
    const frames = records.filter((r) => r.type === 'frame');
    expect(frames.filter((f) => f.data.includes('allLiquidation')).map((f) => f.channel)).toEqual(['linear', 'linear']);

    const replay = await liqmonRun(['replay', file, '-c', config], { env: env() });
    expect(replay.code).toBe(0);
    expect(alerts(replay.stdout)).toEqual(['majors:linear:ETHUSDT:short:30000.00']);
  });
});
