/**
 * Benchmark: a highly available pair (`cluster:`), two `liqmon start` child processes with the same
 * rules against a local FakeBinance and a real nats-server, each printing its alerts with the console
 * sink (`format: json`); only the leader prints.
 *  - Added latency: at `rate` frames/s, the moment this process reads an alert line minus the moment it
 *    pushed the frame, for the pair and for one instance without `cluster:` (the difference is what
 *    the alert stream adds: publish, store, consume, acknowledge).
 *  - Takeover after a crash: the leader is killed with SIGKILL while frames keep coming (every 20 ms);
 *    time from the kill to the follower's "is the leader now" line and to its first alert printed.
 *  - Handover on SIGTERM: the same with a clean stop of the leader.
 * With the default lease (10 s), renewed every third of it.
 *
 * Run alone: `node bench/cluster.mjs` (after `npm run build`; needs nats-server on PATH).
 */
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { startNatsServer } from '@liqmon/sink-nats/testing';
import { FakeBinance } from '@liqmon/core/testing';
import { paced, until } from './e2e.mjs';
import { binanceExchangeInfo, frameGenerator } from './lib/frames.mjs';
import { monotonicMs } from './lib/clock.mjs';
import { startLiqmon, writeConfig } from './lib/liqmon.mjs';
import { percentile, round } from './lib/setup.mjs';

const TIME_KEY = '"time":';

/** Exchange times of the events of one console json line. */
function times(line) {
  const out = [];
  for (let i = line.indexOf(TIME_KEY); i >= 0; i = line.indexOf(TIME_KEY, i + TIME_KEY.length)) out.push(Number(line.slice(i + TIME_KEY.length, line.indexOf(',', i))));
  return out;
}

function config(fake, cluster) {
  return `${cluster ?? ''}store: false
delivery: { queueSize: 500000 }
sources:
  binance: { use: binance, markets: [usdm], usdmUrl: "${fake.usdmUrl}", usdmRestUrl: "${fake.restUrl}", coinmRestUrl: "${fake.restUrl}" }
sinks:
  out: { use: console, format: json }
rules:
  - name: all
    to: [out]
`;
}

/** Frames pushed with their push time; alert lines read, by instance. */
function recorder() {
  const sentAt = new Map();
  const latencies = [];
  const seen = { a: 0, b: 0, single: 0 };
  const firstAt = { a: undefined, b: undefined };
  let measuring = false;
  return {
    sentAt,
    latencies,
    seen,
    firstAt,
    measure(on) {
      measuring = on;
    },
    onLine: (who) => (line) => {
      const at = monotonicMs();
      for (const time of times(line)) {
        const t0 = sentAt.get(time);
        if (t0 !== undefined && measuring) latencies.push(at - t0);
        seen[who]++;
      }
      firstAt[who] ??= at;
    },
  };
}

async function latency({ cluster, rate, seconds }) {
  const fake = await FakeBinance.start(binanceExchangeInfo());
  const nats = cluster ? await startNatsServer() : undefined;
  const generator = frameGenerator({ seed: 11, mix: ['usdm'] });
  const rec = recorder();
  const configs = [];
  const runs = [];
  try {
    const names = cluster ? ['a', 'b'] : ['single'];
    for (const name of names) {
      const file = await writeConfig(config(fake, cluster ? `cluster: { nats: "${nats.url}", name: bench, instance: ${name} }\n` : undefined));
      configs.push(file);
      const run = startLiqmon({ config: file.file, onLine: rec.onLine(name), logLevel: 'info' });
      runs.push(run);
      if (cluster && name === 'a') await run.waitForLog('a is the leader now', 30_000);
    }
    await fake.server.waitForClients(names.length, '/market/', 30_000);
    const total = () => rec.seen.a + rec.seen.b + rec.seen.single;
    const push = () => {
      const frame = generator.next();
      rec.sentAt.set(JSON.parse(frame.data).data.o.T, monotonicMs());
      fake.pushUsdm(frame.data);
    };
    await paced(rate, rate, push); // warm-up
    await until(() => total() >= rate, 60_000, 'the warm-up alerts');
    rec.measure(true);
    const before = total();
    await paced(rate * seconds, rate, push);
    await until(() => total() >= before + rate * seconds, 60_000, 'the steady alerts');
    rec.measure(false);
    rec.latencies.sort((x, y) => x - y);
    return { p50: round(percentile(rec.latencies, 50)), p99: round(percentile(rec.latencies, 99)) };
  } finally {
    for (const run of runs.reverse()) await run.stop();
    for (const file of configs) await file.cleanup();
    await nats?.stop();
    await fake.close();
  }
}

/** Kill (or stop) the leader while frames keep coming; time to the follower leading and alerting. */
async function takeover(signal) {
  const fake = await FakeBinance.start(binanceExchangeInfo());
  const nats = await startNatsServer();
  const generator = frameGenerator({ seed: 13, mix: ['usdm'] });
  const rec = recorder();
  const configs = [];
  const runs = {};
  try {
    for (const name of ['a', 'b']) {
      const file = await writeConfig(config(fake, `cluster: { nats: "${nats.url}", name: bench, instance: ${name} }\n`));
      configs.push(file);
      runs[name] = startLiqmon({ config: file.file, onLine: rec.onLine(name), logLevel: 'info' });
      if (name === 'a') await runs.a.waitForLog('a is the leader now', 30_000);
    }
    await fake.server.waitForClients(2, '/market/', 30_000);
    let pushing = true;
    const pusher = (async () => {
      while (pushing) {
        fake.pushUsdm(generator.next().data);
        await sleep(20);
      }
    })();
    await until(() => rec.seen.a >= 20, 30_000, 'alerts from the leader');
    // Settle a renewal cycle so that the kill lands at a random point of the lease.
    await sleep(1_000 + Math.random() * 3_000);
    const killedAt = monotonicMs();
    runs.a.child.kill(signal);
    await runs.b.waitForLog('b is the leader now', 60_000);
    const leadsAt = monotonicMs(); // within a 20 ms poll of the log line
    await until(() => rec.firstAt.b !== undefined, 30_000, 'the first alert of the new leader');
    pushing = false;
    await pusher;
    return { leaderAfterMs: Math.round(leadsAt - killedAt), firstAlertAfterMs: Math.round(rec.firstAt.b - killedAt) };
  } finally {
    for (const run of Object.values(runs).reverse()) await run.stop();
    for (const file of configs) await file.cleanup();
    await nats.stop();
    await fake.close();
  }
}

export async function clusterBench({ rate = 200, seconds = 8, runs = 3 } = {}) {
  const single = await latency({ cluster: false, rate, seconds });
  const pair = await latency({ cluster: true, rate, seconds });
  const kills = [];
  const stops = [];
  for (let i = 0; i < runs; i++) kills.push(await takeover('SIGKILL'));
  for (let i = 0; i < runs; i++) stops.push(await takeover('SIGTERM'));
  return { rate, seconds, leaseMs: 10_000, single, pair, addedP50: round(pair.p50 - single.p50), addedP99: round(pair.p99 - single.p99), sigkill: kills, sigterm: stops };
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${JSON.stringify(await clusterBench(), null, 2)}\n`);
