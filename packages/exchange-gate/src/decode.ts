/**
 * Gate futures frame decoder: raw text + stream + contract list in, normalized liquidations out. It
 * needs no connection, so the same function serves live frames and `liqmon replay`.
 *
 * Facts it relies on (research in docs/decisions/gate.md and the package README):
 * - channel `futures.public_liquidates`, event `update`; `result` is one object (live frames until
 *   2026-08) or an array of them (docs, and every frame since the 2026-08-20 batching change);
 * - an item has `contract`, `price` (number or string), `size` (signed, integer or decimal string) and
 *   the time in ms as `time_ms` (docs) or `time` (live frames);
 * - the sign of `size` is the side of the liquidation ORDER (the opposite of REST `liq_orders`, whose
 *   size is the position): negative = a sell = a long position was liquidated;
 * - `price` is the liquidation order's price (`order_price` of REST `liq_orders`), not its fill;
 * - sizes are contracts: linear `|size| x quanto_multiplier` base units, inverse 1 USD each.
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
import type { ContractBook } from './contract-book.js';
import { GATE_MARKETS, type GateMarket } from './options.js';
import { LIQUIDATION_CHANNEL } from './protocol.js';

/** What the decoder needs besides the frame. */
export interface DecodeContext {
  /** Config name of the source instance (`Liquidation.source`). */
  source: string;
  contracts: ContractBook;
}

/** Every key the decoder reads, at any depth (a key read below must be listed, or it reads as missing). */
const parseFields = jsonFieldParser(['channel', 'event', 'result', 'contract', 'price', 'size', 'time', 'time_ms']);

/** Times below this are not ms since the epoch (2001-09-09 in ms; a time in seconds is far below). */
const MIN_EPOCH_MS = 1e12;

/** Decode one Gate futures frame. Acks, pongs and other channels give `[]`. */
export function decodeGateFrame(frame: RawFrame, context: DecodeContext): Liquidation[] {
  const stream = readStream(frame.channel);
  let message: unknown;
  try {
    message = parseFields(frame.data) ?? JSON.parse(frame.data);
  } catch (error) {
    throw new MalformedFrameError(`Gate ${stream} frame is not JSON: ${preview(frame.data)}`, { cause: error });
  }
  if (!isRecord(message)) throw new MalformedFrameError(`Gate ${stream} frame is not a JSON object: ${preview(frame.data)}`);
  const { channel, event, result } = message;
  if (typeof channel !== 'string') throw new MalformedFrameError(`Gate ${stream} frame has no channel: ${preview(frame.data)}`);
  // Pongs, acks (event subscribe/unsubscribe), system notices and other channels.
  if (channel !== LIQUIDATION_CHANNEL || event !== 'update') return [];
  if (Array.isArray(result)) {
    const events: Liquidation[] = [];
    for (let index = 0; index < result.length; index++) events.push(normalize(result[index], index, stream, frame.receivedAt, context, events));
    return events;
  }
  return [normalize(result, -1, stream, frame.receivedAt, context, undefined)];
}

function normalize(item: unknown, index: number, stream: GateMarket, receivedAt: number, context: DecodeContext, earlier: Liquidation[] | undefined): Liquidation {
  if (!isRecord(item)) throw new MalformedFrameError(`${where(stream, index, '')} is not an object`);
  const name = item.contract;
  if (typeof name !== 'string' || name === '') throw new MalformedFrameError(`${where(stream, index, 'contract')} is missing`);
  const sizeText = typeof item.size === 'number' ? String(item.size) : item.size;
  const size = typeof sizeText === 'string' ? decimalNumber(sizeText) : Number.NaN;
  if (!Number.isFinite(size) || size === 0) throw new MalformedFrameError(`${where(stream, index, 'size')} is ${JSON.stringify(item.size) ?? 'missing'}; expected a signed non-zero number of contracts`);
  const priceText = typeof item.price === 'number' ? String(item.price) : item.price;
  const price = typeof priceText === 'string' ? decimalNumber(priceText) : Number.NaN;
  if (!Number.isFinite(price) || price <= 0) throw new MalformedFrameError(`${where(stream, index, 'price')} is ${JSON.stringify(item.price) ?? 'missing'}; expected a positive number`);
  const time = readTime(item.time_ms ?? item.time, stream, index);
  const contract = context.contracts.get(stream, name);
  if (!contract) throw new UnknownInstrumentError(name);

  const contracts = Math.abs(size);
  const inverse = contract.market === 'inverse';
  // Inverse: `multiplier` USD per contract; linear: `multiplier` base units per contract.
  const quantity = inverse ? (contracts * contract.multiplier) / price : contracts * contract.multiplier;
  const notionalUsd = inverse ? contracts * contract.multiplier : quantity * price;
  const side = size < 0 ? 'long' : 'short';
  let id = liquidationId('gate', contract.market, name, time, side, sizeText as string, priceText as string);
  // Two identical items in one batch are two liquidations: the later ones get their position.
  if (earlier && earlier.some((event) => event.id === id)) id = `${id}:${index}`;
  return {
    id,
    exchange: 'gate',
    market: contract.market,
    symbol: name,
    base: contract.base,
    quote: contract.quote,
    side,
    price,
    priceKind: 'order',
    quantity,
    notionalUsd,
    time,
    receivedAt,
    sampled: true,
    source: context.source,
  };
}

function readStream(channel: string): GateMarket {
  if ((GATE_MARKETS as readonly string[]).includes(channel)) return channel as GateMarket;
  throw new MalformedFrameError(`Gate frame on unknown channel "${channel}"; expected linear or inverse`);
}

function readTime(value: unknown, stream: GateMarket, index: number): number {
  const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof parsed === 'number' && Number.isSafeInteger(parsed) && parsed >= MIN_EPOCH_MS) return parsed;
  throw new MalformedFrameError(`${where(stream, index, 'time')} is ${JSON.stringify(value) ?? 'missing'}; expected ms since epoch (time_ms or time)`);
}

/** `Gate linear result[0].size`; built only for a bad field, so good frames build no strings. */
function where(stream: GateMarket, index: number, field: string): string {
  const item = index < 0 ? 'result' : `result[${index}]`;
  return `Gate ${stream} ${item}${field ? `.${field}` : ''}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function preview(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
