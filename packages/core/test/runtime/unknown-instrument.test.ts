import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { PluginEntry } from '../../src/config/types.js';
import { UnknownInstrumentError } from '../../src/errors.js';
import type { Liquidation } from '../../src/liquidation.js';
import { createLogger } from '../../src/logger.js';
import { defineSource, type SourceContext, type SourceDefinition } from '../../src/plugin.js';
import { SourceRunner, UNKNOWN_INSTRUMENT_REFRESH_MS } from '../../src/runtime/source-runner.js';
import { Redactor } from '../../src/util/redactor.js';

/**
 * A source that prices only the instruments of its list (`SYMBOL:QTY` frames): the list comes from
 * `prepare(reference)` or, without one, from the "venue" (`listed`), which `refresh()` reads again.
 */
function listedSource() {
  const venue = { listed: ['BTCUSDT'], refreshes: 0, prepares: [] as unknown[] };
  let context: SourceContext | undefined;
  const definition = defineSource({
    name: 'listed',
    options: z.object({}),
    create(_options, ctx) {
      context = ctx;
      let known = new Set<string>();
      return {
        async prepare(reference) {
          venue.prepares.push(reference);
          known = new Set(Array.isArray(reference) ? reference.filter((name): name is string => typeof name === 'string') : venue.listed);
        },
        reference: () => [...known],
        async refresh() {
          venue.refreshes++;
          await new Promise((resolve) => setImmediate(resolve)); // a REST call takes a while
          known = new Set(venue.listed);
        },
        async start() {},
        async stop() {},
        decode(frame): Liquidation[] {
          const [symbol = '', quantity = '0'] = frame.data.split(':');
          if (!known.has(symbol)) throw new UnknownInstrumentError(symbol);
          const at = frame.receivedAt;
          return [{ id: frame.data, exchange: 'test', market: 'linear', symbol, base: symbol.replace('USDT', ''), quote: 'USDT', side: 'long', price: 10, priceKind: 'fill', quantity: Number(quantity), notionalUsd: 10 * Number(quantity), time: at, receivedAt: at, sampled: false, source: ctx.name }];
        },
      };
    },
  });
  const entry: PluginEntry<SourceDefinition> = { name: 'src1', use: './listed.js', definition: definition as unknown as SourceDefinition, options: {}, secrets: [] };
  return { entry, venue, frame: (data: string, receivedAt = Date.now()) => context!.frame({ channel: 'linear', data, receivedAt }) };
}

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination, redactor: new Redactor() }), lines };
}

describe('a frame of an instrument the source does not list yet', () => {
  it('is skipped and counted apart from malformed frames, and triggers one refresh that lets the next frame through', async () => {
    const now = 1_000_000;
    const { entry, venue, frame } = listedSource();
    const { logger, lines } = capture();
    const events: Liquidation[] = [];
    const runner = new SourceRunner({ entry, logger, redactor: new Redactor(), onEvent: (event) => events.push(event), now: () => now });
    await runner.prepare();
    venue.listed.push('NEWUSDT'); // listed by the venue after the source loaded its list
    frame('NEWUSDT:1');
    frame('NEWUSDT:2');
    await new Promise((resolve) => setImmediate(resolve));
    expect(venue.refreshes).toBe(1);
    expect(runner.stats).toMatchObject({ frames: 2, events: 0, malformed: 0, unknownInstrument: 2 });
    const warning = lines.find((line) => line.includes('not in the instrument list yet'));
    expect(warning).toContain('(NEWUSDT); refreshing the list now; 1 skipped so far');
    frame('NEWUSDT:3');
    expect(events.map((event) => event.notionalUsd)).toEqual([30]);
  });

  it('refreshes at most once a minute however many frames name unknown instruments', async () => {
    let now = 5_000_000;
    const { entry, venue, frame } = listedSource();
    const runner = new SourceRunner({ entry, logger: capture().logger, redactor: new Redactor(), now: () => now });
    await runner.prepare();
    for (let index = 0; index < 100; index++) frame(`GHOST${index}:1`);
    now += UNKNOWN_INSTRUMENT_REFRESH_MS - 1;
    frame('GHOST:1');
    expect(venue.refreshes).toBe(1);
    now += 1;
    frame('GHOST:1');
    expect(venue.refreshes).toBe(2);
    expect(runner.stats.unknownInstrument).toBe(102);
  });

  it('is never refreshed for when refreshing is off (replays decode with the data they were given)', async () => {
    const { entry, venue, frame } = listedSource();
    const runner = new SourceRunner({ entry, logger: capture().logger, redactor: new Redactor(), refreshOnUnknownInstrument: false });
    await runner.prepare(['BTCUSDT']);
    frame('ETHUSDT:1');
    expect(venue.refreshes).toBe(0);
    expect(runner.stats.unknownInstrument).toBe(1);
  });

  it('tells when a refresh it triggered has finished, and can leave the logging of drops to its caller', async () => {
    const { entry, venue, frame } = listedSource();
    const { logger, lines } = capture();
    let refreshed = 0;
    const runner = new SourceRunner({ entry, logger, redactor: new Redactor(), logDroppedFrames: false, onRefreshed: () => refreshed++ });
    await runner.prepare();
    venue.listed.push('NEWUSDT');
    frame('NEWUSDT:1');
    expect(refreshed).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(refreshed).toBe(1);
    expect(lines.filter((line) => line.includes('not in the instrument list'))).toEqual([]);
    expect(runner.stats.unknownInstrument).toBe(1);
  });

  it('prepare hands the given reference data to the instance, and reference() reads it back', async () => {
    const { entry, venue } = listedSource();
    const runner = new SourceRunner({ entry, logger: capture().logger, redactor: new Redactor() });
    await runner.prepare(['ETHUSDT', 'SOLUSDT']);
    expect(venue.prepares).toEqual([['ETHUSDT', 'SOLUSDT']]);
    expect(runner.reference()).toEqual(['ETHUSDT', 'SOLUSDT']);
  });
});
