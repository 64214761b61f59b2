/**
 * Stored liquidations read back, oldest first (by exchange time): for `liqmon export` (CSV with a
 * header, fields in `LIQUIDATION_FIELDS` order; or NDJSON recording lines) and `liqmon replay
 * --from-db`. Rows are read one at a time, so a period of millions of events needs little memory.
 */
import { LIQUIDATION_FIELDS, type Liquidation } from '@liqmon/core';
import type { StoreDatabase } from './open.js';
import { COLUMN_LIST, rowToLiquidation, type LiquidationRow } from './rows.js';

/** The stored liquidations with `since <= time < until`, oldest first (equal times in storing order). */
export function* storedLiquidations(db: StoreDatabase, period: { since: number; until: number }): IterableIterator<Liquidation> {
  const rows = db
    .prepare<[number, number], LiquidationRow>(`SELECT ${COLUMN_LIST} FROM liquidations WHERE time >= ? AND time < ? ORDER BY time, seq`)
    .iterate(period.since, period.until);
  for (const row of rows) yield rowToLiquidation(row);
}

/** The CSV header line: the field names in `LIQUIDATION_FIELDS` order. */
export const CSV_HEADER = LIQUIDATION_FIELDS.join(',');

/** One CSV line (RFC 4180): text with a comma, a quote or a line break is quoted, quotes doubled. */
export function csvLine(event: Liquidation): string {
  return LIQUIDATION_FIELDS.map((field) => csvField(event[field])).join(',');
}

function csvField(value: string | number | boolean): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
