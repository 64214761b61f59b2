/**
 * {@link LiquidationStats} of one period computed in memory from the events a run sees: what summary
 * alerts use when no store answers. Memory is bounded whatever the number of events: a count and a USD
 * total per side, per group (`by`) and per base asset, the min and max, the sampled exchanges, and the
 * sizes for the median ({@link SizeSample}: exact up to 100,000 events, within 0.5% beyond). A feed
 * that invents names cannot grow the tallies without bound either: past {@link MAX_STATS_KEYS} distinct
 * groups or bases, further ones are tallied together under {@link OTHER_KEY}.
 */
import type { Liquidation } from '../liquidation.js';
import { SizeSample } from './sizes.js';
import type { LiquidationStats, StatsGroup, StatsGroupKey, StatsQuery, StatsTally, StatsTopEntry } from './types.js';

/** Distinct groups, and distinct base assets, tallied one by one per period. */
export const MAX_STATS_KEYS = 10_000;

/** The key under which groups or bases beyond {@link MAX_STATS_KEYS} are tallied. */
export const OTHER_KEY = '(other)';

/** Default of {@link StatsQuery.top}. */
const DEFAULT_TOP = 10;

/** Tallies the events of one {@link StatsQuery} period; `stats()` answers at any time. */
export class StatsAccumulator {
  private readonly since: number;
  private readonly until: number;
  private readonly by: StatsGroupKey;
  private readonly minUsd: number;
  private count = 0;
  private totalUsd = 0;
  private min = Infinity;
  private max = -Infinity;
  private readonly sides: Record<'long' | 'short', StatsTally> = { long: { count: 0, totalUsd: 0 }, short: { count: 0, totalUsd: 0 } };
  private readonly groups = new Map<string, StatsTally>();
  private readonly bases = new Map<string, StatsTally>();
  private readonly sampled = new Set<string>();
  private readonly sizes: SizeSample;
  private readonly maxKeys: number;

  constructor(
    private readonly query: StatsQuery,
    options: { exactSizes?: number; maxKeys?: number } = {},
  ) {
    this.since = query.since;
    this.until = query.until;
    this.by = query.by ?? 'exchange';
    this.minUsd = query.minUsd ?? -Infinity;
    this.sizes = new SizeSample(options.exactSizes);
    this.maxKeys = options.maxKeys ?? MAX_STATS_KEYS;
  }

  /**
   * Count `event` if it falls in the period (its exchange `time`, `since` inclusive, `until` exclusive)
   * and is at least `minUsd`. Returns whether it was counted.
   */
  add(event: Liquidation): boolean {
    const usd = event.notionalUsd;
    if (event.time < this.since || event.time >= this.until || usd < this.minUsd) return false;
    this.count++;
    this.totalUsd += usd;
    if (usd < this.min) this.min = usd;
    if (usd > this.max) this.max = usd;
    const side = this.sides[event.side];
    side.count++;
    side.totalUsd += usd;
    tally(this.groups, String(event[this.by]), usd, this.maxKeys);
    tally(this.bases, event.base, usd, this.maxKeys);
    if (event.sampled) this.sampled.add(event.exchange);
    this.sizes.add(usd);
    return true;
  }

  /** The statistics of what was counted so far. */
  stats(): LiquidationStats {
    const total = this.totalUsd;
    const share = (usd: number) => (total > 0 ? usd / total : 0);
    const groups: StatsGroup[] = ranked(this.groups).map(([key, t]) => ({ key, count: t.count, totalUsd: t.totalUsd, share: share(t.totalUsd) }));
    const top: StatsTopEntry[] = ranked(this.bases)
      .slice(0, this.query.top ?? DEFAULT_TOP)
      .map(([base, t]) => ({ base, count: t.count, totalUsd: t.totalUsd, share: share(t.totalUsd) }));
    const empty = this.count === 0;
    const median = this.sizes.median();
    return {
      since: this.since,
      until: this.until,
      by: this.by,
      minUsd: this.query.minUsd ?? null,
      count: this.count,
      totalUsd: total,
      sides: { long: { ...this.sides.long }, short: { ...this.sides.short } },
      size: {
        min: empty ? null : this.min,
        max: empty ? null : this.max,
        average: empty ? null : total / this.count,
        // Past the exact cap the histogram's bin middle may lie just outside the real range.
        median: median === undefined ? null : Math.min(this.max, Math.max(this.min, median)),
      },
      groups,
      top,
      sampledExchanges: [...this.sampled].sort(),
    };
  }
}

/** Statistics of `events` for `query`: what {@link StatsAccumulator} gives after seeing all of them. */
export function computeStats(events: Iterable<Liquidation>, query: StatsQuery): LiquidationStats {
  const accumulator = new StatsAccumulator(query);
  for (const event of events) accumulator.add(event);
  return accumulator.stats();
}

function tally(map: Map<string, StatsTally>, key: string, usd: number, maxKeys: number): void {
  let entry = map.get(key);
  if (!entry) {
    const name = map.size >= maxKeys ? OTHER_KEY : key;
    entry = map.get(name);
    if (!entry) map.set(name, (entry = { count: 0, totalUsd: 0 }));
  }
  entry.count++;
  entry.totalUsd += usd;
}

/** Largest USD total first; equal totals by key, so the order is the same on every run. */
function ranked(map: Map<string, StatsTally>): [string, StatsTally][] {
  return [...map].sort((a, b) => b[1].totalUsd - a[1].totalUsd || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
