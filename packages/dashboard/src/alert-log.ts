/**
 * The latest alerts of this run and where each one went. Rules hand over an alert and the sinks it is
 * for; the sinks' wrappers report each send that succeeded or failed. Bounded: the oldest alerts leave
 * when `capacity` is reached, and so does what is known about their delivery.
 */
import type { Alert, Liquidation } from '@liqmon/core';
import type { AlertDelivery, AlertView, DeliveryUpdate } from './shapes.js';

/** Alerts kept by default. */
export const ALERT_LOG_CAPACITY = 500;

export interface AlertLogOptions {
  /** @default {@link ALERT_LOG_CAPACITY} */
  capacity?: number;
  /** Called when an alert is logged, and when one of its deliveries changes. */
  onAlert?: (view: AlertView) => void;
  onDelivery?: (update: DeliveryUpdate) => void;
}

export class AlertLog {
  readonly #capacity: number;
  readonly #options: AlertLogOptions;
  /** Oldest first. */
  readonly #views: AlertView[] = [];
  /** Alert objects to their view, to find them again when a sink reports (merged sends carry several). */
  readonly #byAlert = new WeakMap<Alert, AlertView>();
  #next = 1;

  constructor(options: AlertLogOptions = {}) {
    this.#capacity = options.capacity ?? ALERT_LOG_CAPACITY;
    this.#options = options;
  }

  /** Log an alert the rules produced, for `sinks` (the enabled part of its rule's `to`). */
  add(alert: Alert, sinks: readonly string[]): AlertView {
    const view = toView(alert, `${this.#next++}`, sinks);
    this.#views.push(view);
    if (this.#views.length > this.#capacity) this.#views.shift();
    this.#byAlert.set(alert, view);
    this.#options.onAlert?.(view);
    return view;
  }

  /** A sink sent these alerts. */
  delivered(sink: string, alerts: readonly Alert[]): void {
    for (const alert of alerts) this.#update(alert, { sink, outcome: 'sent' });
  }

  /**
   * A send of these alerts to `sink` failed (`error` already redacted). Delivery may retry it, so the
   * outcome is `failed` until a later send succeeds.
   */
  failed(sink: string, alerts: readonly Alert[], error: string): void {
    for (const alert of alerts) this.#update(alert, { sink, outcome: 'failed', error });
  }

  #update(alert: Alert, delivery: AlertDelivery): void {
    const view = this.#byAlert.get(alert);
    if (!view) return; // a digest made by delivery, or an alert already gone from the log
    const at = view.deliveries.findIndex((d) => d.sink === delivery.sink);
    if (at < 0) return;
    // A sink with several destinations reports each one: once sent, it stays sent.
    if (view.deliveries[at]!.outcome === 'sent') return;
    view.deliveries[at] = delivery;
    this.#options.onDelivery?.({ alertId: view.id, delivery });
  }

  /** Alerts created at or after `since`, newest first, at most `limit`. */
  latest(since: number, limit: number): AlertView[] {
    const out: AlertView[] = [];
    for (let i = this.#views.length - 1; i >= 0 && out.length < limit; i--) {
      const view = this.#views[i]!;
      if (view.createdAt < since) break;
      out.push(view);
    }
    return out;
  }
}

function toView(alert: Alert, id: string, sinks: readonly string[]): AlertView {
  const deliveries = sinks.map((sink): AlertDelivery => ({ sink, outcome: 'pending' }));
  const base = { id, rule: alert.rule, kind: alert.kind, createdAt: alert.createdAt, deliveries };
  switch (alert.kind) {
    case 'cascade':
      return { ...base, count: alert.count, totalUsd: alert.totalUsd, firstTime: alert.firstTime, lastTime: alert.lastTime, key: { ...alert.key }, largest: { ...alert.largest } };
    case 'summary':
      // A period's statistics on a schedule: counts and totals of the period, no single event.
      return { ...base, count: alert.stats.count, totalUsd: alert.stats.totalUsd, firstTime: alert.stats.since, lastTime: alert.stats.until };
    case 'digest':
      return { ...base, count: alert.count, totalUsd: alert.totalUsd, firstTime: alert.firstTime, lastTime: alert.lastTime, ...(alert.largest ? { largest: { ...alert.largest } } : {}) };
    case 'liquidation': {
      const largest = largestOf(alert.events);
      const total = alert.events.reduce((sum, e) => sum + e.notionalUsd, 0);
      return {
        ...base,
        count: alert.count ?? alert.events.length,
        totalUsd: alert.totalUsd ?? total,
        firstTime: alert.firstTime ?? alert.events[0]?.time ?? alert.createdAt,
        lastTime: alert.lastTime ?? alert.events.at(-1)?.time ?? alert.createdAt,
        ...(largest ? { largest: { ...largest } } : {}),
      };
    }
  }
}

function largestOf(events: readonly Liquidation[]): Liquidation | undefined {
  let largest: Liquidation | undefined;
  for (const event of events) if (!largest || event.notionalUsd > largest.notionalUsd) largest = event;
  return largest;
}
