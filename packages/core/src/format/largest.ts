import type { Liquidation } from '../liquidation.js';
import { formatPrice, formatUsd } from './numbers.js';

/** The event with the largest notional (the latest of equals), or undefined for none. */
export function largestOf(events: readonly Liquidation[]): Liquidation | undefined {
  let best: Liquidation | undefined;
  for (const event of events) if (!best || event.notionalUsd >= best.notionalUsd) best = event;
  return best;
}

/** `$820K BINANCE BTCUSDT long at $64,010`. */
export function describeLargest(event: Liquidation, tagOf: (exchange: string) => string): string {
  return `${formatUsd(event.notionalUsd)} ${tagOf(event.exchange)} ${event.symbol} ${event.side} at $${formatPrice(event.price)}`;
}
