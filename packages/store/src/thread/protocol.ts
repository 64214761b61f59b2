/**
 * What the main thread and the store's writer thread say to each other. The writer thread owns the
 * only connection that writes (liquidations, the outbox journal, retention, WAL checkpoints), so that
 * no write, lock wait or fsync ever runs on the event loop that decodes frames and delivers alerts.
 * Counters travel through a shared buffer ({@link StatusBoard}), so that `status()` is always current
 * without a message.
 */
import type { JournalTarget, Liquidation, SettleReason } from '@liqmon/core';
import type { StoreFailure } from '../failure.js';
import type { JournalRecord } from '../journal.js';

/** What the writer thread is started with (`workerData`). */
export interface WriterThreadData {
  file: string;
  busyTimeoutMs: number;
  flushEveryMs: number;
  retryEveryMs: number;
  /** Liquidations waiting for the disk at most; more are counted as not stored (`backlog`). */
  maxBacklog: number;
  /** The {@link StatusBoard}'s memory. */
  board: SharedArrayBuffer;
  /** PRAGMA statements run on the writer's connection after it opens (tests: `max_page_count`). */
  pragmas: readonly string[];
}

/** One change to the outbox journal, in the order the main thread made it. */
export type JournalOp =
  | { op: 'write'; keys: number[]; record: JournalRecord; targets: JournalTarget[] }
  | { op: 'delivered'; keys: number[] }
  | { op: 'settle'; keys: number[]; reason: SettleReason };

/** Main thread → writer thread. */
export type ToWriter =
  | { type: 'rows'; events: Liquidation[] }
  /** `seq`: the number of the last op, counted from the first of the run; acknowledged once committed. */
  | { type: 'journal'; ops: JournalOp[]; seq: number }
  /** Write everything received so far now, then set `done[0]` to 1 and notify (the main thread waits on it). */
  | { type: 'flush'; done: Int32Array }
  | { type: 'prune'; id: number; cutoff: number }
  | { type: 'close' };

/** Writer thread → main thread. */
export type FromWriter =
  | { type: 'failed'; state: 'paused' | 'off'; failure: StoreFailure }
  | { type: 'resumed'; missed: number }
  /**
   * The journal ops up to `seq` are done: committed, or failed (`error`, with what it was doing).
   * `recovered`: this one worked after one failed.
   */
  | { type: 'journal'; seq: number; doing?: string; error?: string; recovered?: boolean }
  | { type: 'outbox-prune-failed'; error: string }
  | { type: 'pruned'; id: number; deleted: number; failure?: StoreFailure };
