/**
 * A cascade alert's price range (issue 14, item 13): `firstPrice` and `lastPrice` are the prices of the
 * cascade's earliest and latest liquidation by exchange time, over the whole cascade (its first window
 * and every event added since), and are left out when the cascade mixes base assets.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CascadeAlert } from '../../src/alert.js';
import { engine, type RuleInput } from './harness.js';
import { liq, T0 } from './liquidations.js';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => vi.useRealTimers());

const rule: RuleInput = { name: 'c', aggregate: { window: '60s', by: ['base', 'side'], minUsd: '2M', minCount: 3 }, cooldown: '60s', to: ['x'] };
const cascades = (alerts: ReturnType<ReturnType<typeof engine>['alerts']>) => alerts.filter((a): a is CascadeAlert => a.kind === 'cascade');

describe('a cascade alert’s first and last price', () => {
  it('come from the earliest and latest liquidation by exchange time, not by arrival', () => {
    const { engine: e, alerts } = engine([rule]);
    e.push(liq({ usd: 1_000_000, price: 63_800, time: T0 + 10_000 }));
    e.push(liq({ usd: 600_000, price: 64_010, time: T0 })); // arrived late, happened first
    e.push(liq({ usd: 700_000, price: 63_205, time: T0 + 30_000 }));
    const [alert] = cascades(alerts());
    expect(alert).toMatchObject({ firstPrice: 64_010, lastPrice: 63_205 });
  });

  it('cover the whole cascade on an update, not only what was added since the last report', () => {
    const { engine: e, alerts } = engine([rule]);
    for (const [i, price] of [64_010, 63_900, 63_800].entries()) e.push(liq({ usd: 1_000_000, price, time: T0 + i * 1_000 }));
    vi.advanceTimersByTime(20_000);
    e.push(liq({ usd: 500_000, price: 63_500, time: T0 + 20_000 }));
    e.push(liq({ usd: 500_000, price: 62_900, time: T0 + 21_000 }));
    vi.advanceTimersByTime(40_000); // the cooldown ends: the update goes out
    const [first, update] = cascades(alerts());
    expect(first).toMatchObject({ firstPrice: 64_010, lastPrice: 63_800 });
    expect(update?.sinceLastReport?.count).toBe(2);
    expect(update).toMatchObject({ firstPrice: 64_010, lastPrice: 62_900 });
  });

  it('cover every event of the cascade, also beyond the last 50 that the alert lists', () => {
    const { engine: e, alerts } = engine([{ ...rule, aggregate: { window: '60s', minUsd: '1M', minCount: 120 } }]);
    for (let i = 0; i < 120; i++) e.push(liq({ usd: 10_000, price: 64_000 - i, time: T0 + i }));
    const [alert] = cascades(alerts());
    expect(alert?.events).toHaveLength(50);
    expect(alert).toMatchObject({ count: 120, firstPrice: 64_000, lastPrice: 63_881 });
  });

  it('leave out events that left the window before the cascade started', () => {
    const { engine: e, alerts } = engine([rule]);
    e.push(liq({ usd: 100_000, price: 70_000, time: T0 }));
    vi.advanceTimersByTime(61_000);
    for (const [i, price] of [64_010, 63_900, 63_800].entries()) e.push(liq({ usd: 1_000_000, price, time: T0 + 61_000 + i }));
    expect(cascades(alerts())[0]).toMatchObject({ count: 3, firstPrice: 64_010, lastPrice: 63_800 });
  });

  it('are left out when the cascade mixes base assets, and kept for one base under any key', () => {
    const byAll: RuleInput = { ...rule, aggregate: { window: '60s', by: [], minUsd: '2M', minCount: 3 } };
    const mixed = engine([byAll]);
    mixed.engine.push(liq({ usd: 1_000_000, time: T0 }));
    mixed.engine.push(liq({ usd: 1_000_000, base: 'ETH', time: T0 + 1 }));
    mixed.engine.push(liq({ usd: 1_000_000, time: T0 + 2 }));
    const [alert] = cascades(mixed.alerts());
    expect(alert).toBeDefined();
    expect(alert).not.toHaveProperty('firstPrice');
    expect(alert).not.toHaveProperty('lastPrice');

    const oneBase = engine([byAll]);
    for (const [i, price] of [64_010, 63_900, 63_800].entries()) oneBase.engine.push(liq({ usd: 1_000_000, price, time: T0 + i }));
    expect(cascades(oneBase.alerts())[0]).toMatchObject({ firstPrice: 64_010, lastPrice: 63_800 });
  });

  it('stay left out on an update once a second base joined the cascade', () => {
    const { engine: e, alerts } = engine([{ ...rule, aggregate: { window: '60s', by: ['side'], minUsd: '2M', minCount: 3 } }]);
    for (let i = 0; i < 3; i++) e.push(liq({ usd: 1_000_000, time: T0 + i }));
    e.push(liq({ usd: 500_000, base: 'SOL', time: T0 + 5 }));
    vi.advanceTimersByTime(60_000);
    const [first, update] = cascades(alerts());
    expect(first).toHaveProperty('firstPrice');
    expect(update?.sinceLastReport?.count).toBe(1);
    expect(update).not.toHaveProperty('firstPrice');
  });
});
