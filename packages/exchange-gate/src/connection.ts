/**
 * One Gate futures stream (one settle currency) on core's reconnecting client.
 *
 * - On every (re)connect, `onOpen` sends one subscribe to `futures.public_liquidates`: `!all`, or the
 *   configured contracts. The ack is checked: a refusal is logged with Gate's reason and shown in health.
 * - `futures.ping` every 15 s, or three times per `staleAfter` when that is shorter, so that a quiet
 *   connection (a calm market sends nothing for minutes) is neither cut by Gate nor taken for dead;
 *   pongs are counted and kept out of the frame stream.
 * - A connection silent for `staleAfter` is replaced by the client and the replacement subscribes again.
 */
import type { Logger, RawFrame } from '@liqmon/core';
import { ReconnectingWebSocket, type ReconnectingWebSocketOptions, type WsStats } from '@liqmon/core/ws';
import type { GateMarket } from './options.js';
import { isPong, PING_INTERVAL_MS, pingMessage, readSubscribeAck, subscribeRequest, UPGRADE_HEADERS } from './protocol.js';

/** No ack this long after a subscribe is logged (the stale check replaces a dead socket meanwhile). */
export const ACK_TIMEOUT_MS = 10_000;

/** Client options tests may override (socket factory, backoff, timings). */
export type WsOverrides = Partial<Omit<ReconnectingWebSocketOptions, 'url' | 'onMessage' | 'onOpen'>>;

/** Options of {@link GateStream}. */
export interface GateStreamOptions {
  market: GateMarket;
  /** Full URL, e.g. `wss://fx-ws.gateio.ws/v4/ws/usdt`. */
  url: string;
  /** Contracts to subscribe; undefined = `!all`. */
  contracts: readonly string[] | undefined;
  /** Replace a connection silent this long, ms. */
  staleAfter: number;
  onFrame(frame: RawFrame): void;
  logger: Logger;
  signal?: AbortSignal;
  ws?: WsOverrides;
}

/** Subscription state of the current connection. */
export type SubscriptionState = 'pending' | 'subscribed' | 'refused';

/** Health of one stream. */
export interface GateStreamHealth extends WsStats {
  market: GateMarket;
  subscription: SubscriptionState;
  /** Gate's reason for the last refusal. */
  refusal?: string;
  pingsSent: number;
  pongs: number;
}

/** The heartbeat period for a given `staleAfter`: 15 s, or a third of `staleAfter` when shorter. */
export function heartbeatInterval(staleAfter: number): number {
  return Math.max(1, Math.min(PING_INTERVAL_MS, Math.floor(staleAfter / 3)));
}

/** One settle currency's liquidation stream. */
export class GateStream {
  readonly market: GateMarket;
  readonly #options: GateStreamOptions;
  readonly #client: ReconnectingWebSocket;
  #subscription: SubscriptionState = 'pending';
  #refusal: string | undefined;
  #ackTimer: NodeJS.Timeout | undefined;
  #pingsSent = 0;
  #pongs = 0;

  constructor(options: GateStreamOptions) {
    this.#options = options;
    this.market = options.market;
    this.#client = new ReconnectingWebSocket({
      name: `gate/${options.market}`,
      logger: options.logger,
      headers: UPGRADE_HEADERS,
      ...options.ws,
      staleAfter: options.staleAfter,
      url: options.url,
      signal: options.signal,
      heartbeat: {
        interval: heartbeatInterval(options.staleAfter),
        message: () => {
          this.#pingsSent += 1;
          return pingMessage();
        },
        isReply: (data) => {
          if (!isPong(data)) return false;
          this.#pongs += 1;
          return true;
        },
      },
      onMessage: (data, info) => this.#onMessage(data, info.receivedAt),
      onOpen: (connection) => {
        this.#subscription = 'pending';
        clearTimeout(this.#ackTimer);
        this.#ackTimer = setTimeout(() => this.#onAckTimeout(), ACK_TIMEOUT_MS);
        connection.send(subscribeRequest(options.contracts));
      },
    });
    this.#client.on('close', () => {
      clearTimeout(this.#ackTimer);
      this.#subscription = 'pending';
    });
  }

  /** Connect and subscribe; resolves once the first connection is open. */
  start(): Promise<void> {
    return this.#client.start();
  }

  /** Close the connection and its timers. Safe to call twice. */
  async stop(): Promise<void> {
    clearTimeout(this.#ackTimer);
    await this.#client.stop();
  }

  /** True while a connection is open and its subscribe was not refused. */
  get connected(): boolean {
    return this.#client.state === 'open' && this.#subscription !== 'refused';
  }

  health(): GateStreamHealth {
    return {
      ...this.#client.stats(),
      market: this.market,
      subscription: this.#subscription,
      ...(this.#refusal !== undefined ? { refusal: this.#refusal } : {}),
      pingsSent: this.#pingsSent,
      pongs: this.#pongs,
    };
  }

  #onMessage(data: string, receivedAt: number): void {
    this.#options.onFrame({ channel: this.market, data, receivedAt });
    if (this.#subscription === 'subscribed') return;
    const ack = readSubscribeAck(data);
    if (ack) return this.#onAck(ack.ok, ack.reason);
    // A liquidation proves the subscription, whatever became of the ack.
    if (data.includes('"event":"update"')) this.#onAck(true, '');
  }

  #onAck(ok: boolean, reason: string): void {
    clearTimeout(this.#ackTimer);
    if (ok) {
      this.#subscription = 'subscribed';
      this.#refusal = undefined;
      return;
    }
    this.#subscription = 'refused';
    this.#refusal = reason;
    this.#options.logger.warn(
      { market: this.market, contracts: this.#options.contracts ?? ['!all'], reason },
      `Gate refused the ${this.market} liquidation subscription: ${reason}; its liquidations will be missed until a reconnect succeeds`,
    );
  }

  #onAckTimeout(): void {
    if (this.#subscription !== 'pending') return;
    this.#options.logger.warn(
      { market: this.market, timeoutMs: ACK_TIMEOUT_MS },
      'Gate did not answer the liquidation subscription in time; if the socket is dead it will be replaced and resubscribed',
    );
  }
}
