/**
 * The one HTX notification connection this source needs, on core's reconnecting client: one wildcard
 * subscription (`public.*.liquidation_orders`) covers every USDT-margined contract, so a new listing
 * needs no new subscription.
 *
 * - Every frame is gzip-compressed binary: the client inflates it (`binaryFrames: 'gzip'`, capped at
 *   `maxFrameBytes` once inflated).
 * - HTX pings every 5 s with `{"op":"ping","ts":…}` and closes a connection that does not echo the
 *   `ts` in a pong. Each ping is answered at once on the connection it came from, with the `ts` copied
 *   as written (a re-typed `ts`, string to number, is not a valid answer). Pings are upkeep: they are
 *   not passed on as frames, so recordings hold data and answers only.
 * - On every (re)connect `onOpen` subscribes with a `cid`; the answer's `err-code` says whether HTX
 *   took it. A refusal is logged and kept in health; the connection stays up (HTX may still ping).
 * - A connection that carried nothing, not even a ping, for `staleAfter` is replaced and subscribes again.
 */
import type { Logger, RawFrame } from '@liqmon/core';
import { ReconnectingWebSocket, type ReconnectingWebSocketOptions, type WsConnection, type WsStats } from '@liqmon/core/ws';
import { LIQUIDATION_TOPIC, pongFor, readSubscribeAnswer, subscribeRequest } from './protocol.js';

/** A subscribe without an answer after this long is logged; `start()` stops waiting for it. */
export const ACK_TIMEOUT_MS = 10_000;

/** Client options tests may override (backoff, timings). */
export type WsOverrides = Partial<Omit<ReconnectingWebSocketOptions, 'url' | 'onMessage' | 'onOpen'>>;

/** Options of {@link HtxConnection}. */
export interface HtxConnectionOptions {
  /** Full URL, `wss://api.hbdm.com/linear-swap-notification`. */
  url: string;
  staleAfter: number;
  onFrame(frame: RawFrame): void;
  logger: Logger;
  signal?: AbortSignal;
  ws?: WsOverrides;
}

/** Health of the connection. */
export interface HtxConnectionHealth extends WsStats {
  subscribed: boolean;
  /** HTX's refusal of the last subscribe (`err-code err-msg`), if any. */
  refused?: string;
  /** Server pings answered with a pong. */
  pingsAnswered: number;
}

/** The HTX liquidation_orders connection. */
export class HtxConnection {
  readonly #options: HtxConnectionOptions;
  readonly #client: ReconnectingWebSocket;
  #current: WsConnection | undefined;
  #subscribed = false;
  #pendingCid: string | undefined;
  #refused: string | undefined;
  #nextCid = 1;
  #settle: (() => void) | undefined;
  #pingsAnswered = 0;

  constructor(options: HtxConnectionOptions) {
    this.#options = options;
    this.#client = new ReconnectingWebSocket({
      name: 'htx/linear-swap-notification',
      logger: options.logger,
      ...options.ws,
      binaryFrames: 'gzip',
      staleAfter: options.staleAfter,
      url: options.url,
      signal: options.signal,
      onOpen: (connection) => this.#onOpen(connection),
      onMessage: (data, info) => this.#onMessage(data, info.receivedAt, info.connectionId),
    });
    this.#client.on('close', ({ connectionId }) => {
      if (this.#current?.id !== connectionId) return;
      this.#current = undefined;
      this.#subscribed = false;
      this.#pendingCid = undefined;
    });
  }

  /** Connect and subscribe; resolves once HTX answered the subscribe, or after {@link ACK_TIMEOUT_MS}. */
  async start(): Promise<void> {
    await this.#client.start();
    if (this.#pendingCid === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.#settle = resolve;
      timer = setTimeout(resolve, ACK_TIMEOUT_MS);
    });
    clearTimeout(timer);
    this.#settle = undefined;
    if (this.#pendingCid !== undefined) {
      this.#options.logger.warn({ topic: LIQUIDATION_TOPIC, timeoutMs: ACK_TIMEOUT_MS }, 'HTX did not answer the subscribe in time; carrying on');
    }
  }

  async stop(): Promise<void> {
    this.#settle?.();
    await this.#client.stop();
  }

  /** True while open with the liquidation topic subscribed. */
  get connected(): boolean {
    return this.#client.state === 'open' && this.#subscribed;
  }

  health(): HtxConnectionHealth {
    return {
      ...this.#client.stats(),
      subscribed: this.connected,
      ...(this.#refused === undefined ? {} : { refused: this.#refused }),
      pingsAnswered: this.#pingsAnswered,
    };
  }

  #onOpen(connection: WsConnection): void {
    this.#current = connection;
    this.#subscribed = false;
    const cid = String(this.#nextCid++);
    this.#pendingCid = cid;
    connection.send(subscribeRequest(cid));
  }

  #onMessage(data: string, receivedAt: number, connectionId: number): void {
    const pong = pongFor(data);
    if (pong !== undefined) {
      // On the connection that was pinged; the primary when it is not the one `onOpen` saw last.
      const sent = this.#current?.id === connectionId ? this.#current.send(pong) : this.#client.send(pong);
      if (sent) this.#pingsAnswered += 1;
      return;
    }
    this.#options.onFrame({ channel: 'notification', data, receivedAt });
    const answer = readSubscribeAnswer(data);
    if (answer) this.#onAnswer(answer);
  }

  #onAnswer(answer: { cid: string; topic: string; errCode: number; errMsg: string }): void {
    if (answer.cid !== this.#pendingCid && answer.topic !== LIQUIDATION_TOPIC) return;
    this.#pendingCid = undefined;
    if (answer.errCode === 0) {
      this.#subscribed = true;
      this.#refused = undefined;
    } else {
      this.#refused = `${answer.errCode} ${answer.errMsg}`.trim();
      this.#options.logger.warn(
        { topic: answer.topic, code: answer.errCode, msg: answer.errMsg },
        'HTX refused the liquidation_orders subscription; no HTX liquidation will arrive on this connection',
      );
    }
    this.#settle?.();
  }
}
