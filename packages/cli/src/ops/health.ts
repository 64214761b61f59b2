/**
 * The health model behind `/healthz`. Sources say whether they are connected *now*; whether one has
 * been down *too long* needs memory, so the monitor samples them (on a timer and on every report) and
 * remembers since when each has been down. Unhealthy means: a source down for longer than `downAfter`
 * (a source that never connected counts as down since the monitor started), a sink stopped by a
 * fatal error, or a sink destination retrying without a success for longer than `downAfter`. A short
 * retry is reported but still healthy: retries are a sink's normal job; one that never ends is not
 * (a Telegram sink that never delivered once and kept retrying was once reported healthy).
 */
import { CORE_VERSION, type DeliveryStats, type OutboxStats, type Redactor, type SourceHealth } from '@liqmon/core';
import { type SourceStats, summarizeSources } from '@liqmon/core/runtime';
import type { StoreStatus } from '@liqmon/store';
import type { JournalStatusSource } from '../store/run-journal.js';
import type { ClusterStatusSource } from './cluster-metrics.js';
import type { ClusterHealthReport, DestinationHealthReport, HealthReport, SinkHealthReport, SourceHealthReport } from './health-report.js';

/** What the monitor and the metrics read of the store; `Store` fits it. */
export interface StoreStatusSource {
  status(): StoreStatus;
}

/** What the monitor reads; `Runtime` fits it. */
export interface HealthTarget {
  /** `failed`: stopped for good, not retried (see SourceRunner). */
  readonly sources: readonly { readonly name: string; health(): SourceHealth & SourceStats & { failed?: boolean } }[];
  readonly delivery: { stats(): DeliveryStats };
}

export interface HealthMonitorOptions {
  target: HealthTarget;
  /** A source disconnected, or a sink destination retrying, longer than this is unhealthy, in ms. */
  downAfterMs: number;
  /** Redacts sink errors (delivery keeps them as the sink threw them). */
  redactor: Redactor;
  /** @default Date.now */
  now?: () => number;
  /** Sampling period in ms; 0 = no timer (tests sample by hand). @default min(1s, downAfter / 4) */
  sampleEveryMs?: number;
  /**
   * The store, reported as `store` (state, file, rows written and not stored). A store that is off or
   * paused does not make the instance unhealthy: alerts go on without it (docs/store.md).
   */
  store?: StoreStatusSource;
  /**
   * The outbox journal, reported as `journal` (state, alerts recovered at start, failures, pending).
   * Off or failed is not unhealthy either: delivery goes on in memory (docs/delivery.md).
   */
  journal?: JournalStatusSource;
  /** The cluster, reported as `cluster`; not connected to NATS is unhealthy (nothing is published). */
  cluster?: ClusterStatusSource;
}

export class HealthMonitor {
  readonly #options: HealthMonitorOptions;
  readonly #now: () => number;
  readonly #startedAt: number;
  /** Since when each source has been seen disconnected. */
  readonly #downSince = new Map<string, number>();
  /** Since when each sink destination (`sink\u0000destination`) has been retrying without a success. */
  readonly #failingSince = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(options: HealthMonitorOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#startedAt = this.#now();
    this.sample();
    const every = options.sampleEveryMs ?? Math.max(50, Math.min(1_000, options.downAfterMs / 4));
    if (every > 0) {
      this.#timer = setInterval(() => this.sample(), every);
      this.#timer.unref(); // never keeps the process alive on its own
    }
  }

  /** Note which sources are down now. */
  sample(): void {
    const now = this.#now();
    for (const source of this.#options.target.sources) {
      if (source.health().connected) this.#downSince.delete(source.name);
      // Down since this sample (the first one runs at construction: a source that never connects
      // counts as down since the monitor started). Precision: one sampling period.
      else if (!this.#downSince.has(source.name)) this.#downSince.set(source.name, now);
    }
    const seen = new Set<string>();
    for (const [sink, stats] of Object.entries(this.#options.target.delivery.stats().sinks)) {
      for (const [destination, outbox] of Object.entries(stats.destinations)) {
        const key = `${sink}\u0000${destination}`;
        if (outbox.state !== 'retrying') continue;
        seen.add(key);
        if (!this.#failingSince.has(key)) this.#failingSince.set(key, now);
      }
    }
    // A destination that delivered (back to ok) or stopped (failed, reported on its own) starts over.
    for (const key of this.#failingSince.keys()) if (!seen.has(key)) this.#failingSince.delete(key);
  }

  /** The current report; `status` is `unhealthy` when `problems` is not empty. */
  report(): HealthReport {
    this.sample();
    const now = this.#now();
    const problems: string[] = [];
    const sources: Record<string, SourceHealthReport> = {};
    for (const source of this.#options.target.sources) {
      const entry = this.#source(source.name, source.health(), now);
      if (entry.problem) problems.push(entry.problem);
      sources[source.name] = entry;
    }
    const sinks: Record<string, SinkHealthReport> = {};
    for (const [name, stats] of Object.entries(this.#options.target.delivery.stats().sinks)) {
      const entry = this.#sink(name, stats, now);
      if (entry.problem) problems.push(entry.problem);
      sinks[name] = entry;
    }
    const cluster = this.#clusterReport(problems);
    return {
      status: problems.length === 0 ? 'ok' : 'unhealthy',
      version: CORE_VERSION,
      pid: process.pid,
      uptimeMs: now - this.#startedAt,
      downAfterMs: this.#options.downAfterMs,
      summary: summarizeSources(this.#options.target.sources),
      sources,
      sinks,
      ...(this.#options.store ? { store: this.#storeReport(this.#options.store.status()) } : {}),
      ...(this.#options.journal ? { journal: this.#journalReport(this.#options.journal) } : {}),
      ...(cluster ? { cluster } : {}),
      problems,
    };
  }

  #clusterReport(problems: string[]): ClusterHealthReport | undefined {
    const status = this.#options.cluster?.status();
    if (!status) return undefined;
    if (!status.connected) problems.push(`cluster ${status.name}: not connected to NATS; alerts wait to be published`);
    return status.lastError === undefined ? status : { ...status, lastError: this.#options.redactor.redact(status.lastError) };
  }

  #storeReport(status: StoreStatus): NonNullable<HealthReport['store']> {
    return {
      state: status.state,
      file: status.file,
      written: status.written,
      notStored: Object.fromEntries(Object.entries(status.notStored).filter(([, n]) => n > 0)),
      ...(status.problem !== undefined ? { problem: this.#options.redactor.redact(status.problem) } : {}),
    };
  }

  #journalReport(journal: JournalStatusSource): NonNullable<HealthReport['journal']> {
    const { lastError, ...status } = journal.status();
    return { ...status, ...(lastError !== undefined ? { lastError: this.#options.redactor.redact(lastError) } : {}) };
  }

  #source(name: string, health: SourceHealth & SourceStats & { failed?: boolean }, now: number): SourceHealthReport {
    const since = health.connected ? undefined : (this.#downSince.get(name) ?? now);
    const downForMs = since === undefined ? undefined : now - since;
    // A source failed for good (its plugin cannot be built) will not come back: unhealthy at once.
    const failed = health.failed === true;
    const down = failed || (downForMs !== undefined && downForMs > this.#options.downAfterMs);
    return {
      connected: health.connected,
      ...(downForMs !== undefined ? { downForMs } : {}),
      ...(health.lastMessageAt !== undefined ? { lastMessageAgeMs: Math.max(0, now - health.lastMessageAt) } : {}),
      reconnects: health.reconnects,
      restarts: health.restarts,
      frames: health.frames,
      events: health.events,
      malformed: health.malformed,
      invalid: health.invalid,
      invalidByReason: { ...health.invalidByReason },
      oversized: health.oversized,
      unknownInstrument: health.unknownInstrument,
      ...(health.feeds !== undefined ? { feeds: { ...health.feeds } } : {}),
      ...(health.problem !== undefined && !health.connected ? { lastFailure: this.#options.redactor.redact(health.problem) } : {}),
      healthy: !down,
      ...(down
        ? {
            problem: failed
              ? `source ${name} has failed: ${this.#options.redactor.redact(health.problem ?? 'not retried')}`
              : `source ${name} has been disconnected for ${seconds(downForMs ?? 0)} (limit ${seconds(this.#options.downAfterMs)})${health.problem ? `: ${this.#options.redactor.redact(health.problem)}` : ''}`,
          }
        : {}),
    };
  }

  #sink(name: string, stats: DeliveryStats['sinks'][string], now: number): SinkHealthReport {
    const redact = (text: string | undefined) => (text === undefined ? undefined : this.#options.redactor.redact(text));
    const destinations: Record<string, DestinationHealthReport> = {};
    let queueDepth = 0;
    let sent = 0;
    let failed = 0;
    let lastError: string | undefined;
    let failingSince: number | undefined;
    for (const [destination, outbox] of Object.entries(stats.destinations)) {
      const since = this.#failingSince.get(`${name}\u0000${destination}`);
      if (since !== undefined && (failingSince === undefined || since < failingSince)) failingSince = since;
      const failures = failedTotal(outbox);
      const error = redact(outbox.lastError);
      // Destination names can be chat ids or webhook names: redacted like any text leaving the process.
      destinations[this.#options.redactor.redact(destination)] = {
        state: outbox.state,
        queueDepth: outbox.waiting,
        sent: outbox.sent,
        failed: failures,
        ...(error !== undefined ? { lastError: error } : {}),
      };
      queueDepth += outbox.waiting;
      sent += outbox.sent;
      failed += failures;
      // Prefer the error of a destination that is in trouble now over an old one of a healthy one.
      if (error !== undefined && (lastError === undefined || outbox.state !== 'ok')) lastError = error;
    }
    const fatal = redact(stats.fatalError);
    const stopped = Object.entries(destinations).filter(([, destination]) => destination.state === 'failed').map(([name]) => name);
    // A destination stopped on its own (an unknown chat) leaves the sink running, but alerts are lost there.
    const isStopped = stats.state === 'failed' || stopped.length > 0;
    const failingForMs = failingSince === undefined ? undefined : now - failingSince;
    const isFailing = failingForMs !== undefined && failingForMs > this.#options.downAfterMs;
    const delivered = sent === 0 ? 'nothing delivered yet' : 'no delivery since';
    const problem =
      stats.state === 'failed'
        ? `sink ${name} has stopped: ${fatal ?? lastError ?? 'fatal error'}`
        : stopped.length > 0
          ? `sink ${name}: destination ${stopped.join(', ')} has stopped: ${destinations[stopped[0]!]?.lastError ?? 'fatal error'}`
          : `sink ${name} has been failing for ${seconds(failingForMs ?? 0)} (limit ${seconds(this.#options.downAfterMs)}), ${delivered}: ${lastError ?? 'no error message'}`;
    const unhealthy = isStopped || isFailing;
    return {
      state: stats.state,
      queueDepth,
      sent,
      failed,
      ...((fatal ?? lastError) !== undefined ? { lastError: fatal ?? lastError } : {}),
      ...(failingForMs !== undefined ? { failingForMs } : {}),
      destinations,
      healthy: !unhealthy,
      ...(unhealthy ? { problem } : {}),
    };
  }

  /** Stop the sampling timer. */
  close(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

function failedTotal(outbox: OutboxStats): number {
  return Object.values(outbox.failed).reduce((sum, n) => sum + n, 0);
}

/** `1.5s`, `90s`, `2m 5s`, `1h 3m`: short, for one-line problems. */
export function seconds(ms: number): string {
  if (ms < 10_000) return `${Number((ms / 1000).toFixed(1))}s`;
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}
