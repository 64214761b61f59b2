/**
 * {@link LiquidationStats} of a period, computed by SQL over the stored liquidations: what
 * `liqmon stats` prints, and what the dashboard's `/api/stats` and summary alerts can call. The
 * numbers are those core's in-memory statistics give for the same events: the period is by exchange
 * `time` (`since` inclusive, `until` exclusive), sizes are `notionalUsd`, groups and top bases are
 * ranked by USD total then by name, the median of an even count is the mean of the two middle sizes.
 * Totals may differ from an in-memory sum in the last digits (SQLite sums with compensation).
 */
import type { LiquidationStats, StatsGroup, StatsGroupKey, StatsQuery, StatsTally, StatsTopEntry } from '@liqmon/core';
import type { StoreDatabase } from './open.js';

/** Default of {@link StatsQuery.top}. */
export const DEFAULT_STATS_TOP = 10;

/** One row of the grouped scan: a slice of the period by side, `by` value, base, exchange and sampling. */
interface SliceRow {
  side: 'long' | 'short';
  key: string;
  base: string;
  exchange: string;
  sampled: number;
  count: number;
  usd: number;
  min: number;
  max: number;
}

/** The columns of the group keys: the same names as the fields. */
const GROUP_COLUMNS: Record<StatsGroupKey, string> = { exchange: 'exchange', base: 'base', symbol: 'symbol', side: 'side', market: 'market' };

/** The statistics of the stored liquidations in `query`'s period. One grouped scan, and one for the median. */
export function queryStats(db: StoreDatabase, query: StatsQuery): LiquidationStats {
  const by = query.by ?? 'exchange';
  const column = GROUP_COLUMNS[by];
  const where = `time >= @since AND time < @until${query.minUsd !== undefined ? ' AND notional_usd >= @minUsd' : ''}`;
  const params = { since: query.since, until: query.until, ...(query.minUsd !== undefined ? { minUsd: query.minUsd } : {}) };
  const slices = db
    .prepare<typeof params, SliceRow>(
      `SELECT side, ${column} AS key, base, exchange, sampled, count(*) AS count, total(notional_usd) AS usd,
              min(notional_usd) AS min, max(notional_usd) AS max
         FROM liquidations WHERE ${where}
        GROUP BY side, ${column}, base, exchange, sampled`,
    )
    .all(params);

  let count = 0;
  let totalUsd = 0;
  let min = Infinity;
  let max = -Infinity;
  const sides: Record<'long' | 'short', StatsTally> = { long: { count: 0, totalUsd: 0 }, short: { count: 0, totalUsd: 0 } };
  const groups = new Map<string, StatsTally>();
  const bases = new Map<string, StatsTally>();
  const sampled = new Set<string>();
  for (const slice of slices) {
    count += slice.count;
    totalUsd += slice.usd;
    if (slice.min < min) min = slice.min;
    if (slice.max > max) max = slice.max;
    add(sides[slice.side], slice);
    add(tally(groups, slice.key), slice);
    add(tally(bases, slice.base), slice);
    if (slice.sampled) sampled.add(slice.exchange);
  }
  const share = (usd: number) => (totalUsd > 0 ? usd / totalUsd : 0);
  const empty = count === 0;
  return {
    since: query.since,
    until: query.until,
    by,
    minUsd: query.minUsd ?? null,
    count,
    totalUsd,
    sides,
    size: {
      min: empty ? null : min,
      max: empty ? null : max,
      average: empty ? null : totalUsd / count,
      median: empty ? null : median(db, where, params, count),
    },
    groups: ranked(groups).map(([key, t]): StatsGroup => ({ key, count: t.count, totalUsd: t.totalUsd, share: share(t.totalUsd) })),
    top: ranked(bases)
      .slice(0, query.top ?? DEFAULT_STATS_TOP)
      .map(([base, t]): StatsTopEntry => ({ base, count: t.count, totalUsd: t.totalUsd, share: share(t.totalUsd) })),
    sampledExchanges: [...sampled].sort(),
  };
}

/** The middle size (the mean of the two middle ones for an even count). */
function median(db: StoreDatabase, where: string, params: object, count: number): number {
  const low = Math.floor((count - 1) / 2);
  const middle = db
    .prepare(`SELECT notional_usd FROM liquidations WHERE ${where} ORDER BY notional_usd LIMIT ? OFFSET ?`)
    .pluck()
    .all(params, count % 2 === 0 ? 2 : 1, low) as number[];
  return middle.length === 2 ? (middle[0]! + middle[1]!) / 2 : middle[0]!;
}

function tally(map: Map<string, StatsTally>, key: string): StatsTally {
  let entry = map.get(key);
  if (!entry) map.set(key, (entry = { count: 0, totalUsd: 0 }));
  return entry;
}

function add(into: StatsTally, slice: SliceRow): void {
  into.count += slice.count;
  into.totalUsd += slice.usd;
}

/** Largest USD total first; equal totals by key, so the order is the same on every run. */
function ranked(map: Map<string, StatsTally>): [string, StatsTally][] {
  return [...map].sort((a, b) => b[1].totalUsd - a[1].totalUsd || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
