/**
 * Summary rules' statistics from the store, for `liqmon start` (never for a replay, whose periods are
 * the recording's): a daily summary after a restart then covers the whole day, not only what this run
 * saw. The store answers only when it can answer right; otherwise the rule's in-memory statistics are
 * sent (RuntimeOptions.periodStats).
 */
import type { PeriodStats } from '@liqmon/core';
import { queryStats, type Store } from '@liqmon/store';

/**
 * The store's answer for a summary period, or undefined when it cannot give the rule's numbers: the
 * rule has a `match` (the SQL filters by time and size only), or the store is not writing (off, or
 * paused by a full disk: rows of the period are missing). What is still buffered is written first.
 */
export function storePeriodStats(store: Store): PeriodStats {
  return (query, scope) => {
    const db = store.db;
    if (scope.match || !db || store.status().state !== 'on') return undefined;
    store.flush();
    return queryStats(db, query);
  };
}
