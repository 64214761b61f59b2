/**
 * The outbox journal's traffic between the main thread and the store's writer thread (the journal side
 * of {@link Store}): each change is numbered as it is made, appended to the journal's log
 * (journal-log.ts), and the changes of one turn of the event loop go to the writer thread in one
 * message; the thread answers with the number of the last change it has done. From those answers it
 * knows what is safe, wakes who waits for a commit, empties the log once the database has everything,
 * and keeps the number of changes waiting bounded ({@link MAX_JOURNAL_BACKLOG}).
 */
import { describeError, type Logger } from '@liqmon/core';
import { logLine, type JournalLog } from './journal-log.js';
import type { JournalOp } from './thread/protocol.js';

/**
 * Journal changes waiting for the writer thread at most (a few MB: an alert's record is its JSON).
 * Beyond, new alerts are delivered without a record until it catches up, and that is said.
 */
export const MAX_JOURNAL_BACKLOG = 5_000;

/** How long the main thread waits for the writer thread at most, in ms: for a journal commit, and in `Store.flush`. */
export const FLUSH_WAIT_MS = 5_000;

/** Listener of the journal's background failures (see {@link Store.onJournal}). */
export type JournalListener = (failure: { doing: string; error: string } | undefined) => void;

/** The writer thread's answer to a message of changes (see thread/protocol.ts). */
export interface JournalAnswer {
  seq: number;
  doing?: string;
  error?: string;
  recovered?: boolean;
}

interface Waiter {
  seq: number;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class JournalChannel {
  readonly #log: JournalLog | undefined;
  readonly #send: (ops: JournalOp[], seq: number, closing: boolean) => void;
  readonly #logger: Logger;
  #ops: JournalOp[] = [];
  #sending = false;
  /** Changes made since start (the last one's number), and the number the writer thread has done. */
  #made = 0;
  #done = 0;
  #waiters: Waiter[] = [];
  #listener: JournalListener | undefined;
  /** The writer thread is too far behind: new alerts are not journaled until it catches up. */
  #full = false;
  /** The writer thread stopped: no answer will come. */
  #stopped = false;
  /** Lines of changes made and not yet appended to the log (appended at the end of the turn, or when asked). */
  #logLines = '';
  /** The number of the last change appended to the log (or that the log could not take). */
  #logThrough = 0;
  /** Numbers of changes the log could not take and the writer has not done, oldest first: those wait for its commit. */
  #unlogged: number[] = [];
  /** A change failed on the writer thread (or it stopped): from then on the log keeps everything for the next start. */
  #logKept = false;

  /**
   * @param log the journal's log, or undefined to have every change wait for the writer's commit
   * @param send posts changes to the writer thread (`closing`: also while the store closes)
   */
  constructor(log: JournalLog | undefined, send: (ops: JournalOp[], seq: number, closing: boolean) => void, logger: Logger) {
    this.#log = log;
    this.#send = send;
    this.#logger = logger;
  }

  /**
   * Make a change: its number, or undefined for a write refused because the writer thread is
   * {@link MAX_JOURNAL_BACKLOG} changes behind (said once through the listener, and its end too).
   */
  make(op: JournalOp): number | undefined {
    if (op.op === 'write' && !this.hasRoom()) return undefined;
    this.#ops.push(op);
    this.#made++;
    if (this.#log) this.#logLines += logLine(op);
    if (!this.#sending) {
      this.#sending = true;
      queueMicrotask(() => this.send());
    }
    return this.#made;
  }

  /** Whether the changes up to number `seq` are safe from a killed process without the writer: each in the log, or done. */
  logged(seq: number): boolean {
    if (seq > this.#logThrough) this.#appendLog();
    return this.#log !== undefined && seq <= this.#made && (this.#unlogged.length === 0 || this.#unlogged[0]! > seq);
  }

  /**
   * Undefined when the changes up to number `seq` are done (committed, or failed and said through the
   * listener), or will never be (the thread stopped); else a promise that resolves when they are, and
   * rejects when the writer thread has not answered within {@link FLUSH_WAIT_MS}.
   */
  committed(seq: number): Promise<void> | undefined {
    if (this.#done >= seq || this.#stopped) return undefined;
    // The changes go over at the end of this turn (queued by make()), with every other one made in it.
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((waiter) => waiter.timer !== timer);
        reject(new Error(`the store's writer thread did not confirm a write within ${FLUSH_WAIT_MS / 1000} s`));
      }, FLUSH_WAIT_MS);
      timer.unref();
      this.#waiters.push({ seq, resolve, reject, timer });
    });
  }

  /** The number of the last change done (every one, when the writer thread stopped: none will be). */
  get done(): number {
    return this.#stopped ? Infinity : this.#done;
  }

  /** Be told when the writer thread fails to write changes, and when it works again. */
  listen(listener: JournalListener): void {
    this.#listener = listener;
  }

  /** Send the changes made so far to the writer thread now (appended to the log first: it empties on the answer). */
  send(closing = false): void {
    this.#sending = false;
    this.#appendLog();
    if (this.#ops.length === 0) return;
    const ops = this.#ops;
    this.#ops = [];
    this.#send(ops, this.#made, closing);
  }

  /** The writer thread's answer: changes up to `answer.seq` are done. */
  answered(answer: JournalAnswer): void {
    if (answer.error !== undefined) {
      this.#logKept = true; // the log now holds what the database lacks
      this.#listener?.({ doing: answer.doing ?? 'write to', error: answer.error });
    } else if (answer.recovered) {
      this.#listener?.(undefined);
    }
    this.#done = Math.max(this.#done, answer.seq);
    if (this.#unlogged.length > 0) this.#unlogged = this.#unlogged.filter((seq) => seq > this.#done);
    if (this.#done === this.#made && !this.#logKept) this.#clearLog();
    if (this.#waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const waiter of this.#waiters) {
      if (waiter.seq > this.#done) still.push(waiter);
      else {
        clearTimeout(waiter.timer);
        waiter.resolve();
      }
    }
    this.#waiters = still;
  }

  /** The writer thread stopped (`error` says why): every waiter learns it, and the log stays for the next start. */
  stopped(error: Error): void {
    this.#stopped = true;
    this.#logKept = true;
    this.#listener?.({ doing: 'write to', error: error.message });
    this.#abandon(error);
  }

  /** The store closes (after the writer thread exited): the log goes when the database has everything, else it stays. */
  close(error: Error): void {
    this.#abandon(error);
    if (!this.#log) return;
    if (!this.#logKept && this.#done === this.#made) this.#clearLog();
    try {
      this.#log.close();
    } catch (closeError) {
      this.#logger.warn(`outbox journal: could not close ${this.#log.file} (${describeError(closeError)})`);
    }
  }

  /**
   * Whether a new alert may be written: not while the writer thread is {@link MAX_JOURNAL_BACKLOG}
   * changes behind (alerts faster than the disk takes them, for a long while). Being refused, and
   * then taken again, is said once each through the listener.
   */
  hasRoom(): boolean {
    const behind = this.#made - this.#done;
    if (this.#full && behind <= MAX_JOURNAL_BACKLOG / 2) {
      this.#full = false;
      this.#listener?.(undefined);
    } else if (!this.#full && behind >= MAX_JOURNAL_BACKLOG) {
      this.#full = true;
      this.#listener?.({
        doing: 'write an alert to',
        error: `the store's writer thread is ${behind} changes behind (alerts come faster than the disk takes them); alerts are sent from memory until it catches up`,
      });
    }
    return !this.#full;
  }

  /** Append the changes made since the last append to the log, with one write. */
  #appendLog(): void {
    if (!this.#log || this.#logThrough === this.#made) return;
    if (!this.#log.append(this.#logLines)) for (let seq = this.#logThrough + 1; seq <= this.#made; seq++) this.#unlogged.push(seq);
    this.#logLines = '';
    this.#logThrough = this.#made;
  }

  /** Empty the log: the database has every change made so far. A failure only lets it grow (up to its bound). */
  #clearLog(): void {
    try {
      this.#log?.clear();
    } catch {
      // Kept: read back (harmlessly, every change is idempotent) at the next start.
    }
  }

  /** No answer will come: every waiter learns it now. */
  #abandon(error: Error): void {
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  }
}
