/**
 * Reference data (docs/writing-a-source.md, "Reference data"): what `reference()` returns can be handed
 * back to `prepare(reference)` to decode with no network (a replay); a bad one is a warning and the
 * instruments are listed from Bybit instead; a symbol of no known shape that the list lacks is an
 * unknown instrument, and the refresh that core then calls names its base and quote for the next frame.
 */
import { createSourceHarness, FakeBybit, type SourceHarness } from '@liqmon/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import bybit from '../src/index.js';

let fake: FakeBybit | undefined;
const harnesses: SourceHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.stop()));
  await fake?.close();
  fake = undefined;
});

function harness(): SourceHarness {
  if (!fake) throw new Error('start the fake first');
  const created = createSourceHarness(bybit, { wsUrl: fake.wsUrl, restUrl: fake.restUrl }, { logLevel: 'info' });
  harnesses.push(created);
  return created;
}

const T = 1_796_400_000_000;
const frame = (category: 'linear' | 'inverse', symbol: string, size: string, price: string) => ({
  channel: category,
  data: JSON.stringify({ topic: `allLiquidation.${symbol}`, type: 'snapshot', ts: T, data: [{ T, s: symbol, S: 'Buy', v: size, p: price }] }),
  receivedAt: T + 40,
});

describe('bybit reference data', () => {
  it('reference() is a small versioned JSON that prepare(reference) decodes with, with no network', async () => {
    fake = await FakeBybit.start({ linear: [{ symbol: 'MEMEX', baseCoin: 'MEME', quoteCoin: 'USDT' }, 'BTCUSDT'], inverse: ['BTCUSD'] });
    const live = harness();
    await live.prepare();
    const reference = JSON.parse(JSON.stringify(live.instance.reference?.())) as unknown;
    expect(reference).toEqual({
      format: 'bybit-instruments',
      v: 1,
      categories: { linear: { MEMEX: { base: 'MEME', quote: 'USDT' }, BTCUSDT: { base: 'BTC', quote: 'USDT' } }, inverse: { BTCUSD: { base: 'BTC', quote: 'USD' } } },
    });
    // The venue stays up, so that a request would be answered; none may be made.
    const asked = fake.server.restRequests.length;
    const fresh = harness();
    await fresh.instance.prepare?.(reference);
    expect(fake.server.restRequests.slice(asked)).toEqual([]);
    // MEMEX has no shape to split: only the recorded list says it is MEME/USDT.
    expect(fresh.instance.decode(frame('linear', 'MEMEX', '10', '2'))[0]).toMatchObject({ base: 'MEME', quote: 'USDT', notionalUsd: 20, side: 'long' });
    expect(fresh.instance.decode(frame('inverse', 'BTCUSD', '500', '100000'))[0]).toMatchObject({ base: 'BTC', quote: 'USD', notionalUsd: 500 });
    expect(fresh.logs.filter((line) => line.level >= 40)).toEqual([]);
  });

  it('a reference that is not Bybit reference data is a warning, and the instruments are listed from Bybit instead', async () => {
    fake = await FakeBybit.start({ linear: [{ symbol: 'MEMEX', baseCoin: 'MEME', quoteCoin: 'USDT' }] });
    const source = harness();
    await source.instance.prepare?.({ format: 'binance-instruments', v: 1, markets: {} });
    expect(source.logs.map((line) => line.msg)).toContainEqual(
      'bybit: the reference data given is not usable (not Bybit reference data (no "format": "bybit-instruments")); listing instruments from Bybit instead',
    );
    expect(source.instance.decode(frame('linear', 'MEMEX', '10', '2'))[0]).toMatchObject({ base: 'MEME' });
  });

  it('a symbol of no known shape listed after the source loaded its list: an unknown instrument first, named after the refresh', async () => {
    fake = await FakeBybit.start({ linear: ['BTCUSDT'] });
    const source = harness();
    await source.prepare();
    fake.setInstruments('linear', ['BTCUSDT', { symbol: 'MEMEX', baseCoin: 'MEME', quoteCoin: 'USDT' }]);
    source.context.frame(frame('linear', 'MEMEX', '10', '2'));
    expect(source.unknownInstruments.map((entry) => entry.instrument)).toEqual(['MEMEX']);
    await source.waitFor(() => JSON.stringify(source.instance.reference?.()).includes('MEMEX'));
    source.context.frame(frame('linear', 'MEMEX', '10', '2'));
    expect(source.events.map((event) => [event.symbol, event.base, event.quote, event.notionalUsd])).toEqual([['MEMEX', 'MEME', 'USDT', 20]]);
    // A symbol of a known shape is priced without the list (sizes are base units): no unknown instrument.
    source.context.frame(frame('linear', 'NEWUSDT', '3', '2'));
    expect(source.events.at(-1)).toMatchObject({ base: 'NEW', quote: 'USDT', notionalUsd: 6 });
    expect(source.unknownInstruments).toHaveLength(1);
  });
});
