import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COLUMN_LIST, liquidationSeries, migrate, MIGRATIONS, openDatabase, recentLiquidations, rowValues, type StoreDatabase } from '../src/index.js';
import { liquidation } from './events.js';

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
let dir: string;
let db: StoreDatabase;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'liqmon-store-'));
  db = openDatabase(join(dir, 'liqmon.db'));
  const insert = db.prepare(`INSERT INTO liquidations (${COLUMN_LIST}) VALUES (${COLUMN_LIST.split(',').map(() => '?').join(', ')})`);
  // 10 events a second apart: even n long, odd n short, $50,000 + n each; n 7 on Bybit ETH.
  for (let n = 0; n < 10; n++) insert.run(...rowValues(liquidation(n, n === 7 ? { id: 'bybit:7', exchange: 'bybit', base: 'ETH', symbol: 'ETHUSDT' } : {})));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('recentLiquidations', () => {
  it('answers the period newest first, at most limit', () => {
    const events = recentLiquidations(db, { since: T0 + 2000, until: T0 + 6000, limit: 3 });
    expect(events.map((e) => e.time - T0)).toEqual([5000, 4000, 3000]);
    expect(events[0]).toEqual(liquidation(5));
  });

  it('filters by exchanges, bases, side and minimum USD', () => {
    const all = { since: T0, until: T0 + 60_000, limit: 100 };
    expect(recentLiquidations(db, { ...all, exchange: ['bybit'] }).map((e) => e.id)).toEqual(['bybit:7']);
    expect(recentLiquidations(db, { ...all, exchange: ['bybit', 'binance'] })).toHaveLength(10);
    expect(recentLiquidations(db, { ...all, base: ['ETH'] }).map((e) => e.id)).toEqual(['bybit:7']);
    expect(recentLiquidations(db, { ...all, side: 'long' }).map((e) => e.time - T0)).toEqual([8000, 6000, 4000, 2000, 0]);
    expect(recentLiquidations(db, { ...all, minUsd: 50_008 }).map((e) => e.notionalUsd)).toEqual([50_009, 50_008]);
    expect(recentLiquidations(db, { ...all, side: 'short', base: ['BTC'], minUsd: 50_005 }).map((e) => e.notionalUsd)).toEqual([50_009, 50_005]);
  });
});

describe('liquidationSeries', () => {
  it('sums USD per step by side, oldest first, empty steps included', () => {
    const points = liquidationSeries(db, { since: T0 - 5000, until: T0 + 15_000, stepMs: 5000 });
    expect(points).toEqual([
      { time: T0 - 5000, longUsd: 0, shortUsd: 0 },
      // n 0..4: longs 0, 2, 4; shorts 1, 3
      { time: T0, longUsd: 150_006, shortUsd: 100_004 },
      // n 5..9: longs 6, 8; shorts 5, 7, 9
      { time: T0 + 5000, longUsd: 100_014, shortUsd: 150_021 },
      { time: T0 + 10_000, longUsd: 0, shortUsd: 0 },
    ]);
  });
});

describe('the feed without the exchange and base indexes (schema step 4)', () => {
  it('drops them from a database made before, and the filtered feed answers the same, newest first, through the time index', () => {
    const file = join(dir, 'v3.db');
    const v3 = new Database(file);
    migrate(v3, MIGRATIONS.slice(0, 3));
    const insert = v3.prepare(`INSERT INTO liquidations (${COLUMN_LIST}) VALUES (${COLUMN_LIST.split(',').map(() => '?').join(', ')})`);
    for (let n = 0; n < 10; n++) insert.run(...rowValues(liquidation(n, n === 7 ? { id: 'bybit:7', exchange: 'bybit', base: 'ETH', symbol: 'ETHUSDT' } : {})));
    const query = { since: T0, until: T0 + 60_000, exchange: ['binance'], base: ['BTC'], limit: 3 };
    const before = recentLiquidations(v3, query);
    v3.close();

    const migrated = openDatabase(file);
    try {
      const indexes = migrated.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'liquidations'").pluck().all();
      expect(indexes).not.toContain('liquidations_exchange_time');
      expect(indexes).not.toContain('liquidations_base_time');
      expect(recentLiquidations(migrated, query)).toEqual(before);
      expect(before.map((e) => e.time - T0)).toEqual([9000, 8000, 6000]);
      // Newest first from the time index, stopping at the limit: no sort of the whole period (only of
      // rows with the same time, by the order they were stored).
      const plan = migrated
        .prepare("EXPLAIN QUERY PLAN SELECT id FROM liquidations WHERE time >= 0 AND time < 1 AND exchange IN ('a', 'b') AND base IN ('c') ORDER BY time DESC, seq DESC LIMIT 5")
        .all()
        .map((row) => (row as { detail: string }).detail)
        .join('\n');
      expect(plan).toContain('USING INDEX liquidations_time_id');
      expect(plan).not.toContain('TEMP B-TREE FOR ORDER BY');
    } finally {
      migrated.close();
    }
  });
});
