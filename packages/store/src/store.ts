/**
 * The store as `liqmon start` runs it: opens the database (and migrates it) on the main thread, then
 * hands every write to a writer thread with its own connection (thread/writer-thread.ts), so that
 * inserts, lock waits, checkpoints and their fsync never pause the event loop that decodes frames and
 * delivers alerts. `write` is a buffer push; the buffer goes to the writer thread every
 * `flushEveryMs` or at `maxBatch` events. The main thread's connection only reads (`db`: the
 * dashboard's history, summaries' statistics, the journal's pending alerts at start).
 *
 * It never throws at its caller and never stops alerting: a database that cannot be opened or written
 * is logged once (one line naming the file and the fix) and the store goes on as `off` (or `paused`
 * for a full disk), counting what it could not store.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describeError, StoreError, type Liquidation, type Logger } from '@liqmon/core';
import { logLine, startJournalLog, type JournalLog } from './journal-log.js';
import { DEFAULT_BUSY_TIMEOUT_MS, openDatabase, type StoreDatabase } from './open.js';
import { storeError, storeFailure } from './store-error.js';
import { DEFAULT_PRUNE_EVERY_MS } from './retention.js';
import { StatusBoard } from './thread/status-board.js';
import type { FromWriter, JournalOp, ToWriter, WriterThreadData } from './thread/protocol.js';
import {
  DEFAULT_FLUSH_EVERY_MS,
  DEFAULT_MAX_BATCH,
  DEFAULT_RETRY_EVERY_MS,
  noneNotStored,
  type NotStoredReason,
  type StoreWriterOptions,
  type WriterState,
} from './writer.js';

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
  /** @default {@link DEFAULT_BUSY_TIMEOUT_MS} */
  busyTimeoutMs?: number;
  /** @default {@link DEFAULT_PRUNE_EVERY_MS} */
  pruneEveryMs?: number;
  /** @default {@link DEFAULT_MAX_BACKLOG} */
  maxBacklog?: number;
  /** PRAGMA statements for the writer thread's connection (tests: `max_page_count` plays a full disk). */
  writerPragmas?: readonly string[];
  /**
   * Keep the outbox journal's log (journal-log.ts), so that delivery need not wait for the writer
   * thread's commit. False: every alert waits for it, as when the log cannot be opened. @default true
   */
  journalLog?: boolean;
  /** @default Date.now */
  now?: () => number;
}

/**
 * Liquidations waiting for the disk at most (about 10 MB): what arrives beyond is counted as not
 * stored (`backlog`), so a disk slower than the feed for minutes costs history, never memory.
 */
export const DEFAULT_MAX_BACKLOG = 20_000;

/**
 * The writer thread's heap limit: it holds rows and journal records only until they are written (full
 * backlogs of {@link DEFAULT_MAX_BACKLOG} rows and {@link MAX_JOURNAL_BACKLOG} records are about 12 and
 * 10 MB), and V8 would otherwise size it like a main thread's.
 */
const WRITER_HEAP = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 2 };

/**
 * Journal changes waiting for the writer thread at most (a few MB: an alert's record is its JSON).
 * Beyond, new alerts are delivered without a record until it catches up, and that is said.
 */
export const MAX_JOURNAL_BACKLOG = 5_000;

/** How long {@link Store.flush} waits for the writer thread at most, in ms. */
export const FLUSH_WAIT_MS = 5_000;

/** First retention run after open, in ms: not at once, so that start is not slowed by a large prune. */
const FIRST_PRUNE_AFTER_MS = 10_000;

/** Listener of the journal's background failures (see {@link Store.onJournal}). */
export type JournalListener = (failure: { doing: string; error: string } | undefined) => void;

export class Store {
  readonly file: string;
  /** The main thread's connection (undefined when the file could not be opened): for reads only. */
  readonly db: StoreDatabase | undefined;
  readonly #options: StoreOptions;
  readonly #board = new StatusBoard();
  readonly #worker: Worker | undefined;
  /** The failure of open, or of the writer thread, when the store is off. */
  #failure: StoreError | undefined;
  /** Counted here rather than by the writer: before it started, or after it stopped. */
  readonly #notHandedOver = noneNotStored();
  #buffer: Liquidation[] = [];
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #journalOps: JournalOp[] = [];
  #journalPosting = false;
  /** Journal ops made since start (the last one's number), and the number the writer thread has done. */
  #journalMade = 0;
  #journalDone = 0;
  /** Who waits for ops to be done: resolved when `seq` is done, rejected when that cannot be known. */
  #journalWaiters: { seq: number; resolve: () => void; reject: (error: Error) => void; timer: NodeJS.Timeout }[] = [];
  #journalListener: JournalListener | undefined;
  /** The writer thread is too far behind: new alerts are not journaled until it catches up. */
  #journalFull = false;
  /** The journal's log (journal-log.ts): undefined when it could not be started. */
  readonly #log: JournalLog | undefined;
  /** Lines of changes made and not yet appended to the log (appended at the end of the turn, or when asked). */
  #logLines = '';
  /** The number of the last journal change appended to the log (or that the log could not take). */
  #logThrough = 0;
  /** Numbers of journal changes the log could not take (not yet done): those wait for the writer's commit. */
  #unlogged: number[] = [];
  /** A change failed on the writer thread: the log keeps everything for the next start from then on. */
  #logKept = false;
  /** The largest key the last run's log held: the journal's keys start above it. */
  readonly lastLoggedKey: number = 0;
  #pruneTimer: NodeJS.Timeout | undefined;
  #pruneIds = 0;
  readonly #prunes = new Map<number, (deleted: number) => void>();
  #pruning: Promise<unknown> | undefined;
  #closed: Promise<void> | undefined;
  #threadGone = false;
  /** Liquidations given to the writer thread: what it had not written or counted when it died is counted here. */
  #handedOver = 0;

  private constructor(options: StoreOptions, db: StoreDatabase | undefined, openFailure: StoreError | undefined) {
    this.#options = options;
    this.file = options.file;
    this.db = db;
    this.#failure = openFailure;
    if (!db) {
      this.#board.set('off', 0, noneNotStored());
      return;
    }
    // Before the writer thread starts and before anything reads the outbox: the last run's log first.
    if (options.journalLog !== false) {
      const started = startJournalLog(db, options.file, options.logger);
      this.#log = started.log;
      this.lastLoggedKey = started.lastKey;
    }
    const data: WriterThreadData = {
      file: options.file,
      busyTimeoutMs: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
      flushEveryMs: options.flushEveryMs ?? DEFAULT_FLUSH_EVERY_MS,
      retryEveryMs: options.retryEveryMs ?? DEFAULT_RETRY_EVERY_MS,
      maxBacklog: options.maxBacklog ?? DEFAULT_MAX_BACKLOG,
      board: this.#board.buffer,
      pragmas: options.writerPragmas ?? [],
    };
    this.#worker = new Worker(writerThreadFile(), { workerData: data, resourceLimits: WRITER_HEAP });
    this.#worker.unref();
    this.#worker.on('message', (message: FromWriter) => this.#onMessage(message));
    this.#worker.on('error', (error) => this.#threadStopped(error));
    this.#worker.on('exit', (code) => {
      if (!this.#closed) this.#threadStopped(new Error(`it exited with code ${code}`));
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

  /** Store `event`: a buffer push; the writer thread writes it within about `flushEveryMs`. */
  write(event: Liquidation): void {
    if (!this.#accepting) {
      this.#notHandedOver[this.#failure?.reason ?? 'other']++;
      return;
    }
    this.#buffer.push(event);
    if (this.#buffer.length >= (this.#options.maxBatch ?? DEFAULT_MAX_BATCH)) {
      this.#immediate ??= setImmediate(() => this.#handOver());
    } else if (!this.#timer) {
      this.#timer = setTimeout(() => this.#handOver(), this.#options.flushEveryMs ?? DEFAULT_FLUSH_EVERY_MS);
      this.#timer.unref();
    }
  }

  /**
   * Write everything given so far (liquidations and journal changes) now, and wait until it is
   * committed: at most {@link FLUSH_WAIT_MS}. It blocks the event loop meanwhile (a few milliseconds),
   * so it is for the rare moments that must read what was just written (a summary's period at its end,
   * tests). Returns false when the writer did not answer in time (or is not running).
   */
  flush(): boolean {
    this.#handOver();
    this.#postJournal();
    if (!this.#accepting) return false;
    const done = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    this.#post({ type: 'flush', done });
    return Atomics.wait(done, 0, 0, FLUSH_WAIT_MS) !== 'timed-out';
  }

  status(): StoreStatus {
    const notStored = this.#board.notStored();
    for (const reason of Object.keys(notStored) as NotStoredReason[]) notStored[reason] += this.#notHandedOver[reason];
    const failure = this.#failure;
    return {
      state: this.#threadGone ? 'off' : this.#board.state,
      file: this.file,
      written: this.#board.written,
      notStored,
      ...(failure && (this.#threadGone || this.#board.state !== 'on') ? { problem: `${failure.message} ${failure.hint ?? ''}`.trim() } : {}),
    };
  }

  /** Delete rows older than the retention now (on the writer thread). Resolves with the number deleted (0 when off). */
  prune(): Promise<number> {
    if (!this.#accepting || this.#options.retentionMs <= 0) return Promise.resolve(0);
    const cutoff = (this.#options.now ?? Date.now)() - this.#options.retentionMs;
    const id = ++this.#pruneIds;
    this.#handOver(); // in order: what was written before is stored before the prune runs
    return new Promise((resolve) => {
      this.#prunes.set(id, resolve);
      this.#post({ type: 'prune', id, cutoff });
    });
  }

  /**
   * Queue a change to the outbox journal for the writer thread (see {@link StoreJournal}). Changes
   * made in one turn of the event loop go over in one message, and are written in one transaction.
   * Returns the change's number (for {@link journalCommitted}), or undefined when the writer is not
   * running or, for a write, too far behind (the change is dropped).
   */
  journal(op: JournalOp): number | undefined {
    if (!this.#accepting) return undefined;
    if (op.op === 'write' && !this.#journalHasRoom()) return undefined;
    this.#journalOps.push(op);
    this.#journalMade++;
    if (this.#log) this.#logLines += logLine(op);
    if (!this.#journalPosting) {
      this.#journalPosting = true;
      queueMicrotask(() => this.#postJournal());
    }
    return this.#journalMade;
  }

  /**
   * Whether the journal changes up to number `seq` (as {@link journal} returned it) are safe from a
   * killed process without waiting for the writer thread: each in the journal's log, or done already.
   */
  journalLogged(seq: number): boolean {
    if (seq > this.#logThrough) this.#appendLog();
    // #unlogged holds only changes not done yet, oldest first.
    return this.#log !== undefined && seq <= this.#journalMade && (this.#unlogged.length === 0 || this.#unlogged[0]! > seq);
  }

  /**
   * Undefined when the journal changes up to number `seq` (as {@link journal} returned it) are done:
   * committed, or failed and said through {@link onJournal}; else a promise that resolves when they
   * are, and rejects when the writer thread has not answered within {@link FLUSH_WAIT_MS}.
   */
  journalCommitted(seq: number): Promise<void> | undefined {
    // A writer that stopped will never answer: its failure was said through onJournal.
    if (this.#journalDone >= seq || this.#threadGone || !this.#worker) return undefined;
    // The changes go over at the end of this turn (queued by journal()), with every other one made in it.
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#journalWaiters = this.#journalWaiters.filter((waiter) => waiter.timer !== timer);
        reject(new Error(`the store's writer thread did not confirm a write within ${FLUSH_WAIT_MS / 1000} s`));
      }, FLUSH_WAIT_MS);
      timer.unref();
      this.#journalWaiters.push({ seq, resolve, reject, timer });
    });
  }

  /** The number of the last journal change done (every one, when the writer thread stopped: none will be). */
  get journalDone(): number {
    return this.#threadGone ? Infinity : this.#journalDone;
  }

  /** Be told when the writer thread fails to write journal changes, and when it works again. */
  onJournal(listener: JournalListener): void {
    this.#journalListener = listener;
  }

  /** Hand over what is buffered, let the writer thread write it, stop it, close the database. Safe to call twice. */
  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    clearTimeout(this.#pruneTimer);
    await this.#pruning;
    const worker = this.#worker;
    if (worker && !this.#threadGone) {
      this.#handOver(true);
      this.#postJournal(true);
      worker.ref();
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      this.#post({ type: 'close' }, true);
      await exited;
    }
    for (const resolve of this.#prunes.values()) resolve(0);
    this.#prunes.clear();
    this.#journalAbandoned(new Error(`the store ${this.file} is closed`));
    this.#closeLog();
    this.db?.close();
  }

  /** Send the buffered liquidations to the writer thread. */
  #handOver(closing = false): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#immediate = undefined;
    if (this.#buffer.length === 0) return;
    const events = this.#buffer;
    this.#buffer = [];
    if (this.#post({ type: 'rows', events }, closing)) this.#handedOver += events.length;
    else this.#notHandedOver[this.#failure?.reason ?? 'other'] += events.length;
  }

  #postJournal(closing = false): void {
    this.#journalPosting = false;
    this.#appendLog(); // in the log before the writer thread has it: the log empties on its answer
    if (this.#journalOps.length === 0) return;
    const ops = this.#journalOps;
    this.#journalOps = [];
    this.#post({ type: 'journal', ops, seq: this.#journalMade }, closing);
  }

  /**
   * Whether a new alert may be written: not while the writer thread is {@link MAX_JOURNAL_BACKLOG}
   * changes behind (alerts faster than the disk takes them, for a long while). Refused writes are said
   * once through onJournal (delivery sends those alerts from memory), and so is the end of it.
   */
  #journalHasRoom(): boolean {
    const behind = this.#journalMade - this.#journalDone;
    if (this.#journalFull && behind <= MAX_JOURNAL_BACKLOG / 2) {
      this.#journalFull = false;
      this.#journalListener?.(undefined);
    } else if (!this.#journalFull && behind >= MAX_JOURNAL_BACKLOG) {
      this.#journalFull = true;
      this.#journalListener?.({
        doing: 'write an alert to',
        error: `the store's writer thread is ${behind} changes behind (alerts come faster than the disk takes them); alerts are sent from memory until it catches up`,
      });
    }
    return !this.#journalFull;
  }

  /** Journal ops up to `seq` are done: wake who waits for them, and empty the log once it holds nothing new. */
  #journalDoneUpTo(seq: number): void {
    this.#journalDone = Math.max(this.#journalDone, seq);
    if (this.#unlogged.length > 0) this.#unlogged = this.#unlogged.filter((unlogged) => unlogged > this.#journalDone);
    if (this.#journalDone === this.#journalMade && !this.#logKept) this.#clearLog();
    if (this.#journalWaiters.length === 0) return;
    const still = [];
    for (const waiter of this.#journalWaiters) {
      if (waiter.seq > this.#journalDone) still.push(waiter);
      else {
        clearTimeout(waiter.timer);
        waiter.resolve();
      }
    }
    this.#journalWaiters = still;
  }

  /** Append the changes made since the last append to the log, with one write. */
  #appendLog(): void {
    if (!this.#log || this.#logThrough === this.#journalMade) return;
    if (!this.#log.append(this.#logLines)) for (let seq = this.#logThrough + 1; seq <= this.#journalMade; seq++) this.#unlogged.push(seq);
    this.#logLines = '';
    this.#logThrough = this.#journalMade;
  }

  /** Empty the log: the database has every change made so far. A failure only lets it grow (up to its bound). */
  #clearLog(): void {
    try {
      this.#log?.clear();
    } catch {
      // Kept: read back (harmlessly, every change is idempotent) at the next start.
    }
  }

  /** At close: a writer that stopped cleanly committed everything, so the log goes; else it stays for the next start. */
  #closeLog(): void {
    if (!this.#log) return;
    if (!this.#threadGone && !this.#logKept && this.#journalDone === this.#journalMade) this.#clearLog();
    try {
      this.#log.close();
    } catch (error) {
      this.#options.logger.warn(`outbox journal: could not close ${this.#log.file} (${describeError(error)})`);
    }
  }

  /** No answer will come (the writer thread stopped): every waiter learns it now. */
  #journalAbandoned(error: Error): void {
    for (const waiter of this.#journalWaiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  }

  /** Whether the writer thread runs and the store takes work (not closing). */
  get #accepting(): boolean {
    return this.#worker !== undefined && !this.#threadGone && !this.#closed;
  }

  #post(message: ToWriter, closing = false): boolean {
    if (!this.#worker || this.#threadGone || (this.#closed && !closing)) return false;
    this.#worker.postMessage(message);
    return true;
  }

  #onMessage(message: FromWriter): void {
    const { logger } = this.#options;
    switch (message.type) {
      case 'failed': {
        const error = storeError(this.file, message.failure);
        this.#failure = error;
        if (message.state === 'paused') logger.warn({ reason: error.reason }, `store paused: ${error.message} ${error.hint ?? ''} Alerts go on.`);
        else logger.error({ reason: error.reason }, `store off: ${error.message} Fix: ${error.hint ?? ''} Alerts go on without it.`);
        break;
      }
      case 'resumed':
        this.#failure = undefined;
        logger.info({ missed: message.missed }, `store resumed: writing ${this.file} again (${message.missed} liquidation(s) were not stored meanwhile)`);
        break;
      case 'journal':
        if (message.error !== undefined) {
          this.#logKept = true; // the log now holds what the database lacks
          this.#journalListener?.({ doing: message.doing ?? 'write to', error: message.error });
        }
        else if (message.recovered) this.#journalListener?.(undefined);
        this.#journalDoneUpTo(message.seq);
        break;
      case 'outbox-prune-failed':
        logger.warn(`outbox journal: could not prune delivered alerts older than 7 days (${message.error}); tried again every hour`);
        break;
      case 'pruned': {
        if (message.failure) logger.warn({ reason: message.failure.reason }, `store: ${message.failure.message}`);
        else if (message.deleted > 0) logger.debug({ deleted: message.deleted }, 'store: pruned liquidations older than the retention');
        this.#prunes.get(message.id)?.(message.deleted);
        this.#prunes.delete(message.id);
        break;
      }
    }
  }

  /** The writer thread died (a crash, out of memory): the store is off for the run, said once. */
  #threadStopped(error: Error): void {
    if (this.#threadGone) return;
    this.#threadGone = true;
    const accounted = this.#board.written + Object.values(this.#board.notStored()).reduce((sum, n) => sum + n, 0);
    this.#notHandedOver.other += Math.max(0, this.#handedOver - accounted);
    this.#failure = new StoreError(
      'other',
      this.file,
      `The store's writer thread stopped: ${error.message}.`,
      `Liquidations are no longer stored this run; restart liqmon, and report it if it happens again.`,
      error,
    );
    this.#options.logger.error(`store off: ${this.#failure.message} ${this.#failure.hint ?? ''} Alerts go on without it.`);
    this.#logKept = true;
    this.#journalListener?.({ doing: 'write to', error: this.#failure.message });
    this.#journalAbandoned(this.#failure);
    for (const resolve of this.#prunes.values()) resolve(0);
    this.#prunes.clear();
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

/**
 * The writer thread's module. Built, it sits beside this bundle (`dist/writer-thread.js`); a test run
 * from the sources (vitest, `src/*.ts`) uses the built one, as a worker cannot load TypeScript.
 */
function writerThreadFile(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, 'writer-thread.js');
  return existsSync(beside) ? beside : join(here, '..', 'dist', 'writer-thread.js');
}
