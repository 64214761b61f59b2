/**
 * Replays that need no network: a source's reference data travels in the recording (`reference` lines)
 * and is handed to `prepare(data)`; a later line for the same source is handed over again; a replay
 * never calls `refresh()`; and the summary names every frame it could not price or decode, with the
 * recording's line numbers (live `start` logs such drops at most a line a second: 4 frames, 1 line).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { coreConfigSchema } from '../../src/config/schema.js';
import type { LoadedConfig } from '../../src/config/types.js';
import { MalformedFrameError, UnknownInstrumentError } from '../../src/errors.js';
import type { Liquidation } from '../../src/liquidation.js';
import { defineSource, type SourceDefinition } from '../../src/plugin.js';
import { describeDrops } from '../../src/replay/drops.js';
import { playRecording, RecordingClock } from '../../src/replay/player.js';
import { frameLine, parseRecordingLine, referenceLine } from '../../src/replay/recording.js';
import { Runtime } from '../../src/runtime/runtime.js';
import { Redactor } from '../../src/util/redactor.js';

const T = Date.UTC(2026, 11, 4, 16, 0, 0);

/**
 * A COIN-M-like source: `SYMBOL:CONTRACTS` frames are priced with the contract size of its list; the
 * list comes from `prepare(reference)` or, without one, from the "venue", which is offline here.
 */
function sizedSource() {
  const calls = { prepares: [] as unknown[], refreshes: 0 };
  const definition = defineSource({
    name: 'sized',
    options: z.object({}),
    create(_options, context) {
      let sizes = new Map<string, number>();
      return {
        async prepare(reference) {
          calls.prepares.push(reference);
          if (reference === undefined) throw new Error('getaddrinfo ENOTFOUND venue.example'); // no network
          sizes = new Map(Object.entries(reference as Record<string, number>));
        },
        reference: () => Object.fromEntries(sizes),
        async refresh() {
          calls.refreshes++;
        },
        async start() {},
        async stop() {},
        decode(frame): Liquidation[] {
          const [symbol = '', contracts = ''] = frame.data.split(':');
          if (!/^\d+$/.test(contracts)) throw new MalformedFrameError(`sized: bad contracts ${JSON.stringify(contracts)}`);
          const size = sizes.get(symbol);
          if (size === undefined) throw new UnknownInstrumentError(symbol);
          const usd = Number(contracts) * size;
          const at = frame.receivedAt;
          return [{ id: `${frame.data}@${at}`, exchange: 'sized', market: 'inverse', symbol, base: symbol.slice(0, 3), quote: 'USD', side: 'long', price: 100, priceKind: 'fill', quantity: usd / 100, notionalUsd: usd, time: at, receivedAt: at, sampled: false, source: context.name }];
        },
      };
    },
  });
  return { definition: definition as unknown as SourceDefinition, calls };
}

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function replay(lines: string[]) {
  dir = mkdtempSync(path.join(tmpdir(), 'liqmon-reference-'));
  const file = path.join(dir, 'rec.ndjson');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const { definition, calls } = sizedSource();
  const config: LoadedConfig = {
    file: undefined,
    dir,
    core: coreConfigSchema.parse({}),
    sources: [{ name: 'coinm', use: 'sized', definition, options: {}, secrets: [] }],
    sinks: [],
    warnings: [],
  };
  const events: Liquidation[] = [];
  const clock = new RecordingClock();
  const logger = pino({ level: 'silent' });
  const runtime = new Runtime({ config, logger, redactor: new Redactor(), now: clock.now, onEvent: (event) => events.push(event), refreshOnUnknownInstrument: false, logDroppedFrames: false });
  const report = await playRecording({ file, runtime, clock, speed: 'max', logger });
  await runtime.stop(1_000);
  return { report, events, calls };
}

const frame = (data: string, at: number) => frameLine({ channel: 'coinm', data, receivedAt: T + at }, 'coinm', 'sized');
const reference = (data: unknown, at: number) => referenceLine(data, 'coinm', 'sized', T + at);

describe('reference lines', () => {
  it('round-trip through the parser, and a broken one says what is missing', () => {
    const line = reference({ BTCUSD_PERP: 100 }, 0);
    expect(parseRecordingLine(line)).toEqual([{ type: 'reference', v: 1, source: 'coinm', use: 'sized', receivedAt: T, data: { BTCUSD_PERP: 100 } }]);
    expect(() => parseRecordingLine('{"type":"reference","source":"coinm","use":"sized","receivedAt":1}')).toThrow(/without "data"/);
    expect(() => parseRecordingLine('{"type":"reference","source":"coinm","receivedAt":1,"data":{}}')).toThrow(/string "use"/);
    expect(() => parseRecordingLine('{"type":"reference","source":"coinm","use":"sized","data":{}}')).toThrow(/numeric "receivedAt"/);
  });
});

describe('a replay with reference lines', () => {
  it('prepares the source with the recorded data (no network), and with a later line from there on', async () => {
    const { events, calls, report } = await replay([
      reference({ BTCUSD_PERP: 100 }, 0),
      frame('BTCUSD_PERP:3', 0),
      frame('ETHUSD_PERP:2', 1_000), // listed later: not priced with the data of the time
      reference({ BTCUSD_PERP: 100, ETHUSD_PERP: 10 }, 2_000), // the recording's source refreshed
      frame('ETHUSD_PERP:2', 2_000),
    ]);
    expect(calls.prepares).toEqual([{ BTCUSD_PERP: 100 }, { BTCUSD_PERP: 100, ETHUSD_PERP: 10 }]);
    expect(calls.refreshes).toBe(0);
    expect(events.map((event) => [event.symbol, event.notionalUsd])).toEqual([
      ['BTCUSD_PERP', 300],
      ['ETHUSD_PERP', 20],
    ]);
    expect(report).toMatchObject({ lines: 5, frames: 3, unknownInstrument: 1, malformed: 0 });
    expect(describeDrops(report.dropped)).toEqual([
      "1 frame of coinm could not be priced (instrument not in the recording's reference data, and replay does not reach the network for it): ETHUSD_PERP at line 3",
    ]);
  });

  it('without one falls back to prepare() as before, and names every frame it could not price or decode', async () => {
    const { events, calls, report } = await replay([
      frame('BTCUSD_PERP:3', 0),
      frame('ETHUSD_PERP:1', 100),
      frame('BTCUSD_PERP:x', 200),
      frame('BTCUSD_PERP:4', 300),
      frame('BTCUSD_PERP:5', 400),
      frame('BTCUSD_PERP:nope', 500),
    ]);
    expect(calls.prepares).toEqual([undefined]);
    expect(calls.refreshes).toBe(0);
    expect(events).toEqual([]);
    expect(report).toMatchObject({ frames: 6, unknownInstrument: 4, malformed: 2 });
    expect(describeDrops(report.dropped)).toEqual([
      '4 frames of coinm could not be priced (instrument not in the reference data loaded for the replay; the recording holds none for coinm, record it again to keep it): BTCUSD_PERP at lines 1, 4, 5; ETHUSD_PERP at line 2',
      '2 frames could not be decoded (malformed) at lines 3, 6; the first: sized: bad contracts "x"',
    ]);
  });

  it('names the first lines of each instrument and counts the rest', async () => {
    const lines = Array.from({ length: 8 }, (_, index) => frame('BTCUSD_PERP:1', index));
    const { report } = await replay([reference({}, 0), ...lines]);
    expect(describeDrops(report.dropped)[0]).toMatch(/^8 frames of coinm could not be priced .*: BTCUSD_PERP at lines 2, 3, 4, 5, 6 and 3 more$/);
  });
});

describe('the reference data a recording keeps', () => {
  it('is written before the first frame, again after a refresh that changed it, and every minute only if it changed', async () => {
    const { RecordedReference, REFERENCE_CHECK_MS } = await import('../../src/replay/reference-tracker.js');
    let data: unknown = undefined;
    let reads = 0;
    const tracker = new RecordedReference(() => (reads++, data), 'coinm', 'sized');
    expect(tracker.lineBefore(T)).toBeUndefined(); // nothing loaded yet
    data = { BTCUSD_PERP: 100 };
    expect(tracker.lineBefore(T + 1)).toBeUndefined(); // not looked at again before a minute
    expect(parseRecordingLine(tracker.lineBefore(T + REFERENCE_CHECK_MS)!)).toEqual([{ type: 'reference', v: 1, source: 'coinm', use: 'sized', receivedAt: T + REFERENCE_CHECK_MS, data }]);
    const readsThen = reads;
    for (let index = 0; index < 100; index++) expect(tracker.lineBefore(T + REFERENCE_CHECK_MS + index)).toBeUndefined();
    expect(reads).toBe(readsThen); // not per frame
    tracker.refreshed();
    expect(tracker.lineBefore(T + REFERENCE_CHECK_MS + 200)).toBeUndefined(); // same data: nothing written
    data = { BTCUSD_PERP: 100, ETHUSD_PERP: 10 };
    tracker.refreshed();
    expect(parseRecordingLine(tracker.lineBefore(T + REFERENCE_CHECK_MS + 300)!)[0]).toMatchObject({ type: 'reference', data });
  });
});
