/**
 * How cascades read: the price range of the whole cascade (issue 14, item 13), on its first report and
 * on every update, from alerts the rules build.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CascadeAlert } from '../../src/alert.js';
import { createFormatter } from '../../src/format/index.js';
import { engine, type RuleInput } from '../rules/harness.js';
import { liq, T0 } from '../rules/liquidations.js';

const formatter = createFormatter();

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => vi.useRealTimers());

const cascades = (alerts: ReturnType<ReturnType<typeof engine>['alerts']>) => alerts.filter((a): a is CascadeAlert => a.kind === 'cascade');
const rangeLine = (alert: CascadeAlert | undefined) => formatter.plain(alert ? [alert] : []).split('\n').find((line) => line.includes('→'));

describe('a cascade’s price range', () => {
  const rule: RuleInput = { name: 'c', aggregate: { window: '60s', by: ['base', 'side'], minUsd: '2M', minCount: 3 }, cooldown: '60s', to: ['x'] };

  it('runs from the cascade’s first liquidation to its latest, on an update too', () => {
    const { engine: e, alerts } = engine([rule]);
    for (const [i, price] of [64_010, 63_900, 63_800].entries()) e.push(liq({ usd: 1_000_000, price, time: T0 + i * 1_000 }));
    vi.advanceTimersByTime(20_000);
    e.push(liq({ usd: 500_000, price: 63_500, time: T0 + 20_000 }));
    e.push(liq({ usd: 500_000, price: 63_205, time: T0 + 21_000 }));
    vi.advanceTimersByTime(40_000);
    const [first, update] = cascades(alerts());
    expect(rangeLine(first)).toBe('Avg fill price $64,010 → $63,800 (-0.33%)');
    expect(rangeLine(update)).toBe('Avg fill price $64,010 → $63,205 (-1.26%)');
  });

  it('is not made up from an update’s new liquidations when the rule did not track the range', () => {
    const { engine: e, alerts } = engine([{ ...rule, aggregate: { window: '60s', by: ['side'], minUsd: '2M', minCount: 3 } }]);
    e.push(liq({ usd: 1_000_000, base: 'ETH', price: 3_450, time: T0 }));
    for (let i = 1; i < 3; i++) e.push(liq({ usd: 1_000_000, price: 64_010, time: T0 + i }));
    vi.advanceTimersByTime(20_000);
    e.push(liq({ usd: 500_000, price: 63_500, time: T0 + 20_000 }));
    e.push(liq({ usd: 500_000, price: 63_205, time: T0 + 21_000 }));
    vi.advanceTimersByTime(40_000);
    const [first, update] = cascades(alerts());
    expect(update?.events.map((event) => event.base)).toEqual(['BTC', 'BTC']);
    expect(rangeLine(first)).toBeUndefined();
    expect(rangeLine(update)).toBeUndefined(); // the cascade mixes ETH and BTC
  });

  it('is not shown for a cascade of one liquidation', () => {
    const { engine: e, alerts } = engine([{ ...rule, aggregate: { window: '60s', minUsd: '1M' } }]);
    e.push(liq({ usd: 1_500_000, price: 64_010 }));
    expect(cascades(alerts())).toHaveLength(1);
    expect(rangeLine(cascades(alerts())[0])).toBeUndefined();
  });
});
