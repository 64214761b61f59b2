import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { PluginEntry } from '../../src/config/types.js';
import { MalformedFrameError } from '../../src/errors.js';
import type { Liquidation } from '../../src/liquidation.js';
import { createLogger } from '../../src/logger.js';
import { defineSource, type SourceContext, type SourceDefinition } from '../../src/plugin.js';
import { SourceRunner } from '../../src/runtime/source-runner.js';
import { Redactor } from '../../src/util/redactor.js';

/** A logger whose lines the test can read. */
function capturingLogger(redactor = new Redactor()) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination, redactor }), lines };
}

/**
 * A source whose frames are `SYMBOL:USD`; `failStarts` makes the first starts throw, `failCreates` the
 * first calls of `create` (a plugin bug).
 */
function testSource(failStarts = 0, failCreates = 0) {
  let context: SourceContext | undefined;
  let starts = 0;
  let creates = 0;
  const definition = defineSource({
    name: 'test',
    options: z.object({ token: z.string().default('s3cr3t-token-value') }),
    secrets: ['token'],
    create(_options, ctx) {
      creates++;
      if (creates <= failCreates) throw new TypeError(`options.thing is undefined (create ${creates})`);
      context = ctx;
      return {
        async start() {
          starts++;
          if (starts <= failStarts) throw new Error(`connect refused (try ${starts})`);
        },
        async stop() {},
        decode(frame): Liquidation[] {
          const [symbol, usd] = frame.data.split(':');
          if (!symbol || !usd || !Number.isFinite(Number(usd))) throw new MalformedFrameError(`bad frame "${frame.data}"`);
          return [
            {
              id: frame.data,
              exchange: 'test',
              market: 'm',
              symbol,
              base: symbol,
              quote: 'USD',
              side: 'long',
              price: 1,
              priceKind: 'fill',
              quantity: Number(usd),
              notionalUsd: Number(usd),
              time: frame.receivedAt,
              receivedAt: frame.receivedAt,
              sampled: false,
              source: ctx.name,
            },
          ];
        },
      };
    },
  });
  const entry: PluginEntry<SourceDefinition> = {
    name: 'src1',
    use: './test.js',
    definition: definition as unknown as SourceDefinition,
    options: { token: 's3cr3t-token-value' },
    secrets: ['s3cr3t-token-value'],
  };
  return { entry, frame: (data: string) => context!.frame({ channel: 'x', data, receivedAt: 1_700_000_000_000 }), starts: () => starts };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('SourceRunner', () => {
  it('decodes frames into events, and logs and counts frames that cannot be decoded without stopping', async () => {
    const { entry, frame } = testSource();
    const { logger, lines } = capturingLogger();
    const events: Liquidation[] = [];
    const runner = new SourceRunner({ entry, logger, redactor: new Redactor(), onEvent: (e) => events.push(e) });
    await runner.prepare(); // creates the instance
    frame('BTC:100');
    frame('garbage');
    frame('ETH:5');
    expect(events.map((e) => `${e.symbol}:${e.notionalUsd}:${e.source}`)).toEqual(['BTC:100:src1', 'ETH:5:src1']);
    expect(runner.stats).toMatchObject({ frames: 3, events: 2, malformed: 1 });
    expect(lines.join('')).toContain('dropped a frame that cannot be decoded: bad frame \\"garbage\\"');
  });

  it('hands frames to the recorder without decoding when decode is off', async () => {
    const { entry, frame } = testSource();
    const recorded: string[] = [];
    const events: Liquidation[] = [];
    const runner = new SourceRunner({
      entry,
      logger: capturingLogger().logger,
      redactor: new Redactor(),
      decode: false,
      onFrame: (f, source) => recorded.push(`${source}:${f.data}`),
      onEvent: (e) => events.push(e),
    });
    await runner.prepare();
    frame('BTC:1');
    frame('garbage');
    expect(recorded).toEqual(['src1:BTC:1', 'src1:garbage']);
    expect(events).toEqual([]);
  });

  it('restarts a source that fails to start, with backoff, logging each failure without the secret', async () => {
    vi.useFakeTimers();
    const { entry, starts } = testSource(2);
    const redactor = new Redactor();
    const { logger, lines } = capturingLogger(redactor);
    const runner = new SourceRunner({ entry, logger, redactor });
    const started = runner.start();
    await vi.advanceTimersByTimeAsync(200_000);
    await started;
    expect(starts()).toBe(3);
    expect(runner.stats.restarts).toBe(2);
    const log = lines.join('');
    expect(log).toContain('source failed to start: connect refused (try 1)');
    expect(log).toContain('source started');
    await runner.stop();
    await runner.stop();
  });

  it('treats a create that throws like a failed start: logged, retried with backoff', async () => {
    vi.useFakeTimers();
    const { entry, starts } = testSource(0, 1);
    const { logger, lines } = capturingLogger();
    const runner = new SourceRunner({ entry, logger, redactor: new Redactor() });
    expect(runner.health().connected).toBe(false);
    const started = runner.start();
    await vi.advanceTimersByTimeAsync(120_000);
    await started;
    expect(starts()).toBe(1);
    expect(lines.join('')).toContain('source failed to start: options.thing is undefined (create 1)');
    expect(runner.health().connected).toBe(true);
    await runner.stop();
  });

  it('stops retrying when stopped during a backoff wait', async () => {
    vi.useFakeTimers();
    const { entry, starts } = testSource(1000);
    const runner = new SourceRunner({ entry, logger: capturingLogger().logger, redactor: new Redactor() });
    const started = runner.start();
    await vi.advanceTimersByTimeAsync(10);
    await runner.stop();
    await started;
    const count = starts();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(starts()).toBe(count);
  });

  it('registers the secrets of its entry, so logs never show them', () => {
    const { entry } = testSource();
    const redactor = new Redactor();
    const { logger, lines } = capturingLogger(redactor);
    new SourceRunner({ entry, logger, redactor });
    logger.error('auth failed with token s3cr3t-token-value');
    expect(lines.join('')).toContain('auth failed with token [redacted]');
  });
});
