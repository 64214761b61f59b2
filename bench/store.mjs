/**
 * Benchmark: the store (issue "Figures"). In one run:
 * 1. ingest: synthetic liquidations (12 exchanges, 300 symbols, sizes over 5 orders of magnitude of
 *    USD, exchange times in arrival order over the last 24 h, unique ids) written through the real
 *    `Store` (its batched writer, opened as `liqmon start` opens it) into a file in a temp folder, fed
 *    in chunks with the event loop free between them as a feed would; sustained events/s, beside the
 *    same loop with `write` replaced by nothing (what producing the events costs);
 * 2. `queryStats` over the stored rows on a read-only connection (as `liqmon stats` opens it), for the
 *    last 24 h (every row in the period: the worst case) and the last hour: median of 5 runs, ms; and
 *    the last 24 h with `minUsd` (read from raw rows, not roll-ups): median of 3 runs;
 * 3. the database's size per million events (file + WAL after a checkpoint).
 *
 * Run alone: `node bench/store.mjs [events]` (after `npm run build`). Default 5,000,000 events.
 * `BENCH_ONLY=store npm run bench` runs it from the bench runner (it is not in the default set: it
 * takes minutes).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { openDatabase, queryStats, Store } from '@liqmon/store';
import { median, round } from './lib/setup.mjs';

const INGEST_GOAL = 50_000;
const STATS_GOAL_MS = 500;
const DAY_MS = 24 * 3_600_000;
/** Events handed to the store per turn of the event loop: a feed's bursts; the writer flushes between. */
const CHUNK = 1_000;
const QUERY_RUNS = 5;
/** The `minUsd` of the filtered query: about a fifth of the synthetic sizes are above it. */
const MIN_USD = 100_000;

const EXCHANGES = ['binance', 'bybit', 'okx', 'bitget', 'gate', 'kucoin', 'mexc', 'htx', 'bitmex', 'deribit', 'kraken', 'hyperliquid'];
const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };

/** Seeded PRNG (mulberry32): the same events on every run. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** 300 symbols: a base, its price, and the exchange listing it; the first bases weigh most, as in real feeds. */
function universe(rand) {
  const symbols = [];
  for (let i = 0; i < 300; i++) {
    const base = i === 0 ? 'BTC' : i === 1 ? 'ETH' : i === 2 ? 'SOL' : `C${i.toString(36).toUpperCase()}X`;
    const price = i === 0 ? 96_000 : i === 1 ? 3_600 : i === 2 ? 230 : 10 ** (rand() * 5 - 2);
    const exchange = EXCHANGES[i % EXCHANGES.length];
    symbols.push({ base, price, exchange, symbol: `${base}USDT`, market: exchange === 'binance' ? 'usdm' : 'linear' });
  }
  return symbols;
}

/** A generator of `count` liquidations with times in order over [start, start + 24 h). */
function feed(count, start) {
  const rand = random(19);
  const symbols = universe(rand);
  const step = DAY_MS / count;
  let i = 0;
  return () => {
    // A skewed pick: low indexes (majors) far more often, every symbol sometimes.
    const s = symbols[Math.floor(symbols.length * rand() ** 3)];
    const notionalUsd = round(10 ** (1.5 + rand() * 5), 2); // $30 .. $3M
    const price = s.price * (0.98 + rand() * 0.04);
    const time = Math.floor(start + i * step);
    const event = {
      id: `${s.exchange}:${s.market}:${s.symbol}:${time}:${i}`,
      exchange: s.exchange,
      market: s.market,
      symbol: s.symbol,
      base: s.base,
      quote: 'USDT',
      side: rand() < 0.55 ? 'long' : 'short',
      price,
      priceKind: 'fill',
      quantity: notionalUsd / price,
      notionalUsd,
      time,
      receivedAt: time + 40,
      sampled: s.exchange === 'binance',
      source: 'bench',
    };
    i++;
    return event;
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Feed `count` events to `write` in chunks, the event loop free between chunks; events/s over the whole. */
async function ingest(count, start, write, finish) {
  const next = feed(count, start);
  const t0 = performance.now();
  for (let done = 0; done < count; ) {
    const end = Math.min(count, done + CHUNK);
    for (; done < end; done++) write(next());
    await turn();
  }
  await finish();
  const seconds = (performance.now() - t0) / 1000;
  return { seconds: round(seconds, 2), eventsPerSec: Math.round(count / seconds) };
}

function timedStats(db, query, runs = QUERY_RUNS) {
  const ms = [];
  let stats;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    stats = queryStats(db, query);
    ms.push(performance.now() - t);
  }
  return { medianMs: round(median(ms)), runsMs: ms.map((m) => round(m)), count: stats.count };
}

/** The store's figures for `events` synthetic liquidations. */
export async function storeBench({ events = 5_000_000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'liqmon-bench-store-'));
  const file = join(dir, 'liqmon.db');
  try {
    const now = Date.now();
    const start = now - DAY_MS + 1;
    const bare = await ingest(events, start, () => {}, async () => {});
    const store = Store.open({ file, retentionMs: 0, logger: quiet });
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 500);
    const stored = await ingest(events, start, (e) => store.write(e), async () => store.flush());
    clearInterval(sampler);
    const status = store.status();
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const walBytes = (() => {
      try {
        return statSync(`${file}-wal`).size;
      } catch {
        return 0;
      }
    })();
    const dbBytes = statSync(file).size;
    await store.close();

    const reader = openDatabase(file, { readonly: true });
    const day = timedStats(reader, { since: now - DAY_MS, until: now + 1 });
    const hour = timedStats(reader, { since: now - 3_600_000, until: now + 1 });
    // With a size filter the roll-ups cannot answer: every raw row of the period is read (fewer runs: slow).
    const dayMinUsd = timedStats(reader, { since: now - DAY_MS, until: now + 1, minUsd: MIN_USD }, 3);
    reader.close();

    return {
      events,
      ingest: {
        eventsPerSec: stored.eventsPerSec,
        seconds: stored.seconds,
        written: status.written,
        notStored: status.notStored,
        state: status.state,
        peakRssMB: round(peakRss / 1024 / 1024),
        goal: `>= ${INGEST_GOAL.toLocaleString('en')} events/s`,
        pass: stored.eventsPerSec >= INGEST_GOAL && status.written === events,
      },
      withoutStore: bare,
      stats24h: { ...day, goal: `< ${STATS_GOAL_MS} ms`, pass: day.medianMs < STATS_GOAL_MS },
      stats1h: hour,
      stats24hMinUsd: { minUsd: MIN_USD, ...dayMinUsd },
      size: {
        fileBytes: dbBytes,
        walBytes,
        mbPerMillion: round((dbBytes + walBytes) / 1024 / 1024 / (events / 1_000_000)),
        bytesPerEvent: Math.round((dbBytes + walBytes) / events),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await storeBench({ events: Number(process.argv[2] ?? 5_000_000) }), null, 2));
}
