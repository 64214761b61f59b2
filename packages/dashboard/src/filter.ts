/**
 * Which liquidations a viewer wants: the page's filters, `GET /api/liquidations` and `GET /api/stream`
 * share this one definition (no Node.js imports: the page's script uses it too).
 */
import type { LiquidationView } from './shapes.js';

/** A filter of liquidations; an absent field lets everything through. */
export interface LiquidationFilter {
  /** Exchanges, lowercase (`binance`). */
  exchange?: readonly string[];
  /** Base assets, uppercase (`BTC`). */
  base?: readonly string[];
  side?: 'long' | 'short';
  /** At least this many USD. */
  minUsd?: number;
}

/** True when `event` passes `filter`. */
export function matchesFilter(event: Pick<LiquidationView, 'exchange' | 'base' | 'side' | 'notionalUsd'>, filter: LiquidationFilter): boolean {
  if (filter.exchange && filter.exchange.length > 0 && !filter.exchange.includes(event.exchange)) return false;
  if (filter.base && filter.base.length > 0 && !filter.base.includes(event.base.toUpperCase())) return false;
  if (filter.side && event.side !== filter.side) return false;
  if (filter.minUsd !== undefined && event.notionalUsd < filter.minUsd) return false;
  return true;
}

/** True when the filter lets everything through. */
export function isEmptyFilter(filter: LiquidationFilter): boolean {
  return !filter.exchange?.length && !filter.base?.length && filter.side === undefined && filter.minUsd === undefined;
}
