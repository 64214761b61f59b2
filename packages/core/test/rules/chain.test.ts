import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Dedupe } from '../../src/rules/dedupe.js';
import { engine } from './harness.js';
import { liq, T0 } from './liquidations.js';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => vi.useRealTimers());

describe('rule chain: first match owns the event', () => {
  const rules = [
    { name: 'majors', match: { base: ['BTC', 'ETH', 'SOL'] }, minUsd: '50k', to: ['telegram', 'discord'] },
    { name: 'everything-else', minUsd: '500k', to: ['telegram'] },
  ];

  it('sends a major to the first rule only', () => {
    const { engine: e, emitted } = engine(rules);
    e.push(liq({ base: 'BTC', usd: 600_000 }));
    expect(emitted.map(({ alert, sinks }) => [alert.rule, sinks])).toEqual([['majors', ['telegram', 'discord']]]);
  });

  it('does not let a matched event that fails minUsd fall through to later rules', () => {
    const { engine: e, emitted } = engine(rules);
    e.push(liq({ base: 'ETH', usd: 10_000 }));
    expect(emitted).toEqual([]);
    expect(e.stats().rules).toMatchObject({ majors: { matched: 1, filtered: 1 }, 'everything-else': { matched: 0 } });
  });

  it('hands events the first rule does not match to the next one', () => {
    const { engine: e, alerts } = engine(rules);
    e.push(liq({ base: '1000PEPE', usd: 499_999 }));
    e.push(liq({ base: '1000PEPE', usd: 500_000 }));
    expect(alerts().map((alert) => [alert.rule, alert.events[0]?.notionalUsd])).toEqual([['everything-else', 500_000]]);
    expect(e.stats()).toMatchObject({ received: 2, unmatched: 0 });
  });

  it('lets later rules see the event when a rule says continue', () => {
    const { engine: e, emitted } = engine([
      { name: 'audit', continue: true, to: ['console'] },
      { name: 'majors', match: { base: 'BTC' }, to: ['telegram'] },
      { name: 'never', to: ['discord'] },
    ]);
    e.push(liq({ base: 'BTC' }));
    expect(emitted.map(({ alert, sinks }) => [alert.rule, sinks])).toEqual([
      ['audit', ['console']],
      ['majors', ['telegram']],
    ]);
  });

  it('counts events no rule matched', () => {
    const { engine: e, emitted } = engine([{ name: 'btc', match: { base: 'BTC' } }]);
    e.push(liq({ base: 'ETH' }));
    expect(emitted).toEqual([]);
    expect(e.stats()).toMatchObject({ received: 1, unmatched: 1 });
  });
});

describe('thresholds are inclusive', () => {
  it.each([
    [49_999.99, false],
    [50_000, true],
    [250_000, true],
    [250_000.01, false],
  ])('an event of $%d passes minUsd 50k / maxUsd 250k: %s', (usd, passes) => {
    const { engine: e, emitted } = engine([{ name: 'mid', minUsd: '50k', maxUsd: '250k' }]);
    e.push(liq({ usd }));
    expect(emitted.length).toBe(passes ? 1 : 0);
  });
});

describe('matching', () => {
  const symbols = (rules: Parameters<typeof engine>[0], events: ReturnType<typeof liq>[]) => {
    const { engine: e, alerts } = engine(rules);
    for (const event of events) e.push(event);
    return alerts().map((alert) => alert.events[0]?.symbol);
  };

  it('takes globs for symbol: *USDT, 1000*, BTCUSDT_*', () => {
    const events = [
      liq({ base: '1000PEPE', symbol: '1000PEPEUSDT' }),
      liq({ symbol: 'BTCUSDT_251226', quote: 'USDT', market: 'usdm' }),
      liq({ symbol: 'BTCUSD_PERP', quote: 'USD', market: 'coinm' }),
      liq({ symbol: 'ETHUSDT', base: 'ETH' }),
    ];
    expect(symbols([{ name: 'r', match: { symbol: '*USDT' } }], events)).toEqual(['1000PEPEUSDT', 'ETHUSDT']);
    expect(symbols([{ name: 'r', match: { symbol: ['1000*', 'BTCUSDT_*'] } }], events)).toEqual(['1000PEPEUSDT', 'BTCUSDT_251226']);
    expect(symbols([{ name: 'r', match: { symbol: 'BTCUSD_PERP' } }], events)).toEqual(['BTCUSD_PERP']);
  });

  it('needs every given field to fit, each a value or a list', () => {
    const events = [
      liq({ exchange: 'binance', side: 'long' }),
      liq({ exchange: 'bybit', market: 'linear', side: 'long', symbol: 'ETHUSDT', base: 'ETH' }),
      liq({ exchange: 'bybit', market: 'inverse', side: 'short', symbol: 'BTCUSD', quote: 'USD' }),
    ];
    expect(symbols([{ name: 'r', match: { exchange: 'bybit', side: ['long'] } }], events)).toEqual(['ETHUSDT']);
    expect(symbols([{ name: 'r', match: { market: ['usdm', 'inverse'], quote: 'USD' } }], events)).toEqual(['BTCUSD']);
    expect(symbols([{ name: 'r', match: { source: 'binance' } }], events)).toEqual(['BTCUSDT', 'ETHUSDT', 'BTCUSD']);
  });

  it('compares values case-insensitively', () => {
    expect(symbols([{ name: 'r', match: { base: 'btc', exchange: 'Binance', symbol: 'btc*' } }], [liq()])).toEqual(['BTCUSDT']);
  });

  it('excludes events that fit all fields of not:', () => {
    const events = [
      liq({ base: 'BTC', exchange: 'binance' }),
      liq({ base: 'BTC', exchange: 'bybit', symbol: 'BTCUSD', quote: 'USD', market: 'inverse' }),
      liq({ base: 'ETH', symbol: 'ETHUSDT', exchange: 'bybit' }),
      liq({ base: '1000PEPE', symbol: '1000PEPEUSDT' }),
    ];
    expect(symbols([{ name: 'r', match: { not: { symbol: '1000*' } } }], events)).toEqual(['BTCUSDT', 'BTCUSD', 'ETHUSDT']);
    expect(symbols([{ name: 'r', match: { base: ['BTC', 'ETH'], not: { exchange: 'bybit', base: 'BTC' } } }], events)).toEqual([
      'BTCUSDT',
      'ETHUSDT',
    ]);
    expect(symbols([{ name: 'r', match: { not: {} } }], events)).toHaveLength(4);
  });
});

describe('dedupe', () => {
  it('alerts once for the same id seen twice within the window, and again after it', () => {
    const { engine: e, alerts } = engine([{ name: 'all' }], { dedupeWindowMs: 60_000 });
    const event = liq();
    e.push(event);
    e.push({ ...event, source: 'binance-backup' });
    vi.advanceTimersByTime(59_999);
    e.push(event);
    expect(alerts()).toHaveLength(1);
    expect(e.stats()).toMatchObject({ received: 3, deduped: 2 });
    vi.advanceTimersByTime(60_001);
    e.push(event);
    expect(alerts()).toHaveLength(2);
  });

  it('counts a duplicate once in a cascade', () => {
    const { engine: e, alerts } = engine([{ name: 'cascade', aggregate: { window: '60s', minUsd: '1M' } }]);
    const big = liq({ usd: 600_000 });
    e.push(big);
    e.push({ ...big });
    expect(alerts()).toEqual([]);
    e.push(liq({ usd: 400_000 }));
    expect(alerts()).toHaveLength(1);
  });

  it('keeps memory bounded however many ids go by', () => {
    const { engine: e } = engine([{ name: 'all', match: { base: 'NONE' } }], { dedupeWindowMs: 1000 });
    for (let i = 0; i < 5000; i++) {
      e.push(liq());
      vi.advanceTimersByTime(10);
    }
    // two generations of at most one window each
    expect(e.stats().dedupeSize).toBeLessThanOrEqual(200);
  });

  it('never holds more than its maximum of ids, even inside one window', () => {
    const dedupe = new Dedupe(60_000, 1000);
    for (let i = 0; i < 5000; i++) expect(dedupe.isDuplicate(`id-${i}`, T0)).toBe(false);
    expect(dedupe.size).toBeLessThanOrEqual(1000);
    expect(dedupe.isDuplicate('id-4999', T0)).toBe(true);
  });
});
