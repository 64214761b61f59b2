/**
 * Queries of the dashboard's API: the latest liquidations of a period with filters
 * (`GET /api/liquidations`), and liquidated USD per step by side (`GET /api/series`, the chart): the
 * first reads through the indexes on time (and exchange or base with time), the second from the minute
 * roll-ups where it can.
 */
import type { Liquidation, LiquidationSide } from '@liqmon/core';
import type { StoreDatabase } from './open.js';
import { MINUTE_SPAN } from './rollups.js';
import { COLUMN_LIST, rowToLiquidation, type LiquidationRow } from './rows.js';

/** A period (event `time`, `since` inclusive, `until` exclusive) and optional filters. */
export interface RecentQuery {
  since: number;
  until: number;
  /** Exchanges (lowercase), any of them. */
  exchange?: readonly string[];
  /** Base assets (uppercase), any of them. */
  base?: readonly string[];
  side?: LiquidationSide;
  /** At least this many USD. */
  minUsd?: number;
  /** How many, newest first. */
  limit: number;
}

/** The liquidations of the period passing the filters, newest first, at most `limit`. */
export function recentLiquidations(db: StoreDatabase, query: RecentQuery): Liquidation[] {
  const where = ['time >= ?', 'time < ?'];
  const params: unknown[] = [query.since, query.until];
  const anyOf = (column: string, values: readonly string[] | undefined) => {
    if (!values || values.length === 0) return;
    where.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  anyOf('exchange', query.exchange);
  anyOf('base', query.base);
  if (query.side) {
    where.push('side = ?');
    params.push(query.side);
  }
  if (query.minUsd !== undefined) {
    where.push('notional_usd >= ?');
    params.push(query.minUsd);
  }
  params.push(query.limit);
  const sql = `SELECT ${COLUMN_LIST} FROM liquidations WHERE ${where.join(' AND ')} ORDER BY time DESC, seq DESC LIMIT ?`;
  return db.prepare<unknown[], LiquidationRow>(sql).all(...params).map(rowToLiquidation);
}

/** A period cut in steps. */
export interface SeriesQuery {
  since: number;
  until: number;
  /** Length of a step, ms. */
  stepMs: number;
}

/** One step: liquidated USD by side. */
export interface SeriesPoint {
  /** Start of the step, ms since epoch. */
  time: number;
  longUsd: number;
  shortUsd: number;
}

/**
 * Liquidated USD per step of the period by side, oldest first, empty steps included. When the steps
 * are whole minutes starting on a minute (the dashboard's chart), whole minutes are read from the
 * minute roll-ups and only the partial minute at the end from raw rows; otherwise every raw row.
 */
export function liquidationSeries(db: StoreDatabase, query: SeriesQuery): SeriesPoint[] {
  const { since, until, stepMs } = query;
  const steps = Math.max(0, Math.ceil((until - since) / stepMs));
  const points: SeriesPoint[] = Array.from({ length: steps }, (_, i) => ({ time: since + i * stepMs, longUsd: 0, shortUsd: 0 }));
  const rolled = stepMs % MINUTE_SPAN === 0 && since % MINUTE_SPAN === 0;
  const rawSince = rolled ? Math.max(since, Math.floor(until / MINUTE_SPAN) * MINUTE_SPAN) : since;
  type StepRow = { step: number; side: LiquidationSide; usd: number };
  const rows = db
    .prepare<[number, number, number, number], StepRow>(
      'SELECT CAST((time - ?) / ? AS INTEGER) AS step, side, SUM(notional_usd) AS usd FROM liquidations WHERE time >= ? AND time < ? GROUP BY step, side',
    )
    .all(since, stepMs, rawSince, until);
  if (rolled && rawSince > since) {
    rows.push(
      ...db
        .prepare<[number, number, number, number, number], StepRow>(
          'SELECT CAST((start - ?) / ? AS INTEGER) AS step, side, SUM(usd) AS usd FROM liquidation_rollups WHERE span = ? AND start >= ? AND start < ? GROUP BY step, side',
        )
        .all(since, stepMs, MINUTE_SPAN, since, rawSince),
    );
  }
  for (const row of rows) {
    const point = points[row.step];
    if (!point) continue;
    if (row.side === 'long') point.longUsd += row.usd;
    else point.shortUsd += row.usd;
  }
  return points;
}
