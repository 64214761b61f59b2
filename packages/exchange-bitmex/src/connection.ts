/**
 * The BitMEX WebSocket connection (`/realtime`), on core's reconnecting client.
 *
 * On every (re)connect it subscribes its topics (`liquidation`, or `liquidation:<symbol>` each) in one
 * `{"op":"subscribe","args":[...]}`. BitMEX answers each topic with `{"success":true,"subscribe":TOPIC}`
 * or refuses with `{"status":400,"error":"...","request":{...}}`: refusals are logged and shown in
 * health, the other topics carry on. A text `ping` goes out every 5 s (BitMEX: "send a ping if no
 * message in 5 seconds"); the text `pong` it gets back counts as liveness and never reaches core.
 */
import type { Logger, RawFrame } from '@liqmon/core';
import { ReconnectingWebSocket, type ReconnectingWebSocketOptions, type WsConnection, type WsStats } from '@liqmon/core/ws';

/** Client options tests may override (socket factory, backoff, timings). */
export type WsOverrides = Partial<Omit<ReconnectingWebSocketOptions, 'url' | 'onMessage' | 'onOpen'>>;

/** The channel name of every frame this source hands to core. */
export const FRAME_CHANNEL = 'realtime';
/** BitMEX's advice for a quiet connection. */
export const PING_INTERVAL_MS = 5_000;

/** Options of {@link BitmexConnection}. */
export interface BitmexConnectionOptions {
  /** WebSocket base URL; `/realtime` is appended. */
  wsUrl: string;
  topics: readonly string[];
  staleAfter: number;
  onFrame(frame: RawFrame): void;
  logger: Logger;
  signal?: AbortSignal;
  maxFrameBytes: number;
  onOversized: () => void;
  ws?: WsOverrides;
}

/** Health of the connection. */
export interface BitmexConnectionHealth extends WsStats {
  topics: number;
  subscribed: number;
  /** Topics BitMEX refused, with its error. */
  refused: Record<string, string>;
}

/** The one connection of a BitMEX source. */
export class BitmexConnection {
  readonly #options: BitmexConnectionOptions;
  readonly #client: ReconnectingWebSocket;
  readonly #subscribed = new Set<string>();
  readonly #refused = new Map<string, string>();
  #answered: (() => void) | undefined;

  constructor(options: BitmexConnectionOptions) {
    this.#options = options;
    this.#client = new ReconnectingWebSocket({
      name: 'bitmex',
      logger: options.logger,
      staleAfter: options.staleAfter,
      maxFrameBytes: options.maxFrameBytes,
      onOversized: options.onOversized,
      heartbeat: { interval: Math.max(1, Math.min(PING_INTERVAL_MS, Math.floor(options.staleAfter / 3))), message: 'ping', isReply: (data) => data === 'pong' },
      ...options.ws,
      url: `${options.wsUrl.replace(/\/+$/, '')}/realtime`,
      signal: options.signal,
      onMessage: (data, info) => this.#onMessage(data, info.receivedAt),
      onOpen: (connection) => this.#onOpen(connection),
    });
    this.#client.on('close', () => this.#subscribed.clear());
  }

  /** Connect; resolves once every topic is answered (or the connection is retried meanwhile). */
  async start(): Promise<void> {
    const answered = new Promise<void>((resolve) => (this.#answered = resolve));
    await this.#client.start();
    await answered;
  }

  async stop(): Promise<void> {
    await this.#client.stop();
    this.#answered?.();
  }

  /** True while connected with at least one topic subscribed. */
  get connected(): boolean {
    return this.#client.state === 'open' && this.#subscribed.size > 0;
  }

  health(): BitmexConnectionHealth {
    return { ...this.#client.stats(), topics: this.#options.topics.length, subscribed: this.#subscribed.size, refused: Object.fromEntries(this.#refused) };
  }

  #onOpen(connection: WsConnection): void {
    this.#subscribed.clear();
    connection.send({ op: 'subscribe', args: this.#options.topics });
  }

  #onMessage(data: string, receivedAt: number): void {
    this.#options.onFrame({ channel: FRAME_CHANNEL, data, receivedAt });
    // Rows start with {"table":...; only the rare control frame is parsed here.
    if (data.startsWith('{"table"')) return;
    let message: { success?: unknown; subscribe?: unknown; error?: unknown; request?: { args?: unknown } };
    try {
      message = JSON.parse(data) as typeof message;
    } catch {
      return;
    }
    if (message.success === true && typeof message.subscribe === 'string') {
      this.#subscribed.add(message.subscribe);
      this.#refused.delete(message.subscribe);
    } else if (typeof message.error === 'string') {
      const raw = message.request?.args;
      // BitMEX echoes the request: `args` as sent (an array), or the one topic it refused.
      const args = (Array.isArray(raw) ? raw : [raw]).filter((arg): arg is string => typeof arg === 'string');
      const refused = args.filter((topic) => this.#options.topics.includes(topic) && !this.#subscribed.has(topic));
      for (const topic of refused) this.#refused.set(topic, message.error);
      this.#options.logger.warn({ topics: refused, error: message.error }, 'BitMEX refused a subscription; its liquidations will be missed, the other topics carry on');
    } else {
      return;
    }
    if (this.#subscribed.size + this.#refused.size >= this.#options.topics.length) this.#answered?.();
  }
}
