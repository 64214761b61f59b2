/**
 * `liqmon stats [--since 24h] [--until T] [--by exchange|base|symbol|side|market] [--min-usd X]
 * [--top N] [--json] [-c config]`: statistics of the stored liquidations of a period, read-only (works
 * while `liqmon start` runs). Exit 0; 1 when the store cannot be read; 2 for bad options.
 */
import { parseAmount, STATS_GROUP_KEYS, type StatsGroupKey, UsageError } from '@liqmon/core';
import { queryStats } from '@liqmon/store';
import { printOut } from '../output.js';
import { parsePeriod } from '../store/period.js';
import { openStoreReader } from '../store/reader.js';
import { formatStats } from '../store/stats-table.js';

export interface StatsOptions {
  config?: string;
  since?: string;
  until?: string;
  by?: string;
  minUsd?: string;
  top?: string;
  json?: boolean;
}

export async function statsCommand(opts: StatsOptions): Promise<number> {
  const period = parsePeriod(opts);
  const by = (opts.by ?? 'exchange') as StatsGroupKey;
  if (!STATS_GROUP_KEYS.includes(by)) throw new UsageError(`--by "${opts.by}" is not one of ${STATS_GROUP_KEYS.join(', ')}.`);
  const minUsd = opts.minUsd === undefined ? undefined : parseAmount(opts.minUsd);
  if (opts.minUsd !== undefined && minUsd === undefined) throw new UsageError(`--min-usd "${opts.minUsd}" is not an amount.`, { hint: 'Write it as 50000, 50k or 1.5M.' });
  const top = opts.top === undefined ? undefined : Number(opts.top);
  if (top !== undefined && !(Number.isInteger(top) && top > 0)) throw new UsageError(`--top "${opts.top}" is not a positive whole number.`);
  const { db, file } = await openStoreReader(opts.config === undefined ? {} : { configPath: opts.config });
  try {
    const stats = queryStats(db, { ...period, by, ...(minUsd !== undefined ? { minUsd } : {}), ...(top !== undefined ? { top } : {}) });
    printOut(opts.json ? `${JSON.stringify(stats, null, 2)}\n` : formatStats(stats, file));
    return 0;
  } finally {
    db.close();
  }
}
