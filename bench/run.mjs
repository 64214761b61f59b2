/**
 * `npm run bench`: builds, then runs every benchmark in turn, prints a table and writes
 * bench/results/latest.json (with a description of the machine, since the figures mean little without).
 *
 * Environment:
 *   BENCH_ONLY=throughput,decoders,e2e,memory,startup,rules-memory   run a subset
 *   BENCH_ONLY=store                           the store's figures (5M events; minutes; not in the default set)
 *   BENCH_QUICK=1                              shorter runs (fewer frames, 200k events for memory)
 * With BENCH_ONLY, latest.json keeps the sections this run did not measure (`sections` says which run
 * measured each).
 */
import { execSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { decoderRows, decoders } from './decoders.mjs';
import { endToEnd } from './e2e.mjs';
import { memory } from './memory.mjs';
import { rulesMemory } from './rules-memory.mjs';
import { startup } from './startup.mjs';
import { storeBench } from './store.mjs';
import { throughput } from './throughput.mjs';

const only = new Set((process.env.BENCH_ONLY ?? 'throughput,decoders,e2e,memory,startup,rules-memory').split(',').map((s) => s.trim()));
const quick = process.env.BENCH_QUICK === '1';

const sh = (cmd) => {
  try {
    return execSync(cmd, { encoding: 'utf8' }).trim();
  } catch {
    return 'n/a';
  }
};

const machine = {
  node: process.version,
  nproc: os.availableParallelism(),
  cpu: os.cpus()[0]?.model ?? 'unknown',
  memory: sh('free -h | head -2'),
  platform: `${os.type()} ${os.release()} ${os.arch()}`,
  loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  commit: sh('git rev-parse --short HEAD'),
  date: new Date().toISOString(),
};

const results = { machine };
let decoderTable;
const rows = [];
const row = (benchmark, measure, value, goal, pass) => rows.push({ benchmark, measure, value, goal, pass: pass === undefined ? '' : pass ? 'yes' : 'NO' });

if (only.has('throughput')) {
  process.stderr.write('bench: (a) in-process throughput...\n');
  const r = (results.throughput = await throughput({ frames: quick ? 100_000 : 200_000, rounds: quick ? 3 : 5 }));
  row('(a) in-process', 'bare JSON.parse events/s', r.bareEventsPerSec.toLocaleString('en'));
  row('(a) in-process', 'decode+3 rules+null sink events/s', r.pipelineEventsPerSec.toLocaleString('en'));
  row('(a) in-process', 'ratio', r.ratio, r.goal, r.pass);
}
if (only.has('decoders')) {
  process.stderr.write('bench: decoders beside JSON.parse and tardis-dev...\n');
  const r = (results.decoders = await decoders({ frames: quick ? 50_000 : 200_000, rounds: quick ? 3 : 5 }));
  for (const d of r.venues) {
    const tardis = d.tardisFps === undefined ? 'tardis-dev: not mapped' : `tardis-dev ${d.tardisFps.toLocaleString('en')}, ratio ${d.ratio}`;
    row('decoders', `${d.venue} frames/s: JSON.parse ${d.jsonParseFps.toLocaleString('en')}, liqmon ${d.liqmonFps.toLocaleString('en')}`, tardis, d.goal, d.pass);
  }
  decoderTable = decoderRows(r);
}
if (only.has('e2e')) {
  process.stderr.write('bench: (b) end to end through liqmon start...\n');
  const r = (results.endToEnd = await endToEnd({ seconds: quick ? 5 : 10 }));
  row('(b) end to end', `latency p50 at ${r.steady.rate}/s (ms)`, r.steady.p50Ms);
  row('(b) end to end', `latency p99 at ${r.steady.rate}/s (ms)`, r.steady.p99Ms, r.steady.goal, r.steady.pass);
  row('(b) end to end', `burst ${r.burst.frames}: liqmon alerts/s`, r.burst.liqmonPerSec.toLocaleString('en'));
  row('(b) end to end', 'burst: bare ws client frames/s', r.burst.barePerSec.toLocaleString('en'));
  row('(b) end to end', `burst: ratio of medians (${r.burst.rounds} rounds), lost`, `${r.burst.ratio}, ${r.burst.lost} lost`, r.burst.goal, r.burst.pass);
  row('(b) end to end', 'burst: ratio of each round', r.burst.roundRatios.join(' '));
  // The same through the console sink (format json): whole events serialized per alert, for comparison.
  const c = (results.endToEndConsole = await endToEnd({ seconds: 2, sink: 'console' }));
  row('(b) console json sink', 'burst: liqmon alerts/s, ratio, lost', `${c.burst.liqmonPerSec.toLocaleString('en')}, ${c.burst.ratio}, ${c.burst.lost} lost`);
}
if (only.has('memory')) {
  process.stderr.write('bench: (c) memory of liqmon start...\n');
  const checkpoints = quick ? [100_000, 200_000] : [100_000, 1_000_000];
  // As deployed (node --max-semi-space-size=1, MALLOC_ARENA_MAX=1, 10,000 frames/s): the goal. Then node's defaults, unpaced.
  const r = (results.memory = await memory({ checkpoints }));
  for (const p of r.probes) row('(c) memory', `${p.label}: RSS / heap after GC (MB)`, `${p.rssMB} / ${p.heapUsedAfterGcMB}`);
  row('(c) memory', 'max RSS; RSS growth 100k -> last', `${r.maxRssMB} MB; ${r.rssGrowthPct}%`, r.goal, r.pass);
  row('(c) memory', 'heap (after GC) growth 100k -> last', `${r.heapGrowthPct}%`);
  process.stderr.write('bench: (c) memory with node defaults, unpaced...\n');
  const d = (results.memoryNodeDefaults = await memory({ checkpoints, rate: 0, nodeFlags: [], env: {} }));
  row('(c) node defaults, unpaced', `RSS after start / ${d.probes[1].label} / ${d.probes.at(-1).label} (MB)`, d.probes.map((p) => p.rssMB).join(' / '));
}
if (only.has('startup')) {
  process.stderr.write('bench: (d) startup with 600+ Bybit symbols...\n');
  const r = (results.startup = await startup({ runs: quick ? 1 : 3 }));
  row('(d) startup', `spawn -> ${r.topics} topics subscribed (ms, median)`, r.subscribedMsMedian);
}
if (only.has('rules-memory')) {
  process.stderr.write('bench: (e) rules memory under 100k invented symbols...\n');
  const r = (results.rulesMemory = await rulesMemory(quick ? { events: 200_000, symbols: 20_000 } : {}));
  row('(e) rules memory', `RSS built / after ${r.events.toLocaleString('en')} events / quiet (MB)`, r.probes.map((p) => p.rssMB).join(' / '));
  row('(e) rules memory', 'keys tracked after / quiet', `${r.probes[1].keys} / ${r.probes[2].keys}`, r.goal, r.pass);
}
if (only.has('store')) {
  process.stderr.write('bench: (f) store: ingest, stats, size...\n');
  const r = (results.store = await storeBench(quick ? { events: 500_000 } : {}));
  row('(f) store', `ingest ${r.events.toLocaleString('en')} events/s (without the store)`, `${r.ingest.eventsPerSec.toLocaleString('en')} (${r.withoutStore.eventsPerSec.toLocaleString('en')})`, r.ingest.goal, r.ingest.pass);
  row('(f) store', `queryStats 24h (${r.stats24h.count.toLocaleString('en')} rows), median ms`, r.stats24h.medianMs, r.stats24h.goal, r.stats24h.pass);
  row('(f) store', `queryStats 1h (${r.stats1h.count.toLocaleString('en')} rows), median ms`, r.stats1h.medianMs);
  row('(f) store', 'MB per million events (file + WAL)', r.size.mbPerMillion);
}
machine.loadAverageAtEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);

console.table(rows);
if (decoderTable) console.table(decoderTable);
console.log(`node ${machine.node}, ${machine.nproc} cpus (${machine.cpu}), load average ${machine.loadAverageAtStart.join(' ')} -> ${machine.loadAverageAtEnd.join(' ')}`);
await mkdir(new URL('./results/', import.meta.url), { recursive: true });
const latest = new URL('./results/latest.json', import.meta.url);
// A subset run (BENCH_ONLY) replaces its own sections and keeps the others, and `machine` stays the
// last full run's; `sections` names the run (machine, commit, date, load) that measured each section
// since then.
const previous = process.env.BENCH_ONLY ? await readFile(latest, 'utf8').then(JSON.parse, () => ({})) : {};
const sections = { ...(previous.sections ?? {}) };
const { machine: _machine, ...measured } = results;
for (const key of Object.keys(measured)) sections[key] = machine;
const { sections: _sections, ...kept } = previous;
await writeFile(latest, `${JSON.stringify({ machine, ...kept, ...measured, sections }, null, 2)}\n`);
console.log('written: bench/results/latest.json');
