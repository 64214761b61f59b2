/**
 * `liqmon stats` through the built CLI, on a store filled with known liquidations: the table, the
 * LiquidationStats JSON (the same numbers queryStats gives), the sampled-feed note, and the errors.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Liquidation, LiquidationStats } from '@liqmon/core';
import { createMemoryLogger } from '@liqmon/core/testing';
import { Store } from '@liqmon/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liqmonRun } from './cli.js';

const UNTIL = '2026-12-04T00:00:00Z';
const END = Date.parse(UNTIL);

let dir: string;
let config: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'liqmon-stats-e2e-'));
  config = join(dir, 'config.yaml');
  writeFileSync(config, 'sources: {}\nsinks: {}\n');
  const store = Store.open({ file: join(dir, 'liqmon.db'), retentionMs: 0, logger: createMemoryLogger().logger });
  const event = (n: number, hoursAgo: number, usd: number, more: Partial<Liquidation>): Liquidation => ({
    id: `e${n}`, exchange: 'bybit', market: 'linear', symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', side: 'long', price: 100_000,
    priceKind: 'bankruptcy', quantity: usd / 100_000, notionalUsd: usd, time: END - hoursAgo * 3_600_000, receivedAt: END, sampled: false, source: 'bybit', ...more,
  });
  for (const e of [
    event(1, 1, 2_500_000, {}),
    event(2, 2, 500_000, { exchange: 'binance', market: 'usdm', sampled: true, side: 'short' }),
    event(3, 3, 1_000_000, { base: 'ETH', symbol: 'ETHUSDT' }),
    event(4, 5, 1_000_000, { base: 'SOL', symbol: 'SOLUSDT', side: 'short' }),
    event(5, 30, 9_000_000, {}), // before the last 24h
  ]) store.write(e);
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('liqmon stats', () => {
  it('prints the last 24h as a table, with the sampled-feed note', async () => {
    const { code, stdout } = await liqmonRun(['stats', '-c', config, '--until', UNTIL]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        `liquidations from 2026-12-03 00:00:00 UTC to 2026-12-04 00:00:00 UTC (${join(dir, 'liqmon.db')})`,
        '',
        'count    4',
        'total    $5M',
        'longs    70.0% ($3.5M, 2)',
        'shorts   30.0% ($1.5M, 2)',
        'size     min $500K  max $2.5M  average $1.25M  median $1M',
        '',
        '  by exchange  count  total  share',
        '  bybit            3  $4.5M  90.0%',
        '  binance          1  $500K  10.0%',
        '',
        '  top bases  count  total  share',
        '  BTC            2    $3M  60.0%',
        '  ETH            1    $1M  20.0%',
        '  SOL            1    $1M  20.0%',
        '',
        'note: binance publishes only a sample of its liquidations: counts and totals are a lower bound.',
        '',
      ].join('\n'),
    );
  });

  it('prints LiquidationStats JSON with --json, grouped and filtered as asked', async () => {
    const { code, stdout } = await liqmonRun(['stats', '-c', config, '--since', '4h', '--until', UNTIL, '--by', 'side', '--min-usd', '600k', '--json']);
    expect(code).toBe(0);
    const stats = JSON.parse(stdout) as LiquidationStats;
    expect(stats).toEqual({
      since: END - 4 * 3_600_000,
      until: END,
      by: 'side',
      minUsd: 600_000,
      count: 2,
      totalUsd: 3_500_000,
      sides: { long: { count: 2, totalUsd: 3_500_000 }, short: { count: 0, totalUsd: 0 } },
      size: { min: 1_000_000, max: 2_500_000, average: 1_750_000, median: 1_750_000 },
      groups: [{ key: 'long', count: 2, totalUsd: 3_500_000, share: 1 }],
      top: [
        { base: 'BTC', count: 1, totalUsd: 2_500_000, share: 2.5 / 3.5 },
        { base: 'ETH', count: 1, totalUsd: 1_000_000, share: 1 / 3.5 },
      ],
      sampledExchanges: [],
    });
  });

  it('says so when the store is off or not written yet, and refuses a bad period (exit 2)', async () => {
    const off = join(dir, 'off.yaml');
    writeFileSync(off, 'store: false\n');
    const disabled = await liqmonRun(['stats', '-c', off]);
    expect(disabled.code).toBe(1);
    expect(disabled.stderr).toContain('says `store: false`: liqmon keeps no history');
    const elsewhere = join(dir, 'elsewhere.yaml');
    writeFileSync(elsewhere, 'store: { path: data/other.db }\n');
    const missing = await liqmonRun(['stats', '-c', elsewhere]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`There is no store at ${join(dir, 'data', 'other.db')} yet`);
    const bad = await liqmonRun(['stats', '-c', config, '--since', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since "yesterday" is neither a duration nor a date');
  });
});
