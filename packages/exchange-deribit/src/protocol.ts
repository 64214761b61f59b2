/**
 * Deribit's JSON-RPC 2.0 over WebSocket (https://docs.deribit.com): the requests the source sends and
 * the control messages it reads.
 *
 * - `public/subscribe` `{"channels":[...]}` is answered with `result`: the channels now subscribed (a
 *   channel missing from it was not subscribed), or with `error` `{code, message}` for the whole
 *   request (13778 `raw_subscriptions_not_available_for_unauthorized`, bmoscon/cryptofeed#768);
 * - `public/set_heartbeat` `{"interval":N}` (N >= 10 s) is answered `"ok"`; the server then sends
 *   `{"method":"heartbeat","params":{"type":"heartbeat"}}` and `{"params":{"type":"test_request"}}`,
 *   and "if your software fails to respond [to a test_request with public/test], the API server will
 *   immediately close the connection" (docs: public/set_heartbeat);
 * - data arrives as `{"method":"subscription","params":{"channel":"...","data":...}}`.
 */

/** `/ws/api/v2`: the path of the JSON-RPC WebSocket (docs: "wss://www.deribit.com/ws/api/v2"). */
export const WS_PATH = '/ws/api/v2';

/** `/api/v2/public/get_instruments`: the instrument list. */
export const INSTRUMENTS_PATH = '/api/v2/public/get_instruments';

/** The trade channel of every future and perpetual, of every currency. */
export function allFuturesChannel(interval: string): string {
  return `trades.future.any.${interval}`;
}

/** The trade channel of one instrument. */
export function instrumentChannel(instrument: string, interval: string): string {
  return `trades.${instrument}.${interval}`;
}

/** A JSON-RPC request as text. */
export function rpcRequest(id: number, method: string, params: Record<string, unknown>): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method, params });
}

/** What a control message says, read cheaply; undefined for subscription notifications. */
export type ControlMessage =
  | { kind: 'test_request' }
  | { kind: 'heartbeat' }
  | { kind: 'response'; id: number; result: unknown; error: { code: number; message: string } | undefined };

/** Subscription notifications start like this; they are never control messages. */
const NOTIFICATION = '"method":"subscription"';

/** Reads a control message (a response, a heartbeat); undefined for data and for what is not JSON. */
export function readControl(text: string): ControlMessage | undefined {
  if (text.includes(NOTIFICATION)) return undefined;
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return undefined;
  const record = message as Record<string, unknown>;
  if (record.method === 'heartbeat') {
    const params = record.params as { type?: unknown } | undefined;
    return params?.type === 'test_request' ? { kind: 'test_request' } : { kind: 'heartbeat' };
  }
  if (typeof record.id !== 'number') return undefined;
  const error = record.error as { code?: unknown; message?: unknown } | undefined;
  return {
    kind: 'response',
    id: record.id,
    result: record.result,
    error:
      error && typeof error === 'object'
        ? { code: typeof error.code === 'number' ? error.code : 0, message: typeof error.message === 'string' ? error.message : '' }
        : undefined,
  };
}

/** True for a heartbeat notification, without parsing (the connection keeps them out of recordings). */
export function isHeartbeat(text: string): boolean {
  return text.includes('"method":"heartbeat"');
}
