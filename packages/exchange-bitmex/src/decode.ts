/**
 * BitMEX frame decoder: raw text + the instrument list in, normalized liquidations out. It needs no
 * connection, so the same function serves live frames and `liqmon replay`.
 *
 * Facts it relies on (research section 5; support.bitmex.com "/liquidation field definitions"):
 * - `{"table":"liquidation","action":"insert","data":[{orderID, symbol, side, price, leavesQty}]}`;
 *   rows are the liquidation engine's orders, keyed by `orderID`. `insert` is a new liquidation;
 *   `update` (leavesQty shrinking) and `delete` (filled or removed) are the same liquidation going on
 *   and never a new event; `partial` is the table's image on subscribe. Only `insert` gives events;
 * - `side` is the ORDER's side: a Sell closes a long, so Sell = long liquidated;
 * - `price` is the order's price, the bankruptcy price; `leavesQty` is in contracts;
 * - rows carry no time: `time` is the receive time.
 */
import { decimalNumber, jsonFieldParser, MalformedFrameError, UnknownInstrumentError, type Liquidation, type RawFrame } from '@liqmon/core';
import { decodeCompactInsert } from './compact.js';
import type { BitmexInstrument } from './instruments.js';
import type { BitmexMarket } from './options.js';

/** What the decoder needs besides the frame. */
export interface DecodeContext {
  /** Config name of the source instance (`Liquidation.source`). */
  source: string;
  /** Contracts by symbol (add-only, so a late row of an expired future still decodes). */
  instruments: ReadonlyMap<string, BitmexInstrument>;
  /** XBT in USD (XBTUSD's mark price at the last listing), for quanto and XBT-quoted contracts. */
  xbtUsd(): number | undefined;
  /** Markets to emit; rows of the others are skipped. */
  markets: ReadonlySet<BitmexMarket>;
  /** A row of an unlisted contract in a frame that also holds listed ones (their events are kept). */
  onUnknownInstrument?: (symbol: string) => void;
}

/** Every key read below, at any depth. */
const parseFields = jsonFieldParser(['table', 'action', 'data', 'info', 'success', 'error', 'status', 'orderID', 'symbol', 'side', 'price', 'leavesQty']);

const USD_QUOTES = new Set(['USD', 'USDT', 'USDC']);
/** Settlement units per coin: satoshi per XBT, micro-USDT per USDT. */
const SETTLE_SCALE: Readonly<Record<string, number>> = { XBt: 1e8, USDt: 1e6 };

/** Decode one BitMEX frame. Welcome, acks, errors, other tables and non-insert actions give `[]`. */
export function decodeBitmexFrame(frame: RawFrame, context: DecodeContext): Liquidation[] {
  // A well-formed insert is read in place; everything else (and every error) the general way below.
  const compact = decodeCompactInsert(frame.data, frame.receivedAt, context);
  if (compact !== undefined) return compact;
  let message: unknown;
  try {
    message = parseFields(frame.data) ?? JSON.parse(frame.data);
  } catch (error) {
    throw new MalformedFrameError(`BitMEX frame is not JSON: ${preview(frame.data)}`, { cause: error });
  }
  if (!isRecord(message)) throw new MalformedFrameError(`BitMEX frame is not a JSON object: ${preview(frame.data)}`);
  if (typeof message.table !== 'string') {
    // {"info":...} welcome, {"success":true,...} ack, {"status":400,"error":...} refusal.
    if ('info' in message || 'success' in message || 'error' in message) return [];
    throw new MalformedFrameError(`BitMEX frame has no table: ${preview(frame.data)}`);
  }
  if (message.table !== 'liquidation' || message.action !== 'insert') return [];
  const data = message.data;
  if (!Array.isArray(data)) throw new MalformedFrameError('BitMEX liquidation insert: "data" is not an array');

  const events: Liquidation[] = [];
  let unknown: string | undefined;
  for (let index = 0; index < data.length; index++) {
    const row: unknown = data[index];
    if (!isRecord(row)) throw new MalformedFrameError(`BitMEX liquidation data[${index}] is not an object`);
    const { orderID, symbol, side } = row;
    if (typeof orderID !== 'string' || orderID === '') throw bad(index, 'orderID', orderID, 'an order id');
    if (typeof symbol !== 'string' || symbol === '') throw bad(index, 'symbol', symbol, 'a symbol');
    if (side !== 'Buy' && side !== 'Sell') throw bad(index, 'side', side, '"Buy" or "Sell"');
    const price = readPositive(row.price, index, 'price');
    const contracts = readPositive(row.leavesQty, index, 'leavesQty');
    const instrument = context.instruments.get(symbol);
    if (!instrument) {
      if (unknown === undefined) unknown = symbol;
      else if (unknown !== symbol) context.onUnknownInstrument?.(symbol);
      continue;
    }
    const event = rowEvent(symbol, orderID, side, price, contracts, instrument, frame.receivedAt, context);
    if (event) events.push(event);
  }
  if (unknown !== undefined) {
    if (events.length === 0) throw new UnknownInstrumentError(unknown);
    context.onUnknownInstrument?.(unknown);
  }
  return events;
}

/**
 * The event of one row of a listed contract, or undefined when it is not emitted (a market not
 * watched, or a contract not priceable in USD: skipped, never guessed). Shared with the compact path.
 */
export function rowEvent(symbol: string, orderID: string, side: 'Buy' | 'Sell', price: number, contracts: number, instrument: BitmexInstrument, receivedAt: number, context: DecodeContext): Liquidation | undefined {
  const market: BitmexMarket = instrument.kind === 'inverse' ? 'inverse' : 'linear';
  if (!context.markets.has(market)) return undefined;
  const size = sizeOf(instrument, contracts, price, context.xbtUsd());
  if (!size) return undefined;
  return {
    id: `bitmex:${market}:${symbol}:${orderID}`,
    exchange: 'bitmex',
    market,
    symbol,
    base: instrument.base,
    quote: instrument.quote,
    side: side === 'Sell' ? 'long' : 'short',
    price,
    priceKind: 'bankruptcy',
    quantity: size.quantity,
    notionalUsd: size.notionalUsd,
    time: receivedAt,
    receivedAt,
    sampled: false,
    source: context.source,
  };
}

/**
 * Base quantity and USD value of `contracts` at `price` (BitMEX contract guides; Tucsky/aggr bitmex.ts):
 * - inverse (XBTUSD): each contract is worth `|multiplier|` satoshi of USD, i.e. 1 USD for XBTUSD, so
 *   notional = contracts x |multiplier| / 1e8 and coins = notional / price;
 * - linear (XBTUSDT): coins = contracts / underlyingToPositionMultiplier (or contracts x multiplier /
 *   settlement scale when it is absent), notional = coins x price, times XBTUSD for XBT-quoted ones;
 * - quanto (ETHUSD): XBT value = multiplier x price x contracts / 1e8, notional = that x XBTUSD,
 *   coins = notional / price.
 */
function sizeOf(instrument: BitmexInstrument, contracts: number, price: number, xbtUsd: number | undefined): { quantity: number; notionalUsd: number } | undefined {
  const scale = SETTLE_SCALE[instrument.settle];
  if (scale === undefined) return undefined;
  if (instrument.kind === 'inverse') {
    if (instrument.quote !== 'USD' || instrument.settle !== 'XBt') return undefined;
    const notionalUsd = (contracts * Math.abs(instrument.multiplier)) / scale;
    return { quantity: notionalUsd / price, notionalUsd };
  }
  if (instrument.kind === 'quanto') {
    if (instrument.quote !== 'USD' || instrument.settle !== 'XBt' || xbtUsd === undefined) return undefined;
    const notionalUsd = ((instrument.multiplier * price * contracts) / scale) * xbtUsd;
    return { quantity: notionalUsd / price, notionalUsd };
  }
  const u2p = instrument.underlyingToPositionMultiplier;
  const quantity = u2p === undefined ? (contracts * instrument.multiplier) / scale : contracts / u2p;
  if (USD_QUOTES.has(instrument.quote)) return { quantity, notionalUsd: quantity * price };
  if (instrument.quote === 'BTC' && xbtUsd !== undefined) return { quantity, notionalUsd: quantity * price * xbtUsd };
  return undefined;
}

/** BitMEX sends numbers; numeric strings are accepted too. Must be > 0. */
function readPositive(value: unknown, index: number, field: string): number {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' ? decimalNumber(value) : Number.NaN;
  if (Number.isFinite(parsed) && parsed > 0) return parsed;
  throw bad(index, field, value, 'a positive number');
}

function bad(index: number, field: string, value: unknown, expected: string): MalformedFrameError {
  return new MalformedFrameError(`BitMEX liquidation data[${index}].${field} is ${JSON.stringify(value) ?? 'missing'}; expected ${expected}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function preview(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
