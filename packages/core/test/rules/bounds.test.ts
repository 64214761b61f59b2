/**
 * Memory the rules hold stays bounded whatever the feed sends: idle cascade keys are forgotten, live
 * keys are capped, and a cooldown keeps tallies and its largest events rather than every event.
 */
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Alert, LiquidationAlert } from '../../src/alert.js';
import { ruleSchema } from '../../src/config/schema.js';
import { foldInto, newDigest } from '../../src/delivery/digest.js';
import { createFormatter } from '../../src/format/index.js';
import { RuleEngine } from '../../src/rules/index.js';
import type { RuleInput } from './harness.js';
import { liq, T0 } from './liquidations.js';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => vi.useRealTimers());

function engine(rules: RuleInput[], maxKeysPerRule?: number) {
  const alerts: Alert[] = [];
  const warnings: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push((JSON.parse(line) as { msg: string }).msg) });
  const e = new RuleEngine({
    rules: rules.map((rule) => ruleSchema.parse(rule)),
    dedupeWindowMs: 60_000,
    logger,
    emit: (alert) => alerts.push(alert),
    ...(maxKeysPerRule === undefined ? {} : { maxKeysPerRule }),
  });
  return { e, alerts, warnings };
}

const cascadePerSymbol: RuleInput = { name: 'per-symbol', aggregate: { window: '60s', by: ['symbol', 'side'], minUsd: '5M' }, to: [] };

describe('cascade keys', () => {
  it('forgets a key that never reached the bar once its window has passed', () => {
    const { e } = engine([cascadePerSymbol]);
    for (let i = 0; i < 1_000; i++) e.push(liq({ symbol: `X${i}USDT`, base: `X${i}`, usd: 10_000 }));
    expect(e.keys()).toBe(1_000);
    vi.advanceTimersByTime(30_000);
    e.push(liq({ symbol: 'LATEUSDT', base: 'LATE', usd: 10_000 }));
    vi.advanceTimersByTime(60_000); // the first 1,000 windows have passed, LATE's has not
    expect(e.keys()).toBe(1);
    vi.advanceTimersByTime(60_000);
    expect(e.keys()).toBe(0);
  });

  it('keeps a running cascade until its update is sent and its window is empty', () => {
    const rule: RuleInput = { name: 'btc', aggregate: { window: '60s', by: ['base', 'side'], minUsd: '1M' }, cooldown: '90s', to: [] };
    const { e, alerts } = engine([rule]);
    e.push(liq({ usd: 1_000_000 }));
    vi.advanceTimersByTime(10_000);
    e.push(liq({ usd: 200_000 })); // waits for the update at 90 s
    vi.advanceTimersByTime(75_000); // 85 s: the window is empty but the update waits
    expect(e.keys()).toBe(1);
    vi.advanceTimersByTime(5_000);
    expect(alerts.map((a) => (a.kind === 'cascade' ? (a.sinceLastReport?.notionalUsd ?? 'start') : a.kind))).toEqual(['start', 200_000]);
    vi.advanceTimersByTime(60_000);
    expect(e.keys()).toBe(0);
  });

  it('tracks at most maxKeysPerRule keys, counts the events it could not aggregate, and says so once', () => {
    const { e, warnings } = engine([cascadePerSymbol], 3);
    for (let i = 0; i < 5; i++) e.push(liq({ symbol: `X${i}USDT`, base: `X${i}`, usd: 10_000 }));
    e.push(liq({ symbol: 'X0USDT', base: 'X0', usd: 10_000 })); // a tracked key still aggregates
    expect(e.keys()).toBe(3);
    expect(e.stats().rules['per-symbol']).toMatchObject({ aggregated: 4, overKeyLimit: 2 });
    expect(warnings.filter((w) => w.includes('tracks 3 keys'))).toHaveLength(1);
    vi.advanceTimersByTime(130_000);
    e.push(liq({ symbol: 'NEWUSDT', base: 'NEW', usd: 10_000 }));
    expect(e.keys()).toBe(1);
  });
});

describe('cooldown folds', () => {
  const whales: RuleInput = { name: 'whales', minUsd: '1k', cooldown: '60s', to: [] };

  it('keep the tallies and the 10 largest events, however many are folded', () => {
    const { e, alerts } = engine([whales]);
    e.push(liq({ usd: 5_000 }));
    let totalUsd = 0;
    for (let i = 1; i <= 20_000; i++) {
      const usd = 1_000 + (i % 997) * 10 + (i === 12_345 ? 9_000_000 : 0);
      totalUsd += usd;
      e.push(liq({ usd, time: T0 + i }));
    }
    vi.advanceTimersByTime(60_000);
    const folded = alerts[1] as LiquidationAlert;
    expect(alerts).toHaveLength(2);
    expect(folded.events).toHaveLength(10);
    expect(folded.events.map((ev) => ev.time)).toEqual([...folded.events.map((ev) => ev.time)].sort((a, b) => a - b)); // oldest first
    expect(Math.max(...folded.events.map((ev) => ev.notionalUsd))).toBe(9_000_000 + 1_000 + (12_345 % 997) * 10);
    expect(Math.min(...folded.events.map((ev) => ev.notionalUsd))).toBe(1_000 + 996 * 10); // the 10 largest are kept
    expect(folded).toMatchObject({ count: 20_000, totalUsd, firstTime: T0 + 1, lastTime: T0 + 20_000 });
    expect(folded.folded?.count).toBe(19_999);
    expect(folded.folded?.notionalUsd).toBeCloseTo(totalUsd - (9_000_000 + 1_000 + (12_345 % 997) * 10), 3);
    // What the reader sees and what an overflowing outbox counts still cover every folded event.
    expect(createFormatter().plain([folded])).toContain('+19,999 more');
    const digest = newDigest(T0);
    foldInto(digest, folded);
    expect(digest).toMatchObject({ count: 20_000, firstTime: T0 + 1, lastTime: T0 + 20_000 });
    expect(digest.totalUsd).toBeCloseTo(totalUsd, 3);
  });

  it('sends the event of a key beyond the cap at once, unfolded', () => {
    const { e, alerts } = engine([whales], 2);
    for (const base of ['A', 'B', 'C', 'C']) e.push(liq({ base, symbol: `${base}USDT`, usd: 10_000 }));
    expect(alerts.map((a) => a.events[0]?.base)).toEqual(['A', 'B', 'C', 'C']);
    expect(e.stats().rules['whales']).toMatchObject({ folded: 0, overKeyLimit: 2 });
  });
});

describe('aggregate.by: []', () => {
  it('is one window over the whole market, both sides, every exchange', () => {
    const rule: RuleInput = { name: 'anywhere', aggregate: { window: '60s', by: [], minUsd: '5M' }, to: [] };
    const { e, alerts } = engine([rule]);
    e.push(liq({ base: 'BTC', side: 'long', usd: 2_000_000 }));
    e.push(liq({ base: 'ETH', symbol: 'ETHUSDT', side: 'short', usd: 2_000_000, exchange: 'bybit', market: 'linear', source: 'bybit' }));
    expect(alerts).toEqual([]);
    e.push(liq({ base: 'SOL', symbol: 'SOLUSD_PERP', quote: 'USD', market: 'coinm', side: 'long', usd: 1_000_000 }));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'cascade', key: {}, count: 3, totalUsd: 5_000_000 });
    const text = createFormatter().plain(alerts);
    expect(text).toContain('$5M');
    expect(text).not.toMatch(/undefined|\{\}/);
  });
});
