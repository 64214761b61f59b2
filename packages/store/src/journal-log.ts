/**
 * The outbox journal's write-ahead log: a file beside the database (`liqmon.db-outbox.log`) to which
 * the main thread appends each journal change, one JSON line, before the change goes to the writer
 * thread: the changes of one turn of the event loop with one `write(2)`, at the latest before delivery
 * asks whether an alert is safe. The change is then in the operating system's hands: a killed process (kill -9,
 * out of memory, a crash) cannot lose it, exactly as a commit in WAL mode with `synchronous=NORMAL`
 * cannot be lost, so delivery does not wait for the writer thread's commit before it sends
 * (docs/decisions/store.md, "The journal's log").
 *
 * The log only holds what the database may not have yet: it is emptied whenever the writer thread has
 * committed every change made so far, which at a few alerts a second is after each one. At the next
 * start, what it still holds is applied to the `outbox` table before anything reads it ({@link readLog});
 * every change is idempotent (an insert under a key that exists is skipped, a mark only changes a
 * pending row), so a change both logged and committed is applied twice without harm.
 */
import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { describeError, type Alert, type JournalTarget, type Logger, type SettleReason } from '@liqmon/core';
import { journalRecord, OutboxJournal } from './journal.js';
import type { StoreDatabase } from './open.js';
import type { JournalOp } from './thread/protocol.js';

/** The log of the store `file`: beside it, named after it (as SQLite names its `-wal`). */
export function journalLogFile(storeFile: string): string {
  return `${storeFile}-outbox.log`;
}

/**
 * The log's size at most, in bytes: it only grows past a few records when the writer thread is far
 * behind or failing, and past this it takes no more (changes then wait for the writer's commit).
 */
export const MAX_LOG_BYTES = 64 * 1024 * 1024;

export class JournalLog {
  readonly file: string;
  readonly #fd: number;
  #bytes: number;

  /** Open (create) the log for appending. @throws the file system's error. */
  constructor(file: string) {
    this.file = file;
    this.#fd = openSync(file, 'a', 0o600);
    this.#bytes = 0;
    ftruncateSync(this.#fd, 0);
  }

  /** Bytes in the log. */
  get size(): number {
    return this.#bytes;
  }

  /**
   * Append `lines` (from {@link logLine}) with one write. False when they could not be written whole
   * (disk full, too large a log): the log is cut back to the last whole line, so that one failed
   * append never spoils the lines after it.
   */
  append(lines: string): boolean {
    if (this.#bytes + lines.length > MAX_LOG_BYTES) return false;
    try {
      this.#bytes += writeSync(this.#fd, lines);
      return true;
    } catch {
      try {
        ftruncateSync(this.#fd, this.#bytes);
      } catch {
        // Nothing more to do: the next start skips a line it cannot read.
      }
      return false;
    }
  }

  /** Empty the log: the database has every change it held. */
  clear(): void {
    if (this.#bytes === 0) return;
    ftruncateSync(this.#fd, 0);
    this.#bytes = 0;
  }

  /** Close the log; an empty one is removed. */
  close(): void {
    closeSync(this.#fd);
    if (this.#bytes === 0) unlinkSync(this.file);
  }
}

/**
 * One change as a line of the log. A write carries the alert as JSON, as it is (no JSON string inside
 * JSON: the alert is written once, not escaped again).
 */
export function logLine(op: JournalOp): string {
  if (op.op === 'write') return `{"op":"write","keys":${JSON.stringify(op.keys)},"targets":${JSON.stringify(op.targets)},"alert":${op.record.json}}\n`;
  return `${JSON.stringify(op)}\n`;
}

/** What a log held at start. */
export interface LogContents {
  ops: JournalOp[];
  /** Lines that were not a change (a line cut by a full disk or a crash mid-write). */
  unreadable: number;
}

/** The changes in the log `file` (none when it does not exist). @throws the file system's error. */
export function readLog(file: string): LogContents {
  if (!existsSync(file)) return { ops: [], unreadable: 0 };
  const ops: JournalOp[] = [];
  let unreadable = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    const op = parseLine(line);
    if (op) ops.push(op);
    else unreadable++;
  }
  return { ops, unreadable };
}

function parseLine(line: string): JournalOp | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const fields = value as Record<string, unknown>;
  const keys = fields.keys;
  if (!Array.isArray(keys) || !keys.every((key) => Number.isSafeInteger(key))) return undefined;
  switch (fields.op) {
    case 'write': {
      const { targets, alert } = fields;
      if (!Array.isArray(targets) || !targets.every(isTarget) || targets.length !== keys.length) return undefined;
      if (typeof alert !== 'object' || alert === null) return undefined;
      return { op: 'write', keys: keys as number[], record: journalRecord(alert as Alert), targets };
    }
    case 'delivered':
      return { op: 'delivered', keys: keys as number[] };
    case 'settle':
      return typeof fields.reason === 'string' ? { op: 'settle', keys: keys as number[], reason: fields.reason as SettleReason } : undefined;
    default:
      return undefined;
  }
}

function isTarget(value: unknown): value is JournalTarget {
  if (typeof value !== 'object' || value === null) return false;
  const target = value as Record<string, unknown>;
  return typeof target.sink === 'string' && typeof target.destination === 'string';
}

/** The log a run appends to, once the last run's is read back. */
export interface StartedLog {
  /** Undefined when the last run's log could not be read back (it is kept) or no log can be written. */
  log: JournalLog | undefined;
  /** The largest key the last run's log held (0 for none): keys of this run start above it. */
  lastKey: number;
}

/**
 * At start, before anything reads the outbox: apply what the last run's log holds to `db` (the main
 * thread's connection, before the writer thread starts), then start this run's log, empty. A log that
 * cannot be read back is left as it is for the next start, and this run writes none.
 */
export function startJournalLog(db: StoreDatabase, storeFile: string, logger: Logger): StartedLog {
  const file = journalLogFile(storeFile);
  let lastKey = 0;
  try {
    const { ops, unreadable } = readLog(file);
    for (const op of ops) if (op.op === 'write') for (const key of op.keys) lastKey = Math.max(lastKey, key);
    if (ops.length > 0) new OutboxJournal(db).apply(ops);
    if (ops.length + unreadable > 0) {
      const skipped = unreadable > 0 ? `; ${unreadable} line(s) cut short when it stopped were skipped` : '';
      logger.info({ changes: ops.length, unreadable }, `outbox journal: read back ${ops.length} change(s) the last run logged in ${file} just before it stopped${skipped}`);
    }
  } catch (error) {
    logger.warn(
      `outbox journal: could not read back ${file} (${describeError(error)}); it is kept for the next start, and this run's alerts wait for the database's commit before they are sent`,
    );
    return { log: undefined, lastKey };
  }
  try {
    return { log: new JournalLog(file), lastKey };
  } catch (error) {
    logger.warn(`outbox journal: could not open ${file} (${describeError(error)}); alerts wait for the database's commit before they are sent`);
    return { log: undefined, lastKey };
  }
}
