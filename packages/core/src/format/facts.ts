/**
 * Facts the formatter adds to alerts beyond their numbers: what a price is (its kind), the price range
 * a cascade moved through, and whether totals come from a sampled feed.
 */
import type { Alert } from '../alert.js';
import type { Wording } from '../config/schema.js';
import type { Liquidation, PriceKind } from '../liquidation.js';
import { formatPrice } from './numbers.js';

/** The label of a price of `kind` (`Avg fill price`, `Bankruptcy price`, `Order price`); `Price` when unknown. */
export function priceLabel(kind: PriceKind | undefined, words: Wording): string {
  switch (kind) {
    case 'fill':
      return words.fillPrice;
    case 'bankruptcy':
      return words.bankruptcyPrice;
    case 'order':
      return words.orderPrice;
    default:
      return words.price;
  }
}

/** The one kind shared by every event, or undefined when they differ (or there are none). */
export function sharedPriceKind(events: readonly Liquidation[]): PriceKind | undefined {
  const kind = events[0]?.priceKind;
  return events.every((event) => event.priceKind === kind) ? kind : undefined;
}

/**
 * The prices of the earliest and the latest event (exchange time), or undefined for fewer than two
 * events or events of several base assets, whose prices cannot be compared (a cascade keyed by side
 * only mixes BTC and DOGE).
 */
export function firstAndLastPrice(events: readonly Liquidation[]): { first: number; last: number } | undefined {
  if (events.length < 2) return undefined;
  const base = events[0]!.base;
  let first = events[0]!;
  let last = events[0]!;
  for (const event of events) {
    if (event.base !== base) return undefined;
    if (event.time < first.time) first = event;
    if (event.time >= last.time) last = event;
  }
  return { first: first.price, last: last.price };
}

/** `$64,010 → $63,205 (-1.26%)`; undefined when the first price is not a positive number. */
export function formatPriceRange(first: number, last: number): string | undefined {
  if (!(first > 0) || !Number.isFinite(first) || !Number.isFinite(last)) return undefined;
  const move = ((last - first) / first) * 100;
  const percent = `${move > 0 ? '+' : ''}${move.toFixed(2)}%`;
  return `$${formatPrice(first)} → $${formatPrice(last)} (${percent === '-0.00%' ? '0.00%' : percent})`;
}

/**
 * Exchanges whose sampled feeds contributed to an alert's totals (empty when the alert shows no total
 * built from a sample). A single liquidation is no total; a cooldown's fold, a cascade, a digest and a
 * summary are.
 */
export function sampledExchanges(alert: Alert): string[] {
  const events: Liquidation[] = [];
  switch (alert.kind) {
    case 'liquidation':
      if (alert.events.length < 2 && !(alert.folded && alert.folded.count > 0)) return [];
      events.push(...alert.events);
      break;
    case 'cascade':
      events.push(...alert.events, alert.largest);
      break;
    case 'digest':
      if (alert.largest) events.push(alert.largest);
      break;
    case 'summary':
      return [...alert.stats.sampledExchanges];
  }
  return [...new Set(events.filter((event) => event.sampled).map((event) => event.exchange))];
}
