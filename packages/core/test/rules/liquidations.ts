/** Builds realistic normalized liquidations for tests. */
import type { Liquidation } from '../../src/liquidation.js';

/** 2024-06-01T12:34:56.000Z */
export const T0 = Date.UTC(2024, 5, 1, 12, 34, 56);

let seq = 0;

const PRICES: Record<string, number> = { BTC: 64_250.1, ETH: 3_450.55, SOL: 162.42, '1000PEPE': 0.012345, PIPPIN: 0.02456 };

/**
 * A liquidation with sensible defaults: a Binance USD-M BTCUSDT long at $64,250.1. Give `usd` to set the
 * notional (the quantity follows from the price); any field can be overridden.
 */
export function liq(overrides: Partial<Liquidation> & { usd?: number } = {}): Liquidation {
  const { usd, ...fields } = overrides;
  const base = fields.base ?? 'BTC';
  const quote = fields.quote ?? 'USDT';
  const price = fields.price ?? PRICES[base] ?? 1;
  const notionalUsd = usd ?? fields.notionalUsd ?? 100_000;
  seq++;
  return {
    id: `binance:usdm:${base}${quote}:${T0 + seq}:${seq}`,
    exchange: 'binance',
    market: 'usdm',
    symbol: `${base}${quote}`,
    base,
    quote,
    side: 'long',
    price,
    priceKind: 'fill',
    quantity: notionalUsd / price,
    notionalUsd,
    time: T0,
    receivedAt: T0 + 40,
    sampled: true,
    source: 'binance',
    ...fields,
  };
}
