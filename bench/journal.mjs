/**
 * Benchmark: the outbox journal's cost on delivery's path. Delivery writes each alert to the store's
 * `outbox` table (one row per destination) before queueing it, and marks it once sent, synchronously:
 * these are the figures of those two calls on a real file in WAL mode with `synchronous=NORMAL`, as
 * `liqmon start` opens it. Also the size of a row (an alert of one liquidation, as JSON).
 *
 * Run alone: `node bench/journal.mjs [alerts]` (after `npm run build`). Default 5,000 alerts, one
 * destination each, written and marked one at a time as delivery does.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { openDatabase, OutboxJournal } from '@liqmon/store';
import { sampleLiquidation } from '@liqmon/core/runtime';
import { percentile, round } from './lib/setup.mjs';

const alerts = Number(process.argv[2] ?? 5_000);
const dir = mkdtempSync(join(tmpdir(), 'liqmon-bench-journal-'));
const file = join(dir, 'liqmon.db');

/** Microseconds per call: median, p99, max. */
function summary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { medianUs: round(percentile(sorted, 50) * 1000), p99Us: round(percentile(sorted, 99) * 1000), maxUs: round(sorted.at(-1) * 1000) };
}

try {
  const db = openDatabase(file);
  const journal = new OutboxJournal(db);
  const target = [{ sink: 'telegram', destination: '-1001234567890' }];
  const writes = [];
  const marks = [];
  for (let i = 0; i < alerts; i++) {
    const event = sampleLiquidation({ id: `binance:usdm:BTCUSDT:${1_764_806_400_000 + i}`, time: 1_764_806_400_000 + i, receivedAt: 1_764_806_400_040 + i });
    const alert = { kind: 'liquidation', rule: 'majors', events: [event], createdAt: Date.now(), id: i.toString(16).padStart(32, '0') };
    let t = performance.now();
    const [key] = journal.write(alert, target);
    writes.push(performance.now() - t);
    t = performance.now();
    journal.delivered([key]);
    marks.push(performance.now() - t);
  }
  const { avgJson } = db.prepare('SELECT avg(length(alert)) AS avgJson FROM outbox').get();
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pages = db.pragma('page_count', { simple: true }) * db.pragma('page_size', { simple: true });
  db.close();
  const result = {
    alerts,
    write: summary(writes),
    markDelivered: summary(marks),
    rowJsonBytes: Math.round(avgJson),
    bytesPerRow: Math.round(pages / alerts),
    fileBytes: statSync(file).size,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
