import { describe, expect, it } from 'vitest';
import { HttpHeaders } from '@liqmon/core';
import { PACE_MARGIN_MS, RateLimitPacer, readRateLimit } from '../src/index.js';

const headers = (entries: Record<string, string>) => new HttpHeaders(entries);

describe('RateLimitPacer', () => {
  it('lets requests go while the bucket has some left, and holds them for reset-after once it is empty', () => {
    let now = 10_000;
    const pacer = new RateLimitPacer(() => now);
    pacer.observe(headers({ 'x-ratelimit-remaining': '1', 'x-ratelimit-reset-after': '1.5' }));
    expect(pacer.delay()).toBe(0);
    pacer.observe(headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': '1.234' }));
    expect(pacer.delay()).toBe(1234 + PACE_MARGIN_MS);
    now += 1000;
    expect(pacer.delay()).toBe(234 + PACE_MARGIN_MS);
    now += 1000;
    expect(pacer.delay()).toBe(0);
  });

  it('ignores missing or garbled headers', () => {
    const pacer = new RateLimitPacer(() => 0);
    pacer.observe(headers({}));
    pacer.observe(headers({ 'x-ratelimit-remaining': '0' }));
    pacer.observe(headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': 'soon' }));
    expect(pacer.delay()).toBe(0);
  });

  it('never shortens a longer hold (a 429 then a success header)', () => {
    const pacer = new RateLimitPacer(() => 0);
    pacer.holdFor(30_000);
    pacer.observe(headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': '1' }));
    expect(pacer.delay()).toBe(30_000);
  });
});

describe('readRateLimit', () => {
  it('reads retry_after in milliseconds on unversioned URLs and in seconds on versioned ones', () => {
    expect(readRateLimit({ retry_after: 1500, global: false }, headers({}), undefined)).toEqual({ retryAfterMs: 1500, global: false, scope: undefined });
    expect(readRateLimit({ retry_after: 1.5, global: false }, headers({}), 10).retryAfterMs).toBe(1500);
    expect(readRateLimit({ retry_after: 0.0014 }, headers({}), 10).retryAfterMs).toBe(2); // rounded up, never early
  });

  it('falls back to X-RateLimit-Reset-After, then Retry-After (seconds), for a body that is not Discord JSON', () => {
    expect(readRateLimit(undefined, headers({ 'x-ratelimit-reset-after': '2.5', 'retry-after': '3' }), undefined).retryAfterMs).toBe(2500);
    expect(readRateLimit(undefined, headers({ 'retry-after': '3' }), undefined).retryAfterMs).toBe(3000);
    expect(readRateLimit({ message: 'x' }, headers({}), 10).retryAfterMs).toBeUndefined();
  });

  it('says when the limit is global or the channel one', () => {
    expect(readRateLimit({ retry_after: 1, global: true }, headers({}), 10).global).toBe(true);
    expect(readRateLimit({ retry_after: 1 }, headers({ 'x-ratelimit-global': 'true' }), 10).global).toBe(true);
    expect(readRateLimit({ retry_after: 1 }, headers({ 'x-ratelimit-scope': 'shared' }), 10).scope).toBe('shared');
  });
});
