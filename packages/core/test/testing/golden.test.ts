/** Golden files: the example source's frames against their expected events, and the diffs a wrong decoder gets. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Liquidation, RawFrame, SourceDefinition } from '../../src/index.js';
import { checkGolden, formatCheckResults } from '../../src/testing/index.js';
import example from './example-source.js';

const frame = (fields: Record<string, unknown>): string => JSON.stringify({ type: 'liquidation', symbol: 'BTCUSDT', side: 'sell', qty: '0.5', price: '60000', ts: 1700000000000, ...fields });
const line = (data: string, receivedAt = 1700000000100): string => JSON.stringify({ type: 'frame', v: 1, source: 'example', use: 'example', channel: 'feed', receivedAt, data });

/** The example source with its decode changed after the fact, as a buggy plugin would be. */
function withDecode(change: (events: readonly Liquidation[], frame: RawFrame) => Liquidation[]): SourceDefinition {
  return {
    ...example,
    create: (options: never, context: never) => {
      const instance = example.create(options, context);
      return { ...instance, decode: (raw: RawFrame) => change(instance.decode(raw), raw) };
    },
  } as unknown as SourceDefinition;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'liqmon-golden-'));
  writeFileSync(path.join(dir, 'feed.jsonl'), [line(frame({})), line(frame({ side: 'buy', ts: 1700000001000 })), line('{"op":"pong"}'), line('not json')].join('\n') + '\n');
  writeFileSync(path.join(dir, 'reference.json'), '{"options":{"url":"${wsUrl}/feed"}}');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const written = async (): Promise<void> => {
  const report = await checkGolden({ definition: example, dir, update: true });
  expect(report.written).toEqual([path.join(dir, 'feed.expected.jsonl')]);
};

describe('golden files', () => {
  it('update mode writes one line per frame: the events without id, receivedAt and source, or malformed', async () => {
    await written();
    const lines = readFileSync(path.join(dir, 'feed.expected.jsonl'), 'utf8').trim().split('\n').map((text) => JSON.parse(text) as unknown);
    expect(lines).toEqual([
      { frame: 1, events: [{ exchange: 'example', market: 'linear', symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', side: 'long', price: 60000, priceKind: 'fill', quantity: 0.5, notionalUsd: 30000, time: 1700000000000, sampled: false }] },
      { frame: 2, events: [expect.objectContaining({ side: 'short', time: 1700000001000 })] },
      { frame: 3, events: [] },
      { frame: 4, malformed: true },
    ]);
  });

  it('passes the decoder that wrote the expected file', async () => {
    await written();
    const report = await checkGolden({ definition: example, dir });
    expect(formatCheckResults(report.checks)).toBe('✓ golden feed.jsonl: 4 frame(s), 2 event(s) as expected\n');
    expect(report.ok).toBe(true);
  });

  it('names the frame, the field, the expected and the actual value of an inverted side', async () => {
    await written();
    const flipped = withDecode((events) => events.map((e) => ({ ...e, side: e.side === 'long' ? 'short' : 'long' })));
    const report = await checkGolden({ definition: flipped, dir });
    expect(report.ok).toBe(false);
    expect(formatCheckResults(report.checks)).toBe(
      [
        '✗ golden feed.jsonl: 2 difference(s)',
        '    feed.jsonl:1 event 1 side: expected "long", got "short"',
        '    feed.jsonl:2 event 1 side: expected "short", got "long"',
        '',
      ].join('\n'),
    );
  });

  it('catches USD 100x off and a time in seconds', async () => {
    await written();
    const wrong = withDecode((events) => events.map((e) => ({ ...e, notionalUsd: e.notionalUsd * 100, time: Math.floor(e.time / 1000) })));
    const details = (await checkGolden({ definition: wrong, dir })).checks[0]?.details ?? [];
    expect(details).toContain('feed.jsonl:1 event 1 notionalUsd: expected 30000, got 3000000');
    expect(details.some((d) => d.startsWith('feed.jsonl:1 event 1: time'))).toBe(true); // not epoch ms
    expect(details).toContain('feed.jsonl:1 event 1 time: expected 1700000000000, got 1700000000');
  });

  it('catches ids made of the clock or the receive time, and ids two liquidations share', async () => {
    await written();
    const clock = withDecode((events, raw) => events.map((e) => ({ ...e, id: `${e.symbol}:${raw.receivedAt}` })));
    expect((await checkGolden({ definition: clock, dir })).checks[0]?.details).toContain(
      'feed.jsonl:1 event 1 id: not stable: "BTCUSDT:1700000000100" then "BTCUSDT:1700000001100" when decoded again',
    );
    const constant = withDecode((events) => events.map((e) => ({ ...e, id: 'same' })));
    expect((await checkGolden({ definition: constant, dir })).checks[0]?.details).toEqual([
      'feed.jsonl:2 event 1 id: "same" is also the id of feed.jsonl:1 event 1',
    ]);
  });

  it('catches a control frame that gives an event and a frame that stopped giving one', async () => {
    await written();
    const wrong = withDecode((events, raw) => (raw.data.includes('pong') ? example.create({ url: 'x', staleAfter: 1 } as never, { name: 'golden' } as never).decode({ ...raw, data: frame({}) }).slice() : events.slice(1)));
    const details = (await checkGolden({ definition: wrong, dir })).checks[0]?.details ?? [];
    expect(details).toContain('feed.jsonl:1: expected 1 event(s), got 0');
    expect(details).toContain('feed.jsonl:3: expected 0 event(s), got 1');
  });

  it('fails, saying how to write it, when the expected file is missing', async () => {
    const report = await checkGolden({ definition: example, dir });
    expect(formatCheckResults(report.checks)).toBe(
      '✗ golden feed.jsonl\n    no feed.expected.jsonl: write it with LIQMON_GOLDEN_UPDATE=1 (or --update), then check it by hand\n',
    );
  });

  it('serves reference.json REST replies to prepare(), matching on the query given', async () => {
    writeFileSync(
      path.join(dir, 'reference.json'),
      JSON.stringify({ options: { url: '${wsUrl}/feed' }, rest: { '/info?kind=a': { name: 'A' }, '/info?kind=b': { name: 'B' } } }),
    );
    const seen: unknown[] = [];
    const probing = {
      ...example,
      create: (options: never, context: never) => {
        const instance = example.create(options, context);
        const url = (options as { url: string }).url.replace('ws://', 'http://').replace('/feed', '');
        return {
          ...instance,
          prepare: async () => {
            for (const query of ['kind=b&limit=5', 'kind=a', 'kind=c']) seen.push(await (await fetch(`${url}/info?${query}`)).json());
          },
        };
      },
    } as unknown as SourceDefinition;
    await checkGolden({ definition: probing, dir, update: true });
    expect(seen).toEqual([{ name: 'B' }, { name: 'A' }, { msg: 'reference.json has no reply for /info?kind=c' }]);
  });
});
