/**
 * Bitget frame decoder: raw text + instrument list in, normalized liquidations out; no connection, so
 * the same function serves live frames and `liqmon replay`.
 *
 * Facts it relies on (package README, docs/decisions/bitget.md):
 * - `{"action":"update","arg":{"instType":"usdt-futures","topic":"liquidation"},"data":[{"symbol",
 *   "side","price","amount","ts"}],"ts":...}`: the product type is in `arg`, not in the item;
 * - `side` is the liquidated POSITION: `buy` = a long (peers tardis-dev and aggr agree; unverified in
 *   Bitget's docs);
 * - `amount` is in the QUOTE coin (USDT, USDC; USD for coin-futures: unverified): in the recorded
 *   frame, 13.70319 / 0.1649 = 83.1 APE and 143.330431857868 / 0.500280739469 = 286.5 IP exactly;
 * - `ts` is the liquidation time in ms (as a string), up to 20 s older than the push.
 */
import { decimalNumber, jsonFieldParser, liquidationId, MalformedFrameError, UnknownInstrumentError, type Liquidation, type RawFrame } from '@liqmon/core';
import type { InstrumentBook } from './instruments.js';
import { INST_TYPES, isInstType, type InstType } from './protocol.js';

/** What the decoder needs besides the frame. */
export interface DecodeContext {
  /** Config name of the source instance (`Liquidation.source`). */
  source: string;
  instruments: InstrumentBook;
  /** Product types the instance watches; frames of others give nothing. */
  instTypes: ReadonlySet<InstType>;
  /** Only these symbols, when the user listed some. */
  symbols: ReadonlySet<string> | undefined;
}

/** Every key the decoder reads, at any depth (a key read below must be listed, or it reads as missing). */
const parseFields = jsonFieldParser(['event', 'action', 'arg', 'instType', 'topic', 'data', 'symbol', 'side', 'price', 'amount', 'ts']);

/** Times below this are not ms since the epoch. */
const MIN_EPOCH_MS = 1e12;

/** Decode one Bitget frame. `pong`, acks and other topics give `[]`. */
export function decodeBitgetFrame(frame: RawFrame, context: DecodeContext): Liquidation[] {
  if (frame.data === 'pong') return [];
  let message: unknown;
  try {
    message = parseFields(frame.data) ?? JSON.parse(frame.data);
  } catch (error) {
    throw new MalformedFrameError(`Bitget frame is not JSON: ${preview(frame.data)}`, { cause: error });
  }
  if (!isRecord(message)) throw new MalformedFrameError(`Bitget frame is not a JSON object: ${preview(frame.data)}`);
  // Acks and refusals: {"event":"subscribe"|"error",...}.
  if (typeof message.event === 'string') return [];
  const arg = message.arg;
  if (!isRecord(arg)) throw new MalformedFrameError(`Bitget frame has no "arg": ${preview(frame.data)}`);
  if (arg.topic !== 'liquidation') return [];
  const instType = arg.instType;
  if (!isInstType(instType)) throw new MalformedFrameError(`Bitget liquidation frame of unknown instType ${JSON.stringify(instType)}`);
  if (!context.instTypes.has(instType)) return [];
  const data = message.data;
  if (!Array.isArray(data)) throw new MalformedFrameError(`Bitget ${instType} liquidation: "data" is not an array`);
  const events: Liquidation[] = [];
  for (let index = 0; index < data.length; index++) {
    const event = normalize(data[index], index, instType, frame.receivedAt, context);
    if (event) events.push(event);
  }
  return events;
}

function normalize(item: unknown, index: number, instType: InstType, receivedAt: number, context: DecodeContext): Liquidation | undefined {
  if (!isRecord(item)) throw new MalformedFrameError(`${where(instType, index, '')} is not an object`);
  const { symbol, side: sideText, price: priceText, amount: amountText } = item;
  if (typeof symbol !== 'string' || symbol === '') throw new MalformedFrameError(`${where(instType, index, 'symbol')} is missing`);
  if (sideText !== 'buy' && sideText !== 'sell') throw new MalformedFrameError(`${where(instType, index, 'side')} is ${JSON.stringify(sideText) ?? 'missing'}; expected "buy" or "sell"`);
  const price = positive(priceText, instType, index, 'price');
  const amount = positive(amountText, instType, index, 'amount');
  const time = typeof item.ts === 'string' && item.ts !== '' ? Number(item.ts) : item.ts;
  if (typeof time !== 'number' || !Number.isSafeInteger(time) || time < MIN_EPOCH_MS) {
    throw new MalformedFrameError(`${where(instType, index, 'ts')} is ${JSON.stringify(item.ts) ?? 'missing'}; expected ms since epoch`);
  }
  if (context.symbols && !context.symbols.has(symbol)) return undefined;
  const coins = context.instruments.get(instType, symbol);
  if (!coins) throw new UnknownInstrumentError(symbol);
  const market = INST_TYPES[instType].market;
  return {
    id: liquidationId('bitget', market, symbol, time, sideText, String(amountText), String(priceText)),
    exchange: 'bitget',
    market,
    symbol,
    base: coins.base,
    quote: coins.quote,
    side: sideText === 'buy' ? 'long' : 'short',
    price,
    priceKind: 'fill',
    // `amount` is the quote value: USDT and USDC count as USD, as coin-futures' USD does.
    quantity: amount / price,
    notionalUsd: amount,
    time,
    receivedAt,
    sampled: true,
    source: context.source,
  };
}

/** Bitget sends decimal strings; numbers are accepted too. Must be > 0. */
function positive(value: unknown, instType: InstType, index: number, field: string): number {
  const parsed = typeof value === 'string' ? decimalNumber(value) : typeof value === 'number' ? value : Number.NaN;
  if (Number.isFinite(parsed) && parsed > 0) return parsed;
  throw new MalformedFrameError(`${where(instType, index, field)} is ${JSON.stringify(value) ?? 'missing'}; expected a positive number`);
}

/** `Bitget usdt-futures data[0].price`; built only for a bad field. */
function where(instType: InstType, index: number, field: string): string {
  return `Bitget ${instType} data[${index}]${field ? `.${field}` : ''}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function preview(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
