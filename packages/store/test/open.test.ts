import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '@liqmon/core';
import { COLUMN_LIST, migrate, MIGRATIONS, openDatabase, rowValues, SCHEMA_VERSION, schemaVersion, type StoreDatabase } from '../src/index.js';
import { liquidation } from './events.js';

let dir: string;
const open: StoreDatabase[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'liqmon-store-'));
});
afterEach(() => {
  for (const db of open.splice(0)) db.close();
  rmSync(dir, { recursive: true, force: true });
});
const keep = (db: StoreDatabase) => (open.push(db), db);

/** The StoreError `fn` throws. */
function failure(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(StoreError);
    return error as StoreError;
  }
  throw new Error('expected a StoreError');
}

describe('openDatabase', () => {
  it('creates the file (and its folder) in WAL mode, migrated to the current schema', () => {
    const file = join(dir, 'sub', 'liqmon.db');
    const db = keep(openDatabase(file));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('liquidations')").all().map((c) => c.name);
    expect(columns).toEqual(expect.arrayContaining(['id', 'exchange', 'notional_usd', 'time', 'received_at', 'sampled', 'source']));
    const indexes = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'liquidations'").all().map((i) => i.name);
    // Step 3 dropped `symbol+time`, step 4 `exchange+time` and `base+time`, step 5 made one unique index of `time` and `id`.
    expect(indexes).toEqual(['liquidations_time_id']);
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['liquidation_rollups', 'liquidation_sizes']));
  });

  it('opens an existing database again without re-running its steps', () => {
    const file = join(dir, 'liqmon.db');
    keep(openDatabase(file)).prepare("INSERT INTO liquidations (id, exchange, market, symbol, base, quote, side, price, price_kind, quantity, notional_usd, time, received_at, sampled, source) VALUES ('a', 'binance', 'usdm', 'BTCUSDT', 'BTC', 'USDT', 'long', 1, 'fill', 1, 1, 1, 1, 0, 'binance')").run();
    const again = keep(openDatabase(file));
    expect(again.prepare('SELECT count(*) AS n FROM liquidations').get()).toEqual({ n: 1 });
  });

  it('reads while another connection writes (read-only, WAL)', () => {
    const file = join(dir, 'liqmon.db');
    const writer = keep(openDatabase(file));
    writer.exec('BEGIN IMMEDIATE');
    const reader = keep(openDatabase(file, { readonly: true }));
    expect(reader.prepare('SELECT count(*) AS n FROM liquidations').get()).toEqual({ n: 0 });
    writer.exec('COMMIT');
  });

  it('names the file and the fix when it is not a database', () => {
    const file = join(dir, 'liqmon.db');
    writeFileSync(file, 'this is not a SQLite database, just some text that is long enough to hold a header'.repeat(20));
    const error = failure(() => openDatabase(file));
    expect(error.reason).toBe('corrupt');
    expect(error.file).toBe(file);
    expect(error.message).toContain(file);
    expect(error.hint).toContain(`mv ${file} ${file}.broken`);
    expect(failure(() => openDatabase(file, { readonly: true })).reason).toBe('corrupt');
  });

  it('names the file and the fix when its folder cannot be written', () => {
    // A regular file where the folder should be: unwritable even for root, who ignores permissions.
    writeFileSync(join(dir, 'plain-file'), '');
    const file = join(dir, 'plain-file', 'liqmon.db');
    const error = failure(() => openDatabase(file));
    expect(error.reason).toBe('unwritable');
    expect(error.message).toContain(file);
    expect(error.hint).toMatch(/writable/);
  });

  it('fails as locked when another process keeps the write lock past the busy timeout', () => {
    const file = join(dir, 'liqmon.db');
    const other = keep(new Database(file));
    other.exec('BEGIN EXCLUSIVE; CREATE TABLE held (x);');
    const error = failure(() => openDatabase(file, { busyTimeoutMs: 50 }));
    expect(error.reason).toBe('locked');
    expect(error.hint).toContain('store.path');
    other.exec('ROLLBACK');
  });

  it('refuses a database written by a later liqmon', () => {
    const file = join(dir, 'liqmon.db');
    const later = new Database(file);
    later.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    later.close();
    const error = failure(() => openDatabase(file));
    expect(error.message).toContain('newer than this liqmon');
  });

  it('says the file is missing when a read-only open finds none', () => {
    const error = failure(() => openDatabase(join(dir, 'none.db'), { readonly: true }));
    expect(error.message).toContain(join(dir, 'none.db'));
  });
});

describe('schema step 5: one unique index on (time, id)', () => {
  it('keeps every row of a database made before, in order, and still stores a liquidation once', () => {
    const file = join(dir, 'v4.db');
    const v4 = new Database(file);
    migrate(v4, MIGRATIONS.slice(0, 4));
    const insert = v4.prepare(`INSERT OR IGNORE INTO liquidations (${COLUMN_LIST}) VALUES (${COLUMN_LIST.split(',').map(() => '?').join(', ')})`);
    for (const n of [3, 1, 2]) insert.run(...rowValues(liquidation(n)));
    const before = v4.prepare('SELECT * FROM liquidations ORDER BY seq').all();
    v4.close();

    const migrated = keep(openDatabase(file));
    expect(migrated.prepare('SELECT * FROM liquidations ORDER BY seq').all()).toEqual(before);
    const again = migrated.prepare(`INSERT OR IGNORE INTO liquidations (${COLUMN_LIST}) VALUES (${COLUMN_LIST.split(',').map(() => '?').join(', ')})`);
    expect(again.run(...rowValues(liquidation(1))).changes).toBe(0); // the same liquidation: same time, same id
    expect(again.run(...rowValues(liquidation(4))).changes).toBe(1);
    expect(migrated.prepare('SELECT seq FROM liquidations WHERE id = ?').pluck().get(liquidation(4).id)).toBe(4);
  });
});
