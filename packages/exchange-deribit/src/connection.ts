/**
 * The Deribit WebSocket connection, on core's reconnecting client.
 *
 * On every (re)connect: `public/set_heartbeat` (so the server speaks at least once per interval and a
 * silent socket is a dead one), then `public/subscribe` with the trade channels. Each answer is matched
 * to its request id: channels missing from a subscribe `result`, or a whole request answered with an
 * `error`, are logged as refused and kept out of health's subscribed count; the others carry on.
 * Every `test_request` is answered with `public/test` at once: Deribit closes a connection that does not.
 */
import type { Logger, RawFrame } from '@liqmon/core';
import { ReconnectingWebSocket, type ReconnectingWebSocketOptions, type WsConnection, type WsStats } from '@liqmon/core/ws';
import { isHeartbeat, readControl, rpcRequest, WS_PATH, type ControlMessage } from './protocol.js';

/** Client options tests may override (socket factory, backoff, timings). */
export type WsOverrides = Partial<Omit<ReconnectingWebSocketOptions, 'url' | 'onMessage' | 'onOpen'>>;

/** The channel name of every frame this source hands to core. */
export const FRAME_CHANNEL = 'trades';

/** Options of {@link DeribitConnection}. */
export interface DeribitConnectionOptions {
  /** WebSocket base URL (`wss://www.deribit.com`); {@link WS_PATH} is appended. */
  wsUrl: string;
  channels: readonly string[];
  /** Heartbeat interval in ms (sent in whole seconds). */
  heartbeat: number;
  staleAfter: number;
  onFrame(frame: RawFrame): void;
  logger: Logger;
  signal?: AbortSignal;
  maxFrameBytes?: number;
  onOversized?: () => void;
  ws?: WsOverrides;
}

/** Health of the connection. */
export interface DeribitConnectionHealth extends WsStats {
  channels: number;
  subscribed: number;
  /** Channels Deribit refused, with its reason. */
  refused: Record<string, string>;
  testRequests: number;
}

type Pending = { kind: 'subscribe'; channels: string[]; connectionId: number } | { kind: 'heartbeat' | 'test'; connectionId: number };

/** The one connection of a Deribit source. */
export class DeribitConnection {
  readonly #options: DeribitConnectionOptions;
  readonly #client: ReconnectingWebSocket;
  readonly #subscribed = new Set<string>();
  readonly #refused = new Map<string, string>();
  readonly #pending = new Map<number, Pending>();
  #current: WsConnection | undefined;
  #nextId = 1;
  #testRequests = 0;
  #subscribedWaiters: (() => void)[] = [];

  constructor(options: DeribitConnectionOptions) {
    this.#options = options;
    this.#client = new ReconnectingWebSocket({
      name: 'deribit',
      logger: options.logger,
      staleAfter: options.staleAfter,
      // Deribit's own heartbeat proves the socket alive; WebSocket pings would add nothing.
      probeAfter: false,
      ...(options.maxFrameBytes === undefined ? {} : { maxFrameBytes: options.maxFrameBytes }),
      ...(options.onOversized ? { onOversized: options.onOversized } : {}),
      ...options.ws,
      url: `${options.wsUrl.replace(/\/+$/, '')}${WS_PATH}`,
      signal: options.signal,
      onMessage: (data, info) => this.#onMessage(data, info.receivedAt),
      onOpen: (connection) => this.#onOpen(connection),
    });
    this.#client.on('close', ({ connectionId }) => {
      if (this.#current?.id !== connectionId) return;
      this.#current = undefined;
      this.#subscribed.clear();
      this.#pending.clear();
    });
  }

  /** Connect; resolves once the subscribe request is answered (or the connection is retried). */
  async start(): Promise<void> {
    await this.#client.start();
    if (this.#pending.size > 0 && [...this.#pending.values()].some((request) => request.kind === 'subscribe')) {
      await new Promise<void>((resolve) => this.#subscribedWaiters.push(resolve));
    }
  }

  async stop(): Promise<void> {
    await this.#client.stop();
    this.#pending.clear();
    this.#settle();
  }

  /** True while connected and at least one channel is subscribed. */
  get connected(): boolean {
    return this.#client.state === 'open' && this.#current !== undefined && this.#subscribed.size > 0;
  }

  health(): DeribitConnectionHealth {
    return {
      ...this.#client.stats(),
      channels: this.#options.channels.length,
      subscribed: this.#subscribed.size,
      refused: Object.fromEntries(this.#refused),
      testRequests: this.#testRequests,
    };
  }

  #send(connection: WsConnection, method: string, params: Record<string, unknown>, pending: Pending): void {
    const id = this.#nextId++;
    this.#pending.set(id, pending);
    if (!connection.send(rpcRequest(id, method, params))) this.#pending.delete(id);
  }

  #onOpen(connection: WsConnection): void {
    this.#current = connection;
    this.#subscribed.clear();
    this.#pending.clear();
    const interval = Math.round(this.#options.heartbeat / 1000);
    this.#send(connection, 'public/set_heartbeat', { interval }, { kind: 'heartbeat', connectionId: connection.id });
    const channels = [...this.#options.channels];
    this.#send(connection, 'public/subscribe', { channels }, { kind: 'subscribe', channels, connectionId: connection.id });
  }

  #onMessage(data: string, receivedAt: number): void {
    // Heartbeats are connection upkeep, not data: answered here and kept out of recordings.
    if (isHeartbeat(data)) {
      if (readControl(data)?.kind === 'test_request') this.#answerTestRequest();
      return;
    }
    this.#options.onFrame({ channel: FRAME_CHANNEL, data, receivedAt });
    if (this.#pending.size === 0) return;
    const control = readControl(data);
    if (control?.kind === 'response') this.#onResponse(control);
  }

  #answerTestRequest(): void {
    const connection = this.#current;
    if (!connection) return;
    this.#testRequests += 1;
    this.#send(connection, 'public/test', {}, { kind: 'test', connectionId: connection.id });
  }

  #onResponse(response: Extract<ControlMessage, { kind: 'response' }>): void {
    const request = this.#pending.get(response.id);
    if (!request) return;
    this.#pending.delete(response.id);
    const logger = this.#options.logger;
    if (request.kind === 'heartbeat') {
      if (response.error) logger.warn({ error: response.error }, 'Deribit refused public/set_heartbeat; a dead connection is noticed after staleAfter only');
      return;
    }
    if (request.kind !== 'subscribe') return;
    const accepted = new Set(Array.isArray(response.result) ? response.result.filter((item): item is string => typeof item === 'string') : []);
    const reason = response.error ? `${response.error.code} ${response.error.message}` : 'not in the subscribe result';
    for (const channel of request.channels) {
      if (accepted.has(channel)) {
        this.#subscribed.add(channel);
        this.#refused.delete(channel);
      } else {
        this.#refused.set(channel, reason);
      }
    }
    const refused = request.channels.filter((channel) => !accepted.has(channel));
    if (refused.length > 0) {
      logger.warn({ channels: refused, reason }, 'Deribit refused these channels; their liquidations will be missed, the others carry on');
    }
    this.#settle();
  }

  #settle(): void {
    const waiters = this.#subscribedWaiters;
    this.#subscribedWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
