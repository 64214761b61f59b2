/**
 * dYdX v4 indexer frame decoder: raw text in, normalized liquidations out. Needs no connection and no
 * reference data (sizes are base units, prices USD, and the ticker names base and quote), so the same
 * function serves live frames and `liqmon replay`.
 *
 * Facts it relies on (docs.dydx.exchange/api_integration-indexer/indexer_websocket; the frame in
 * test/fixtures/dydx-v4.jsonl):
 * - `{"type":"channel_data","channel":"v4_trades","id":"BTC-USD","contents":{"trades":[...]}}`, and with
 *   `batched` subscriptions `channel_batch_data` whose `contents` is a list of such objects;
 * - a trade has `id`, `side` (`BUY`/`SELL`, the TAKER's side), `size` (base units), `price` (USD),
 *   `type` (`LIMIT`, `MARKET`, `LIQUIDATED`, `DELEVERAGED`) and `createdAt` (ISO-8601);
 * - the `subscribed` reply carries recent trades from before the subscription: never alerted.
 *
 * Only `LIQUIDATED` trades are events. `DELEVERAGED` closes a profitable counterparty against a
 * liquidation the book could not absorb: it is not a liquidation of that position.
 * Side: the protocol's liquidation order is the taker (dydxprotocol `StreamLiquidationOrder.is_buy`: "True
 * if this is a buy order liquidating a short position"), so a `SELL` closes a long: `long`.
 */
import { decimalNumber, jsonFieldParser, MalformedFrameError, type Liquidation, type RawFrame } from '@liqmon/core';
import { splitTicker } from './markets.js';

/** What the decoder needs besides the frame. */
export interface DydxDecodeContext {
  /** Config name of the source instance (`Liquidation.source`). */
  source: string;
}

/** Every key this decoder reads, at any depth; an unlisted key reads as missing. */
const parseFields = jsonFieldParser(['type', 'channel', 'id', 'contents', 'trades', 'side', 'size', 'price', 'createdAt']);

/** Decode one indexer frame. Control frames, history and other trades give `[]`. */
export function decodeDydxFrame(frame: RawFrame, context: DydxDecodeContext): Liquidation[] {
  let message: unknown;
  try {
    message = parseFields(frame.data) ?? JSON.parse(frame.data);
  } catch (error) {
    throw new MalformedFrameError(`dYdX frame is not JSON: ${preview(frame.data)}`, { cause: error });
  }
  if (!isRecord(message) || typeof message.type !== 'string') throw new MalformedFrameError(`dYdX frame has no "type": ${preview(frame.data)}`);
  const batched = message.type === 'channel_batch_data';
  // connected, subscribed (recent history), unsubscribed, error, and other channels.
  if ((message.type !== 'channel_data' && !batched) || message.channel !== 'v4_trades') return [];
  const ticker = message.id;
  const pair = typeof ticker === 'string' ? splitTicker(ticker) : undefined;
  if (!pair) throw new MalformedFrameError(`dYdX v4_trades frame: "id" is ${JSON.stringify(ticker) ?? 'missing'}; expected a market such as "BTC-USD"`);
  const market = ticker as string;
  const events: Liquidation[] = [];
  const parts = batched ? message.contents : [message.contents];
  if (!Array.isArray(parts)) throw new MalformedFrameError(`dYdX ${market} v4_trades: "contents" is not a list`);
  for (const part of parts) {
    const trades = isRecord(part) ? part.trades : undefined;
    if (!Array.isArray(trades)) throw new MalformedFrameError(`dYdX ${market} v4_trades: "contents.trades" is not a list`);
    for (const trade of trades) {
      if (!isRecord(trade)) throw new MalformedFrameError(`dYdX ${market} v4_trades: a trade is not an object`);
      if (trade.type === 'LIQUIDATED') events.push(normalize(trade, market, pair, frame.receivedAt, context));
    }
  }
  return events;
}

function normalize(trade: Record<string, unknown>, ticker: string, pair: { base: string; quote: string }, receivedAt: number, context: DydxDecodeContext): Liquidation {
  const side = trade.side;
  if (side !== 'BUY' && side !== 'SELL') throw new MalformedFrameError(`dYdX ${ticker} trade: "side" is ${JSON.stringify(side) ?? 'missing'}; expected "BUY" or "SELL"`);
  const id = trade.id;
  if (typeof id !== 'string' || id === '') throw new MalformedFrameError(`dYdX ${ticker} trade: "id" is ${JSON.stringify(id) ?? 'missing'}`);
  const quantity = readPositive(trade.size, ticker, 'size');
  const price = readPositive(trade.price, ticker, 'price');
  const time = typeof trade.createdAt === 'string' ? Date.parse(trade.createdAt) : Number.NaN;
  if (!Number.isSafeInteger(time) || time <= 0) throw new MalformedFrameError(`dYdX ${ticker} trade: "createdAt" is ${JSON.stringify(trade.createdAt) ?? 'missing'}; expected an ISO-8601 time`);
  return {
    // The indexer's trade id is unique per fill: the same trade seen twice gives the same id.
    id: ['dydx', 'linear', ticker, id].join(':'),
    exchange: 'dydx',
    market: 'linear',
    symbol: ticker,
    base: pair.base,
    quote: pair.quote,
    side: side === 'SELL' ? 'long' : 'short',
    price,
    priceKind: 'fill',
    quantity,
    notionalUsd: quantity * price,
    time,
    receivedAt,
    sampled: false,
    source: context.source,
  };
}

/** The indexer sends decimals as strings. Must be > 0. */
function readPositive(value: unknown, ticker: string, field: string): number {
  const parsed = typeof value === 'string' ? decimalNumber(value) : typeof value === 'number' ? value : Number.NaN;
  if (Number.isFinite(parsed) && parsed > 0) return parsed;
  throw new MalformedFrameError(`dYdX ${ticker} trade: "${field}" is ${JSON.stringify(value) ?? 'missing'}; expected a positive number`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function preview(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
