/**
 * Delivery's side of the {@link AlertJournal}: every call is guarded, so a journal that fails (disk
 * full, store closed) never stops or delays delivery. A failure is counted, said once at error level
 * (and once more when the journal works again), and delivery goes on in memory: what it could not
 * write is still sent now, it is only lost if liqmon dies before sending it.
 */
import type { Alert } from '../alert.js';
import type { Logger } from '../logger.js';
import { describeError } from '../util/error-text.js';
import type { AlertJournal, JournalStats, JournalTarget, PendingAlert, SettleReason } from './types.js';

export class JournalGuard {
  private readonly stats: JournalStats = { state: 'ok', recovered: 0, failures: 0 };
  /** A background journal's call returns before its write is done: only its listener says how it went. */
  private readonly background: boolean;

  constructor(
    private readonly journal: AlertJournal | undefined,
    private readonly logger: Logger,
  ) {
    this.background = journal?.watch !== undefined;
    journal?.watch?.((failure) => (failure ? this.fail(failure.doing, failure.error) : this.ok()));
  }

  /** Whether there is a journal at all. */
  get enabled(): boolean {
    return this.journal !== undefined;
  }

  /** Counters, or undefined without a journal. */
  counters(): JournalStats | undefined {
    return this.journal ? { ...this.stats } : undefined;
  }

  /** Count alerts read back at start. */
  recovered(count: number): void {
    this.stats.recovered += count;
  }

  /** Write `alert` for `targets`; the keys, or undefined per target when there is no journal or it failed. */
  write(alert: Alert, targets: readonly JournalTarget[]): (number | undefined)[] {
    if (!this.journal || targets.length === 0) return targets.map(() => undefined);
    try {
      const keys = this.journal.write(alert, targets);
      if (!this.background) this.ok();
      return targets.map((_, i) => keys[i]);
    } catch (error) {
      this.fail('write an alert to', error);
      return targets.map(() => undefined);
    }
  }

  delivered(keys: readonly number[]): void {
    if (!this.journal || keys.length === 0) return;
    try {
      this.journal.delivered(keys);
      if (!this.background) this.ok();
    } catch (error) {
      this.fail('mark delivered alerts in', error);
    }
  }

  settle(keys: readonly number[], reason: SettleReason): void {
    if (!this.journal || keys.length === 0) return;
    try {
      this.journal.settle(keys, reason);
      if (!this.background) this.ok();
    } catch (error) {
      this.fail('mark undeliverable alerts in', error);
    }
  }

  /**
   * Undefined when the writes of `keys` are on disk (or there is no journal, or it writes
   * synchronously); else a promise that resolves once they are. Never rejects: a journal that cannot
   * say is a failure, counted and said, and delivery goes on.
   */
  written(keys: readonly number[]): Promise<void> | undefined {
    if (keys.length === 0) return undefined;
    const committed = this.journal?.committed?.(keys);
    return committed?.catch((error: unknown) => this.fail('write an alert to', error));
  }

  /** What the journal holds as pending; empty when there is none or it cannot be read. */
  pending(): PendingAlert[] {
    if (!this.journal) return [];
    try {
      return this.journal.pending();
    } catch (error) {
      this.fail('read pending alerts from', error);
      return [];
    }
  }

  private ok(): void {
    if (this.stats.state === 'ok') return;
    this.stats.state = 'ok';
    this.logger.info({ failures: this.stats.failures }, 'the alert journal works again; alerts are written before delivery again');
  }

  private fail(doing: string, error: unknown): void {
    this.stats.failures++;
    this.stats.lastError = describeError(error);
    if (this.stats.state === 'failed') return;
    this.stats.state = 'failed';
    this.logger.error(
      { err: error },
      `could not ${doing} the alert journal (${this.stats.lastError}); delivery goes on in memory, so alerts queued now are lost if liqmon is killed before it sends them. Failures are counted in the health report.`,
    );
  }
}

/** The keys a journal holds for a queued entry: its own and those of the alerts folded into it. */
export function keysOf(entry: { key: number | undefined; folded?: number[] }): number[] {
  const keys = entry.folded ? [...entry.folded] : [];
  if (entry.key !== undefined) keys.push(entry.key);
  return keys;
}
