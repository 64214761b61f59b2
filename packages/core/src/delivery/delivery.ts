/**
 * Core's delivery: one {@link Outbox} per sink destination. Rules hand alerts to `deliver`; each outbox
 * sends, merges, retries and folds on its own, so a slow or broken sink never holds up another. A fatal
 * failure stops its sink once (logged with the fix); `drain` empties the outboxes under a deadline at
 * shutdown and reports what could not be delivered. Given an {@link AlertJournal}, every alert is
 * written (per destination) before it is queued, and what the journal still held at start is queued
 * first (recovery.ts), so a crash loses no queued alert.
 */
import type { Alert } from '../alert.js';
import type { Logger } from '../logger.js';
import { sleep } from '../util/backoff.js';
import { alertId } from './alert-id.js';
import { JournalGuard } from './journal-guard.js';
import { Outbox } from './outbox.js';
import { recover } from './recovery.js';
import type { SendFailure } from './send.js';
import type { DeliveryInit, DeliveryOptions, DeliverySink, DeliveryStats, DrainReport, JournalTarget, OutboxStats, Undelivered } from './types.js';

/** Alerts merged into one message when the sink does not say (SinkLimits.maxAlertsPerMessage). */
export const DEFAULT_MAX_ALERTS_PER_MESSAGE = 20;

/** Log a "sink is stopped" line for the first alert refused and then every this many. */
const REFUSED_LOG_EVERY = 100;

interface SinkState {
  readonly sink: DeliverySink;
  readonly outboxes: Map<string, Outbox>;
  fatal: SendFailure | undefined;
  refusedAfterFatal: number;
}

export class Delivery {
  private readonly sinks = new Map<string, SinkState>();
  private readonly logger: Logger;
  private readonly stopController = new AbortController();
  private readonly unknownSinks = new Set<string>();
  private readonly journal: JournalGuard;
  private draining = false;
  private drainPromise: Promise<DrainReport> | undefined;

  constructor(init: DeliveryInit) {
    this.logger = init.logger;
    const now = init.now ?? Date.now;
    const random = init.random ?? Math.random;
    this.journal = new JournalGuard(init.journal, this.logger);
    for (const sink of init.sinks) {
      const state: SinkState = { sink, outboxes: new Map(), fatal: undefined, refusedAfterFatal: 0 };
      const host = {
        sink: sink.name,
        instance: sink.instance,
        logger: sink.logger,
        options: init.options,
        maxAlertsPerMessage: maxAlerts(sink, init.options),
        stop: this.stopController.signal,
        now,
        random,
        fatal: () => state.fatal,
        onFatal: (failure: SendFailure) => this.fatal(state, failure),
        journal: this.journal,
      };
      const destinations = sink.instance.destinations?.length ? sink.instance.destinations : ['default'];
      for (const destination of destinations) state.outboxes.set(destination, new Outbox(destination, host));
      this.sinks.set(sink.name, state);
    }
    // Before any new alert: what a previous run left pending goes first, in order.
    if (this.journal.enabled) recover({ journal: this.journal, outboxes: this.outboxOf, maxAgeMs: init.options.maxAge, now, logger: this.logger });
  }

  private readonly outboxOf = (sink: string, destination: string): Outbox | undefined => this.sinks.get(sink)?.outboxes.get(destination);

  /**
   * Queue an alert for each named sink (every destination of each), after writing it to the journal
   * for each destination that takes it. Gives the alert its {@link alertId} if it has none. Never
   * throws, never blocks.
   */
  deliver(alert: Alert, sinkNames: readonly string[]): void {
    alert.id ??= alertId(alert);
    // With a journal: the destinations that take the alert, written in one go before any is queued.
    const journaled: Outbox[] | undefined = this.journal.enabled ? [] : undefined;
    const targets: JournalTarget[] = [];
    for (const name of sinkNames) {
      const state = this.sinks.get(name);
      if (!state) {
        if (!this.unknownSinks.has(name)) {
          this.unknownSinks.add(name);
          this.logger.warn(`alerts of rule "${alert.rule}" name sink "${name}", which is not running; they are not delivered there`);
        }
        continue;
      }
      if (this.draining) {
        for (const outbox of state.outboxes.values()) outbox.refuse(1, 'shutdown');
        // Written as pending: the next start sends it.
        this.journal.write(alert, [...state.outboxes.keys()].map((destination) => ({ sink: name, destination })));
        this.logger.warn(
          { sink: name, rule: alert.rule },
          `an alert for sink "${name}" came after shutdown began; not delivered${this.journal.enabled ? ' now (the journal keeps it for the next start)' : ''}`,
        );
        continue;
      }
      if (state.fatal) {
        for (const outbox of state.outboxes.values()) outbox.refuse(1, 'fatal');
        state.refusedAfterFatal++;
        if (state.refusedAfterFatal % REFUSED_LOG_EVERY === 1) {
          state.sink.logger.warn(
            `sink "${name}" is stopped (${state.fatal.message}); ${state.refusedAfterFatal} alert(s) for it not delivered so far. Fix its config and restart.`,
          );
        }
        continue;
      }
      for (const [destination, outbox] of state.outboxes) {
        // A destination stopped on its own refuses the alert (enqueue counts it): nothing to write.
        if (!journaled || outbox.isStopped) outbox.enqueue(alert);
        else {
          journaled.push(outbox);
          targets.push({ sink: name, destination });
        }
      }
    }
    if (!journaled || journaled.length === 0) return;
    const keys = this.journal.write(alert, targets);
    for (let i = 0; i < journaled.length; i++) journaled[i]!.enqueue(alert, keys[i]);
  }


  /** Counters per sink and destination. */
  stats(): DeliveryStats {
    const sinks: DeliveryStats['sinks'] = {};
    for (const [name, state] of this.sinks) {
      const destinations: Record<string, OutboxStats> = {};
      let retrying = false;
      for (const [destination, outbox] of state.outboxes) {
        destinations[destination] = { ...outbox.counters, failed: { ...outbox.counters.failed } };
        if (outbox.counters.state === 'retrying') retrying = true;
      }
      sinks[name] = {
        // Failed when the sink stopped, or when every destination stopped on its own.
        state: state.fatal || [...state.outboxes.values()].every((outbox) => outbox.counters.state === 'failed') ? 'failed' : retrying ? 'retrying' : 'ok',
        ...(state.fatal ? { fatalError: state.fatal.message } : {}),
        destinations,
      };
    }
    const journal = this.journal.counters();
    return journal ? { sinks, journal } : { sinks };
  }

  /**
   * Shutdown: refuse new alerts, keep sending what is queued for up to `deadlineMs` milliseconds, then
   * abort what is still in flight, count what is left as failed (`shutdown`), stop the sinks and report.
   * Safe to call twice (the second call gets the first report).
   */
  drain(deadlineMs: number): Promise<DrainReport> {
    this.drainPromise ??= this.runDrain(deadlineMs);
    return this.drainPromise;
  }

  private async runDrain(deadlineMs: number): Promise<DrainReport> {
    this.draining = true;
    const started = Date.now();
    const sentBefore = this.sentTotal();
    const outboxes = [...this.sinks.values()].flatMap((state) => [...state.outboxes.values()].map((outbox) => ({ state, outbox })));
    const deadline = new AbortController();
    const allIdle = Promise.all(outboxes.map(({ outbox }) => outbox.idle())).then(() => true);
    const complete = await Promise.race([allIdle, sleep(deadlineMs, deadline.signal).then(() => false)]);
    deadline.abort();
    this.stopController.abort();

    const undelivered: Undelivered[] = [];
    for (const { state, outbox } of outboxes) {
      const dropped = outbox.dropAll('shutdown');
      if (dropped.alerts > 0) undelivered.push({ sink: state.sink.name, destination: outbox.destination, ...dropped });
    }
    const delivered = this.sentTotal() - sentBefore;
    for (const item of undelivered) {
      this.logger.warn(
        { ...item },
        `shutdown deadline: ${item.alerts} alert(s) for ${item.sink}/${item.destination} not delivered (${item.liquidations} liquidations)`,
      );
    }
    this.logger.info({ delivered, undelivered: undelivered.length, complete }, complete ? 'outboxes drained' : 'outboxes not drained before the deadline');
    await this.stopSinks(Math.max(1000, deadlineMs - (Date.now() - started)));
    return { complete, delivered, undelivered, stats: this.stats() };
  }

  private async stopSinks(budgetMs: number): Promise<void> {
    const stops = [...this.sinks.values()].map(async ({ sink }) => {
      try {
        await sink.instance.stop?.();
      } catch (error) {
        sink.logger.warn({ err: error }, `sink "${sink.name}" failed to stop cleanly`);
      }
    });
    const timeout = new AbortController();
    await Promise.race([Promise.all(stops), sleep(budgetMs, timeout.signal)]);
    timeout.abort();
  }

  private fatal(state: SinkState, failure: SendFailure): void {
    if (state.fatal) return;
    state.fatal = failure;
    state.sink.logger.error(
      { err: failure.error, hint: failure.hint },
      `sink "${state.sink.name}" stopped: ${failure.message}.${failure.hint ? ` Fix: ${failure.hint}` : ' Fix its config and restart.'} Other sinks keep running.`,
    );
    for (const outbox of state.outboxes.values()) outbox.halt();
  }

  private sentTotal(): number {
    let total = 0;
    for (const state of this.sinks.values()) for (const outbox of state.outboxes.values()) total += outbox.counters.sent;
    return total;
  }
}

/** The lower of the sink's merge limit and `delivery.maxAlertsPerMessage`. */
function maxAlerts(sink: DeliverySink, options: DeliveryOptions): number {
  const own = sink.instance.limits?.maxAlertsPerMessage ?? DEFAULT_MAX_ALERTS_PER_MESSAGE;
  return Math.max(1, Math.min(own, options.maxAlertsPerMessage ?? own));
}
