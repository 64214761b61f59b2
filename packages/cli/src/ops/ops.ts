/**
 * Operations for `liqmon start`, in one object so that start.ts needs only a few lines: the instance
 * lock, the metrics, the health monitor and the HTTP server, opened and closed in the right order.
 *   open()   take the lock (before anything connects) and create the metrics when `http:` is set;
 *   serve()  attach metrics and health to the runtime and listen (before sources start, so a source
 *            that cannot connect shows up in /healthz);
 *   close()  stop listening and release the lock (after the runtime has stopped).
 */
import type { Logger } from 'pino';
import type { Alert, Liquidation, Redactor, SinkInstance } from '@liqmon/core';
import type { LoadedConfig } from '@liqmon/core/runtime';
import { HealthMonitor, type HealthTarget, type StoreStatusSource } from './health.js';
import { instrumentSink } from './instrument-sink.js';
import { InstanceLock } from './lock.js';
import { Metrics, type MetricsTarget } from './metrics.js';
import { startOpsServer, type OpsServer } from './server.js';

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
  #health: HealthMonitor | undefined;
  #server: OpsServer | undefined;
  #store: StoreStatusSource | undefined;

  private constructor(options: OpsOptions, lock: InstanceLock | undefined) {
    this.#options = options;
    this.#lock = lock;
    this.metrics = options.http !== false && options.config.core.http ? new Metrics() : undefined;
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

  /** Runtime `onEvent` hook, when metrics are on. */
  get onEvent(): ((event: Liquidation) => void) | undefined {
    const metrics = this.metrics;
    return metrics && ((event) => metrics.onEvent(event));
  }

  /** Runtime `onAlert` hook, when metrics are on. */
  get onAlert(): ((alert: Alert) => void) | undefined {
    const metrics = this.metrics;
    return metrics && ((alert) => metrics.onAlert(alert));
  }

  /** Wrap a sink instance to time deliveries (unchanged when metrics are off). */
  wrapSink(name: string, instance: SinkInstance): SinkInstance {
    const metrics = this.metrics;
    return metrics ? instrumentSink(instance, (alerts) => metrics.onDelivered(name, alerts)) : instance;
  }

  /** Report this store in `/healthz` and `/metrics` (call before `serve`; undefined: no store). */
  attachStore(store: StoreStatusSource | undefined): void {
    this.#store = store;
    if (store) this.metrics?.attachStore(store);
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
    const health = new HealthMonitor({ target: runtime, downAfterMs: http.downAfter, redactor, ...(this.#store ? { store: this.#store } : {}) });
    this.#health = health;
    this.#server = await startOpsServer({
      host: http.host,
      port: http.port,
      health: () => health.report(),
      metrics: () => metrics.text(),
      metricsContentType: metrics.contentType,
      logger: logger.child({ component: 'http' }),
    });
    const { url } = this.#server;
    logger.info({ url }, `http: listening on ${url} (health ${url}/healthz, metrics ${url}/metrics)`);
    if (!isLoopback(this.#server.host)) logger.warn(`http: ${url} is reachable from other machines; /healthz and /metrics have no authentication`);
  }

  /** Stop the server and the health sampling, release the lock. Safe to call twice. */
  async close(): Promise<void> {
    this.#health?.close();
    await this.#server?.close();
    this.#server = undefined;
    await this.#lock?.release();
  }
}

function isLoopback(host: string): boolean {
  return host === '::1' || host.startsWith('127.') || host === 'localhost' || host === '::ffff:127.0.0.1';
}
