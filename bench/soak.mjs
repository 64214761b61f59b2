/**
 * `npm run soak`: fault injection against a real `liqmon start` child. Local fakes only (127.0.0.1):
 * FakeBinance (USD-M + COIN-M) and FakeBybit (linear + inverse) push real-shaped liquidations at a
 * steady rate while a seeded schedule drops their connections, makes Binance go silent, sends garbage
 * and duplicates; a fake chat service behind the bench sink answers 500, and 429 with retry-after, for
 * stretches. Every liquidation has its own exchange time `T`, so the fake chat can count deliveries by id.
 *
 * Checks: liqmon never exits by itself and exits 0 on SIGTERM; no liquidation is delivered twice or
 * without having been sent; every liquidation sent while a connection was up was delivered, either
 * alone or folded into a delivered digest (digests keep counts, not ids); RSS stays bounded; the log
 * names each fault. Frames pushed within 300 ms before a drop or 500 ms after a drop/resume are
 * "uncertain" (the fake may have written them into a socket it then cut): they may be delivered or not,
 * but never twice.
 *
 * SOAK_SECONDS (default 180) and SOAK_SEED (default 1) change the run. Exit code 1 when a check fails.
 */
import { pathToFileURL } from 'node:url';
import { FakeBinance, FakeBybit } from '@liqmon/core/testing';
import { until } from './e2e.mjs';
import { startFakeChat } from './lib/fake-chat.mjs';
import { binanceExchangeInfo, frameGenerator, INVERSE, LINEAR, mulberry32 } from './lib/frames.mjs';
import { BENCH_SINK, procRss, startLiqmon, writeConfig } from './lib/liqmon.mjs';
import { mb, sleep } from './lib/setup.mjs';

const GARBAGE = ['{"this is":"not a liquidation"', 'not json at all', '{"stream":"!forceOrder@arr","data":{"e":"forceOrder","o":{}}}', '{"topic":"allLiquidation.BTCUSDT","data":"?"}', '\u0000\u0001'];
const FAULTS = ['dropBinance', 'garbage', 'sink500', 'silentBinance', 'duplicates', 'sink429', 'dropBybit'];

const config = (binance, bybit, chatUrl) => `dedupeWindow: 60s
shutdownTimeout: 10s
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
    staleAfter: 3s
    reconnectDelay: 100ms
    maxReconnectDelay: 500ms
  bybit:
    use: bybit
    wsUrl: ${bybit.wsUrl}
    restUrl: ${bybit.restUrl}
sinks:
  chat: { use: ${JSON.stringify(BENCH_SINK)}, url: ${JSON.stringify(chatUrl)}, maxAlertsPerMessage: 20 }
rules:
  - name: all
    to: [chat]
`;

/**
 * @param {{ seconds?: number, seed?: number, rate?: number, say?: (line: string) => void, rssLimitMB?: number }} options
 */
export async function soak({ seconds = 180, seed = 1, rate = 100, say = (line) => process.stderr.write(`${line}\n`), rssLimitMB = 250 } = {}) {
  const random = mulberry32(seed);
  const binance = await FakeBinance.start(binanceExchangeInfo());
  const bybit = await FakeBybit.start({ linear: LINEAR.map(([s]) => s), inverse: INVERSE.map(([s]) => s) });
  const chat = await startFakeChat();
  const cfg = await writeConfig(config(binance, bybit, chat.url));
  const run = startLiqmon({ config: cfg.file, logLevel: 'info' });
  const counts = { framesSent: 0, liquidationsSent: 0, uncertain: 0, notSent: 0, garbageSent: 0, duplicatesSent: 0, faults: {} };
  const certain = new Set();
  const uncertain = new Set();
  const recent = { binance: [], bybit: [] }; // { at, times, send } of the last 2 s, for duplicates and drops
  const uncertainUntil = { binance: 0, bybit: 0 };
  const rss = [];
  const timers = new Set();
  const later = (ms, fn) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const generator = frameGenerator({ seed, startTime: 1_760_000_000_000 });
  const topics = LINEAR.length + INVERSE.length;
  const pushOne = () => {
    const frame = generator.next();
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
      // Longer than staleAfter (3s), so that liqmon notices and replaces the connection.
      later(5_000, () => {
        uncertainUntil.binance = performance.now() + 500;
        binance.server.resume();
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
      chat.state.mode = '500';
      later(2_000, () => (chat.state.mode = 'ok'));
    },
    sink429() {
      chat.state.mode = '429';
      later(3_000, () => (chat.state.mode = 'ok'));
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
      if (elapsed >= nextRss) {
        nextRss += 1_000;
        const value = await procRss(run.child.pid);
        if (value !== undefined) rss.push(value);
        if (run.child.exitCode !== null) break;
      }
      await sleep(5);
    }
    // Faults end; let everything drain.
    for (const t of timers) clearTimeout(t);
    timers.clear();
    chat.state.mode = 'ok';
    binance.server.resume();
    const accounted = () => [...certain].filter((time) => chat.state.delivered.has(time)).length + chat.state.digestLiquidations;
    await until(() => accounted() >= certain.size || run.child.exitCode !== null, 60_000, 'deliveries to settle').catch(() => undefined);
    await sleep(1_000);

    const alive = run.child.exitCode === null && run.child.signalCode === null;
    const reconnects = binance.server.connections.length + bybit.server.connections.length - initialConnections;
    const exit = await run.stop();
    const log = run.stderr();

    const delivered = chat.state.delivered;
    const twice = [...delivered].filter(([, n]) => n > 1).length;
    const phantom = [...delivered.keys()].filter((time) => !certain.has(time) && !uncertain.has(time)).length;
    const missing = [...certain].filter((time) => !delivered.has(time)).length;
    const uncertainDelivered = [...uncertain].filter((time) => delivered.has(time)).length;
    const summary = {
      seconds,
      seed,
      framesSent: counts.framesSent,
      liquidationsSent: counts.liquidationsSent,
      certain: certain.size,
      uncertain: uncertain.size,
      uncertainDelivered,
      notSentWhileDown: counts.notSent,
      garbageSent: counts.garbageSent,
      duplicatesSent: counts.duplicatesSent,
      faults: counts.faults,
      alertsDelivered: delivered.size,
      messagesDelivered: chat.state.accepted,
      digests: chat.state.digests,
      liquidationsInDigests: chat.state.digestLiquidations,
      reconnects,
      sinkRetries: chat.state.answered500 + chat.state.answered429,
      answered500: chat.state.answered500,
      answered429: chat.state.answered429,
      maxRssMB: mb(Math.max(...rss)),
      rssFirstMB: mb(rss[0] ?? 0),
      rssLastMB: mb(rss.at(-1) ?? 0),
      exit,
    };
    check('liqmon ran until stopped (no crash)', alive, alive ? 'running' : 'exited by itself');
    check('exit code 0 after SIGTERM', exit.code === 0, JSON.stringify(exit));
    check('no liquidation delivered twice', twice === 0, `${twice} delivered more than once`);
    check('nothing delivered that was not sent', phantom === 0 && chat.state.malformedIds === 0, `${phantom} unknown`);
    check(
      'every liquidation sent while up delivered alone or in a digest',
      missing <= chat.state.digestLiquidations,
      `${missing} not delivered alone, ${chat.state.digestLiquidations} in digests`,
    );
    check(
      'digests do not count more than was sent',
      delivered.size + chat.state.digestLiquidations <= certain.size + uncertain.size,
      `${delivered.size} + ${chat.state.digestLiquidations} <= ${certain.size} + ${uncertain.size}`,
    );
    check('memory bounded', summary.maxRssMB < rssLimitMB, `max RSS ${summary.maxRssMB} MB (limit ${rssLimitMB})`);
    check('log: garbage reported', log.includes('dropped a frame that cannot be decoded'), '');
    check('log: reconnects reported', /websocket (closed|reconnecting)/.test(log), '');
    check('log: silence reported', !counts.faults.silentBinance || log.includes('websocket silent for too long'), '');
    check('log: sink retries reported', !(summary.sinkRetries > 0) || /retrying in \d+ ms/.test(log), '');
    return { summary, checks, ok: checks.every((c) => c.ok), log };
  } finally {
    for (const t of timers) clearTimeout(t);
    await run.stop();
    await Promise.all([binance.close(), bybit.close(), chat.close()]);
    await cfg.cleanup();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await soak({ seconds: Number(process.env.SOAK_SECONDS ?? 180), seed: Number(process.env.SOAK_SEED ?? 1) });
  console.log(JSON.stringify(result.summary, null, 2));
  for (const c of result.checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.detail ? ` (${c.detail})` : ''}`);
  if (!result.ok) {
    console.log('--- last lines of the liqmon log');
    console.log(result.log.split('\n').slice(-40).join('\n'));
  }
  process.exitCode = result.ok ? 0 : 1;
}
