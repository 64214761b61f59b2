/**
 * One indexer WebSocket connection and the markets it carries, on core's reconnecting client.
 *
 * - Every (re)connect subscribes exactly the markets this connection owns, one request each:
 *   `{"type":"subscribe","channel":"v4_trades","id":"BTC-USD"}`; the indexer answers `subscribed` (with
 *   recent trades, which the decoder ignores) or `error` (logged; the other markets carry on).
 * - Markets are added and removed on the live socket (instrument refresh), never by reconnecting.
 * - Keepalive is the server's: the indexer pings every 30 s and the socket answers with a pong by
 *   itself; a connection silent past `staleAfter` is replaced and resubscribed.
 */
import type { Logger, RawFrame } from '@liqmon/core';
import { ReconnectingWebSocket, type ReconnectingWebSocketOptions, type WsConnection, type WsStats } from '@liqmon/core/ws';

/** Client options tests may override. */
export type WsOverrides = Partial<Omit<ReconnectingWebSocketOptions, 'url' | 'onMessage' | 'onOpen'>>;

/** Options of {@link DydxConnection}. */
export interface DydxConnectionOptions {
  /** Full URL, e.g. `wss://indexer.dydx.trade/v4/ws`. */
  url: string;
  /** Name for logs and health, e.g. `trades#2`. */
  name: string;
  markets: readonly string[];
  onFrame(frame: RawFrame): void;
  logger: Logger;
  signal?: AbortSignal;
  ws: WsOverrides;
}

/** Health of one connection. */
export interface DydxConnectionHealth extends WsStats {
  name: string;
  markets: number;
  subscribed: number;
  refused: Record<string, string>;
}

/** `{"type":"subscribed"...` etc.: control frames start with their type (data frames too, cheaply told apart). */
const CONTROL = /^\{"type":"(subscribed|unsubscribed|error)"/;

/** A connection carrying the `v4_trades` channel of some markets. */
export class DydxConnection {
  readonly name: string;
  readonly #options: DydxConnectionOptions;
  readonly #client: ReconnectingWebSocket;
  readonly #markets: Set<string>;
  readonly #subscribed = new Set<string>();
  readonly #refused = new Map<string, string>();
  #current: WsConnection | undefined;
  #waiters: (() => void)[] = [];

  constructor(options: DydxConnectionOptions) {
    this.#options = options;
    this.name = options.name;
    this.#markets = new Set(options.markets);
    this.#client = new ReconnectingWebSocket({
      name: `dydx/${options.name}`,
      logger: options.logger,
      signal: options.signal,
      ...options.ws,
      url: options.url,
      onOpen: (connection) => {
        this.#current = connection;
        this.#subscribed.clear();
        this.#refused.clear();
        this.#send('subscribe', [...this.#markets]);
      },
      onMessage: (data, info) => {
        options.onFrame({ channel: 'v4_trades', data, receivedAt: info.receivedAt });
        if (info.connectionId === this.#current?.id && CONTROL.test(data)) this.#onControl(data);
      },
    });
    this.#client.on('close', ({ connectionId }) => {
      if (this.#current?.id === connectionId) this.#current = undefined;
    });
  }

  /** Markets this connection owns. */
  get markets(): readonly string[] {
    return [...this.#markets];
  }

  /** Connect and subscribe; resolves once every market is answered, or after `ackWait` ms. */
  async start(ackWait: number): Promise<void> {
    await this.#client.start();
    await this.settled(ackWait);
  }

  /** Resolves when every owned market is acked or refused, or after `timeout` ms. */
  settled(timeout: number): Promise<void> {
    if (this.#answered()) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeout);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#waiters.push(done);
    });
  }

  add(markets: readonly string[]): void {
    const fresh = markets.filter((market) => !this.#markets.has(market));
    for (const market of fresh) this.#markets.add(market);
    this.#send('subscribe', fresh);
  }

  remove(markets: readonly string[]): void {
    const owned = markets.filter((market) => this.#markets.delete(market));
    for (const market of owned) {
      this.#subscribed.delete(market);
      this.#refused.delete(market);
    }
    this.#send('unsubscribe', owned);
  }

  async stop(): Promise<void> {
    await this.#client.stop();
    this.#wake();
  }

  get connected(): boolean {
    return this.#client.state === 'open' && this.#current !== undefined;
  }

  health(): DydxConnectionHealth {
    return { ...this.#client.stats(), name: this.name, markets: this.#markets.size, subscribed: this.#subscribed.size, refused: Object.fromEntries(this.#refused) };
  }

  #send(type: 'subscribe' | 'unsubscribe', markets: readonly string[]): void {
    const connection = this.#current;
    if (!connection) return;
    for (const id of markets) connection.send({ type, channel: 'v4_trades', id });
  }

  #onControl(data: string): void {
    let message: { type?: unknown; id?: unknown; message?: unknown };
    try {
      message = JSON.parse(data) as typeof message;
    } catch {
      return;
    }
    if (message.type === 'subscribed' && typeof message.id === 'string') {
      if (this.#markets.has(message.id)) this.#subscribed.add(message.id);
    } else if (message.type === 'error') {
      const text = typeof message.message === 'string' ? message.message : '';
      // The error names no field of its own; it usually quotes the market in its text.
      const named = [...this.#markets].filter((market) => !this.#subscribed.has(market) && text.includes(market));
      for (const market of named) this.#refused.set(market, text);
      this.#options.logger.warn({ connection: this.name, markets: named, message: text }, 'dYdX refused a subscription; the other markets carry on');
    }
    if (this.#answered()) this.#wake();
  }

  #answered(): boolean {
    for (const market of this.#markets) if (!this.#subscribed.has(market) && !this.#refused.has(market)) return false;
    return true;
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }
}
