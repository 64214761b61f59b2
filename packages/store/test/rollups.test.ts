import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeStats, STATS_GROUP_KEYS, type Liquidation, type LiquidationStats, type StatsQuery } from '@liqmon/core';
import { createMemoryLogger, seededRandom } from '@liqmon/core/testing';
import {
  COLUMN_LIST,
  EXACT_MEDIAN_MAX_ROWS,
  HOUR_SPAN,
  liquidationSeries,
  migrate,
  MIGRATIONS,
  MINUTE_SPAN,
  openDatabase,
  periodParts,
  prune,
  queryStats,
  rowValues,
  schemaVersion,
  SCHEMA_VERSION,
  Store,
  type StoreDatabase,
} from '../src/index.js';
import { liquidation } from './events.js';

let dir: string;
let file: string;
const dbs: StoreDatabase[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'liqmon-rollups-'));
  file = join(dir, 'liqmon.db');
});
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
const HOURS = 5;

/**
 * `count` events at random times (not in order) over 5 hours from 09:00 plus a few seconds either
 * side, sizes over 5 orders of magnitude, a few exchanges, markets, symbols, sampled feeds, and one
 * symbol that a feed reports under two bases (both must be counted under their own base).
 */
function randomEvents(count: number, seed: number): Liquidation[] {
  const rand = seededRandom(seed);
  const pick = <T>(values: readonly T[]) => values[Math.floor(rand() * values.length)]!;
  return Array.from({ length: count }, (_, n) => {
    const base = pick(['BTC', 'ETH', 'SOL', 'DOGE']);
    const exchange = pick(['binance', 'bybit', 'okx']);
    return liquidation(n, {
      id: `${seed}:${n}`,
      exchange,
      market: pick(['usdm', 'linear']),
      symbol: base === 'DOGE' ? 'ETHUSDT' : `${base}USDT`,
      base,
      side: rand() < 0.55 ? 'long' : 'short',
      notionalUsd: Math.round(10 ** (1.5 + rand() * 5) * 100) / 100,
      time: T0 - 5_000 + Math.floor(rand() * (HOURS * HOUR_SPAN + 10_000)),
      sampled: exchange === 'binance',
    });
  });
}

/** `events` written through the store's writer (batches of `maxBatch`), then a read-only connection. */
async function stored(events: readonly Liquidation[], maxBatch = 2_000): Promise<StoreDatabase> {
  // Handed over all at once: a backlog that holds them all (the default drops what a feed this fast would overflow).
  const store = Store.open({ file, retentionMs: 0, logger: createMemoryLogger().logger, maxBatch, maxBacklog: events.length + 1 });
  for (const event of events) store.write(event);
  await store.close();
  const db = openDatabase(file, { readonly: true });
  dbs.push(db);
  return db;
}

/**
 * `actual` has the shape and values of `expected`, numbers equal to 1e-9 relative: a sum of per-minute
 * sums differs from a running sum in the last digits.
 */
function expectClose(actual: unknown, expected: unknown, path = 'stats'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Math.abs(actual - expected) > 1e-9 * Math.max(1, Math.abs(expected))) expect(actual, path).toBe(expected);
  } else if (expected !== null && typeof expected === 'object') {
    expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
    for (const [key, value] of Object.entries(expected)) expectClose((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
  } else expect(actual, path).toBe(expected);
}

/** The store's statistics equal core's in-memory ones: every number, the median within 0.5% when estimated. */
function expectSameStats(db: StoreDatabase, events: readonly Liquidation[], query: StatsQuery): LiquidationStats {
  const stats = queryStats(db, query);
  const memory = computeStats(events, query);
  expectClose({ ...stats, size: { ...stats.size, median: 0 } }, { ...memory, size: { ...memory.size, median: 0 } });
  if (memory.size.median === null) expect(stats.size.median).toBeNull();
  else if (stats.count <= EXACT_MEDIAN_MAX_ROWS) expect(stats.size.median).toBe(memory.size.median);
  else expect(Math.abs(stats.size.median! / memory.size.median - 1)).toBeLessThanOrEqual(0.005);
  return stats;
}

/** Random periods over the events' hours: random edges to the ms, whole minutes, whole hours, tiny and empty ones. */
function randomQueries(seed: number, n: number): StatsQuery[] {
  const rand = seededRandom(seed);
  const span = HOURS * HOUR_SPAN;
  const queries: StatsQuery[] = [
    { since: T0 - 60_000, until: T0 + span + 60_000 },
    { since: T0 + HOUR_SPAN, until: T0 + 3 * HOUR_SPAN },
    { since: T0 + 61 * MINUTE_SPAN, until: T0 + 119 * MINUTE_SPAN },
    { since: T0 + 1_234, until: T0 + 45_678 },
    { since: T0 + 10, until: T0 + 10 },
  ];
  for (let i = 0; i < n; i++) {
    const a = T0 - 10_000 + Math.floor(rand() * (span + 20_000));
    const b = T0 - 10_000 + Math.floor(rand() * (span + 20_000));
    queries.push({ since: Math.min(a, b), until: Math.max(a, b) });
  }
  return queries.map((query, i) => ({ ...query, by: STATS_GROUP_KEYS[i % STATS_GROUP_KEYS.length]!, top: 1 + (i % 4) }));
}

describe('queryStats on the roll-ups', () => {
  it('gives core in-memory numbers for random periods over several hours (exact median for small periods)', async () => {
    const events = randomEvents(6_000, 1);
    const db = await stored(events, 97); // many small batches: roll-ups of one minute added to many times
    for (const query of randomQueries(2, 40)) expectSameStats(db, events, query);
  });

  it('estimates the median within 0.5% past the exact threshold, and is exact under it', async () => {
    const events = randomEvents(EXACT_MEDIAN_MAX_ROWS + 6_000, 3);
    const db = await stored(events);
    const whole = expectSameStats(db, events, { since: T0 - 60_000, until: T0 + HOURS * HOUR_SPAN });
    expect(whole.count).toBeGreaterThan(EXACT_MEDIAN_MAX_ROWS);
    const edges = expectSameStats(db, events, { since: T0 + 17_345, until: T0 + 4 * HOUR_SPAN + 2_001, by: 'symbol' });
    expect(edges.count).toBeGreaterThan(EXACT_MEDIAN_MAX_ROWS);
    const small = expectSameStats(db, events, { since: T0 + 17_345, until: T0 + 40 * MINUTE_SPAN + 2_001 });
    expect(small.count).toBeLessThanOrEqual(EXACT_MEDIAN_MAX_ROWS);
  });

  it('filters by size on raw rows with minUsd', async () => {
    const events = randomEvents(3_000, 4);
    const db = await stored(events);
    for (const query of randomQueries(5, 10)) expectSameStats(db, events, { ...query, minUsd: 5_000 });
  });

  it('counts an event stored twice once, within a batch and across batches', async () => {
    const events = randomEvents(1_500, 6);
    const again = events.filter((_, i) => i % 3 === 0);
    const db = await stored([...events, ...again, ...events.slice(0, 10), ...again], 250);
    for (const query of randomQueries(7, 10)) expectSameStats(db, events, query);
    for (const span of [MINUTE_SPAN, HOUR_SPAN]) {
      expect(db.prepare('SELECT sum(count) FROM liquidation_rollups WHERE span = ?').pluck().get(span)).toBe(events.length);
      expect(db.prepare('SELECT sum(count) FROM liquidation_sizes WHERE span = ?').pluck().get(span)).toBe(events.length);
    }
  });

  it('backfills the roll-ups of a database made before them (schema version 2)', async () => {
    const events = randomEvents(2_000, 8);
    const v2 = new Database(file);
    migrate(v2, MIGRATIONS.slice(0, 2));
    const insert = v2.prepare(`INSERT INTO liquidations (${COLUMN_LIST}) VALUES (${COLUMN_LIST.split(',').map(() => '?').join(', ')})`);
    v2.transaction(() => events.slice(0, 1_500).forEach((event) => insert.run(rowValues(event))))();
    expect(schemaVersion(v2)).toBe(2);
    v2.close();
    // Opening migrates to the current version and rolls up the 1,500 rows; the writer adds the rest.
    const db = await stored(events.slice(1_500));
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    for (const query of randomQueries(9, 10)) expectSameStats(db, events, query);
  });
});

describe('retention and the roll-ups', () => {
  it('prunes whole hours of raw rows and of both spans, in batches, and they still agree', async () => {
    const events = randomEvents(3_000, 10);
    await stored(events);
    const db = openDatabase(file);
    dbs.push(db);
    const cutoff = T0 + 2 * HOUR_SPAN + 25 * MINUTE_SPAN + 7_000; // floored to 11:00
    const kept = events.filter((e) => e.time >= T0 + 2 * HOUR_SPAN);
    expect(await prune(db, cutoff, 100)).toBe(events.length - kept.length);
    for (const span of [MINUTE_SPAN, HOUR_SPAN]) {
      expect(db.prepare('SELECT min(start) FROM liquidation_rollups WHERE span = ?').pluck().get(span)).toBeGreaterThanOrEqual(T0 + 2 * HOUR_SPAN);
      expect(db.prepare('SELECT sum(count) FROM liquidation_rollups WHERE span = ?').pluck().get(span)).toBe(kept.length);
      expect(db.prepare('SELECT sum(count) FROM liquidation_sizes WHERE span = ?').pluck().get(span)).toBe(kept.length);
    }
    for (const query of randomQueries(11, 10)) expectSameStats(db, kept, query);
  });
});

describe('liquidationSeries', () => {
  /** USD per step by side, summed the obvious way. */
  const reference = (events: readonly Liquidation[], since: number, until: number, stepMs: number) =>
    Array.from({ length: Math.ceil((until - since) / stepMs) }, (_, i) => {
      const from = since + i * stepMs;
      const inStep = events.filter((e) => e.time >= from && e.time < Math.min(until, from + stepMs));
      const sum = (side: string) => inStep.filter((e) => e.side === side).reduce((total, e) => total + e.notionalUsd, 0);
      return { time: from, longUsd: sum('long'), shortUsd: sum('short') };
    });

  it('gives the raw rows sums from the minute roll-ups, aligned or not, for any step', async () => {
    const events = randomEvents(2_000, 12);
    const db = await stored(events);
    const cases = [
      { since: T0 + 30 * MINUTE_SPAN, until: T0 + 3 * HOUR_SPAN + 12_345, stepMs: MINUTE_SPAN },
      { since: T0 - 2 * MINUTE_SPAN, until: T0 + 4 * HOUR_SPAN, stepMs: 5 * MINUTE_SPAN },
      { since: T0 + 7_777, until: T0 + 2 * HOUR_SPAN, stepMs: MINUTE_SPAN },
      { since: T0 + HOUR_SPAN, until: T0 + HOUR_SPAN + 40_000, stepMs: 10_000 },
    ];
    for (const query of cases) {
      const points = liquidationSeries(db, query);
      const expected = reference(events, query.since, query.until, query.stepMs);
      expect(points.map((p) => p.time)).toEqual(expected.map((p) => p.time));
      points.forEach((point, i) => {
        expect(point.longUsd).toBeCloseTo(expected[i]!.longUsd, 4);
        expect(point.shortUsd).toBeCloseTo(expected[i]!.shortUsd, 4);
      });
    }
  });
});

describe('periodParts', () => {
  it('covers a period exactly: raw edges under a minute, minutes up to the hours, hours in the middle', () => {
    const rand = seededRandom(13);
    for (let i = 0; i < 500; i++) {
      const since = T0 + Math.floor(rand() * 3 * HOUR_SPAN);
      const until = since + Math.floor(rand() * (i % 2 ? 60 * MINUTE_SPAN : 10 * HOUR_SPAN));
      const parts = periodParts(since, until);
      if (since === until) expect(parts).toEqual([]);
      else {
        expect(parts[0]!.since).toBe(since);
        expect(parts.at(-1)!.until).toBe(until);
      }
      parts.forEach((part, j) => {
        if (j > 0) expect(part.since).toBe(parts[j - 1]!.until);
        expect(part.since).toBeLessThan(part.until);
        if (part.source === 'raw') expect(part.until - part.since < MINUTE_SPAN || parts.length === 1).toBe(true);
        else expect([part.since % part.source, part.until % part.source]).toEqual([0, 0]);
      });
    }
    expect(periodParts(T0 + 1_000, T0 + 2 * HOUR_SPAN + 5_000).map((p) => p.source)).toEqual(['raw', MINUTE_SPAN, HOUR_SPAN, 'raw']);
  });
});
