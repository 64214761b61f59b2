/**
 * Benchmark (b): end to end through a real `liqmon start` child process. A local FakeBinance pushes
 * real-shaped USD-M frames (unique `T` each, so no id repeats) at a steady 1,000/s and then in a burst
 * of 20,000; the console sink (format json) prints each alert on the child's stdout, a pipe this
 * process reads. Latency = arrival of the alert line here minus the moment the frame was pushed.
 * Burst throughput is compared with a bare `ws` client (a child process too) that only receives and
 * parses the same 20,000 frames.
 *
 * Run alone: `node bench/e2e.mjs` (after `npm run build`).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FakeBinance } from '@liqmon/core/testing';
import { binanceExchangeInfo, frameGenerator } from './lib/frames.mjs';
import { startLiqmon, writeConfig } from './lib/liqmon.mjs';
import { percentile, round, sleep, threeRulesYaml } from './lib/setup.mjs';

const BARE_CLIENT = fileURLToPath(new URL('./lib/bare-client.mjs', import.meta.url));

const config = (fake) => `sources:
  binance:
    use: binance
    markets: [usdm]
    usdmUrl: ${fake.usdmUrl}
    usdmRestUrl: ${fake.restUrl}
    coinmRestUrl: ${fake.restUrl}
sinks:
  out: { use: console, format: json }
# The burst is pushed in one synchronous loop by this process, which reads liqmon's stdout too: while it
# pushes, nobody reads, the pipe fills and alerts wait in the console outbox. Room for the whole burst,
# so that the default queueSize (1000, then overflow folds into digests) does not decide the result.
delivery: { queueSize: 25000 }
${threeRulesYaml('out')}`;

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

/** Time for a bare ws client (child process) to receive and parse a burst of `frames`. */
async function bareBurst(fake, frames) {
  const child = spawn(process.execPath, [BARE_CLIENT, `${fake.usdmUrl}/market/stream?streams=!forceOrder@arr`, String(frames.length)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let ready = false;
  let doneAt;
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line === 'ready') ready = true;
    if (line.startsWith('done ')) doneAt = performance.now();
  });
  await until(() => ready, 10_000, 'the bare client to connect');
  await fake.server.waitForClients(1, '/market/');
  const start = performance.now();
  for (const frame of frames) fake.pushUsdm(frame);
  await until(() => doneAt !== undefined, 120_000, 'the bare client to parse the burst');
  await new Promise((resolve) => child.on('close', resolve));
  return doneAt - start;
}

/**
 * @param {{ rate?: number, seconds?: number, burst?: number }} options
 */
export async function endToEnd({ rate = 1_000, seconds = 10, burst = 20_000 } = {}) {
  const fake = await FakeBinance.start(binanceExchangeInfo());
  const cfg = await writeConfig(config(fake));
  const generator = frameGenerator({ seed: 7, mix: ['usdm'] });
  const sentAt = new Map(); // exchange time T (unique) -> push time
  const latencies = [];
  let alerts = 0;
  let folded = 0; // liquidations that arrived folded into digests (the outbox overflowed)
  let lastArrival = 0;
  const run = startLiqmon({
    config: cfg.file,
    onLine(line, at) {
      const alert = JSON.parse(line);
      if (alert.kind === 'digest') folded += alert.count;
      for (const event of alert.events) {
        const t0 = sentAt.get(event.time);
        if (t0 !== undefined && measuring) latencies.push(at - t0);
        sentAt.delete(event.time);
        alerts++;
      }
      lastArrival = at;
    },
  });
  let measuring = false;
  const push = () => {
    const frame = generator.next();
    const T = JSON.parse(frame.data).data.o.T;
    sentAt.set(T, performance.now());
    fake.pushUsdm(frame.data);
  };
  try {
    await fake.server.waitForClients(1, '/market/', 30_000);
    // Warm-up: 1 s at the steady rate, not measured (JIT, first connections of the pipe).
    await paced(rate, rate, push);
    await until(() => alerts >= rate, 30_000, 'the warm-up alerts');

    // Steady rate.
    measuring = true;
    const steadyCount = rate * seconds;
    const before = alerts;
    await paced(steadyCount, rate, push);
    await until(() => alerts >= before + steadyCount, 60_000, `${steadyCount} alerts at ${rate}/s`);
    measuring = false;
    latencies.sort((a, b) => a - b);

    // Burst: every frame pushed at once; throughput from the first push to the last alert.
    const burstFrames = Array.from({ length: burst }, () => generator.next().data);
    const beforeBurst = alerts;
    const start = performance.now();
    for (const frame of burstFrames) fake.pushUsdm(frame);
    await until(() => alerts + folded >= beforeBurst + burst, 180_000, `${burst} burst alerts`);
    const liqmonSeconds = (lastArrival - start) / 1000;
    const lost = beforeBurst + burst - alerts - folded;
    await run.stop();
    await until(() => fake.server.clients.size === 0, 10_000, 'liqmon to disconnect');

    // The same burst (same frames) to a bare client.
    const bareSeconds = (await bareBurst(fake, burstFrames)) / 1000;
    const result = {
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
        alertsReceived: burst + Math.min(0, -lost) - folded,
        foldedIntoDigests: folded,
        lost: Math.max(0, lost),
        liqmonSeconds: round(liqmonSeconds, 3),
        liqmonPerSec: Math.round(burst / liqmonSeconds),
        bareSeconds: round(bareSeconds, 3),
        barePerSec: Math.round(burst / bareSeconds),
        ratio: round(bareSeconds / liqmonSeconds, 3),
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
  console.log(JSON.stringify(await endToEnd({ seconds: Number(process.env.E2E_SECONDS ?? 10) }), null, 2));
}
