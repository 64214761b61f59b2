import { afterEach, describe, expect, it, vi } from 'vitest';
import { exampleList, LogThrottle, type ThrottledSummary } from '../../src/util/log-throttle.js';

afterEach(() => void vi.useRealTimers());

describe('LogThrottle', () => {
  it('writes the first occurrence at once, then at most one summary per key per interval with the count and examples', async () => {
    vi.useFakeTimers();
    const lines: [string, ThrottledSummary][] = [];
    const throttle = new LogThrottle({ intervalMs: 10_000, write: (key, summary) => lines.push([key, summary]) });
    for (let i = 0; i < 100_000; i++) throttle.note('usdm', `SYM${i}`);
    throttle.note('coinm', 'BTCUSD_X');
    expect(lines).toEqual([
      ['usdm', { count: 1, examples: ['SYM0'], periodMs: 0 }],
      ['coinm', { count: 1, examples: ['BTCUSD_X'], periodMs: 0 }],
    ]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toEqual(['usdm', { count: 99_999, examples: ['SYM1', 'SYM2', 'SYM3'], periodMs: 10_000 }]);
    expect(exampleList(lines[2]![1])).toBe('SYM1, SYM2, SYM3, ...');
    // Quiet for an interval: the next one is written at once again.
    await vi.advanceTimersByTimeAsync(20_000);
    throttle.note('usdm', 'LATE');
    expect(lines.at(-1)).toEqual(['usdm', { count: 1, examples: ['LATE'], periodMs: 0 }]);
    throttle.close();
  });

  it('close() writes what is pending', () => {
    const lines: ThrottledSummary[] = [];
    const throttle = new LogThrottle({ write: (_key, summary) => lines.push(summary), now: () => 0 });
    throttle.note('price');
    throttle.note('price');
    throttle.note('price');
    throttle.close();
    expect(lines.map((l) => l.count)).toEqual([1, 2]);
  });
});
