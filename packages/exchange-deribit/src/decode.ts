/**
 * Deribit frame decoder: raw text + the instrument list in, normalized liquidations out. It needs no
 * connection, so the same function serves live frames and `liqmon replay`.
 *
 * Facts it relies on (Deribit `public_trade` schema, docs.deribit.com "trades.{kind}.{currency}.{interval}"):
 * - a notification is `{"method":"subscription","params":{"channel":"trades...","data":[trade,...]}}`;
 * - `liquidation` is present only on trades caused by a liquidation: `T` the taker was liquidated,
 *   `M` the maker, `MT` both;
 * - `direction` is the TAKER's side. A taker sell that liquidates closes a long (T + sell = long); the
 *   maker traded the other way, so M + buy = the maker sold = a long was liquidated. MT is two
 *   liquidations, one long and one short, and gives two events;
 * - `amount` is in USD for inverse (`reversed`) instruments and in the base coin for linear ones;
 *   `price` is the fill price; `timestamp` is in ms; `trade_id` is unique per currency.
 * Peers get M and MT wrong (tardis-dev treats MT as M, aggr and cryptofeed ignore M/T): see the README.
 */
import {
  decimalNumber,
  MalformedFrameError,
  UnknownInstrumentError,
  type Liquidation,
  type LiquidationSide,
  type RawFrame,
} from '@liqmon/core';
import type { DeribitInstrument } from './instruments.js';
import type { DeribitMarket } from './options.js';

/** What the decoder needs besides the frame. */
export interface DecodeContext {
  /** Config name of the source instance (`Liquidation.source`). */
  source: string;
  /** Instruments by name (add-only, so a late frame of an expired future still decodes). */
  instruments: ReadonlyMap<string, DeribitInstrument>;
  /** Markets to emit; liquidations of the others are skipped. */
  markets: ReadonlySet<DeribitMarket>;
  /**
   * Called for a liquidation of an unlisted instrument in a frame that also holds listed ones (their
   * events are kept). A frame with only unlisted ones throws {@link UnknownInstrumentError} instead.
   */
  onUnknownInstrument?: (name: string) => void;
}

/** Quote currencies whose price is a USD price (stablecoins taken at par, as every venue's USDT). */
const USD_QUOTES = new Set(['USD', 'USDC', 'USDT']);

/** Decode one Deribit frame. Responses, heartbeats and other channels give `[]`. */
export function decodeDeribitFrame(frame: RawFrame, context: DecodeContext): Liquidation[] {
  let message: unknown;
  try {
    // Plain JSON.parse, not core's jsonFieldParser: this reads most keys of a trade and Deribit writes
    // prices and amounts as JSON numbers, which the field parser reads in JavaScript; it was slower
    // than the native parser on these frames (0.76x; docs/performance.md, "Decoders").
    message = JSON.parse(frame.data);
  } catch (error) {
    throw new MalformedFrameError(`Deribit frame is not JSON: ${preview(frame.data)}`, { cause: error });
  }
  if (!isRecord(message)) throw new MalformedFrameError(`Deribit frame is not a JSON object: ${preview(frame.data)}`);
  if (message.method !== 'subscription') {
    // Responses (`id` with `result` or `error`) and other notifications (heartbeats) carry no trades.
    if (typeof message.method === 'string' || 'id' in message || 'result' in message || 'error' in message) return [];
    throw new MalformedFrameError(`Deribit frame is neither a response nor a notification: ${preview(frame.data)}`);
  }
  const params = message.params;
  if (!isRecord(params) || typeof params.channel !== 'string') throw new MalformedFrameError(`Deribit notification has no params.channel: ${preview(frame.data)}`);
  if (!params.channel.startsWith('trades.')) return [];
  const data = params.data;
  if (!Array.isArray(data)) throw new MalformedFrameError(`Deribit ${params.channel}: "data" is not an array`);

  const events: Liquidation[] = [];
  let unknown: string | undefined;
  for (let index = 0; index < data.length; index++) {
    const trade: unknown = data[index];
    if (!isRecord(trade)) throw new MalformedFrameError(`Deribit ${params.channel} data[${index}] is not an object`);
    const flag = trade.liquidation;
    if (flag === undefined) continue; // an ordinary trade: most of the tape
    if (flag !== 'T' && flag !== 'M' && flag !== 'MT') throw bad(params.channel, index, 'liquidation', flag, '"T", "M" or "MT"');
    const name = trade.instrument_name;
    if (typeof name !== 'string' || name === '') throw bad(params.channel, index, 'instrument_name', name, 'an instrument name');
    // Every field is checked before the instrument is looked up: a bad frame is malformed, listed or not.
    const liquidation = readTrade(trade, params.channel, index);
    const instrument = context.instruments.get(name);
    if (!instrument) {
      if (unknown === undefined) unknown = name;
      else if (unknown !== name) context.onUnknownInstrument?.(name);
      continue;
    }
    if (!context.markets.has(instrument.market) || !USD_QUOTES.has(instrument.quote)) continue;
    normalize(liquidation, flag, instrument, frame.receivedAt, context, events);
  }
  if (unknown !== undefined) {
    if (events.length === 0) throw new UnknownInstrumentError(unknown);
    context.onUnknownInstrument?.(unknown);
  }
  return events;
}

/** The fields of a liquidation trade, checked. */
interface LiquidationTrade {
  direction: 'buy' | 'sell';
  amount: number;
  price: number;
  time: number;
  tradeId: string;
}

function readTrade(trade: Record<string, unknown>, channel: string, index: number): LiquidationTrade {
  const direction = trade.direction;
  if (direction !== 'buy' && direction !== 'sell') throw bad(channel, index, 'direction', direction, '"buy" or "sell"');
  const amount = readPositive(trade.amount, channel, index, 'amount');
  const price = readPositive(trade.price, channel, index, 'price');
  const time = trade.timestamp;
  if (typeof time !== 'number' || !Number.isSafeInteger(time) || time <= 0) throw bad(channel, index, 'timestamp', time, 'ms since epoch');
  const tradeId = trade.trade_id;
  if ((typeof tradeId !== 'string' || tradeId === '') && typeof tradeId !== 'number') throw bad(channel, index, 'trade_id', tradeId, 'a trade id');
  return { direction, amount, price, time, tradeId: String(tradeId) };
}

/** One liquidation trade: one event (T or M), or two (MT: the taker's, then the maker's). */
function normalize(
  trade: LiquidationTrade,
  flag: 'T' | 'M' | 'MT',
  instrument: DeribitInstrument,
  receivedAt: number,
  context: DecodeContext,
  events: Liquidation[],
): void {
  const { amount, price, time } = trade;
  const inverse = instrument.market === 'inverse';
  // Inverse: `amount` is USD, so it is the notional and the coins are amount / price. Linear: coins.
  const quantity = inverse ? amount / price : amount;
  const notionalUsd = inverse ? amount : amount * price;
  // The taker's position: its sell closed a long. The maker traded the other way.
  const takerSide: LiquidationSide = trade.direction === 'sell' ? 'long' : 'short';
  const makerSide: LiquidationSide = trade.direction === 'sell' ? 'short' : 'long';
  // trade_id is unique per currency, so with the instrument it names the trade; the role tells MT's two apart.
  const prefix = `deribit:${instrument.market}:${instrument.name}:${trade.tradeId}:`;
  // A plain function, not a closure over this trade: no function object allocated per liquidation.
  if (flag !== 'M') events.push(liquidationEvent(prefix + 'T', takerSide, instrument, price, quantity, notionalUsd, time, receivedAt, context.source));
  if (flag !== 'T') events.push(liquidationEvent(prefix + 'M', makerSide, instrument, price, quantity, notionalUsd, time, receivedAt, context.source));
}

function liquidationEvent(
  id: string,
  side: LiquidationSide,
  instrument: DeribitInstrument,
  price: number,
  quantity: number,
  notionalUsd: number,
  time: number,
  receivedAt: number,
  source: string,
): Liquidation {
  return {
    id,
    exchange: 'deribit',
    market: instrument.market,
    symbol: instrument.name,
    base: instrument.base,
    quote: instrument.quote,
    side,
    price,
    priceKind: 'fill',
    quantity,
    notionalUsd,
    time,
    receivedAt,
    sampled: false,
    source,
  };
}

/** Deribit sends numbers; numeric strings are accepted too. Must be > 0. */
function readPositive(value: unknown, channel: string, index: number, field: string): number {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' ? decimalNumber(value) : Number.NaN;
  if (Number.isFinite(parsed) && parsed > 0) return parsed;
  throw bad(channel, index, field, value, 'a positive number');
}

/** Built only when a field is bad, so good frames build no strings. */
function bad(channel: string, index: number, field: string, value: unknown, expected: string): MalformedFrameError {
  return new MalformedFrameError(`Deribit ${channel} data[${index}].${field} is ${JSON.stringify(value) ?? 'missing'}; expected ${expected}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function preview(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
