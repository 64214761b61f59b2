/**
 * Summary rules: a period's statistics sent when it ends (plus the settle time), on the rules' clock,
 * counting every event their filters select without taking any from the chain.
 */
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Alert, SummaryAlert } from '../../src/alert.js';
import { ruleSchema } from '../../src/config/schema.js';
import { alertId } from '../../src/delivery/index.js';
import { RuleEngine } from '../../src/rules/index.js';
import { SUMMARY_SETTLE_MS } from '../../src/rules/summary.js';
import type { PeriodStats } from '../../src/stats/period.js';
import type { RuleInput } from './harness.js';
import { liq, T0 } from './liquidations.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** 2024-06-01T00:00:00Z, the start of T0's day. */
const DAY0 = Date.UTC(2024, 5, 1);

function engine(rules: RuleInput[], periodStats?: PeriodStats) {
  const emitted: { alert: Alert; sinks: readonly string[] }[] = [];
  const logger = pino({ level: 'silent' });
  const e = new RuleEngine({
    rules: rules.map((rule) => ruleSchema.parse(rule)),
    dedupeWindowMs: 60_000,
    logger,
    ...(periodStats ? { periodStats } : {}),
    emit: (alert, sinks) => emitted.push({ alert, sinks }),
  });
  const summaries = () => emitted.map((x) => x.alert).filter((a): a is SummaryAlert => a.kind === 'summary');
  return { engine: e, emitted, summaries };
}

/** Move the fake clock to `time`, firing timers on the way. */
const until = (time: number) => vi.advanceTimersByTime(time - Date.now());

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => vi.useRealTimers());

describe('summary schedule', () => {
  it('sends the day at 00:00 UTC plus the settle time, counted from the start when liqmon started during it', () => {
    const { engine: e, emitted, summaries } = engine([{ name: 'daily', summary: { every: '1d' }, to: ['telegram'] }]);
    e.start();
    e.push(liq({ usd: 300_000, time: T0 + 1_000 }));
    until(DAY0 + DAY + SUMMARY_SETTLE_MS - 1);
    expect(emitted).toEqual([]);
    until(DAY0 + DAY + SUMMARY_SETTLE_MS);
    expect(emitted.map(({ alert, sinks }) => [alert.rule, alert.kind, sinks])).toEqual([['daily', 'summary', ['telegram']]]);
    const [summary] = summaries();
    expect(summary).toMatchObject({ createdAt: DAY0 + DAY + SUMMARY_SETTLE_MS, periodMs: DAY, countedFrom: T0, events: [] });
    expect(summary!.stats).toMatchObject({ since: DAY0, until: DAY0 + DAY, count: 1, totalUsd: 300_000 });
    // The next day was seen whole: no countedFrom.
    until(DAY0 + 2 * DAY + SUMMARY_SETTLE_MS);
    expect(summaries()[1]).not.toHaveProperty('countedFrom');
  });

  it('aligns periods on `at` plus whole multiples of `every` (UTC)', () => {
    const { engine: e, summaries } = engine([{ name: 'four-hourly', summary: { every: '4h', at: '01:30' }, to: [] }]);
    e.start(); // 12:34:56: the period under way is 09:30-13:30
    until(DAY0 + 22 * HOUR);
    const periods = summaries().map((s) => [s.stats.since, s.stats.until, s.createdAt].map((t) => new Date(t).toISOString().slice(11, 19)));
    expect(periods).toEqual([
      ['09:30:00', '13:30:00', '13:30:05'],
      ['13:30:00', '17:30:00', '17:30:05'],
      ['17:30:00', '21:30:00', '21:30:05'],
    ]);
  });

  it('counts a late liquidation of the ended period during the settle time, and an early one of the next in the next', () => {
    const { engine: e, summaries } = engine([{ name: 'hourly', summary: { every: '1h' }, to: [] }]);
    e.start();
    const end = DAY0 + 13 * HOUR;
    until(end + 1_000);
    e.push(liq({ usd: 10, time: end - 500 })); // reported 1.5 s after its time
    e.push(liq({ usd: 20, time: end + 200 }));
    until(end + HOUR + SUMMARY_SETTLE_MS);
    expect(summaries().map((s) => [s.stats.until - end, s.stats.totalUsd])).toEqual([
      [0, 10],
      [HOUR, 20],
    ]);
  });

  it('gives each period\'s summary its own alert id (the outbox journal keys on it)', () => {
    const { engine: e, summaries } = engine([{ name: 'hourly', summary: { every: '1h' }, to: [] }]);
    e.start();
    until(DAY0 + 14 * HOUR + SUMMARY_SETTLE_MS);
    const [first, second] = summaries();
    expect(alertId(first!)).not.toBe(alertId(second!));
    expect(alertId({ ...first! })).toBe(alertId(first!));
  });

  it('sends a period without liquidations too', () => {
    const { engine: e, summaries } = engine([{ name: 'hourly', summary: { every: '1h' }, to: [] }]);
    e.start();
    until(DAY0 + 14 * HOUR + SUMMARY_SETTLE_MS);
    expect(summaries().map((s) => s.stats.count)).toEqual([0, 0]);
  });

  it('counts only what `match` and `minUsd` select, and lists the `top` bases', () => {
    const { engine: e, summaries } = engine([
      { name: 'majors-daily', match: { base: ['BTC', 'ETH', 'SOL'] }, minUsd: '100k', summary: { every: '1d', top: 2 }, to: [] },
    ]);
    for (const [base, usd] of [['BTC', 500_000], ['ETH', 200_000], ['SOL', 150_000], ['SOL', 99_999], ['DOGE', 900_000]] as const) {
      e.push(liq({ base, usd, time: T0 }));
    }
    until(DAY0 + DAY + SUMMARY_SETTLE_MS);
    const stats = summaries()[0]!.stats;
    expect(stats).toMatchObject({ count: 3, totalUsd: 850_000, minUsd: 100_000 });
    expect(stats.top.map((t) => t.base)).toEqual(['BTC', 'ETH']);
    expect(e.stats().rules['majors-daily']).toMatchObject({ matched: 4, filtered: 1, alerted: 1 });
  });

  it('sends nothing for the period under way at stop', () => {
    const { engine: e, emitted } = engine([{ name: 'daily', summary: { every: '1d' }, to: [] }]);
    e.push(liq({ time: T0 }));
    e.stop();
    until(DAY0 + 3 * DAY);
    expect(emitted).toEqual([]);
  });
});

describe('summary rules and the chain', () => {
  it('never take an event from the rules below them, and count events a rule above them owns', () => {
    const { engine: e, emitted, summaries } = engine([
      { name: 'whales', minUsd: '1M', to: ['telegram'] }, // matches everything, no continue
      { name: 'daily', summary: { every: '1d' }, to: ['telegram'] },
      { name: 'btc', match: { base: 'BTC' }, to: ['discord'] },
    ]);
    e.push(liq({ base: 'ETH', usd: 2_000_000, time: T0 }));
    e.push(liq({ base: 'BTC', usd: 50_000, time: T0 }));
    expect(emitted.map(({ alert }) => alert.rule)).toEqual(['whales']); // btc is below a rule that owns everything
    until(DAY0 + DAY + SUMMARY_SETTLE_MS);
    expect(summaries()[0]!.stats).toMatchObject({ count: 2, totalUsd: 2_050_000 });

    const second = engine([
      { name: 'daily', summary: { every: '1d' }, to: ['telegram'] },
      { name: 'btc', match: { base: 'BTC' }, to: ['discord'] },
    ]);
    second.engine.push(liq({ base: 'BTC', usd: 50_000, time: T0 }));
    expect(second.emitted.map(({ alert }) => alert.rule)).toEqual(['btc']);
    expect(second.engine.stats()).toMatchObject({ unmatched: 0 });
  });

  it('do not count a duplicate', () => {
    const { engine: e, summaries } = engine([{ name: 'daily', summary: { every: '1d' }, to: [] }]);
    const event = liq({ time: T0 });
    e.push(event);
    e.push({ ...event });
    until(DAY0 + DAY + SUMMARY_SETTLE_MS);
    expect(summaries()[0]!.stats.count).toBe(1);
  });
});

describe('statistics from a store', () => {
  it('are sent when the store answers, with the query of the period and the rule', () => {
    const stored = { count: 42 } as SummaryAlert['stats'];
    const periodStats = vi.fn<PeriodStats>(() => stored);
    const { engine: e, summaries } = engine([{ name: 'daily', match: { exchange: 'bybit' }, minUsd: '50k', summary: { every: '1d', top: 3 }, to: [] }], periodStats);
    e.start();
    until(DAY0 + DAY + SUMMARY_SETTLE_MS);
    expect(periodStats).toHaveBeenCalledWith(
      { since: DAY0, until: DAY0 + DAY, by: 'exchange', top: 3, minUsd: 50_000 },
      { rule: 'daily', match: { exchange: ['bybit'] } },
    );
    expect(summaries()[0]!.stats).toBe(stored);
    expect(summaries()[0]).not.toHaveProperty('countedFrom'); // the store saw the whole day
  });

  it('fall back to what was counted in memory when the store does not answer or throws', () => {
    let calls = 0;
    const periodStats: PeriodStats = () => {
      if (++calls === 2) throw new Error('database is locked');
      return undefined;
    };
    const { engine: e, summaries } = engine([{ name: 'hourly', summary: { every: '1h' }, to: [] }], periodStats);
    e.push(liq({ usd: 70_000, time: T0 }));
    until(DAY0 + 14 * HOUR + SUMMARY_SETTLE_MS);
    expect(summaries().map((s) => s.stats.totalUsd)).toEqual([70_000, 0]);
  });
});
