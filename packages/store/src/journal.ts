/**
 * The outbox journal in the store: core's {@link AlertJournal} on the `outbox` table, so that a
 * restart after a crash sends the alerts that were queued and not yet delivered. Every call is one
 * short synchronous statement or transaction on the store's connection (alerts are a few a minute;
 * docs/performance.md has the cost of a write). Rows that are delivered or settled are kept for
 * {@link DEFAULT_OUTBOX_KEEP_MS} (to look at what was sent), then pruned; pending rows are never pruned.
 */
import type { Alert, AlertJournal, JournalTarget, PendingAlert, SettleReason } from '@liqmon/core';
import type { StoreDatabase } from './open.js';
import type { JournalOp } from './thread/protocol.js';

/** How long delivered and settled rows are kept, in ms: 7 days. */
export const DEFAULT_OUTBOX_KEEP_MS = 7 * 24 * 60 * 60_000;

/** How often finished rows are pruned, in ms (and once when the journal is made). */
export const OUTBOX_PRUNE_EVERY_MS = 60 * 60_000;

/** An alert as a journal row holds it: its JSON, and the columns read from it. */
export interface JournalRecord {
  /** `JSON.stringify(alert)`. */
  json: string;
  /** The alert's id (`''` without one). */
  alertId: string;
  createdAt: number;
}

/** The {@link JournalRecord} of `alert`. */
export function journalRecord(alert: Alert): JournalRecord {
  return { json: JSON.stringify(alert), alertId: alert.id ?? '', createdAt: alert.createdAt };
}

export interface OutboxJournalOptions {
  /** Keep delivered and settled rows this long, in ms. @default {@link DEFAULT_OUTBOX_KEEP_MS} */
  keepMs?: number;
  /** @default Date.now */
  now?: () => number;
}

export class OutboxJournal implements AlertJournal {
  readonly #db: StoreDatabase;
  readonly #now: () => number;
  readonly #keepMs: number;
  readonly #insert;
  readonly #finish;
  readonly #pending;
  readonly #prune;
  readonly #pendingCount;
  readonly #writeAll;
  readonly #insertKeyed;
  readonly #applyAll;
  #timer: NodeJS.Timeout | undefined;

  /** A journal on `db`, whose schema has the outbox table (any database {@link openDatabase} opened). */
  constructor(db: StoreDatabase, options: OutboxJournalOptions = {}) {
    this.#db = db;
    this.#now = options.now ?? Date.now;
    this.#keepMs = options.keepMs ?? DEFAULT_OUTBOX_KEEP_MS;
    this.#insert = db.prepare<[string, string, string, number, string]>(
      'INSERT INTO outbox (alert_id, sink, destination, created_at, alert) VALUES (?, ?, ?, ?, ?)',
    );
    // One statement for a whole merged message: the keys go in as one JSON array.
    this.#finish = db.prepare<[string, string | null, number, string]>(
      "UPDATE outbox SET state = ?, reason = ?, finished_at = ? WHERE state = 'pending' AND key IN (SELECT value FROM json_each(?))",
    );
    this.#pending = db.prepare<[], { key: number; sink: string; destination: string; alert: string }>(
      "SELECT key, sink, destination, alert FROM outbox WHERE state = 'pending' ORDER BY key",
    );
    // Through the partial index of pending rows: cheap enough for every /healthz and scrape.
    this.#pendingCount = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM outbox WHERE state = 'pending'");
    this.#prune = db.prepare<[number]>("DELETE FROM outbox WHERE state <> 'pending' AND finished_at < ?");
    // OR IGNORE: a change read back from the journal's log at start may be in the table already.
    const insertKeyed = db.prepare<[number, string, string, string, number, string]>(
      'INSERT OR IGNORE INTO outbox (key, alert_id, sink, destination, created_at, alert) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#insertKeyed = (keys: readonly number[], record: JournalRecord, targets: readonly JournalTarget[]) =>
      targets.forEach((target, i) => insertKeyed.run(keys[i]!, record.alertId, target.sink, target.destination, record.createdAt, record.json));
    this.#applyAll = db.transaction((ops: readonly JournalOp[]) => {
      for (const op of ops) {
        if (op.op === 'write') this.insert(op.keys, op.record, op.targets);
        else if (op.op === 'delivered') this.delivered(op.keys);
        else this.settle(op.keys, op.reason);
      }
    });
    this.#writeAll = db.transaction((alert: Alert, targets: readonly JournalTarget[]): number[] => {
      const record = journalRecord(alert);
      return targets.map((target) => Number(this.#insert.run(record.alertId, target.sink, target.destination, record.createdAt, record.json).lastInsertRowid));
    });
  }

  write(alert: Alert, targets: readonly JournalTarget[]): number[] {
    return this.#writeAll(alert, targets);
  }

  /**
   * Record an alert under keys chosen by the caller, one per target (the writer thread's path: the main
   * thread's {@link StoreJournal} picks the keys so that it can return them at once). Call it inside a
   * transaction to write several targets in one go.
   */
  insert(keys: readonly number[], record: JournalRecord, targets: readonly JournalTarget[]): void {
    this.#insertKeyed(keys, record, targets);
  }

  /**
   * Make `ops` (changes chosen on the main thread: the writer thread's messages, the journal's log at
   * start) in one transaction. Each is idempotent: made twice, it leaves the table as made once.
   */
  apply(ops: readonly JournalOp[]): void {
    this.#applyAll(ops);
  }

  /** The largest key ever written (0 for an empty table): the next key is one more. */
  maxKey(): number {
    return this.#db.prepare<[], { n: number }>('SELECT coalesce(max(key), 0) AS n FROM outbox').get()?.n ?? 0;
  }

  delivered(keys: readonly number[]): void {
    this.#finish.run('delivered', null, this.#now(), JSON.stringify(keys));
  }

  settle(keys: readonly number[], reason: SettleReason): void {
    this.#finish.run('settled', reason, this.#now(), JSON.stringify(keys));
  }

  pending(): PendingAlert[] {
    return this.#pending.all().map((row) => ({ key: row.key, sink: row.sink, destination: row.destination, alert: JSON.parse(row.alert) as Alert }));
  }

  /** How many rows (alerts per destination) are pending: written and neither delivered nor settled. */
  pendingCount(): number {
    return this.#pendingCount.get()?.n ?? 0;
  }

  /** Delete delivered and settled rows older than the keep time; returns how many. */
  prune(): number {
    return this.#prune.run(this.#now() - this.#keepMs).changes;
  }

  /** Prune now and then every {@link OUTBOX_PRUNE_EVERY_MS}, until {@link stop}; `onError` gets a failed prune. */
  startPruning(onError: (error: unknown) => void): void {
    const run = () => {
      try {
        this.prune();
      } catch (error) {
        onError(error);
      }
    };
    run();
    this.#timer = setInterval(run, OUTBOX_PRUNE_EVERY_MS);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Rows by state, for `liqmon status` and tests. */
  counts(): Record<'pending' | 'delivered' | 'settled', number> {
    const counts = { pending: 0, delivered: 0, settled: 0 };
    for (const row of this.#db.prepare<[], { state: keyof typeof counts; n: number }>('SELECT state, count(*) AS n FROM outbox GROUP BY state').all()) counts[row.state] = row.n;
    return counts;
  }
}
