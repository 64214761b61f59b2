/**
 * Benchmark (d): startup of `liqmon start`, from spawning the process to every source subscribed, with
 * a local FakeBybit listing 620+ linear contracts (two instruments-info pages, as on the real exchange)
 * and 3 inverse ones. "Subscribed" is read on the fake's side: every `allLiquidation.<symbol>` topic is
 * acknowledged on a live connection. The time to the "source started" log line is reported as well.
 *
 * Run alone: `node bench/startup.mjs` (after `npm run build`).
 */
import { pathToFileURL } from 'node:url';
import { FakeBybit } from '@liqmon/core/testing';
import { until } from './e2e.mjs';
import { startLiqmon, writeConfig } from './lib/liqmon.mjs';
import { median, round } from './lib/setup.mjs';

const LINEAR = ['BTCUSDT', 'ETHUSDT', '1000PEPEUSDT', ...Array.from({ length: 620 }, (_, i) => `COIN${i}USDT`)];
const INVERSE = ['BTCUSD', 'ETHUSD', 'XRPUSD'];

async function once() {
  const fake = await FakeBybit.start({ linear: LINEAR, inverse: INVERSE });
  const cfg = await writeConfig(`sources:
  bybit: { use: bybit, wsUrl: "${fake.wsUrl}", restUrl: "${fake.restUrl}" }
sinks:
  out: { use: console, format: json }
rules:
  - name: all
    to: [out]
`);
  const run = startLiqmon({ config: cfg.file, logLevel: 'info' });
  try {
    const topics = LINEAR.length + INVERSE.length;
    await until(() => new Set(fake.subscribedTopics()).size >= topics, 60_000, `${topics} subscribed topics`);
    const subscribedMs = performance.now() - run.spawnedAt;
    const startedMs = (await run.waitForLog('source started', 60_000)) - run.spawnedAt;
    return { topics, connections: fake.server.clients.size, subscribedMs, startedMs };
  } finally {
    await run.stop();
    await fake.close();
    await cfg.cleanup();
  }
}

/** @param {{ runs?: number }} options */
export async function startup({ runs = 3 } = {}) {
  const all = [];
  for (let i = 0; i < runs; i++) all.push(await once());
  const result = {
    runs,
    topics: all[0].topics,
    connections: all[0].connections,
    subscribedMsMedian: Math.round(median(all.map((r) => r.subscribedMs))),
    subscribedMsAll: all.map((r) => Math.round(r.subscribedMs)),
    sourceStartedMsMedian: Math.round(median(all.map((r) => r.startedMs))),
  };
  result.seconds = round(result.subscribedMsMedian / 1000, 2);
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(await startup());
}
