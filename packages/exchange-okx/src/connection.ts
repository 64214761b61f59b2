/**
 * The one OKX public connection this source needs, on core's reconnecting client: OKX publishes
 * liquidations per instrument type, so two subscriptions (SWAP, FUTURES) cover every instrument and a
 * new listing needs no new subscription.
 *
 * - On every (re)connect `onOpen` sends one subscribe per type, each with an `id`; the ack (or the
 *   refusal, `event: error`) is matched to it. A refused type is logged and the other carries on.
 * - The text `ping` every 20 s (or a third of `staleAfter` when shorter) answers OKX's 30 s idle cut;
 *   a connection with no frame and no `pong` for `staleAfter` is replaced and subscribes again.
 * - OKX may push, right after a subscribe, a liquidation that happened before it (the ccxt issue
 *   ccxt/ccxt#23350; tardis-dev drops the first push for that reason). The first push of a connection
 *   whose every liquidation predates the subscribe request is dropped unread: history, not news.
 */
import type { Logger, RawFrame } from '@liqmon/core';
import { ReconnectingWebSocket, type ReconnectingWebSocketOptions, type WsConnection, type WsStats } from '@liqmon/core/ws';
import { OKX_INST_TYPES, type OkxInstType } from './instruments.js';
import { PING_INTERVAL_MS, PING_MESSAGE, PONG_MESSAGE, pushTimes, readControlReply, subscribeRequest, type ControlReply } from './protocol.js';

/** A subscribe without an answer after this long is logged; `start()` stops waiting for it. */
export const ACK_TIMEOUT_MS = 10_000;

/** Client options tests may override (backoff, timings). */
export type WsOverrides = Partial<Omit<ReconnectingWebSocketOptions, 'url' | 'onMessage' | 'onOpen'>>;

/** Time between two `ping`s: OKX's 20 s, or a third of `staleAfter` so a quiet live socket answers in time. */
export function heartbeatInterval(staleAfter: number): number {
  return Math.max(1, Math.min(PING_INTERVAL_MS, Math.floor(staleAfter / 3)));
}

/** Options of {@link OkxConnection}. */
export interface OkxConnectionOptions {
  /** Full URL, `wss://ws.okx.com:8443/ws/v5/public`. */
  url: string;
  staleAfter: number;
  onFrame(frame: RawFrame): void;
  logger: Logger;
  signal?: AbortSignal;
  ws?: WsOverrides;
}

/** Health of the connection. */
export interface OkxConnectionHealth extends WsStats {
  subscribed: OkxInstType[];
  /** Types OKX refused, with its code and message. */
  refused: Record<string, string>;
  pingsSent: number;
  pongs: number;
  /** First pushes dropped because every liquidation in them predated the subscribe. */
  replaysDropped: number;
}

/** The OKX liquidation-orders connection. */
export class OkxConnection {
  readonly #options: OkxConnectionOptions;
  readonly #client: ReconnectingWebSocket;
  readonly #subscribed = new Set<OkxInstType>();
  readonly #refused = new Map<OkxInstType, string>();
  /** Requests waiting for their answer, by id. */
  readonly #pending = new Map<string, OkxInstType>();
  #nextId = 1;
  #subscribedAt = 0;
  #firstPush = false;
  #settle: (() => void) | undefined;
  #pingsSent = 0;
  #pongs = 0;
  #replaysDropped = 0;

  constructor(options: OkxConnectionOptions) {
    this.#options = options;
    this.#client = new ReconnectingWebSocket({
      name: 'okx/public',
      logger: options.logger,
      ...options.ws,
      staleAfter: options.staleAfter,
      url: options.url,
      signal: options.signal,
      heartbeat: {
        interval: heartbeatInterval(options.staleAfter),
        message: () => {
          this.#pingsSent += 1;
          return PING_MESSAGE;
        },
        isReply: (data) => {
          if (data !== PONG_MESSAGE) return false;
          this.#pongs += 1;
          return true;
        },
      },
      onOpen: (connection) => this.#onOpen(connection),
      onMessage: (data, info) => this.#onMessage(data, info.receivedAt),
    });
    this.#client.on('close', () => {
      this.#subscribed.clear();
      this.#pending.clear();
    });
  }

  /** Connect and subscribe; resolves once both types are answered, or after {@link ACK_TIMEOUT_MS}. */
  async start(): Promise<void> {
    await this.#client.start();
    if (this.#pending.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.#settle = resolve;
      timer = setTimeout(resolve, ACK_TIMEOUT_MS);
    });
    clearTimeout(timer);
    this.#settle = undefined;
    if (this.#pending.size > 0) {
      this.#options.logger.warn({ types: [...this.#pending.values()], timeoutMs: ACK_TIMEOUT_MS }, 'OKX did not answer the subscribe in time; carrying on');
    }
  }

  async stop(): Promise<void> {
    this.#settle?.();
    await this.#client.stop();
  }

  /** True while open with at least one type subscribed. */
  get connected(): boolean {
    return this.#client.state === 'open' && this.#subscribed.size > 0;
  }

  /** True when `instType` is subscribed on the open connection. */
  isSubscribed(instType: OkxInstType): boolean {
    return this.#client.state === 'open' && this.#subscribed.has(instType);
  }

  health(): OkxConnectionHealth {
    return {
      ...this.#client.stats(),
      subscribed: [...this.#subscribed],
      refused: Object.fromEntries(this.#refused),
      pingsSent: this.#pingsSent,
      pongs: this.#pongs,
      replaysDropped: this.#replaysDropped,
    };
  }

  #onOpen(connection: WsConnection): void {
    this.#subscribed.clear();
    this.#pending.clear();
    this.#subscribedAt = Date.now();
    this.#firstPush = true;
    for (const instType of OKX_INST_TYPES) {
      const id = String(this.#nextId++);
      this.#pending.set(id, instType);
      connection.send(subscribeRequest(instType, id));
    }
  }

  #onMessage(data: string, receivedAt: number): void {
    if (this.#firstPush && data.includes('"details"') && !data.includes('"event"')) {
      this.#firstPush = false;
      const times = pushTimes(data);
      if (times.length > 0 && times.every((time) => time < this.#subscribedAt)) {
        this.#replaysDropped += 1;
        this.#options.logger.debug({ times }, 'OKX replayed a liquidation from before the subscribe; dropped');
        return;
      }
    }
    this.#options.onFrame({ channel: 'public', data, receivedAt });
    const reply = readControlReply(data);
    if (reply) this.#onControl(reply);
  }

  #onControl(reply: ControlReply): void {
    if (reply.event === 'notice') {
      // 64008: a service upgrade closes the connection in 60 s; the client reconnects when it does.
      this.#options.logger.info({ code: reply.code, msg: reply.msg }, 'OKX notice');
      return;
    }
    // Matched by the echoed id; an ack without one (older servers) by its arg.instType.
    const id = this.#pending.has(reply.id) ? reply.id : [...this.#pending].find(([, type]) => type === reply.instType)?.[0];
    const instType = id === undefined ? undefined : this.#pending.get(id);
    if (id !== undefined) this.#pending.delete(id);
    if (reply.event === 'subscribe' && instType !== undefined) {
      this.#subscribed.add(instType);
      this.#refused.delete(instType);
    } else if (reply.event === 'error') {
      if (instType !== undefined) this.#refused.set(instType, `${reply.code} ${reply.msg}`.trim());
      this.#options.logger.warn(
        { instType, code: reply.code, msg: reply.msg },
        instType ? `OKX refused the ${instType} liquidation channel; its liquidations will be missed, the other type carries on` : 'OKX answered with an error',
      );
    }
    if (this.#pending.size === 0) this.#settle?.();
  }
}
