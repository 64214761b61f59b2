/**
 * Roll-ups of the stored liquidations, kept at write time so that statistics of long periods read a few
 * thousand aggregate rows instead of millions of raw ones. Two spans, a minute and an hour; for each
 * span start:
 * - `liquidation_rollups`: count, USD total, min and max per exchange, market, symbol, base, side and
 *   sampling: every number of `LiquidationStats` but the median;
 * - `liquidation_sizes`: how many sizes fall in each bin of a log scale 1% wide (bin `b` holds
 *   `1.01^b <= usd < 1.01^(b+1)`), for the median: a bin's middle is within 0.5% of any size in it.
 *   Core's in-memory statistics use the same bins past their exact cap.
 *
 * {@link rollUp} adds the rows stored after a given `seq` in the same transaction as their insert, so
 * the roll-ups always hold exactly the raw rows (an event ignored as a duplicate makes no row, so it is
 * never counted); retention deletes whole hours of both.
 */
import type { Statement } from 'better-sqlite3';
import type { StoreDatabase } from './open.js';

/** A minute, ms: the finer span (the edges of a period, the dashboard's chart). */
export const MINUTE_SPAN = 60_000;
/** An hour, ms: the coarser span (the middle of a period). */
export const HOUR_SPAN = 3_600_000;
/** The spans kept, finest first. */
export const ROLLUP_SPANS = [MINUTE_SPAN, HOUR_SPAN] as const;

/** Ratio between the bounds of a size bin (the same as core's `SizeSample`). */
export const SIZE_BIN_RATIO = 1.01;

/**
 * The size bin of the `notional_usd` column, in SQL (needs SQLite's math functions, which the
 * better-sqlite3 build has). Sizes at or below 1e-9 (none should be: core checks events) share the
 * lowest bin, as in core.
 */
export const SIZE_BIN_SQL = `CAST(floor(ln(max(notional_usd, 1e-9)) / ${Math.log(SIZE_BIN_RATIO)}) AS INTEGER)`;

/** The middle of size bin `bin`, USD: what an estimated median reports. */
export function sizeBinMiddle(bin: number): number {
  return SIZE_BIN_RATIO ** (bin + 0.5);
}

/** One upsert per span and table; `@after` is the last `seq` already rolled up. */
function rollUpSql(span: number): string[] {
  const start = `(time / ${span}) * ${span}`;
  return [
    // `WHERE` before `ON CONFLICT`: SQLite's parser needs it to tell the upsert from a join.
    `INSERT INTO liquidation_rollups (span, start, exchange, market, symbol, base, side, sampled, count, usd, min, max)
       SELECT ${span}, ${start}, exchange, market, symbol, base, side, sampled, count(*), total(notional_usd), min(notional_usd), max(notional_usd)
         FROM liquidations WHERE seq > @after
        GROUP BY 2, exchange, market, symbol, base, side, sampled
       ON CONFLICT DO UPDATE SET count = count + excluded.count, usd = usd + excluded.usd,
                                 min = min(min, excluded.min), max = max(max, excluded.max)`,
    `INSERT INTO liquidation_sizes (span, start, bin, count)
       SELECT ${span}, ${start}, ${SIZE_BIN_SQL}, count(*) FROM liquidations WHERE seq > @after GROUP BY 2, 3
       ON CONFLICT DO UPDATE SET count = count + excluded.count`,
  ];
}

const prepared = new WeakMap<StoreDatabase, { upserts: Statement[]; lastSeq: Statement }>();

function statements(db: StoreDatabase): { upserts: Statement[]; lastSeq: Statement } {
  let entry = prepared.get(db);
  if (!entry) {
    entry = {
      upserts: ROLLUP_SPANS.flatMap(rollUpSql).map((sql) => db.prepare(sql)),
      lastSeq: db.prepare('SELECT coalesce(max(seq), 0) FROM liquidations').pluck(),
    };
    prepared.set(db, entry);
  }
  return entry;
}

/** The largest `seq` stored (0 for none): read before inserting, then passed to {@link rollUp}. */
export function lastSeq(db: StoreDatabase): number {
  return statements(db).lastSeq.get() as number;
}

/**
 * Add the liquidations with `seq > afterSeq` to both spans of the roll-ups. Call it in the transaction
 * that inserted them, with the {@link lastSeq} read before the inserts, so that a reader never sees rows
 * without their roll-ups.
 */
export function rollUp(db: StoreDatabase, afterSeq: number): void {
  for (const upsert of statements(db).upserts) upsert.run({ after: afterSeq });
}
