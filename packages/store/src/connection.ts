/**
 * A connection to the database file, set up the one way liqmon uses it: WAL (readers never block the
 * writer, nor the writer them), `synchronous = NORMAL` (a commit survives a crash of liqmon; only a
 * power loss can lose the last ones) and a busy timeout. No schema work and no core import: the writer
 * thread connects with this, after the main thread has opened and migrated the file (open.ts).
 */
import Database from 'better-sqlite3';

/** The database connection type of better-sqlite3, as this package uses it. */
export type StoreDatabase = Database.Database;

/**
 * How long a write waits for another connection's write lock before it fails as `locked`, in ms. In WAL
 * mode only another writer holds it (readers never do), and only for a transaction. A lock held longer
 * turns the store off.
 */
export const DEFAULT_BUSY_TIMEOUT_MS = 2_000;

/**
 * Page cache of a connection, KiB. better-sqlite3 builds SQLite with 16 MB per connection, and liqmon
 * runs two (the main thread's reads, the writer thread's writes): 32 MB of a small server's memory for
 * pages the OS caches anyway. SQLite's own default is 2 MB.
 */
export const DEFAULT_CACHE_KIB = 2_000;

export interface ConnectOptions {
  /** Read only: no write, no pragma that writes; the file must exist. @default false */
  readonly?: boolean;
  /** @default {@link DEFAULT_BUSY_TIMEOUT_MS} */
  busyTimeoutMs?: number;
  /** @default {@link DEFAULT_CACHE_KIB} */
  cacheKiB?: number;
}

/** Connect to `file` (created if missing, unless read-only). Throws better-sqlite3's errors as they are. */
export function connect(file: string, options: ConnectOptions = {}): StoreDatabase {
  const readonly = options.readonly === true;
  const db = new Database(file, { readonly, fileMustExist: readonly, timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
  try {
    db.pragma(`cache_size = -${Math.round(options.cacheKiB ?? DEFAULT_CACHE_KIB)}`);
    if (readonly) {
      // A read touches the file header: a file that is not a database fails here, not at the first query.
      db.pragma('schema_version');
    } else {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
