/**
 * Kraken Futures WebSocket v1 requests and control replies
 * (docs.kraken.com/api/docs/futures-api/websocket/trade; frames in test/fixtures/kraken-futures.control.jsonl):
 * - `{"event":"subscribe","feed":"trade","product_ids":[...]}`; Kraken acks one product per reply,
 *   `{"event":"subscribed","feed":"trade","product_ids":["PI_XRPUSD"]}`;
 * - a refusal is `{"event":"subscribed_failed",...}` or `{"event":"error","message":"Invalid product id"}`;
 * - the first frame after connecting is `{"event":"info","version":1}`.
 */

/** Products per subscribe request: keeps each request small, so a refusal costs little. */
export const PRODUCTS_PER_REQUEST = 50;

/** Subscribe (or unsubscribe) requests for the trade feed of these products, in batches. */
export function subscribeRequests(event: 'subscribe' | 'unsubscribe', productIds: readonly string[]): string[] {
  const requests: string[] = [];
  for (let start = 0; start < productIds.length; start += PRODUCTS_PER_REQUEST) {
    requests.push(JSON.stringify({ event, feed: 'trade', product_ids: productIds.slice(start, start + PRODUCTS_PER_REQUEST) }));
  }
  return requests;
}

/** A control reply: an ack, a refusal or an error. */
export interface KrakenControl {
  event: string;
  /** Products the reply names (upper-cased); empty when it names none. */
  productIds: string[];
  /** `message` of an error, else ''. */
  message: string;
}

/** Read a control reply; undefined for data frames (cheap: they do not start with `{"event"`). */
export function readControl(text: string): KrakenControl | undefined {
  if (!text.startsWith('{"event"')) return undefined;
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null) return undefined;
  const record = message as Record<string, unknown>;
  if (typeof record.event !== 'string') return undefined;
  const ids = Array.isArray(record.product_ids) ? record.product_ids.filter((id): id is string => typeof id === 'string').map((id) => id.toUpperCase()) : [];
  return { event: record.event, productIds: ids, message: typeof record.message === 'string' ? record.message : '' };
}
