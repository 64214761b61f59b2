/**
 * Benchmark: the dashboard under 1,000 liquidations a second. A local FakeBinance pushes USD-M frames
 * at `rate` for `seconds` to the built `liqmon start` (store off, one rule that alerts on nothing, so
 * what is measured is the event path and the dashboard); three runs:
 *   1. no viewer (the baseline);
 *   2. five viewers of /api/stream (plain HTTP clients that read and count);
 *   3. four such viewers and the page itself in headless Chromium, where the longest task, the long
 *      tasks (> 50 ms) and the time between animation frames are recorded while the stream runs.
 * The server's CPU (utime + stime of the liqmon process over the steady part of the run, in % of one
 * core) and its peak RSS are read from /proc; the added CPU is run 2 minus run 1.
 *
 * Run alone: `node bench/dashboard.mjs [seconds]` (after `npm run build`; Linux; needs chromium at
 * /usr/bin/chromium or CHROMIUM_PATH). Writes bench/results/dashboard.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import console from 'node:console';
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { URL } from 'node:url';
import { FakeBinance } from '@liqmon/core/testing';
import { chromium } from 'playwright-core';
import { paced } from './e2e.mjs';
import { binanceExchangeInfo, frameGenerator } from './lib/frames.mjs';
import { binanceSourceYaml, DEPLOYED_ENV, DEPLOYED_NODE_FLAGS, startLiqmon, writeConfig } from './lib/liqmon.mjs';
import { mb, percentile, round, sleep } from './lib/setup.mjs';

const RATE = 1_000;
const SECONDS = Number(process.argv[2] ?? 60);
/** Not measured: connections, the first JIT and the page's first load settle. */
const WARMUP_MS = 5_000;
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds (user + system) used so far by `pid`. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Resident set size of `pid`, bytes. */
function rss(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line.split(/\s+/)[1]) * 1024;
}

/** A viewer of /api/stream that reads everything and counts the events. */
function streamViewer(url) {
  let events = 0;
  let bytes = 0;
  const req = get(`${url}/api/stream`, (res) => {
    res.setEncoding('utf8').on('data', (chunk) => {
      bytes += chunk.length;
      for (let i = chunk.indexOf('event: liquidation'); i >= 0; i = chunk.indexOf('event: liquidation', i + 1)) events++;
    });
  });
  req.on('error', () => undefined);
  return { stats: () => ({ events, bytes }), close: () => req.destroy() };
}

/** In the page: long tasks and frame gaps, from before its own script runs. */
const PAGE_PROBE = `
  window.__probe = { longTasks: [], frames: [] };
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__probe.longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
  let last = performance.now();
  const frame = (now) => { window.__probe.frames.push(now - last); last = now; requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
`;

async function run({ viewers, withPage }) {
  const fake = await FakeBinance.start(binanceExchangeInfo());
  const { file, cleanup } = await writeConfig(`sources:
${binanceSourceYaml(fake)}
sinks:
  out: { use: console, format: json }
store: false
http: { port: 0 }
rules:
  - { name: whales, minUsd: 10B, to: [out] }
`);
  const liqmon = startLiqmon({ config: file, env: DEPLOYED_ENV, nodeArgs: DEPLOYED_NODE_FLAGS, logLevel: 'info' });
  await liqmon.waitForLog('source started');
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(liqmon.stderr())[1];
  const pid = liqmon.child.pid;
  const clients = Array.from({ length: viewers }, () => streamViewer(url));
  let browser;
  let page;
  if (withPage) {
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    await context.addInitScript(PAGE_PROBE);
    page = await context.newPage();
    await page.goto(`${url}/`);
    await page.locator('#connection', { hasText: 'live' }).waitFor();
  }
  const generator = frameGenerator({ seed: 11, mix: ['usdm'] });
  let cpuStart;
  let startedAt;
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rss(pid))), 1000);
  const warm = sleep(WARMUP_MS).then(async () => {
    cpuStart = cpuSeconds(pid);
    startedAt = performance.now();
    if (page) await page.evaluate('window.__probe.longTasks.length = 0; window.__probe.frames.length = 0');
  });
  await paced(RATE * SECONDS, RATE, () => fake.pushUsdm(generator.next('usdm').data));
  await warm;
  const cpu = ((cpuSeconds(pid) - cpuStart) / ((performance.now() - startedAt) / 1000)) * 100;
  clearInterval(sampler);
  const result = { viewers: viewers + (withPage ? 1 : 0), cpuPercent: round(cpu, 1), peakRssMiB: mb(peakRss), eventsPerViewer: clients.map((c) => c.stats().events) };
  if (page) {
    const probe = await page.evaluate('window.__probe');
    const frames = [...probe.frames].sort((a, b) => a - b);
    result.page = {
      longestTaskMs: round(Math.max(0, ...probe.longTasks), 0),
      longTasks: probe.longTasks.length,
      frameMs: { median: round(percentile(frames, 0.5), 1), p99: round(percentile(frames, 0.99), 1), max: round(frames.at(-1) ?? 0, 1) },
      feedRows: await page.locator('#feed tbody tr').count(),
    };
    await browser.close();
  }
  for (const client of clients) client.close();
  await liqmon.stop();
  await fake.close();
  await cleanup();
  return result;
}

const runs = {};
for (const [name, options] of [
  ['noViewer', { viewers: 0, withPage: false }],
  ['fiveStreams', { viewers: 5, withPage: false }],
  ['fourStreamsAndPage', { viewers: 4, withPage: true }],
]) {
  process.stderr.write(`dashboard bench: ${name}, ${RATE}/s for ${SECONDS}s...\n`);
  runs[name] = await run(options);
  process.stderr.write(`${JSON.stringify(runs[name])}\n`);
}
const report = {
  rate: RATE,
  seconds: SECONDS,
  runs,
  addedCpuPercentFiveViewers: round(runs.fiveStreams.cpuPercent - runs.noViewer.cpuPercent, 1),
};
writeFileSync(new URL('./results/dashboard.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(report, null, 2));
