/**
 * Benchmark (e): memory the rules hold under a feed that invents symbols (untrusted input), and that
 * they give it back. 1,000,000 liquidations over 100,000 distinct symbols go through the built
 * `RuleEngine` as fast as it takes them, then the feed goes quiet for 2.5 windows (idle keys are swept
 * once per window). The chain keys state by symbol and by base: a cascade rule per symbol and side
 * whose bar is never reached (the case that kept every key forever), a cascade rule per base and side,
 * and a cooldown rule whose folds receive most events. Windows and cooldowns are 10 s so that the run
 * takes about half a minute; memory does not depend on their length, only on what they hold.
 *
 * It runs in a child node with the deployed flags (--max-semi-space-size=1, MALLOC_ARENA_MAX=1:
 * docs/deploy.md) and --expose-gc, so RSS is the engine's and node's alone. RSS is read from
 * /proc/<pid>/status where there is one, and after a full GC.
 *
 * Run alone: `node bench/rules-memory.mjs` (after `npm run build`). RULES_MEMORY_EVENTS and
 * RULES_MEMORY_SYMBOLS change the load.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEPLOYED_ENV, DEPLOYED_NODE_FLAGS } from './lib/liqmon.mjs';
import { mb, round, sleep } from './lib/setup.mjs';

const WINDOW_MS = 10_000;
const GOAL_MB = 120;

/** Run the measurement in a child with the deployed node flags; resolves with its result. */
export async function rulesMemory({ events = 1_000_000, symbols = 100_000 } = {}) {
  const child = spawn(process.execPath, ['--expose-gc', ...DEPLOYED_NODE_FLAGS, fileURLToPath(import.meta.url), '--child'], {
    env: { ...process.env, ...DEPLOYED_ENV, RULES_MEMORY_EVENTS: String(events), RULES_MEMORY_SYMBOLS: String(symbols) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (out += chunk));
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`bench/rules-memory.mjs child exited with ${code}`);
  return JSON.parse(out);
}

async function rssBytes() {
  try {
    const status = await readFile('/proc/self/status', 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // not Linux: node's own figure below
  }
  return process.memoryUsage().rss;
}

async function probe(label, engine) {
  globalThis.gc();
  await sleep(200);
  globalThis.gc();
  return { label, rssMB: mb(await rssBytes()), heapUsedMB: mb(process.memoryUsage().heapUsed), keys: engine.keys() };
}

async function child() {
  const { RuleEngine } = await import('@liqmon/core');
  const events = Number(process.env.RULES_MEMORY_EVENTS ?? 1_000_000);
  const symbols = Number(process.env.RULES_MEMORY_SYMBOLS ?? 100_000);
  // In the validated shape RuleEngine takes (USD, ms), as bench/lib/setup.mjs writes THREE_RULES.
  const rules = [
    { name: 'per-symbol', continue: true, aggregate: { window: WINDOW_MS, by: ['symbol', 'side'], minUsd: 1e9 }, to: [] },
    { name: 'per-base', continue: true, aggregate: { window: WINDOW_MS, by: ['base', 'side'], minUsd: 50e6 }, to: [] },
    { name: 'whales', minUsd: 1_000, cooldown: WINDOW_MS, continue: false, to: [] },
  ];
  let alerts = 0;
  const engine = new RuleEngine({ rules, dedupeWindowMs: 60_000, emit: () => alerts++ });
  const probes = [await probe('engine built', engine)];
  const started = performance.now();
  const time = Date.now();
  for (let i = 0; i < events; i++) {
    const n = i % symbols;
    const usd = 1_000 + ((i * 7_919) % 200_000);
    engine.push({
      id: `fake:linear:S${n}USDT:${time + i}:${i}`,
      exchange: 'fake',
      market: 'linear',
      symbol: `S${n}USDT`,
      base: `S${n}`,
      quote: 'USDT',
      side: i % 3 === 0 ? 'short' : 'long',
      price: 1.5,
      priceKind: 'fill',
      quantity: usd / 1.5,
      notionalUsd: usd,
      time: time + i,
      receivedAt: time + i,
      sampled: false,
      source: 'fake',
    });
    if (i % 100_000 === 99_999) await sleep(0); // let timers run, as a live process would
  }
  const feedSeconds = round((performance.now() - started) / 1000, 1);
  probes.push(await probe(`after ${events.toLocaleString('en')} events`, engine));
  await sleep(WINDOW_MS * 2.5);
  probes.push(await probe(`quiet for 2.5 windows`, engine));
  const stats = engine.stats();
  engine.stop();
  const last = probes.at(-1);
  const result = {
    events,
    symbols,
    windowMs: WINDOW_MS,
    feedSeconds,
    alerts,
    overKeyLimit: Object.fromEntries(Object.entries(stats.rules).map(([name, c]) => [name, c.overKeyLimit])),
    probes,
    peakRssMB: Math.max(...probes.map((p) => p.rssMB)),
    quietRssMB: last.rssMB,
    goal: `RSS < ${GOAL_MB} MB once the windows have passed`,
    pass: last.rssMB < GOAL_MB && last.keys === 0,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv.includes('--child')) await child();
  else console.log(JSON.stringify(await rulesMemory(), null, 2));
}
