import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeBinance, type FakeBinanceLiquidation } from '@liqmon/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, liqmon, liqmonRun } from './cli.js';

const config = fileURLToPath(new URL('./fixtures/binance.yaml', import.meta.url));
/**
 * Real recorded frames, their times moved to now: liqmon drops a liquidation whose exchange time is
 * more than a day from its receive time, as these years-old frames would be if pushed live unchanged.
 */
const now = Date.now();
const realFrames = (await readFile(new URL('./fixtures/binance-usdm.jsonl', import.meta.url), 'utf8'))
  .trim()
  .split('\n')
  .map((frame) => frame.replace(/"([ET])":\d{13}/g, (_match, key: string) => `"${key}":${now}`));

interface AlertLine {
  rule: string;
  events: { symbol: string; side: string; notionalUsd: number; price: number; market: string }[];
}
const alerts = (stdout: string): AlertLine[] =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AlertLine);

let fake: FakeBinance;
const env = () =>
  cleanEnv({
    FAKE_BINANCE_USDM: fake.usdmUrl,
    FAKE_BINANCE_COINM: fake.coinmUrl,
    FAKE_BINANCE_REST: fake.restUrl,
  });

beforeEach(async () => {
  fake = await FakeBinance.start();
});
afterEach(async () => {
  await fake.close();
});

/**
 * Push the same liquidation (same exchange time, so the same id) until its alert appears: while the
 * source reconnects a push may reach nobody, and dedupe by id makes the repeats harmless.
 */
async function pushUntilSeen(run: ReturnType<typeof liqmon>, liquidation: FakeBinanceLiquidation): Promise<void> {
  const frame = FakeBinance.frame('usdm', { ...liquidation, time: Date.now() });
  const timer = setInterval(() => fake.pushUsdm(frame), 100);
  try {
    await run.waitFor(`"symbol":"${liquidation.symbol}"`);
  } finally {
    clearInterval(timer);
  }
}

describe('liqmon start against a fake Binance', () => {
  it('alerts on real frames, survives dropped and silent sockets and garbage, and exits 0 on SIGTERM', async () => {
    const run = liqmon(['start', '-c', config], { env: env() });
    await run.waitFor('source started');
    await fake.server.waitForClients(2);

    // A real recorded frame (L3: SELL 0.029 BTCUSDT at ap 34738.38 -> a long of $1,007.41).
    fake.pushUsdm(realFrames[2]!);
    await run.waitFor('"symbol":"BTCUSDT"'); // two sockets: wait, so that the order below is defined
    fake.pushCoinm({ symbol: 'BTCUSD_PERP', side: 'BUY', filled: '25', price: '60000' }); // 25 x $100 -> short, $2,500
    await run.waitFor('"symbol":"BTCUSD_PERP"');

    // Garbage is logged and counted; the source goes on.
    fake.pushUsdm('{"this is":"not a liquidation"');
    // Every connection dropped: the source reconnects and later liquidations arrive.
    fake.server.dropAll();
    await run.waitFor(/websocket (closed|reconnecting)/);
    await fake.server.waitForClients(2);
    await pushUntilSeen(run, { symbol: 'ETHUSDT', side: 'BUY', filled: '2', price: '3000' });

    // Silence (no frames, no pongs): noticed within staleAfter and replaced.
    fake.server.goSilent();
    await run.waitFor('websocket silent for too long', 10_000);
    fake.server.resume();
    await pushUntilSeen(run, { symbol: 'SOLUSDT', side: 'SELL', filled: '10', price: '150' });

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    const got = alerts(run.stdout()).map((a) => a.events.map((e) => `${e.market}:${e.symbol}:${e.side}:${e.notionalUsd.toFixed(2)}`).join());
    expect(got).toEqual(['usdm:BTCUSDT:long:1007.41', 'coinm:BTCUSD_PERP:short:2500.00', 'usdm:ETHUSDT:short:6000.00', 'usdm:SOLUSDT:long:1500.00']);
    expect(run.stderr()).toContain('dropped a frame that cannot be decoded');
  });

  it('records raw frames that replay into the same alerts', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'liqmon-rec-')), 'rec.ndjson');
    const record = liqmon(['record', '-c', config, '-o', file, '--duration', '20s'], { env: env() });
    await record.waitFor('recording binance');
    await fake.server.waitForClients(2);
    for (const frame of realFrames.slice(0, 5)) fake.pushUsdm(frame);
    fake.pushCoinm({ symbol: 'ETHUSD_PERP', side: 'SELL', filled: '7', price: '3000' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    record.child.kill('SIGINT');
    expect(await record.exited).toBe(0);
    const all = (await readFile(file, 'utf8')).trim().split('\n');
    // The source's reference data comes first, then the frames.
    expect(JSON.parse(all[0] ?? '')).toMatchObject({ type: 'reference', source: 'binance', use: 'binance', data: { format: 'binance-instruments', v: 1 } });
    const lines = all.filter((line) => line.includes('"type":"frame"'));
    expect(all).toHaveLength(7);
    expect(lines).toHaveLength(6);
    const records = lines.map((line) => JSON.parse(line) as { type: string; source: string; use: string; channel: string; data: string });
    // USD-M and COIN-M arrive on two sockets, so only the order within each channel is defined.
    expect(records.filter((r) => r.channel === 'usdm').map((r) => r.data)).toEqual(realFrames.slice(0, 5));
    expect(records.filter((r) => r.channel === 'coinm')).toHaveLength(1);
    expect(records.every((r) => r.type === 'frame' && r.source === 'binance' && r.use === 'binance')).toBe(true);

    const replay = await liqmonRun(['replay', file, '-c', config], { env: env() });
    expect(replay.code).toBe(0);
    const got = alerts(replay.stdout).map((a) => a.events.map((e) => `${e.symbol}:${e.side}:${e.notionalUsd.toFixed(2)}`).join());
    // Hand-checked from the fixtures: L1 BUY 0.014 @ 4706.04, L2 BUY 0.197 @ 8755.50, L3 SELL 0.029 @ 34738.38,
    // L4, L5 (see fixtures/binance-usdm.source.txt); COIN-M 7 x $10 = $70 is under the rule's $100.
    // Hand-checked from the fixtures (fixtures/binance-usdm.source.txt): L1 BUY 0.014 @ 4706.04 = $65.88 is
    // under the rule's $100; L2 BUY 0.197 @ 8755.50; L3 SELL 0.029 @ 34738.38; L4 SELL 3661 IOTXUSDT @ 0.06669;
    // L5 SELL 0.288 @ 39021.00. COIN-M 7 x $10 = $70 is under $100 too.
    expect(got).toEqual(['BTCUSDT:short:1724.83', 'BTCUSDT:long:1007.41', 'IOTXUSDT:long:244.15', 'BTCUSDT:long:11238.05']);
  });

  it('a recording replays offline into the same alerts as the live run, a listing during the recording included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'liqmon-rec-'));
    const file = join(dir, 'rec.ndjson');
    try {
      const live = liqmon(['start', '-c', config], { env: env() });
      const record = liqmon(['record', '-c', config, '-o', file, '--duration', '60s'], { env: env() });
      await live.waitFor('source started');
      await record.waitFor('recording binance');
      await fake.server.waitForClients(4);
      // Binance lists a COIN-M contract after both loaded exchange info: its first liquidation cannot be
      // priced (no contract size) and refreshes the list; the next one is priced with the new size, 25 USD.
      fake.server.setRest('/dapi/v1/exchangeInfo', {
        symbols: [
          { symbol: 'BTCUSD_PERP', pair: 'BTCUSD', baseAsset: 'BTC', quoteAsset: 'USD', contractSize: 100 },
          { symbol: 'NEWUSD_PERP', pair: 'NEWUSD', baseAsset: 'NEW', quoteAsset: 'USD', contractSize: 25 },
        ],
      });
      fake.pushCoinm({ symbol: 'NEWUSD_PERP', side: 'SELL', filled: '8', price: '2', time: Date.now() });
      await live.waitFor('refreshing the list now');
      await record.waitFor('refreshing the list now');
      // Wait for both refreshes to land: the record's second reference line appears before its next
      // frame, so push USD-M frames until the live run alerts one after its refresh.
      for (const frame of realFrames.slice(0, 3)) fake.pushUsdm(frame);
      await live.waitFor('"symbol":"BTCUSDT"');
      const after = Date.now() + 1;
      const newListing = FakeBinance.frame('coinm', { symbol: 'NEWUSD_PERP', side: 'BUY', filled: '8', price: '2', time: after });
      const timer = setInterval(() => fake.pushCoinm(newListing), 200);
      try {
        await live.waitFor('"symbol":"NEWUSD_PERP"');
      } finally {
        clearInterval(timer);
      }
      for (const run of [live, record]) run.child.kill('SIGINT');
      expect(await live.exited).toBe(0);
      expect(await record.exited).toBe(0);
      const liveAlerts = alerts(live.stdout()).map((a) => a.events.map((e) => `${e.symbol}:${e.side}:${e.notionalUsd.toFixed(2)}`).join());
      expect(liveAlerts).toContain('NEWUSD_PERP:short:200.00');
      expect((await readFile(file, 'utf8')).match(/"type":"reference"/g)).toHaveLength(2);

      const offline = env(); // the same URLs, now of a closed server
      await fake.close(); // the network is gone
      const replay = await liqmonRun(['replay', file, '-c', config], { env: offline });
      expect(replay.code).toBe(0);
      const replayed = alerts(replay.stdout).map((a) => a.events.map((e) => `${e.symbol}:${e.side}:${e.notionalUsd.toFixed(2)}`).join());
      expect(replayed).toEqual(liveAlerts);
      expect(replay.stderr).toMatch(/1 frame of binance could not be priced \(instrument not in the recording's reference data, and replay does not reach the network for it\): NEWUSD_PERP at line \d+/);
      expect(replay.stderr).not.toMatch(/cannot load .* exchange info/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
