/**
 * Retention: liquidations older than `store.retention` (by exchange time) are deleted, in small
 * batches, each its own short transaction, with the event loop free between them, so that pruning a
 * large backlog (the first start after a long stop, a shorter retention) never blocks alerting for long.
 */
import type { StoreDatabase } from './open.js';

/** Rows deleted per transaction: a few milliseconds of work. */
export const PRUNE_BATCH = 5_000;

/** How often retention runs, in ms (and once shortly after the store opens). */
export const DEFAULT_PRUNE_EVERY_MS = 10 * 60_000;

/** Delete at most `batch` rows with `time < cutoff`. Returns how many were deleted. */
export function pruneBatch(db: StoreDatabase, cutoff: number, batch = PRUNE_BATCH): number {
  return db.prepare('DELETE FROM liquidations WHERE seq IN (SELECT seq FROM liquidations WHERE time < ? ORDER BY time LIMIT ?)').run(cutoff, batch).changes;
}

/**
 * Delete every row with `time < cutoff`, one batch per turn of the event loop. Resolves with the number
 * deleted; rejects with the database's error.
 */
export async function prune(db: StoreDatabase, cutoff: number, batch = PRUNE_BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = pruneBatch(db, cutoff, batch);
    total += deleted;
    if (deleted < batch) return total;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
