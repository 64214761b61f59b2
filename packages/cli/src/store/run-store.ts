/**
 * The store of `liqmon start`: opened from the config (unless `store: false` or a dry run), fed with
 * every liquidation that passed core's checks, closed after the runtime has stopped. Opening never
 * throws: a database that cannot be used leaves the store off, with one error line, and alerting on.
 */
import type { Logger } from '@liqmon/core';
import type { LoadedConfig } from '@liqmon/core/runtime';
import { Store } from '@liqmon/store';
import { storeFile } from './location.js';

/** The store for this run, or undefined when the config turns it off. */
export function openRunStore(config: LoadedConfig, logger: Logger): Store | undefined {
  const file = storeFile(config.core.store, config.dir);
  if (file === undefined || config.core.store === false) {
    // Also the outbox journal's line: without a store, delivery is in memory only (docs/delivery.md).
    logger.info(
      'store: off (store: false in the config); liqmon stats, export and replay --from-db have nothing to read, and alerts still queued when liqmon is killed are lost',
    );
    return undefined;
  }
  const store = Store.open({ file, retentionMs: config.core.store.retention, logger: logger.child({ component: 'store' }) });
  if (store.status().state === 'on') logger.info(`store: ${file}`);
  return store;
}
