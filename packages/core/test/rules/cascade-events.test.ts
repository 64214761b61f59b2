import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CascadeAlert } from '../../src/alert.js';
import { CASCADE_EVENTS_KEPT } from '../../src/rules/window.js';
import { engine } from './harness.js';
import { liq, T0 } from './liquidations.js';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => vi.useRealTimers());

describe('cascade alerts of many liquidations', () => {
  it('count and total every event but list only the last few, newest last', () => {
    const { engine: e, alerts } = engine([{ name: 'c', aggregate: { window: '60s', minUsd: '1M', minCount: 200 }, cooldown: '60s', to: ['x'] }]);
    const pushed = Array.from({ length: 500 }, (_, i) => liq({ usd: 10_000 + i, time: T0 + i }));
    for (const [i, event] of pushed.entries()) {
      e.push(event);
      if (i % 10 === 0) vi.advanceTimersByTime(100);
    }
    vi.advanceTimersByTime(60_000);
    const [first, update] = alerts() as CascadeAlert[];
    expect(first?.count).toBe(200);
    expect(first?.largest).toBe(pushed[199]);
    expect(first?.events).toEqual(pushed.slice(200 - CASCADE_EVENTS_KEPT, 200));
    expect(update?.count).toBe(500);
    expect(update?.sinceLastReport?.count).toBe(300);
    expect(update?.events).toEqual(pushed.slice(500 - CASCADE_EVENTS_KEPT));
  });
});
