/**
 * Step 3: roll-ups of the liquidations by minute and by hour (see rollups.ts), filled from the rows
 * already stored, so that statistics read aggregates rather than every raw row of a period.
 * - `liquidation_rollups`: count, USD total, min and max per span start, exchange, market, symbol, base,
 *   side and sampling (base is in the key: a feed may give one symbol two bases, and each must count);
 * - `liquidation_sizes`: the count of sizes per 1% log bin per span start, for the median.
 * The `symbol+time` index goes: no query reads raw rows by symbol any more, and each index costs every
 * insert.
 */
import type { Migration } from '../migrations.js';
import { rollUp } from '../rollups.js';

export const rollupTables: Migration = {
  version: 3,
  name: 'liquidation roll-ups',
  up(db) {
    db.exec(`
      CREATE TABLE liquidation_rollups (
        span     INTEGER NOT NULL,
        start    INTEGER NOT NULL,
        exchange TEXT    NOT NULL,
        market   TEXT    NOT NULL,
        symbol   TEXT    NOT NULL,
        base     TEXT    NOT NULL,
        side     TEXT    NOT NULL,
        sampled  INTEGER NOT NULL,
        count    INTEGER NOT NULL,
        usd      REAL    NOT NULL,
        min      REAL    NOT NULL,
        max      REAL    NOT NULL,
        PRIMARY KEY (span, start, exchange, market, symbol, base, side, sampled)
      ) WITHOUT ROWID;
      CREATE TABLE liquidation_sizes (
        span  INTEGER NOT NULL,
        start INTEGER NOT NULL,
        bin   INTEGER NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (span, start, bin)
      ) WITHOUT ROWID;
      DROP INDEX liquidations_symbol_time;
    `);
    // Backfill: every row stored so far (a database made before this step has rows).
    rollUp(db, 0);
  },
};
