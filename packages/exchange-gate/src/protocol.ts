/**
 * Gate futures WebSocket v4 protocol: the paths, the requests we send and the control replies we read
 * (https://www.gate.com/docs/developers/futures/ws/en, "public liquidates order API" and "Ping and Pong").
 *
 * - One stream per settle currency: `/v4/ws/usdt` (linear), `/v4/ws/btc` (inverse).
 * - Subscribe: `{"time":<s>,"channel":"futures.public_liquidates","event":"subscribe","payload":["!all"]}`
 *   (`!all` = every contract, or a list of contract names). Ack:
 *   `{"time":..,"time_ms":..,"channel":"futures.public_liquidates","event":"subscribe","result":{"status":"success"}}`;
 *   older acks add `"error":null`; a refusal carries `"error":{"code":..,"message":..}` and status `fail`.
 * - Heartbeat: the server sends protocol pings (answered by the socket library); the application ping
 *   `{"time":<s>,"channel":"futures.ping"}` is answered by `{"channel":"futures.pong",...}`.
 * - Header `X-Gate-Size-Decimal: 1` on the upgrade request makes sizes decimal strings; without it
 *   Gate rounds decimal sizes down to integers (changelog 2025-12-09).
 */
import type { GateMarket } from './options.js';

/** The settle currency, and so the stream and REST path, of each market. */
export const SETTLE: Readonly<Record<GateMarket, string>> = { linear: 'usdt', inverse: 'btc' };

/** The public liquidation channel (`futures.liquidates` is the private one, of your own account). */
export const LIQUIDATION_CHANNEL = 'futures.public_liquidates';

/** Upgrade headers of every connection: decimal sizes as strings, never rounded down. */
export const UPGRADE_HEADERS: Readonly<Record<string, string>> = { 'X-Gate-Size-Decimal': '1' };

/** Time between two `futures.ping` (aggr pings every 18 s; Gate's limit is not documented). */
export const PING_INTERVAL_MS = 15_000;

/** `wss://fx-ws.gateio.ws` + `/v4/ws/<settle>`. */
export function streamUrl(wsUrl: string, market: GateMarket): string {
  return `${wsUrl.replace(/\/+$/, '')}/v4/ws/${SETTLE[market]}`;
}

/** `https://api.gateio.ws` + `/api/v4/futures/<settle>/contracts`. */
export function contractsUrl(restUrl: string, market: GateMarket): URL {
  return new URL(`/api/v4/futures/${SETTLE[market]}/contracts`, restUrl);
}

/** The subscribe request: `!all`, or the given contracts. */
export function subscribeRequest(contracts: readonly string[] | undefined, nowMs = Date.now()): string {
  return JSON.stringify({ time: Math.floor(nowMs / 1000), channel: LIQUIDATION_CHANNEL, event: 'subscribe', payload: contracts ?? ['!all'] });
}

/** The application ping. */
export function pingMessage(nowMs = Date.now()): string {
  return JSON.stringify({ time: Math.floor(nowMs / 1000), channel: 'futures.ping' });
}

/** True for a `futures.pong` reply. Cheap on data frames. */
export function isPong(text: string): boolean {
  return text.includes('"futures.pong"');
}

/** The answer to our subscribe request. */
export interface SubscribeAck {
  ok: boolean;
  /** Gate's reason for a refusal (`error.message`), empty on success. */
  reason: string;
}

/** The subscribe ack in a frame, or undefined for any other frame. Cheap on data frames. */
export function readSubscribeAck(text: string): SubscribeAck | undefined {
  if (!text.includes('"subscribe"')) return undefined;
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null) return undefined;
  const { channel, event, error, result } = message as Record<string, unknown>;
  if (channel !== LIQUIDATION_CHANNEL || event !== 'subscribe') return undefined;
  const status = typeof result === 'object' && result !== null ? (result as Record<string, unknown>).status : undefined;
  const failed = (error !== undefined && error !== null) || status !== 'success';
  if (!failed) return { ok: true, reason: '' };
  const detail = typeof error === 'object' && error !== null ? (error as Record<string, unknown>).message : undefined;
  return { ok: false, reason: typeof detail === 'string' ? detail : JSON.stringify(error ?? result ?? null) };
}
