/**
 * Bitfinex `liq:global` frame decoder: raw text in, normalized liquidations out. No reference data is
 * needed (amounts are base units; the symbol names base and quote), so replays decode offline.
 *
 * Facts it relies on (docs.bitfinex.com/reference/ws-public-status and rest-public-liquidations; the
 * frames in test/fixtures/bitfinex.jsonl):
 * - data frames are `[CHAN_ID, ROWS]`, ROWS a list of rows or one row, each
 *   `["pos", POS_ID, MTS, null, SYMBOL, AMOUNT, BASE_PRICE, null, IS_MATCH, IS_MARKET_SOLD, null, PRICE_ACQUIRED]`;
 *   heartbeats are `[CHAN_ID, "hb"]`; replies are objects (`{"event":"subscribed",...}`);
 * - AMOUNT > 0 is a long position, < 0 a short one, in base units;
 * - IS_MATCH 0 is the liquidation's trigger, 1 its execution; PRICE_ACQUIRED is the price the position
 *   was taken over (or sold) at; BASE_PRICE is the position's ENTRY price;
 * - MTS is ms, and may carry a fraction.
 *
 * Events: one per execution row (IS_MATCH 1) with its PRICE_ACQUIRED as a fill price. Trigger rows
 * carry no execution price and are followed by their execution row, so they are not alerted (an alert
 * from both would count the position twice). BASE_PRICE is never used as the price: it is where the
 * position was opened, not where it was liquidated (README, "Which price").
 *
 * The channel says which message it is: `liq-snapshot` is the first data message after subscribing
 * (history from before the subscription: never alerted), `liq` every later one.
 */
import { liquidationId, MalformedFrameError, type Liquidation, type RawFrame } from '@liqmon/core';
import { isUsdQuote, splitSymbol } from './symbols.js';

/** Channel of every data frame but the first after subscribing. */
export const LIVE_CHANNEL = 'liq';
/** Channel of the first data frame after subscribing: the snapshot of recent liquidations. */
export const SNAPSHOT_CHANNEL = 'liq-snapshot';

/** What the decoder needs besides the frame. */
export interface BitfinexDecodeContext {
  /** Config name of the source instance (`Liquidation.source`). */
  source: string;
  /** Counts execution rows skipped because their quote is not USD (no USD value without a rate). */
  onNonUsd?: (symbol: string) => void;
}

/** Decode one Bitfinex frame. Replies, heartbeats, snapshots, trigger rows and non-USD pairs give `[]`. */
export function decodeBitfinexFrame(frame: RawFrame, context: BitfinexDecodeContext): Liquidation[] {
  let message: unknown;
  try {
    message = JSON.parse(frame.data);
  } catch (error) {
    throw new MalformedFrameError(`Bitfinex frame is not JSON: ${preview(frame.data)}`, { cause: error });
  }
  if (typeof message === 'object' && message !== null && !Array.isArray(message) && typeof (message as { event?: unknown }).event === 'string') return [];
  if (!Array.isArray(message) || message.length < 2 || typeof message[0] !== 'number') {
    throw new MalformedFrameError(`Bitfinex frame is neither a reply nor [CHAN_ID, ...]: ${preview(frame.data)}`);
  }
  const payload: unknown = message[1];
  if (payload === 'hb') return [];
  if (frame.channel === SNAPSHOT_CHANNEL) return [];
  if (!Array.isArray(payload)) throw new MalformedFrameError(`Bitfinex liq:global frame: the payload is not a list: ${preview(frame.data)}`);
  // One row ["pos", ...] or a list of rows [["pos", ...], ...].
  const rows: unknown[] = payload[0] === 'pos' ? [payload] : payload;
  const events: Liquidation[] = [];
  for (const row of rows) {
    const event = readRow(row, frame.receivedAt, context);
    if (event) events.push(event);
  }
  return events;
}

function readRow(row: unknown, receivedAt: number, context: BitfinexDecodeContext): Liquidation | undefined {
  if (!Array.isArray(row) || row[0] !== 'pos') throw new MalformedFrameError(`Bitfinex liq:global row is not ["pos", ...]: ${preview(JSON.stringify(row) ?? '')}`);
  const [, posId, mts, , symbol, amount, , , isMatch, , , priceAcquired] = row as unknown[];
  if (typeof posId !== 'number' || !Number.isSafeInteger(posId)) throw malformed('POS_ID', posId);
  if (typeof symbol !== 'string') throw malformed('SYMBOL', symbol);
  const pair = splitSymbol(symbol);
  if (!pair) throw malformed('SYMBOL', symbol);
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount === 0) throw malformed('AMOUNT', amount);
  if (typeof mts !== 'number' || !Number.isFinite(mts) || mts <= 0) throw malformed('MTS', mts);
  if (isMatch !== 1) {
    if (isMatch === 0) return undefined; // the trigger: its execution row follows with the price
    throw malformed('IS_MATCH', isMatch);
  }
  if (typeof priceAcquired !== 'number' || !Number.isFinite(priceAcquired) || priceAcquired <= 0) throw malformed('PRICE_ACQUIRED', priceAcquired);
  if (!isUsdQuote(pair.quote)) {
    context.onNonUsd?.(symbol);
    return undefined;
  }
  const time = Math.floor(mts);
  const quantity = Math.abs(amount);
  return {
    // POS_ID names the position; time, amount and price tell its executions apart.
    id: liquidationId('bitfinex', 'linear', symbol, time, String(posId), String(amount), String(priceAcquired)),
    exchange: 'bitfinex',
    market: 'linear',
    symbol,
    base: pair.base,
    quote: pair.quote,
    side: amount > 0 ? 'long' : 'short',
    price: priceAcquired,
    priceKind: 'fill',
    quantity,
    notionalUsd: quantity * priceAcquired,
    time,
    receivedAt,
    sampled: false,
    source: context.source,
  };
}

function malformed(field: string, value: unknown): MalformedFrameError {
  return new MalformedFrameError(`Bitfinex liq:global row: ${field} is ${JSON.stringify(value) ?? 'missing'}`);
}

function preview(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

