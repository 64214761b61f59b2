/**
 * The Deribit decoder beyond the golden files: the side of each liquidation flag in both directions,
 * the ids of MT's two events, a frame mixing listed and unlisted instruments, and the market filter.
 */
import { UnknownInstrumentError, type RawFrame } from '@liqmon/core';
import { describe, expect, it, vi } from 'vitest';
import { decodeDeribitFrame, type DecodeContext } from '../src/decode.js';
import type { DeribitInstrument } from '../src/instruments.js';

const LIST: DeribitInstrument[] = [
  { name: 'BTC-PERPETUAL', market: 'inverse', base: 'BTC', quote: 'USD' },
  { name: 'BTC_USDC-PERPETUAL', market: 'linear', base: 'BTC', quote: 'USDC' },
  { name: 'BTC_EURR-PERPETUAL', market: 'linear', base: 'BTC', quote: 'EURR' },
];
const context = (overrides: Partial<DecodeContext> = {}): DecodeContext => ({
  source: 'deribit',
  instruments: new Map(LIST.map((instrument) => [instrument.name, instrument])),
  markets: new Set(['linear', 'inverse'] as const),
  ...overrides,
});
let nextId = 1;
const trade = (name: string, liquidation: string | undefined, direction: string, amount: number | string = 1000, price: number | string = 50_000) => ({
  trade_id: String(nextId++),
  timestamp: 1_764_806_400_000,
  price,
  ...(liquidation ? { liquidation } : {}),
  instrument_name: name,
  direction,
  amount,
});
const frame = (...trades: object[]): RawFrame => ({
  channel: 'trades',
  data: JSON.stringify({ jsonrpc: '2.0', method: 'subscription', params: { channel: 'trades.future.any.100ms', data: trades } }),
  receivedAt: 1_764_806_400_040,
});
const sides = (raw: RawFrame, ctx = context()) => decodeDeribitFrame(raw, ctx).map((event) => event.side);

describe('Deribit liquidation flags', () => {
  it.each([
    ['T', 'sell', ['long']], // the taker sold to close its long
    ['T', 'buy', ['short']],
    ['M', 'buy', ['long']], // the maker sold (the other side of a taker buy): a long closed
    ['M', 'sell', ['short']],
    ['MT', 'sell', ['long', 'short']], // taker's long, then maker's short
    ['MT', 'buy', ['short', 'long']],
  ])('%s with a taker %s liquidates %j', (flag, direction, expected) => {
    expect(sides(frame(trade('BTC-PERPETUAL', flag, direction)))).toEqual(expected);
  });

  it('gives MT two ids that differ and stay the same when the frame comes again', () => {
    const raw = frame(trade('BTC-PERPETUAL', 'MT', 'sell'));
    const first = decodeDeribitFrame(raw, context()).map((event) => event.id);
    const again = decodeDeribitFrame({ ...raw, receivedAt: raw.receivedAt + 5_000 }, context()).map((event) => event.id);
    expect(new Set(first).size).toBe(2);
    expect(again).toEqual(first);
  });

  it('reads amounts and prices sent as strings like numbers', () => {
    const [event] = decodeDeribitFrame(frame(trade('BTC_USDC-PERPETUAL', 'T', 'sell', '0.5', '60000.5')), context());
    expect(event).toMatchObject({ quantity: 0.5, price: 60_000.5, notionalUsd: 30_000.25 });
  });
});

describe('Deribit instruments and markets', () => {
  it('keeps the listed liquidations of a frame that also has an unlisted one, and reports the unlisted one', () => {
    const onUnknownInstrument = vi.fn();
    const events = decodeDeribitFrame(frame(trade('NEW_USDC-PERPETUAL', 'T', 'sell'), trade('BTC-PERPETUAL', 'T', 'buy')), context({ onUnknownInstrument }));
    expect(events.map((event) => `${event.symbol}:${event.side}`)).toEqual(['BTC-PERPETUAL:short']);
    expect(onUnknownInstrument).toHaveBeenCalledWith('NEW_USDC-PERPETUAL');
  });

  it('throws UnknownInstrumentError for a frame of unlisted instruments only', () => {
    expect(() => decodeDeribitFrame(frame(trade('NEW_USDC-PERPETUAL', 'T', 'sell')), context())).toThrow(UnknownInstrumentError);
  });

  it('skips the markets not configured, and instruments not quoted in USD or a USD stablecoin', () => {
    const raw = frame(trade('BTC-PERPETUAL', 'T', 'sell'), trade('BTC_USDC-PERPETUAL', 'T', 'sell', 1), trade('BTC_EURR-PERPETUAL', 'T', 'sell', 1));
    expect(decodeDeribitFrame(raw, context({ markets: new Set(['linear'] as const) })).map((event) => event.symbol)).toEqual(['BTC_USDC-PERPETUAL']);
    expect(decodeDeribitFrame(raw, context()).map((event) => event.symbol)).toEqual(['BTC-PERPETUAL', 'BTC_USDC-PERPETUAL']);
  });

  it('never looks an ordinary trade up: a frame without liquidations gives nothing, listed or not', () => {
    expect(decodeDeribitFrame(frame(trade('NEW_USDC-PERPETUAL', undefined, 'sell')), context())).toEqual([]);
  });
});
