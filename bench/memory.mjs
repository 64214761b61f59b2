/**
 * Benchmark (c): memory of a real `liqmon start` child after start, after 100k and after 1M events.
 * By default it runs liqmon as deploy/ does (node --max-semi-space-size=1, MALLOC_ARENA_MAX=1: docs/deploy.md) at a
 * paced 10,000 frames/s, 20-50 times a real market's worst cascade; `nodeFlags: []` and no `rate`
 * show node's default heap sizing under as many frames as liqmon takes.
 * A local FakeBinance pushes real-shaped USD-M frames (unique ids) in chunks, paced on what the child
 * has processed; the chain is a `tap` rule (continue: true, every event to the null bench sink, which
 * is also the progress signal) followed by the benchmarks' three rules with their real thresholds,
 * so dedupe, cascade windows and delivery all hold what they would hold under this load.
 * The child runs with LIQMON_BENCH_PROBE=1 and --expose-gc: on SIGUSR2 the bench sink prints
 * process.memoryUsage() before and after a full GC; RSS is also read from /proc/<pid>/status.
 *
 * Run alone: `node bench/memory.mjs` (after `npm run build`).
 */
import { pathToFileURL } from 'node:url';
import { FakeBinance } from '@liqmon/core/testing';
import { paced, until } from './e2e.mjs';
import { binanceExchangeInfo, frameGenerator } from './lib/frames.mjs';
import { BENCH_SINK, binanceSourceYaml, DEPLOYED_ENV, DEPLOYED_NODE_FLAGS, procRss, startLiqmon, writeConfig } from './lib/liqmon.mjs';
import { mb, round, sleep } from './lib/setup.mjs';

const config = (fake, variant, store) => `${store ? '' : 'store: false\n'}${variant === 'tap-only' ? 'dedupeWindow: 0ms\n' : ''}sources:
${binanceSourceYaml(fake)}
sinks:
  nullsink: { use: ${JSON.stringify(BENCH_SINK)}, progressEvery: 5000 }
rules:
  - name: tap
    continue: true
    to: [nullsink]
${variant === 'tap-only' ? '' : `  - name: majors
    match: { base: [BTC, ETH, SOL] }
    minUsd: 50k
    to: [nullsink]
  - name: memes
    match: { symbol: ["1000*", "*PEPE*", "DOGE*"] }
    aggregate: { window: 60s, by: [base, side], minUsd: 1M }
    to: [nullsink]
  - name: everything-else
    minUsd: 100k
    to: [nullsink]
`}`;

/**
 * @param {{ checkpoints?: number[], chunk?: number, variant?: 'full' | 'tap-only', rate?: number, nodeFlags?: string[] }} options
 *   `tap-only`: no dedupe and only the tap rule, to tell what the chain holds from what the process holds.
 *   `rate`: frames per second, paced; 0 or undefined: as fast as liqmon takes them (two chunks in flight).
 *   `nodeFlags`, `env`: node options (besides --expose-gc for the probe) and environment of the liqmon child.
 *   `store`: false runs liqmon with `store: false` (the default, as deployed, stores every event).
 */
export async function memory({ checkpoints = [100_000, 1_000_000], chunk = 10_000, variant = 'full', rate = 10_000, nodeFlags = DEPLOYED_NODE_FLAGS, env = DEPLOYED_ENV, store = true } = {}) {
  const fake = await FakeBinance.start(binanceExchangeInfo());
  const cfg = await writeConfig(config(fake, variant, store));
  let tapped = 0; // events the tap rule delivered to the null sink
  const run = startLiqmon({
    config: cfg.file,
    env: { ...env, LIQMON_BENCH_PROBE: '1' },
    nodeArgs: ['--expose-gc', ...nodeFlags],
    onLine(line) {
      const progress = /^\{"progress":(\d+)\}$/.exec(line)?.[1];
      if (progress) tapped = Number(progress);
    },
  });
  const probes = [];
  const probe = async (label, events) => {
    await sleep(1_000); // let queues settle
    const rss = await procRss(run.child.pid);
    const seen = run.stderr().split('BENCH_MEMORY ').length;
    run.child.kill('SIGUSR2');
    await until(() => run.stderr().split('BENCH_MEMORY ').length > seen, 10_000, 'the memory probe');
    const text = run.stderr().split('BENCH_MEMORY ').at(-1).split('\n')[0];
    const m = JSON.parse(text);
    probes.push({
      label,
      events,
      rssMB: mb(rss ?? m.before.rss),
      heapUsedMB: mb(m.before.heapUsed),
      heapUsedAfterGcMB: mb(m.after.heapUsed),
      rssAfterGcMB: mb(m.after.rss),
      externalMB: mb(m.after.external),
    });
  };
  const started = performance.now();
  try {
    await fake.server.waitForClients(1, '/market/', 30_000);
    await probe('after start', 0);
    const generator = frameGenerator({ seed: 11, mix: ['usdm'] });
    let pushed = 0;
    for (const target of checkpoints) {
      if (rate) {
        await paced(target - pushed, rate, () => fake.pushUsdm(generator.next().data));
        pushed = target;
      }
      while (pushed < target) {
        const n = Math.min(chunk, target - pushed);
        for (let i = 0; i < n; i++) fake.pushUsdm(generator.next().data);
        pushed += n;
        // Keep at most two chunks in flight: the benchmark measures liqmon, not a socket backlog.
        await until(() => tapped >= pushed - chunk || tapped >= pushed - (pushed % 5000), 120_000, `liqmon to process ${pushed - chunk} events`);
      }
      await until(() => tapped >= target - (target % 5000), 120_000, `liqmon to process ${target} events`);
      await probe(`after ${target.toLocaleString('en')} events`, target);
    }
    const first = probes[1];
    const last = probes.at(-1);
    const growth = (a, b) => round(((b - a) / a) * 100, 1);
    const result = {
      probes,
      seconds: round((performance.now() - started) / 1000, 1),
      rate: rate || 'as fast as liqmon takes them',
      nodeFlags,
      env,
      store: store ? 'on' : 'off',
      rssGrowthPct: growth(first.rssMB, last.rssMB),
      heapGrowthPct: growth(first.heapUsedAfterGcMB, last.heapUsedAfterGcMB),
      maxRssMB: Math.max(...probes.map((p) => p.rssMB)),
      goal: 'RSS < 100 MB, growth 100k -> 1M < 10%',
    };
    result.pass = result.maxRssMB < 100 && result.rssGrowthPct < 10;
    return result;
  } finally {
    await run.stop();
    await fake.close();
    await cfg.cleanup();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const max = Number(process.env.MEMORY_EVENTS ?? 1_000_000);
  // MEMORY_RATE=0: unpaced; MEMORY_NODE_FLAGS='': node's defaults; MEMORY_STORE=off: `store: false`.
  const rate = process.env.MEMORY_RATE !== undefined ? Number(process.env.MEMORY_RATE) : undefined;
  const nodeFlags = process.env.MEMORY_NODE_FLAGS !== undefined ? process.env.MEMORY_NODE_FLAGS.split(' ').filter(Boolean) : undefined;
  const env = nodeFlags?.length === 0 ? {} : undefined; // MEMORY_NODE_FLAGS='' means node's defaults throughout
  console.log(JSON.stringify(await memory({ checkpoints: [Math.min(100_000, max), max], variant: process.env.MEMORY_VARIANT ?? 'full', rate, nodeFlags, env, store: process.env.MEMORY_STORE !== 'off' }), null, 2));
}
