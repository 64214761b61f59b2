/**
 * Every way the database can fail, described in one message that names the file and says how to fix
 * it ({@link describeFailure}; store-error.ts makes core's `StoreError` of it). SQLite reports failures by result code (`SQLITE_CORRUPT`,
 * `SQLITE_BUSY`, extended codes such as `SQLITE_IOERR_WRITE`); the file system by errno (`EACCES`).
 */
import type { StoreFailureReason } from '@liqmon/core';

/** Result-code prefixes per reason; extended codes (`SQLITE_READONLY_DBMOVED`) match their primary. */
const REASONS: readonly [StoreFailureReason, readonly string[]][] = [
  ['corrupt', ['SQLITE_CORRUPT', 'SQLITE_NOTADB']],
  ['locked', ['SQLITE_BUSY', 'SQLITE_LOCKED']],
  ['full', ['SQLITE_FULL']],
  ['unwritable', ['SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_PERM', 'SQLITE_AUTH', 'EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST']],
];

/** The reason behind a failure of the database or its folder. */
export function failureReason(error: unknown): StoreFailureReason {
  const code = errorCode(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'full';
  for (const [reason, prefixes] of REASONS) if (code !== undefined && prefixes.some((p) => code === p || code.startsWith(`${p}_`))) return reason;
  // better-sqlite3 throws a plain TypeError, without a code, for a folder that does not exist.
  if (error instanceof Error && /directory does not exist/i.test(error.message)) return 'unwritable';
  return 'other';
}

/** A failure described: its reason, a message naming the file, and the fix. Plain data, so it crosses threads. */
export interface StoreFailure {
  reason: StoreFailureReason;
  message: string;
  hint: string;
}

/**
 * The description of `error`, which happened while `doing` (`open`, `write to`, ...) with `file`. No
 * dependency on core: the writer thread loads this module, and stays small without core.
 */
export function describeFailure(error: unknown, file: string, doing: string): StoreFailure {
  const reason = failureReason(error);
  const code = errorCode(error);
  const detail = `${error instanceof Error ? error.message : String(error)}${code !== undefined ? ` (${code})` : ''}`;
  const [what, hint] = TEXTS[reason](file);
  return { reason, message: `Cannot ${doing} the store ${file}: ${what}: ${detail}.`, hint };
}

const TEXTS: Record<StoreFailureReason, (file: string) => [string, string]> = {
  corrupt: (file) => [
    'it is not a liqmon database or it is damaged',
    `Move it aside (mv ${file} ${file}.broken, and its -wal and -shm files) and restart: liqmon starts a new one. Or set \`store.path\` to another file.`,
  ],
  locked: (file) => [
    'another process holds its write lock',
    `Close what holds ${file} open for writing (another liqmon start with the same store, an sqlite3 shell in a transaction), or give this instance its own \`store.path\`, and restart.`,
  ],
  unwritable: (file) => [
    'the file or its folder cannot be written',
    `Make the folder of ${file} writable by the user running liqmon, or set \`store.path\` to a writable place (or \`store: false\`), and restart.`,
  ],
  full: () => [
    'the disk (or the database size limit) is full',
    'Free disk space: liqmon pauses storing, counts what it could not store, and resumes by itself.',
  ],
  other: (file) => ['an unexpected database error', `Check the disk and the file ${file}; \`store: false\` turns the store off.`],
};

function errorCode(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}
