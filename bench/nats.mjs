/**
 * Benchmark: liquidations through a NATS JetStream bus, end to end across two `liqmon start` child
 * processes. A local FakeBinance pushes real-shaped USD-M frames (unique `T` each) to an ingest
 * instance (Binance source, `nats` sink behind a rule without filter), which publishes them to a real
 * nats-server; an alerting instance (`nats` source, console sink with `format: json`, one rule without
 * filter) prints each one. Latency = the moment this process reads the alert line minus the moment it
 * pushed the frame; the same figure for one instance (source + console, no bus) is measured alike, so
 * the difference is what the bus adds. Throughput: a burst of `burst` frames pushed at once, from the
 * push to the last alert line read.
 *
 * Run alone: `node bench/nats.mjs` (after `npm run build`; needs nats-server on PATH).
 */
import process from 'node:process';
import { startNatsServer } from '@liqmon/sink-nats/testing';
import { FakeBinance } from '@liqmon/core/testing';
import { paced, until } from './e2e.mjs';
import { binanceExchangeInfo, frameGenerator } from './lib/frames.mjs';
import { monotonicMs } from './lib/clock.mjs';
import { binanceSourceYaml, startLiqmon, writeConfig } from './lib/liqmon.mjs';
import { percentile, round } from './lib/setup.mjs';

const TIME_KEY = '"time":';

const everything = (sink, extra = '') => `delivery: { queueSize: 500000 }
rules:
  - name: all
${extra}    to: [${sink}]`;

/** Exchange times of the events of one console json line. */
function times(line) {
  const out = [];
  for (let i = line.indexOf(TIME_KEY); i >= 0; i = line.indexOf(TIME_KEY, i + TIME_KEY.length)) out.push(Number(line.slice(i + TIME_KEY.length, line.indexOf(',', i))));
  return out;
}

/** One setup (`bus` true: ingest + alerting on NATS; false: one instance), measured at `rate`/s and in a burst. */
async function measure({ bus, rate, seconds, burst }) {
  const fake = await FakeBinance.start(binanceExchangeInfo());
  const nats = bus ? await startNatsServer() : undefined;
  const generator = frameGenerator({ seed: 7, mix: ['usdm'] });
  const sentAt = new Map();
  const latencies = [];
  let alerts = 0;
  let lastArrival = 0;
  let measuring = false;
  const onLine = (line) => {
    const at = monotonicMs();
    for (const time of times(line)) {
      const t0 = sentAt.get(time);
      if (t0 !== undefined && measuring) latencies.push(at - t0);
      sentAt.delete(time);
      alerts++;
    }
    lastArrival = at;
  };
  const configs = [];
  const runs = [];
  try {
    if (bus) {
      const alerting = await writeConfig(`sources:\n  bus: { use: nats, servers: "${nats.url}", consumer: bench }\nsinks:\n  out: { use: console, format: json }\n${everything('out')}`);
      configs.push(alerting);
      runs.push(startLiqmon({ config: alerting.file, onLine, logLevel: 'info' }));
      await runs[0].waitForLog('consuming', 30_000);
      const ingest = await writeConfig(`sources:\n${binanceSourceYaml(fake)}\nsinks:\n  bus: { use: nats, servers: "${nats.url}" }\n${everything('bus', '    continue: true\n')}`);
      configs.push(ingest);
      runs.push(startLiqmon({ config: ingest.file }));
    } else {
      const single = await writeConfig(`sources:\n${binanceSourceYaml(fake)}\nsinks:\n  out: { use: console, format: json }\n${everything('out')}`);
      configs.push(single);
      runs.push(startLiqmon({ config: single.file, onLine }));
    }
    await fake.server.waitForClients(1, '/market/', 30_000);
    const push = () => {
      const frame = generator.next();
      sentAt.set(JSON.parse(frame.data).data.o.T, monotonicMs());
      fake.pushUsdm(frame.data);
    };
    await paced(rate, rate, push); // warm-up, until the alerting side is consuming
    await until(() => alerts >= rate, 60_000, 'the warm-up alerts');
    measuring = true;
    const before = alerts;
    await paced(rate * seconds, rate, push);
    await until(() => alerts >= before + rate * seconds, 60_000, 'the steady alerts');
    measuring = false;
    latencies.sort((a, b) => a - b);
    const frames = Array.from({ length: burst }, () => generator.next().data);
    const beforeBurst = alerts;
    const start = monotonicMs();
    fake.server.pushBurst(frames);
    await until(() => alerts >= beforeBurst + burst, 180_000, 'the burst alerts');
    const burstMs = lastArrival - start;
    return { p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)), burstEventsPerSecond: Math.round((burst / burstMs) * 1000) };
  } finally {
    for (const run of runs.reverse()) await run.stop();
    for (const config of configs) await config.cleanup();
    await nats?.stop();
    await fake.close();
  }
}

export async function natsBench({ rate = 500, seconds = 10, burst = 10_000 } = {}) {
  const single = await measure({ bus: false, rate, seconds, burst });
  const bus = await measure({ bus: true, rate, seconds, burst });
  return { rate, seconds, burst, single, bus, addedP50: round(bus.p50 - single.p50), addedP99: round(bus.p99 - single.p99) };
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${JSON.stringify(await natsBench(), null, 2)}\n`);
