import { describe, expect, it } from 'vitest';
import { bybitOptionsSchema } from '../src/options.js';

describe('Bybit options', () => {
  it('defaults to every contract of both categories on the production endpoints, refreshed hourly', () => {
    expect(bybitOptionsSchema.parse({})).toEqual({
      categories: ['linear', 'inverse'],
      wsUrl: 'wss://stream.bybit.com',
      restUrl: 'https://api.bybit.com',
      refreshInterval: 3_600_000,
      staleAfter: 60_000,
      topicsPerConnection: 200,
    });
  });

  it('reads durations with units and refuses bare numbers and too-short refreshes', () => {
    expect(bybitOptionsSchema.parse({ refreshInterval: '15m' }).refreshInterval).toBe(900_000);
    expect(bybitOptionsSchema.safeParse({ refreshInterval: 60 }).success).toBe(false);
    expect(bybitOptionsSchema.safeParse({ refreshInterval: '5s' }).success).toBe(false);
  });

  it('reads staleAfter as a duration and refuses bare numbers and values under a second, saying why', () => {
    expect(bybitOptionsSchema.parse({ staleAfter: '3s' }).staleAfter).toBe(3_000);
    expect(bybitOptionsSchema.parse({ staleAfter: '2m' }).staleAfter).toBe(120_000);
    const bare = bybitOptionsSchema.safeParse({ staleAfter: 60 });
    expect(bare.error?.issues[0]?.message).toMatch(/write it with a unit/);
    const short = bybitOptionsSchema.safeParse({ staleAfter: '500ms' });
    expect(short.error?.issues[0]).toMatchObject({ path: ['staleAfter'], message: expect.stringMatching(/at least 1s/) });
  });

  it('refuses unknown categories, empty lists, non-WebSocket URLs and oversized connections', () => {
    for (const bad of [
      { categories: ['spot'] },
      { categories: [] },
      { symbols: [] },
      { wsUrl: 'https://stream.bybit.com' },
      { restUrl: 'ftp://api.bybit.com' },
      { topicsPerConnection: 0 },
      { topicsPerConnection: 5000 },
    ]) {
      expect(bybitOptionsSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
