/** `liqmon start` gives summary rules the store's statistics of their period, where the store can answer right. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeStats } from '@liqmon/core';
import { sampleLiquidation } from '@liqmon/core/runtime';
import { createMemoryLogger } from '@liqmon/core/testing';
import { Store } from '@liqmon/store';
import { storePeriodStats } from '../../src/store/summary-stats.js';

const DAY0 = Date.UTC(2026, 11, 3);
const DAY = 86_400_000;
const query = { since: DAY0, until: DAY0 + DAY, by: 'exchange' as const, top: 5 };

let dir: string;
const stores: Store[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'liqmon-summary-stats-'));
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(file = join(dir, 'liqmon.db')): Store {
  const store = Store.open({ file, retentionMs: 0, logger: createMemoryLogger().logger });
  stores.push(store);
  return store;
}

const events = [
  sampleLiquidation({ id: 'a', exchange: 'binance', base: 'BTC', side: 'long', notionalUsd: 400_000, time: DAY0 + 1_000 }),
  sampleLiquidation({ id: 'b', exchange: 'bybit', base: 'ETH', side: 'short', notionalUsd: 100_000, time: DAY0 + 2_000, sampled: false }),
  sampleLiquidation({ id: 'c', exchange: 'bybit', base: 'ETH', side: 'short', notionalUsd: 90_000, time: DAY0 - 1 }), // the day before
];

describe('summary statistics from the store', () => {
  it('are the stored period, buffered writes included, and the same numbers as in memory', () => {
    const store = open();
    for (const event of events) store.write(event); // still in the writer's buffer
    const stats = storePeriodStats(store)(query, { rule: 'daily' });
    expect(stats).toMatchObject({ since: DAY0, until: DAY0 + DAY, count: 2, totalUsd: 500_000 });
    expect(stats).toEqual(computeStats(events, query));
  });

  it('do not answer for a rule with a match (the SQL cannot apply it), nor from a store that is off', () => {
    const store = open();
    for (const event of events) store.write(event);
    expect(storePeriodStats(store)(query, { rule: 'btc', match: { base: ['BTC'] } })).toBeUndefined();
    const off = open(dir); // a folder is not a database: the store is off
    expect(off.status().state).toBe('off');
    expect(storePeriodStats(off)(query, { rule: 'daily' })).toBeUndefined();
  });
});
