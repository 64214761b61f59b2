import type { Alert } from './alert.js';
import type { Liquidation } from './liquidation.js';

/**
 * A realistic liquidation, for `liqmon test-sink`, examples and tests: a $1.25M BTCUSDT long
 * liquidated on Binance USD-M. Any field can be overridden; `id` follows `time` unless given.
 */
export function sampleLiquidation(overrides: Partial<Liquidation> = {}): Liquidation {
  const time = overrides.time ?? Date.now();
  return {
    id: `sample:binance:usdm:BTCUSDT:${time}`,
    exchange: 'binance',
    market: 'usdm',
    symbol: 'BTCUSDT',
    base: 'BTC',
    quote: 'USDT',
    side: 'long',
    price: 96_150.4,
    priceKind: 'fill',
    quantity: 13,
    notionalUsd: 1_249_955.2,
    time,
    receivedAt: time,
    sampled: true,
    source: 'sample',
    ...overrides,
  };
}

/** A single-liquidation alert of `rule` around `event`. */
export function sampleAlert(event: Liquidation = sampleLiquidation(), rule = 'sample'): Alert {
  return { rule, kind: 'liquidation', events: [event], createdAt: event.receivedAt };
}
