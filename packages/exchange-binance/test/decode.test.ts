/** Every recorded frame decodes to hand-checked values (side, quantity, notionalUsd, price, time, base, quote). */
import { describe, expect, it } from 'vitest';
import { MalformedFrameError, UnknownInstrumentError } from '@liqmon/core';
import { assertLiquidation } from '@liqmon/core/testing';
import { decodeFrame, InstrumentBook } from '../src/index.js';
import { frame, lines, loadedBook } from './helpers.js';

const usdm = lines('binance-usdm.jsonl');
const coinm = lines('binance-coinm.jsonl');

// One row per line of binance-usdm.jsonl, worked out by hand from the frame:
// side from S (SELL -> long), quantity = z, price = ap, notionalUsd = z * ap, time = T.
const USDM_EXPECTED = [
  { symbol: 'BTCUSDT', side: 'short', quantity: 0.014, price: 4706.04, notionalUsd: 65.88456, time: 1584059031421, base: 'BTC' },
  { symbol: 'BTCUSDT', side: 'short', quantity: 0.197, price: 8755.5, notionalUsd: 1724.8335, time: 1590400691561, base: 'BTC' },
  { symbol: 'BTCUSDT', side: 'long', quantity: 0.029, price: 34738.38, notionalUsd: 1007.41302, time: 1625030771359, base: 'BTC' },
  { symbol: 'IOTXUSDT', side: 'long', quantity: 3661, price: 0.06669, notionalUsd: 244.15209, time: 1634653599180, base: 'IOTX' },
  { symbol: 'BTCUSDT', side: 'long', quantity: 0.288, price: 39021, notionalUsd: 11238.048, time: 1650898329196, base: 'BTC' },
  { symbol: 'BTCUSDT', side: 'long', quantity: 0.004, price: 38986.5, notionalUsd: 155.946, time: 1650898336320, base: 'BTC' },
  { symbol: 'BTCUSDT', side: 'long', quantity: 0.115, price: 26245.1, notionalUsd: 3018.1865, time: 1695714031881, base: 'BTC' },
  { symbol: 'STGUSDT', side: 'long', quantity: 5, price: 0.1355, notionalUsd: 0.6775, time: 1786172556607, base: 'STG' },
  { symbol: 'COTIUSDT', side: 'short', quantity: 288183, price: 0.021912, notionalUsd: 6314.665896, time: 1789672235690, base: 'COTI' },
  { symbol: '牛来USDT', side: 'long', quantity: 9243, price: 0.1057892, notionalUsd: 977.8095756, time: 1790526546763, base: '牛来' },
  { symbol: 'BTCUSDT', side: 'short', quantity: 0.001, price: 83598.5, notionalUsd: 83.5985, time: 1790845665206, base: 'BTC' },
  { symbol: 'MANTAUSDT', side: 'long', quantity: 2049.1, price: 0.0722187, notionalUsd: 147.98333817, time: 1791091026103, base: 'MANTA' },
  { symbol: 'XRPUSDT', side: 'short', quantity: 127.2, price: 1.4912, notionalUsd: 189.68064, time: 1791091174219, base: 'XRP' },
  { symbol: 'ILVUSDT', side: 'long', quantity: 116.5, price: 3.85642, notionalUsd: 449.27293, time: 1791391082119, base: 'ILV' },
  { symbol: 'BTCUSDT', side: 'long', quantity: 0.19, price: 82651.9, notionalUsd: 15703.861, time: 1791565602120, base: 'BTC' },
] as const;

function expectClose(actual: Record<string, unknown>, expected: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(expected)) {
    if (typeof value === 'number') expect(actual[key], key).toBeCloseTo(value, 9);
    else expect(actual[key], key).toBe(value);
  }
}

describe.each([
  ['with exchange info', loadedBook],
  ['without exchange info (symbol split fallback)', () => new InstrumentBook()],
])('USD-M recorded frames, %s', (_, book) => {
  it.each(usdm.map((data, index) => [index + 1, data] as const))('binance-usdm.jsonl line %i', (line, data) => {
    const events = decodeFrame(frame('usdm', data), { source: 'binance', instruments: book() });
    expect(events).toHaveLength(1);
    const [event] = events;
    assertLiquidation(event, { source: 'binance' });
    expectClose(event as unknown as Record<string, unknown>, { ...USDM_EXPECTED[line - 1], quote: 'USDT' });
    expect(event).toMatchObject({ exchange: 'binance', market: 'usdm', priceKind: 'fill', sampled: true, receivedAt: 1_800_000_000_000 });
  });
});

describe('USD-M envelopes and ids', () => {
  it('has both envelopes in the fixtures, and the id is derived from exchange, market, symbol, T, S, z and ap', () => {
    expect(usdm.filter((l) => l.startsWith('{"stream"')).length).toBeGreaterThan(0);
    expect(usdm.filter((l) => l.startsWith('{"e"')).length).toBeGreaterThan(0);
    const [event] = decodeFrame(frame('usdm', usdm[0] ?? ''), { source: 'b', instruments: loadedBook() });
    expect(event?.id).toBe('binance:usdm:BTCUSDT:1584059031421:BUY:0.014:4706.04');
  });

  it('gives the same id for the bare and the wrapped form of one event, and on a later receive', () => {
    const bare = usdm[1] ?? '';
    const wrapped = `{"stream":"btcusdt@forceOrder","data":${bare}}`;
    const context = { source: 'b', instruments: loadedBook() };
    const a = decodeFrame(frame('usdm', bare, 1), context)[0];
    const b = decodeFrame(frame('usdm', wrapped, 2), context)[0];
    expect(a?.id).toBe(b?.id);
  });

  it('reads ps/st inside o, beside it, or not at all', () => {
    const inside = usdm[7] ?? ''; // STGUSDT, ps/st inside o
    const beside = inside.replace(',"ps":"STGUSDT","st":1}', '},"ps":"STGUSDT","st":1');
    expect(beside).not.toBe(inside);
    const context = { source: 'b', instruments: loadedBook() };
    expect(decodeFrame(frame('usdm', beside), context)).toEqual(decodeFrame(frame('usdm', inside), context));
  });

  it('the documentation example decodes too (SELL -> long, 0.014 x 9910)', () => {
    const [doc] = lines('binance-usdm.docs.jsonl');
    const [event] = decodeFrame(frame('usdm', doc ?? ''), { source: 'b', instruments: loadedBook() });
    expectClose(event as unknown as Record<string, unknown>, { side: 'long', quantity: 0.014, price: 9910, notionalUsd: 138.74, time: 1568014460893 });
  });

  it('keeps 1000PEPE as the base without exchange info', () => {
    const data = (usdm[1] ?? '').replace('"s":"BTCUSDT"', '"s":"1000PEPEUSDT"');
    const [event] = decodeFrame(frame('usdm', data), { source: 'b', instruments: new InstrumentBook() });
    expect(event).toMatchObject({ base: '1000PEPE', quote: 'USDT' });
  });
});

describe('COIN-M recorded frames (quantities are contracts)', () => {
  it('binance-coinm.jsonl: 3 contracts of 100 USD at 9352.7 -> 300 USD, 0.0320763 BTC, long', () => {
    const [event] = decodeFrame(frame('coinm', coinm[0] ?? ''), { source: 'binance', instruments: loadedBook() });
    assertLiquidation(event, { source: 'binance' });
    expectClose(event as unknown as Record<string, unknown>, {
      symbol: 'BTCUSD_200925',
      market: 'coinm',
      side: 'long',
      price: 9352.7,
      notionalUsd: 300,
      quantity: 300 / 9352.7,
      time: 1594622954021,
      base: 'BTC',
      quote: 'USD',
    });
    expect(event?.quantity).toBeCloseTo(0.0320763, 6);
  });

  it('binance-coinm.docs.jsonl: 1 contract at 9496.5 -> 100 USD', () => {
    const [doc] = lines('binance-coinm.docs.jsonl');
    const [event] = decodeFrame(frame('coinm', doc ?? ''), { source: 'b', instruments: loadedBook() });
    expectClose(event as unknown as Record<string, unknown>, { side: 'long', notionalUsd: 100, quantity: 100 / 9496.5, base: 'BTC', quote: 'USD' });
  });

  it('uses the contract size from exchange info, and never guesses one: an unlisted symbol is an unknown instrument', () => {
    const book = new InstrumentBook();
    book.set('coinm', [
      ['ETHUSD_PERP', { base: 'ETH', quote: 'USD', contractSize: 25 }],
      ['XRPUSD_PERP', { base: 'XRP', quote: 'USD' }], // listed without a contract size: cannot be priced
    ]);
    const eth = (coinm[0] ?? '').replaceAll('BTCUSD_200925', 'ETHUSD_PERP').replace('"ps":"BTCUSD"', '"ps":"ETHUSD"');
    const fallbacks: string[] = [];
    const context = { source: 'b', instruments: book, onFallback: (_: string, symbol: string) => fallbacks.push(symbol) };
    expect(decodeFrame(frame('coinm', eth), context)[0]?.notionalUsd).toBe(75);
    for (const symbol of ['ADAUSD_PERP', 'XRPUSD_PERP']) {
      expect(() => decodeFrame(frame('coinm', eth.replaceAll('ETHUSD_PERP', symbol)), context)).toThrow(expect.objectContaining({ code: 'LIQMON_UNKNOWN_INSTRUMENT', instrument: symbol }));
    }
    // Without exchange info at all, not even BTC's 100 USD is assumed.
    expect(() => decodeFrame(frame('coinm', coinm[0] ?? ''), { source: 'b', instruments: new InstrumentBook() })).toThrow(UnknownInstrumentError);
    expect(fallbacks).toEqual([]);
  });
});

describe('USD-M symbols missing from exchange info', () => {
  const order = (symbol: string) => JSON.stringify({ e: 'forceOrder', E: 1, o: { s: symbol, S: 'SELL', z: '2', ap: '3', T: 1 } });
  it('are priced from the frame (z x ap in a USD quote) with base/quote split from the symbol', () => {
    const fallbacks: string[] = [];
    const context = { source: 'b', instruments: loadedBook(), onFallback: (_: string, symbol: string) => fallbacks.push(symbol) };
    expect(decodeFrame(frame('usdm', order('NEWCOINUSDC')), context)[0]).toMatchObject({ base: 'NEWCOIN', quote: 'USDC', notionalUsd: 6 });
    expect(fallbacks).toEqual(['NEWCOINUSDC']);
  });

  it('are unknown instruments when no USD quote can be split off (the USD value would be a guess)', () => {
    const context = { source: 'b', instruments: loadedBook() };
    for (const symbol of ['NEWCOINBTC', 'WEIRD', 'USDT']) {
      expect(() => decodeFrame(frame('usdm', order(symbol)), context)).toThrow(expect.objectContaining({ instrument: symbol }));
    }
  });
});

describe('frames that are not liquidations', () => {
  const context = { source: 'b', instruments: loadedBook() };
  const decode = (data: string, channel = 'usdm') => () => decodeFrame(frame(channel, data), context);

  it('subscription replies decode to nothing', () => {
    for (const data of [...lines('binance-usdm.control.jsonl'), ...lines('binance-usdm.docs.jsonl').slice(1)]) expect(decode(data)()).toEqual([]);
  });

  it('a liquidation that filled nothing (z = 0) is not an alert', () => {
    expect(decode((usdm[1] ?? '').replace('"z":"0.197"', '"z":"0"'))()).toEqual([]);
  });

  it.each([
    ['not JSON', 'garbage'],
    ['truncated JSON', (usdm[0] ?? '').slice(0, 50)],
    ['an error reply', '{"error":{"code":2,"msg":"Invalid request: unknown variant"},"id":1}'],
    ['a bare error', '{"code":-1121,"msg":"Invalid symbol."}'],
    ['an unknown event', '{"e":"aggTrade","E":1,"s":"BTCUSDT"}'],
    ['an unknown shape', '{"hello":"world"}'],
    ['no order object', '{"e":"forceOrder","E":1584059031426}'],
    ['an unknown side', (usdm[1] ?? '').replace('"S":"BUY"', '"S":"HOLD"')],
    ['NaN quantity', (usdm[1] ?? '').replace('"z":"0.197"', '"z":"NaN"')],
    ['infinite price', (usdm[1] ?? '').replace('"ap":"8755.50"', '"ap":"1e999"')],
    ['negative quantity', (usdm[1] ?? '').replace('"z":"0.197"', '"z":"-1"')],
    ['empty price', (usdm[1] ?? '').replace('"ap":"8755.50"', '"ap":""')],
    ['zero price with a fill', (usdm[1] ?? '').replace('"ap":"8755.50"', '"ap":"0"')],
    ['no time at all', '{"e":"forceOrder","o":{"s":"BTCUSDT","S":"SELL","z":"1","ap":"1"}}'],
    ['a null payload', '{"stream":"!forceOrder@arr","data":null}'],
  ])('%s throws MalformedFrameError', (_, data) => {
    expect(decode(data)).toThrow(MalformedFrameError);
  });

  it('an unknown channel throws MalformedFrameError', () => {
    expect(decode(usdm[0] ?? '', 'spot')).toThrow(/unknown channel "spot"/);
  });
});

describe('frames outside the fast JSON path', () => {
  /** Decoded events, or the error's class name: what a user would see of a frame. */
  const outcome = (market: string, data: string): unknown => {
    try {
      return decodeFrame(frame(market, data), { source: 'binance', instruments: loadedBook() });
    } catch (error) {
      return (error as Error).constructor.name;
    }
  };

  it('decode every fixture frame the same when it comes indented (read by JSON.parse instead)', () => {
    const cases = [
      ...['binance-usdm.jsonl', 'binance-usdm.docs.jsonl', 'binance-usdm.control.jsonl'].flatMap((name) => lines(name).map((line) => ['usdm', line] as const)),
      ...['binance-coinm.jsonl', 'binance-coinm.docs.jsonl'].flatMap((name) => lines(name).map((line) => ['coinm', line] as const)),
    ];
    expect(cases.length).toBeGreaterThan(20);
    for (const [market, line] of cases) {
      const indented = JSON.stringify(JSON.parse(line), null, 2);
      expect(outcome(market, indented), line).toEqual(outcome(market, line));
    }
    expect(outcome('usdm', '{"stream":"x","data":{"e":"forceOrder"')).toBe('MalformedFrameError');
  });
});
