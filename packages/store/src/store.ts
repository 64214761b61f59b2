/**
 * The store as `liqmon start` runs it: opens the database, writes every liquidation through a
 * {@link StoreWriter}, prunes old rows, and reports how it stands. It never throws at its caller and
 * never stops alerting: a database that cannot be opened or written is logged once (one line naming
 * the file and the fix) and the store goes on as `off` (or `paused` for a full disk), counting what it
 * could not store.
 */
import type { Liquidation, Logger, StoreError } from '@liqmon/core';
import { openDatabase, type StoreDatabase } from './open.js';
import { storeFailure } from './failure.js';
import { DEFAULT_PRUNE_EVERY_MS, prune } from './retention.js';
import { StoreWriter, type NotStoredReason, type StoreWriterOptions, type WriterState } from './writer.js';

/** How the store stands, for `/healthz`, `liqmon status` and metrics. */
export interface StoreStatus {
  /** `on`: storing; `paused`: the disk is full, retried later; `off`: failed for this run. */
  state: WriterState;
  /** The database file. */
  file: string;
  /** Rows written since start. */
  written: number;
  /** Liquidations not stored since start, by reason. */
  notStored: Record<NotStoredReason, number>;
  /** Why it is paused or off: the error and its fix, in one line. */
  problem?: string;
}

export interface StoreOptions extends Pick<StoreWriterOptions, 'flushEveryMs' | 'maxBatch' | 'retryEveryMs'> {
  /** The database file. */
  file: string;
  /** Rows older than this (exchange time) are pruned; 0 keeps everything. */
  retentionMs: number;
  logger: Logger;
  /** @default 2000 */
  busyTimeoutMs?: number;
  /** @default {@link DEFAULT_PRUNE_EVERY_MS} */
  pruneEveryMs?: number;
  /** @default Date.now */
  now?: () => number;
}

/** First retention run after open, in ms: not at once, so that start is not slowed by a large prune. */
const FIRST_PRUNE_AFTER_MS = 10_000;

export class Store {
  readonly file: string;
  /** The open connection (undefined when the file could not be opened), for queries and other tables. */
  readonly db: StoreDatabase | undefined;
  readonly #options: StoreOptions;
  readonly #writer: StoreWriter | undefined;
  /** The failure of open, when it failed. */
  readonly #openFailure: StoreError | undefined;
  readonly #notOpened: Record<NotStoredReason, number> = { duplicate: 0, full: 0, locked: 0, corrupt: 0, unwritable: 0, other: 0 };
  #pruneTimer: NodeJS.Timeout | undefined;
  #pruning: Promise<unknown> | undefined;
  #closed = false;

  private constructor(options: StoreOptions, db: StoreDatabase | undefined, openFailure: StoreError | undefined) {
    this.#options = options;
    this.file = options.file;
    this.db = db;
    this.#openFailure = openFailure;
    if (!db) return;
    const { logger } = options;
    this.#writer = new StoreWriter({
      db,
      file: options.file,
      ...(options.flushEveryMs !== undefined ? { flushEveryMs: options.flushEveryMs } : {}),
      ...(options.maxBatch !== undefined ? { maxBatch: options.maxBatch } : {}),
      ...(options.retryEveryMs !== undefined ? { retryEveryMs: options.retryEveryMs } : {}),
      onFailure: (error, state) =>
        state === 'paused'
          ? logger.warn({ reason: error.reason }, `store paused: ${error.message} ${error.hint ?? ''} Alerts go on.`)
          : logger.error({ reason: error.reason }, `store off: ${error.message} Fix: ${error.hint ?? ''} Alerts go on without it.`),
      onResume: (missed) => logger.info({ missed }, `store resumed: writing ${options.file} again (${missed} liquidation(s) were not stored meanwhile)`),
    });
    if (options.retentionMs > 0) this.#schedulePrune(FIRST_PRUNE_AFTER_MS);
  }

  /**
   * Open the store at `options.file`. Never throws: when the database cannot be used, the store is
   * `off` for this run and one error line says why and how to fix it.
   */
  static open(options: StoreOptions): Store {
    try {
      const db = openDatabase(options.file, options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs });
      options.logger.debug({ file: options.file }, 'store open');
      return new Store(options, db, undefined);
    } catch (error) {
      const failure = storeFailure(error, options.file, 'open');
      options.logger.error({ reason: failure.reason }, `store off: ${failure.message} Fix: ${failure.hint ?? ''} Alerts go on without it.`);
      return new Store(options, undefined, failure);
    }
  }

  /** Store `event` (batched, off the hot path). */
  write(event: Liquidation): void {
    if (this.#writer) this.#writer.write(event);
    else this.#notOpened[this.#openFailure?.reason ?? 'other']++;
  }

  /** Write what is buffered now. */
  flush(): void {
    this.#writer?.flush();
  }

  status(): StoreStatus {
    const failure = this.#writer ? this.#writer.failure : this.#openFailure;
    return {
      state: this.#writer?.state ?? 'off',
      file: this.file,
      written: this.#writer?.written ?? 0,
      notStored: { ...(this.#writer?.notStored ?? this.#notOpened) },
      ...(failure ? { problem: `${failure.message} ${failure.hint ?? ''}`.trim() } : {}),
    };
  }

  /** Delete rows older than the retention now. Resolves with the number deleted (0 when off). */
  async prune(): Promise<number> {
    const db = this.db;
    const state = this.#writer?.state;
    if (!db || state === 'off' || this.#options.retentionMs <= 0) return 0;
    const cutoff = (this.#options.now ?? Date.now)() - this.#options.retentionMs;
    try {
      const deleted = await prune(db, cutoff);
      if (deleted > 0) this.#options.logger.debug({ deleted, cutoff }, 'store: pruned liquidations older than the retention');
      return deleted;
    } catch (error) {
      // A prune that fails (full disk for the WAL, a lock) is retried at the next period.
      const failure = storeFailure(error, this.file, 'prune');
      this.#options.logger.warn({ reason: failure.reason }, `store: ${failure.message}`);
      return 0;
    }
  }

  /** Flush, stop timers, close the database. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#pruneTimer);
    await this.#pruning;
    this.#writer?.close();
    this.db?.close();
  }

  #schedulePrune(afterMs: number): void {
    this.#pruneTimer = setTimeout(() => {
      this.#pruning = this.prune().finally(() => {
        this.#pruning = undefined;
        if (!this.#closed) this.#schedulePrune(this.#options.pruneEveryMs ?? DEFAULT_PRUNE_EVERY_MS);
      });
    }, afterMs);
    this.#pruneTimer.unref();
  }
}
