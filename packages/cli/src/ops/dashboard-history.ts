/**
 * The dashboard's history: what the store of `store:` in the config can answer. This version of
 * liqmon keeps no history yet, so the history endpoints say so (503) and the page counts from when it
 * opened; the live stream works either way.
 */
import type { LoadedConfig } from '@liqmon/core/runtime';
import type { HistorySource } from '@liqmon/dashboard';

/** The history the dashboard reads for `config`, or why there is none. */
export function dashboardHistory(_config: LoadedConfig): HistorySource {
  return { unavailable: 'this liqmon keeps no store of past liquidations' };
}
