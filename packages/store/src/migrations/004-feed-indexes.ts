/**
 * Step 4: the `exchange+time` and `base+time` indexes go. Every stored liquidation updated them, each
 * in hundreds of places at once (one per exchange, one per base), which made them the largest part of
 * a write: without them the writer stores about twice as many events a second (docs/performance.md).
 * Nothing needs them badly any more:
 * - statistics (`liqmon stats`, the dashboard's totals, summaries) read the roll-ups, and raw rows only
 *   by time (the partial minutes at each end, `--min-usd`);
 * - `export` and `replay --from-db` read a period by time;
 * - the dashboard's feed (newest first, filtered by exchange or base) walks the `time` index backwards
 *   and stops at its `limit`: a few hundred rows for a common filter, the whole period for a filter
 *   that matches nothing (as a `minUsd` filter already did).
 */
import type { Migration } from '../migrations.js';

export const dropFeedIndexes: Migration = {
  version: 4,
  name: 'drop the exchange and base indexes',
  up(db) {
    db.exec(`
      DROP INDEX IF EXISTS liquidations_exchange_time;
      DROP INDEX IF EXISTS liquidations_base_time;
    `);
  },
};
