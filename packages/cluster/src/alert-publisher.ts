/**
 * Every instance publishes each alert its rules produce to the cluster's alert stream, with the alert's
 * deterministic id as `Nats-Msg-Id`: JetStream stores the same alert from two instances once (within
 * the stream's duplicate window). Publishing is off the rules' path: alerts wait in an ordered queue,
 * go out in batches, and a batch that fails (NATS unreachable) is tried again after a pause, in order.
 */
import type { Alert, Logger } from '@liqmon/core';
import type { JetStreamClient } from '@nats-io/jetstream';

/** What a message of the alert stream carries (JSON). */
export interface StreamedAlert {
  alert: Alert;
  /** The enabled sinks the rule named. */
  sinks: readonly string[];
}

/** Most alerts published at once before waiting for their acknowledgements. */
const BATCH = 200;
/** Pause after a failed batch before trying it again, in ms. */
const RETRY_MS = 1_000;
/** Alerts kept while NATS is unreachable; beyond this the oldest are dropped (and counted). */
export const MAX_UNPUBLISHED = 10_000;

export class AlertPublisher {
  readonly #queue: StreamedAlert[] = [];
  #pumping: Promise<void> | undefined;
  #published = 0;
  #dropped = 0;
  #failing = false;
  #closed = false;

  constructor(
    private readonly js: JetStreamClient,
    private readonly subject: string,
    private readonly logger: Logger,
  ) {}

  /** Alerts stored in the stream by this instance (duplicates dropped by JetStream included). */
  get published(): number {
    return this.#published;
  }

  /** Alerts waiting to be published. */
  get waiting(): number {
    return this.#queue.length;
  }

  /** Alerts dropped because the queue was full while NATS was unreachable. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Queue `alert` (which has its id) for the stream. Never throws. */
  publish(alert: Alert, sinks: readonly string[]): void {
    if (this.#queue.length >= MAX_UNPUBLISHED) {
      this.#queue.shift();
      this.#dropped++;
    }
    this.#queue.push({ alert, sinks });
    this.#pumping ??= this.#pump().finally(() => (this.#pumping = undefined));
  }

  async #pump(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.slice(0, BATCH);
      const results = await Promise.allSettled(
        batch.map((item) => this.js.publish(this.subject, JSON.stringify(item), { msgID: item.alert.id ?? '' })),
      );
      const failed = results.findIndex((r) => r.status === 'rejected');
      const done = failed < 0 ? batch.length : failed;
      this.#queue.splice(0, done);
      this.#published += done;
      if (failed < 0) {
        if (this.#failing) this.logger.info('cluster: alerts are published to NATS again');
        this.#failing = false;
        continue;
      }
      const reason = (results[failed] as PromiseRejectedResult).reason;
      if (!this.#failing) this.logger.warn(`cluster: cannot publish alerts to NATS (${reason instanceof Error ? reason.message : String(reason)}); retrying, ${this.#queue.length} waiting`);
      this.#failing = true;
      if (this.#closed) return;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }

  /** Resolves when everything queued was published, or after `deadlineMs`. */
  async flush(deadlineMs: number): Promise<boolean> {
    const deadline = Date.now() + deadlineMs;
    while (this.#pumping && Date.now() < deadline) {
      await Promise.race([this.#pumping, new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())))]);
    }
    this.#closed = true;
    return this.#queue.length === 0;
  }
}
