/**
 * Prometheus metrics, all named `liqmon_*`, in a registry of their own (never prom-client's global one,
 * which a plugin or an embedding app may use). Two kinds of feed:
 *  - pushed on the hot path: liquidations received and alerts produced, one cached counter child per
 *    label set (a Map lookup and an increment per event), and the delivery latency histogram;
 *  - read at scrape time from what core already counts (source health, rule and delivery stats), so
 *    they cost nothing between scrapes.
 * Labels stay bounded: exchange, market, source, rule, kind, sink, outcome are names from code or the
 * config. The symbol is never a label (hundreds of symbols x labels = a series explosion).
 */
import { createRequire } from 'node:module';
import type * as PromClientModule from 'prom-client';
import type { Counter, Histogram, LabelValues, Registry } from 'prom-client';
import { type Alert, CORE_VERSION, type DeliveryStats, type FailureReason, type Liquidation, type RuleStats, type SourceHealth } from '@liqmon/core';
import type { SourceStats } from '@liqmon/core/runtime';
import type { StoreStatus } from '@liqmon/store';
import type { JournalStatusSource } from '../store/run-journal.js';
import { registerClusterMetrics, type ClusterStatusSource } from './cluster-metrics.js';

/** What scrape-time metrics read; `Runtime` fits it. */
export interface MetricsTarget {
  readonly sources: readonly { readonly name: string; health(): SourceHealth & SourceStats }[];
  readonly delivery: { stats(): DeliveryStats };
  readonly rules?: { stats(): RuleStats };
}

/** Latency buckets in seconds: a healthy alert goes out in well under a second; retries take minutes. */
const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];

const FAILURE_REASONS: readonly FailureReason[] = ['fatal', 'rejected', 'attempts', 'render', 'shutdown'];

type Child = { inc(value?: number): void };

type PromClient = typeof PromClientModule;
let promClient: PromClient | undefined;

/**
 * prom-client, loaded on first use: only a config with `http:` has metrics, and loading it at start
 * cost every other run about 10 MB of memory (docs/performance.md).
 */
function prom(): PromClient {
  return (promClient ??= createRequire(import.meta.url)('prom-client') as PromClient);
}

/**
 * The counter's child for these label values, cached by their joined values: prom-client's own
 * `labels()` hashes the label object on every call, too slow for once per liquidation.
 */
function labelled<L extends string>(cache: Map<string, Child>, counter: Counter<L>, labels: Record<L, string>): Child {
  const key = Object.values<string>(labels).join('\u0000');
  let child = cache.get(key);
  if (!child) {
    child = counter.labels(labels);
    cache.set(key, child);
  }
  return child;
}

export class Metrics {
  /** The registry `/metrics` serializes. */
  readonly registry: Registry;
  #target: MetricsTarget | undefined;
  readonly #now: () => number;
  readonly #received: Counter<'exchange' | 'market'>;
  readonly #receivedChildren = new Map<string, Child>();
  readonly #alerts: Counter<'rule' | 'kind'>;
  readonly #alertChildren = new Map<string, Child>();
  readonly #latency: Histogram<'sink'>;

  constructor(options: { defaultMetrics?: boolean; now?: () => number } = {}) {
    const { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } = prom();
    this.registry = new Registry();
    const registers = [this.registry];
    this.#now = options.now ?? Date.now;
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'liqmon_' });
    new Gauge({ name: 'liqmon_build_info', help: 'Always 1; the version of @liqmon/core as a label.', labelNames: ['version'], registers }).set(
      { version: CORE_VERSION },
      1,
    );
    this.#received = new Counter({
      name: 'liqmon_liquidations_received_total',
      help: 'Liquidations decoded from the sources (before dedupe and rules), by exchange and market.',
      labelNames: ['exchange', 'market'],
      registers,
    });
    this.#alerts = new Counter({ name: 'liqmon_alerts_total', help: 'Alerts the rules produced, by rule and kind.', labelNames: ['rule', 'kind'], registers });
    this.#latency = new Histogram({
      name: 'liqmon_delivery_latency_seconds',
      help: 'From the local receive time of the newest liquidation behind an alert to the successful send of the message carrying it, per destination.',
      labelNames: ['sink'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.#scrapeTime(registers);
  }

  /** Read scrape-time metrics from this runtime (until then they are empty). */
  attach(target: MetricsTarget): void {
    this.#target = target;
  }

  /**
   * Serve the store's metrics, read from `store` at scrape time. Without a store (`store: false`, a dry
   * run) they are not registered at all, so `liqmon_store_up` never reads 0 for a store nobody wanted.
   */
  attachStore(store: { status(): StoreStatus }): void {
    const { Counter, Gauge } = prom();
    const registers = [this.registry];
    new Gauge({
      name: 'liqmon_store_up',
      help: '1 while the store writes liquidations; 0 when it is off (failed) or paused (disk full). Alerts go on either way.',
      registers,
      collect() {
        this.set(store.status().state === 'on' ? 1 : 0);
      },
    });
    new Counter({
      name: 'liqmon_store_rows_written_total',
      help: 'Liquidations written to the store since start.',
      registers,
      collect() {
        this.reset();
        this.inc(store.status().written);
      },
    });
    new Counter({
      name: 'liqmon_store_rows_not_stored_total',
      help: 'Liquidations not written to the store, by reason: duplicate (already stored), full, locked, corrupt, unwritable, other.',
      labelNames: ['reason'],
      registers,
      collect() {
        this.reset();
        for (const [reason, value] of Object.entries(store.status().notStored)) this.inc({ reason }, value);
      },
    });
  }

  /**
   * Serve the outbox journal's metrics, read from `journal` at scrape time; not registered without one
   * (`store: false`, a dry run).
   */
  attachJournal(journal: JournalStatusSource): void {
    const { Counter, Gauge } = prom();
    const registers = [this.registry];
    new Gauge({
      name: 'liqmon_journal_up',
      help: '1 while alerts are written to the outbox journal before delivery; 0 when it failed or is off (delivery goes on in memory).',
      registers,
      collect() {
        this.set(journal.status().state === 'ok' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'liqmon_journal_pending_alerts',
      help: 'Alerts in the outbox journal not yet delivered or settled, one per sink destination.',
      registers,
      collect() {
        this.set(journal.status().pending ?? 0);
      },
    });
    new Counter({
      name: 'liqmon_journal_recovered_alerts_total',
      help: 'Alerts the last run left undelivered, queued again at start.',
      registers,
      collect() {
        this.reset();
        this.inc(journal.status().recovered);
      },
    });
    new Counter({
      name: 'liqmon_journal_failures_total',
      help: 'Outbox journal calls (writes, marks, the read at start) that failed since start.',
      registers,
      collect() {
        this.reset();
        this.inc(journal.status().failures);
      },
    });
  }

  /** Serve the cluster's metrics (cluster-metrics.ts), read at scrape time; not registered for a single instance. */
  attachCluster(cluster: ClusterStatusSource): void {
    registerClusterMetrics(prom(), this.registry, cluster);
  }

  /** Count one decoded liquidation. Hot path: one Map lookup and one increment. */
  onEvent(event: Liquidation): void {
    labelled(this.#receivedChildren, this.#received, { exchange: event.exchange, market: event.market }).inc();
  }

  /** Count one alert. */
  onAlert(alert: Alert): void {
    labelled(this.#alertChildren, this.#alerts, { rule: alert.rule, kind: alert.kind }).inc();
  }

  /** Observe the latency of alerts just delivered by `sink` (digests carry no events: skipped). */
  onDelivered(sink: string, alerts: readonly Alert[]): void {
    const now = this.#now();
    for (const alert of alerts) {
      const newest = alert.events[alert.events.length - 1]; // events are oldest first
      if (newest) this.#latency.observe({ sink }, Math.max(0, now - newest.receivedAt) / 1000);
    }
  }

  /** The Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** Content-Type of {@link text}. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Metrics whose values are read from the runtime's own counters when scraped. */
  #scrapeTime(registers: Registry[]): void {
    const { Counter, Gauge } = prom();
    const sources = () => this.#target?.sources.map((s) => ({ name: s.name, health: s.health() })) ?? [];
    const sinks = () => Object.entries(this.#target?.delivery.stats().sinks ?? {});
    // Counters fed from totals: reset, then set to the total (prom-client counters have no `set`).
    const fromTotals = <L extends string>(name: string, help: string, labelNames: L[], read: () => [LabelValues<L>, number][]) =>
      new Counter({
        name,
        help,
        labelNames,
        registers,
        collect() {
          this.reset();
          for (const [labels, value] of read()) this.inc(labels, value);
        },
      });
    const gauge = <L extends string>(name: string, help: string, labelNames: L[], read: () => [LabelValues<L>, number][]) =>
      new Gauge({
        name,
        help,
        labelNames,
        registers,
        collect() {
          this.reset();
          for (const [labels, value] of read()) this.set(labels, value);
        },
      });
    const perSource = (pick: (h: SourceHealth & SourceStats) => number | undefined) => () =>
      sources().flatMap(({ name, health }): [LabelValues<'source'>, number][] => {
        const value = pick(health);
        return value === undefined ? [] : [[{ source: name }, value]];
      });

    gauge('liqmon_source_connected', '1 while the source has an open feed connection, else 0.', ['source'], perSource((h) => (h.connected ? 1 : 0)));
    gauge('liqmon_source_last_message_age_seconds', 'Seconds since the source last received a frame.', ['source'],
      perSource((h) => (h.lastMessageAt === undefined ? undefined : Math.max(0, this.#now() - h.lastMessageAt) / 1000)));
    fromTotals('liqmon_source_reconnects_total', 'Reconnects of the source feeds since start.', ['source'], perSource((h) => h.reconnects));
    fromTotals('liqmon_source_restarts_total', 'Failed source starts retried by core.', ['source'], perSource((h) => h.restarts));
    fromTotals('liqmon_source_frames_total', 'Raw frames received from the source.', ['source'], perSource((h) => h.frames));
    fromTotals('liqmon_source_malformed_frames_total', 'Frames the source could not decode (dropped and logged).', ['source'], perSource((h) => h.malformed));
    // Reasons come from core's fixed list (liquidation-check.ts), never from exchange data: bounded series.
    fromTotals('liqmon_events_invalid_total', 'Liquidations dropped by core\'s checks before the rules, by source and reason (price, notional_too_large, time, ...).', ['source', 'reason'], () =>
      sources().flatMap(({ name, health }) =>
        Object.entries(health.invalidByReason ?? {}).map(([reason, value]): [LabelValues<'source' | 'reason'>, number] => [{ source: name, reason }, value]),
      ),
    );
    fromTotals('liqmon_source_unknown_instrument_frames_total', 'Frames skipped because their instrument is not in the source\'s instrument list yet (an instrument refresh follows).', ['source'], perSource((h) => h.unknownInstrument ?? 0));
    fromTotals('liqmon_source_oversized_frames_total', 'Frames dropped unread for being larger than the source\'s maxFrameBytes.', ['source'], perSource((h) => h.oversized ?? 0));
    fromTotals('liqmon_liquidations_deduplicated_total', 'Liquidations dropped as already seen (same id).', [], () => {
      const stats = this.#target?.rules?.stats();
      return stats ? [[{}, stats.deduped]] : [];
    });

    fromTotals('liqmon_deliveries_total', 'Alerts per sink by outcome: sent, or the reason they were not (fatal, rejected, attempts, render, shutdown).', ['sink', 'outcome'], () =>
      sinks().flatMap(([sink, stats]) => {
        const totals = new Map<string, number>([['sent', 0], ...FAILURE_REASONS.map((r): [string, number] => [r, 0])]);
        for (const outbox of Object.values(stats.destinations)) {
          totals.set('sent', (totals.get('sent') ?? 0) + outbox.sent);
          for (const reason of FAILURE_REASONS) totals.set(reason, (totals.get(reason) ?? 0) + outbox.failed[reason]);
        }
        return [...totals].map(([outcome, value]): [LabelValues<'sink' | 'outcome'>, number] => [{ sink, outcome }, value]);
      }),
    );
    const perSink = (pick: (o: DeliveryStats['sinks'][string]['destinations'][string]) => number) => () =>
      sinks().map(([sink, stats]): [LabelValues<'sink'>, number] => [{ sink }, Object.values(stats.destinations).reduce((sum, o) => sum + pick(o), 0)]);
    fromTotals('liqmon_delivery_messages_total', 'Messages sent per sink (several alerts can share one).', ['sink'], perSink((o) => o.messages));
    fromTotals('liqmon_delivery_retries_total', 'Failed sends that were retried, per sink.', ['sink'], perSink((o) => o.retried));
    fromTotals('liqmon_delivery_rate_limited_total', 'Waits a sink\'s server asked for (HTTP 429, flood control), per sink: not failures.', ['sink'], perSink((o) => o.rateLimited));
    fromTotals('liqmon_delivery_folded_total', 'Alerts folded into an overflow digest, per sink.', ['sink'], perSink((o) => o.folded));
    gauge('liqmon_delivery_queue_depth', 'Alerts waiting to be sent, per sink (all destinations).', ['sink'], perSink((o) => o.waiting));
    gauge('liqmon_sink_failed', '1 once the sink stopped on a fatal error (fix its config and restart), else 0.', ['sink'], () =>
      sinks().map(([sink, stats]): [LabelValues<'sink'>, number] => [{ sink }, stats.state === 'failed' ? 1 : 0]),
    );
    // Counted per sink, not labelled by destination: destinations are chat ids, which stay out of labels.
    gauge(
      'liqmon_sink_destinations_failed',
      'Destinations of the sink stopped on a fatal error of their own (an unknown chat), or all of them once the sink stopped.',
      ['sink'],
      perSink((o) => (o.state === 'failed' ? 1 : 0)),
    );
  }
}
