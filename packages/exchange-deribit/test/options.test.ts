/** The options a user writes: defaults, and the values Deribit would refuse caught at validation. */
import { parseSourceOptions } from '@liqmon/core/testing';
import { describe, expect, it } from 'vitest';
import deribit from '../src/index.js';
import { channelsOf } from '../src/source.js';

describe('Deribit options', () => {
  it('defaults to production hosts, both markets, the 100ms channel of every future and a 30 s heartbeat', () => {
    const options = parseSourceOptions(deribit, {});
    expect(options).toMatchObject({
      wsUrl: 'wss://www.deribit.com',
      restUrl: 'https://www.deribit.com',
      markets: ['linear', 'inverse'],
      interval: '100ms',
      heartbeat: 30_000,
      staleAfter: 90_000,
      refreshInterval: 3_600_000,
    });
    expect(channelsOf(options)).toEqual(['trades.future.any.100ms']);
    expect(deribit.produces?.(options)).toEqual({ exchange: 'deribit', markets: ['linear', 'inverse'] });
  });

  it('subscribes one channel per configured instrument', () => {
    expect(channelsOf(parseSourceOptions(deribit, { symbols: ['BTC-PERPETUAL', 'ETH_USDC-PERPETUAL'], interval: 'agg2' }))).toEqual([
      'trades.BTC-PERPETUAL.agg2',
      'trades.ETH_USDC-PERPETUAL.agg2',
    ]);
  });

  it.each([
    [{ interval: 'raw' }, /interval/],
    [{ heartbeat: '5s' }, /at least 10s/],
    [{ heartbeat: '60s', staleAfter: '60s' }, /staleAfter must be longer than heartbeat/],
    [{ wsUrl: 'https://www.deribit.com' }, /ws:\/\/ or wss:\/\//],
  ])('refuses %j', (raw, message) => {
    expect(() => parseSourceOptions(deribit, raw)).toThrow(message);
  });
});
