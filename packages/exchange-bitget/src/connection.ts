/**
 * The one Bitget v3 public connection this source needs: the liquidation topic of every watched
 * product type, on core's reconnecting client.
 *
 * - On every (re)connect, one subscribe request carries every product type; each is acked on its own,
 *   and a refusal is logged with Bitget's message and shown in health (the others carry on).
 * - Text `ping` every 25 s, or three times per `staleAfter` when that is shorter: a quiet channel sends
 *   nothing for minutes and Bitget closes a connection without pings after 2 minutes. `pong` is counted
 *   and kept out of the frame stream.
 * - A connection silent for `staleAfter` is replaced by the client; the replacement subscribes again.
 */
import type { Logger, RawFrame } from '@liqmon/core';
import { ReconnectingWebSocket, type ReconnectingWebSocketOptions, type WsStats } from '@liqmon/core/ws';
import { PING, PING_INTERVAL_MS, PONG, readSubscribeReply, subscribeRequest, type InstType } from './protocol.js';

/** The frames' channel: one connection carries every product type (the frame names its own). */
export const CHANNEL = 'public';

/** Client options tests may override (socket factory, backoff, timings). */
export type WsOverrides = Partial<Omit<ReconnectingWebSocketOptions, 'url' | 'onMessage' | 'onOpen'>>;

/** Options of {@link BitgetStream}. */
export interface BitgetStreamOptions {
  /** Full URL, e.g. `wss://ws.bitget.com/v3/ws/public`. */
  url: string;
  instTypes: readonly InstType[];
  /** Replace a connection silent this long, ms. */
  staleAfter: number;
  onFrame(frame: RawFrame): void;
  logger: Logger;
  signal?: AbortSignal;
  ws?: WsOverrides;
}

/** Health of the connection. */
export interface BitgetStreamHealth extends WsStats {
  /** Product types acked on the current connection. */
  subscribed: InstType[];
  /** Refusals by product type (`unknown` when Bitget named none), with Bitget's message. */
  refused: Record<string, string>;
  pingsSent: number;
  pongs: number;
}

/** The ping period for a given `staleAfter`: 25 s, or a third of `staleAfter` when shorter. */
export function heartbeatInterval(staleAfter: number): number {
  return Math.max(1, Math.min(PING_INTERVAL_MS, Math.floor(staleAfter / 3)));
}

/** The liquidation connection. */
export class BitgetStream {
  readonly #options: BitgetStreamOptions;
  readonly #client: ReconnectingWebSocket;
  readonly #subscribed = new Set<InstType>();
  readonly #refused = new Map<string, string>();
  #pingsSent = 0;
  #pongs = 0;

  constructor(options: BitgetStreamOptions) {
    this.#options = options;
    this.#client = new ReconnectingWebSocket({
      name: 'bitget/public',
      logger: options.logger,
      ...options.ws,
      staleAfter: options.staleAfter,
      url: options.url,
      signal: options.signal,
      heartbeat: {
        interval: heartbeatInterval(options.staleAfter),
        message: () => {
          this.#pingsSent += 1;
          return PING;
        },
        isReply: (data) => {
          if (data !== PONG) return false;
          this.#pongs += 1;
          return true;
        },
      },
      onMessage: (data, info) => this.#onMessage(data, info.receivedAt),
      onOpen: (connection) => {
        this.#subscribed.clear();
        connection.send(subscribeRequest(options.instTypes));
      },
    });
    this.#client.on('close', () => this.#subscribed.clear());
  }

  /** Connect and subscribe; resolves once the first connection is open. */
  start(): Promise<void> {
    return this.#client.start();
  }

  /** Close the connection. Safe to call twice. */
  stop(): Promise<void> {
    return this.#client.stop();
  }

  /** True while the connection is open and some product type was not refused. */
  get connected(): boolean {
    return this.#client.state === 'open' && this.#refused.size < this.#options.instTypes.length;
  }

  health(): BitgetStreamHealth {
    return {
      ...this.#client.stats(),
      subscribed: [...this.#subscribed],
      refused: Object.fromEntries(this.#refused),
      pingsSent: this.#pingsSent,
      pongs: this.#pongs,
    };
  }

  #onMessage(data: string, receivedAt: number): void {
    this.#options.onFrame({ channel: CHANNEL, data, receivedAt });
    if (this.#subscribed.size === this.#options.instTypes.length) return;
    const reply = readSubscribeReply(data);
    if (!reply) return;
    const key = reply.instType ?? 'unknown';
    if (reply.ok && reply.instType) {
      this.#subscribed.add(reply.instType);
      this.#refused.delete(reply.instType);
      return;
    }
    if (reply.ok) return;
    this.#refused.set(key, reply.reason);
    this.#options.logger.warn({ instType: key, reason: reply.reason }, `Bitget refused the ${key} liquidation subscription: ${reply.reason}; its liquidations will be missed`);
  }
}
