/**
 * Reference data (docs/writing-a-source.md, "Reference data"): what `reference()` returns can be handed
 * back to `prepare(reference)` to decode with no network (a replay); a bad one is a warning and exchange
 * info is loaded from Binance instead; a COIN-M symbol the list lacks is an unknown instrument, and the
 * refresh that core then calls prices the next frame of that symbol.
 */
import { createSourceHarness, FakeBinance, type SourceHarness } from '@liqmon/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import binance from '../src/index.js';
import { fakeOptions, startFakeBinance } from './helpers.js';

let fake: FakeBinance | undefined;
const harnesses: SourceHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.stop()));
  await fake?.close();
  fake = undefined;
});

function harness(options: Record<string, unknown>): SourceHarness {
  const created = createSourceHarness(binance, { exchangeInfoRefresh: '0s', ...options }, { logLevel: 'info' });
  harnesses.push(created);
  return created;
}

const coinmFrame = (symbol: string, contracts: string) => ({
  channel: 'coinm',
  data: FakeBinance.frame('coinm', { symbol, filled: contracts, price: '2000', time: 1_796_400_000_000 }),
  receivedAt: 1_796_400_000_040,
});

describe('binance reference data', () => {
  it('reference() is a small versioned JSON that prepare(reference) decodes with, with no network', async () => {
    fake = await startFakeBinance();
    const live = harness(fakeOptions(fake));
    await live.prepare();
    const reference = JSON.parse(JSON.stringify(live.instance.reference?.())) as { format: string; v: number; markets: Record<string, Record<string, unknown>> };
    expect(reference).toMatchObject({ format: 'binance-instruments', v: 1 });
    expect(reference.markets.coinm?.BTCUSD_200925).toEqual({ base: 'BTC', quote: 'USD', contractSize: 100 });
    expect(reference.markets.usdm?.BTCUSDT).toEqual({ base: 'BTC', quote: 'USDT' });
    // The venue stays up, so that a request would be answered; none may be made.
    const asked = fake.server.restRequests.length;
    const fresh = harness(fakeOptions(fake));
    await fresh.instance.prepare?.(reference);
    expect(fake.server.restRequests.slice(asked)).toEqual([]);
    expect(fresh.instance.decode(coinmFrame('BTCUSD_200925', '3'))[0]).toMatchObject({ base: 'BTC', quote: 'USD', notionalUsd: 300, quantity: 0.15 });
    expect(fresh.instance.reference?.()).toEqual(reference);
    expect(fresh.logs.filter((line) => line.level >= 40)).toEqual([]);
  });

  it('a reference that is not Binance reference data is a warning, and exchange info is loaded from Binance instead', async () => {
    fake = await startFakeBinance();
    const source = harness(fakeOptions(fake));
    await source.instance.prepare?.({ format: 'binance-instruments', v: 1, markets: { coinm: { BTCUSD_PERP: { base: 'BTC', quote: 'USD', contractSize: -1 } } } });
    expect(source.logs.map((line) => line.msg)).toContainEqual(
      'binance: the reference data given is not usable (markets.coinm.BTCUSD_PERP.contractSize must be a positive number); loading exchange info from Binance instead',
    );
    expect(source.instance.decode(coinmFrame('BTCUSD_200925', '3'))[0]?.notionalUsd).toBe(300);
  });

  it('a COIN-M symbol listed after the source loaded its list: the first frame is an unknown instrument, the refresh prices the next', async () => {
    fake = await startFakeBinance({ coinmExchangeInfo: { symbols: [{ symbol: 'BTCUSD_PERP', pair: 'BTCUSD', baseAsset: 'BTC', quoteAsset: 'USD', contractSize: 100 }] } });
    const source = harness({ ...fakeOptions(fake), markets: ['coinm'] });
    await source.prepare();
    // The venue lists a new contract.
    fake.server.setRest('/dapi/v1/exchangeInfo', {
      symbols: [
        { symbol: 'BTCUSD_PERP', pair: 'BTCUSD', baseAsset: 'BTC', quoteAsset: 'USD', contractSize: 100 },
        { symbol: 'NEWUSD_PERP', pair: 'NEWUSD', baseAsset: 'NEW', quoteAsset: 'USD', contractSize: 10 },
      ],
    });
    source.context.frame(coinmFrame('NEWUSD_PERP', '4'));
    expect(source.unknownInstruments.map((entry) => entry.instrument)).toEqual(['NEWUSD_PERP']);
    expect(source.events).toEqual([]);
    await source.waitFor(() => (source.instance.reference?.() as { markets: { coinm: Record<string, unknown> } }).markets.coinm.NEWUSD_PERP !== undefined);
    source.context.frame(coinmFrame('NEWUSD_PERP', '4'));
    expect(source.events.map((event) => [event.symbol, event.base, event.notionalUsd])).toEqual([['NEWUSD_PERP', 'NEW', 40]]);
  });
});
