/**
 * An {@link AlertJournal} in memory: what a test gives {@link Delivery} to check what it writes, marks
 * and recovers, and to stand for the store across a "restart" (a new Delivery given the same journal).
 * Alerts go through JSON, as they do in the store, so a test sees what a real restart reads back.
 */
import type { Alert } from '../alert.js';
import type { AlertJournal, JournalTarget, PendingAlert, SettleReason } from '../delivery/types.js';

/** One alert at one destination, as the journal holds it. */
export interface JournalRow extends PendingAlert {
  state: 'pending' | 'delivered' | 'settled';
  /** Why it was settled. */
  reason?: SettleReason;
}

export class MemoryJournal implements AlertJournal {
  /** Every row, in the order written. */
  readonly rows: JournalRow[] = [];
  /** When set, every call throws it (a full disk, a closed store). */
  failWith: Error | undefined;
  private nextKey = 1;

  write(alert: Alert, targets: readonly JournalTarget[]): number[] {
    this.check();
    const json = JSON.stringify(alert);
    return targets.map((target) => {
      const key = this.nextKey++;
      this.rows.push({ key, sink: target.sink, destination: target.destination, alert: JSON.parse(json) as Alert, state: 'pending' });
      return key;
    });
  }

  delivered(keys: readonly number[]): void {
    this.check();
    for (const row of this.byKeys(keys)) if (row.state === 'pending') row.state = 'delivered';
  }

  settle(keys: readonly number[], reason: SettleReason): void {
    this.check();
    for (const row of this.byKeys(keys)) {
      if (row.state !== 'pending') continue;
      row.state = 'settled';
      row.reason = reason;
    }
  }

  pending(): PendingAlert[] {
    this.check();
    return this.rows.filter((row) => row.state === 'pending').map(({ key, sink, destination, alert }) => ({ key, sink, destination, alert }));
  }

  /** Rows in `state`, optionally of one destination. */
  inState(state: JournalRow['state'], sink?: string): JournalRow[] {
    return this.rows.filter((row) => row.state === state && (sink === undefined || row.sink === sink));
  }

  private byKeys(keys: readonly number[]): JournalRow[] {
    const wanted = new Set(keys);
    return this.rows.filter((row) => wanted.has(row.key));
  }

  private check(): void {
    if (this.failWith) throw this.failWith;
  }
}
