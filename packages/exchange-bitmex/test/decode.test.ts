/**
 * The BitMEX decoder beyond the golden files: only `insert` alerts, the side of the order, the units of
 * each contract kind, and a frame mixing listed and unlisted contracts.
 */
import { UnknownInstrumentError, type RawFrame } from '@liqmon/core';
import { describe, expect, it, vi } from 'vitest';
import { decodeBitmexFrame, type DecodeContext } from '../src/decode.js';
import type { BitmexInstrument } from '../src/instruments.js';

const LIST: BitmexInstrument[] = [
  { symbol: 'XBTUSD', kind: 'inverse', base: 'BTC', quote: 'USD', multiplier: -100_000_000, underlyingToPositionMultiplier: undefined, settle: 'XBt' },
  { symbol: 'XBTUSDT', kind: 'linear', base: 'BTC', quote: 'USDT', multiplier: 1, underlyingToPositionMultiplier: 1_000_000, settle: 'USDt' },
  { symbol: 'ETHUSD', kind: 'quanto', base: 'ETH', quote: 'USD', multiplier: 100, underlyingToPositionMultiplier: undefined, settle: 'XBt' },
];
const context = (overrides: Partial<DecodeContext> = {}): DecodeContext => ({
  source: 'bitmex',
  instruments: new Map(LIST.map((instrument) => [instrument.symbol, instrument])),
  xbtUsd: () => 60_000,
  markets: new Set(['linear', 'inverse'] as const),
  ...overrides,
});
const frame = (action: string, ...rows: object[]): RawFrame => ({ channel: 'realtime', data: JSON.stringify({ table: 'liquidation', action, data: rows }), receivedAt: 1_764_806_400_040 });
const row = (symbol: string, side: string, price: number, leavesQty: number, orderID = `id-${symbol}-${side}`) => ({ orderID, symbol, side, price, leavesQty });

describe('BitMEX liquidation table', () => {
  it('alerts on insert only: an update or delete of the same order is the same liquidation', () => {
    const inserted = row('XBTUSD', 'Sell', 60_000, 30_000);
    expect(decodeBitmexFrame(frame('insert', inserted), context())).toHaveLength(1);
    expect(decodeBitmexFrame(frame('update', { orderID: inserted.orderID, symbol: 'XBTUSD', leavesQty: 10_000 }), context())).toEqual([]);
    expect(decodeBitmexFrame(frame('delete', { orderID: inserted.orderID, symbol: 'XBTUSD' }), context())).toEqual([]);
    expect(decodeBitmexFrame(frame('partial', inserted), context())).toEqual([]);
  });

  it('reads the order side: Sell liquidates a long, Buy a short; the id is the order id, time the receive time', () => {
    const [long, short] = decodeBitmexFrame(frame('insert', row('XBTUSD', 'Sell', 60_000, 100, 'o-1'), row('XBTUSD', 'Buy', 60_000, 100, 'o-2')), context());
    expect([long?.side, short?.side]).toEqual(['long', 'short']);
    expect(long?.id).toBe('bitmex:inverse:XBTUSD:o-1');
    expect(long?.time).toBe(1_764_806_400_040);
  });

  it.each([
    ['inverse XBTUSD: 1 USD a contract', row('XBTUSD', 'Sell', 60_000, 30_000), { quantity: 0.5, notionalUsd: 30_000, market: 'inverse', base: 'BTC' }],
    ['linear XBTUSDT: 1e6 contracts a BTC', row('XBTUSDT', 'Sell', 60_000, 500_000), { quantity: 0.5, notionalUsd: 30_000, market: 'linear', base: 'BTC' }],
    ['quanto ETHUSD: 100 sat x price a contract, in USD at XBTUSD', row('ETHUSD', 'Sell', 3_000, 1_000), { quantity: 60, notionalUsd: 180_000, market: 'linear', base: 'ETH' }],
  ])('%s', (_name, liquidation, expected) => {
    expect(decodeBitmexFrame(frame('insert', liquidation), context())).toMatchObject([expected]);
  });

  it('skips rows whose USD value is unknown rather than guessing it: a quanto without an XBT price, a EUR contract', () => {
    expect(decodeBitmexFrame(frame('insert', row('ETHUSD', 'Sell', 3_000, 1_000)), context({ xbtUsd: () => undefined }))).toEqual([]);
    const eur: BitmexInstrument = { symbol: 'XBTEUR', kind: 'inverse', base: 'BTC', quote: 'EUR', multiplier: -100_000_000, underlyingToPositionMultiplier: undefined, settle: 'XBt' };
    const instruments = new Map([[eur.symbol, eur]]);
    expect(decodeBitmexFrame(frame('insert', row('XBTEUR', 'Sell', 52_000, 1_000)), context({ instruments }))).toEqual([]);
  });

  it('keeps the listed rows of a frame that also has an unlisted one, and throws when none is listed', () => {
    const onUnknownInstrument = vi.fn();
    const events = decodeBitmexFrame(frame('insert', row('NEWUSDT', 'Sell', 1, 1), row('XBTUSDT', 'Buy', 60_000, 1_000_000)), context({ onUnknownInstrument }));
    expect(events.map((event) => `${event.symbol}:${event.side}`)).toEqual(['XBTUSDT:short']);
    expect(onUnknownInstrument).toHaveBeenCalledWith('NEWUSDT');
    expect(() => decodeBitmexFrame(frame('insert', row('NEWUSDT', 'Sell', 1, 1)), context())).toThrow(UnknownInstrumentError);
  });

  it('skips the markets not configured', () => {
    const raw = frame('insert', row('XBTUSD', 'Sell', 60_000, 100), row('XBTUSDT', 'Sell', 60_000, 100));
    expect(decodeBitmexFrame(raw, context({ markets: new Set(['inverse'] as const) })).map((event) => event.symbol)).toEqual(['XBTUSD']);
  });
});

describe('BitMEX decoder: compact and general reading', () => {
  // The same frame with a space after its first brace is outside the compact subset, so it is read the
  // general way: both must give the same events (ids included) and the same errors.
  const general = (raw: RawFrame): RawFrame => ({ ...raw, data: `{ ${raw.data.slice(1)}` });
  const outcome = (raw: RawFrame, ctx = context()): unknown => {
    try {
      return decodeBitmexFrame(raw, ctx);
    } catch (error) {
      return error instanceof Error ? error.constructor.name : error;
    }
  };
  const text = (data: string): RawFrame => ({ channel: 'realtime', data, receivedAt: 1_764_806_400_040 });

  it('reads well-formed inserts in place to the same events as the general reading, and leaves the rest to it', () => {
    const frames = [
      frame('insert', row('XBTUSD', 'Sell', 60_000, 30_000), row('XBTUSDT', 'Buy', 60_000.5, 500_000), row('ETHUSD', 'Sell', 3_000, 1_000)),
      frame('insert', { ...row('XBTUSD', 'Sell', 60_000, 30_000), price: '60000.50', leavesQty: '30000' }),
      text('{"data":[{"side":"Buy","price":1E3,"leavesQty":100,"symbol":"XBTUSD","orderID":"o-9","price":2e3}],"action":"insert","table":"liquidation"}'),
      frame('insert', row('XBTUSD', 'Sell', 0, 30_000)), // malformed: price 0
      frame('insert', row('XBTUSD', 'Hold', 60_000, 30_000)), // malformed: side
      frame('insert', row('XBTUSD', 'Sell', 60_000, 30_000), row('NEWUSD', 'Sell', 1, 1)), // one unlisted contract
      frame('insert', row('NEWUSD', 'Sell', 1, 1)), // only unlisted: unknown instrument
      frame('update', row('XBTUSD', 'Sell', 60_000, 30_000)),
      text('{"table":"liquidation","action":"insert","data":[{"orderID":"o-1","symbol":"XBTUSD","side":"Sell","price":60000,"leavesQty":100}],"data":[]}'),
    ];
    const outcomes = frames.map((raw) => outcome(raw));
    expect(outcomes).toEqual(frames.map((raw) => outcome(general(raw))));
    expect(outcomes.map((result) => (Array.isArray(result) ? result.length : result))).toEqual([3, 1, 1, 'MalformedFrameError', 'MalformedFrameError', 1, 'UnknownInstrumentError', 0, 0]);
    expect((outcomes[2] as { price: number; id: string }[])[0]).toMatchObject({ price: 2000, id: 'bitmex:inverse:XBTUSD:o-9' });
  });
});
