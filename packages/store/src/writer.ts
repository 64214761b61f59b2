/**
 * Writing liquidations off the hot path: `write` only appends to a buffer; the buffer goes to the
 * database in one transaction every `flushEveryMs`, or at once (on the next turn of the event loop)
 * when it holds `maxBatch` events. A failed write never throws to the caller: a full disk pauses
 * writing (what arrives meanwhile is counted as not stored) and writing is tried again after
 * `retryEveryMs`; any other failure (corrupt, locked, unwritable) turns writing off for the run.
 */
import type { Liquidation, StoreFailureReason } from '@liqmon/core';
import { describeFailure, type StoreFailure } from './failure.js';
import type { StoreDatabase } from './open.js';
import { lastSeq, rollUp } from './rollups.js';
import { COLUMN_LIST, rowValues } from './rows.js';

/**
 * Why a liquidation was not stored: already stored (same id), more waiting for the disk than the
 * writer holds (`backlog`: the disk is slower than the feed for a long while), or the store's failure
 * at the time.
 */
export type NotStoredReason = 'duplicate' | 'backlog' | StoreFailureReason;

/** Every {@link NotStoredReason}, for metrics. */
export const NOT_STORED_REASONS: readonly NotStoredReason[] = ['duplicate', 'backlog', 'full', 'locked', 'corrupt', 'unwritable', 'other'];

/** Counters of what was not stored, all zero. */
export function noneNotStored(): Record<NotStoredReason, number> {
  return { duplicate: 0, backlog: 0, full: 0, locked: 0, corrupt: 0, unwritable: 0, other: 0 };
}

/** `on`: writing; `paused`: the disk is full, retried later; `off`: failed for this run. */
export type WriterState = 'on' | 'paused' | 'off';

/** Flush period, in ms: a stored event is readable by `liqmon stats` within about this long. */
export const DEFAULT_FLUSH_EVERY_MS = 100;
/** Events per transaction at most; a fuller buffer is flushed at once. */
export const DEFAULT_MAX_BATCH = 2_000;
/** Wait before writing is tried again after a full disk, in ms. */
export const DEFAULT_RETRY_EVERY_MS = 30_000;

export interface StoreWriterOptions {
  db: StoreDatabase;
  file: string;
  /** @default {@link DEFAULT_FLUSH_EVERY_MS} */
  flushEveryMs?: number;
  /** @default {@link DEFAULT_MAX_BATCH} */
  maxBatch?: number;
  /** @default {@link DEFAULT_RETRY_EVERY_MS} */
  retryEveryMs?: number;
  /** Writing paused (`full`) or stopped (`off`) because of `error`. */
  onFailure?: (error: StoreFailure, state: Exclude<WriterState, 'on'>) => void;
  /** Writing works again after a pause; `missed` events were not stored meanwhile. */
  onResume?: (missed: number) => void;
}

export class StoreWriter {
  readonly #options: StoreWriterOptions;
  readonly #insertAll: (events: readonly Liquidation[]) => number;
  #buffer: Liquidation[] = [];
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #state: WriterState = 'on';
  #failure: StoreFailure | undefined;
  /** Events not stored since the pause began, reported on resume. */
  #missed = 0;
  #retrying = false;
  /** Rows written since open. */
  written = 0;
  /** Events not stored since open, by reason. */
  readonly notStored: Record<NotStoredReason, number> = noneNotStored();

  constructor(options: StoreWriterOptions) {
    this.#options = options;
    const insert = options.db.prepare(`INSERT OR IGNORE INTO liquidations (${COLUMN_LIST}) VALUES (${COLUMN_LIST.split(',').map(() => '?').join(', ')})`);
    this.#insertAll = options.db.transaction((events: readonly Liquidation[]) => {
      // Roll-ups in the same transaction: readers never see rows without them (rollups.ts).
      const afterSeq = lastSeq(options.db);
      let inserted = 0;
      for (const event of events) inserted += insert.run(rowValues(event)).changes;
      if (inserted > 0) rollUp(options.db, afterSeq);
      return inserted;
    });
  }

  get state(): WriterState {
    return this.#state;
  }

  /** The failure behind a pause or a stop (undefined while writing works). */
  get failure(): StoreFailure | undefined {
    return this.#failure;
  }

  /** Queue `event` for the next flush. Hot path: an array push, and a timer for the first of a batch. */
  write(event: Liquidation): void {
    if (this.#state !== 'on') {
      this.#notStored(this.#failure?.reason ?? 'other', 1);
      return;
    }
    this.#buffer.push(event);
    if (this.#buffer.length >= (this.#options.maxBatch ?? DEFAULT_MAX_BATCH)) {
      this.#immediate ??= setImmediate(() => this.flush());
    } else if (!this.#timer) {
      this.#timer = setTimeout(() => this.flush(), this.#options.flushEveryMs ?? DEFAULT_FLUSH_EVERY_MS);
      this.#timer.unref();
    }
  }

  /** Write what is buffered now, in one transaction. Never throws. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#immediate = undefined;
    const batch = this.#buffer;
    if (batch.length === 0) return;
    this.#buffer = [];
    if (this.#state !== 'on') {
      this.#notStored(this.#failure?.reason ?? 'other', batch.length);
      return;
    }
    let inserted: number;
    try {
      inserted = this.#insertAll(batch);
    } catch (error) {
      const failure = describeFailure(error, this.#options.file, 'write to');
      this.#notStored(failure.reason, batch.length);
      this.#fail(failure);
      return;
    }
    this.written += inserted;
    this.notStored.duplicate += batch.length - inserted;
    if (this.#retrying) {
      this.#retrying = false;
      this.#failure = undefined;
      const missed = this.#missed;
      this.#missed = 0;
      this.#options.onResume?.(missed);
    }
  }

  /** Flush what is buffered and stop the timers. */
  close(): void {
    this.flush();
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }

  #notStored(reason: NotStoredReason, count: number): void {
    this.notStored[reason] += count;
    if (reason !== 'duplicate') this.#missed += count;
  }

  #fail(failure: StoreFailure): void {
    this.#failure = failure;
    this.#retrying = false;
    if (failure.reason !== 'full') {
      this.#state = 'off';
      this.#options.onFailure?.(failure, 'off');
      return;
    }
    this.#state = 'paused';
    this.#options.onFailure?.(failure, 'paused');
    // Try again later: the next flush either works (resume) or pauses again.
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (this.#state !== 'paused') return;
      this.#state = 'on';
      this.#retrying = true;
    }, this.#options.retryEveryMs ?? DEFAULT_RETRY_EVERY_MS);
    this.#retryTimer.unref();
  }
}
