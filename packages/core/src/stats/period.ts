/**
 * Periods of summary alerts: where they end (`summary.every` and `summary.at`, UTC), and the seam
 * through which a host supplies a period's statistics from a store instead of from memory.
 */
import type { MatchConfig } from '../config/schema.js';
import type { LiquidationStats, StatsQuery } from './types.js';

/** `HH:MM` (UTC) as ms after midnight; undefined when the text is not such a time. */
export function parseTimeOfDay(text: string): number | undefined {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!match) return undefined;
  return (Number(match[1]) * 60 + Number(match[2])) * 60_000;
}

/**
 * The first period end strictly after `time`. Periods end at `offsetMs` plus whole multiples of
 * `everyMs` from the Unix epoch: with `every: 1d, at: "08:00"` at 08:00 UTC each day, with `every: 4h`
 * at 00:00, 04:00, ... UTC, and with an `every` that does not divide a day (`7h`, `7d`), on the same
 * grid from 1970-01-01 (`7d` ends on Thursdays).
 */
export function nextPeriodEnd(time: number, everyMs: number, offsetMs: number): number {
  return offsetMs + (Math.floor((time - offsetMs) / everyMs) + 1) * everyMs;
}

/** Which summary a host is asked the statistics of. */
export interface PeriodStatsScope {
  /** Name of the summary rule. */
  rule: string;
  /**
   * The rule's `match`, which {@link StatsQuery} cannot express: a host that cannot apply it answers
   * undefined for a rule that has one.
   */
  match?: MatchConfig;
}

/**
 * Statistics of a period from outside the rules, e.g. from the store, so that a daily summary after a
 * restart still covers the whole day. Called when a period ends; `undefined` means "cannot answer",
 * and the rule's own in-memory statistics are sent instead. Must not throw (a throw counts as
 * undefined and is logged).
 */
export type PeriodStats = (query: StatsQuery, scope: PeriodStatsScope) => LiquidationStats | undefined;
