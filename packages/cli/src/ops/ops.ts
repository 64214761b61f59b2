/**
 * Operations for `liqmon start`, in one object so that start.ts needs only a few lines: the instance
 * lock, the metrics, the health monitor and the HTTP server, opened and closed in the right order.
 *   open()   take the lock (before anything connects) and create the metrics when `http:` is set;
 *   serve()  attach metrics and health to the runtime and listen (before sources start, so a source
 *            that cannot connect shows up in /healthz);
 *   close()  stop listening and release the lock (after the runtime has stopped).
 */
import type { Logger } from 'pino';
import { CORE_VERSION, describeError, type Alert, type Liquidation, type Redactor, type SinkInstance } from '@liqmon/core';
import type { LoadedConfig } from '@liqmon/core/runtime';
import { isLoopbackHost } from '@liqmon/core/runtime';
import { Dashboard } from '@liqmon/dashboard';
import { dashboardHistory, type HistoryStore } from './dashboard-history.js';
import type { ClusterStatusSource } from './cluster-metrics.js';
import { HealthMonitor, type HealthTarget, type StoreStatusSource } from './health.js';
import { HttpAuth } from './http-auth.js';
import { instrumentSink } from './instrument-sink.js';
import { InstanceLock } from './lock.js';
import { Metrics, type MetricsTarget } from './metrics.js';
import { startOpsServer, type OpsServer } from './server.js';
import type { JournalStatusSource } from '../store/run-journal.js';

export interface OpsOptions {
  config: LoadedConfig;
  logger: Logger;
  redactor: Redactor;
  /** Take the one-instance lock. @default true */
  lock?: boolean;
  /** Run the `http:` server when the config sets one. @default true */
  http?: boolean;
  /** Folder of the lock file (tests). @default `.liqmon/` beside the config, see lock-location.ts */
  lockDir?: string;
}

/** What `serve` reads; `Runtime` fits it. */
export type OpsRuntime = HealthTarget & MetricsTarget;

export class Ops {
  readonly #options: OpsOptions;
  readonly #lock: InstanceLock | undefined;
  /** Present only when the HTTP server will run: no metrics work at all otherwise. */
  readonly metrics: Metrics | undefined;
  /** The dashboard, with the HTTP server. */
  readonly dashboard: Dashboard | undefined;
  #health: HealthMonitor | undefined;
  #server: OpsServer | undefined;
  #store: StoreStatusSource | undefined;
  #journal: JournalStatusSource | undefined;
  #cluster: ClusterStatusSource | undefined;

  private constructor(options: OpsOptions, lock: InstanceLock | undefined) {
    this.#options = options;
    this.#lock = lock;
    const serving = options.http !== false && options.config.core.http !== undefined;
    this.metrics = serving ? new Metrics() : undefined;
    this.dashboard = serving ? new Dashboard({ history: dashboardHistory(undefined), version: CORE_VERSION }) : undefined;
  }

  /**
   * Take the lock and prepare metrics.
   * @throws InstanceRunningError when another live `liqmon start` holds this config's lock.
   */
  static async open(options: OpsOptions): Promise<Ops> {
    const { config, logger } = options;
    let lock: InstanceLock | undefined;
    if (options.lock !== false && config.file !== undefined) {
      lock = await InstanceLock.acquire(config.file, options.lockDir === undefined ? {} : { dir: options.lockDir });
      if (lock.tookOverFrom !== undefined) logger.warn(`took over the lock of an instance that is gone (pid ${lock.tookOverFrom}); it did not shut down cleanly`);
      logger.debug({ lockFile: lock.file }, 'instance lock taken');
    }
    return new Ops(options, lock);
  }

  /** Runtime `onEvent` hook, when the HTTP server runs (metrics, dashboard). */
  get onEvent(): ((event: Liquidation) => void) | undefined {
    const { metrics, dashboard } = this;
    return (
      metrics &&
      ((event) => {
        metrics.onEvent(event);
        dashboard?.onEvent(event);
      })
    );
  }

  /** Runtime `onAlert` hook, when the HTTP server runs (metrics, dashboard). */
  get onAlert(): ((alert: Alert, sinks: readonly string[]) => void) | undefined {
    const { metrics, dashboard } = this;
    return (
      metrics &&
      ((alert, sinks) => {
        metrics.onAlert(alert);
        dashboard?.onAlert(alert, sinks);
      })
    );
  }

  /** Wrap a sink instance to time deliveries and report their outcome (unchanged when the server is off). */
  wrapSink(name: string, instance: SinkInstance): SinkInstance {
    const { metrics, dashboard } = this;
    const { redactor } = this.#options;
    if (!metrics) return instance;
    return instrumentSink(
      instance,
      (alerts) => {
        metrics.onDelivered(name, alerts);
        dashboard?.onDelivered(name, alerts);
      },
      (alerts, error) => dashboard?.onDeliveryFailed(name, alerts, redactor.cut(describeError(error), 200)),
    );
  }

  /** Report this store in `/healthz` and `/metrics` (call before `serve`; undefined: no store). */
  attachStore(store: (StoreStatusSource & HistoryStore) | undefined): void {
    this.#store = store;
    if (store) this.metrics?.attachStore(store);
    this.dashboard?.setHistory(dashboardHistory(store));
  }

  /** Report this outbox journal in `/healthz` and `/metrics` (call before `serve`; undefined: none). */
  attachJournal(journal: JournalStatusSource | undefined): void {
    this.#journal = journal;
    if (journal) this.metrics?.attachJournal(journal);
  }

  /** Report this cluster in `/healthz` and `/metrics` (call before `serve`; undefined: a single instance). */
  attachCluster(cluster: ClusterStatusSource | undefined): void {
    this.#cluster = cluster;
    if (cluster) this.metrics?.attachCluster(cluster);
  }

  /**
   * Attach to the runtime and start the HTTP server when configured.
   * @throws HttpServerError when the address cannot be bound.
   */
  async serve(runtime: OpsRuntime): Promise<void> {
    const http = this.#options.config.core.http;
    if (!http || !this.metrics) return;
    const { logger, redactor } = this.#options;
    const metrics = this.metrics;
    metrics.attach(runtime);
    const health = new HealthMonitor({
      target: runtime,
      downAfterMs: http.downAfter,
      redactor,
      ...(this.#store ? { store: this.#store } : {}),
      ...(this.#journal ? { journal: this.#journal } : {}),
      ...(this.#cluster ? { cluster: this.#cluster } : {}),
    });
    this.#health = health;
    this.#server = await startOpsServer({
      host: http.host,
      port: http.port,
      health: () => health.report(),
      metrics: () => metrics.text(),
      metricsContentType: metrics.contentType,
      logger: logger.child({ component: 'http' }),
      ...(this.dashboard ? { dashboard: this.dashboard } : {}),
      ...(http.token === undefined ? {} : { auth: new HttpAuth(http.token) }),
    });
    const { url } = this.#server;
    logger.info({ url }, `http: listening on ${url} (dashboard ${url}/, health ${url}/healthz, metrics ${url}/metrics)`);
    if (!isLoopbackHost(this.#server.host)) logger.warn(`http: ${url} is reachable from other machines; every route but /healthz needs the token`);
  }

  /** Stop the server and the health sampling, release the lock. Safe to call twice. */
  async close(): Promise<void> {
    this.#health?.close();
    this.dashboard?.close();
    await this.#server?.close();
    this.#server = undefined;
    await this.#lock?.release();
  }
}
