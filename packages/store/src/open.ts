/**
 * Opening the database file: the one place that sets the connection up (WAL, busy timeout) and turns
 * every failure into a {@link StoreError} naming the file and the fix.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { storeFailure } from './failure.js';
import { migrate } from './migrations.js';

/** The database connection type of better-sqlite3, as this package uses it. */
export type StoreDatabase = Database.Database;

/**
 * How long a write waits for another connection's write lock before it fails as `locked`, in ms. In WAL
 * mode only another writer holds it (readers never do), and only for a transaction. Writes are
 * synchronous, so this wait stalls the event loop, once: a lock held longer turns the store off.
 */
export const DEFAULT_BUSY_TIMEOUT_MS = 2_000;

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
    db = new Database(file, { readonly, fileMustExist: readonly, timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
    if (readonly) {
      // A read touches the file header: a file that is not a database fails here, not at the first query.
      db.pragma('schema_version');
    } else {
      // WAL: readers (`liqmon stats`) never block the writer, and the writer never blocks them.
      db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode: a commit survives a crash of liqmon; only a power loss can lose the last ones.
      db.pragma('synchronous = NORMAL');
      migrate(db);
    }
    return db;
  } catch (error) {
    db?.close();
    throw storeFailure(error, file, 'open');
  }
}
