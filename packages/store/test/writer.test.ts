/** The writer the store's writer thread runs: batches, a full disk's pause and resume, on one connection. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StoreFailure } from '../src/index.js';
import { openDatabase, StoreWriter, type StoreDatabase } from '../src/index.js';
import { liquidation } from './events.js';

let dir: string;
let db: StoreDatabase;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'liqmon-writer-'));
  db = openDatabase(join(dir, 'liqmon.db'));
});
afterEach(() => {
  vi.useRealTimers();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = () => (db.prepare('SELECT count(*) AS n FROM liquidations').get() as { n: number }).n;

describe('StoreWriter', () => {
  it('writes a batch in one transaction after the period, or at once when full', async () => {
    vi.useFakeTimers();
    const writer = new StoreWriter({ db, file: 'x.db', flushEveryMs: 100, maxBatch: 10 });
    writer.write(liquidation(1));
    expect(count()).toBe(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(count()).toBe(1);
    for (let n = 2; n < 12; n++) writer.write(liquidation(n));
    await vi.advanceTimersByTimeAsync(0); // full: on the next turn, not after the period
    expect(count()).toBe(11);
    writer.close();
  });

  it('pauses on a full disk, counts what it could not store, and resumes by itself', async () => {
    vi.useFakeTimers();
    const failures: [StoreFailure, string][] = [];
    const resumed: number[] = [];
    const writer = new StoreWriter({ db, file: 'x.db', retryEveryMs: 30_000, onFailure: (e, s) => failures.push([e, s]), onResume: (n) => resumed.push(n) });
    // The database may not grow past its current size: the next pages it needs are "a full disk".
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    const big = (n: number) => liquidation(n, { symbol: `SYM${n}-${'x'.repeat(2000)}` });
    for (let n = 0; n < 20; n++) writer.write(big(n));
    writer.flush();
    expect(writer.state).toBe('paused');
    expect(writer.notStored.full).toBe(20);
    writer.write(big(100));
    expect(writer.notStored.full).toBe(21);
    expect(failures.map(([e, s]) => [e.reason, s])).toEqual([['full', 'paused']]);

    db.pragma('max_page_count = 1000000'); // space freed
    await vi.advanceTimersByTimeAsync(30_000);
    writer.write(liquidation(200));
    writer.flush();
    expect(writer.state).toBe('on');
    expect(writer.written).toBe(1);
    expect(writer.failure).toBeUndefined();
    expect(resumed).toEqual([21]);
    writer.close();
  });
});
