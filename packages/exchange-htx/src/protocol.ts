/**
 * HTX USDT-margined notification WebSocket (`/linear-swap-notification`): what we send and the control
 * frames we read (https://huobiapi.github.io/docs/usdt_swap/v1/en/, section "Subscribe liquidation
 * orders (no authentication)").
 *
 * - every frame the server sends is gzip-compressed binary (core's `binaryFrames: 'gzip'` inflates it);
 * - subscribe: `{"op":"sub","topic":"public.*.liquidation_orders","cid":"1"}`: the wildcard covers every
 *   contract; ack `{"op":"sub","cid":"1","topic":…,"ts":…,"err-code":0}`, a refusal has another
 *   `err-code` and an `err-msg`;
 * - heartbeat: the server sends `{"op":"ping","ts":…}` and closes a connection that does not echo
 *   `{"op":"pong","ts":…}` with the same `ts`. The `ts` of a ping has arrived as a string while acks on
 *   the same connection carried numbers, so the value is echoed as its raw text, never re-typed.
 */

/** The one topic this source subscribes: liquidation orders of every contract. */
export const LIQUIDATION_TOPIC = 'public.*.liquidation_orders';

/** `wss://api.hbdm.com` + `/linear-swap-notification`. */
export function notificationUrl(wsUrl: string): string {
  return `${wsUrl.replace(/\/+$/, '')}/linear-swap-notification`;
}

/** The subscribe request; `cid` is echoed in the answer. */
export function subscribeRequest(cid: string): string {
  return JSON.stringify({ op: 'sub', topic: LIQUIDATION_TOPIC, cid });
}

/** `"ts":` followed by a quoted or bare integer: the raw value a pong must echo. */
const PING_TS = /"ts"\s*:\s*("[^"]*"|-?\d+)/;

/**
 * The pong that answers a server ping, or undefined when `text` is not a ping. The `ts` is copied as it
 * was written (string or number), because HTX matches the echo against what it sent.
 */
export function pongFor(text: string): string | undefined {
  if (!text.includes('"ping"') || !/"op"\s*:\s*"ping"/.test(text)) return undefined;
  const ts = PING_TS.exec(text)?.[1];
  if (ts === undefined) return undefined;
  return `{"op":"pong","ts":${ts}}`;
}

/** A subscribe answer: the `cid` and `topic` it is about and its `err-code` (0 = accepted). */
export interface SubscribeAnswer {
  cid: string;
  topic: string;
  errCode: number;
  errMsg: string;
}

/** Read a subscribe answer; undefined for other frames. Cheap on data frames (they start with `{"op":"notify"`). */
export function readSubscribeAnswer(text: string): SubscribeAnswer | undefined {
  if (!text.includes('"err-code"')) return undefined;
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null) return undefined;
  const record = message as Record<string, unknown>;
  if (record.op !== 'sub') return undefined;
  const code = Number(record['err-code']);
  return {
    cid: typeof record.cid === 'string' ? record.cid : '',
    topic: typeof record.topic === 'string' ? record.topic : '',
    errCode: Number.isFinite(code) ? code : -1,
    errMsg: typeof record['err-msg'] === 'string' ? record['err-msg'] : '',
  };
}
