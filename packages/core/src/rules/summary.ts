/**
 * A summary rule's schedule: tallies the events it is given by period (their exchange `time`) and,
 * when a period ends, emits one `summary` alert with the period's statistics, on the rules' clock (live
 * real time; in a replay, the recording's). A period is summarised {@link SUMMARY_SETTLE_MS} after its
 * end, so that liquidations of its last moments, which reach liqmon (and a store) a little later, are
 * counted. Stopping cancels the schedule: a period that has not ended is never summarised.
 *
 * Memory: at most two periods are open at once (the one ending next, and the one after it for events
 * that arrive during the settle time), each a bounded {@link StatsAccumulator}. Events of other periods
 * (older than the open ones, or far ahead of the clock) are not counted.
 */
import type { Alert, SummaryAlert } from '../alert.js';
import type { MatchConfig, SummaryConfig } from '../config/schema.js';
import type { Liquidation } from '../liquidation.js';
import { StatsAccumulator } from '../stats/accumulator.js';
import { nextPeriodEnd, parseTimeOfDay, type PeriodStats } from '../stats/period.js';
import type { LiquidationStats, StatsQuery } from '../stats/types.js';
import type { Scheduler, Timer } from './timers.js';

/** How long after a period's end its summary is made. */
export const SUMMARY_SETTLE_MS = 5_000;

/** What a summary schedule needs from its rule and engine. */
export interface SummaryHost {
  rule: string;
  match: MatchConfig | undefined;
  minUsd: number | undefined;
  now: () => number;
  timers: Scheduler;
  emit: (alert: Alert) => void;
  periodStats: PeriodStats | undefined;
  /** `periodStats` threw: say so (the in-memory statistics are sent). */
  periodStatsFailed: (error: unknown) => void;
}

export class SummarySchedule {
  private readonly everyMs: number;
  private readonly offsetMs: number;
  /** Open periods by start time. */
  private readonly periods = new Map<number, StatsAccumulator>();
  /** End of the period summarised next; 0 before `start()`. */
  private end = 0;
  /** When counting began, for the first period only. */
  private countedFrom: number | undefined;
  private timer: Timer | undefined;
  private stopped = false;

  constructor(
    private readonly config: SummaryConfig,
    private readonly host: SummaryHost,
  ) {
    this.everyMs = config.every;
    this.offsetMs = parseTimeOfDay(config.at) ?? 0;
  }

  /** Whether the schedule runs. */
  get started(): boolean {
    return this.end > 0;
  }

  /** Arm the schedule at the clock's time: the first summary covers the period under way. Idempotent. */
  start(): void {
    if (this.started || this.stopped) return;
    const now = this.host.now();
    // The period under way is the first; one that has just ended is not summarised from what little
    // could be counted of it (the store's statistics cover it, but nothing announced it: see docs).
    this.end = nextPeriodEnd(now, this.everyMs, this.offsetMs);
    if (now > this.end - this.everyMs) this.countedFrom = now;
    this.arm();
  }

  /** Count an event (matched and within `minUsd`) in its period, if that period is open. */
  push(event: Liquidation): void {
    if (!this.started) this.start();
    if (this.stopped) return;
    const start = this.end - this.everyMs;
    const periodStart = event.time < this.end ? start : event.time < this.end + this.everyMs ? this.end : undefined;
    if (periodStart === undefined || event.time < start) return;
    let period = this.periods.get(periodStart);
    if (!period) this.periods.set(periodStart, (period = new StatsAccumulator(this.query(periodStart))));
    period.add(event);
  }

  /** Cancel the schedule; what was counted of the period under way is dropped. Idempotent. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.periods.clear();
  }

  private arm(): void {
    const due = this.end + SUMMARY_SETTLE_MS;
    this.timer = this.host.timers.start(Math.max(0, due - this.host.now()), () => this.fire());
  }

  private fire(): void {
    if (this.stopped) return;
    const since = this.end - this.everyMs;
    const query = this.query(since);
    const supplied = this.supplied(query);
    const stats = supplied ?? (this.periods.get(since) ?? new StatsAccumulator(query)).stats();
    const alert: SummaryAlert = { kind: 'summary', rule: this.host.rule, events: [], createdAt: this.host.now(), periodMs: this.everyMs, stats };
    if (!supplied && this.countedFrom !== undefined) alert.countedFrom = this.countedFrom;
    this.periods.delete(since);
    this.countedFrom = undefined;
    this.end += this.everyMs;
    this.arm();
    this.host.emit(alert);
  }

  private query(since: number): StatsQuery {
    return {
      since,
      until: since + this.everyMs,
      by: 'exchange',
      top: this.config.top,
      ...(this.host.minUsd !== undefined ? { minUsd: this.host.minUsd } : {}),
    };
  }

  private supplied(query: StatsQuery): LiquidationStats | undefined {
    if (!this.host.periodStats) return undefined;
    try {
      return this.host.periodStats(query, { rule: this.host.rule, ...(this.host.match ? { match: this.host.match } : {}) });
    } catch (error) {
      this.host.periodStatsFailed(error);
      return undefined;
    }
  }
}
