/**
 * The leader's {@link AlertJournal}: core's Delivery writes each alert it queues (once per sink
 * destination) and marks it delivered or settled; when every destination of an alert is done, the
 * JetStream message it came from is acknowledged, and only then. A message not acknowledged (the
 * leader crashed, or the shutdown deadline left it queued) stays in the stream for the next leader.
 * The stream is the durable record, so {@link AckJournal.pending} has nothing to give at start.
 */
import type { AlertJournal, JournalTarget, PendingAlert, SettleReason } from '@liqmon/core';
import type { Alert } from '@liqmon/core';

/** What the journal acknowledges: a message taken from the alert stream. */
export interface Acknowledgeable {
  ack(): void;
}

export class AckJournal implements AlertJournal {
  /** Messages being delivered, by alert id. */
  readonly #messages = new Map<string, { message: Acknowledgeable; open: number; written: boolean }>();
  readonly #keys = new Map<number, string>();
  #nextKey = 1;

  /** Alerts taken from the stream and not acknowledged yet. */
  get inFlight(): number {
    return this.#messages.size;
  }

  /** True when the alert `id` is being delivered (a redelivery of it is ignored). */
  has(id: string): boolean {
    return this.#messages.has(id);
  }

  /** Register the message of alert `id` before Delivery gets the alert. */
  track(id: string, message: Acknowledgeable): void {
    this.#messages.set(id, { message, open: 0, written: false });
  }

  /**
   * After Delivery took alert `id`: when it wrote nothing (every sink named is stopped or unknown), the
   * alert will never be sent, and its message is acknowledged now.
   */
  handedOver(id: string): void {
    const entry = this.#messages.get(id);
    if (entry && !entry.written) this.#ack(id);
  }

  write(alert: Alert, targets: readonly JournalTarget[]): number[] {
    const id = alert.id;
    const entry = id === undefined ? undefined : this.#messages.get(id);
    if (id === undefined || !entry) return targets.map(() => 0); // not from the stream: nothing to ack
    entry.written = true;
    entry.open += targets.length;
    return targets.map(() => {
      const key = this.#nextKey++;
      this.#keys.set(key, id);
      return key;
    });
  }

  delivered(keys: readonly number[]): void {
    this.#close(keys);
  }

  settle(keys: readonly number[], _reason: SettleReason): void {
    this.#close(keys);
  }

  pending(): PendingAlert[] {
    return [];
  }

  #close(keys: readonly number[]): void {
    for (const key of keys) {
      const id = this.#keys.get(key);
      if (id === undefined) continue;
      this.#keys.delete(key);
      const entry = this.#messages.get(id);
      if (entry && --entry.open <= 0) this.#ack(id);
    }
  }

  #ack(id: string): void {
    const entry = this.#messages.get(id);
    this.#messages.delete(id);
    entry?.message.ack();
  }
}
