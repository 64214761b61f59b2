import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Alert } from '../../src/alert.js';
import { coreConfigSchema } from '../../src/config/schema.js';
import type { LoadedConfig, PluginEntry } from '../../src/config/types.js';
import { createLogger } from '../../src/logger.js';
import { defineSink, type SinkDefinition } from '../../src/plugin.js';
import { Runtime } from '../../src/runtime/runtime.js';
import { sampleLiquidation } from '../../src/sample.js';
import { Redactor } from '../../src/util/redactor.js';

const liquidation = sampleLiquidation({ id: 'x:1', time: 1_700_000_000_000, receivedAt: 1_700_000_000_100 });

function sinkEntry(name: string, definition: SinkDefinition): PluginEntry<SinkDefinition> {
  return { name, use: `./${name}.js`, definition, options: {}, secrets: [] };
}

describe('Runtime', () => {
  it('keeps running the other sinks when one cannot even be created', async () => {
    const received: Alert[][] = [];
    const good = defineSink({
      name: 'good',
      options: z.object({}),
      create: () => ({
        render: (alerts: readonly Alert[]) => [...alerts],
        send: async (message: Alert[]) => void received.push(message),
      }),
    });
    const broken = defineSink({
      name: 'broken',
      options: z.object({}),
      create: (): never => {
        throw new TypeError("Cannot read properties of undefined (reading 'chatId')");
      },
    });
    const config: LoadedConfig = {
      file: undefined,
      dir: process.cwd(),
      core: coreConfigSchema.parse({ rules: [{ name: 'all', to: ['good', 'broken'] }] }),
      sources: [],
      sinks: [sinkEntry('good', good as unknown as SinkDefinition), sinkEntry('broken', broken as unknown as SinkDefinition)],
      warnings: [],
    };
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const runtime = new Runtime({ config, logger: createLogger({ destination }), redactor: new Redactor() });
    runtime.ingest(liquidation);
    await runtime.stop(5_000);
    expect(received.map((alerts) => alerts.map((a) => a.events[0]?.id))).toEqual([['x:1']]);
    expect(lines.join('')).toContain('sink \\"broken\\" could not be created and is off for this run');
  });

  it('routes alerts to `routeAlert` instead of delivering them when given one (cluster mode)', async () => {
    const received: Alert[][] = [];
    const sink = defineSink({
      name: 'good',
      options: z.object({}),
      create: () => ({ render: (alerts: readonly Alert[]) => [...alerts], send: async (message: Alert[]) => void received.push(message) }),
    });
    const config: LoadedConfig = {
      file: undefined,
      dir: process.cwd(),
      core: coreConfigSchema.parse({ rules: [{ name: 'all', to: ['good', 'off'] }] }),
      sources: [],
      sinks: [sinkEntry('good', sink as unknown as SinkDefinition)],
      warnings: [],
    };
    const routed: [string, readonly string[]][] = [];
    const runtime = new Runtime({
      config,
      logger: createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) }),
      redactor: new Redactor(),
      routeAlert: (alert, sinks) => routed.push([alert.events[0]?.id ?? '', sinks]),
    });
    runtime.ingest(liquidation);
    await runtime.stop(5_000);
    expect(routed).toEqual([['x:1', ['good']]]);
    expect(received).toEqual([]);
  });
});
