/**
 * The median size of a period for `queryStats`: exact (the middle rows by `ORDER BY notional_usd`) when
 * the period holds at most {@link EXACT_MEDIAN_MAX_ROWS} liquidations, otherwise estimated from the
 * size histograms of the roll-ups (plus the raw rows of the edges): the middle of the 1% bin holding
 * the middle rank, within 0.5% of the exact median, read in time independent of the row count.
 */
import type { PeriodPart } from './period-parts.js';
import type { StoreDatabase } from './open.js';
import { SIZE_BIN_SQL, sizeBinMiddle } from './rollups.js';

/**
 * Up to this many liquidations in a period, the median is exact: sorting them takes about 50 ms or
 * less on a small shared server (measured in docs/performance.md); above, it is estimated.
 */
export const EXACT_MEDIAN_MAX_ROWS = 20_000;

/** What the median is computed over. */
export interface MedianScope {
  /** Liquidations in the period (after `minUsd`). */
  count: number;
  /** The smallest and largest size: an estimate is kept between them. */
  min: number;
  max: number;
  /** The period, whole: for the exact median. */
  since: number;
  until: number;
  minUsd?: number | undefined;
  /** The period cut for the roll-ups (one raw part when `minUsd` is set: roll-ups cannot filter by size). */
  parts: readonly PeriodPart[];
}

/** The middle size (the mean of the two middle ones for an even count); `scope.count` must be > 0. */
export function periodMedian(db: StoreDatabase, scope: MedianScope): number {
  const low = Math.floor((scope.count - 1) / 2);
  const high = Math.floor(scope.count / 2);
  if (scope.count <= EXACT_MEDIAN_MAX_ROWS) {
    const middle = db
      .prepare(`SELECT notional_usd FROM liquidations WHERE ${rawWhere(scope.minUsd)} ORDER BY notional_usd LIMIT ? OFFSET ?`)
      .pluck()
      .all({ since: scope.since, until: scope.until, ...minUsdParam(scope.minUsd) }, high - low + 1, low) as number[];
    return (middle[0]! + middle[middle.length - 1]!) / 2;
  }
  const bins = histogram(db, scope);
  const estimate = (sizeBinMiddle(binOfRank(bins, low)) + sizeBinMiddle(binOfRank(bins, high))) / 2;
  // A bin's middle may lie just outside the real range: as core's in-memory median does.
  return Math.min(scope.max, Math.max(scope.min, estimate));
}

/** Bin -> count over the parts of the period. */
function histogram(db: StoreDatabase, scope: MedianScope): Map<number, number> {
  const bins = new Map<number, number>();
  const raw = db.prepare<object, { bin: number; count: number }>(
    `SELECT ${SIZE_BIN_SQL} AS bin, count(*) AS count FROM liquidations WHERE ${rawWhere(scope.minUsd)} GROUP BY bin`,
  );
  const rolled = db.prepare<object, { bin: number; count: number }>(
    'SELECT bin, sum(count) AS count FROM liquidation_sizes WHERE span = @span AND start >= @since AND start < @until GROUP BY bin',
  );
  for (const part of scope.parts) {
    const rows =
      part.source === 'raw'
        ? raw.all({ since: part.since, until: part.until, ...minUsdParam(scope.minUsd) })
        : rolled.all({ span: part.source, since: part.since, until: part.until });
    for (const row of rows) bins.set(row.bin, (bins.get(row.bin) ?? 0) + row.count);
  }
  return bins;
}

/** The bin holding the size of rank `rank` (0 = smallest). */
function binOfRank(bins: Map<number, number>, rank: number): number {
  const ordered = [...bins.keys()].sort((a, b) => a - b);
  let seen = 0;
  for (const bin of ordered) {
    seen += bins.get(bin)!;
    if (seen > rank) return bin;
  }
  return ordered[ordered.length - 1] ?? 0;
}

/** The raw rows of `@since <= time < @until`, at least `@minUsd` when it is set. */
export function rawWhere(minUsd: number | undefined): string {
  return `time >= @since AND time < @until${minUsd !== undefined ? ' AND notional_usd >= @minUsd' : ''}`;
}

/** The `@minUsd` parameter of {@link rawWhere}, when it is set. */
export function minUsdParam(minUsd: number | undefined): { minUsd?: number } {
  return minUsd !== undefined ? { minUsd } : {};
}
