import { isLiqmonError, LIQUIDATION_FIELDS, type Liquidation } from '@liqmon/core';
import { describe, expect, it } from 'vitest';
import { decodeBybitFrame } from '../src/decode.js';
import { InstrumentBook } from '../src/instrument-book.js';
import { fixtureLines } from './fixtures.js';

const RECEIVED_AT = 1_800_000_000_000;

function decode(channel: string, data: string, instruments = new InstrumentBook()): Liquidation[] {
  return decodeBybitFrame({ channel, data, receivedAt: RECEIVED_AT }, { source: 'bybit-main', instruments });
}

/** Hand-checked expectations: [symbol, side, price, quantity, notionalUsd, time, base, quote]. */
type Expected = [string, 'long' | 'short', number, number, number, number, string, string];

const LINEAR: Expected[][] = [
  [['PIPPINUSDT', 'short', 0.02456, 2846, 69.89776, 1740480207110, 'PIPPIN', 'USDT']],
  [['ADAUSDT', 'short', 0.1915, 13248, 2536.992, 1786014946933, 'ADA', 'USDT']],
  [['COTIUSDT', 'short', 0.021436, 6666, 142.892376, 1789669871606, 'COTI', 'USDT']],
  [['ICPUSDT', 'long', 2.585, 19.7, 50.9245, 1789670094099, 'ICP', 'USDT']],
  [['MARSCOINUSDT', 'short', 0.12734, 2380, 303.0692, 1789670278053, 'MARSCOIN', 'USDT']],
  [['STRKUSDT', 'long', 0.05165, 2084.9, 107.685085, 1791091285156, 'STRK', 'USDT']],
  [
    ['BTCUSDT', 'long', 82396.9, 0.006, 494.3814, 1791565600992, 'BTC', 'USDT'],
    ['BTCUSDT', 'long', 82394.3, 0.038, 3130.9834, 1791565601058, 'BTC', 'USDT'],
  ],
  // Deprecated v5 `liquidation.GALAUSDT` (object data, size/updatedTime).
  [['GALAUSDT', 'long', 0.03803, 1637, 62.25511, 1673251091822, 'GALA', 'USDT']],
  // Pre-v5 `liquidation.BTCUSDT` (object data, qty/time).
  [['BTCUSDT', 'short', 45212.5, 0.009, 406.9125, 1632123952732, 'BTC', 'USDT']],
];

// Inverse: v is USD contracts, so notionalUsd = v and quantity = v / p.
const INVERSE: Expected[][] = [
  [['XRPUSD', 'short', 0.5149, 6949 / 0.5149, 6949, 1680673944093, 'XRP', 'USD']],
  [['ETHUSD', 'short', 3384.15, 3655 / 3384.15, 3655, 1631608881954, 'ETH', 'USD']],
  [['BTCUSD', 'short', 45171, 2329 / 45171, 2329, 1632123949005, 'BTC', 'USD']],
];

const DOCS: Expected[][] = [
  [['ROSEUSDT', 'short', 0.04499, 20000, 899.8, 1739502302929, 'ROSE', 'USDT']],
  [['BTCUSDT', 'short', 43511.7, 0.003, 130.5351, 1703485237953, 'BTC', 'USDT']],
  [],
  [],
  [],
];

function expectEvents(events: Liquidation[], expected: Expected[], market: string): void {
  expect(events).toHaveLength(expected.length);
  events.forEach((event, index) => {
    const [symbol, side, price, quantity, notionalUsd, time, base, quote] = expected[index]!;
    expect(Object.keys(event).sort()).toEqual([...LIQUIDATION_FIELDS].sort());
    expect(event).toMatchObject({
      exchange: 'bybit',
      market,
      symbol,
      side,
      price,
      priceKind: 'bankruptcy',
      time,
      base,
      quote,
      receivedAt: RECEIVED_AT,
      sampled: false,
      source: 'bybit-main',
    });
    expect(event.quantity).toBeCloseTo(quantity, 9);
    expect(event.notionalUsd).toBeCloseTo(notionalUsd, 6);
  });
}

describe('decodeBybitFrame on recorded frames', () => {
  const cases: [string, string, Expected[][]][] = [
    ['bybit-linear.jsonl', 'linear', LINEAR],
    ['bybit-inverse.jsonl', 'inverse', INVERSE],
    ['bybit.docs.jsonl', 'linear', DOCS],
  ];
  for (const [file, channel, table] of cases) {
    const lines = fixtureLines(file);
    it(`${file}: has one expectation per line`, () => expect(lines).toHaveLength(table.length));
    lines.forEach((line, index) => {
      it(`${file} line ${index + 1} decodes to the hand-checked values`, () => {
        expectEvents(decode(channel, line), table[index]!, channel);
      });
    });
  }

  it('control frames (subscribe acks, pongs) decode to nothing on either channel', () => {
    for (const line of fixtureLines('bybit.control.jsonl')) {
      expect(decode('linear', line)).toEqual([]);
      expect(decode('inverse', line)).toEqual([]);
    }
  });

  it('gives the same stable id when the same frame is seen twice, different ids for the two events of one push', () => {
    const line = fixtureLines('bybit-linear.jsonl')[6]!;
    const first = decode('linear', line).map((event) => event.id);
    const again = decode('linear', line).map((event) => event.id);
    expect(first).toEqual(again);
    expect(first).toEqual([
      'bybit:linear:BTCUSDT:1791565600992:Buy:0.006:82396.90',
      'bybit:linear:BTCUSDT:1791565601058:Buy:0.038:82394.30',
    ]);
  });

  it('takes base and quote from instruments-info when known', () => {
    const instruments = new InstrumentBook();
    instruments.add([{ category: 'linear', symbol: 'PIPPINUSDT', base: 'PIPPINX', quote: 'USDT' }]);
    const [event] = decode('linear', fixtureLines('bybit-linear.jsonl')[0]!, instruments);
    expect(event).toMatchObject({ base: 'PIPPINX', quote: 'USDT' });
  });
});

describe('decodeBybitFrame on broken frames', () => {
  const good = { T: 1739502302929, s: 'ROSEUSDT', S: 'Sell', v: '20000', p: '0.04499' };
  const frame = (data: unknown) => JSON.stringify({ topic: 'allLiquidation.ROSEUSDT', type: 'snapshot', ts: 1, data });

  const broken: [string, string][] = [
    ['not JSON', '{"topic":'],
    ['not an object', '[1,2]'],
    ['no topic', '{"data":[]}'],
    ['data not an array', frame(good)],
    ['missing price', frame([{ ...good, p: undefined }])],
    ['non-numeric size', frame([{ ...good, v: 'abc' }])],
    ['zero price', frame([{ ...good, p: '0' }])],
    ['unknown side', frame([{ ...good, S: 'Long' }])],
    ['missing time', frame([{ ...good, T: undefined }])],
    ['missing symbol', frame([{ ...good, s: '' }])],
    ['legacy without size', JSON.stringify({ topic: 'liquidation.BTCUSDT', data: { symbol: 'BTCUSDT', side: 'Buy', price: '1', time: 1 } })],
  ];
  for (const [what, data] of broken) {
    it(`throws MalformedFrameError for ${what}`, () => {
      let thrown: unknown;
      try {
        decode('linear', data);
      } catch (error) {
        thrown = error;
      }
      expect(isLiqmonError(thrown) && thrown.code).toBe('LIQMON_MALFORMED_FRAME');
    });
  }

  it('throws MalformedFrameError for a frame recorded on an unknown channel', () => {
    expect(() => decode('spot', frame([good]))).toThrow(/unknown channel "spot"/);
  });

  it('ignores topics other than liquidations', () => {
    expect(decode('linear', JSON.stringify({ topic: 'tickers.BTCUSDT', data: {} }))).toEqual([]);
  });
});

describe('frames outside the fast JSON path', () => {
  const outcome = (channel: string, data: string): unknown => {
    try {
      return decode(channel, data);
    } catch (error) {
      return (error as Error).constructor.name;
    }
  };

  it('decode every fixture frame the same when it comes indented (read by JSON.parse instead)', () => {
    const cases = [
      ...fixtureLines('bybit-linear.jsonl').map((line) => ['linear', line] as const),
      ...fixtureLines('bybit-inverse.jsonl').map((line) => ['inverse', line] as const),
      ...['bybit.docs.jsonl', 'bybit.control.jsonl'].flatMap((name) => fixtureLines(name).map((line) => ['linear', line] as const)),
    ];
    expect(cases.length).toBeGreaterThanOrEqual(15);
    for (const [channel, line] of cases) {
      const indented = JSON.stringify(JSON.parse(line), null, 2);
      expect(outcome(channel, indented), line).toEqual(outcome(channel, line));
    }
  });
});
