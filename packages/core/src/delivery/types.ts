import type { Alert } from '../alert.js';
import type { DeliveryConfig } from '../config/schema.js';
import type { Logger } from '../logger.js';
import type { SinkInstance } from '../plugin.js';

/** Options of {@link Delivery}: the validated `delivery:` section of the config. */
export type DeliveryOptions = DeliveryConfig;

/** Why alerts were not delivered. */
export type FailureReason =
  /** The sink stopped on a fatal error (bad token, unknown chat): queued and later alerts. */
  | 'fatal'
  /** The server refused the message (`DeliveryError` kind `rejected`). */
  | 'rejected'
  /** `delivery.maxAttempts` retryable failures in a row. */
  | 'attempts'
  /** The sink's `render` threw. */
  | 'render'
  /** Still queued when the shutdown deadline passed, or handed over after shutdown began. */
  | 'shutdown';

/** Health of an outbox or a sink. */
export type DeliveryState = 'ok' | 'retrying' | 'failed';

/** Counters of one outbox (one sink destination). Alert counts unless said otherwise. */
export interface OutboxStats {
  state: DeliveryState;
  /** Alerts accepted into the outbox. */
  queued: number;
  /** Alerts waiting now (including a message being sent). */
  waiting: number;
  /** Alerts delivered. */
  sent: number;
  /** Messages delivered (several alerts can share one). */
  messages: number;
  /** Alerts that shared a message with an earlier one: messages saved by merging. */
  merged: number;
  /** Failed tries that were retried. */
  retried: number;
  /** Waits the server asked for (HTTP 429, flood control) before sending again: not failed tries. */
  rateLimited: number;
  /** Alerts folded into an overflow digest (the digest itself is then sent like any alert). */
  folded: number;
  /** Alerts not delivered, by reason. */
  failed: Record<FailureReason, number>;
  /** The last failure's message, if any. */
  lastError?: string;
  /** Local time of the last delivered message, ms since epoch. */
  lastSentAt?: number;
}

/** The counters of an outbox that has done nothing yet. */
export function emptyOutboxStats(): OutboxStats {
  return {
    state: 'ok',
    queued: 0,
    waiting: 0,
    sent: 0,
    messages: 0,
    merged: 0,
    retried: 0,
    rateLimited: 0,
    folded: 0,
    failed: { fatal: 0, rejected: 0, attempts: 0, render: 0, shutdown: 0 },
  };
}

/** Counters of one sink. */
export interface SinkDeliveryStats {
  /** `failed` after a fatal error, `retrying` while any destination retries, else `ok`. */
  state: DeliveryState;
  /** The fatal error that stopped the sink, if any. */
  fatalError?: string;
  destinations: Record<string, OutboxStats>;
}

/** Counters of the alert journal, when delivery has one. */
export interface JournalStats {
  /** `failed` after a journal call failed: delivery goes on in memory (alerts queued then are lost in a crash). */
  state: 'ok' | 'failed';
  /** Pending alerts read back at start and queued again (stale ones included). */
  recovered: number;
  /** Journal calls that failed (writes, marks, the read at start). */
  failures: number;
  /** The last failure's message, if any. */
  lastError?: string;
}

/** What {@link Delivery.stats} returns. */
export interface DeliveryStats {
  sinks: Record<string, SinkDeliveryStats>;
  /** Present when delivery was given an {@link AlertJournal}. */
  journal?: JournalStats;
}

/** Alerts one outbox could not deliver before the shutdown deadline. */
export interface Undelivered {
  sink: string;
  destination: string;
  alerts: number;
  liquidations: number;
  totalUsd: number;
}

/** What {@link Delivery.drain} resolves to. */
export interface DrainReport {
  /** True when every outbox emptied before the deadline. */
  complete: boolean;
  /** Alerts delivered while draining. */
  delivered: number;
  /** Alerts still queued at the deadline (counted as failed with reason `shutdown`). */
  undelivered: Undelivered[];
  /** Counters at the end, with every failure of the run by reason. */
  stats: DeliveryStats;
}

/** A sink as {@link Delivery} takes it. */
export interface DeliverySink {
  name: string;
  instance: SinkInstance;
  logger: Logger;
}

/** Options of {@link Delivery}'s constructor. */
export interface DeliveryInit {
  sinks: DeliverySink[];
  options: DeliveryOptions;
  logger: Logger;
  /** Clock for timestamps (digests, `lastSentAt`); waits use timers. @default Date.now */
  now?: () => number;
  /** Random source for backoff jitter, in [0, 1). @default Math.random */
  random?: () => number;
  /**
   * Where alerts are written before they are queued and marked once delivered or settled, so that a
   * restart after a crash sends what was pending. None: delivery is in memory only.
   */
  journal?: AlertJournal;
}

/** One sink destination an alert is written for. */
export interface JournalTarget {
  sink: string;
  destination: string;
}

/** An alert the journal holds for one destination, neither delivered nor settled. */
export interface PendingAlert extends JournalTarget {
  /** The journal's key of this alert at this destination. */
  key: number;
  alert: Alert;
}

/**
 * Why a journaled alert will never be sent: a failure reason other than `shutdown` (what the shutdown
 * deadline left stays pending, for the next start), `digest` (folded into a digest that was delivered)
 * or `gone` (its sink or destination is no longer in the config at start).
 */
export type SettleReason = Exclude<FailureReason, 'shutdown'> | 'digest' | 'gone';

/**
 * The outbox's durable record (the store's `outbox` table; an in-memory one in tests). Delivery calls
 * it synchronously on its path: an alert is written once per destination before it is queued, marked
 * delivered when the message holding it was accepted, and settled with a reason when it will never be
 * sent. At start, {@link AlertJournal.pending} gives what is left, which is queued first. A method may
 * throw: delivery counts it, says it once, and goes on in memory.
 */
export interface AlertJournal {
  /** Record `alert` for each target, in one go; returns one key per target, in the same order. */
  write(alert: Alert, targets: readonly JournalTarget[]): number[];
  /** The alerts of these keys were delivered. */
  delivered(keys: readonly number[]): void;
  /** The alerts of these keys will never be sent, for `reason`. */
  settle(keys: readonly number[], reason: SettleReason): void;
  /** Every pending alert, in the order written. */
  pending(): PendingAlert[];
  /**
   * For a journal that writes in the background (the store hands writes to its writer thread, so a
   * call returns before the disk is touched and cannot throw the disk's error): delivery registers
   * `listener` once, and the journal calls it with the error when a background write or mark failed,
   * and with `undefined` when one works again. Delivery counts and says it as for a call that threw.
   */
  watch?(listener: (failure: JournalFailure | undefined) => void): void;
  /**
   * For a background journal: undefined when the writes of these keys are on disk, else a promise that
   * resolves once they are (and rejects when that cannot be known: the writer stopped or did not
   * answer). Delivery waits for it before it sends a message, with the keys of the alerts the message
   * holds, so that an alert is on disk before any message holds it.
   */
  committed?(keys: readonly number[]): Promise<void> | undefined;
}

/** A failure a background journal reports through {@link AlertJournal.watch}. */
export interface JournalFailure {
  /** What it was doing, as in "could not <doing> the alert journal": `write an alert to`, `mark delivered alerts in`. */
  doing: string;
  error: unknown;
}
