/**
 * The dashboard's history, read from the store of `liqmon start` (the same connection its writer uses:
 * reads see every flushed row). Without a store, or with one that could not be opened, the reason.
 */
import type { HistorySource } from '@liqmon/dashboard';
import { liquidationSeries, queryStats, recentLiquidations, type StoreDatabase } from '@liqmon/store';

/** What the dashboard reads of the store; `Store` fits it. */
export interface HistoryStore {
  readonly file?: string;
  /** Absent when the file could not be opened. */
  readonly db?: StoreDatabase | undefined;
}

/** The history the dashboard reads, or why there is none. */
export function dashboardHistory(store: HistoryStore | undefined): HistorySource {
  if (!store) return { unavailable: 'the store is off (store: false in the config, or a dry run)' };
  const db = store.db;
  if (!db) return { unavailable: `the store ${store.file ?? ''} could not be opened (see the log and /healthz)` };
  return {
    history: {
      liquidations: (query) => recentLiquidations(db, query),
      // The same query as `liqmon stats --json`: the same numbers.
      stats: (query) => queryStats(db, query),
      series: (query) => ({ ...query, points: liquidationSeries(db, query) }),
    },
  };
}
