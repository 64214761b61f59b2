import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CascadeAlert } from '../../src/alert.js';
import { RuleEngine } from '../../src/rules/index.js';
import { engine, type RuleInput } from './harness.js';
import { liq, T0 } from './liquidations.js';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => vi.useRealTimers());

const cascades = (alerts: ReturnType<ReturnType<typeof engine>['alerts']>) => alerts.filter((a): a is CascadeAlert => a.kind === 'cascade');

/** Push an event stamped with the fake clock's time. */
function at(e: ReturnType<typeof engine>['engine'], fields: Parameters<typeof liq>[0]) {
  e.push(liq({ time: Date.now(), ...fields }));
}

describe('cascades', () => {
  const rule: RuleInput = { name: 'btc-cascade', match: { base: 'BTC' }, aggregate: { window: '60s', by: ['base', 'side'], minUsd: '2M', minCount: 3 }, to: ['telegram'] };

  it('emits one cascade alert when the window total reaches minUsd with at least minCount events', () => {
    const { engine: e, alerts } = engine([rule]);
    at(e, { usd: 1_500_000 });
    vi.advanceTimersByTime(10_000);
    at(e, { usd: 600_000, exchange: 'bybit', market: 'linear', source: 'bybit', price: 64_190 });
    expect(alerts()).toEqual([]); // $2.1M but only 2 events
    vi.advanceTimersByTime(5_000);
    at(e, { usd: 200_000 });
    const [alert] = cascades(alerts());
    expect(alerts()).toHaveLength(1);
    expect(alert).toMatchObject({
      kind: 'cascade',
      rule: 'btc-cascade',
      key: { base: 'BTC', side: 'long' },
      windowMs: 60_000,
      count: 3,
      totalUsd: 2_300_000,
      byExchange: { binance: { count: 2, notionalUsd: 1_700_000 }, bybit: { count: 1, notionalUsd: 600_000 } },
      firstTime: T0,
      lastTime: T0 + 15_000,
    });
    expect(alert?.largest.notionalUsd).toBe(1_500_000);
    expect(alert?.events).toHaveLength(3);
    expect(alert?.sinceLastReport).toBeUndefined();
  });

  it('keeps one window per key: longs and shorts do not add up', () => {
    const { engine: e, alerts } = engine([rule]);
    at(e, { usd: 1_000_000, side: 'long' });
    at(e, { usd: 1_000_000, side: 'short' });
    at(e, { usd: 500_000, side: 'long' });
    at(e, { usd: 500_000, side: 'short' });
    expect(alerts()).toEqual([]);
    at(e, { usd: 500_000, side: 'long' });
    expect(cascades(alerts()).map((a) => [a.key.side, a.totalUsd])).toEqual([['long', 2_000_000]]);
  });

  it('rolls: events older than the window no longer count', () => {
    const { engine: e, alerts } = engine([rule]);
    at(e, { usd: 1_000_000 });
    at(e, { usd: 500_000 });
    vi.advanceTimersByTime(60_000); // the first two leave the window exactly now
    at(e, { usd: 600_000 });
    expect(alerts()).toEqual([]);
    vi.advanceTimersByTime(1_000);
    at(e, { usd: 800_000 });
    at(e, { usd: 700_000 });
    expect(cascades(alerts()).map((a) => [a.count, a.totalUsd])).toEqual([[3, 2_100_000]]);
  });

  it('reports a running cascade once, then at most one update per cooldown, with what was added', () => {
    const { engine: e, alerts } = engine([{ ...rule, cooldown: '60s' }]);
    for (let i = 0; i < 3; i++) at(e, { usd: 1_000_000 });
    expect(alerts()).toHaveLength(1);
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(2_000);
      at(e, { usd: 310_000, exchange: 'bybit' });
    }
    expect(alerts()).toHaveLength(1); // never one message per event
    vi.advanceTimersByTime(40_000); // cooldown ends 60s after the first report
    const update = cascades(alerts())[1];
    expect(alerts()).toHaveLength(2);
    expect(update).toMatchObject({
      count: 13,
      totalUsd: 6_100_000,
      sinceLastReport: { count: 10, notionalUsd: 3_100_000, sinceMs: 60_000 },
      byExchange: { binance: { count: 3 }, bybit: { count: 10 } },
    });
    expect(update?.events).toHaveLength(10);
    // nothing new: no further update
    vi.advanceTimersByTime(120_000);
    expect(alerts()).toHaveLength(2);
  });

  it('sends an update at once when the cooldown has already passed', () => {
    const { engine: e, alerts } = engine([{ ...rule, cooldown: '30s' }]);
    for (let i = 0; i < 3; i++) at(e, { usd: 1_000_000 });
    vi.advanceTimersByTime(45_000);
    at(e, { usd: 400_000 });
    expect(cascades(alerts()).map((a) => a.sinceLastReport?.sinceMs)).toEqual([undefined, 45_000]);
  });

  it('updates at most once per window when the rule has no cooldown', () => {
    const { engine: e, alerts } = engine([rule]);
    for (let i = 0; i < 3; i++) at(e, { usd: 1_000_000 });
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(5_000);
      at(e, { usd: 100_000 });
    }
    expect(alerts()).toHaveLength(1);
    vi.advanceTimersByTime(35_000);
    expect(cascades(alerts()).map((a) => a.sinceLastReport?.count)).toEqual([undefined, 5]);
  });

  it('starts a new cascade after a quiet window', () => {
    const { engine: e, alerts } = engine([{ ...rule, cooldown: '60s' }]);
    for (let i = 0; i < 3; i++) at(e, { usd: 1_000_000 });
    vi.advanceTimersByTime(10 * 60_000);
    for (let i = 0; i < 3; i++) at(e, { usd: 700_000 });
    expect(cascades(alerts()).map((a) => [a.count, a.totalUsd, a.sinceLastReport])).toEqual([
      [3, 3_000_000, undefined],
      [3, 2_100_000, undefined],
    ]);
  });

  it('filters events by minUsd before they enter the window', () => {
    const { engine: e, alerts } = engine([{ ...rule, minUsd: '10k', aggregate: { window: '60s', minCount: 3 } }]);
    at(e, { usd: 9_999 });
    at(e, { usd: 9_999 });
    at(e, { usd: 10_000 });
    expect(alerts()).toEqual([]);
    expect(e.stats().rules['btc-cascade']).toMatchObject({ matched: 3, filtered: 2, aggregated: 1 });
  });

  it('reports a waiting update on stop, so nothing vanishes', () => {
    const { engine: e, alerts } = engine([{ ...rule, cooldown: '5m' }]);
    for (let i = 0; i < 4; i++) at(e, { usd: 1_000_000 });
    expect(alerts()).toHaveLength(1);
    e.stop();
    expect(cascades(alerts()).map((a) => a.sinceLastReport?.count)).toEqual([undefined, 1]);
    vi.advanceTimersByTime(10 * 60_000);
    expect(alerts()).toHaveLength(2);
  });
});

describe('cooldown on single-liquidation rules', () => {
  const rule: RuleInput = { name: 'whales', minUsd: '100k', cooldown: '60s', to: ['telegram'] };

  it('folds alerts inside the cooldown into one message when it ends: "+N more, $X"', () => {
    const { engine: e, alerts } = engine([rule]);
    at(e, { usd: 150_000 });
    vi.advanceTimersByTime(5_000);
    at(e, { usd: 120_000 });
    at(e, { usd: 900_000 });
    at(e, { usd: 200_000 });
    expect(alerts()).toHaveLength(1);
    vi.advanceTimersByTime(55_000);
    expect(alerts()).toHaveLength(2);
    const folded = alerts()[1];
    expect(folded).toMatchObject({ kind: 'liquidation', folded: { count: 2, notionalUsd: 320_000 } });
    expect(folded?.events.map((event) => event.notionalUsd)).toEqual([120_000, 900_000, 200_000]);
    expect(e.stats().rules.whales).toMatchObject({ matched: 4, alerted: 2, folded: 3 });
  });

  it('keys the cooldown by base and side', () => {
    const { engine: e, alerts } = engine([rule]);
    at(e, { base: 'BTC', side: 'long' });
    at(e, { base: 'BTC', side: 'short' });
    at(e, { base: 'ETH', side: 'long' });
    at(e, { base: 'BTC', side: 'long', exchange: 'bybit' });
    expect(alerts()).toHaveLength(3);
  });

  it('a flushed message starts a new cooldown; a quiet cooldown ends it', () => {
    const { engine: e, alerts } = engine([rule]);
    at(e, {});
    at(e, {});
    vi.advanceTimersByTime(60_000); // flush of the folded one; new cooldown from here
    at(e, {});
    expect(alerts()).toHaveLength(2);
    vi.advanceTimersByTime(60_000); // flush again
    expect(alerts()).toHaveLength(3);
    vi.advanceTimersByTime(60_000); // quiet: cooldown over
    at(e, {});
    expect(alerts()).toHaveLength(4);
  });

  it('flushes folded alerts on stop', () => {
    const { engine: e, alerts } = engine([rule]);
    at(e, {});
    at(e, { usd: 300_000 });
    e.stop();
    expect(alerts().map((alert) => alert.events.length)).toEqual([1, 1]);
  });

  it('flushes folded alerts by the clock too, when the timer has not fired (replay clocks)', () => {
    let now = T0;
    const out: number[] = [];
    const e = new RuleEngine({
      rules: [{ name: 'r', cooldown: 60_000, continue: false, to: [] }],
      dedupeWindowMs: 0,
      now: () => now,
      emit: (alert) => out.push(alert.events.length),
    });
    e.push(liq());
    e.push(liq());
    now += 61_000;
    e.push(liq());
    expect(out).toEqual([1, 1]); // the folded one left, and the new one waits in the new cooldown
    e.stop();
    expect(out).toEqual([1, 1, 1]);
  });
});
