/**
 * Retention: liquidations older than `store.retention` (by exchange time) are deleted, with their
 * roll-ups, in small batches, each its own short transaction, with the event loop free between them,
 * so that pruning a large backlog (the first start after a long stop, a shorter retention) never blocks
 * alerting for long. The cutoff is floored to a whole hour, so that raw rows and both spans of the
 * roll-ups always cover the same hours (an hour's roll-up is never kept for half its rows).
 */
import type { StoreDatabase } from './open.js';
import { HOUR_SPAN } from './rollups.js';

/** Rows deleted per transaction: a few milliseconds of work. */
export const PRUNE_BATCH = 5_000;

/** How often retention runs, in ms (and once shortly after the store opens). */
export const DEFAULT_PRUNE_EVERY_MS = 10 * 60_000;

/** `cutoff` floored to the hour: what retention deletes before. */
export function pruneCutoff(cutoff: number): number {
  return Math.floor(cutoff / HOUR_SPAN) * HOUR_SPAN;
}

const ROLLUP_KEY = 'span, start, exchange, market, symbol, base, side, sampled';

/** What one batch deleted: liquidations, and roll-up rows (both tables, both spans). */
export interface PruneCount {
  liquidations: number;
  rollups: number;
}

/**
 * Delete at most `batch` rows older than `cutoff` floored to the hour: raw rows first, then roll-ups,
 * then size histograms. Fewer than `batch` in all means nothing older is left.
 */
export function pruneBatch(db: StoreDatabase, cutoff: number, batch = PRUNE_BATCH): PruneCount {
  const before = pruneCutoff(cutoff);
  const liquidations = db
    .prepare('DELETE FROM liquidations WHERE seq IN (SELECT seq FROM liquidations WHERE time < ? ORDER BY time LIMIT ?)')
    .run(before, batch).changes;
  let rollups = 0;
  if (liquidations < batch) {
    rollups += db
      .prepare(`DELETE FROM liquidation_rollups WHERE (${ROLLUP_KEY}) IN (SELECT ${ROLLUP_KEY} FROM liquidation_rollups WHERE start < ? LIMIT ?)`)
      .run(before, batch - liquidations).changes;
  }
  if (liquidations + rollups < batch) {
    rollups += db
      .prepare('DELETE FROM liquidation_sizes WHERE (span, start, bin) IN (SELECT span, start, bin FROM liquidation_sizes WHERE start < ? LIMIT ?)')
      .run(before, batch - liquidations - rollups).changes;
  }
  return { liquidations, rollups };
}

/**
 * Delete every liquidation and roll-up older than `cutoff` floored to the hour, one batch per turn of
 * the event loop. Resolves with the number of liquidations deleted; rejects with the database's error.
 */
export async function prune(db: StoreDatabase, cutoff: number, batch = PRUNE_BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = pruneBatch(db, cutoff, batch);
    total += deleted.liquidations;
    if (deleted.liquidations + deleted.rollups < batch) return total;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
