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
  it('stores every field of every liquidation, and a duplicated one once', async () => {
    vi.useFakeTimers();
    const { store } = open();
    const events = [liquidation(1), liquidation(2, { sampled: false, priceKind: 'bankruptcy', symbol: 'ÉTHUSDT' }), liquidation(3)];
    for (const event of events) store.write(event);
    store.write(liquidation(1));
    expect(stored()).toEqual([]); // nothing written on the hot path
    await vi.advanceTimersByTimeAsync(100);
    expect(stored().map(rowToLiquidation)).toEqual(events);
    expect(store.status()).toMatchObject({ state: 'on', written: 3, notStored: { duplicate: 1, full: 0 } });
  });

  it('writes a full buffer at once, without waiting for the period', async () => {
    vi.useFakeTimers();
    const { store } = open({ maxBatch: 10, flushEveryMs: 60_000 });
    for (let n = 0; n < 25; n++) store.write(liquidation(n));
    await vi.advanceTimersByTimeAsync(0);
    expect(stored().length).toBeGreaterThanOrEqual(20);
    await store.close();
    expect(stored()).toHaveLength(25);
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
    vi.useFakeTimers({ toFake: ['setTimeout', 'setImmediate'] });
    const { store, log } = open({ busyTimeoutMs: 20 });
    const other = new Database(file);
    others.push(other);
    other.exec('BEGIN IMMEDIATE');
    store.write(liquidation(1));
    await vi.advanceTimersByTimeAsync(100);
    other.exec('ROLLBACK');
    store.write(liquidation(2));
    expect(store.status()).toMatchObject({ state: 'off', notStored: { locked: 2 } });
    const errors = log.lines.filter((line) => line.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.msg).toContain(`Cannot write to the store ${file}: another process holds its write lock`);
  });

  it('pauses on a full disk, counts what it could not store, and resumes by itself', async () => {
    vi.useFakeTimers();
    const { store, log } = open({ retryEveryMs: 30_000 });
    const db = store.db!;
    // The database may not grow past its current size: the next pages it needs are "a full disk".
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    const big = (n: number) => liquidation(n, { symbol: `SYM${n}-${'x'.repeat(2000)}` });
    for (let n = 0; n < 20; n++) store.write(big(n));
    await vi.advanceTimersByTimeAsync(100);
    expect(store.status()).toMatchObject({ state: 'paused', notStored: { full: 20 } });
    store.write(big(100));
    expect(store.status().notStored.full).toBe(21);
    expect(log.lines.filter((line) => line.level === 40).map((line) => line.msg)).toEqual([expect.stringContaining('store paused:')]);

    db.pragma('max_page_count = 1000000'); // space freed
    await vi.advanceTimersByTimeAsync(30_000);
    store.write(liquidation(200));
    await vi.advanceTimersByTimeAsync(100);
    expect(store.status()).toMatchObject({ state: 'on', written: 1, notStored: { full: 21 } });
    expect(store.status().problem).toBeUndefined();
    expect(log.lines.map((line) => line.msg)).toContainEqual(expect.stringContaining('store resumed: writing'));
    expect(log.lines.map((line) => line.msg)).toContainEqual(expect.stringContaining('21 liquidation(s) were not stored meanwhile'));
  });

  it('prunes rows older than the retention, by exchange time', async () => {
    const now = liquidation(10).time;
    const { store } = open({ retentionMs: 5_000, now: () => now });
    for (let n = 0; n <= 10; n++) store.write(liquidation(n));
    store.flush();
    expect(await store.prune()).toBe(5); // times 0..4 s are older than 10 s - 5 s
    expect(stored().map((row) => row.id)).toEqual([5, 6, 7, 8, 9, 10].map((n) => liquidation(n).id));
  });
});
