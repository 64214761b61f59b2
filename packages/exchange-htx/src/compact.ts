/**
 * The fast path of the HTX decoder: a `liquidation_orders` push read in place with core's `JsonCursor`,
 * straight into the events, without building the frame's objects (14 fields per order, of which the
 * decoder reads 8: building and collecting them was most of the decode time, docs/performance.md).
 *
 * It gives the events of a well-formed push and nothing else: for any other frame (control frames,
 * other topics, a field missing or of another type, a value out of range, an unlisted contract, text
 * outside the cursor's subset) it returns undefined and `decodeHtxFrame` reads the frame the general
 * way, which returns `[]` or reports the problem exactly as it always has. So the events, their ids
 * and every error are the same on both paths (the golden files check both kinds of frame).
 */
import { decimalNumber, JsonCursor, JsonKeys, type Liquidation } from '@liqmon/core';
import { orderEvent, type DecodeContext } from './decode.js';

/** The end of every liquidation topic, `public.<contract>.liquidation_orders`. */
export const TOPIC_SUFFIX = '.liquidation_orders';

/** Keys of a push, and their indexes. */
const PUSH_KEYS = new JsonKeys(['op', 'topic', 'data']);
const OP = 0;
const TOPIC = 1;
const DATA = 2;

/** Keys of an order that the decoder reads, and their indexes. */
const ORDER_KEYS = new JsonKeys(['contract_code', 'direction', 'volume', 'price', 'created_at', 'amount', 'trade_turnover']);
const CONTRACT_CODE = 0;
const DIRECTION = 1;
const VOLUME = 2;
const PRICE = 3;
const CREATED_AT = 4;
const AMOUNT = 5;
const TRADE_TURNOVER = 6;

/** The events of a well-formed liquidation push, or undefined for anything else (see the module comment). */
export function decodeCompactPush(text: string, receivedAt: number, context: DecodeContext): Liquidation[] | undefined {
  const cursor = JsonCursor.of(text);
  if (cursor === undefined) return undefined;
  try {
    return readPush(cursor, receivedAt, context);
  } catch (error) {
    if (error === JsonCursor.outside) return undefined;
    throw error;
  }
}

function readPush(cursor: JsonCursor, receivedAt: number, context: DecodeContext): Liquidation[] | undefined {
  let notify = false;
  let liquidations = false;
  let events: Liquidation[] | undefined;
  cursor.enterObject();
  while (cursor.nextKey()) {
    switch (cursor.key(PUSH_KEYS)) {
      case OP:
        notify = cursor.stringIs('notify');
        break;
      case TOPIC:
        liquidations = cursor.string().endsWith(TOPIC_SUFFIX);
        break;
      case DATA:
        if (events !== undefined) return undefined; // twice: JSON.parse keeps the last one, the general path decides
        events = [];
        cursor.enterArray();
        while (cursor.nextItem()) if (!readOrder(cursor, receivedAt, context, events)) return undefined;
        break;
      default:
        cursor.skipValue();
    }
  }
  cursor.end();
  return notify && liquidations ? events : undefined;
}

/** One order of `data` into `events`; false when it is not as expected (the general path decides). */
function readOrder(cursor: JsonCursor, receivedAt: number, context: DecodeContext, events: Liquidation[]): boolean {
  let code = '';
  let direction = '';
  // Each decimal as the id takes it (a number's `String()`, a string as sent) and its value.
  let volumeText = '';
  let volume = 0;
  let priceText = '';
  let price = 0;
  let time = 0;
  let amount: number | undefined;
  let turnover: number | undefined;
  cursor.enterObject();
  while (cursor.nextKey()) {
    switch (cursor.key(ORDER_KEYS)) {
      case CONTRACT_CODE:
        code = cursor.string();
        break;
      case DIRECTION:
        direction = cursor.string();
        break;
      case VOLUME:
        if (cursor.atString()) volume = decimalNumber((volumeText = cursor.string()));
        else {
          volume = cursor.number();
          volumeText = cursor.numberText();
        }
        break;
      case PRICE:
        if (cursor.atString()) price = decimalNumber((priceText = cursor.string()));
        else {
          price = cursor.number();
          priceText = cursor.numberText();
        }
        break;
      case CREATED_AT:
        time = cursor.atString() ? Number(cursor.string()) : cursor.number();
        break;
      case AMOUNT:
        amount = decimalValue(cursor);
        break;
      case TRADE_TURNOVER:
        turnover = decimalValue(cursor);
        break;
      default:
        cursor.skipValue();
    }
  }
  if (code === '' || (direction !== 'sell' && direction !== 'buy')) return false;
  if (!(volume > 0 && price > 0 && Number.isFinite(volume) && Number.isFinite(price))) return false;
  if (!(Number.isSafeInteger(time) && time > 0)) return false;
  if (amount !== undefined && !(amount > 0 && Number.isFinite(amount))) return false;
  if (turnover !== undefined && !(turnover > 0 && Number.isFinite(turnover))) return false;
  const contract = context.contracts.get(code);
  if (!contract) return false;
  if (context.symbols && !context.symbols.has(code)) return true;
  events.push(orderEvent(code, direction, volumeText, volume, priceText, price, time, amount, turnover, contract, receivedAt, context));
  return true;
}

/** A figure sent as a number or as a decimal string. */
function decimalValue(cursor: JsonCursor): number {
  return cursor.atString() ? decimalNumber(cursor.string()) : cursor.number();
}
