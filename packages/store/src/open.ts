/**
 * Opening the database file: the one place that sets the connection up (WAL, busy timeout) and turns
 * every failure into a {@link StoreError} naming the file and the fix.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { connect, DEFAULT_BUSY_TIMEOUT_MS, type StoreDatabase } from './connection.js';
import { migrate } from './migrations.js';
import { storeFailure } from './store-error.js';

export { DEFAULT_BUSY_TIMEOUT_MS, type StoreDatabase };

export interface OpenOptions {
  /**
   * Open read-only (`liqmon stats`, `export`, `replay --from-db`): no migration, no write, works while
   * `liqmon start` writes (WAL readers do not block the writer). The file must exist.
   * @default false
   */
  readonly?: boolean;
  /** @default {@link DEFAULT_BUSY_TIMEOUT_MS} */
  busyTimeoutMs?: number;
}

/**
 * Open (creating it and its folder if needed) the database at `file`, in WAL mode, with its schema
 * migrated to the current version.
 * @throws StoreError (corrupt, locked, unwritable, full, other) naming `file` and the fix.
 */
export function openDatabase(file: string, options: OpenOptions = {}): StoreDatabase {
  const readonly = options.readonly === true;
  let db: StoreDatabase | undefined;
  try {
    if (!readonly) mkdirSync(dirname(file), { recursive: true });
    db = connect(file, options);
    if (!readonly) migrate(db);
    return db;
  } catch (error) {
    db?.close();
    throw storeFailure(error, file, 'open');
  }
}
