/** The options a user writes: defaults and the topics they subscribe. */
import { parseSourceOptions } from '@liqmon/core/testing';
import { describe, expect, it } from 'vitest';
import bitmex from '../src/index.js';
import { topicsOf } from '../src/source.js';

describe('BitMEX options', () => {
  it('defaults to production hosts, both markets and the whole liquidation table', () => {
    const options = parseSourceOptions(bitmex, {});
    expect(options).toMatchObject({ wsUrl: 'wss://ws.bitmex.com', restUrl: 'https://www.bitmex.com', markets: ['linear', 'inverse'], staleAfter: 30_000, refreshInterval: 900_000 });
    expect(topicsOf(options)).toEqual(['liquidation']);
    expect(bitmex.produces?.(options)).toEqual({ exchange: 'bitmex', markets: ['linear', 'inverse'] });
  });

  it('subscribes one topic per configured symbol', () => {
    expect(topicsOf(parseSourceOptions(bitmex, { symbols: ['XBTUSD', 'ETHUSD'] }))).toEqual(['liquidation:XBTUSD', 'liquidation:ETHUSD']);
  });

  it.each([
    [{ staleAfter: '500ms' }, /at least 1s/],
    [{ refreshInterval: '1s' }, /at least 10s/],
    [{ markets: ['quanto'] }, /markets/],
  ])('refuses %j', (raw, message) => {
    expect(() => parseSourceOptions(bitmex, raw)).toThrow(message);
  });
});
