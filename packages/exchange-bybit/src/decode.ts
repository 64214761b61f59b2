/**
 * Bybit frame decoder: raw text + channel + reference data in, normalized liquidations out. It needs
 * no connection, so the same function serves live frames and `liqmon replay`.
 *
 * Facts it relies on (https://bybit-exchange.github.io/docs/v5/websocket/public/all-liquidation):
 * - topic `allLiquidation.{symbol}`; `data` is an ARRAY, one element per liquidation (pushed every
 *   500 ms, so one frame may carry several);
 * - `S` is the side of the liquidated POSITION: "When you receive a Buy update, this means that a long
 *   position has been liquidated" (Binance sends the order side instead, the opposite convention);
 * - `p` is the bankruptcy price, `v` the executed size, `T` the time in ms.
 * Inverse contracts are sized in USD contracts of 1 USD, so there `v` is already the USD value and the
 * base quantity is `v / p`.
 *
 * Older recordings carry the deprecated `liquidation.{symbol}` topic: `data` is one OBJECT with
 * `symbol`, `side`, `size` (v5) or `qty` (pre-v5), `price`, and `updatedTime` (v5) or `time` (pre-v5).
 * Its `side` is the position side too (Bybit docs of the retired topic, and tardis-dev/tardis-node
 * src/mappers/bybit.ts: "When side:Buy, a long position was liquidated").
 */
import { decimalNumber, jsonFieldParser, liquidationId, MalformedFrameError, type Liquidation, type LiquidationSide, type RawFrame } from '@liqmon/core';
import type { InstrumentBook } from './instrument-book.js';
import { BYBIT_CATEGORIES, type BybitCategory } from './options.js';

/** What the decoder needs besides the frame. */
export interface DecodeContext {
  /** Config name of the source instance (`Liquidation.source`). */
  source: string;
  /** Base/quote reference data. */
  instruments: InstrumentBook;
}

/** One liquidation as read from either topic, before normalization. */
interface RawLiquidation {
  symbol: string;
  side: 'Buy' | 'Sell';
  /** Size exactly as sent: kept as text so the id is stable and exact. */
  sizeText: string;
  size: number;
  priceText: string;
  price: number;
  time: number;
}

/**
 * Every key this decoder reads, at any depth: the message (`op`, `success`, `topic`, `data`), an
 * `allLiquidation` item (`T`, `s`, `S`, `v`, `p`) and the legacy topic's data. A key read below must be
 * listed here, or it reads as missing.
 */
const parseFields = jsonFieldParser(['op', 'success', 'topic', 'data', 'T', 's', 'S', 'v', 'p', 'symbol', 'side', 'size', 'qty', 'price', 'updatedTime', 'updateTime', 'time']);

/** Decode one Bybit frame. Control frames (acks, pongs) and other topics give `[]`. */
export function decodeBybitFrame(frame: RawFrame, context: DecodeContext): Liquidation[] {
  const market = readCategory(frame.channel);
  let message: unknown;
  try {
    // Builds only the keys above; JSON.parse for text outside its subset (and to report bad JSON).
    message = parseFields(frame.data) ?? JSON.parse(frame.data);
  } catch (error) {
    throw new MalformedFrameError(`Bybit ${market} frame is not JSON: ${preview(frame.data)}`, { cause: error });
  }
  if (!isRecord(message)) throw new MalformedFrameError(`Bybit ${market} frame is not a JSON object: ${preview(frame.data)}`);
  // Acks and pongs: {"success":true,"ret_msg":"pong","op":"ping",...} (docs/v5/ws/connect).
  if (typeof message.op === 'string' || typeof message.success === 'boolean') return [];
  const topic = message.topic;
  if (typeof topic !== 'string') throw new MalformedFrameError(`Bybit ${market} frame has no topic: ${preview(frame.data)}`);

  if (topic.startsWith('allLiquidation.')) return readAllLiquidation(message.data, topic, market, frame.receivedAt, context);
  if (topic.startsWith('liquidation.')) return [normalize(readLegacyLiquidation(message.data, topic), market, frame.receivedAt, context)];
  return [];
}

function normalize(raw: RawLiquidation, market: BybitCategory, receivedAt: number, context: DecodeContext): Liquidation {
  const { size, price } = raw;
  const { base, quote } = context.instruments.resolve(market, raw.symbol);
  // Linear: size in base units. Inverse: size in 1-USD contracts, so it IS the USD value.
  const quantity = market === 'inverse' ? size / price : size;
  const notionalUsd = market === 'inverse' ? size : size * price;
  const side: LiquidationSide = raw.side === 'Buy' ? 'long' : 'short';
  return {
    id: liquidationId('bybit', market, raw.symbol, raw.time, raw.side, raw.sizeText, raw.priceText),
    exchange: 'bybit',
    market,
    symbol: raw.symbol,
    base,
    quote,
    side,
    price,
    priceKind: 'bankruptcy',
    quantity,
    notionalUsd,
    time: raw.time,
    receivedAt,
    sampled: false,
    source: context.source,
  };
}

/** The `allLiquidation` topic: `data` is an array, normalized item by item in one pass (the hot path). */
function readAllLiquidation(data: unknown, topic: string, market: BybitCategory, receivedAt: number, context: DecodeContext): Liquidation[] {
  if (!Array.isArray(data)) throw new MalformedFrameError(`Bybit ${topic}: "data" is not an array`);
  const events: Liquidation[] = [];
  for (let index = 0; index < data.length; index++) {
    const item: unknown = data[index];
    if (!isRecord(item)) throw new MalformedFrameError(`Bybit ${topic} data[${index}] is not an object`);
    const raw: RawLiquidation = {
      symbol: readSymbol(item.s, topic, index, 's'),
      side: readSide(item.S, topic, index, 'S'),
      sizeText: String(item.v),
      size: readPositive(item.v, topic, index, 'v'),
      priceText: String(item.p),
      price: readPositive(item.p, topic, index, 'p'),
      time: readTime(item.T, topic, index, 'T'),
    };
    events.push(normalize(raw, market, receivedAt, context));
  }
  return events;
}

function readLegacyLiquidation(data: unknown, topic: string): RawLiquidation {
  if (!isRecord(data)) throw new MalformedFrameError(`Bybit ${topic} data is not an object`);
  const size = data.size ?? data.qty;
  return {
    symbol: readSymbol(data.symbol, topic, -1, 'symbol'),
    side: readSide(data.side, topic, -1, 'side'),
    sizeText: String(size),
    size: readPositive(size, topic, -1, 'size'),
    priceText: String(data.price),
    price: readPositive(data.price, topic, -1, 'price'),
    time: readTime(data.updatedTime ?? data.updateTime ?? data.time, topic, -1, 'updatedTime'),
  };
}

/**
 * Where a bad field is, for error messages: `Bybit allLiquidation.X data[0].v`, or `... data.size` for
 * the legacy topic (index -1). Built only when a field is bad, so that good frames build no strings.
 */
function where(topic: string, index: number, field: string): string {
  return index < 0 ? `Bybit ${topic} data.${field}` : `Bybit ${topic} data[${index}].${field}`;
}

function readCategory(channel: string): BybitCategory {
  if ((BYBIT_CATEGORIES as readonly string[]).includes(channel)) return channel as BybitCategory;
  throw new MalformedFrameError(`Bybit frame on unknown channel "${channel}"; expected linear or inverse`);
}

function readSymbol(value: unknown, topic: string, index: number, field: string): string {
  if (typeof value === 'string' && value !== '') return value;
  throw new MalformedFrameError(`${where(topic, index, field)} (symbol) is missing`);
}

function readSide(value: unknown, topic: string, index: number, field: string): 'Buy' | 'Sell' {
  if (value === 'Buy' || value === 'Sell') return value;
  throw new MalformedFrameError(`${where(topic, index, field)} (side) is ${JSON.stringify(value) ?? 'missing'}; expected "Buy" or "Sell"`);
}

/** Bybit sends sizes and prices as decimal strings; numbers are accepted too. Must be > 0 (so blank, which Number reads as 0, is refused). */
function readPositive(value: unknown, topic: string, index: number, field: string): number {
  const parsed = typeof value === 'string' ? decimalNumber(value) : typeof value === 'number' ? value : Number.NaN;
  if (Number.isFinite(parsed) && parsed > 0) return parsed;
  throw new MalformedFrameError(`${where(topic, index, field)} is ${JSON.stringify(value) ?? 'missing'}; expected a positive number`);
}

/** Times are ms since epoch, as a number (or a numeric string). */
function readTime(value: unknown, topic: string, index: number, field: string): number {
  const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof parsed === 'number' && Number.isSafeInteger(parsed) && parsed > 0) return parsed;
  throw new MalformedFrameError(`${where(topic, index, field)} (time) is ${JSON.stringify(value) ?? 'missing'}; expected ms since epoch`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function preview(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
