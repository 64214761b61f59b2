/**
 * The outbox journal as `liqmon start` uses it: core's {@link AlertJournal} on a {@link Store}. Each
 * write and mark is appended to the journal's log on the main thread (one `write(2)`: journal-log.ts)
 * and goes to the store's writer thread (one message per turn of the event loop, one transaction
 * there), so delivery never waits for the disk; the keys are chosen here, so `write` returns them at
 * once. Reads (`pending` at start, the counts for `/healthz`) go through the main thread's read
 * connection. A write that fails on the writer thread comes back through {@link watch}.
 *
 * Delivery asks {@link committed} before it sends: an alert in the log is safe from a killed process
 * at once; one the log could not take (disk full) waits for the writer's commit. So an alert is safe
 * before any message holds it, and a kill -9 loses only alerts that were never sent (made in the last
 * microseconds, like a frame received and not yet decoded). A mark is safe as soon as it is logged: a
 * kill between the chat's answer and the mark sends that message again at the next start
 * (docs/delivery.md).
 */
import type { Alert, AlertJournal, JournalFailure, JournalTarget, PendingAlert, SettleReason } from '@liqmon/core';
import { journalRecord, OutboxJournal } from './journal.js';
import type { Store } from './store.js';

export class StoreJournal implements AlertJournal {
  readonly #store: Store;
  readonly #reads: OutboxJournal;
  #nextKey: number;
  /** The last key of each write not yet known committed, with the write's change number: keys and numbers both grow. */
  #writes: { lastKey: number; seq: number }[] = [];
  /**
   * What `write` throws when the store does not take a write: one object, made once. Under a burst
   * that outruns the writer thread every alert is refused, thousands a second, and a new error's
   * stack trace cost more than the rest of the write (a third of the burst's main-thread time).
   */
  readonly #refused: Error;

  /**
   * The journal of `store`, whose database must be open (`store.db`).
   * @throws when the outbox table cannot be read (the caller turns the journal off and says why).
   */
  constructor(store: Store) {
    if (!store.db) throw new Error(`the store ${store.file} is not open`);
    this.#store = store;
    this.#reads = new OutboxJournal(store.db);
    // Above the last run's log too: it may hold keys the database lacks (a log read at start whose changes could not be applied).
    this.#nextKey = Math.max(this.#reads.maxKey(), store.lastLoggedKey) + 1;
    this.#refused = new Error(`the store ${store.file} is not open for writes (closed, off after a failure, or its writer too far behind)`);
  }

  write(alert: Alert, targets: readonly JournalTarget[]): number[] {
    // Before the alert's JSON is made: a refused write should cost next to nothing.
    if (!this.#store.journalTakesWrites()) throw this.#refused;
    const keys = targets.map(() => this.#nextKey++);
    const seq = this.#store.journal({ op: 'write', keys, record: journalRecord(alert), targets: [...targets] });
    if (seq === undefined) throw this.#refused;
    if (keys.length > 0) this.#writes.push({ lastKey: keys.at(-1)!, seq });
    return keys;
  }

  delivered(keys: readonly number[]): void {
    this.#store.journal({ op: 'delivered', keys: [...keys] });
  }

  settle(keys: readonly number[], reason: SettleReason): void {
    this.#store.journal({ op: 'settle', keys: [...keys], reason });
  }

  pending(): PendingAlert[] {
    return this.#reads.pending();
  }

  watch(listener: (failure: JournalFailure | undefined) => void): void {
    this.#store.onJournal((failure) => listener(failure && { doing: failure.doing, error: new Error(failure.error) }));
  }

  committed(keys: readonly number[]): Promise<void> | undefined {
    // The newest of these keys was written by the first write whose last key reaches it.
    let newest = -Infinity;
    for (const key of keys) if (key > newest) newest = key;
    const done = this.#store.journalDone;
    let drop = 0;
    while (drop < this.#writes.length && this.#writes[drop]!.seq <= done) drop++;
    if (drop > 0) this.#writes.splice(0, drop);
    // Binary search: the first write whose last key reaches the newest key.
    let low = 0;
    let high = this.#writes.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.#writes[middle]!.lastKey < newest) low = middle + 1;
      else high = middle;
    }
    const write = this.#writes[low];
    if (!write || this.#store.journalLogged(write.seq)) return undefined;
    return this.#store.journalCommitted(write.seq);
  }

  /** Rows pending as committed now (changes of the last few milliseconds may not be counted yet). */
  pendingCount(): number {
    return this.#reads.pendingCount();
  }

  /** Rows by state, as committed now. */
  counts(): Record<'pending' | 'delivered' | 'settled', number> {
    return this.#reads.counts();
  }
}
