/**
 * Benchmark (a): in-process throughput. Real-shaped Binance and Bybit frames go through the built
 * plugins' own `decode`, core's RuleEngine with a three-rule chain, and a null sink; a bare loop that
 * only JSON.parses the same frames is the yardstick. Goal: the pipeline reaches at least half the bare
 * loop's rate.
 *
 * Run alone: `node bench/throughput.mjs` (after `npm run build`).
 */
import { pathToFileURL } from 'node:url';
import { RuleEngine } from '@liqmon/core';
import { FakeBinance, FakeBybit } from '@liqmon/core/testing';
import { binanceExchangeInfo, COINM, frameGenerator, INVERSE, LINEAR } from './lib/frames.mjs';
import { binance, bybit, median, round, silentSourceContext, THREE_RULES } from './lib/setup.mjs';

/** Build decoders whose reference data (base/quote, contract sizes) is loaded from local fakes, as live. */
export async function decoders() {
  const fakeBinance = await FakeBinance.start(binanceExchangeInfo());
  const fakeBybit = await FakeBybit.start({ linear: LINEAR.map(([s]) => s), inverse: INVERSE.map(([s]) => s) });
  try {
    const b = binance.create(binance.options.parse(fakeBinance.endpoints()), silentSourceContext('binance'));
    const y = bybit.create(bybit.options.parse({ wsUrl: fakeBybit.wsUrl, restUrl: fakeBybit.restUrl }), silentSourceContext('bybit'));
    await Promise.all([b.prepare?.(), y.prepare?.()]);
    await Promise.all([b.stop(), y.stop()]);
    return { binance: b, bybit: y };
  } finally {
    await Promise.all([fakeBinance.close(), fakeBybit.close()]);
  }
}

/**
 * @param {{ frames?: number, rounds?: number }} options
 */
export async function throughput({ frames: count = 200_000, rounds = 5 } = {}) {
  const sources = await decoders();
  const generator = frameGenerator({ seed: 42 });
  const frames = Array.from({ length: count }, () => {
    const f = generator.next();
    return { decoder: sources[f.exchange], frame: { channel: f.channel, data: f.data, receivedAt: 0 } };
  });

  // Bare: only JSON.parse. `sink` keeps V8 from dropping the work.
  let sink = 0;
  const bare = () => {
    const start = process.hrtime.bigint();
    for (const { frame } of frames) sink += JSON.parse(frame.data) === null ? 1 : 0;
    return Number(process.hrtime.bigint() - start) / 1e9;
  };

  // Pipeline: decode -> rules (fresh engine per round, so dedupe sees every id once) -> null sink.
  let events = 0;
  let alerts = 0;
  const pipeline = () => {
    events = 0;
    alerts = 0;
    const engine = new RuleEngine({ rules: THREE_RULES, dedupeWindowMs: 60_000, emit: () => void alerts++ });
    const start = process.hrtime.bigint();
    for (const { decoder, frame } of frames) {
      frame.receivedAt = Date.now();
      for (const event of decoder.decode(frame)) {
        events++;
        engine.push(event);
      }
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    engine.stop();
    return seconds;
  };

  // Warm up both paths (JIT), then alternate rounds so that neither gets a cooler or hotter machine.
  bare();
  pipeline();
  const bareTimes = [];
  const pipeTimes = [];
  for (let i = 0; i < rounds; i++) {
    bareTimes.push(bare());
    pipeTimes.push(pipeline());
  }
  const bareSeconds = median(bareTimes);
  const pipeSeconds = median(pipeTimes);
  const result = {
    frames: count,
    events,
    alerts,
    rounds,
    bareFramesPerSec: Math.round(count / bareSeconds),
    bareEventsPerSec: Math.round(events / bareSeconds),
    pipelineFramesPerSec: Math.round(count / pipeSeconds),
    pipelineEventsPerSec: Math.round(events / pipeSeconds),
    ratio: round(bareSeconds / pipeSeconds, 3),
    goal: '>= 0.5',
    sinkCheck: sink,
  };
  result.pass = result.ratio >= 0.5;
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(await throughput());
}
