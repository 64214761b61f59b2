/**
 * Benchmark: the store (issue "Figures"). In one run:
 * 1. ingest: synthetic liquidations (12 exchanges, 300 symbols, sizes over 5 orders of magnitude of
 *    USD, exchange times in arrival order over the last 24 h, unique ids) written through the real
 *    `Store` (its writer thread, opened as `liqmon start` opens it) into a file in a temp folder, fed
 *    in chunks with the event loop free between them as a feed would, and paced on what the store has
 *    written: the feed waits while more than {@link IN_FLIGHT} events are handed over and not yet
 *    written, so the writer thread's backlog never reaches its cap (`maxBacklog`) and nothing is
 *    dropped: the rate is the writer's sustained rate (events written / seconds), and any event not
 *    stored is reported (it must be 0). Beside it, the same loop with `write` replaced by nothing
 *    (what producing the events costs);
 * 2. `queryStats` over the stored rows on a read-only connection (as `liqmon stats` opens it), for the
 *    last 24 h (every row in the period: the worst case) and the last hour: median of 5 runs, ms; and
 *    the last 24 h with `minUsd` (read from raw rows, not roll-ups): median of 3 runs;
 * 3. the database's size per million events (file + WAL after a checkpoint);
 * 4. the dashboard's feed (`GET /api/liquidations`: `recentLiquidations`, newest 200) filtered by an
 *    exchange, by the rarest base (about 0.1% of the events), and by a base with no event (the whole
 *    period is read when no index leads to the base): median of 3 runs, ms.
 *
 * Run alone: `node bench/store.mjs [events]` (after `npm run build`). Default 5,000,000 events.
 * `STORE_BENCH_PRAGMAS='cache_size=-65536;...'` adds PRAGMA statements to the writer thread's
 * connection (to measure a setting before it is made the default; the figures are without it).
 * `BENCH_ONLY=store npm run bench` runs it from the bench runner (it is not in the default set: it
 * takes minutes).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { seededRandom } from '@liqmon/core/testing';
import { DEFAULT_MAX_BACKLOG, openDatabase, queryStats, recentLiquidations, Store } from '@liqmon/store';
import { median, round } from './lib/setup.mjs';

const INGEST_GOAL = 50_000;
const STATS_GOAL_MS = 500;
const DAY_MS = 24 * 3_600_000;
/**
 * Events handed to the store per turn of the event loop: a feed's bursts. Half the store's batch
 * (`maxBatch`, 2,000), so that every second turn hands a whole batch to the writer thread and the
 * store's own buffer is empty when the feed looks at the backlog.
 */
const CHUNK = 1_000;
/**
 * Events handed to the store and not yet written, at most, before the feed waits: half the writer
 * thread's backlog cap, so that nothing is ever dropped as backlog.
 */
const IN_FLIGHT = DEFAULT_MAX_BACKLOG / 2;
/** How long the feed waits, ms, when too much is in flight: a timer, not a busy loop of turns, so the main thread leaves the CPU to the writer. */
const PACE_WAIT_MS = 2;
/** Waiting this long without one more event written means the writer stopped: the bench fails rather than hangs. */
const STALL_MS = 30_000;
const WRITER_PRAGMAS = (process.env.STORE_BENCH_PRAGMAS ?? '').split(';').map((p) => p.trim()).filter(Boolean);
const QUERY_RUNS = 5;
/** The `minUsd` of the filtered query: about a fifth of the synthetic sizes are above it. */
const MIN_USD = 100_000;

const EXCHANGES = ['binance', 'bybit', 'okx', 'bitget', 'gate', 'kucoin', 'mexc', 'htx', 'bitmex', 'deribit', 'kraken', 'hyperliquid'];
const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };


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
  const rand = seededRandom(19);
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
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Feed `count` events to `write` in chunks, the event loop free between chunks. When `settled()`
 * (events written or counted as not stored) is more than {@link IN_FLIGHT} behind what was fed, the
 * feed waits until the writer has caught up with everything handed over, then goes on: the writer
 * thread always has a backlog to write but never more than its cap, and its queue empties now and
 * then as it would between a real feed's bursts. Returns the seconds from the first event to
 * `finish()` done, and `written()` per second.
 */
async function ingest(count, start, { write, settled = () => Infinity, finish = async () => {}, written = () => count }) {
  const next = feed(count, start);
  let waits = 0;
  const t0 = performance.now();
  for (let done = 0; done < count; ) {
    const end = Math.min(count, done + CHUNK);
    for (; done < end; done++) write(next());
    await turn();
    // On whole batches only: then the store's own buffer is empty, and what is in flight is the thread's.
    if (done % (2 * CHUNK) !== 0 || done - settled() <= IN_FLIGHT) continue;
    let last = settled();
    let since = performance.now();
    while (done - settled() > 0) {
      waits++;
      await sleep(PACE_WAIT_MS);
      const now = settled();
      if (now !== last) [last, since] = [now, performance.now()];
      else if (performance.now() - since > STALL_MS) throw new Error(`the store wrote nothing for ${STALL_MS / 1000} s (${done - now} events in flight)`);
    }
  }
  await finish();
  const seconds = (performance.now() - t0) / 1000;
  return { seconds: round(seconds, 2), eventsPerSec: Math.round(written() / seconds), paceWaits: waits };
}

const total = (counts) => Object.values(counts).reduce((sum, n) => sum + n, 0);

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

/** The dashboard feed's newest `limit` of the period with `filter`: median of `runs`, ms, and how many came. */
function timedFeed(db, query, runs = 3) {
  const ms = [];
  let found;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    found = recentLiquidations(db, { limit: 200, ...query }).length;
    ms.push(performance.now() - t);
  }
  return { medianMs: round(median(ms)), runsMs: ms.map((m) => round(m)), found };
}

/** The store's figures for `events` synthetic liquidations. */
export async function storeBench({ events = 5_000_000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'liqmon-bench-store-'));
  const file = join(dir, 'liqmon.db');
  try {
    const now = Date.now();
    const start = now - DAY_MS + 1;
    const bare = await ingest(events, start, { write: () => {} });
    const store = Store.open({ file, retentionMs: 0, logger: quiet, ...(WRITER_PRAGMAS.length > 0 ? { writerPragmas: WRITER_PRAGMAS } : {}) });
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 500);
    const stored = await ingest(events, start, {
      write: (e) => store.write(e),
      settled: () => {
        const status = store.status();
        return status.written + total(status.notStored);
      },
      finish: async () => {
        if (!store.flush()) throw new Error('the store did not finish writing within its flush wait');
      },
      written: () => store.status().written,
    });
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
    const rarest = universe(seededRandom(19)).at(-1).base;
    const lastHour = { since: now - 3_600_000, until: now + 1 };
    const lastDay = { since: now - DAY_MS, until: now + 1 };
    const dashboardFeed = {
      exchange1h: { exchange: ['kraken'], ...timedFeed(reader, { ...lastHour, exchange: ['kraken'] }) },
      rarestBase1h: { base: [rarest], ...timedFeed(reader, { ...lastHour, base: [rarest] }) },
      rarestBase24h: { base: [rarest], ...timedFeed(reader, { ...lastDay, base: [rarest] }) },
      absentBase24h: { base: ['NONE'], ...timedFeed(reader, { ...lastDay, base: ['NONE'] }) },
    };
    reader.close();

    return {
      events,
      ingest: {
        eventsPerSec: stored.eventsPerSec,
        seconds: stored.seconds,
        written: status.written,
        notStored: total(status.notStored),
        notStoredByReason: status.notStored,
        paceWaits: stored.paceWaits,
        ...(WRITER_PRAGMAS.length > 0 ? { writerPragmas: WRITER_PRAGMAS } : {}),
        state: status.state,
        peakRssMB: round(peakRss / 1024 / 1024),
        goal: `>= ${INGEST_GOAL.toLocaleString('en')} events/s`,
        pass: stored.eventsPerSec >= INGEST_GOAL && status.written === events && total(status.notStored) === 0,
      },
      withoutStore: bare,
      stats24h: { ...day, goal: `< ${STATS_GOAL_MS} ms`, pass: day.medianMs < STATS_GOAL_MS },
      stats1h: hour,
      stats24hMinUsd: { minUsd: MIN_USD, ...dayMinUsd },
      dashboardFeed,
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
