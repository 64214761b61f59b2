/**
 * A replay sees what the live run saw, at every speed: a recording built so that cascade updates and
 * cooldown folds fall due between recorded entries (test/fixtures/replay/timers.ndjson, frames of a
 * toy source and recorded liquidations, one of them a duplicate). Its alerts, their times and their
 * texts must be the same at `--speed max`, at a fast finite speed, and from the live engine on fake
 * timers fed the same events at the same times.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { Alert } from '../../src/alert.js';
import { coreConfigSchema } from '../../src/config/schema.js';
import type { LoadedConfig } from '../../src/config/types.js';
import { createFormatter } from '../../src/format/index.js';
import type { Liquidation } from '../../src/liquidation.js';
import { defineSource, type SourceDefinition } from '../../src/plugin.js';
import { playRecording, RecordingClock, type ReplaySpeed } from '../../src/replay/player.js';
import { parseRecordingLine } from '../../src/replay/recording.js';
import { RuleEngine } from '../../src/rules/index.js';
import { Runtime } from '../../src/runtime/runtime.js';
import { Redactor } from '../../src/util/redactor.js';

const RECORDING = fileURLToPath(new URL('../fixtures/replay/timers.ndjson', import.meta.url));
/** 2026-12-04T16:00:00Z, the recording's first entry. */
const T = Date.UTC(2026, 11, 4, 16, 0, 0);

const core = coreConfigSchema.parse({
  rules: [
    { name: 'anywhere', continue: true, aggregate: { window: '60s', by: [], minUsd: '3M' }, to: [] },
    { name: 'btc-cascade', match: { base: 'BTC' }, aggregate: { window: '60s', by: ['base', 'side'], minUsd: '2M' }, cooldown: '30s', to: [] },
    { name: 'whales', match: { base: 'ETH' }, minUsd: '100k', cooldown: '60s', to: [] },
  ],
});
const { rules } = core;

/** A source whose frames are normalized liquidations as JSON: decoding is not what is tested here. */
const toy = defineSource({
  name: 'toy',
  options: z.object({}),
  create: () => ({
    start: async () => {},
    stop: async () => {},
    decode: (frame) => [JSON.parse(frame.data) as Liquidation],
  }),
});

const format = createFormatter();
/** What a test compares: when, which rule, and the text a reader gets. */
const seen = (alert: Alert) => ({ at: (alert.createdAt - T) / 1000, rule: alert.rule, text: format.plain([alert]) });

async function replay(speed: ReplaySpeed) {
  const config: LoadedConfig = {
    file: undefined,
    dir: process.cwd(),
    core,
    sources: [{ name: 'toy', use: 'toy', definition: toy as unknown as SourceDefinition, options: {}, secrets: [] }],
    sinks: [],
    warnings: [],
  };
  const alerts: Alert[] = [];
  const clock = new RecordingClock();
  const logger = pino({ level: 'silent' });
  const runtime = new Runtime({ config, logger, redactor: new Redactor(), now: clock.now, onAlert: (alert) => alerts.push(alert) });
  const report = await playRecording({ file: RECORDING, runtime, clock, speed, logger });
  await runtime.stop(1_000);
  return { alerts, report };
}

/** The live engine on fake timers, fed the recording's events at their receive times. */
function live(): Alert[] {
  vi.useFakeTimers();
  vi.setSystemTime(T);
  const alerts: Alert[] = [];
  const engine = new RuleEngine({ rules, dedupeWindowMs: 60_000, emit: (alert) => alerts.push(alert) });
  for (const line of readFileSync(RECORDING, 'utf8').trim().split('\n')) {
    for (const entry of parseRecordingLine(line)) {
      if (entry.type === 'reference') continue;
      const event = entry.type === 'frame' ? (JSON.parse(entry.data) as Liquidation) : entry.event;
      vi.advanceTimersByTime(event.receivedAt - Date.now());
      engine.push(event);
    }
  }
  vi.advanceTimersByTime(10 * 60_000); // the feed goes quiet: every cooldown and update falls due
  engine.stop();
  return alerts;
}

afterEach(() => vi.useRealTimers());

describe('replay timers', () => {
  it('fires cascade updates and cooldown folds at their recorded times, at --speed max', async () => {
    const { alerts, report } = await replay('max');
    const summary = alerts.map((a) => {
      const at = (a.createdAt - T) / 1000;
      if (a.kind === 'cascade') {
        const since = a.sinceLastReport;
        return [at, a.rule, a.count, a.totalUsd, since ? `+${since.notionalUsd} (${since.count}) in ${since.sinceMs / 1000}s` : 'start'];
      }
      return [at, a.rule, a.kind === 'liquidation' ? (a.count ?? a.events.length) : 0, a.events.map((e) => e.notionalUsd).join('+')];
    });
    expect(summary).toEqual([
      [5, 'whales', 1, '150000'],
      [10, 'btc-cascade', 2, 2_100_000, 'start'],
      [35, 'anywhere', 6, 3_350_000, 'start'], // the duplicate at 16 s is not counted
      [40, 'btc-cascade', 4, 3_000_000, '+900000 (2) in 30s'], // due at 40 s, not at the next BTC event (75 s)
      [65, 'whales', 2, '200000+120000'], // the cooldown's fold leaves when it ends
      [75, 'btc-cascade', 5, 3_300_000, '+300000 (1) in 35s'],
      [95, 'anywhere', 9, 3_970_000, '+620000 (3) in 60s'],
      [105, 'btc-cascade', 6, 3_500_000, '+200000 (1) in 30s'],
      [130, 'whales', 1, '300000'], // the cooldown ended at 125 s with nothing folded
      [155, 'anywhere', 11, 4_380_000, '+410000 (2) in 60s'],
      [190, 'whales', 1, '110000'], // after the last entry, still at its recorded time
    ]);
    // The summary counts liquidations decoded from frames as well as recorded ones (duplicate included).
    expect(report).toMatchObject({ lines: 12, frames: 6, liquidations: 12, badLines: 0, malformed: 0, unknownInstrument: 0 });
  });

  it('gives the same alerts, times and texts at a finite speed and as the live engine', async () => {
    const atMax = (await replay('max')).alerts.map(seen);
    const atSpeed = (await replay(2_000)).alerts.map(seen);
    const liveRun = live().map(seen);
    expect(atMax).toHaveLength(11);
    expect(atSpeed).toEqual(atMax);
    expect(liveRun).toEqual(atMax);
  });
});
