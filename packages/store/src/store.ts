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
import { StoreError, type Liquidation, type Logger } from '@liqmon/core';
import { FLUSH_WAIT_MS, JournalChannel, type JournalListener } from './journal-channel.js';
import { startJournalLog } from './journal-log.js';
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
   * The writer thread's heap limit, MB: past it the thread dies and the store turns off for the run
   * (tests: a small one plays a thread that runs out of memory). @default {@link DEFAULT_WRITER_HEAP_MB}
   */
  writerHeapMb?: number;
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
 * The writer thread's heap limit, MB: it holds rows and journal records only until they are written
 * (full backlogs of {@link DEFAULT_MAX_BACKLOG} rows and 5,000 journal records (journal-channel.ts) are about
 * 12 and 10 MB), and V8 would otherwise size it like a main thread's.
 */
export const DEFAULT_WRITER_HEAP_MB = 64;

/** The writer thread's young generation, MB: what it allocates is short-lived. */
const WRITER_YOUNG_MB = 2;

/** First retention run after open, in ms: not at once, so that start is not slowed by a large prune. */
const FIRST_PRUNE_AFTER_MS = 10_000;

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
  /** The outbox journal's changes and the writer thread's answers (journal-channel.ts). */
  readonly #journal: JournalChannel;
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
    const send = (ops: JournalOp[], seq: number, closing: boolean) => this.#post({ type: 'journal', ops, seq }, closing);
    if (!db) {
      this.#journal = new JournalChannel(undefined, send, options.logger);
      this.#board.set('off', 0, noneNotStored());
      return;
    }
    // Before the writer thread starts and before anything reads the outbox: the last run's log first.
    const started = options.journalLog === false ? undefined : startJournalLog(db, options.file, options.logger);
    this.#journal = new JournalChannel(started?.log, send, options.logger);
    this.lastLoggedKey = started?.lastKey ?? 0;
    const data: WriterThreadData = {
      file: options.file,
      busyTimeoutMs: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
      flushEveryMs: options.flushEveryMs ?? DEFAULT_FLUSH_EVERY_MS,
      retryEveryMs: options.retryEveryMs ?? DEFAULT_RETRY_EVERY_MS,
      maxBacklog: options.maxBacklog ?? DEFAULT_MAX_BACKLOG,
      board: this.#board.buffer,
      pragmas: options.writerPragmas ?? [],
    };
    const resourceLimits = { maxOldGenerationSizeMb: options.writerHeapMb ?? DEFAULT_WRITER_HEAP_MB, maxYoungGenerationSizeMb: WRITER_YOUNG_MB };
    this.#worker = new Worker(writerThreadFile(), { workerData: data, resourceLimits });
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
    this.#journal.send();
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
    return this.#accepting ? this.#journal.make(op) : undefined;
  }

  /** Whether {@link journal} would take a write now: the writer thread runs and is not too far behind. */
  journalTakesWrites(): boolean {
    return this.#accepting && this.#journal.hasRoom();
  }

  /**
   * Whether the journal changes up to number `seq` (as {@link journal} returned it) are safe from a
   * killed process without waiting for the writer thread: each in the journal's log, or done already.
   */
  journalLogged(seq: number): boolean {
    return this.#journal.logged(seq);
  }

  /**
   * Undefined when the journal changes up to number `seq` (as {@link journal} returned it) are done:
   * committed, or failed and said through {@link onJournal}; else a promise that resolves when they
   * are, and rejects when the writer thread has not answered within {@link FLUSH_WAIT_MS}.
   */
  journalCommitted(seq: number): Promise<void> | undefined {
    return this.#worker ? this.#journal.committed(seq) : undefined;
  }

  /** The number of the last journal change done (every one, when the writer thread stopped: none will be). */
  get journalDone(): number {
    return this.#journal.done;
  }

  /** Be told when the writer thread fails to write journal changes, and when it works again. */
  onJournal(listener: JournalListener): void {
    this.#journal.listen(listener);
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
      this.#journal.send(true);
      worker.ref();
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      this.#post({ type: 'close' }, true);
      await exited;
    }
    for (const resolve of this.#prunes.values()) resolve(0);
    this.#prunes.clear();
    this.#journal.close(new Error(`the store ${this.file} is closed`));
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
        this.#journal.answered(message);
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
    this.#journal.stopped(this.#failure);
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
 * The writer thread's module, CommonJS (tsup.thread.config.ts says why). Built, it sits beside this
 * bundle (`dist/writer-thread.cjs`); a test run from the sources (vitest, `src/*.ts`) uses the built
 * one, as a worker cannot load TypeScript.
 */
function writerThreadFile(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, 'writer-thread.cjs');
  return existsSync(beside) ? beside : join(here, '..', 'dist', 'writer-thread.cjs');
}
