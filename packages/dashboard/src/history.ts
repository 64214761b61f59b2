/**
 * What the dashboard asks of the stored history (the store of `store:` in the config). The host (the
 * CLI) adapts its store to this; without one, the history endpoints answer 503 with the reason and the
 * page works from the live stream alone.
 */
import type { LiquidationStats, StatsQuery } from '@liqmon/core';
import type { LiquidationFilter } from './filter.js';
import type { LiquidationView, SeriesView } from './shapes.js';

/** `GET /api/liquidations`: a period, a filter and how many, newest first. */
export interface LiquidationQuery extends LiquidationFilter {
  /** ms since epoch, inclusive (event `time`). */
  since: number;
  /** ms since epoch, exclusive. */
  until: number;
  limit: number;
}

/** `GET /api/series`: liquidated USD per step of `stepMs` over a period. */
export interface SeriesQuery {
  since: number;
  until: number;
  stepMs: number;
}

/** Stored history, as the dashboard reads it. Each method may answer synchronously or not. */
export interface DashboardHistory {
  /** Liquidations of the period passing the filter, newest first, at most `limit`. */
  liquidations(query: LiquidationQuery): LiquidationView[] | Promise<LiquidationView[]>;
  /**
   * The statistics of a period, the same numbers as `liqmon stats --json`. Absent where the store
   * cannot compute them: `/api/stats` answers 503 and the page counts its totals live.
   */
  stats?(query: StatsQuery): LiquidationStats | Promise<LiquidationStats>;
  /** Liquidated USD by side per step, oldest first, empty steps included. */
  series(query: SeriesQuery): SeriesView | Promise<SeriesView>;
}

/** The history, or why there is none (`store: false` in the config, a file that could not be opened). */
export type HistorySource = { history: DashboardHistory } | { unavailable: string };
