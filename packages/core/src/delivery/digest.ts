/**
 * Overflow folding: when an outbox holds more than `queueSize` waiting alerts, the oldest waiting single
 * liquidation alerts (cascades only when no single is left) fold into one digest alert that takes the
 * place of the oldest one folded: "+37 more liquidations, $4.2M in total". The digest keeps tallies, not
 * events, which is what bounds memory. Summaries are never folded (a digest could not say what they
 * said, and there is one per rule and period).
 */
import type { Alert, DigestAlert } from '../alert.js';
import type { Liquidation } from '../liquidation.js';

/** A new, empty digest. */
export function newDigest(now: number): DigestAlert {
  return { kind: 'digest', rule: '', events: [], createdAt: now, alerts: 0, count: 0, totalUsd: 0, firstTime: Infinity, lastTime: -Infinity };
}

/** Add an alert's liquidations to a digest. */
export function foldInto(digest: DigestAlert, alert: Alert): void {
  const rules = new Set(digest.rule ? digest.rule.split(', ') : []);
  switch (alert.kind) {
    case 'liquidation':
      digest.alerts++;
      for (const event of alert.events) addEvent(digest, event);
      // A cooldown fold lists only its largest events; its tallies cover the rest.
      if (alert.count !== undefined && alert.totalUsd !== undefined) {
        digest.count += alert.count - alert.events.length;
        digest.totalUsd += alert.totalUsd - sumUsd(alert.events);
        if (alert.firstTime !== undefined && alert.lastTime !== undefined) span(digest, alert.firstTime, alert.lastTime);
      }
      break;
    case 'cascade':
      digest.alerts++;
      digest.count += alert.count;
      digest.totalUsd += alert.totalUsd;
      span(digest, alert.firstTime, alert.lastTime);
      largest(digest, alert.largest);
      break;
    case 'digest':
      digest.alerts += alert.alerts;
      digest.count += alert.count;
      digest.totalUsd += alert.totalUsd;
      span(digest, alert.firstTime, alert.lastTime);
      if (alert.largest) largest(digest, alert.largest);
      break;
  }
  for (const rule of alert.rule ? alert.rule.split(', ') : []) rules.add(rule);
  digest.rule = [...rules].join(', ');
}

function addEvent(digest: DigestAlert, event: Liquidation): void {
  digest.count++;
  digest.totalUsd += event.notionalUsd;
  span(digest, event.time, event.time);
  largest(digest, event);
}

function span(digest: DigestAlert, first: number, last: number): void {
  if (first < digest.firstTime) digest.firstTime = first;
  if (last > digest.lastTime) digest.lastTime = last;
}

function largest(digest: DigestAlert, event: Liquidation): void {
  if (!digest.largest || event.notionalUsd > digest.largest.notionalUsd) digest.largest = event;
}

/** Liquidations and USD behind an alert. */
export function tallyOf(alert: Alert): { liquidations: number; totalUsd: number } {
  if (alert.kind === 'liquidation') return { liquidations: alert.count ?? alert.events.length, totalUsd: alert.totalUsd ?? sumUsd(alert.events) };
  // A summary reports liquidations that other alerts are about; it stands for none of its own.
  if (alert.kind === 'summary') return { liquidations: 0, totalUsd: 0 };
  return { liquidations: alert.count, totalUsd: alert.totalUsd };
}

function sumUsd(events: readonly Liquidation[]): number {
  let total = 0;
  for (const event of events) total += event.notionalUsd;
  return total;
}
