/**
 * `npm run soak`: fault injection against a real `liqmon start` child. Local fakes only (127.0.0.1):
 * FakeBinance (USD-M + COIN-M) and FakeBybit (linear + inverse) push real-shaped liquidations at a
 * steady rate while a seeded schedule drops their connections, makes Binance and Bybit go silent, sends
 * garbage and duplicates; every alert goes to three sinks (./lib/soak-sinks.mjs): the bench sink on a
 * fake chat service, the real Telegram sink on FakeTelegram and the real Discord sink on FakeDiscord,
 * which all answer 500, and 429 with a retry-after, for the same stretches. Every liquidation has its own
 * exchange time `T` (one second apart, so that even the time a Telegram user reads is unique), so each
 * fake's deliveries are counted by liquidation.
 *
 * Checks, per sink: no liquidation is delivered twice or without having been sent; every liquidation
 * sent while a connection was up was delivered, either alone or folded into a delivered digest (digests
 * keep counts, not ids); every 429's retry-after was honoured (Telegram, Discord). Overall: liqmon never
 * exits by itself and exits 0 on SIGTERM; its live heap (sampled after a full GC every `heapEverySeconds`
 * through the bench sink's SIGUSR2 probe) stays bounded; the log names each fault. Frames pushed within
 * 300 ms before a drop or 500 ms after a drop/resume are "uncertain" (the fake may have written them into
 * a socket it then cut): they may be delivered or not, but never twice.
 *
 * SOAK_SECONDS (default 180), SOAK_SEED (default 1) and SOAK_HEAP_EVERY (seconds, default 15, or a quarter of a shorter run) change the
 * run. Exit code 1 when a check fails.
 */
import { pathToFileURL } from 'node:url';
import { FakeBinance, FakeBybit, seededRandom } from '@liqmon/core/testing';
import { until } from './e2e.mjs';
import { binanceExchangeInfo, frameGenerator, INVERSE, LINEAR } from './lib/frames.mjs';
import { procRss, startLiqmon, writeConfig } from './lib/liqmon.mjs';
import { mb, round, sleep } from './lib/setup.mjs';
import { heapSamples, reportLines, sinkReport } from './lib/soak-report.mjs';
import { startSoakSinks } from './lib/soak-sinks.mjs';

const GARBAGE = ['{"this is":"not a liquidation"', 'not json at all', '{"stream":"!forceOrder@arr","data":{"e":"forceOrder","o":{}}}', '{"topic":"allLiquidation.BTCUSDT","data":"?"}', '\u0000\u0001'];
const FAULTS = ['dropBinance', 'silentBybit', 'garbage', 'sink500', 'silentBinance', 'duplicates', 'sink429', 'dropBybit'];
/** Both sources' staleAfter in the soak config; each silence lasts longer, so liqmon must notice it. */
const STALE_AFTER_MS = 3_000;
const SILENCE_MS = 5_000;
/** Where the frame generator's times start; each run moves them to its own clock (`spreadTimes`). */
const GENERATOR_START = 1_760_000_000_000;
/**
 * liqmon drops a live event whose exchange time is more than a day from its receive time, and the soak
 * gives each liquidation a second of its own: times start this long before the run and may end as long
 * after it, so a run carries at most about twice this many seconds' worth of liquidations.
 */
const TIME_LEAD_MS = 23 * 3_600_000;
/** Liquidations per frame to plan for (Bybit frames carry up to three; about 1.06 on average). */
const LIQUIDATIONS_PER_FRAME = 1.5;
/** Heap after GC may grow by this factor plus this many MB from the first sample under load to the last. */
const HEAP_GROWTH = { factor: 1.5, plusMB: 5 };

const config = (binance, bybit, sinks) => `dedupeWindow: 60s
shutdownTimeout: 10s
format: { showDate: true }
delivery:
  queueSize: 100
  backoff: { min: 100ms, max: 2s }
sources:
  binance:
    use: binance
    usdmUrl: ${binance.usdmUrl}
    coinmUrl: ${binance.coinmUrl}
    usdmRestUrl: ${binance.restUrl}
    coinmRestUrl: ${binance.restUrl}
    staleAfter: ${STALE_AFTER_MS}ms
    reconnectDelay: 100ms
    maxReconnectDelay: 500ms
  bybit:
    use: bybit
    wsUrl: ${bybit.wsUrl}
    restUrl: ${bybit.restUrl}
    staleAfter: ${STALE_AFTER_MS}ms
sinks:
${sinks.map((sink) => `  ${sink.name}: ${sink.yaml}`).join('\n')}
rules:
  - name: all
    to: [${sinks.map((sink) => sink.name).join(', ')}]
`;

/**
 * The generator's times are 1 ms apart; spread them 1 s apart from `start` so a time shown to the second
 * is unique.
 */
const spreadTimes = (data, start) => data.replace(/"T":(\d+)/g, (_, t) => `"T":${start + (Number(t) - GENERATOR_START) * 1000}`);

/**
 * The first exchange time of a run: whole seconds, {@link TIME_LEAD_MS} before now. Throws when the run
 * would need more seconds of exchange time than liqmon accepts around its clock.
 */
function startTimeFor(seconds, rate) {
  const needed = Math.ceil(seconds * rate * LIQUIDATIONS_PER_FRAME);
  const room = Math.floor((2 * TIME_LEAD_MS) / 1000);
  if (needed > room) {
    throw new Error(
      `soak: ${seconds} s at ${rate} frames/s needs up to ${needed} seconds of exchange time (one per liquidation, so that a Telegram message tells which one it is), ` +
        `but liqmon accepts only times within a day of receipt (room for ${room}): run at most ${Math.floor(room / (rate * LIQUIDATIONS_PER_FRAME))} s at this rate`,
    );
  }
  return Math.floor(Date.now() / 1000) * 1000 - TIME_LEAD_MS;
}

/**
 * @param {{ seconds?: number, seed?: number, rate?: number, heapEverySeconds?: number, say?: (line: string) => void }} options
 */
export async function soak({ seconds = 180, seed = 1, rate = 100, heapEverySeconds = defaultHeapEvery(seconds), say = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const random = seededRandom(seed);
  const startTime = startTimeFor(seconds, rate);
  const binance = await FakeBinance.start(binanceExchangeInfo());
  const bybit = await FakeBybit.start({ linear: LINEAR.map(([s]) => s), inverse: INVERSE.map(([s]) => s) });
  const chats = await startSoakSinks();
  const cfg = await writeConfig(config(binance, bybit, chats.sinks));
  // --expose-gc and the bench sink's probe: SIGUSR2 prints process.memoryUsage() before and after a full GC.
  const run = startLiqmon({ config: cfg.file, logLevel: 'info', env: { ...chats.env, LIQMON_BENCH_PROBE: '1' }, nodeArgs: ['--expose-gc'] });
  const counts = { framesSent: 0, liquidationsSent: 0, uncertain: 0, notSent: 0, garbageSent: 0, duplicatesSent: 0, faults: {} };
  const certain = new Set();
  const uncertain = new Set();
  const recent = { binance: [], bybit: [] }; // { at, times, send } of the last 2 s, for duplicates and drops
  const uncertainUntil = { binance: 0, bybit: 0 };
  const rss = [];
  const heapProbes = []; // seconds into the run at which a probe was asked for
  const timers = new Set();
  const later = (ms, fn) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const generator = frameGenerator({ seed, startTime: GENERATOR_START });
  const topics = LINEAR.length + INVERSE.length;
  const pushOne = () => {
    const frame = generator.next();
    frame.data = spreadTimes(frame.data, startTime);
    const times = [...frame.data.matchAll(/"T":(\d+)/g)].map((m) => Number(m[1]));
    const exchange = frame.exchange;
    let send;
    if (exchange === 'binance') send = () => (frame.channel === 'usdm' ? binance.pushUsdm(frame.data) : binance.pushCoinm(frame.data));
    else {
      const topic = `allLiquidation.${frame.symbol}`;
      const path = `/v5/public/${frame.channel}`;
      // Only to connections that subscribed the topic (as Bybit does); before that the frame is not sent.
      send = () => (bybit.subscribedTopics(frame.channel).includes(topic) ? bybit.server.push(frame.data, path) : 0);
    }
    const at = performance.now();
    if (send() === 0) {
      counts.notSent++;
      return;
    }
    counts.framesSent++;
    counts.liquidationsSent += times.length;
    const target = at < uncertainUntil[exchange] ? uncertain : certain;
    for (const time of times) target.add(time);
    recent[exchange].push({ at, times, send });
  };
  const markUncertain = (exchange) => {
    const now = performance.now();
    for (const entry of recent[exchange]) {
      if (now - entry.at > 300) continue;
      for (const time of entry.times) if (certain.delete(time)) uncertain.add(time);
    }
    uncertainUntil[exchange] = now + 500;
  };

  const faults = {
    dropBinance() {
      markUncertain('binance');
      binance.server.dropAll();
    },
    dropBybit() {
      markUncertain('bybit');
      bybit.dropAll();
    },
    silentBinance() {
      binance.server.goSilent();
      // Longer than staleAfter, so that liqmon notices and replaces the connection.
      later(SILENCE_MS, () => {
        uncertainUntil.binance = performance.now() + 500;
        binance.server.resume();
      });
    },
    silentBybit() {
      // No frames, no pongs (WebSocket or {"op":"ping"}), connections left open: a dead socket.
      bybit.server.goSilent();
      later(SILENCE_MS, () => {
        uncertainUntil.bybit = performance.now() + 500;
        bybit.server.resume();
      });
    },
    garbage() {
      for (const text of GARBAGE) {
        binance.pushUsdm(text);
        bybit.server.push(text, '/v5/public/linear');
        counts.garbageSent += 2;
      }
    },
    duplicates() {
      for (const exchange of ['binance', 'bybit']) {
        for (const entry of recent[exchange].slice(-10)) {
          if (entry.send() > 0) counts.duplicatesSent++;
        }
      }
    },
    sink500() {
      chats.setMode('500');
      later(2_000, () => chats.setMode('ok'));
    },
    sink429() {
      chats.setMode('429');
      later(3_000, () => chats.setMode('ok'));
    },
  };
  // First every fault once, in a fixed order; then random ones every 3-8 s.
  const schedule = FAULTS.map((name, i) => ({ at: 2_000 + i * 2_500, name }));
  for (let at = schedule.at(-1).at + 3_000; at < seconds * 1000 - 2_000; at += 3_000 + random() * 5_000) {
    schedule.push({ at, name: FAULTS[Math.floor(random() * FAULTS.length)] });
  }

  const checks = [];
  const check = (name, ok, detail) => checks.push({ name, ok, detail });
  try {
    await binance.server.waitForClients(2, undefined, 30_000);
    await until(() => new Set(bybit.subscribedTopics()).size >= topics, 30_000, `${topics} Bybit topics subscribed`);
    const initialConnections = binance.server.connections.length + bybit.server.connections.length;
    say(`soak: ${seconds} s, seed ${seed}, ${rate} frames/s, ${schedule.length} faults scheduled`);

    const start = performance.now();
    let sent = 0;
    let nextRss = 0;
    let nextHeap = heapEverySeconds * 1000;
    let nextFault = 0;
    while (performance.now() - start < seconds * 1000) {
      const elapsed = performance.now() - start;
      const due = Math.floor((elapsed * rate) / 1000);
      while (sent < due) {
        pushOne();
        sent++;
      }
      while (nextFault < schedule.length && schedule[nextFault].at <= elapsed) {
        const { name } = schedule[nextFault++];
        counts.faults[name] = (counts.faults[name] ?? 0) + 1;
        faults[name]();
      }
      for (const exchange of ['binance', 'bybit']) {
        const list = recent[exchange];
        while (list.length > 0 && performance.now() - list[0].at > 2_000) list.shift();
      }
      if (elapsed >= nextHeap) {
        nextHeap += heapEverySeconds * 1000;
        heapProbes.push(Math.round(elapsed / 1000));
        run.child.kill('SIGUSR2');
      }
      if (elapsed >= nextRss) {
        nextRss += 1_000;
        const value = await procRss(run.child.pid);
        if (value !== undefined) rss.push({ at: Math.round(elapsed / 1000), bytes: value });
        if (run.child.exitCode !== null) break;
      }
      await sleep(5);
    }
    // Faults end; let everything drain.
    for (const t of timers) clearTimeout(t);
    timers.clear();
    chats.setMode('ok');
    binance.server.resume();
    bybit.server.resume();
    const accounted = (stats) => [...certain].filter((time) => stats.delivered.has(time)).length + stats.liquidationsInDigests;
    const settled = () => chats.sinks.every((sink) => accounted(sink.stats()) >= certain.size);
    await until(() => settled() || run.child.exitCode !== null, 60_000, 'deliveries to settle').catch(() => undefined);
    await sleep(1_000);
    // One more heap sample with every queue empty: what liqmon holds for good.
    heapProbes.push('drained');
    run.child.kill('SIGUSR2');
    await until(() => heapSamples(run.stderr()).length >= heapProbes.length || run.child.exitCode !== null, 10_000, 'the last heap probe').catch(() => undefined);

    const alive = run.child.exitCode === null && run.child.signalCode === null;
    const reconnects = binance.server.connections.length + bybit.server.connections.length - initialConnections;
    const exit = await run.stop();
    const log = run.stderr();

    const heap = heapSamples(log).map((sample, i) => ({ at: heapProbes[i], ...sample }));
    const underLoad = heap.filter((sample) => sample.at !== 'drained');
    const sinks = Object.fromEntries(chats.sinks.map((sink) => [sink.name, sinkReport(sink.stats(), certain, uncertain)]));
    const summary = {
      seconds,
      seed,
      framesSent: counts.framesSent,
      liquidationsSent: counts.liquidationsSent,
      certain: certain.size,
      uncertain: uncertain.size,
      notSentWhileDown: counts.notSent,
      garbageSent: counts.garbageSent,
      duplicatesSent: counts.duplicatesSent,
      faults: counts.faults,
      reconnects,
      sinks: Object.fromEntries(Object.entries(sinks).map(([name, report]) => [name, report.counts])),
      sinkRetries: Object.values(sinks).reduce((sum, report) => sum + report.counts.retries, 0),
      maxRssMB: mb(Math.max(...rss.map((sample) => sample.bytes))),
      rssFirstMB: mb(rss[0]?.bytes ?? 0),
      rssLastMB: mb(rss.at(-1)?.bytes ?? 0),
      // From /proc once a second; every 15 s here (or every probe when probes are closer).
      rss: rss.filter((sample, i) => i === 0 || sample.at % Math.min(15, heapEverySeconds) === 0).map((sample) => ({ at: sample.at, rssMB: mb(sample.bytes) })),
      heap,
      exit,
    };
    check('liqmon ran until stopped (no crash)', alive, alive ? 'running' : 'exited by itself');
    check('exit code 0 after SIGTERM', exit.code === 0, JSON.stringify(exit));
    for (const [name, report] of Object.entries(sinks)) {
      for (const c of report.checks) check(`${name}: ${c.name}`, c.ok, c.detail);
    }
    const [first, last] = [underLoad[0], underLoad.at(-1)];
    const heapLimit = first ? first.heapAfterGcMB * HEAP_GROWTH.factor + HEAP_GROWTH.plusMB : 0;
    check(
      'heap after GC bounded under load',
      underLoad.length >= 2 && last.heapAfterGcMB < heapLimit,
      underLoad.length >= 2 ? `${first.heapAfterGcMB} MB at ${first.at} s -> ${last.heapAfterGcMB} MB at ${last.at} s (limit ${round(heapLimit, 1)} MB)` : `${underLoad.length} samples`,
    );
    const silentLog = (ws) => log.split('\n').some((line) => line.includes('websocket silent for too long') && line.includes(`"ws":"${ws}/`));
    check('log: garbage reported', log.includes('dropped a frame that cannot be decoded'), '');
    check('log: reconnects reported', /websocket (closed|reconnecting)/.test(log), '');
    check('log: Binance silence reported', !counts.faults.silentBinance || silentLog('binance'), '');
    check('log: Bybit silence reported', !counts.faults.silentBybit || silentLog('bybit'), '');
    // A 500 is logged as a failed try (retrying in N ms), a 429 as a wait (again in N ms).
    check('log: sink retries reported', !(summary.sinkRetries > 0) || /(retrying|again) in \d+ ms/.test(log), '');
    return { summary, checks, ok: checks.every((c) => c.ok), log };
  } finally {
    for (const t of timers) clearTimeout(t);
    await run.stop();
    await Promise.all([binance.close(), bybit.close(), chats.close()]);
    await cfg.cleanup();
  }
}

/**
 * Seconds between heap probes when not given: every 15 s, or a quarter of a short run, so that even a
 * 30 s soak samples the heap under load often enough to compare a first and a last probe.
 */
function defaultHeapEvery(seconds) {
  return Math.min(15, Math.max(2, Math.floor(seconds / 4)));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const seconds = Number(process.env.SOAK_SECONDS ?? 180);
  const result = await soak({
    seconds,
    seed: Number(process.env.SOAK_SEED ?? 1),
    heapEverySeconds: Number(process.env.SOAK_HEAP_EVERY ?? defaultHeapEvery(seconds)),
  });
  console.log(JSON.stringify(result.summary, null, 2));
  for (const line of reportLines(result.summary)) console.log(line);
  for (const c of result.checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.detail ? ` (${c.detail})` : ''}`);
  if (!result.ok) {
    console.log('--- last lines of the liqmon log');
    console.log(result.log.split('\n').slice(-40).join('\n'));
  }
  process.exitCode = result.ok ? 0 : 1;
}
