/**
 * Liquidations as table rows and back. The column list is the `Liquidation` fields in
 * `LIQUIDATION_FIELDS` order, in snake case; `sampled` is stored as 0/1 (SQLite has no booleans).
 */
import type { LIQUIDATION_FIELDS, Liquidation } from '@liqmon/core';

/** Column of each field. */
export const COLUMNS: Record<(typeof LIQUIDATION_FIELDS)[number], string> = {
  id: 'id',
  exchange: 'exchange',
  market: 'market',
  symbol: 'symbol',
  base: 'base',
  quote: 'quote',
  side: 'side',
  price: 'price',
  priceKind: 'price_kind',
  quantity: 'quantity',
  notionalUsd: 'notional_usd',
  time: 'time',
  receivedAt: 'received_at',
  sampled: 'sampled',
  source: 'source',
};

/**
 * `id, exchange, ..., source`: every column, in the order {@link COLUMNS} lists them, which is
 * `LIQUIDATION_FIELDS` order (a test holds them equal). Not read from core at run time: the writer
 * thread loads this module, and stays small without core.
 */
export const COLUMN_LIST = Object.values(COLUMNS).join(', ');

/** A row as better-sqlite3 reads it. */
export interface LiquidationRow {
  id: string;
  exchange: string;
  market: string;
  symbol: string;
  base: string;
  quote: string;
  side: Liquidation['side'];
  price: number;
  price_kind: Liquidation['priceKind'];
  quantity: number;
  notional_usd: number;
  time: number;
  received_at: number;
  sampled: number;
  source: string;
}

/** The INSERT parameters of `event`, in {@link COLUMN_LIST} order. */
export function rowValues(event: Liquidation): unknown[] {
  return [
    event.id,
    event.exchange,
    event.market,
    event.symbol,
    event.base,
    event.quote,
    event.side,
    event.price,
    event.priceKind,
    event.quantity,
    event.notionalUsd,
    event.time,
    event.receivedAt,
    event.sampled ? 1 : 0,
    event.source,
  ];
}

/** The liquidation a row holds. */
export function rowToLiquidation(row: LiquidationRow): Liquidation {
  return {
    id: row.id,
    exchange: row.exchange,
    market: row.market,
    symbol: row.symbol,
    base: row.base,
    quote: row.quote,
    side: row.side,
    price: row.price,
    priceKind: row.price_kind,
    quantity: row.quantity,
    notionalUsd: row.notional_usd,
    time: row.time,
    receivedAt: row.received_at,
    sampled: row.sampled !== 0,
    source: row.source,
  };
}
