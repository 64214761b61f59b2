/**
 * HTX frame decoder: inflated text + reference data in, normalized liquidations out. It needs no
 * connection, so the same function serves live frames and `liqmon replay`.
 *
 * A push is `{"op":"notify","topic":"public.ETH-USDT.liquidation_orders","ts":…,"data":[{…}]}`, one
 * `data` entry per liquidation order, each checked against the live frame of 2026-09-17 (see README):
 * - `direction` is the liquidation ORDER's side: a sell closes a long, a buy closes a short;
 * - `volume` is in contracts, `amount` in base units (500 contracts x 0.01 ETH = 5 ETH), `price` the
 *   order's price, `trade_turnover` its value in the quote (5 x 2446.26 = 12231.3, exactly);
 * - `created_at` is the liquidation's time in ms.
 * Quantity is `amount`, or `volume` x the listed `contract_size` when a frame lacks it; the USD value
 * is `trade_turnover`, or quantity x price when it lacks it (never `volume` x price: that is off by the
 * contract size). Every contract is USDT-margined, so every event is `linear`.
 */
import {
  decimalNumber,
  jsonFieldParser,
  liquidationId,
  MalformedFrameError,
  UnknownInstrumentError,
  type Liquidation,
  type RawFrame,
} from '@liqmon/core';
import { decodeCompactPush, TOPIC_SUFFIX } from './compact.js';
import type { ContractBook, HtxContract } from './instruments.js';

/** What the decoder needs besides the frame. */
export interface DecodeContext {
  /** Config name of the source instance (`Liquidation.source`). */
  source: string;
  contracts: ContractBook;
  /** When set, only these contracts are emitted. */
  symbols?: ReadonlySet<string>;
}

/** Every key this decoder reads, at any depth; an unlisted key reads as missing. */
const parseFields = jsonFieldParser(['op', 'topic', 'data', 'contract_code', 'direction', 'volume', 'price', 'created_at', 'amount', 'trade_turnover']);

/** Decode one HTX frame. Control frames (pings, subscribe answers) and other topics give `[]`. */
export function decodeHtxFrame(frame: RawFrame, context: DecodeContext): Liquidation[] {
  const text = frame.data;
  // A well-formed push is read in place; everything else (and every error) the general way below.
  const compact = decodeCompactPush(text, frame.receivedAt, context);
  if (compact !== undefined) return compact;
  let message: unknown;
  try {
    message = parseFields(text) ?? JSON.parse(text);
  } catch (error) {
    throw new MalformedFrameError(`HTX frame is not JSON: ${preview(text)}`, { cause: error });
  }
  if (!isRecord(message)) throw new MalformedFrameError(`HTX frame is not a JSON object: ${preview(text)}`);
  if (typeof message.op !== 'string') throw new MalformedFrameError(`HTX frame has no "op": ${preview(text)}`);
  // ping, sub, unsub, close, error: connection upkeep, no liquidation.
  if (message.op !== 'notify') return [];
  if (typeof message.topic !== 'string' || !message.topic.endsWith(TOPIC_SUFFIX)) return [];
  const data = message.data;
  if (!Array.isArray(data)) throw new MalformedFrameError(`HTX ${message.topic}: "data" is not an array`);
  const events: Liquidation[] = [];
  for (let index = 0; index < data.length; index++) readOrder(data[index], index, frame.receivedAt, context, events);
  return events;
}

/**
 * Where in the frame a field is, for an error message. Built only when a check fails: decoding a
 * well-formed order builds no message text at all (it was a quarter of the decode time).
 */
function at(index: number, field: string): string {
  return `HTX liquidation_orders data[${index}]${field}`;
}

/** One `data` entry: one liquidation order. */
function readOrder(entry: unknown, index: number, receivedAt: number, context: DecodeContext, events: Liquidation[]): void {
  if (!isRecord(entry)) throw new MalformedFrameError(`${at(index, '')} is not an object`);
  const code = entry.contract_code;
  if (typeof code !== 'string' || code === '') throw new MalformedFrameError(`${at(index, '.contract_code')} is missing`);
  const side = readDirection(entry.direction, index, code);
  const volumeText = decimalText(entry.volume, index, '.volume');
  const priceText = decimalText(entry.price, index, '.price');
  const volume = positive(entry.volume, volumeText, index, '.volume');
  const price = positive(entry.price, priceText, index, '.price');
  const time = readTime(entry.created_at, index);
  const amount = optionalPositive(entry.amount, index, '.amount');
  const turnover = optionalPositive(entry.trade_turnover, index, '.trade_turnover');
  // Checked after the fields, so that a malformed frame is reported as such whatever the list holds.
  // Never a guessed contract size: core skips the frame, counts it and refreshes the list.
  const contract = context.contracts.get(code);
  if (!contract) throw new UnknownInstrumentError(code);
  if (context.symbols && !context.symbols.has(code)) return;
  events.push(orderEvent(code, side, volumeText, volume, priceText, price, time, amount, turnover, contract, receivedAt, context));
}

/**
 * The event of one checked order of a listed contract; shared with the compact path. `volumeText` and
 * `priceText` are the figures as the id takes them (a number's `String()`, a string as sent).
 */
export function orderEvent(
  code: string,
  direction: 'buy' | 'sell',
  volumeText: string,
  volume: number,
  priceText: string,
  price: number,
  time: number,
  amount: number | undefined,
  turnover: number | undefined,
  contract: HtxContract,
  receivedAt: number,
  context: DecodeContext,
): Liquidation {
  const quantity = amount ?? volume * contract.size;
  return {
    id: liquidationId('htx', 'linear', code, time, direction, volumeText, priceText),
    exchange: 'htx',
    market: 'linear',
    symbol: code,
    base: contract.base,
    quote: contract.quote,
    side: direction === 'sell' ? 'long' : 'short',
    price,
    priceKind: 'order',
    quantity,
    notionalUsd: turnover ?? quantity * price,
    time,
    receivedAt,
    sampled: false,
    source: context.source,
  };
}

/** `direction` is the liquidation order's side: a sell closes a long position, a buy a short one (see `orderEvent`). */
function readDirection(direction: unknown, index: number, code: string): 'buy' | 'sell' {
  if (direction === 'sell' || direction === 'buy') return direction;
  throw new MalformedFrameError(`${at(index, ` (${code})`)}.direction is ${JSON.stringify(direction) ?? 'missing'}; expected "buy" or "sell"`);
}

/** HTX sends numbers; a decimal string is accepted too. The text is what the id is built from. */
function decimalText(value: unknown, index: number, field: string): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value;
  throw new MalformedFrameError(`${at(index, field)} is ${JSON.stringify(value) ?? 'missing'}; expected a number`);
}

/** Must be > 0, so that blank (which Number reads as 0) is refused. A number is used as sent. */
function positive(value: unknown, text: string, index: number, field: string): number {
  const parsed = typeof value === 'number' ? value : decimalNumber(text);
  if (Number.isFinite(parsed) && parsed > 0) return parsed;
  throw new MalformedFrameError(`${at(index, field)} is ${JSON.stringify(text)}; expected a positive number`);
}

/** An optional figure: absent (or null) gives undefined, present must be a positive number. */
function optionalPositive(value: unknown, index: number, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  return positive(value, decimalText(value, index, field), index, field);
}

/** `created_at` is ms since epoch (a number; a digit string is accepted too). */
function readTime(value: unknown, index: number): number {
  const parsed = typeof value === 'string' && value !== '' ? Number(value) : value;
  if (typeof parsed === 'number' && Number.isSafeInteger(parsed) && parsed > 0) return parsed;
  throw new MalformedFrameError(`${at(index, '.created_at')} is ${JSON.stringify(value) ?? 'missing'}; expected ms since epoch`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function preview(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
