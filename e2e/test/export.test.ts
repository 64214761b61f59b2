/**
 * `liqmon export` and `liqmon replay --from-db` through the built CLI, on a store filled with known
 * liquidations: CSV in LIQUIDATION_FIELDS order, NDJSON recording lines that `replay` reads back, and
 * stored events through the current rules without being written back into the store.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIQUIDATION_FIELDS, type Liquidation } from '@liqmon/core';
import { createMemoryLogger } from '@liqmon/core/testing';
import { openDatabase, Store } from '@liqmon/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertEvents, liqmonRun } from './cli.js';

const UNTIL = '2026-12-04T00:00:00Z';
const END = Date.parse(UNTIL);
const event = (n: number, hoursAgo: number, usd: number, more: Partial<Liquidation> = {}): Liquidation => ({
  id: `bybit:linear:${n}`, exchange: 'bybit', market: 'linear', symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', side: 'long', price: 100_000,
  priceKind: 'bankruptcy', quantity: usd / 100_000, notionalUsd: usd, time: END - hoursAgo * 3_600_000, receivedAt: END - hoursAgo * 3_600_000 + 25, sampled: false, source: 'bybit', ...more,
});
const EVENTS = [
  event(1, 30, 9_000_000), // before the last 24h
  event(2, 3, 2_000_000, { symbol: 'ETH,USDT "odd"', base: 'ETH' }),
  event(3, 2, 40_000, { side: 'short' }),
  event(4, 1, 1_500_000, { sampled: true }),
];

let dir: string;
let config: string;
let db: string;
const rows = () => {
  const read = openDatabase(db, { readonly: true });
  try {
    return (read.prepare('SELECT count(*) AS n FROM liquidations').get() as { n: number }).n;
  } finally {
    read.close();
  }
};
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'liqmon-export-e2e-'));
  config = join(dir, 'config.yaml');
  db = join(dir, 'liqmon.db');
  writeFileSync(config, ['sinks:', '  out: { use: console, format: json }', 'rules:', '  - name: big', '    minUsd: 1M', '    to: [out]', ''].join('\n'));
  const store = Store.open({ file: db, retentionMs: 0, logger: createMemoryLogger().logger });
  for (const e of EVENTS) store.write(e);
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('liqmon export', () => {
  it('writes CSV with a header, fields in LIQUIDATION_FIELDS order, oldest first, quoting what needs it', async () => {
    const { code, stdout, stderr } = await liqmonRun(['export', '-c', config, '--until', UNTIL, '--format', 'csv']);
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual([
      LIQUIDATION_FIELDS.join(','),
      `bybit:linear:2,bybit,linear,"ETH,USDT ""odd""",ETH,USDT,long,100000,bankruptcy,20,2000000,${END - 3 * 3_600_000},${END - 3 * 3_600_000 + 25},false,bybit`,
      `bybit:linear:3,bybit,linear,BTCUSDT,BTC,USDT,short,100000,bankruptcy,0.4,40000,${END - 2 * 3_600_000},${END - 2 * 3_600_000 + 25},false,bybit`,
      `bybit:linear:4,bybit,linear,BTCUSDT,BTC,USDT,long,100000,bankruptcy,15,1500000,${END - 3_600_000},${END - 3_600_000 + 25},true,bybit`,
      '',
    ]);
    expect(stderr).toContain('exported 3 liquidations');
  });

  it('writes NDJSON recording lines to a file, which liqmon replay reads back through the rules', async () => {
    const file = join(dir, 'day.ndjson');
    const { code, stderr } = await liqmonRun(['export', '-c', config, '--since', '48h', '--until', UNTIL, '-o', file]);
    expect(code).toBe(0);
    expect(stderr).toContain(`exported 4 liquidations to ${file}`);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { type: string; event: Liquidation });
    expect(lines).toEqual(EVENTS.map((e) => ({ type: 'liquidation', event: e })));
    const replay = await liqmonRun(['replay', file, '-c', config]);
    expect(replay.code).toBe(0);
    expect(alertEvents(replay.stdout).map((e) => e.notionalUsd)).toEqual([9_000_000, 2_000_000, 1_500_000]);
  });

  it('says so when it cannot write the file (exit 1)', async () => {
    const { code, stderr } = await liqmonRun(['export', '-c', config, '-o', join(dir, 'no-such-folder', 'x.csv')]);
    expect(code).toBe(1);
    expect(stderr).toContain(`cannot write ${join(dir, 'no-such-folder', 'x.csv')}`);
  });
});

describe('liqmon replay --from-db', () => {
  it('runs the stored events of the period through the current rules, and writes nothing back', async () => {
    const before = rows();
    const { code, stdout, stderr } = await liqmonRun(['replay', '--from-db', '-c', config, '--since', '24h', '--until', UNTIL]);
    expect(code).toBe(0);
    expect(stderr).toContain(`replaying 3 stored liquidations from 2026-12-03T00:00:00.000Z to 2026-12-04T00:00:00.000Z (${db})`);
    expect(alertEvents(stdout).map((e) => e.notionalUsd)).toEqual([2_000_000, 1_500_000]);
    expect(rows()).toBe(before);
  });

  it('refuses a file and --from-db together, and --since without --from-db (exit 2)', async () => {
    expect((await liqmonRun(['replay', 'x.ndjson', '--from-db', '-c', config])).code).toBe(2);
    expect((await liqmonRun(['replay', 'x.ndjson', '--since', '7d', '-c', config])).code).toBe(2);
  });
});
