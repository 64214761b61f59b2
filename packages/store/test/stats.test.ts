import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeStats, type Liquidation, type LiquidationStats, type StatsQuery } from '@liqmon/core';
import { createMemoryLogger } from '@liqmon/core/testing';
import { openDatabase, queryStats, Store, type StoreDatabase } from '../src/index.js';
import { liquidation } from './events.js';

let dir: string;
let db: StoreDatabase;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'liqmon-stats-'));
});
afterEach(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function stored(events: Liquidation[]): Promise<StoreDatabase> {
  const file = join(dir, 'liqmon.db');
  const store = Store.open({ file, retentionMs: 0, logger: createMemoryLogger().logger });
  for (const event of events) store.write(event);
  await store.close();
  db = openDatabase(file, { readonly: true });
  return db;
}

const T = liquidation(0).time;
const event = (n: number, usd: number, more: Partial<Liquidation> = {}) => liquidation(n, { notionalUsd: usd, ...more });

describe('queryStats', () => {
  it('counts, totals, shares, sides, sizes and top bases of a period', async () => {
    const events = [
      event(1, 100_000, { side: 'long', exchange: 'binance', base: 'BTC', sampled: true }),
      event(2, 300_000, { side: 'long', exchange: 'bybit', base: 'ETH', symbol: 'ETHUSDT', sampled: false }),
      event(3, 50_000, { side: 'short', exchange: 'bybit', base: 'BTC', sampled: false }),
      event(4, 50_000, { side: 'short', exchange: 'okx', base: 'SOL', symbol: 'SOL-USDT-SWAP', sampled: false }),
      event(100, 9_999_999, { exchange: 'okx' }), // outside the period
    ];
    const stats = queryStats(await stored(events), { since: T, until: T + 50_000 });
    expect(stats).toEqual<LiquidationStats>({
      since: T,
      until: T + 50_000,
      by: 'exchange',
      minUsd: null,
      count: 4,
      totalUsd: 500_000,
      sides: { long: { count: 2, totalUsd: 400_000 }, short: { count: 2, totalUsd: 100_000 } },
      size: { min: 50_000, max: 300_000, average: 125_000, median: 75_000 },
      groups: [
        { key: 'bybit', count: 2, totalUsd: 350_000, share: 0.7 },
        { key: 'binance', count: 1, totalUsd: 100_000, share: 0.2 },
        { key: 'okx', count: 1, totalUsd: 50_000, share: 0.1 },
      ],
      top: [
        { base: 'ETH', count: 1, totalUsd: 300_000, share: 0.6 },
        { base: 'BTC', count: 2, totalUsd: 150_000, share: 0.3 },
        { base: 'SOL', count: 1, totalUsd: 50_000, share: 0.1 },
      ],
      sampledExchanges: ['binance'],
    });
  });

  it('groups by another field, filters by size, limits the top, and takes the middle size of an odd count', async () => {
    const db = await stored([event(1, 10, { side: 'long' }), event(2, 20, { side: 'short' }), event(3, 30, { side: 'short' }), event(4, 40, { side: 'long', base: 'ETH' }), event(5, 5)]);
    const stats = queryStats(db, { since: T, until: T + 60_000, by: 'side', minUsd: 10, top: 1 });
    expect(stats.count).toBe(4);
    expect(stats.minUsd).toBe(10);
    expect(stats.groups.map((g) => [g.key, g.totalUsd])).toEqual([['long', 50], ['short', 50]]); // equal totals: by name
    expect(stats.top).toEqual([{ base: 'BTC', count: 3, totalUsd: 60, share: 0.6 }]);
    expect(queryStats(db, { since: T, until: T + 60_000, minUsd: 20 }).size.median).toBe(30);
  });

  it('answers an empty period with zeros and nulls', async () => {
    const stats = queryStats(await stored([event(1, 100)]), { since: 0, until: 1 });
    expect(stats).toMatchObject({ count: 0, totalUsd: 0, size: { min: null, max: null, average: null, median: null }, groups: [], top: [], sampledExchanges: [] });
  });

  it('gives the numbers an in-memory count of the same events gives', async () => {
    // A reference written the obvious way: every event, one by one.
    const reference = (events: Liquidation[], query: StatsQuery) => {
      const inPeriod = events.filter((e) => e.time >= query.since && e.time < query.until && e.notionalUsd >= (query.minUsd ?? 0));
      const sizes = inPeriod.map((e) => e.notionalUsd).sort((a, b) => a - b);
      const mid = (sizes.length - 1) / 2;
      return {
        count: inPeriod.length,
        totalUsd: inPeriod.reduce((sum, e) => sum + e.notionalUsd, 0),
        median: (sizes[Math.floor(mid)]! + sizes[Math.ceil(mid)]!) / 2,
        symbols: new Set(inPeriod.map((e) => e.symbol)).size,
      };
    };
    const bases = ['BTC', 'ETH', 'SOL', 'DOGE', 'PEPE'];
    const events = Array.from({ length: 2_000 }, (_, n) =>
      event(n, Math.round(((n * 7919) % 100_003) * 13.7) / 10 + 1, { base: bases[n % 5]!, symbol: `${bases[n % 5]}USDT`, side: n % 3 === 0 ? 'short' : 'long', exchange: n % 4 === 0 ? 'bybit' : 'binance' }),
    );
    const db = await stored(events);
    for (const query of [{ since: T, until: T + 2_000_000 }, { since: T + 500_000, until: T + 1_500_001, minUsd: 5_000, by: 'symbol' as const }]) {
      const stats = queryStats(db, query);
      const expected = reference(events, query);
      expect(stats.count).toBe(expected.count);
      expect(stats.totalUsd).toBeCloseTo(expected.totalUsd, 4);
      expect(stats.size.median).toBe(expected.median);
      expect(stats.groups.reduce((sum, g) => sum + g.share, 0)).toBeCloseTo(1, 9);
      if (query.by === 'symbol') expect(stats.groups).toHaveLength(expected.symbols);
      // Core's in-memory statistics (summary alerts) give the same answer, up to float rounding of sums.
      const memory = computeStats(events, query);
      const rounded = (value: LiquidationStats) => JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(10)) : v))) as unknown;
      expect(rounded(stats)).toEqual(rounded(memory));
    }
  });
});
