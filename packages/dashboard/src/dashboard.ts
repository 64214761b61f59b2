/**
 * The dashboard: the page at `/`, its files under `/assets/`, and the API under `/api`. The host's
 * HTTP server hands it each request it does not answer itself, and feeds it the runtime's events,
 * alerts and delivery outcomes. Authentication is the host server's (it covers every route).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Alert, Liquidation } from '@liqmon/core';
import { AlertLog } from './alert-log.js';
import { handleApi } from './api.js';
import { loadAssets, type Asset } from './assets.js';
import { EventStream, type EventStreamLimits, type EventStreamStats } from './event-stream.js';
import type { HistorySource } from './history.js';
import { send } from './respond.js';

export interface DashboardOptions {
  /** The stored history, or why there is none. */
  history: HistorySource;
  /** liqmon's version, shown by `/api/info`. */
  version: string;
  /** @default Date.now */
  now?: () => number;
  /** Folder of the built page (tests). @default `dist/public/` of this package */
  assetsDir?: string;
  /** Limits of `/api/stream`; defaults in {@link EVENT_STREAM_LIMITS}. */
  stream?: Partial<EventStreamLimits>;
  /** Alerts kept for `/api/alerts`. @default 500 */
  alertCapacity?: number;
}

export class Dashboard {
  readonly #assets: Map<string, Asset>;
  readonly #stream: EventStream;
  readonly #alerts: AlertLog;
  #history: HistorySource;
  readonly #now: () => number;
  readonly #version: string;

  /** @throws Error when the page's files are missing (the package was not built). */
  constructor(options: DashboardOptions) {
    this.#assets = loadAssets(options.assetsDir);
    this.#stream = new EventStream(options.stream);
    this.#history = options.history;
    this.#now = options.now ?? Date.now;
    this.#version = options.version;
    this.#alerts = new AlertLog({
      ...(options.alertCapacity === undefined ? {} : { capacity: options.alertCapacity }),
      onAlert: (view) => this.#stream.publish('alert', view),
      onDelivery: (update) => this.#stream.publish('delivery', update),
    });
  }

  /** Replace the history (the host opens its store after the dashboard exists). */
  setHistory(history: HistorySource): void {
    this.#history = history;
  }

  /** Runtime `onEvent`: every liquidation, to the stream's viewers. */
  onEvent(event: Liquidation): void {
    this.#stream.publishLiquidation(event);
  }

  /** Runtime `onAlert`: an alert the rules produced, for these sinks. */
  onAlert(alert: Alert, sinks: readonly string[]): void {
    this.#alerts.add(alert, sinks);
  }

  /** A sink sent these alerts. */
  onDelivered(sink: string, alerts: readonly Alert[]): void {
    this.#alerts.delivered(sink, alerts);
  }

  /** A send of these alerts failed; `error` must be redacted already. */
  onDeliveryFailed(sink: string, alerts: readonly Alert[], error: string): void {
    this.#alerts.failed(sink, alerts, error);
  }

  /**
   * Answer a GET or HEAD for the page, its files or the API. False when the path is none of them.
   */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const asset = this.#assets.get(url.pathname);
    if (asset) {
      send(req, res, 200, asset.contentType, asset.body);
      return true;
    }
    return handleApi(req, res, url, { history: this.#history, alerts: this.#alerts, stream: this.#stream, now: this.#now, version: this.#version });
  }

  /** Paths answered besides `/api/...`, for a 404 message. */
  paths(): string[] {
    return [...this.#assets.keys()].filter((path) => path === '/');
  }

  /** Counters of the event stream. */
  streamStats(): EventStreamStats {
    return this.#stream.stats();
  }

  /** End every stream. */
  close(): void {
    this.#stream.close();
  }
}
