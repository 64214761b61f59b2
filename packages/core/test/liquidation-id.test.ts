import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { liquidationId } from '../src/index.js';
import { epochMsText } from '../src/liquidation-id.js';

describe('liquidationId', () => {
  it('joins the parts with colons, the time written in full', () => {
    expect(liquidationId('binance', 'usdm', 'BTCUSDT', 1_750_000_000_042, 'SELL', '0.014', '60123.5')).toBe(
      'binance:usdm:BTCUSDT:1750000000042:SELL:0.014:60123.5',
    );
    expect(liquidationId('bybit', 'inverse', '币安人生USD', 1_000_000, 'Buy', '1', '0.5')).toBe('bybit:inverse:币安人生USD:1000000:Buy:1:0.5');
  });

  it('writes a time exactly as String() does, padding the low digits', () => {
    for (const ms of [0, 7, 999_999, 1_000_000, 1_000_001, 1_000_010, 1_750_000_000_000, 1_750_000_000_001, 1_750_000_099_999, 1_750_000_100_000, 1.5, -3, Number.MAX_SAFE_INTEGER, 2 ** 60]) {
      expect(epochMsText(ms)).toBe(String(ms));
    }
    fc.assert(fc.property(fc.maxSafeNat(), (ms) => epochMsText(ms) === String(ms)), { numRuns: 5000 });
  });
});
