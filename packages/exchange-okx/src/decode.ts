/**
 * OKX frame decoder: raw text + reference data in, normalized liquidations out. It needs no connection,
 * so the same function serves live frames and `liqmon replay`.
 *
 * Facts it relies on (https://www.okx.com/docs-v5/en/#public-data-websocket-liquidation-orders-channel):
 * - a push is `{"arg":{"channel":"liquidation-orders","instType":…},"data":[{instId,…,"details":[…]}]}`:
 *   one `data` entry per instrument, one `details` entry per liquidation;
 * - `posSide` is the liquidated POSITION (`long`/`short`) in hedge mode and `net` in net mode, where
 *   the position is the opposite of `side`, the liquidation ORDER's side (a sell closes a long);
 * - `sz` is in contracts for SWAP and FUTURES (it can be fractional), `bkPx` the bankruptcy price,
 *   `ts` the time in ms (a string);
 * - OKX says the channel "doesn't represent the total number of liquidations": every event is `sampled`.
 * Contracts become base units with the instrument's `ctVal` x `ctMult` (linear: base per contract;
 * inverse: USD per contract, so the USD value is exact and the base quantity is value / price).
 */
import {
  decimalNumber,
  jsonFieldParser,
  liquidationId,
  MalformedFrameError,
  UnknownInstrumentError,
  type Liquidation,
  type LiquidationSide,
  type RawFrame,
} from '@liqmon/core';
import type { InstrumentBook } from './instruments.js';
import type { OkxMarket } from './options.js';
import { LIQUIDATION_CHANNEL } from './protocol.js';

/** What the decoder needs besides the frame. */
export interface DecodeContext {
  /** Config name of the source instance (`Liquidation.source`). */
  source: string;
  instruments: InstrumentBook;
  /** Markets to emit; events of the others are dropped. */
  markets: ReadonlySet<OkxMarket>;
  /** When set, only these instruments are emitted. */
  symbols?: ReadonlySet<string>;
}

/** Every key this decoder reads, at any depth; an unlisted key reads as missing. */
const parseFields = jsonFieldParser(['event', 'arg', 'channel', 'data', 'instId', 'details', 'side', 'posSide', 'sz', 'bkPx', 'ts']);

/** Decode one OKX frame. Control frames (acks, errors, notices, `pong`) and other channels give `[]`. */
export function decodeOkxFrame(frame: RawFrame, context: DecodeContext): Liquidation[] {
  const text = frame.data;
  // The heartbeat reply is the bare text `pong`, not JSON (docs: overview-websocket-connect).
  if (text === 'pong') return [];
  let message: unknown;
  try {
    message = parseFields(text) ?? JSON.parse(text);
  } catch (error) {
    throw new MalformedFrameError(`OKX frame is not JSON: ${preview(text)}`, { cause: error });
  }
  if (!isRecord(message)) throw new MalformedFrameError(`OKX frame is not a JSON object: ${preview(text)}`);
  // {"event":"subscribe"|"error"|"notice",...}: control frames.
  if (typeof message.event === 'string') return [];
  const arg = message.arg;
  if (!isRecord(arg) || typeof arg.channel !== 'string') throw new MalformedFrameError(`OKX frame has no arg.channel: ${preview(text)}`);
  if (arg.channel !== LIQUIDATION_CHANNEL) return [];
  const data = message.data;
  if (!Array.isArray(data)) throw new MalformedFrameError(`OKX ${LIQUIDATION_CHANNEL}: "data" is not an array`);
  const events: Liquidation[] = [];
  for (let index = 0; index < data.length; index++) readInstrument(data[index], index, frame.receivedAt, context, events);
  return events;
}

/** One `data` entry: the liquidations of one instrument. */
function readInstrument(entry: unknown, index: number, receivedAt: number, context: DecodeContext, events: Liquidation[]): void {
  if (!isRecord(entry)) throw new MalformedFrameError(`OKX ${LIQUIDATION_CHANNEL} data[${index}] is not an object`);
  const instId = entry.instId;
  if (typeof instId !== 'string' || instId === '') throw new MalformedFrameError(`OKX ${LIQUIDATION_CHANNEL} data[${index}].instId is missing`);
  const details = entry.details;
  if (!Array.isArray(details)) throw new MalformedFrameError(`OKX ${LIQUIDATION_CHANNEL} data[${index}].details is not an array`);
  const instrument = context.instruments.get(instId);
  const wanted = instrument !== undefined && context.markets.has(instrument.market) && (!context.symbols || context.symbols.has(instId));
  const contractValue = instrument ? instrument.ctVal * instrument.ctMult : 0;
  for (let position = 0; position < details.length; position++) {
    const detail: unknown = details[position];
    const where = `OKX ${instId} data[${index}].details[${position}]`;
    if (!isRecord(detail)) throw new MalformedFrameError(`${where} is not an object`);
    const orderSide = detail.side;
    const side = positionSide(detail.posSide, orderSide, where);
    const sizeText = readDecimalText(detail.sz, where, 'sz');
    const priceText = readDecimalText(detail.bkPx, where, 'bkPx');
    const contracts = readPositive(sizeText, where, 'sz');
    const price = readPositive(priceText, where, 'bkPx');
    const time = readTime(detail.ts, where);
    // Checked after the fields, so that a malformed frame is reported as such whatever the list holds.
    // Never a guessed contract value: core skips the frame, counts it and refreshes the list.
    if (!instrument) throw new UnknownInstrumentError(instId);
    if (!wanted) continue;
    // Linear: a contract is `contractValue` base units. Inverse: `contractValue` USD.
    const value = contracts * contractValue;
    const quantity = instrument.market === 'linear' ? value : value / price;
    const notionalUsd = instrument.market === 'linear' ? value * price : value;
    events.push({
      id: liquidationId('okx', instrument.market, instId, time, String(orderSide), sizeText, priceText),
      exchange: 'okx',
      market: instrument.market,
      symbol: instId,
      base: instrument.base,
      quote: instrument.quote,
      side,
      price,
      priceKind: 'bankruptcy',
      quantity,
      notionalUsd,
      time,
      receivedAt,
      sampled: true,
      source: context.source,
    });
  }
}

/** `posSide` names the position in hedge mode; in net mode (`net`, or absent) it is the opposite of the order side. */
function positionSide(posSide: unknown, orderSide: unknown, where: string): LiquidationSide {
  if (posSide === 'long' || posSide === 'short') return posSide;
  if (orderSide === 'sell') return 'long';
  if (orderSide === 'buy') return 'short';
  throw new MalformedFrameError(`${where}: posSide ${JSON.stringify(posSide) ?? 'missing'} and side ${JSON.stringify(orderSide) ?? 'missing'} name no position`);
}

function readDecimalText(value: unknown, where: string, field: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new MalformedFrameError(`${where}.${field} is ${JSON.stringify(value) ?? 'missing'}; expected a decimal string`);
}

/** Must be > 0, so that blank (which Number reads as 0) is refused. */
function readPositive(text: string, where: string, field: string): number {
  const parsed = decimalNumber(text);
  if (Number.isFinite(parsed) && parsed > 0) return parsed;
  throw new MalformedFrameError(`${where}.${field} is ${JSON.stringify(text)}; expected a positive number`);
}

/** `ts` is ms since epoch as a string (a number is accepted too). */
function readTime(value: unknown, where: string): number {
  const parsed = typeof value === 'string' && value !== '' ? Number(value) : value;
  if (typeof parsed === 'number' && Number.isSafeInteger(parsed) && parsed > 0) return parsed;
  throw new MalformedFrameError(`${where}.ts is ${JSON.stringify(value) ?? 'missing'}; expected ms since epoch`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function preview(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
