/** The conformance kit, run on the small example source (the same code docs/writing-a-source.md shows). */
import { describe, expect, it } from 'vitest';
import { FakeExchangeServer, runSource, sourceConformance, testSource, type SourceConformanceOptions } from '../../src/testing/index.js';
import example from './example-source.js';

// Live frames carry the current time: core drops events more than a day from their receive time.
const liquidation = { type: 'liquidation', symbol: 'BTCUSDT', side: 'sell', qty: '0.5', price: '60000', ts: Date.now() };
const recorded = { ...liquidation, ts: 1700000000000 };

const spec: SourceConformanceOptions = {
  definition: example,
  fake: () => FakeExchangeServer.start(),
  options: (fake) => ({ url: `${fake.wsUrl}/liquidations`, staleAfter: '2s' }),
  emit: (fake) => void fake.push(liquidation),
  fixtures: [{ channel: 'feed', data: JSON.stringify(recorded), receivedAt: 1700000000123 }],
  malformed: [{ channel: 'feed', data: '{"type":"liquidation","symbol":"BTCUSDT","side":"sell","qty":"NaN","price":"1","ts":1}', receivedAt: 1 }],
  control: [{ channel: 'feed', data: '{"op":"subscribed","channel":"liquidations"}', receivedAt: 1 }],
  keepAlive: { idleTimeout: 800, options: { staleAfter: '500ms' } },
};

describe('source conformance kit', () => {
  for (const check of sourceConformance(spec)) it(check.name, check.run);

  it('testSource() names every check a broken source fails', async () => {
    const broken = {
      ...example,
      create: (options: never, context: never) => {
        const instance = example.create(options, context);
        return {
          ...instance,
          decode: () => {
            throw new TypeError('boom');
          },
        };
      },
    } as unknown as typeof example;
    const failure = await testSource({ ...spec, definition: broken, timeout: 500 }).catch((error: Error) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toContain('decodes every recorded frame');
    expect((failure as Error).message).toContain('threw TypeError: boom instead of MalformedFrameError');
  });

  it('fails a source that sends no heartbeat, naming the idle cut', async () => {
    const deaf = { ...spec, options: (fake: FakeExchangeServer) => ({ url: `${fake.wsUrl}/liquidations`, staleAfter: '60s' }), keepAlive: { idleTimeout: 300 } };
    const check = sourceConformance(deaf).find((c) => c.name.startsWith('keeps a quiet connection alive'));
    await expect(check?.run()).rejects.toThrow('the fake cut 1 idle connection(s): the source sent no ping or message for 300 ms (send a heartbeat)');
  });

  it('fails a source whose control frames give liquidations', async () => {
    const control = [{ channel: 'feed', data: JSON.stringify(liquidation), receivedAt: 1 }];
    const check = sourceConformance({ ...spec, control }).find((c) => c.name.startsWith('control frames'));
    await expect(check?.run()).rejects.toThrow('gave 1 liquidation(s); a control frame must give []');
  });

  it('runSource() collects events, malformed frames and logs', async () => {
    const fake = await FakeExchangeServer.start();
    const run = await runSource(example, { url: `${fake.wsUrl}/x` }, { name: 'mine' });
    try {
      fake.push(liquidation);
      fake.push('garbage');
      const [event] = await run.waitForEvents(1);
      expect(event).toMatchObject({ source: 'mine', side: 'long', notionalUsd: 30_000, base: 'BTC' });
      await run.waitFor(() => run.malformed.length === 1);
      expect(run.malformed[0]?.frame.data).toBe('garbage');
      expect(fake.received.map((m) => m.data)).toEqual(['{"op":"subscribe","channel":"liquidations"}']);
      expect(run.logs.some((line) => line.msg === 'websocket open')).toBe(true);
    } finally {
      await run.stop();
      await fake.close();
    }
  });
});
