import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SourceTally } from '../src/source-tally.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('SourceTally', () => {
  it('remembers a source that connected once, counts frames, and names the ones that never connected', () => {
    const state = { binance: false, bybit: false, okx: false };
    const sources = (['binance', 'bybit', 'okx'] as const).map((name) => ({ name, health: () => ({ connected: state[name] }) }));
    const first: string[] = [];
    const tally = new SourceTally(sources, (name) => first.push(name));
    tally.watch();
    state.binance = true;
    vi.advanceTimersByTime(500);
    state.binance = false; // dropped later: it still connected once
    tally.frame('bybit'); // a frame proves a connection even between two samples
    tally.frame('bybit');
    tally.unwatch();
    expect(tally.summary()).toEqual([
      { name: 'binance', frames: 0, connected: true },
      { name: 'bybit', frames: 2, connected: true },
      { name: 'okx', frames: 0, connected: false },
    ]);
    expect(first).toEqual(['binance', 'bybit']);
    expect(tally.total).toBe(2);
    expect(tally.anyConnected).toBe(true);
  });

  it('has no connected source when none ever connected', () => {
    const tally = new SourceTally([{ name: 'bybit', health: () => ({ connected: false }) }]);
    tally.watch();
    vi.advanceTimersByTime(10_000);
    tally.unwatch();
    expect(tally.anyConnected).toBe(false);
  });
});
