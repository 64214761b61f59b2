/**
 * OKX v5 public WebSocket protocol: what we send and the control replies we read
 * (https://www.okx.com/docs-v5/en/#overview-websocket and #public-data-websocket-liquidation-orders-channel).
 *
 * - subscribe: `{"id":"1","op":"subscribe","args":[{"channel":"liquidation-orders","instType":"SWAP"}]}`;
 *   only `instType` selects: an `instId` is refused (code 60018), so there is one subscription per type;
 * - ack: `{"id":"1","event":"subscribe","arg":{…},"connId":"…"}`; refusal:
 *   `{"id":"1","event":"error","code":"60018","msg":"…","connId":"…"}` (`id` is echoed when sent);
 * - notice: `{"event":"notice","code":"64008",…}` 60 s before a service-upgrade disconnect;
 * - heartbeat: the text `ping`, answered by the text `pong`; OKX closes a connection that carried
 *   nothing for 30 s.
 */
import type { OkxInstType } from './instruments.js';

/** The channel of liquidation orders. */
export const LIQUIDATION_CHANNEL = 'liquidation-orders';

/** The heartbeat message and its reply: plain text, not JSON. */
export const PING_MESSAGE = 'ping';
export const PONG_MESSAGE = 'pong';

/** OKX cuts a connection idle for 30 s; a ping every 20 s keeps it with room to spare. */
export const PING_INTERVAL_MS = 20_000;

/** `wss://ws.okx.com:8443` + `/ws/v5/public`. */
export function publicUrl(wsUrl: string): string {
  return `${wsUrl.replace(/\/+$/, '')}/ws/v5/public`;
}

/** A subscribe request for one instrument type; `id` is echoed in the ack or the refusal. */
export function subscribeRequest(instType: OkxInstType, id: string): string {
  return JSON.stringify({ id, op: 'subscribe', args: [{ channel: LIQUIDATION_CHANNEL, instType }] });
}

/** A control reply: `event` with what it is about. */
export interface ControlReply {
  event: string;
  id: string;
  /** `arg.instType` of an ack. */
  instType: string;
  code: string;
  msg: string;
}

/** Read a control reply; undefined for data frames. Cheap on data frames (they start with `{"arg"`). */
export function readControlReply(text: string): ControlReply | undefined {
  if (!text.includes('"event"')) return undefined;
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null) return undefined;
  const record = message as Record<string, unknown>;
  if (typeof record.event !== 'string') return undefined;
  const arg = typeof record.arg === 'object' && record.arg !== null ? (record.arg as Record<string, unknown>) : {};
  return {
    event: record.event,
    id: typeof record.id === 'string' ? record.id : '',
    instType: typeof arg.instType === 'string' ? arg.instType : '',
    code: typeof record.code === 'string' ? record.code : '',
    msg: typeof record.msg === 'string' ? record.msg : '',
  };
}

/**
 * The times (ms) of the liquidations in a push, read from the text without parsing it: every
 * `"ts":"…"` (the only `ts` of a liquidation push is a detail's time).
 */
export function pushTimes(text: string): number[] {
  const times: number[] = [];
  for (const match of text.matchAll(/"ts":"?(\d+)/g)) times.push(Number(match[1]));
  return times;
}
