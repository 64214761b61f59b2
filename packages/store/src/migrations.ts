/**
 * The schema, as numbered steps. `PRAGMA user_version` holds the number of the last step applied; on
 * open, every later step runs, each in its own transaction with the version bump, so a crash half-way
 * leaves the database at the previous version, never between two.
 *
 * To change the schema, append a step with the next number (never edit or reorder a released one):
 * another feature's tables (the outbox, summaries) come in as steps of their own, in their own file
 * under `migrations/`.
 */
import type { Database } from 'better-sqlite3';
import { StoreError } from '@liqmon/core';
import { liquidationsTable } from './migrations/001-liquidations.js';
import { outboxTable } from './migrations/002-outbox.js';
import { rollupTables } from './migrations/003-rollups.js';
import { dropFeedIndexes } from './migrations/004-feed-indexes.js';
import { timeIdKey } from './migrations/005-time-id-key.js';

/** One schema step. */
export interface Migration {
  /** 1, 2, 3...: the `user_version` once this step has run. */
  version: number;
  /** What it does, in a few words (logged, and shown when a database is newer than this liqmon). */
  name: string;
  /** The SQL of the step. */
  up(db: Database): void;
}

/** Every step, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [liquidationsTable, outboxTable, rollupTables, dropFeedIndexes, timeIdKey];

/** The schema version a database has once {@link migrate} has run. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** The schema version of `db` (0 for a new file). */
export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Apply the steps `db` has not had yet. Returns the versions applied.
 * @throws StoreError when the database is newer than this liqmon (written by a later version).
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  checkOrder(migrations);
  const applied: number[] = [];
  const current = schemaVersion(db);
  const latest = migrations.length;
  if (current > latest) {
    throw new StoreError(
      'other',
      db.name,
      `Cannot open the store ${db.name}: its schema version ${current} is newer than this liqmon's (${latest}); a later liqmon wrote it.`,
      'Upgrade liqmon, or set `store.path` to another file.',
    );
  }
  for (const step of migrations.slice(current)) {
    // IMMEDIATE: take the write lock before reading, so two processes cannot run the same step.
    db.transaction(() => {
      if (schemaVersion(db) >= step.version) return;
      step.up(db);
      db.pragma(`user_version = ${step.version}`);
      applied.push(step.version);
    }).immediate();
  }
  return applied;
}

/** Steps are numbered 1..n in order: a step appended with a wrong number is a bug, caught at once. */
function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((step, index) => {
    if (step.version !== index + 1) throw new Error(`store migration "${step.name}" has version ${step.version}, expected ${index + 1}`);
  });
}
