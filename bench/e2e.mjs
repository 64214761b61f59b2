/**
 * Benchmark (b): end to end through a real `liqmon start` child process. A local FakeBinance pushes
 * real-shaped USD-M frames (unique `T` each, so no id repeats) at a steady 1,000/s and then in a burst
 * of 20,000 (written to the socket at once: `FakeExchangeServer.pushBurst`). The fake sink
 * (`bench/plugins/arrivals-sink.mjs`, the default) stamps each message it is handed with the system's
 * monotonic clock, which this process reads too, and reports the exchange times of its liquidations
 * on the child's stdout; latency = that stamp minus the moment the frame was pushed. `sink: 'console'`
 * uses the console sink with `format: json` instead (whole events as JSON, one line per alert), and
 * an alert's arrival is when this process reads its line. Burst throughput is compared with a bare
 * `ws` client (a child process too) that only receives and parses, and stamps when it has parsed the
 * last frame of a burst: after a warm-up burst each, seven measured bursts of 20,000 frames go to
 * liqmon and to the bare client in turn (the same frames to both), and the medians are compared.
 *
 * Run alone: `node bench/e2e.mjs` (after `npm run build`); E2E_SINK=console for the console sink.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FakeBinance } from '@liqmon/core/testing';
import { binanceExchangeInfo, frameGenerator } from './lib/frames.mjs';
import { ARRIVALS_SINK, binanceSourceYaml, startLiqmon, writeConfig } from './lib/liqmon.mjs';
import { monotonicMs } from './lib/clock.mjs';
import { median, percentile, round, sleep, threeRulesYaml } from './lib/setup.mjs';

/** Key of an event's exchange time in a console json line. */
const TIME_KEY = '"time":';

const BARE_CLIENT = fileURLToPath(new URL('./lib/bare-client.mjs', import.meta.url));

const SINKS = {
  arrivals: `{ use: ${JSON.stringify(ARRIVALS_SINK)} }`,
  console: '{ use: console, format: json }',
};

/** One rule with a size threshold: only liquidations of at least `minUsd` alert (the rest are only stored). */
const thresholdRuleYaml = (to, minUsd) => `rules:
  - name: large
    minUsd: ${minUsd}
    to: [${to}]
`;

const config = (fake, sink, store, minUsd) => `${store ? '' : 'store: false\n'}sources:
${binanceSourceYaml(fake)}
sinks:
  out: ${SINKS[sink]}
# The burst reaches liqmon faster than a pipe to this process drains: alerts wait in the outbox. Room for
# the whole burst, so that the default queueSize (1000, then overflow folds into digests) does not
# decide the result.
delivery: { queueSize: 500000 }
${minUsd === undefined ? threeRulesYaml('out') : thresholdRuleYaml('out', minUsd)}`;

/** Resolves once `predicate()` holds (checked every 20 ms); rejects after `timeoutMs`. */
export async function until(predicate, timeoutMs, what) {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** Push `count` frames at `rate` per second, on a 1 ms tick; `push(i)` sends frame i. */
export async function paced(count, rate, push) {
  const start = performance.now();
  let i = 0;
  while (i < count) {
    const due = Math.min(count, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
    while (i < due) push(i++);
    await sleep(1);
  }
}

/**
 * A bare ws client (child process) that only receives and parses; `burst(frames)` pushes to it alone
 * and resolves with the time from the push to its stamp after the last frame parsed.
 */
async function startBareClient(fake, burstSize) {
  const child = spawn(process.execPath, [BARE_CLIENT, `${fake.usdmUrl}/market/stream?streams=!forceOrder@arr`, String(burstSize)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let ready = false;
  const doneAt = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line === 'ready') ready = true;
    if (line.startsWith('done ')) doneAt.push(Number(line.split(' ')[2]));
  });
  const before = new Set(fake.server.clients);
  await until(() => ready, 10_000, 'the bare client to connect');
  await until(() => fake.server.clients.size > before.size, 10_000, 'the bare client on the fake');
  const client = [...fake.server.clients].find((c) => !before.has(c));
  return {
    async burst(frames) {
      const done = doneAt.length;
      const start = monotonicMs();
      fake.server.pushBurst(frames, (c) => c === client);
      await until(() => doneAt.length > done, 120_000, 'the bare client to parse a burst');
      return doneAt.at(-1) - start;
    },
    async stop() {
      child.kill();
      await new Promise((resolve) => child.on('close', resolve));
    },
  };
}

/** A line of the arrivals sink: `@<arrival>`, then exchange times and `digest <count>` for each digest. */
function readArrivalsLine(line) {
  const times = [];
  let digested = 0;
  const words = line.split(' ');
  const at = Number(words[0].slice(1));
  for (let i = 1; i < words.length; i++) {
    if (words[i] === 'digest') digested += Number(words[++i]);
    else times.push(Number(words[i]));
  }
  return { times, digested, at };
}

/**
 * A console json line. This process also plays the exchange, so it reads each event's exchange time
 * out of the line (`"time":` occurs once per event) instead of parsing the whole alert.
 */
function readConsoleLine(line) {
  const at = monotonicMs();
  if (line.includes('"kind":"digest"')) return { times: [], digested: JSON.parse(line).count, at };
  const times = [];
  for (let i = line.indexOf(TIME_KEY); i >= 0; i = line.indexOf(TIME_KEY, i + TIME_KEY.length)) {
    times.push(Number(line.slice(i + TIME_KEY.length, line.indexOf(',', i))));
  }
  return { times, digested: 0, at };
}

/**
 * @param {{ rate?: number, seconds?: number, burst?: number, rounds?: number, sink?: 'arrivals' | 'console', store?: boolean, minUsd?: number }} options
 *   `store: false` runs liqmon with `store: false` (no history), to compare with the default (store on).
 *   `minUsd`: one rule with that threshold instead of three that alert on everything, so that most
 *   liquidations are only stored (about 11% of the generated sizes reach 1M): latency is measured on
 *   the ones that alert, and there is no burst phase.
 */
export async function endToEnd({ rate = 1_000, seconds = 10, burst = 20_000, rounds = 7, sink = 'arrivals', store = true, minUsd } = {}) {
  const fake = await FakeBinance.start(binanceExchangeInfo());
  const cfg = await writeConfig(config(fake, sink, store, minUsd));
  const generator = frameGenerator({ seed: 7, mix: ['usdm'] });
  const sentAt = new Map(); // exchange time T (unique) -> push time
  const latencies = [];
  let alerts = 0;
  let folded = 0; // liquidations that arrived folded into digests (the outbox overflowed)
  let lastArrival = 0;
  let messages = 0; // lines of the sink: one per message it was handed
  const readLine = sink === 'console' ? readConsoleLine : readArrivalsLine;
  const run = startLiqmon({
    config: cfg.file,
    onLine(line) {
      const { times, digested, at } = readLine(line);
      folded += digested;
      for (const time of times) {
        const t0 = sentAt.get(time);
        if (t0 !== undefined && measuring) latencies.push(at - t0);
        sentAt.delete(time);
        alerts++;
      }
      lastArrival = at;
      messages++;
    },
  });
  let measuring = false;
  let expected = 0; // frames that surely alert
  const push = () => {
    const frame = generator.next();
    const { T, q, ap } = JSON.parse(frame.data).data.o;
    // With a threshold, a frame within 0.1% of it may round either way: neither awaited nor timed
    // (its alert, if any, is counted: waiting for the sure ones then ends at most that many alerts early).
    const usd = Number(q) * Number(ap);
    if (minUsd === undefined || usd >= minUsd * 1.001) {
      sentAt.set(T, monotonicMs());
      expected++;
    }
    fake.pushUsdm(frame.data);
  };
  try {
    await fake.server.waitForClients(1, '/market/', 30_000);
    // Warm-up: 1 s at the steady rate, not measured (JIT, first connections of the pipe).
    await paced(rate, rate, push);
    await until(() => alerts >= expected, 30_000, 'the warm-up alerts');

    // Steady rate.
    measuring = true;
    const steadyCount = rate * seconds;
    const expectedBefore = expected;
    const before = alerts;
    await paced(steadyCount, rate, push);
    const awaited = expected - expectedBefore;
    await until(() => alerts >= before + awaited, 60_000, `${awaited} alerts at ${rate}/s`);
    measuring = false;
    latencies.sort((a, b) => a - b);
    if (minUsd !== undefined) {
      const steady = { rate, frames: steadyCount, minUsd, alerts: latencies.length, p50Ms: round(percentile(latencies, 50), 2), p99Ms: round(percentile(latencies, 99), 2), maxMs: round(latencies.at(-1) ?? Number.NaN, 2) };
      return { sink, store: store ? 'on' : 'off', steady };
    }

    // Bursts: every frame written at once; throughput from the push to the last alert (liqmon) or the
    // last frame parsed (bare client). Both get an unmeasured warm-up burst, then `rounds` measured
    // bursts each, alternating liqmon and bare client so that both see the machine in the same state;
    // medians are compared (this VM's speed drifts by up to 2x within minutes).
    const liqmonClients = new Set(fake.server.clients);
    const bare = await startBareClient(fake, burst);
    const frames = () => Array.from({ length: burst }, () => generator.next().data);
    const liqmonBurst = async (batch) => {
      const beforeBurst = alerts + folded;
      const start = monotonicMs();
      fake.server.pushBurst(batch, (c) => liqmonClients.has(c));
      await until(() => alerts + folded >= beforeBurst + burst, 180_000, `${burst} burst alerts`);
      return lastArrival - start;
    };
    await liqmonBurst(frames());
    await bare.burst(frames());
    const foldedBefore = folded;
    const alertsBefore = alerts;
    const messagesBefore = messages;
    const liqmonTimes = [];
    const bareTimes = [];
    for (let round = 0; round < rounds; round++) {
      const batch = frames();
      liqmonTimes.push(await liqmonBurst(batch));
      bareTimes.push(await bare.burst(batch));
    }
    await bare.stop();
    const burstFolded = folded - foldedBefore;
    const lost = rounds * burst - (alerts - alertsBefore) - burstFolded;
    const liqmonSeconds = median(liqmonTimes) / 1000;
    const bareSeconds = median(bareTimes) / 1000;
    const ratios = liqmonTimes.map((t, i) => round(bareTimes[i] / t, 2)).sort((a, b) => a - b);
    const result = {
      sink,
      steady: {
        rate,
        frames: steadyCount,
        alerts: latencies.length,
        p50Ms: round(percentile(latencies, 50), 2),
        p99Ms: round(percentile(latencies, 99), 2),
        maxMs: round(latencies.at(-1) ?? Number.NaN, 2),
        goal: 'p99 < 20 ms',
      },
      burst: {
        frames: burst,
        rounds,
        roundRatios: ratios,
        alertsReceived: rounds * burst + Math.min(0, -lost) - burstFolded,
        foldedIntoDigests: burstFolded,
        messagesPerBurst: Math.round((messages - messagesBefore) / rounds),
        lost: Math.max(0, lost),
        liqmonSeconds: round(liqmonSeconds, 3),
        liqmonPerSec: Math.round(burst / liqmonSeconds),
        bareSeconds: round(bareSeconds, 3),
        barePerSec: Math.round(burst / bareSeconds),
        ratio: round(bareSeconds / liqmonSeconds, 3),
        liqmonMs: liqmonTimes.map((t) => round(t, 1)),
        bareMs: bareTimes.map((t) => round(t, 1)),
        goal: '>= 0.7, nothing lost',
      },
    };
    result.steady.pass = result.steady.p99Ms < 20;
    result.burst.pass = result.burst.ratio >= 0.7 && result.burst.lost === 0 && folded === 0;
    return result;
  } finally {
    await run.stop();
    await fake.close();
    await cfg.cleanup();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // E2E_MIN_USD=1000000: only liquidations of $1M or more alert (no burst phase).
  const minUsd = process.env.E2E_MIN_USD === undefined ? undefined : Number(process.env.E2E_MIN_USD);
  console.log(JSON.stringify(await endToEnd({ seconds: Number(process.env.E2E_SECONDS ?? 10), sink: process.env.E2E_SINK ?? 'arrivals', store: process.env.E2E_STORE !== 'off', rounds: Number(process.env.E2E_ROUNDS ?? 7), minUsd }), null, 2));
}
