/**
 * Bybit v5 public WebSocket protocol: the requests we send and the control replies we read
 * (https://bybit-exchange.github.io/docs/v5/ws/connect).
 *
 * - subscribe / unsubscribe: `{"op":"subscribe","args":["allLiquidation.BTCUSDT",...],"req_id":"..."}`;
 * - every request is answered by `{"success":bool,"ret_msg":"...","conn_id":"...","req_id":"...","op":"subscribe"}`;
 *   a refusal names the topic in `ret_msg`, e.g. `error:handler not found,topic:allLiquidation.FOO`;
 * - heartbeat: send `{"op":"ping"}` (Bybit recommends every 20 s); the public reply is
 *   `{"success":true,"ret_msg":"pong","op":"ping",...}`.
 * - "for one public connection, you cannot have length of args array over 21,000 characters".
 */

/** Topic of one symbol's liquidations. One per symbol: Bybit has no wildcard. */
export function liquidationTopic(symbol: string): string {
  return `allLiquidation.${symbol}`;
}

/** Symbol of an `allLiquidation.<symbol>` topic. */
export function topicSymbol(topic: string): string {
  return topic.slice(topic.indexOf('.') + 1);
}

/** Bybit's per-connection limit on the total length of `args`, in characters. */
export const ARGS_LIMIT_CHARS = 21_000;

/** The application heartbeat every public connection sends. */
export const PING_MESSAGE = '{"op":"ping"}';

/** Bybit's recommended heartbeat interval (docs/v5/ws/connect: "send the ping heartbeat packet every 20 seconds"). */
export const PING_INTERVAL_MS = 20_000;

/** A subscribe or unsubscribe request. */
export function topicRequest(op: 'subscribe' | 'unsubscribe', topics: readonly string[], reqId: string): string {
  return JSON.stringify({ op, args: topics, req_id: reqId });
}

/** Characters `topics` take inside an `args` array (quotes and commas included). */
export function argsLength(topics: readonly string[]): number {
  return JSON.stringify(topics).length;
}

/** A control reply: an ack of subscribe/unsubscribe, or a pong. */
export interface ControlReply {
  op: string;
  success: boolean;
  retMsg: string;
  /** Empty when the server did not echo one. */
  reqId: string;
}

/** Read a control reply from a frame's text; undefined for data frames. Cheap on data frames. */
export function readControlReply(text: string): ControlReply | undefined {
  // Data frames start with {"topic": ...; only parse what can be a control reply.
  if (!text.includes('"op"')) return undefined;
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null) return undefined;
  const record = message as Record<string, unknown>;
  if (typeof record.op !== 'string') return undefined;
  return {
    op: record.op,
    success: record.success === true,
    retMsg: typeof record.ret_msg === 'string' ? record.ret_msg : '',
    reqId: typeof record.req_id === 'string' ? record.req_id : '',
  };
}

/** True for a pong: the public reply to `{"op":"ping"}` (`op` "ping", `ret_msg` "pong") or a private-style `op` "pong". */
export function isPong(reply: ControlReply): boolean {
  return reply.op === 'pong' || (reply.op === 'ping' && reply.retMsg === 'pong');
}

/** Topics a refusal names in `ret_msg` (`...topic:allLiquidation.FOO`), among those requested. */
export function topicsNamedIn(retMsg: string, requested: readonly string[]): string[] {
  return requested.filter((topic) => retMsg.includes(topic));
}

/** Bybit refuses a topic that is already subscribed; for us that is success. */
export function isAlreadySubscribed(retMsg: string): boolean {
  return /already subscribed/i.test(retMsg);
}
