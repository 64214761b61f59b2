/**
 * Decoder benchmark: each venue's liqmon decoder beside a bare `JSON.parse` of the same frames and,
 * where tardis-dev (a peer library) maps the venue's liquidations, beside tardis-dev's mapper.
 *
 * Per venue (one module in bench/decoders/): the package's golden frames replicated with varied
 * symbols, prices, sizes and times into N frames; the real source instance prepared offline against
 * the golden reference data. Three loops over the same frames:
 *   - JSON.parse only;
 *   - liqmon: `decode(rawFrame)` -> Liquidation[] (parsing included: decoders read the raw text);
 *   - tardis-dev: `JSON.parse` + `mapper.canHandle` + `mapper.map` (tardis takes parsed messages), one
 *     mapper per channel from `normalizeLiquidations(exchange, localTimestamp)`, with one Date made
 *     once as the local timestamp (not counted against tardis).
 * Median of `rounds` alternating rounds after a warm-up round of each; the ratio liqmon/tardis is the
 * median of the rounds' own ratios. Goal: liqmon frames/s at least tardis-dev's for every venue it maps.
 *
 * Run alone: `node bench/decoders.mjs` (after `npm run build`); DECODER_VENUES=binance,bybit for a
 * subset, BENCH_QUICK=1 for fewer frames, DECODER_ROUNDS=9 for more rounds, DECODER_CLOCK=cpu to time
 * each loop in the process's CPU time (`process.cpuUsage`) instead of the wall clock: on a shared
 * machine the wall clock counts the time other processes hold the CPU, which moves single rounds by 2x.
 */
import { readdir } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { normalizeLiquidations } from 'tardis-dev';
import { buildFrames, prepareVenue } from './lib/decoder-frames.mjs';
import { median, round } from './lib/setup.mjs';

/** Every venue module in bench/decoders/, by venue name. */
export async function loadVenues(only) {
  const dir = new URL('./decoders/', import.meta.url);
  const files = (await readdir(dir)).filter((name) => name.endsWith('.mjs')).sort();
  const entries = [];
  for (const file of files) {
    const entry = (await import(new URL(file, dir).href)).default;
    if (!only || only.has(entry.venue)) entries.push(entry);
  }
  return entries;
}

/** Seconds one call of `loop` takes: wall clock, or with `clock: 'cpu'` the process's CPU time (user + system). */
function timed(loop, clock) {
  if (clock === 'cpu') {
    const start = process.cpuUsage();
    loop();
    const { user, system } = process.cpuUsage(start);
    return (user + system) / 1e6;
  }
  const start = process.hrtime.bigint();
  loop();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Measures one venue (one module of bench/decoders/). */
export async function measureVenue(entry, { frames: count, rounds, clock = 'wall' }) {
  const localTimestamp = new Date();
  const tardisMappers = entry.tardis
    ? Object.fromEntries(Object.entries(entry.tardis).map(([channel, exchange]) => [channel, normalizeLiquidations(exchange, localTimestamp)]))
    : undefined;
  const prepared = await prepareVenue(entry);
  try {
    // Mappers of their own for choosing the frames: some tardis-dev mappers keep state (OKX's drops the
    // first message it sees).
    const checkMappers = entry.tardis
      ? Object.fromEntries(Object.entries(entry.tardis).map(([channel, exchange]) => [channel, normalizeLiquidations(exchange, localTimestamp)]))
      : undefined;
    const { frames, base, golden } = buildFrames(entry, prepared, { count, tardisMappers: checkMappers, localTimestamp });
    const instance = prepared.harness.instance;
    const mapperOf = tardisMappers ? frames.map((frame) => tardisMappers[frame.channel]) : [];

    let sink = 0;
    let liqmonEvents = 0;
    let tardisEvents = 0;
    const bare = () => {
      for (let i = 0; i < frames.length; i++) sink += JSON.parse(frames[i].data) === null ? 1 : 0;
    };
    const liqmon = () => {
      liqmonEvents = 0;
      for (let i = 0; i < frames.length; i++) liqmonEvents += instance.decode(frames[i]).length;
    };
    const tardis = () => {
      tardisEvents = 0;
      for (let i = 0; i < frames.length; i++) {
        const message = JSON.parse(frames[i].data);
        const mapper = mapperOf[i];
        if (!mapper.canHandle(message)) continue;
        for (const liquidation of mapper.map(message, localTimestamp) ?? []) tardisEvents += liquidation === null ? 0 : 1;
      }
    };

    const loops = tardisMappers ? [bare, liqmon, tardis] : [bare, liqmon];
    for (const loop of loops) loop(); // warm-up (JIT)
    const times = loops.map(() => []);
    for (let r = 0; r < rounds; r++) loops.forEach((loop, i) => times[i].push(timed(loop, clock)));
    const fps = (seconds) => Math.round(count / seconds);
    const [bareSeconds, liqmonSeconds, tardisSeconds] = times.map(median);
    const result = {
      venue: entry.venue,
      frames: count,
      baseFrames: base,
      goldenFrames: golden,
      rounds,
      clock,
      jsonParseFps: fps(bareSeconds),
      liqmonFps: fps(liqmonSeconds),
      liqmonEvents,
      liqmonRoundFps: times[1].map(fps),
      tardisExchanges: entry.tardis ? [...new Set(Object.values(entry.tardis))] : [],
      sinkCheck: sink,
    };
    if (tardisSeconds !== undefined) {
      result.tardisFps = fps(tardisSeconds);
      result.tardisEvents = tardisEvents;
      result.tardisRoundFps = times[2].map(fps);
      // Each round's liqmon and tardis loops run back to back, so the ratio of one round is measured
      // on one speed of the machine (a shared VM drifts by 2x over minutes): the median of those.
      result.ratio = round(median(times[2].map((seconds, r) => seconds / times[1][r])), 3);
      result.ratioOfMedians = round(tardisSeconds / liqmonSeconds, 3);
      result.goal = 'liqmon >= tardis-dev';
      result.pass = result.ratio >= 1;
    }
    return result;
  } finally {
    await prepared.close();
  }
}

/**
 * @param {{ frames?: number, rounds?: number, venues?: Set<string>, clock?: 'wall' | 'cpu' }} options
 * @returns {Promise<{ venues: object[], notMappedByTardis: string[] }>}
 */
export async function decoders({ frames = 200_000, rounds = 5, venues, clock = 'wall' } = {}) {
  const entries = await loadVenues(venues);
  const results = [];
  for (const entry of entries) {
    process.stderr.write(`bench: decoders: ${entry.venue}...\n`);
    results.push(await measureVenue(entry, { frames, rounds, clock }));
  }
  return { venues: results, notMappedByTardis: results.filter((r) => r.tardisFps === undefined).map((r) => r.venue) };
}

/** Table rows: venue, JSON.parse fps, liqmon fps, tardis fps, ratio, goal met. */
export function decoderRows(result) {
  return result.venues.map((r) => ({
    venue: r.venue,
    'JSON.parse fps': r.jsonParseFps.toLocaleString('en'),
    'liqmon fps': r.liqmonFps.toLocaleString('en'),
    'tardis-dev fps (JSON.parse + map)': r.tardisFps?.toLocaleString('en') ?? 'not mapped',
    'liqmon/tardis': r.ratio ?? '',
    'goal met': r.pass === undefined ? '' : r.pass ? 'yes' : 'NO',
  }));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quick = process.env.BENCH_QUICK === '1';
  const venues = process.env.DECODER_VENUES ? new Set(process.env.DECODER_VENUES.split(',').map((s) => s.trim())) : undefined;
  const clock = process.env.DECODER_CLOCK === 'cpu' ? 'cpu' : 'wall';
  const rounds = Number(process.env.DECODER_ROUNDS) || (quick ? 3 : 5);
  const result = await decoders({ frames: quick ? 50_000 : 200_000, rounds, venues, clock });
  console.table(decoderRows(result));
  for (const r of result.venues) {
    console.log(`${r.venue}: ${r.baseFrames} of ${r.goldenFrames} golden frames as the base; events liqmon ${r.liqmonEvents}, tardis ${r.tardisEvents ?? '-'}; liqmon fps per round ${r.liqmonRoundFps.join(' ')}${r.tardisRoundFps ? `; tardis ${r.tardisRoundFps.join(' ')}` : ''}`);
  }
}
