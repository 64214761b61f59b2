/**
 * The statistics of the liquidations in a period. One shape for everything that reports them:
 * `liqmon stats --json`, the dashboard's `GET /api/stats`, and summary alerts. Computed from the
 * store with SQL, or in memory from the events a run has seen; both must give the same numbers for
 * the same events.
 */
import type { LiquidationSide } from '../liquidation.js';

/** Fields statistics can be grouped by (`liqmon stats --by`, `GET /api/stats?by=`). */
export const STATS_GROUP_KEYS = ['exchange', 'base', 'symbol', 'side', 'market'] as const;

/** A field statistics can be grouped by. */
export type StatsGroupKey = (typeof STATS_GROUP_KEYS)[number];

/** What a set of statistics covers. */
export interface StatsQuery {
  /** Start of the period, ms since the Unix epoch, inclusive (event `time`). */
  since: number;
  /** End of the period, ms since the Unix epoch, exclusive. */
  until: number;
  /** Grouping of {@link LiquidationStats.groups}. @default 'exchange' */
  by?: StatsGroupKey;
  /** Only liquidations of at least this many USD. */
  minUsd?: number;
  /** How many entries {@link LiquidationStats.top} holds. @default 10 */
  top?: number;
}

/** Count and USD total of one slice of the period. */
export interface StatsTally {
  count: number;
  totalUsd: number;
}

/** One group of {@link LiquidationStats.groups}. */
export interface StatsGroup extends StatsTally {
  /** The group's value of the `by` field (`binance`, `BTC`, `long`, ...). */
  key: string;
  /** This group's part of the period's USD total, 0..1 (0 when the total is 0). */
  share: number;
}

/** One entry of {@link LiquidationStats.top}: a base asset, across exchanges and markets. */
export interface StatsTopEntry extends StatsTally {
  base: string;
  share: number;
}

/** The statistics of a period. Sizes are USD notional; `null` when the period holds no liquidation. */
export interface LiquidationStats {
  since: number;
  until: number;
  by: StatsGroupKey;
  minUsd: number | null;
  count: number;
  totalUsd: number;
  /** Liquidated positions by side. */
  sides: Record<LiquidationSide, StatsTally>;
  size: { min: number | null; max: number | null; average: number | null; median: number | null };
  /** Tallies by the `by` field, largest USD total first. */
  groups: StatsGroup[];
  /** Base assets with the largest USD totals, largest first. */
  top: StatsTopEntry[];
  /**
   * Exchanges in the period whose feeds publish only a sample (`sampled: true`): where this is not
   * empty, counts and totals are a lower bound.
   */
  sampledExchanges: string[];
}
