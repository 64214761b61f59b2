/** Symbols missing from exchange info are reported in summary lines, not one line each (a flood once wrote 100,000). */
import { createSourceHarness } from '@liqmon/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import binance from '../src/index.js';

afterEach(() => void vi.useRealTimers());

function frame(symbol: string, time: number): string {
  const order = { s: symbol, S: 'SELL', o: 'LIMIT', f: 'IOC', q: '1', p: '10', ap: '10', X: 'FILLED', l: '1', z: '1', T: time };
  return JSON.stringify({ e: 'forceOrder', E: time, o: order });
}

describe('symbols missing from USD-M exchange info', () => {
  it('100,000 new symbols give one line at once and then one summary per 10 s with the count and a few examples', async () => {
    vi.useFakeTimers({ now: 1_796_000_000_000 });
    const harness = createSourceHarness(binance, { markets: ['usdm'] }, { logLevel: 'info' });
    const now = Date.now();
    for (let i = 0; i < 100_000; i++) harness.instance.decode({ channel: 'usdm', data: frame(`FAKE${i}USDT`, now), receivedAt: now });
    const missing = () => harness.logs.filter((l) => /not in USD-M exchange info/.test(l.msg ?? ''));
    expect(missing().map((l) => l.msg)).toEqual(['"FAKE0USDT" not in USD-M exchange info (unavailable); base/quote guessed from the symbol']);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(missing().map((l) => l.msg)).toEqual([
      '"FAKE0USDT" not in USD-M exchange info (unavailable); base/quote guessed from the symbol',
      '99999 more symbols not in USD-M exchange info (unavailable) in the last 10s ("FAKE1USDT", "FAKE2USDT", "FAKE3USDT", ...); base/quote guessed from the symbol',
    ]);
    // A symbol already reported is not counted again.
    harness.instance.decode({ channel: 'usdm', data: frame('FAKE0USDT', now), receivedAt: now });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(missing()).toHaveLength(2);
    await harness.stop();
  });
});
