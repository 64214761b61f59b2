import type { Liquidation } from './liquidation.js';
import type { LiquidationStats } from './stats/types.js';

/**
 * What rules hand to sinks. A rule turns one or more {@link Liquidation}s into an alert; core's
 * formatter renders it and the sink's outbox delivers it.
 */
export type Alert = LiquidationAlert | CascadeAlert | DigestAlert | SummaryAlert;

/** Kinds of alert a rule can produce. */
export type AlertKind = Alert['kind'];

interface AlertBase {
  /**
   * Stable key of the alert: the same rule, kind and liquidations give the same id on every instance
   * and every run (see `alertId`). Set by delivery when the alert has none.
   */
  id?: string;
  /** Name of the rule that produced the alert. */
  rule: string;
  /** The normalized liquidations behind the alert, oldest first. */
  events: readonly Liquidation[];
  /** Local time the alert was created, ms since epoch. */
  createdAt: number;
}

/** One liquidation that passed a rule. */
export interface LiquidationAlert extends AlertBase {
  kind: 'liquidation';
  /**
   * Alerts of the same rule and key that arrived inside the rule's cooldown and were folded into this
   * one instead of being sent on their own ("+N more, $X").
   */
  folded?: AlertTally;
  /**
   * On an alert with `folded`: every liquidation behind it, the headline included. `events` then lists
   * only the largest of them (at most 10, oldest first), so these tallies are what count.
   */
  count?: number;
  /** On an alert with `folded`: total USD notional of every liquidation behind it. */
  totalUsd?: number;
  /** On an alert with `folded`: exchange time of the first and last liquidation behind it, ms since epoch. */
  firstTime?: number;
  lastTime?: number;
}

/**
 * A rolling window whose total reached the rule's `aggregate` bar. The tallies cover the window that
 * reached the bar; on an update of a running cascade they cover the cascade from its start to now, and
 * `events` holds the liquidations added since the last report. `events` lists at most the last 50 (what
 * a message can show); `count` and the tallies cover every one.
 */
export interface CascadeAlert extends AlertBase {
  kind: 'cascade';
  /** The `aggregate.by` fields and their values for this window, e.g. `{ base: 'BTC', side: 'long' }`. */
  key: Readonly<Record<string, string>>;
  /** Window length in ms. */
  windowMs: number;
  /** Number of liquidations in the window. */
  count: number;
  /** Total USD notional in the window. */
  totalUsd: number;
  /** Count and USD per exchange. */
  byExchange: Readonly<Record<string, AlertTally>>;
  /** The largest single liquidation in the window. */
  largest: Liquidation;
  /** Exchange time of the first and last liquidation in the window, ms since epoch. */
  firstTime: number;
  lastTime: number;
  /**
   * Price of the cascade's earliest and latest liquidation (exchange time) since it started, where the
   * rule tracks them (all of one base asset). Without them the formatter uses `events`.
   */
  firstPrice?: number;
  lastPrice?: number;
  /**
   * For an update of a cascade already reported: what was added since the last report
   * ("+$3.1M more in the last 60s"). Absent on the first report.
   */
  sinceLastReport?: AlertTally & { sinceMs: number };
}

/**
 * Made by delivery, not by rules: when a sink's outbox overflows, its oldest waiting alerts are folded
 * into one digest ("+37 more liquidations, $4.2M in total") so that nothing disappears uncounted.
 * `events` is empty (the folded events are not kept, which is what bounds memory); the tallies say what
 * was folded.
 */
export interface DigestAlert extends AlertBase {
  kind: 'digest';
  /** Number of alerts folded into the digest. */
  alerts: number;
  /** Number of liquidations behind those alerts. */
  count: number;
  /** Total USD notional of those liquidations. */
  totalUsd: number;
  /** Exchange time of the first and last folded liquidation, ms since epoch. */
  firstTime: number;
  lastTime: number;
  /** The largest single liquidation folded, where known. */
  largest?: Liquidation;
}

/**
 * The statistics of one period, sent by a rule with `summary:` when the period ends ("24h: $1.24B
 * liquidated, 68% longs; ..."). `events` is empty: the statistics say what the period held. Sent for a
 * period without liquidations too (`stats.count` 0).
 */
export interface SummaryAlert extends AlertBase {
  kind: 'summary';
  /** Length of the period (`summary.every`), ms. The period is `stats.since` to `stats.until`. */
  periodMs: number;
  /** The period's statistics: grouped by exchange, `top` the rule's `summary.top` base assets. */
  stats: LiquidationStats;
  /**
   * Set when the statistics start later than the period: liqmon started during it and no store could
   * answer for the time before. Exchange time from which events were counted, ms since epoch.
   */
  countedFrom?: number;
}

/** A count of liquidations and their total USD notional. */
export interface AlertTally {
  count: number;
  notionalUsd: number;
}
