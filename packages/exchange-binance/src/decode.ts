/**
 * Binance forceOrder frames -> Liquidation events. Pure: a function of the frame and the instrument
 * book, so `liqmon replay` decodes recorded frames exactly as live ones.
 *
 * Frame facts (https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/Liquidation-Order-Streams
 * and .../coin-margined-futures/websocket-market-streams/All-Market-Liquidation-Order-Streams):
 * - `/ws/...` paths send the bare event; `/stream?streams=...` wrap it as `{"stream": ..., "data": ...}`.
 * - `o.S` is the side of the liquidation ORDER: SELL closes (liquidates) a long, BUY a short.
 * - `o.z` is the filled accumulated quantity, `o.ap` the average fill price, `o.T` the trade time.
 *   `o.q`/`o.p` are the order's quantity and limit price, not what was liquidated.
 * - COIN-M quantities are contracts of a fixed USD size (`contractSize` in /dapi/v1/exchangeInfo).
 * - Only the latest liquidation per symbol per 1000 ms is pushed: the feed is a sample.
 * - Since 2026 frames may carry `ps`/`st`, inside `o` or beside it; they are not needed here.
 */
import { decimalNumber, jsonFieldParser, liquidationId, MalformedFrameError, type Liquidation, type RawFrame } from '@liqmon/core';
import type { InstrumentBook } from './instruments.js';
import { MARKETS, type Market } from './options.js';

/** What decoding needs besides the frame. */
export interface DecodeContext {
  /** Instance name, written to `Liquidation.source`. */
  source: string;
  instruments: InstrumentBook;
  /** Called when base/quote or a contract size had to be guessed (the source warns once per symbol). */
  onFallback?: (market: Market, symbol: string) => void;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every key this decoder reads, at any depth: the envelope (`stream`, `data`), the event (`e`, `E`,
 * `o`), the order (`s`, `S`, `z`, `ap`, `T`) and replies (`result`, `id`, `error`, `code`, `msg`).
 * A key read below must be listed here, or it reads as missing.
 */
const parseFields = jsonFieldParser(['stream', 'data', 'e', 'E', 'o', 's', 'S', 'z', 'ap', 'T', 'result', 'id', 'error', 'code', 'msg']);

function parse(data: string): unknown {
  try {
    // Builds only the keys above; JSON.parse for text outside its subset (and to report bad JSON).
    return parseFields(data) ?? JSON.parse(data);
  } catch (error) {
    throw new MalformedFrameError(`binance: frame is not JSON: ${data.slice(0, 120)}`, { cause: error });
  }
}

/** A decimal string (or number) as a finite non-negative number. */
function decimal(raw: unknown, field: string): number {
  let value = typeof raw === 'string' ? decimalNumber(raw) : typeof raw === 'number' ? raw : Number.NaN;
  // Number('') and Number('  ') are 0: blank is not a number here. (Checked only for 0: trim is not free.)
  if (value === 0 && typeof raw === 'string' && raw.trim() === '') value = Number.NaN;
  if (!Number.isFinite(value) || value < 0) {
    throw new MalformedFrameError(`binance: forceOrder field "${field}" is not a finite non-negative number: ${JSON.stringify(raw)}`);
  }
  return value;
}

function epochMs(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

function decodeEvent(event: Json, market: Market, frame: RawFrame, context: DecodeContext): Liquidation[] {
  const order = event.o;
  if (!isObject(order)) throw new MalformedFrameError('binance: forceOrder event without an "o" object');
  const symbol = order.s;
  if (typeof symbol !== 'string' || symbol === '') throw new MalformedFrameError('binance: forceOrder without a symbol "s"');
  const orderSide = order.S;
  if (orderSide !== 'SELL' && orderSide !== 'BUY') throw new MalformedFrameError(`binance: unknown order side ${JSON.stringify(orderSide)}`);
  const filledRaw = order.z;
  const filled = decimal(filledRaw, 'z');
  if (filled === 0) return []; // nothing was liquidated (an order that filled nothing): no alert
  const priceRaw = order.ap;
  const price = decimal(priceRaw, 'ap');
  if (price === 0) throw new MalformedFrameError(`binance: ${symbol} filled ${String(filledRaw)} at average price 0`);
  const time = epochMs(order.T) ?? epochMs(event.E);
  if (time === undefined) throw new MalformedFrameError(`binance: ${symbol} forceOrder has no trade time "T" nor event time "E"`);

  const instrument = context.instruments.lookup(market, symbol);
  if (instrument.fallback) context.onFallback?.(market, symbol);
  let quantity: number;
  let notionalUsd: number;
  if (market === 'coinm') {
    // Inverse contracts: each is worth contractSize USD; the base amount follows from the fill price.
    notionalUsd = filled * (instrument.contractSize ?? 0);
    quantity = notionalUsd / price;
  } else {
    quantity = filled;
    notionalUsd = filled * price;
  }
  return [
    {
      // The raw text of z and ap (not the parsed numbers), so that the id is exactly what was sent.
      id: liquidationId('binance', market, symbol, time, orderSide, String(filledRaw), String(priceRaw)),
      exchange: 'binance',
      market,
      symbol,
      base: instrument.base,
      quote: instrument.quote,
      side: orderSide === 'SELL' ? 'long' : 'short',
      price,
      priceKind: 'fill',
      quantity,
      notionalUsd,
      time,
      receivedAt: frame.receivedAt,
      sampled: true,
      source: context.source,
    },
  ];
}

function decodePayload(payload: unknown, market: Market, frame: RawFrame, context: DecodeContext): Liquidation[] {
  if (Array.isArray(payload)) return payload.flatMap((item) => decodePayload(item, market, frame, context));
  if (!isObject(payload)) throw new MalformedFrameError(`binance: unexpected frame ${frame.data.slice(0, 120)}`);
  if (payload.e === 'forceOrder') return decodeEvent(payload, market, frame, context);
  if ('result' in payload && 'id' in payload) return []; // SUBSCRIBE / LIST_SUBSCRIPTIONS reply
  if ('error' in payload || ('code' in payload && 'msg' in payload)) {
    const error = isObject(payload.error) ? payload.error : payload;
    throw new MalformedFrameError(`binance: error reply ${String(error.code)}: ${String(error.msg)}`);
  }
  if (typeof payload.e === 'string') throw new MalformedFrameError(`binance: unexpected event type "${payload.e}"`);
  throw new MalformedFrameError(`binance: unrecognised frame ${frame.data.slice(0, 120)}`);
}

/**
 * Decodes one raw frame of channel `usdm` or `coinm`. Returns [] for subscription replies and for
 * liquidations that filled nothing; throws MalformedFrameError for anything it cannot read (bad JSON,
 * unknown events, error replies, missing or non-finite numbers).
 */
export function decodeFrame(frame: RawFrame, context: DecodeContext): Liquidation[] {
  const market = frame.channel as Market;
  if (!MARKETS.includes(market)) throw new MalformedFrameError(`binance: unknown channel "${frame.channel}" (expected usdm or coinm)`);
  const message = parse(frame.data);
  // Combined-stream envelope: {"stream": "btcusdt@forceOrder", "data": {...}}
  const payload = isObject(message) && typeof message.stream === 'string' && 'data' in message ? message.data : message;
  return decodePayload(payload, market, frame, context);
}
