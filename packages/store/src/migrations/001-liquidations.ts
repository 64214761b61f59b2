/**
 * Step 1: the liquidations table, one row per normalized event (every field of `Liquidation`), `id`
 * unique so that an event seen twice is stored once. Indexes serve the queries of `liqmon stats`,
 * `export` and `replay --from-db` (a period, optionally one exchange, base or symbol) and retention
 * (oldest first by time).
 */
import type { Migration } from '../migrations.js';

export const liquidationsTable: Migration = {
  version: 1,
  name: 'liquidations table',
  up(db) {
    db.exec(`
      CREATE TABLE liquidations (
        seq          INTEGER PRIMARY KEY,
        id           TEXT    NOT NULL UNIQUE,
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
      CREATE INDEX liquidations_time ON liquidations (time);
      CREATE INDEX liquidations_exchange_time ON liquidations (exchange, time);
      CREATE INDEX liquidations_base_time ON liquidations (base, time);
      CREATE INDEX liquidations_symbol_time ON liquidations (symbol, time);
    `);
  },
};
