/**
 * One outbox per sink destination: a bounded queue kept in order, one message in flight at a time,
 * waiting alerts merged into one message up to the sink's limits, retries with exponential backoff and
 * jitter that honour the server's retry-after, and overflow folded into a digest. Every outcome is
 * counted in {@link OutboxStats} and logged, and reported to the alert journal (when there is one) by
 * the journal keys each queued alert carries.
 */
import type { Alert, DigestAlert } from '../alert.js';
import type { Logger } from '../logger.js';
import type { SinkInstance } from '../plugin.js';
import { backoffDelay, sleep } from '../util/backoff.js';
import { AlertQueue } from './alert-queue.js';
import { foldInto, newDigest, tallyOf } from './digest.js';
import { keysOf, type JournalGuard } from './journal-guard.js';
import { sendOnce, type SendFailure } from './send.js';
import { emptyOutboxStats, type DeliveryOptions, type FailureReason, type OutboxStats } from './types.js';

/** A queued alert and what the journal knows it by. */
export interface Waiting {
  readonly alert: Alert;
  /** The journal's key of this alert at this destination; undefined when not journaled. */
  readonly key: number | undefined;
  /** For a digest: the keys of the journaled alerts folded into it, settled once it is delivered. */
  folded?: number[];
}

/** The digest that overflow folds into, while it waits. */
interface OpenDigest extends Waiting {
  readonly alert: DigestAlert;
  folded: number[];
}

/** What an outbox needs from its sink and from {@link Delivery}. */
export interface OutboxHost {
  readonly sink: string;
  readonly instance: SinkInstance;
  readonly logger: Logger;
  readonly options: DeliveryOptions;
  readonly maxAlertsPerMessage: number;
  /** Aborted at the shutdown deadline. */
  readonly stop: AbortSignal;
  now(): number;
  random(): number;
  /** The sink's fatal error, once there is one. */
  fatal(): SendFailure | undefined;
  /** Report a fatal failure: stops the whole sink. */
  onFatal(failure: SendFailure): void;
  /** Where outcomes are recorded (inert without a journal). */
  readonly journal: JournalGuard;
}

/** Log a "destination is stopped" line for the first alert refused and then every this many. */
const REFUSED_LOG_EVERY = 100;

export class Outbox {
  private readonly queue = new AlertQueue<Waiting>();
  /** Alerts at the head of the queue taken for the message being sent or retried: never folded. */
  private reserved = 0;
  private digest: OpenDigest | undefined;
  private attempt = 0;
  /** After a merged message was rejected, send this many alerts one by one to skip only the bad one. */
  private singles = 0;
  private running = false;
  /** Bumped when the queue is dropped, so a send that settles afterwards does not touch the new queue. */
  private epoch = 0;
  private wake: AbortController | undefined;
  /** The fatal error that stopped this destination alone (`scope: 'destination'`), if any. */
  private stopped: SendFailure | undefined;
  /** Alerts refused since this destination stopped (for a log line now and then, not per alert). */
  private refusedSinceStop = 0;
  private idleWaiters: (() => void)[] = [];
  readonly counters: OutboxStats;

  constructor(
    readonly destination: string,
    private readonly host: OutboxHost,
  ) {
    this.counters = emptyOutboxStats();
  }

  private get where(): string {
    return `${this.host.sink}/${this.destination}`;
  }

  /** True once this destination stopped on its own fatal error: it refuses alerts. */
  get isStopped(): boolean {
    return this.stopped !== undefined;
  }

  /** Queue an alert (with its journal key, if written) and start sending if idle. */
  enqueue(alert: Alert, key?: number): void {
    if (this.stopped) {
      if (key !== undefined) this.host.journal.settle([key], 'fatal');
      this.refuse(1, 'fatal');
      if (this.refusedSinceStop++ % REFUSED_LOG_EVERY === 0) {
        // The count includes what was waiting when it stopped, not only what came after.
        this.host.logger.warn(
          { destination: this.destination },
          `${this.where} is stopped (${this.stopped.message}); ${this.counters.failed.fatal} alert(s) for it not delivered so far. Fix its config and restart.`,
        );
      }
      return;
    }
    this.counters.queued++;
    this.queue.push({ alert, key });
    if (this.queue.length - this.reserved > this.host.options.queueSize) this.overflow();
    this.counters.waiting = this.queue.length;
    if (!this.running) void this.pump(); // checked here too: an async call costs a promise even when it returns at once
  }

  /**
   * Queue what the journal held at start, before any new alert: `entries` in order (a digest of the
   * stale ones first, if any). Counted as queued (and the digest's alerts as folded).
   */
  restore(entries: readonly Waiting[]): void {
    for (const entry of entries) {
      const count = entry.alert.kind === 'digest' ? entry.alert.alerts : 1;
      this.counters.queued += count;
      if (entry.alert.kind === 'digest') this.counters.folded += count;
      this.queue.push(entry);
    }
    if (this.queue.length - this.reserved > this.host.options.queueSize) this.overflow();
    this.counters.waiting = this.queue.length;
    if (!this.running && this.queue.length > 0) void this.pump();
  }

  /** Count alerts that could not even be queued. */
  refuse(count: number, reason: FailureReason): void {
    this.counters.failed[reason] += count;
  }

  /** Resolves once the queue is empty and nothing is being sent. */
  idle(): Promise<void> {
    if (this.queue.length === 0 && !this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** The sink hit a fatal error: drop what waits (a send in flight finishes first), and stop. */
  halt(): void {
    this.counters.state = 'failed';
    this.wake?.abort();
    if (!this.running) this.dropAll('fatal');
  }

  /**
   * Drop everything still queued, counted under `reason`; returns what was dropped. The journal keeps
   * what the shutdown deadline dropped as pending, for the next start; other reasons settle it.
   */
  dropAll(reason: FailureReason): { alerts: number; liquidations: number; totalUsd: number } {
    const dropped = { alerts: this.queue.length, liquidations: 0, totalUsd: 0 };
    const keys: number[] = [];
    for (const entry of this.queue) {
      const tally = tallyOf(entry.alert);
      dropped.liquidations += tally.liquidations;
      dropped.totalUsd += tally.totalUsd;
      if (reason !== 'shutdown') keys.push(...keysOf(entry));
    }
    if (reason !== 'shutdown') this.host.journal.settle(keys, reason);
    this.counters.failed[reason] += this.queue.length;
    this.epoch++;
    this.queue.clear();
    this.reserved = 0;
    this.digest = undefined;
    this.counters.waiting = 0;
    this.settleIdle();
    return dropped;
  }

  private overflow(): void {
    let created = false;
    while (this.queue.length - this.reserved > this.host.options.queueSize) {
      let index = this.queue.findIndex((entry) => entry.alert.kind === 'liquidation', this.reserved);
      if (index === -1) index = this.queue.findIndex((entry) => entry !== this.digest && entry.alert.kind !== 'summary', this.reserved);
      if (index === -1) return;
      const entry = this.queue.removeAt(index);
      if (!entry) return;
      if (!this.digest) {
        this.digest = { alert: newDigest(this.host.now()), key: undefined, folded: [] };
        this.queue.insertAt(index, this.digest);
        created = true;
      }
      foldInto(this.digest.alert, entry.alert);
      for (const key of keysOf(entry)) this.digest.folded.push(key);
      this.counters.folded++;
    }
    if (created) {
      this.host.logger.warn(
        { destination: this.destination, queueSize: this.host.options.queueSize },
        `outbox ${this.where} is full; folding its oldest alerts into a digest (nothing is dropped uncounted)`,
      );
    }
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length > 0 && !this.host.fatal() && !this.stopped && !this.host.stop.aborted) await this.step();
    } catch (error) {
      this.host.logger.error({ err: error, destination: this.destination }, `outbox ${this.where} failed unexpectedly`);
    } finally {
      this.running = false;
      if (this.host.fatal() || this.stopped) this.dropAll('fatal');
      this.settleIdle();
    }
  }

  /** Send (or retry) the message at the head of the queue once. */
  private async step(): Promise<void> {
    const batch = this.takeBatch();
    // A background journal: the batch's alerts are on disk before a message holds them (a crash then resends).
    const written = this.host.journal.written(batch.flatMap(keysOf));
    if (written) {
      const epoch = this.epoch;
      await written;
      if (epoch !== this.epoch) return; // dropped while waiting (shutdown deadline, fatal): already counted
    }
    let message: unknown;
    try {
      message = this.host.instance.render(batch.map((entry) => entry.alert));
    } catch (error) {
      this.host.logger.error({ err: error, destination: this.destination }, `sink ${this.host.sink} could not render ${batch.length} alert(s); skipping them`);
      return this.skip(batch, 'render');
    }
    const epoch = this.epoch;
    const failure = await sendOnce(this.host.instance, message, this.destination, this.host.options.sendTimeout, this.host.stop);
    if (epoch !== this.epoch) return; // dropped meanwhile (shutdown deadline, fatal): already counted
    if (!failure) return this.delivered(batch);
    if (failure.aborted && this.host.stop.aborted) return; // shutdown: drain() counts what is left
    if (this.host.fatal()) return; // another destination stopped the sink meanwhile
    if (!failure.rateLimited) this.counters.lastError = failure.message; // pacing is not a failure
    if (failure.kind === 'fatal') return failure.scope === 'destination' ? this.stopDestination(failure) : this.host.onFatal(failure);
    if (failure.kind === 'rejected') return this.rejected(batch, failure);
    return this.retryLater(batch, failure);
  }

  /** The longest run of waiting alerts from the head that fits the sink's limits (at least one). */
  private takeBatch(): Waiting[] {
    const { instance } = this.host;
    const most = Math.min(this.singles > 0 ? 1 : this.host.maxAlertsPerMessage, this.queue.length);
    const maxSize = instance.limits?.maxMessageSize;
    let size = most;
    if (maxSize !== undefined && instance.measure && most > 1) {
      const fits = (count: number): boolean => {
        try {
          return (instance.measure?.(instance.render(this.queue.front(count).map((entry) => entry.alert))) ?? 0) <= maxSize;
        } catch {
          return false;
        }
      };
      // Everything waiting usually fits: one render. Else the longest prefix that does, by bisection
      // (more alerts never render shorter), not by rendering every prefix in turn.
      if (!fits(most)) {
        let low = 1;
        let high = most - 1;
        while (low < high) {
          const middle = (low + high + 1) >> 1;
          if (fits(middle)) low = middle;
          else high = middle - 1;
        }
        size = low;
      }
    }
    this.reserved = size;
    if (this.digest && this.queue.indexOf(this.digest) < size) this.digest = undefined; // taken: fold no more into it
    return this.queue.front(size);
  }

  private remove(count: number): void {
    this.queue.dropFront(count);
    this.reserved = 0;
    this.attempt = 0;
    if (this.singles > 0) this.singles = Math.max(0, this.singles - count);
    this.counters.waiting = this.queue.length;
  }

  private delivered(batch: readonly Waiting[]): void {
    const count = batch.length;
    const retries = this.attempt;
    this.remove(count);
    // A merged message marks every alert in it; a digest settles the alerts folded into it.
    const keys: number[] = [];
    const folded: number[] = [];
    for (const entry of batch) {
      if (entry.key !== undefined) keys.push(entry.key);
      if (entry.folded) folded.push(...entry.folded);
    }
    this.host.journal.delivered(keys);
    this.host.journal.settle(folded, 'digest');
    this.counters.sent += count;
    this.counters.messages++;
    this.counters.merged += count - 1;
    this.counters.lastSentAt = this.host.now();
    if (this.counters.state === 'retrying') {
      this.counters.state = 'ok';
      this.host.logger.info({ destination: this.destination, retries }, `delivery to ${this.where} recovered after ${retries} failed tries`);
    }
    this.host.logger.debug({ destination: this.destination, alerts: count }, `sent ${count} alert(s) to ${this.where}`);
  }

  private skip(batch: readonly Waiting[], reason: Exclude<FailureReason, 'shutdown'>): void {
    this.remove(batch.length);
    this.counters.failed[reason] += batch.length;
    this.host.journal.settle(batch.flatMap(keysOf), reason);
  }

  private rejected(batch: readonly Waiting[], failure: SendFailure): void {
    const count = batch.length;
    if (count > 1) {
      // One bad alert must not take the others down with it: resend them one by one.
      this.host.logger.warn({ destination: this.destination }, `${this.where} refused a merged message (${failure.message}); resending its ${count} alerts one by one`);
      this.reserved = 0;
      this.singles = count;
      return;
    }
    this.skip(batch, 'rejected');
    this.host.logger.warn(
      { destination: this.destination, hint: failure.hint },
      `${this.where} refused an alert; it is skipped and counted: ${failure.message}${failure.hint ? ` (${failure.hint})` : ''}`,
    );
  }

  private async retryLater(batch: readonly Waiting[], failure: SendFailure): Promise<void> {
    const count = batch.length;
    if (failure.rateLimited) return this.waitAsked(count, failure.retryAfterMs ?? 0, failure.message);
    const { options } = this.host;
    this.attempt++;
    if (options.maxAttempts > 0 && this.attempt >= options.maxAttempts) {
      this.skip(batch, 'attempts');
      this.host.logger.error({ destination: this.destination }, `giving up on ${count} alert(s) for ${this.where} after ${options.maxAttempts} tries: ${failure.message}`);
      return;
    }
    const policy = { minMs: options.backoff.min, maxMs: options.backoff.max, factor: options.backoff.factor, jitter: options.backoff.jitter };
    const delay = failure.retryAfterMs !== undefined && failure.retryAfterMs >= 0 ? failure.retryAfterMs : backoffDelay(policy, this.attempt, this.host.random);
    this.counters.retried++;
    this.counters.state = 'retrying';
    this.host.logger.warn(
      { destination: this.destination, attempt: this.attempt, delayMs: delay, retryAfterMs: failure.retryAfterMs },
      `sending to ${this.where} failed (try ${this.attempt}): ${failure.message}; retrying in ${delay} ms`,
    );
    await this.pause(delay);
  }

  /**
   * The server paces this destination (429, flood control): wait what it asked, then send again. Not a
   * failed try: `attempt` and `maxAttempts` are left alone, so pacing never drops an alert, and alerts
   * that arrive meanwhile are merged into the next message.
   */
  private async waitAsked(count: number, delayMs: number, message: string): Promise<void> {
    this.counters.rateLimited++;
    this.host.logger.info(
      { destination: this.destination, delayMs, waiting: this.queue.length },
      `${this.where} asked liqmon to slow down (${message}); sending ${count} alert(s) again in ${delayMs} ms`,
    );
    await this.pause(delayMs);
  }

  /** Wait before the next try; cut short by a fatal stop (halt) or the shutdown deadline. */
  private async pause(ms: number): Promise<void> {
    this.wake = new AbortController();
    await sleep(ms, AbortSignal.any([this.wake.signal, this.host.stop]));
    this.wake = undefined;
  }

  /** A fatal error of this destination alone: stop it (what waits is dropped, counted), keep the others. */
  private stopDestination(failure: SendFailure): void {
    this.stopped = failure;
    this.counters.state = 'failed';
    this.host.logger.error(
      { err: failure.error, hint: failure.hint, destination: this.destination },
      `${this.where} stopped: ${failure.message}.${failure.hint ? ` Fix: ${failure.hint}` : ' Fix its config and restart.'} The sink's other destinations keep running.`,
    );
  }

  private settleIdle(): void {
    if (this.queue.length > 0 || this.running) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
