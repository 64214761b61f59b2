/** Liquidations for the store's tests. */
import type { Liquidation } from '@liqmon/core';

const BASE_TIME = Date.UTC(2026, 11, 1, 12, 0, 0);

/** A valid liquidation; `n` makes the id (and a few fields) differ. */
export function liquidation(n: number, overrides: Partial<Liquidation> = {}): Liquidation {
  return {
    id: `binance:usdm:BTCUSDT:${n}`,
    exchange: 'binance',
    market: 'usdm',
    symbol: 'BTCUSDT',
    base: 'BTC',
    quote: 'USDT',
    side: n % 2 === 0 ? 'long' : 'short',
    price: 100_000 + n,
    priceKind: 'fill',
    quantity: 0.5,
    notionalUsd: 50_000 + n,
    time: BASE_TIME + n * 1000,
    receivedAt: BASE_TIME + n * 1000 + 20,
    sampled: true,
    source: 'binance',
    ...overrides,
  };
}
