import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryLogger } from '@liqmon/core/testing';
import { openDatabase, rowToLiquidation, Store, type LiquidationRow } from '../src/index.js';
import { liquidation } from './events.js';

let dir: string;
let file: string;
const stores: Store[] = [];
const others: Database.Database[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'liqmon-store-'));
  file = join(dir, 'liqmon.db');
});
afterEach(async () => {
  vi.useRealTimers();
  for (const store of stores.splice(0)) await store.close();
  for (const db of others.splice(0)) db.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(options: Partial<Parameters<typeof Store.open>[0]> = {}) {
  const log = createMemoryLogger();
  const store = Store.open({ file, retentionMs: 0, logger: log.logger, ...options });
  stores.push(store);
  return { store, log };
}

function stored(): LiquidationRow[] {
  const db = openDatabase(file, { readonly: true });
  try {
    return db.prepare<[], LiquidationRow>('SELECT * FROM liquidations ORDER BY time').all();
  } finally {
    db.close();
  }
}

describe('Store', () => {
  it('stores every field of every liquidation, and a duplicated one once', () => {
    const { store } = open();
    const events = [liquidation(1), liquidation(2, { sampled: false, priceKind: 'bankruptcy', symbol: 'ÉTHUSDT' }), liquidation(3)];
    for (const event of events) store.write(event);
    store.write(liquidation(1));
    expect(stored()).toEqual([]); // nothing written on the hot path
    expect(store.flush()).toBe(true);
    expect(stored().map(rowToLiquidation)).toEqual(events);
    expect(store.status()).toMatchObject({ state: 'on', written: 3, notStored: { duplicate: 1, full: 0 } });
  });

  it('writes on its writer thread within the period, without a flush', async () => {
    const { store } = open({ flushEveryMs: 20 });
    store.write(liquidation(1));
    await vi.waitFor(() => expect(stored()).toHaveLength(1));
    expect(store.status().written).toBe(1);
  });

  it('hands a full buffer over at once, without waiting for the period', async () => {
    const { store } = open({ maxBatch: 10, flushEveryMs: 60_000 });
    for (let n = 0; n < 25; n++) store.write(liquidation(n));
    await vi.waitFor(() => expect(stored().length).toBeGreaterThanOrEqual(20));
    await store.close();
    expect(stored()).toHaveLength(25);
  });

  it('counts what arrives beyond its backlog as not stored, and stores the rest', () => {
    const { store } = open({ maxBacklog: 10, maxBatch: 30 });
    for (let n = 0; n < 30; n++) store.write(liquidation(n));
    store.flush(); // one batch of 30 reaches a writer that holds 10 at most
    expect(store.status()).toMatchObject({ state: 'on', written: 10, notStored: { backlog: 20 } });
    expect(stored()).toHaveLength(10);
  });

  it('is off with one error line naming the file and the fix when the file is corrupt, and keeps counting', () => {
    writeFileSync(file, 'not a database '.repeat(100));
    const { store, log } = open();
    store.write(liquidation(1));
    expect(store.status()).toMatchObject({ state: 'off', file, written: 0, notStored: { corrupt: 1 } });
    const errors = log.lines.filter((line) => line.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.msg).toContain(`store off: Cannot open the store ${file}`);
    expect(errors[0]?.msg).toContain(`mv ${file} ${file}.broken`);
    expect(errors[0]?.msg).toContain('Alerts go on without it');
  });

  it('is off when its folder cannot be written', () => {
    writeFileSync(join(dir, 'plain-file'), '');
    file = join(dir, 'plain-file', 'liqmon.db');
    const { store, log } = open();
    store.write(liquidation(1));
    expect(store.status()).toMatchObject({ state: 'off', notStored: { unwritable: 1 } });
    expect(store.status().problem).toContain('writable');
    expect(log.lines.filter((line) => line.level === 50)).toHaveLength(1);
  });

  it('turns off when another process holds the write lock past the busy timeout', async () => {
    const { store, log } = open({ busyTimeoutMs: 20 });
    const other = new Database(file);
    others.push(other);
    other.exec('BEGIN IMMEDIATE');
    store.write(liquidation(1));
    store.flush();
    other.exec('ROLLBACK');
    store.write(liquidation(2));
    store.flush();
    expect(store.status()).toMatchObject({ state: 'off', notStored: { locked: 2 } });
    await vi.waitFor(() => expect(log.lines.filter((line) => line.level === 50)).toHaveLength(1));
    const errors = log.lines.filter((line) => line.level === 50);
    expect(errors[0]?.msg).toContain(`Cannot write to the store ${file}: another process holds its write lock`);
    expect(store.status().problem).toContain('another process holds its write lock');
  });

  it('pauses on a full disk, counts what it could not store, and says so once', async () => {
    // The database may not grow past its size once migrated: the next pages it needs are "a full disk".
    const migrated = openDatabase(file);
    const pages = migrated.pragma('page_count', { simple: true }) as number;
    migrated.close();
    const { store, log } = open({ writerPragmas: [`max_page_count = ${pages}`] });
    const big = (n: number) => liquidation(n, { symbol: `SYM${n}-${'x'.repeat(2000)}` });
    for (let n = 0; n < 20; n++) store.write(big(n));
    store.flush();
    expect(store.status()).toMatchObject({ state: 'paused', notStored: { full: 20 } });
    store.write(big(100));
    store.flush();
    expect(store.status().notStored.full).toBe(21);
    await vi.waitFor(() => expect(log.lines.filter((line) => line.level === 40).map((line) => line.msg)).toEqual([expect.stringContaining('store paused:')]));
    expect(store.status().problem).toContain('the disk (or the database size limit) is full');
  });

  it('turns off with one error line when its writer thread dies, and counts every row it had not stored', async () => {
    // A heap too small for 20,000 rows at once: the thread runs out of memory taking them.
    const { store, log } = open({ writerHeapMb: 8, maxBacklog: 100_000 });
    store.write(liquidation(0));
    expect(store.flush()).toBe(true);
    // One turn: the 20,000 rows (about 15 MB with their long ids) go over in one message.
    for (let n = 1; n <= 20_000; n++) store.write(liquidation(n, { id: `binance:usdm:BTCUSDT:${n}:${'x'.repeat(400)}` }));
    await vi.waitFor(() => expect(store.status().state).toBe('off'), { timeout: 10_000 });
    const status = store.status();
    expect(status.problem).toMatch(/writer thread stopped.*restart liqmon/);
    // Every liquidation is accounted for: written, or not stored.
    const notStored = Object.values(status.notStored).reduce((sum, n) => sum + n, 0);
    expect(status.written + notStored).toBe(20_001);
    expect(status.notStored.other).toBeGreaterThan(0);
    expect(log.lines.filter((line) => line.level === 50).map((line) => line.msg)).toEqual([expect.stringMatching(/^store off: The store's writer thread stopped/)]);
    store.write(liquidation(20_002)); // off: counted, not sent anywhere
    expect(store.status().notStored.other).toBe(status.notStored.other + 1);
  });

  it('prunes rows older than the retention, by exchange time, in whole hours', async () => {
    // One event every 20 minutes from 12:00; now is 15:20, retention 1h30: the cutoff 13:50 is floored
    // to 13:00 (roll-ups are kept by whole hours), so 12:00, 12:20 and 12:40 go.
    const at = (n: number) => liquidation(n, { time: liquidation(0).time + n * 20 * 60_000 });
    const now = at(10).time;
    const { store } = open({ retentionMs: 90 * 60_000, now: () => now });
    for (let n = 0; n <= 10; n++) store.write(at(n));
    expect(await store.prune()).toBe(3); // handed over in order: the rows are written before the prune runs
    expect(stored().map((row) => row.id)).toEqual([3, 4, 5, 6, 7, 8, 9, 10].map((n) => at(n).id));
  });
});
