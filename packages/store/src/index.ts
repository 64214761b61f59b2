/**
 * @liqmon/store public API: liqmon's history of liquidations in an embedded SQLite database. Used by
 * the `liqmon` CLI; core knows nothing of SQLite.
 */
export { DEFAULT_BUSY_TIMEOUT_MS, openDatabase, type OpenOptions, type StoreDatabase } from './open.js';
export { describeFailure, failureReason, type StoreFailure } from './failure.js';
export { storeError, storeFailure } from './store-error.js';
export { migrate, MIGRATIONS, SCHEMA_VERSION, schemaVersion, type Migration } from './migrations.js';
export { COLUMN_LIST, COLUMNS, rowToLiquidation, rowValues, type LiquidationRow } from './rows.js';
export {
  DEFAULT_FLUSH_EVERY_MS,
  DEFAULT_MAX_BATCH,
  DEFAULT_RETRY_EVERY_MS,
  NOT_STORED_REASONS,
  noneNotStored,
  StoreWriter,
  type NotStoredReason,
  type StoreWriterOptions,
  type WriterState,
} from './writer.js';
export { DEFAULT_PRUNE_EVERY_MS, PRUNE_BATCH, prune, pruneBatch, pruneCutoff, type PruneCount } from './retention.js';
export { DEFAULT_MAX_BACKLOG, DEFAULT_WRITER_HEAP_MB, Store, type StoreOptions, type StoreStatus } from './store.js';
export { FLUSH_WAIT_MS, JournalChannel, MAX_JOURNAL_BACKLOG, type JournalAnswer, type JournalListener } from './journal-channel.js';
export { StoreJournal } from './store-journal.js';
export { journalLogFile, JournalLog, MAX_LOG_BYTES, readLog, startJournalLog, type LogContents, type StartedLog } from './journal-log.js';
export { DEFAULT_OUTBOX_KEEP_MS, journalRecord, OUTBOX_PRUNE_EVERY_MS, OutboxJournal, type JournalRecord, type OutboxJournalOptions } from './journal.js';
export { DEFAULT_STATS_TOP, queryStats } from './stats.js';
export { EXACT_MEDIAN_MAX_ROWS } from './median.js';
export { HOUR_SPAN, lastSeq, MINUTE_SPAN, ROLLUP_SPANS, rollUp, SIZE_BIN_RATIO, sizeBinMiddle } from './rollups.js';
export { periodParts, type PeriodPart } from './period-parts.js';
export { liquidationSeries, recentLiquidations, type RecentQuery, type SeriesPoint, type SeriesQuery } from './recent.js';
export { CSV_HEADER, csvLine, storedLiquidations } from './export.js';
