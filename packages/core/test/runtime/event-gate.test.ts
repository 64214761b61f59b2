/**
 * Core checks every liquidation of every source before the rules (issue: hostile numbers and times).
 * A source here decodes frames that are JSON overrides of a valid liquidation, so the test can send
 * exactly the bad values an exchange once sent.
 */
import { createMemoryLogger } from '../../src/testing/memory-logger.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { coreConfigSchema } from '../../src/config/schema.js';
import type { LoadedConfig, PluginEntry } from '../../src/config/types.js';
import type { Liquidation } from '../../src/liquidation.js';
import { defineSource, type SourceContext, type SourceDefinition } from '../../src/plugin.js';
import { Runtime } from '../../src/runtime/runtime.js';
import { SourceRunner } from '../../src/runtime/source-runner.js';
import { sampleLiquidation } from '../../src/sample.js';
import { Redactor } from '../../src/util/redactor.js';

const NOW = 1_796_000_000_000;

const capture = () => createMemoryLogger('info');

function jsonSource(name = 'binance', maxFrameBytes?: number) {
  let context: SourceContext | undefined;
  const definition = defineSource({
    name: 'json',
    options: z.object({}),
    create(_options, ctx) {
      context = ctx;
      return {
        async start() {},
        async stop() {},
        decode: (frame): Liquidation[] => [sampleLiquidation({ time: NOW, receivedAt: frame.receivedAt, source: ctx.name, ...(JSON.parse(frame.data) as object) })],
      };
    },
  });
  const entry: PluginEntry<SourceDefinition> = {
    name,
    use: './json.js',
    definition: definition as unknown as SourceDefinition,
    options: {},
    secrets: [],
    ...(maxFrameBytes !== undefined ? { maxFrameBytes } : {}),
  };
  return { entry, send: (data: object | string) => context!.frame({ channel: 'usdm', data: typeof data === 'string' ? data : JSON.stringify(data), receivedAt: NOW }) };
}

afterEach(() => void vi.useRealTimers());

describe('invalid liquidations are dropped and counted before the rules', () => {
  it('drops every hostile value with its reason, passes valid events, and logs at most one line per reason per 10 s', async () => {
    vi.useFakeTimers({ now: NOW });
    const { entry, send } = jsonSource();
    const { logger, lines } = capture();
    const events: Liquidation[] = [];
    const runner = new SourceRunner({ entry, logger, redactor: new Redactor(), onEvent: (e) => events.push(e) });
    await runner.prepare();
    send({}); // valid
    send('{"notionalUsd":1e999}'); // Infinity, as Binance z=1e200 x price gave
    send({ notionalUsd: 2e10 });
    send({ price: 0 });
    send({ quantity: -1 });
    send({ time: 9e15 });
    send({ time: NOW - 2 * 86_400_000 });
    send({ side: 'sideways' });
    send({ symbol: '' });
    send({ symbol: 'X'.repeat(65) });
    send({ priceKind: 'mark' });
    send({ sampled: 'yes' });
    send({ id: '' });
    send({ market: 7 });
    for (let i = 0; i < 1_000; i++) send({ price: -i });
    expect(events).toHaveLength(1);
    const health = runner.health();
    expect(health).toMatchObject({ events: 1, invalid: 1_013 });
    expect(health.invalidByReason).toEqual({
      notional: 1,
      notional_too_large: 1,
      price: 1_001,
      quantity: 1,
      time: 2,
      side: 1,
      symbol: 2,
      price_kind: 1,
      sampled: 1,
      id: 1,
      field_type: 1,
    });
    const dropLines = () => lines.filter((l) => String(l['msg']).includes('invalid liquidation'));
    // One line per reason so far, not one per event.
    expect(dropLines()).toHaveLength(11);
    expect(dropLines()[0]).toMatchObject({ level: 40, reason: 'notional', msg: 'dropped an invalid liquidation (notional): notionalUsd must be a finite positive number, got Infinity' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(dropLines().at(-1)).toMatchObject({ reason: 'price', dropped: 1_000, msg: expect.stringMatching(/^dropped 1000 invalid liquidation\(s\) \(price\) in the last 10s; latest: price must be/) });
    await runner.stop();
  });

  it('checks replayed events too, and counts them against their source; /metrics has them by source and reason', async () => {
    const { entry } = jsonSource('bybit');
    const config: LoadedConfig = {
      file: undefined,
      dir: process.cwd(),
      core: coreConfigSchema.parse({ rules: [{ name: 'all', to: [] }] }),
      sources: [entry],
      sinks: [],
      warnings: [],
    };
    const seen: Liquidation[] = [];
    const runtime = new Runtime({ config, logger: capture().logger, redactor: new Redactor(), onEvent: (e) => seen.push(e) });
    runtime.ingest(sampleLiquidation({ source: 'bybit', time: NOW, receivedAt: NOW }));
    runtime.ingest(sampleLiquidation({ source: 'bybit', time: 9e15, receivedAt: NOW }));
    runtime.ingest(sampleLiquidation({ source: 'not-configured', price: Number.NaN }));
    expect(seen).toHaveLength(1);
    expect(runtime.source('bybit')?.health()).toMatchObject({ invalid: 1, invalidByReason: { time: 1 } });
    await runtime.stop(1_000);
  });
});

describe('frame size', () => {
  it('drops a frame larger than maxFrameBytes unread (and unrecorded), counts it, and goes on', async () => {
    const { entry, send } = jsonSource('binance', 1_024);
    const { logger, lines } = capture();
    const events: Liquidation[] = [];
    const recorded: string[] = [];
    const runner = new SourceRunner({ entry, logger, redactor: new Redactor(), onEvent: (e) => events.push(e), onFrame: (f) => recorded.push(f.data) });
    await runner.prepare();
    send({ symbol: 'A'.repeat(2_000) }); // 2 KB: over the limit, never parsed
    send(`{"symbol":"${'é'.repeat(600)}"}`); // 612 characters but 1,214 bytes
    send({});
    expect(events.map((e) => e.symbol)).toEqual(['BTCUSDT']);
    expect(recorded).toHaveLength(1);
    expect(runner.health()).toMatchObject({ frames: 3, oversized: 2, malformed: 0 });
    expect(lines.some((l) => /^binance: dropped a frame of 2\d{3} bytes unread \(maxFrameBytes is 1024\)/.test(String(l['msg'])))).toBe(true);
    await runner.stop();
  });
});
