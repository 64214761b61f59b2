/**
 * Where the store of a config lives: `store.path` (relative to the config's folder), by default
 * `liqmon.db` beside the config; nowhere with `store: false`.
 */
import { resolve } from 'node:path';
import type { LoadedConfig, StoreConfig } from '@liqmon/core/runtime';

/** The default file name of the store, beside the config. */
export const DEFAULT_STORE_FILE = 'liqmon.db';

/**
 * The absolute path of the store's database, or undefined for `store: false`. `dir` is the config's
 * folder, which a relative `store.path` is relative to.
 */
export function storeFile(store: StoreConfig, dir: string): string | undefined {
  if (store === false) return undefined;
  return resolve(dir, store.path ?? DEFAULT_STORE_FILE);
}

/** One line for `liqmon validate`: where the store is and how long it keeps events, or that it is off. */
export function describeStore(config: Pick<LoadedConfig, 'dir' | 'core'>): string {
  const store = config.core.store;
  const file = storeFile(store, config.dir);
  if (file === undefined || store === false) return 'store: off (store: false)';
  const days = store.retention / 86_400_000;
  const keeps = store.retention === 0 ? 'keeps everything' : `keeps ${Number.isInteger(days) ? `${days}d` : `${store.retention / 3_600_000}h`}`;
  return `store: ${file} (${keeps})`;
}
