/**
 * Step 5: one index, unique on `(time, id)`, in place of the unique index on `id` and the index on
 * `time`. An id is made of the exchange's fields including its time (`liquidationId`), so the same
 * liquidation always comes with the same time and the pair dedupes exactly as the id alone did. What
 * changes is where a write lands: ids are random text, so each stored liquidation updated the id index
 * at a random page (hundreds of pages per transaction, most of them read back from disk once the table
 * is larger than the cache); times arrive nearly in order, so the new index grows at its end, like the
 * table. Reads by period use it as they used the time index.
 *
 * SQLite cannot drop a `UNIQUE` column constraint, so the table is rebuilt (the documented way: new
 * table, copy, drop, rename); a large database takes a while, once. The columns repeat step 1's on
 * purpose: a step is frozen once released, so it shares no definition another step could change.
 */
import type { Migration } from '../migrations.js';

export const timeIdKey: Migration = {
  version: 5,
  name: 'one index on (time, id)',
  up(db) {
    db.exec(`
      CREATE TABLE liquidations_new (
        seq          INTEGER PRIMARY KEY,
        id           TEXT    NOT NULL,
        exchange     TEXT    NOT NULL,
        market       TEXT    NOT NULL,
        symbol       TEXT    NOT NULL,
        base         TEXT    NOT NULL,
        quote        TEXT    NOT NULL,
        side         TEXT    NOT NULL CHECK (side IN ('long', 'short')),
        price        REAL    NOT NULL,
        price_kind   TEXT    NOT NULL,
        quantity     REAL    NOT NULL,
        notional_usd REAL    NOT NULL,
        time         INTEGER NOT NULL,
        received_at  INTEGER NOT NULL,
        sampled      INTEGER NOT NULL,
        source       TEXT    NOT NULL
      );
      INSERT INTO liquidations_new SELECT seq, id, exchange, market, symbol, base, quote, side, price, price_kind,
                                          quantity, notional_usd, time, received_at, sampled, source
                                     FROM liquidations ORDER BY seq;
      DROP TABLE liquidations;
      ALTER TABLE liquidations_new RENAME TO liquidations;
      CREATE UNIQUE INDEX liquidations_time_id ON liquidations (time, id);
    `);
  },
};
