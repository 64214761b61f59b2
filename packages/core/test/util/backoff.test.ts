import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/util/backoff.js';

describe('backoffDelay', () => {
  const policy = { minMs: 1000, maxMs: 30_000, factor: 2, jitter: 0.5 };

  it('grows exponentially and stops at the cap', () => {
    const top = (attempt: number) => backoffDelay(policy, attempt, () => 1);
    expect([1, 2, 3, 4, 5, 6, 7].map(top)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it('draws the jittered part from the random source', () => {
    expect(backoffDelay(policy, 3, () => 0)).toBe(2000);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(3000);
  });
});
