/**
 * One Bybit public WebSocket connection and the topics it carries, on core's reconnecting client.
 *
 * - On every (re)connect the client runs `onOpen`, which subscribes exactly the topics this connection
 *   owns, in batches ({@link planRequests}).
 * - Every request carries a `req_id`; every ack is matched to it. A refused request is narrowed down:
 *   topics named in `ret_msg` are logged as refused and the rest are subscribed again; when Bybit
 *   names none, the batch is split in halves until the refused topic is alone. The others carry on.
 * - `{"op":"ping"}` every 20 s (Bybit's recommendation, docs/v5/ws/connect), or three times per
 *   `staleAfter` when that is shorter ({@link heartbeatInterval}); pongs are counted. A connection with
 *   no frame and no pong for `staleAfter` (default {@link STALE_AFTER_MS}) is replaced by the client,
 *   and the replacement subscribes the same topics.
 * - Topics can be added and removed while connected (instrument refresh) without reconnecting.
 */
import type { Logger, RawFrame } from '@liqmon/core';
import { ReconnectingWebSocket, type ReconnectingWebSocketOptions, type WsConnection, type WsStats } from '@liqmon/core/ws';
import type { BybitCategory } from './options.js';
import { planRequests } from './plan.js';
import {
  isAlreadySubscribed,
  isPong,
  PING_INTERVAL_MS,
  PING_MESSAGE,
  readControlReply,
  topicRequest,
  topicsNamedIn,
  type ControlReply,
} from './protocol.js';

/** No frame and no pong for this long (three missed 20 s pongs) means a dead socket, by default. */
export const STALE_AFTER_MS = 60_000;

/**
 * Time between two `{"op":"ping"}` on a connection replaced after `staleAfter` of silence: Bybit's 20 s,
 * or a third of `staleAfter` when that is shorter, so that a live connection on a quiet market answers
 * (three chances) before it counts as dead.
 */
export function heartbeatInterval(staleAfter: number): number {
  return Math.max(1, Math.min(PING_INTERVAL_MS, Math.floor(staleAfter / 3)));
}

/** A subscribe/unsubscribe request without an ack after this long is logged (a subscribe is sent again). */
export const ACK_TIMEOUT_MS = 10_000;

/**
 * Tries of one subscribe whose ack never came. Bybit answers a repeated subscribe with "already
 * subscribed", which counts as success, so sending it again is safe; a dead socket is replaced (and
 * resubscribed) by the stale check meanwhile, so a few tries are enough.
 */
export const SUBSCRIBE_TRIES = 3;

/** How every Bybit data frame starts (`{"topic":"allLiquidation.BTCUSDT",...`): the topic is read from here. */
const TOPIC_PREFIX = '{"topic":"';

/** Client options tests may override (socket factory, backoff, timings). */
export type WsOverrides = Partial<Omit<ReconnectingWebSocketOptions, 'url' | 'onMessage' | 'onOpen'>>;

/** Options of {@link BybitConnection}. */
export interface BybitConnectionOptions {
  category: BybitCategory;
  /** Full URL, e.g. `wss://stream.bybit.com/v5/public/linear`. */
  url: string;
  /** Name for logs and health, e.g. `linear#2`. */
  name: string;
  topics: readonly string[];
  onFrame(frame: RawFrame): void;
  logger: Logger;
  signal?: AbortSignal;
  /** Client options; `ws.staleAfter` (the source's `staleAfter` option) also sets the heartbeat. */
  ws?: WsOverrides;
}

interface PendingRequest {
  op: 'subscribe' | 'unsubscribe';
  topics: string[];
  connectionId: number;
  timer: NodeJS.Timeout;
  /** 1 for the first send of these topics, 2 for the next after an unanswered one, ... */
  attempt: number;
}

/** Health of one connection. */
export interface BybitConnectionHealth extends WsStats {
  name: string;
  topics: number;
  subscribed: number;
  /** Topics Bybit refused, with its `ret_msg`. */
  refused: Record<string, string>;
  pingsSent: number;
  pongs: number;
  lastPongAt: number | undefined;
}

/** A connection carrying a set of `allLiquidation` topics. */
export class BybitConnection {
  readonly name: string;
  readonly #options: BybitConnectionOptions;
  readonly #client: ReconnectingWebSocket;
  readonly #topics: Set<string>;
  readonly #subscribed = new Set<string>();
  readonly #refused = new Map<string, string>();
  readonly #pending = new Map<string, PendingRequest>();
  #current: WsConnection | undefined;
  #nextRequest = 1;
  #settledWaiters: (() => void)[] = [];
  #pingsSent = 0;
  #pongs = 0;
  #lastPongAt: number | undefined;

  constructor(options: BybitConnectionOptions) {
    this.#options = options;
    this.name = options.name;
    this.#topics = new Set(options.topics);
    const staleAfter = options.ws?.staleAfter ?? STALE_AFTER_MS;
    this.#client = new ReconnectingWebSocket({
      name: `bybit/${options.name}`,
      logger: options.logger,
      ...options.ws,
      staleAfter,
      url: options.url,
      signal: options.signal,
      heartbeat: {
        interval: staleAfter === false ? PING_INTERVAL_MS : heartbeatInterval(staleAfter),
        message: () => {
          this.#pingsSent += 1;
          return PING_MESSAGE;
        },
        // Pongs are taken out of the frame stream here, so this is where they are counted.
        isReply: (data) => {
          const reply = readControlReply(data);
          if (!reply || !isPong(reply)) return false;
          this.#pongs += 1;
          this.#lastPongAt = Date.now();
          return true;
        },
      },
      onMessage: (data, info) => this.#onMessage(data, info.receivedAt),
      onOpen: (connection) => this.#onOpen(connection),
    });
    this.#client.on('close', ({ connectionId }) => {
      if (this.#current?.id !== connectionId) return;
      this.#current = undefined;
      this.#subscribed.clear();
      this.#dropPending(connectionId);
    });
  }

  /** Topics this connection owns (subscribed or to be subscribed). */
  get topics(): readonly string[] {
    return [...this.#topics];
  }

  /** Connect and subscribe; resolves once every subscribe request is acked (or timed out). */
  async start(): Promise<void> {
    await this.#client.start();
    await this.settled();
  }

  /** Resolves when no request is waiting for its ack. */
  settled(): Promise<void> {
    if (this.#pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#settledWaiters.push(resolve));
  }

  /** Subscribe more topics on the live connection (or at the next connect). */
  add(topics: readonly string[]): void {
    const fresh = topics.filter((topic) => !this.#topics.has(topic));
    for (const topic of fresh) this.#topics.add(topic);
    if (this.#current && fresh.length > 0) this.#send(this.#current, 'subscribe', fresh);
  }

  /** Unsubscribe topics on the live connection. */
  remove(topics: readonly string[]): void {
    const owned = topics.filter((topic) => this.#topics.delete(topic));
    for (const topic of owned) {
      this.#subscribed.delete(topic);
      this.#refused.delete(topic);
    }
    if (this.#current && owned.length > 0) this.#send(this.#current, 'unsubscribe', owned);
  }

  /** Close the connection and its timers. Safe to call twice. */
  async stop(): Promise<void> {
    await this.#client.stop();
    this.#dropPending();
  }

  /** True while a connection is open. */
  get connected(): boolean {
    return this.#client.state === 'open' && this.#current !== undefined;
  }

  health(): BybitConnectionHealth {
    return {
      ...this.#client.stats(),
      name: this.name,
      topics: this.#topics.size,
      subscribed: this.#subscribed.size,
      refused: Object.fromEntries(this.#refused),
      pingsSent: this.#pingsSent,
      pongs: this.#pongs,
      lastPongAt: this.#lastPongAt,
    };
  }

  // ----- internals ---------------------------------------------------------------------------------

  #onOpen(connection: WsConnection): void {
    // A replacement connection: forget the old one's requests, subscribe exactly the owned topics.
    this.#dropPending();
    this.#current = connection;
    this.#subscribed.clear();
    this.#send(connection, 'subscribe', [...this.#topics]);
  }

  #onMessage(data: string, receivedAt: number): void {
    this.#options.onFrame({ channel: this.#options.category, data, receivedAt });
    // Looked at only while some owned topic is unconfirmed: a fully subscribed connection pays nothing.
    if (this.#subscribed.size + this.#refused.size < this.#topics.size) this.#confirmByFrame(data);
    const reply = readControlReply(data);
    if (reply && (reply.op === 'subscribe' || reply.op === 'unsubscribe')) this.#onAck(reply);
  }

  /**
   * A data frame proves its topic is subscribed, whatever became of the ack: when Bybit's acks are lost
   * (or never sent) while its frames flow, health would otherwise count those topics unsubscribed.
   */
  #confirmByFrame(data: string): void {
    if (!data.startsWith(TOPIC_PREFIX)) return;
    const end = data.indexOf('"', TOPIC_PREFIX.length);
    if (end < 0) return;
    const topic = data.slice(TOPIC_PREFIX.length, end);
    if (!this.#topics.has(topic) || this.#subscribed.has(topic)) return;
    this.#subscribed.add(topic);
    this.#refused.delete(topic);
  }

  #send(connection: WsConnection, op: 'subscribe' | 'unsubscribe', topics: readonly string[], attempt = 1): void {
    for (const batch of planRequests(topics)) {
      const reqId = `${op === 'subscribe' ? 'sub' : 'unsub'}-${this.#nextRequest++}`;
      const timer = setTimeout(() => this.#onAckTimeout(reqId), ACK_TIMEOUT_MS);
      this.#pending.set(reqId, { op, topics: batch, connectionId: connection.id, timer, attempt });
      if (!connection.send(topicRequest(op, batch, reqId))) this.#settle(reqId);
    }
  }

  #onAck(reply: ControlReply): void {
    const request = this.#pending.get(reply.reqId);
    if (!request) return;
    this.#settle(reply.reqId, false);
    if (reply.success || (request.op === 'subscribe' && isAlreadySubscribed(reply.retMsg))) {
      for (const topic of request.topics) {
        if (request.op === 'subscribe' && this.#topics.has(topic)) this.#subscribed.add(topic);
        else this.#subscribed.delete(topic);
      }
    } else if (request.op === 'unsubscribe') {
      this.#options.logger.warn({ topics: request.topics, retMsg: reply.retMsg }, 'Bybit refused to unsubscribe; ignoring');
    } else {
      this.#onRefused(request, reply.retMsg);
    }
    this.#checkSettled();
  }

  /** Narrow a refused subscribe down to the refused topics; subscribe the others again. */
  #onRefused(request: PendingRequest, retMsg: string): void {
    const connection = this.#current;
    const wanted = request.topics.filter((topic) => this.#topics.has(topic));
    const named = topicsNamedIn(retMsg, wanted);
    if (named.length > 0 || wanted.length <= 1) {
      const refused = named.length > 0 ? named : wanted;
      for (const topic of refused) this.#refused.set(topic, retMsg);
      if (refused.length > 0) {
        this.#options.logger.warn(
          { connection: this.name, topics: refused, retMsg },
          'Bybit refused these topics; their liquidations will be missed, the other topics carry on',
        );
      }
      const rest = wanted.filter((topic) => !refused.includes(topic));
      if (connection && connection.id === request.connectionId && rest.length > 0) this.#send(connection, 'subscribe', rest);
      return;
    }
    // Bybit did not say which topic it refused: split the batch until the culprit is alone.
    if (!connection || connection.id !== request.connectionId) return;
    const middle = Math.ceil(wanted.length / 2);
    this.#send(connection, 'subscribe', wanted.slice(0, middle));
    this.#send(connection, 'subscribe', wanted.slice(middle));
  }

  #onAckTimeout(reqId: string): void {
    const request = this.#pending.get(reqId);
    if (!request) return;
    const connection = this.#current;
    const wanted = request.topics.filter((topic) => this.#topics.has(topic) && !this.#subscribed.has(topic));
    // A subscribe on the live connection that still has topics to cover: worth another try, if any are left.
    const unanswered = request.op === 'subscribe' && wanted.length > 0 && connection?.id === request.connectionId;
    const again = unanswered && request.attempt < SUBSCRIBE_TRIES;
    this.#options.logger.warn(
      { connection: this.name, op: request.op, topics: request.topics.length, timeoutMs: ACK_TIMEOUT_MS, attempt: request.attempt },
      again
        ? `Bybit did not answer a subscribe in time; sending it again (try ${request.attempt + 1} of ${SUBSCRIBE_TRIES})`
        : unanswered
          ? `Bybit answered none of ${SUBSCRIBE_TRIES} subscribes for ${wanted.length} topic(s); health counts them unsubscribed until their first frames or a reconnect show them subscribed`
          : 'Bybit did not answer a request in time; if the socket is dead it will be replaced and resubscribed',
    );
    this.#settle(reqId, !again);
    if (again && connection) this.#send(connection, 'subscribe', wanted, request.attempt + 1);
  }

  #settle(reqId: string, check = true): void {
    const request = this.#pending.get(reqId);
    if (!request) return;
    clearTimeout(request.timer);
    this.#pending.delete(reqId);
    if (check) this.#checkSettled();
  }

  #dropPending(connectionId?: number): void {
    for (const [reqId, request] of this.#pending) {
      if (connectionId === undefined || request.connectionId === connectionId) this.#settle(reqId, false);
    }
    this.#checkSettled();
  }

  #checkSettled(): void {
    if (this.#pending.size > 0) return;
    const waiters = this.#settledWaiters;
    this.#settledWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
