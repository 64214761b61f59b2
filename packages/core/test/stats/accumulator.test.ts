import { describe, expect, it } from 'vitest';
import { computeStats, OTHER_KEY, StatsAccumulator } from '../../src/stats/accumulator.js';
import { SizeSample } from '../../src/stats/sizes.js';
import { liq, T0 } from '../rules/liquidations.js';

const HOUR = 3_600_000;
const period = { since: T0, until: T0 + HOUR };

describe('in-memory period statistics', () => {
  const events = [
    liq({ exchange: 'binance', base: 'BTC', side: 'long', usd: 400_000, time: T0 }),
    liq({ exchange: 'bybit', base: 'BTC', side: 'short', usd: 100_000, time: T0 + 1, sampled: false }),
    liq({ exchange: 'bybit', base: 'ETH', side: 'long', usd: 300_000, time: T0 + 2, sampled: false }),
    liq({ exchange: 'okx', base: 'SOL', side: 'long', usd: 200_000, time: T0 + HOUR - 1, sampled: false }),
  ];

  it('totals, sides, sizes, groups by exchange and the top bases, largest first with shares of the USD total', () => {
    const stats = computeStats(events, { ...period, top: 2 });
    expect(stats).toEqual({
      since: T0,
      until: T0 + HOUR,
      by: 'exchange',
      minUsd: null,
      count: 4,
      totalUsd: 1_000_000,
      sides: { long: { count: 3, totalUsd: 900_000 }, short: { count: 1, totalUsd: 100_000 } },
      size: { min: 100_000, max: 400_000, average: 250_000, median: 250_000 },
      groups: [
        { key: 'binance', count: 1, totalUsd: 400_000, share: 0.4 },
        { key: 'bybit', count: 2, totalUsd: 400_000, share: 0.4 },
        { key: 'okx', count: 1, totalUsd: 200_000, share: 0.2 },
      ],
      top: [
        { base: 'BTC', count: 2, totalUsd: 500_000, share: 0.5 },
        { base: 'ETH', count: 1, totalUsd: 300_000, share: 0.3 },
      ],
      sampledExchanges: ['binance'],
    });
  });

  it('counts events from `since` (inclusive) to `until` (exclusive) by exchange time, and of `minUsd` or more', () => {
    const accumulator = new StatsAccumulator({ ...period, minUsd: 200_000, by: 'side' });
    const counted = [
      liq({ usd: 200_000, time: T0 - 1 }),
      liq({ usd: 200_000, time: T0 + HOUR }),
      liq({ usd: 199_999, time: T0 + 5 }),
      ...events,
    ].map((event) => accumulator.add(event));
    expect(counted).toEqual([false, false, false, true, false, true, true]);
    const stats = accumulator.stats();
    expect(stats).toMatchObject({ count: 3, totalUsd: 900_000, minUsd: 200_000, by: 'side', size: { median: 300_000 } });
    expect(stats.groups.map((g) => g.key)).toEqual(['long']);
  });

  it('gives nulls and zero shares for a period without liquidations', () => {
    const stats = computeStats([], period);
    expect(stats).toMatchObject({ count: 0, totalUsd: 0, groups: [], top: [], sampledExchanges: [] });
    expect(stats.size).toEqual({ min: null, max: null, average: null, median: null });
  });

  it('takes the middle size for an odd count and orders equal totals by name, the same on every run', () => {
    const stats = computeStats(
      [liq({ base: 'ETH', usd: 5 }), liq({ base: 'BTC', usd: 5 }), liq({ base: 'SOL', usd: 1 })].map((e) => ({ ...e, time: T0 })),
      period,
    );
    expect(stats.size.median).toBe(5);
    expect(stats.top.map((t) => t.base)).toEqual(['BTC', 'ETH', 'SOL']);
  });

  it('tallies names beyond its key limit together, so an inventive feed cannot grow it without bound', () => {
    const accumulator = new StatsAccumulator(period, { maxKeys: 2 });
    for (const base of ['A', 'B', 'C', 'D']) accumulator.add(liq({ base, exchange: base.toLowerCase(), usd: 10, time: T0 }));
    const stats = accumulator.stats();
    expect(stats.top.map((t) => [t.base, t.count])).toEqual([[OTHER_KEY, 2], ['A', 1], ['B', 1]]);
    expect(stats.groups.map((g) => [g.key, g.count])).toEqual([[OTHER_KEY, 2], ['a', 1], ['b', 1]]);
    expect(stats.count).toBe(4);
  });
});

describe('median beyond the exact cap', () => {
  it('is exact up to the cap', () => {
    const sizes = new SizeSample(4);
    for (const usd of [4, 1, 3, 2]) sizes.add(usd);
    expect(sizes.median()).toBe(2.5);
    expect(sizes.approximate).toBe(false);
  });

  it('is within 0.5% past the cap, however many sizes come', () => {
    const sizes = new SizeSample(1_000);
    const all: number[] = [];
    // Sizes spread over five orders of magnitude, as liquidations are ($10 to $1M).
    for (let i = 0; i < 20_001; i++) {
      const usd = 10 * 10 ** (5 * ((i * 7919) % 20_001) / 20_001);
      all.push(usd);
      sizes.add(usd);
    }
    expect(sizes.approximate).toBe(true);
    const exact = all.sort((a, b) => a - b)[10_000]!;
    expect(Math.abs(sizes.median()! - exact) / exact).toBeLessThan(0.005);
  });
});
