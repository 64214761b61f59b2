/**
 * Kraken Futures frame decoder: raw text + reference data in, normalized liquidations out. Needs no
 * connection, so the same function serves live frames and `liqmon replay`.
 *
 * Facts it relies on (docs.kraken.com/api/docs/futures-api/websocket/trade; frames in
 * test/fixtures/kraken-futures.jsonl):
 * - a `trade` frame is one trade: `product_id`, `uid` (unique trade id), `side` (the TAKER's side),
 *   `type` (`fill`, `liquidation`, `termination`, `block`), `time` (ms), `qty`, `price`;
 * - `type: "liquidation"` is "the result of a user being liquidated"; only those are events;
 * - `trade_snapshot` (sent right after subscribing) is history from before the subscription: skipped;
 * - `qty` is in contracts: USD contracts for inverse products (PI_/FI_), base units for linear ones
 *   (PF_); `contractSize` from the instrument list converts it.
 *
 * Side: the liquidated user is taken to be the taker, so a taker `sell` closes a long (`long`) and a
 * `buy` a short. Kraken does not document who the taker of a liquidation trade is; liquidations are
 * executed as orders the engine sends for the liquidated account, which take liquidity, and
 * tardis-dev maps the same field the same way (README, "Assumptions").
 */
import {
  decimalNumber,
  epochMsText,
  liquidationId,
  MalformedFrameError,
  UnknownInstrumentError,
  type Liquidation,
  type RawFrame,
} from '@liqmon/core';
import type { KrakenInstrument } from './instruments.js';

/** What the decoder needs besides the frame. */
export interface KrakenDecodeContext {
  /** Config name of the source instance (`Liquidation.source`). */
  source: string;
  /** Products by id. */
  instruments: ReadonlyMap<string, KrakenInstrument>;
}

/** Decode one Kraken Futures frame. Control frames, other trades and snapshots give `[]`. */
export function decodeKrakenFrame(frame: RawFrame, context: KrakenDecodeContext): Liquidation[] {
  let message: unknown;
  try {
    // Plain JSON.parse, not core's jsonFieldParser: a trade frame is one flat object of which this
    // reads nine keys of ten, so the field parser builds the same object in JavaScript and was slower
    // than the native parser here (0.74x; decoding 0.61x of tardis-dev's mapper with it, 0.8x without:
    // docs/performance.md, "Decoders").
    message = JSON.parse(frame.data);
  } catch (error) {
    throw new MalformedFrameError(`Kraken frame is not JSON: ${preview(frame.data)}`, { cause: error });
  }
  if (!isRecord(message)) throw new MalformedFrameError(`Kraken frame is not a JSON object: ${preview(frame.data)}`);
  // info, subscribed, subscribed_failed, error, alert: {"event":...}
  if (typeof message.event === 'string') return [];
  if (typeof message.feed !== 'string') throw new MalformedFrameError(`Kraken frame has no "feed" or "event": ${preview(frame.data)}`);
  if (message.feed !== 'trade' || message.type !== 'liquidation') return [];

  const symbol = readText(message.product_id, 'product_id');
  const sideText = message.side;
  if (sideText !== 'buy' && sideText !== 'sell') throw new MalformedFrameError(`Kraken ${symbol} trade: "side" is ${JSON.stringify(sideText) ?? 'missing'}; expected "buy" or "sell"`);
  const qty = readPositive(message.qty, symbol, 'qty');
  const price = readPositive(message.price, symbol, 'price');
  const time = readTime(message.time, symbol);
  // Looked up last: a frame that cannot be read is malformed whatever the list says.
  const instrument = context.instruments.get(symbol);
  if (!instrument) throw new UnknownInstrumentError(symbol);
  const { market, contractSize } = instrument;
  // Linear: contracts of contractSize base units. Inverse: contracts of contractSize USD.
  const quantity = market === 'linear' ? qty * contractSize : (qty * contractSize) / price;
  const notionalUsd = market === 'linear' ? quantity * price : qty * contractSize;
  const uid = message.uid;
  return [
    {
      // The trade's own id when it has one; the same trade seen twice gives the same id.
      id: typeof uid === 'string' && uid !== '' ? ['kraken', market, symbol, uid].join(':') : liquidationId('kraken', market, symbol, time, sideText, numberText(message.qty), numberText(message.price)),
      exchange: 'kraken',
      market,
      symbol,
      base: instrument.base,
      quote: instrument.quote,
      side: sideText === 'sell' ? 'long' : 'short',
      price,
      priceKind: 'fill',
      quantity,
      notionalUsd,
      time,
      receivedAt: frame.receivedAt,
      sampled: false,
      source: context.source,
    },
  ];
}

function readText(value: unknown, field: string): string {
  if (typeof value === 'string' && value !== '') return value;
  throw new MalformedFrameError(`Kraken trade: "${field}" is ${JSON.stringify(value) ?? 'missing'}`);
}

/** Kraken sends numbers; numeric strings are accepted too. Must be > 0. */
function readPositive(value: unknown, symbol: string, field: string): number {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' ? decimalNumber(value) : Number.NaN;
  if (Number.isFinite(parsed) && parsed > 0) return parsed;
  throw new MalformedFrameError(`Kraken ${symbol} trade: "${field}" is ${JSON.stringify(value) ?? 'missing'}; expected a positive number`);
}

function readTime(value: unknown, symbol: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  throw new MalformedFrameError(`Kraken ${symbol} trade: "time" is ${JSON.stringify(value) ?? 'missing'}; expected ms since epoch`);
}

/** A number as the exchange wrote it, for ids (integers without the slow path of 13-digit numbers). */
function numberText(value: unknown): string {
  return typeof value === 'number' && Number.isSafeInteger(value) ? epochMsText(value) : String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function preview(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
