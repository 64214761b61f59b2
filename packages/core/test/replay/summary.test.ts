/**
 * A replay drives summaries from the recorded clock: test/fixtures/replay/timers.ndjson runs from
 * 16:00:00 to 16:02:20 (recorded time), so with `every: 1m` the periods ending at 16:01 and 16:02 are
 * summarised at their recorded times, and the one under way when the recording ends is not.
 */
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Alert, SummaryAlert } from '../../src/alert.js';
import { coreConfigSchema } from '../../src/config/schema.js';
import type { LoadedConfig } from '../../src/config/types.js';
import type { Liquidation } from '../../src/liquidation.js';
import { defineSource, type SourceDefinition } from '../../src/plugin.js';
import { playRecording, RecordingClock, type ReplaySpeed } from '../../src/replay/player.js';
import { Runtime } from '../../src/runtime/runtime.js';
import { Redactor } from '../../src/util/redactor.js';

const RECORDING = fileURLToPath(new URL('../fixtures/replay/timers.ndjson', import.meta.url));
/** 2026-12-04T16:00:00Z, the recording's first entry. */
const T = Date.UTC(2026, 11, 4, 16, 0, 0);

const toy = defineSource({
  name: 'toy',
  options: z.object({}),
  create: () => ({ start: async () => {}, stop: async () => {}, decode: (frame) => [JSON.parse(frame.data) as Liquidation] }),
});

async function replay(speed: ReplaySpeed): Promise<Alert[]> {
  const core = coreConfigSchema.parse({
    rules: [
      { name: 'btc', match: { base: 'BTC' }, to: [] },
      { name: 'minutely', summary: { every: '1m' }, to: [] },
    ],
  });
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
  await playRecording({ file: RECORDING, runtime, clock, speed, logger });
  await runtime.stop(1_000);
  return alerts;
}

describe('summaries in a replay', () => {
  it('are sent at the recorded times of the period ends crossed, and not for the period under way at the end', async () => {
    const alerts = await replay('max');
    const summaries = alerts.filter((a): a is SummaryAlert => a.kind === 'summary');
    expect(summaries.map((s) => [(s.createdAt - T) / 1000, (s.stats.since - T) / 1000, s.stats.count, s.stats.totalUsd, s.stats.top.map((t) => t.base)])).toEqual([
      // The BTC liquidation of 15:59:59.97 belongs to a period before the recording; the ETH one at 16 s is a duplicate.
      [65, 0, 6, 2_270_000, ['BTC', 'ETH']],
      [125, 60, 2, 500_000, ['BTC']],
    ]);
    expect(summaries[0]).not.toHaveProperty('countedFrom'); // the recording starts with the period
    // The alert rule below the summary still got every BTC liquidation.
    expect(alerts.filter((a) => a.rule === 'btc')).toHaveLength(6);
  });

  it('are the same at a finite speed', async () => {
    const times = (alerts: Alert[]) => alerts.map((a) => [a.kind, a.createdAt]);
    expect(times(await replay(5_000))).toEqual(times(await replay('max')));
  });
});
