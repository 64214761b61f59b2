/**
 * Step 2: the outbox journal, one row per alert per sink destination (see journal.ts). `key` is the
 * journal's key that delivery marks rows by; `alert_id` the alert's deterministic id, not unique (two
 * destinations, or two alerts of the same events). Pending rows are read in key order at start through
 * a partial index that holds only them; finished rows are pruned by the time they finished.
 */
import type { Migration } from '../migrations.js';

export const outboxTable: Migration = {
  version: 2,
  name: 'outbox journal',
  up(db) {
    db.exec(`
      CREATE TABLE outbox (
        key         INTEGER PRIMARY KEY,
        alert_id    TEXT    NOT NULL,
        sink        TEXT    NOT NULL,
        destination TEXT    NOT NULL,
        created_at  INTEGER NOT NULL,
        alert       TEXT    NOT NULL,
        state       TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'settled')),
        reason      TEXT,
        finished_at INTEGER
      );
      CREATE INDEX outbox_pending ON outbox (key) WHERE state = 'pending';
      CREATE INDEX outbox_finished ON outbox (finished_at) WHERE state <> 'pending';
    `);
  },
};
