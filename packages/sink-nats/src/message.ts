/**
 * What the NATS sink publishes for a batch of alerts: every liquidation behind them, once, to
 * `<prefix>.liq.<exchange>.<base>` with its id as `Nats-Msg-Id` (JetStream drops a second copy within
 * the stream's duplicate window), and with `alerts: true` each alert to `<prefix>.alert.<kind>.<rule>`.
 * The payload of a liquidation is its JSON, the normalized event with exactly the documented fields.
 */
import { createHash } from 'node:crypto';
import type { Alert, Liquidation } from '@liqmon/core';
import { alertSubject, liquidationSubject } from './bus/subjects.js';

/** One message to publish. */
export interface BusPublish {
  subject: string;
  /** UTF-8 JSON. */
  data: string;
  /** `Nats-Msg-Id`: the liquidation id, or a hash of the alert's JSON. */
  msgID: string;
}

/** One rendered batch: the publishes, in order. */
export interface NatsMessage {
  publishes: BusPublish[];
}

/** The liquidation's documented fields in the documented order (nothing a source may have added). */
export function liquidationJson(event: Liquidation): string {
  const { id, exchange, market, symbol, base, quote, side, price, priceKind, quantity, notionalUsd, time, receivedAt, sampled, source } = event;
  return JSON.stringify({ id, exchange, market, symbol, base, quote, side, price, priceKind, quantity, notionalUsd, time, receivedAt, sampled, source });
}

/** Render alerts (merged) into the publishes for them. */
export function renderPublishes(alerts: readonly Alert[], prefix: string, withAlerts: boolean): NatsMessage {
  const publishes: BusPublish[] = [];
  const seen = new Set<string>();
  for (const alert of alerts) {
    for (const event of alert.events) {
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      publishes.push({ subject: liquidationSubject(prefix, event.exchange, event.base), data: liquidationJson(event), msgID: event.id });
    }
    if (withAlerts) {
      const data = JSON.stringify(alert);
      // The same alert object always hashes the same: a retried publish is dropped as a duplicate.
      const msgID = `alert:${createHash('sha256').update(data).digest('hex').slice(0, 32)}`;
      publishes.push({ subject: alertSubject(prefix, alert.kind, alert.rule), data, msgID });
    }
  }
  return { publishes };
}
