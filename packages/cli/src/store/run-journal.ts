/**
 * The outbox journal of `liqmon start`: the store's {@link StoreJournal}, written by the store's writer
 * thread (pruned there too, hourly), so that a restart sends what a crash left queued (docs/delivery.md,
 * "Crash safety"). None for a dry run or `liqmon replay` (they never open one: they must neither send
 * a real run's alerts nor mark them) and with `store: false`; off, with delivery in memory, when the
 * store could not be opened. Each case is said in one log line.
 */
import { type DeliveryStats, describeError, type Logger } from '@liqmon/core';
import { StoreJournal, type Store } from '@liqmon/store';

/** How the outbox journal stands, for `/healthz`, `liqmon status` and metrics. */
export interface JournalStatus {
  /**
   * `ok`: alerts are written before delivery; `failed`: the last journal call failed, delivery goes on
   * in memory; `off`: no journal this run (the store could not be opened).
   */
  state: 'ok' | 'failed' | 'off';
  /** Pending alerts of the last run queued again at start. */
  recovered: number;
  /** Journal calls that failed since start. */
  failures: number;
  /** Alerts (one per destination) written and neither delivered nor settled; absent when unreadable. */
  pending?: number;
  /** The last failure, or why the journal is off. */
  lastError?: string;
}

/** What the health report and the metrics read of the journal; {@link RunJournal} fits it. */
export interface JournalStatusSource {
  status(): JournalStatus;
}

export class RunJournal implements JournalStatusSource {
  /** The journal to give the runtime; undefined when off. */
  readonly journal: StoreJournal | undefined;
  readonly #offReason: string | undefined;
  #delivery: { stats(): DeliveryStats } | undefined;

  private constructor(journal: StoreJournal | undefined, offReason: string | undefined) {
    this.journal = journal;
    this.#offReason = offReason;
  }

  /**
   * The journal on `store`'s database (the writer thread prunes finished rows hourly). Undefined
   * without a store (`store: false`); off when the store's database is not open. Never throws.
   */
  static open(store: Store | undefined, logger: Logger): RunJournal | undefined {
    // store: false is said once, in the store's own line (run-store.ts).
    if (!store) return undefined;
    const off = (why: string, more = '') => {
      logger.warn(`outbox journal: off (${why}${more}); alerts are delivered from memory, and those still queued when liqmon is killed are lost`);
      return new RunJournal(undefined, why);
    };
    if (!store.db) return off(`the store ${store.file} could not be opened`, ', see above');
    let journal: StoreJournal;
    try {
      journal = new StoreJournal(store);
    } catch (error) {
      return off(`cannot use the outbox table of ${store.file}: ${describeError(error)}`);
    }
    logger.debug({ file: store.file }, 'outbox journal: on');
    return new RunJournal(journal, undefined);
  }

  /** Read the journal's counters from this delivery (the runtime's), for {@link status}. */
  attach(delivery: { stats(): DeliveryStats }): void {
    this.#delivery = delivery;
  }

  status(): JournalStatus {
    if (!this.journal) return { state: 'off', recovered: 0, failures: 0, ...(this.#offReason ? { lastError: this.#offReason } : {}) };
    const stats = this.#delivery?.stats().journal ?? { state: 'ok', recovered: 0, failures: 0 };
    return {
      state: stats.state,
      recovered: stats.recovered,
      failures: stats.failures,
      ...pendingOf(this.journal),
      ...(stats.lastError !== undefined ? { lastError: stats.lastError } : {}),
    };
  }
}

/** `{ pending }`, or nothing when the table cannot be read (the store closed, the disk failing). */
function pendingOf(journal: StoreJournal): { pending?: number } {
  try {
    return { pending: journal.pendingCount() };
  } catch {
    return {};
  }
}
