/**
 * The fast path of the BitMEX decoder: a `liquidation` insert read in place with core's `JsonCursor`,
 * straight into the events, without building the frame's objects first (building and collecting them
 * was most of the decode time, docs/performance.md "Decoders").
 *
 * It gives the events of a well-formed insert whose rows are all of listed contracts, and nothing
 * else: for any other frame (welcome, acks, other tables or actions, a field missing or of another
 * type, a value out of range, an unlisted contract, text outside the cursor's subset) it returns
 * undefined and `decodeBitmexFrame` reads the frame the general way, which returns `[]` or reports the
 * problem exactly as it always has. Both paths build each event with the same `rowEvent`.
 */
import { decimalNumber, JsonCursor, JsonKeys, type Liquidation } from '@liqmon/core';
import { rowEvent, type DecodeContext } from './decode.js';

/** Keys of a table message, and their indexes. */
const MESSAGE_KEYS = new JsonKeys(['table', 'action', 'data']);
const TABLE = 0;
const ACTION = 1;
const DATA = 2;

/** Keys of a row that the decoder reads, and their indexes. */
const ROW_KEYS = new JsonKeys(['orderID', 'symbol', 'side', 'price', 'leavesQty']);
const ORDER_ID = 0;
const SYMBOL = 1;
const SIDE = 2;
const PRICE = 3;
const LEAVES_QTY = 4;

/** The events of a well-formed liquidation insert, or undefined for anything else (see the module comment). */
export function decodeCompactInsert(text: string, receivedAt: number, context: DecodeContext): Liquidation[] | undefined {
  const cursor = JsonCursor.of(text);
  if (cursor === undefined) return undefined;
  try {
    return readInsert(cursor, receivedAt, context);
  } catch (error) {
    if (error === JsonCursor.outside) return undefined;
    throw error;
  }
}

function readInsert(cursor: JsonCursor, receivedAt: number, context: DecodeContext): Liquidation[] | undefined {
  let liquidation = false;
  let insert = false;
  let events: Liquidation[] | undefined;
  cursor.enterObject();
  while (cursor.nextKey()) {
    switch (cursor.key(MESSAGE_KEYS)) {
      case TABLE:
        liquidation = cursor.stringIs('liquidation'); // not a string: the general path decides
        break;
      case ACTION:
        insert = cursor.atString() ? cursor.stringIs('insert') : (cursor.skipValue(), false);
        break;
      case DATA:
        if (events !== undefined) return undefined; // twice: JSON.parse keeps the last one, the general path decides
        events = [];
        cursor.enterArray();
        while (cursor.nextItem()) if (!readRow(cursor, receivedAt, context, events)) return undefined;
        break;
      default:
        cursor.skipValue();
    }
  }
  cursor.end();
  return liquidation && insert ? events : undefined;
}

/** One row of `data` into `events`; false when it is not as expected (the general path decides). */
function readRow(cursor: JsonCursor, receivedAt: number, context: DecodeContext, events: Liquidation[]): boolean {
  let orderID = '';
  let symbol = '';
  let side = '';
  let price = 0;
  let contracts = 0;
  cursor.enterObject();
  while (cursor.nextKey()) {
    switch (cursor.key(ROW_KEYS)) {
      case ORDER_ID:
        orderID = cursor.string();
        break;
      case SYMBOL:
        symbol = cursor.string();
        break;
      case SIDE:
        side = cursor.string();
        break;
      case PRICE:
        price = cursor.atString() ? decimalNumber(cursor.string()) : cursor.number();
        break;
      case LEAVES_QTY:
        contracts = cursor.atString() ? decimalNumber(cursor.string()) : cursor.number();
        break;
      default:
        cursor.skipValue();
    }
  }
  if (orderID === '' || symbol === '' || (side !== 'Buy' && side !== 'Sell')) return false;
  if (!(price > 0 && contracts > 0 && Number.isFinite(price) && Number.isFinite(contracts))) return false;
  const instrument = context.instruments.get(symbol);
  if (!instrument) return false;
  const event = rowEvent(symbol, orderID, side, price, contracts, instrument, receivedAt, context);
  if (event) events.push(event);
  return true;
}
