/**
 * Bitget v3 (UTA) public WebSocket protocol: the path, the requests we send and the control replies we
 * read (https://www.bitget.com/api-doc/uta/websocket/public/Liquidation-Channel). The v2 public
 * WebSocket has no liquidation channel; v3 has one per product type, with no symbol.
 *
 * - Subscribe: `{"op":"subscribe","args":[{"instType":"usdt-futures","topic":"liquidation"},...]}`;
 *   each arg is acked `{"event":"subscribe","arg":{...},"connId":"..."}`; a refusal is
 *   `{"event":"error","arg":{...},"code":"...","msg":"..."}`.
 * - Heartbeat: the text `ping`, answered by the text `pong`; Bitget asks for one every 30 s and closes
 *   a connection that sent none for 2 minutes (websocket-intro, v2; assumed the same for v3).
 */
import type { BitgetMarket } from './options.js';

/** Bitget's product types, and the market each one's events carry. */
export const INST_TYPES = {
  'usdt-futures': { market: 'linear', category: 'USDT-FUTURES' },
  'usdc-futures': { market: 'linear', category: 'USDC-FUTURES' },
  'coin-futures': { market: 'inverse', category: 'COIN-FUTURES' },
} as const satisfies Record<string, { market: BitgetMarket; category: string }>;

/** A Bitget product type: `usdt-futures`, `usdc-futures` or `coin-futures`. */
export type InstType = keyof typeof INST_TYPES;

/** The product types of the chosen markets. */
export function instTypesOf(markets: readonly BitgetMarket[]): InstType[] {
  return (Object.keys(INST_TYPES) as InstType[]).filter((instType) => markets.includes(INST_TYPES[instType].market));
}

/** True for a product type name this source knows. */
export function isInstType(value: unknown): value is InstType {
  return typeof value === 'string' && Object.hasOwn(INST_TYPES, value);
}

/** Time between two `ping` (Bitget: every 30 s; a little less keeps a margin). */
export const PING_INTERVAL_MS = 25_000;
/** The heartbeat and its answer: plain text, not JSON. */
export const PING = 'ping';
export const PONG = 'pong';

/** `wss://ws.bitget.com` + `/v3/ws/public`. */
export function streamUrl(wsUrl: string): string {
  return `${wsUrl.replace(/\/+$/, '')}/v3/ws/public`;
}

/** `https://api.bitget.com/api/v3/market/instruments?category=USDT-FUTURES`. */
export function instrumentsUrl(restUrl: string, instType: InstType): URL {
  const url = new URL('/api/v3/market/instruments', restUrl);
  url.searchParams.set('category', INST_TYPES[instType].category);
  return url;
}

/** The subscribe request for the liquidation topic of these product types. */
export function subscribeRequest(instTypes: readonly InstType[]): string {
  return JSON.stringify({ op: 'subscribe', args: instTypes.map((instType) => ({ instType, topic: 'liquidation' })) });
}

/** An answer to a subscribe: which product type, and whether Bitget accepted it. */
export interface SubscribeReply {
  /** Undefined when Bitget's refusal names no arg. */
  instType: InstType | undefined;
  ok: boolean;
  /** Bitget's `msg` (with its `code`) for a refusal. */
  reason: string;
}

/** The subscribe ack or refusal in a frame, or undefined for any other frame. Cheap on data frames. */
export function readSubscribeReply(text: string): SubscribeReply | undefined {
  if (!text.includes('"event"')) return undefined;
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null) return undefined;
  const { event, arg, code, msg } = message as Record<string, unknown>;
  if (event !== 'subscribe' && event !== 'error') return undefined;
  const instType = typeof arg === 'object' && arg !== null ? (arg as Record<string, unknown>).instType : undefined;
  const known = isInstType(instType) ? instType : undefined;
  if (event === 'subscribe') return { instType: known, ok: true, reason: '' };
  return { instType: known, ok: false, reason: `${typeof msg === 'string' ? msg : 'refused'}${code !== undefined ? ` (code ${String(code)})` : ''}` };
}
