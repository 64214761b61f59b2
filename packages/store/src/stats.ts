/**
 * {@link LiquidationStats} of a period, computed by SQL over the stored liquidations: what
 * `liqmon stats` prints, and what the dashboard's `/api/stats` and summary alerts can call. The
 * numbers are those core's in-memory statistics give for the same events: the period is by exchange
 * `time` (`since` inclusive, `until` exclusive), sizes are `notionalUsd`, groups and top bases are
 * ranked by USD total then by name, the median of an even count is the mean of the two middle sizes.
 * Totals may differ from an in-memory sum in the last digits (SQLite sums with compensation).
 *
 * Without `minUsd`, the period is read from the roll-ups (period-parts.ts): raw rows only for the
 * partial minutes at its edges. With `minUsd` every raw row of the period is read, as roll-ups cannot
 * tell sizes apart. The median is exact up to `EXACT_MEDIAN_MAX_ROWS` liquidations and estimated
 * (within 0.5%) above (median.ts).
 */
import type { LiquidationStats, StatsGroup, StatsGroupKey, StatsQuery, StatsTally, StatsTopEntry } from '@liqmon/core';
import { minUsdParam, periodMedian, rawWhere } from './median.js';
import type { StoreDatabase } from './open.js';
import { periodParts, type PeriodPart } from './period-parts.js';

/** Default of {@link StatsQuery.top}. */
export const DEFAULT_STATS_TOP = 10;

/** One row of the grouped scans: a slice of the period by side, `by` value, base, exchange and sampling. */
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

/** The columns of the group keys: the same names as the fields, in both the raw and the roll-up table. */
const GROUP_COLUMNS: Record<StatsGroupKey, string> = { exchange: 'exchange', base: 'base', symbol: 'symbol', side: 'side', market: 'market' };

/** The statistics of the stored liquidations in `query`'s period. */
export function queryStats(db: StoreDatabase, query: StatsQuery): LiquidationStats {
  const by = query.by ?? 'exchange';
  const parts: PeriodPart[] = query.minUsd === undefined ? periodParts(query.since, query.until) : [{ source: 'raw', since: query.since, until: query.until }];
  const slices = parts.flatMap((part) => sliceRows(db, GROUP_COLUMNS[by], part, query.minUsd));

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
      median: empty ? null : periodMedian(db, { count, min, max, since: query.since, until: query.until, minUsd: query.minUsd, parts }),
    },
    groups: ranked(groups).map(([key, t]): StatsGroup => ({ key, count: t.count, totalUsd: t.totalUsd, share: share(t.totalUsd) })),
    top: ranked(bases)
      .slice(0, query.top ?? DEFAULT_STATS_TOP)
      .map(([base, t]): StatsTopEntry => ({ base, count: t.count, totalUsd: t.totalUsd, share: share(t.totalUsd) })),
    sampledExchanges: [...sampled].sort(),
  };
}

/** The slices of one part of the period: a grouped scan of its raw rows, or of its span's roll-ups. */
function sliceRows(db: StoreDatabase, column: string, part: PeriodPart, minUsd: number | undefined): SliceRow[] {
  const keys = `side, ${column} AS key, base, exchange, sampled`;
  const groupBy = `GROUP BY side, ${column}, base, exchange, sampled`;
  if (part.source === 'raw') {
    return db
      .prepare<object, SliceRow>(
        `SELECT ${keys}, count(*) AS count, total(notional_usd) AS usd, min(notional_usd) AS min, max(notional_usd) AS max
           FROM liquidations WHERE ${rawWhere(minUsd)} ${groupBy}`,
      )
      .all({ since: part.since, until: part.until, ...minUsdParam(minUsd) });
  }
  return db
    .prepare<object, SliceRow>(
      `SELECT ${keys}, sum(count) AS count, total(usd) AS usd, min(min) AS min, max(max) AS max
         FROM liquidation_rollups WHERE span = @span AND start >= @since AND start < @until ${groupBy}`,
    )
    .all({ span: part.source, since: part.since, until: part.until });
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
