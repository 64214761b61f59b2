/**
 * A WebSocket that stays connected: reconnects with capped, jittered backoff; re-runs the subscribe
 * hook on every connection; replaces sockets that go silent; rotates connections before a maximum age
 * with an overlap so that no frame is lost in the switch. Sources build on this and only decode.
 */
import { EventEmitter } from 'eventemitter3';
import { WebSocket } from 'ws';
import { DEFAULT_MAX_FRAME_BYTES } from '../util/frame-size.js';
import { failureText, logFailure } from '../util/network-failure.js';
import { backoffDelay } from './backoff.js';
import { Connection, encode, FrameInflateError, type ConnectionHooks } from './connection.js';
import type { ReconnectingWebSocketOptions, SocketFactory, WsEvents, WsState, WsStats } from './types.js';

const defaultFactory: SocketFactory = (url, options) =>
  // ws answers server pings with pongs by itself (autoPong defaults to true).
  new WebSocket(url, {
    handshakeTimeout: options.handshakeTimeout,
    maxPayload: options.maxPayload,
    perMessageDeflate: false,
    ...(options.headers ? { headers: { ...options.headers } } : {}),
  });

/** What `ws` throws when a frame exceeds `maxPayload` (it then closes the socket with 1009). */
const TOO_LARGE = 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';

/**
 * The reconnecting WebSocket client of `@liqmon/core/ws`.
 *
 * @example
 * ```ts
 * const client = new ReconnectingWebSocket({
 *   url: 'wss://fstream.binance.com/market/ws/!forceOrder@arr',
 *   onMessage: (data, { receivedAt }) => context.frame({ channel: 'usdm', data, receivedAt }),
 *   staleAfter: 60_000,
 *   maxConnectionAge: 23 * 3600_000,
 * });
 * await client.start();
 * // ...
 * await client.stop();
 * ```
 */
export class ReconnectingWebSocket extends EventEmitter<WsEvents> {
  private readonly options: ReconnectingWebSocketOptions;
  private readonly createSocket: SocketFactory;
  private readonly connections = new Set<Connection>();
  private primary: Connection | undefined;
  private pending: Connection | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private nextId = 1;
  private current: WsState = 'idle';
  private waiters: (() => void)[] = [];
  private readonly counters = { messages: 0, reconnects: 0, staleReplacements: 0, rotations: 0, oversizedFrames: 0, undecodableFrames: 0 };
  private lastMessageAt: number | undefined;
  /** Why the last attempt failed, for the reconnect log line (a DNS or TLS error says what to fix). */
  private lastError: unknown;
  private readonly onAbort = (): void => void this.stop();

  constructor(options: ReconnectingWebSocketOptions) {
    super();
    this.options = options;
    this.createSocket = options.createSocket ?? defaultFactory;
  }

  /** Current lifecycle state. */
  get state(): WsState {
    return this.current;
  }

  /**
   * Start connecting. Resolves once the first connection is open and its `onOpen` hook has run, or
   * when the client is stopped first. Never rejects for connection failures: they are retried.
   */
  start(): Promise<void> {
    if (this.current === 'idle') {
      if (this.options.signal?.aborted) return this.stop();
      this.options.signal?.addEventListener('abort', this.onAbort, { once: true });
      this.current = 'connecting';
      this.connect(false);
    }
    return this.opened();
  }

  /** Resolves when a connection is open (at once if one is), or when the client stops. */
  opened(): Promise<void> {
    if (this.current === 'open' || this.current === 'stopped') return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Send on the current connection (objects are JSON-encoded). False when no connection is open. */
  send(data: string | object): boolean {
    return this.primary?.send(encode(data)) ?? false;
  }

  /** State and counters for health reports. */
  stats(): WsStats {
    return {
      state: this.current,
      lastMessageAt: this.lastMessageAt,
      connectedSince: this.primary?.openedAt,
      ...this.counters,
      ...(this.lastError !== undefined && this.current !== 'open' ? { lastFailure: failureText(this.lastError, 'cannot connect') } : {}),
    };
  }

  /**
   * Close every connection and timer. Safe to call twice. Sockets are closed politely and terminated
   * if they have not closed after a second, so no timer outlives the returned promise by long.
   */
  async stop(): Promise<void> {
    if (this.current === 'stopped') return;
    this.current = 'stopped';
    this.options.signal?.removeEventListener('abort', this.onAbort);
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const closing = [...this.connections].map((connection) => this.closeAndWait(connection));
    this.flushWaiters();
    await Promise.all(closing);
    this.primary = this.pending = undefined;
  }

  // ----- internals ---------------------------------------------------------------------------------

  private get name(): string {
    return this.options.name ?? this.resolveUrl();
  }

  private resolveUrl(): string {
    return typeof this.options.url === 'function' ? this.options.url() : this.options.url;
  }

  private connect(rotation: boolean): void {
    if (this.current === 'stopped' || this.pending) return;
    const url = this.resolveUrl();
    const staleAfter = this.options.staleAfter ?? 60_000;
    const timing = {
      staleAfter,
      probeAfter: this.options.probeAfter ?? (staleAfter === false ? false : Math.floor(staleAfter / 2)),
      maxAge: this.options.maxConnectionAge ?? false,
      heartbeat: this.options.heartbeat,
      pingInterval: this.options.pingInterval ?? false,
      inflate: this.options.binaryFrames === 'gzip',
      maxFrameBytes: this.maxFrameBytes,
    };
    const socket = this.createSocket(url, {
      handshakeTimeout: this.connectTimeout,
      maxPayload: this.maxFrameBytes,
      ...(this.options.headers ? { headers: this.options.headers } : {}),
    });
    const connection = new Connection(this.nextId++, url, socket, timing, this.hooks);
    this.connections.add(connection);
    this.pending = connection;
    this.options.logger?.debug({ ws: this.name, connection: connection.id, rotation }, 'websocket connecting');
  }

  private get maxFrameBytes(): number {
    return this.options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  private get connectTimeout(): number {
    return this.options.connectTimeout ?? 10_000;
  }

  private readonly hooks: ConnectionHooks = {
    open: (connection) => void this.handleOpen(connection),
    message: (connection, data, receivedAt) => {
      // A frame proves the server accepts us: the next failure starts the backoff from the bottom again.
      this.attempt = 0;
      this.lastMessageAt = receivedAt;
      this.counters.messages += 1;
      this.options.onMessage(data, { receivedAt, connectionId: connection.id });
    },
    close: (connection, code, reason) => this.handleClose(connection, code, reason),
    error: (connection, error) => {
      if (error instanceof FrameInflateError) {
        if (error.tooLarge) {
          this.counters.oversizedFrames += 1;
          this.options.onOversized?.({ maxFrameBytes: this.maxFrameBytes });
        } else {
          this.counters.undecodableFrames += 1;
        }
        this.options.logger?.warn(
          { ws: this.name, connection: connection.id, maxFrameBytes: this.maxFrameBytes, err: error.message },
          `${this.name}: dropped a binary frame: ${error.message}`,
        );
        return;
      }
      if ((error as { code?: unknown }).code === TOO_LARGE) {
        this.counters.oversizedFrames += 1;
        this.options.logger?.warn(
          { ws: this.name, connection: connection.id, maxFrameBytes: this.maxFrameBytes, oversizedFrames: this.counters.oversizedFrames },
          `${this.name}: dropped a frame larger than maxFrameBytes (${this.maxFrameBytes} bytes) unread; reconnecting`,
        );
        this.options.onOversized?.({ maxFrameBytes: this.maxFrameBytes });
      } else {
        this.lastError = error;
      }
      this.options.logger?.debug({ ws: this.name, connection: connection.id, err: error.message }, 'websocket error');
      if (this.listenerCount('error') > 0) this.emit('error', error);
    },
    stale: (connection, idle) => {
      this.counters.staleReplacements += 1;
      this.options.logger?.warn(
        { ws: this.name, connection: connection.id, idleMs: idle },
        'websocket silent for too long; replacing it',
      );
      this.emit('stale', { connectionId: connection.id, idle });
      connection.terminate();
    },
    aged: (connection) => {
      if (connection !== this.primary || this.current === 'stopped') return;
      connection.retiring = true;
      this.counters.rotations += 1;
      this.options.logger?.info({ ws: this.name, connection: connection.id }, 'websocket reached its maximum age; rotating');
      this.emit('rotate', { connectionId: connection.id });
      this.connect(true);
    },
  };

  private async handleOpen(connection: Connection): Promise<void> {
    try {
      await this.runOnOpen(connection);
    } catch (error) {
      this.options.logger?.warn(
        { ws: this.name, connection: connection.id, err: error instanceof Error ? error.message : String(error) },
        'websocket subscribe hook failed; reconnecting',
      );
      connection.terminate();
      return;
    }
    if (this.current === 'stopped' || !connection.isOpen) return;
    if (this.pending === connection) this.pending = undefined;
    const previous = this.primary;
    this.primary = connection;
    this.current = 'open';
    this.lastError = undefined;
    const rotation = previous !== undefined && previous !== connection;
    if (previous && rotation) this.retire(previous);
    this.options.logger?.info({ ws: this.name, connection: connection.id, rotation }, 'websocket open');
    this.emit('open', { connectionId: connection.id, url: connection.url, rotation });
    this.flushWaiters();
  }

  private async runOnOpen(connection: Connection): Promise<void> {
    const hook = this.options.onOpen;
    if (!hook) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`onOpen did not finish within ${this.connectTimeout} ms`)), this.connectTimeout);
    });
    try {
      await Promise.race([Promise.resolve(hook(connection)), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Keeps the old connection for the overlap (both deliver frames; ids dedupe), then closes it. */
  private retire(connection: Connection): void {
    connection.retiring = true;
    connection.closeAfter(this.options.rotationOverlap ?? 5_000, 'rotated');
  }

  private handleClose(connection: Connection, code: number, reason: string): void {
    this.connections.delete(connection);
    this.emit('close', { connectionId: connection.id, code, reason });
    if (this.current === 'stopped') return;
    const wasPending = this.pending === connection;
    if (wasPending) this.pending = undefined;
    if (this.primary === connection) {
      this.primary = undefined;
      this.options.logger?.warn({ ws: this.name, connection: connection.id, code, reason }, 'websocket closed');
    } else if (!wasPending) {
      return; // a retired connection closed after its successor took over
    }
    if (this.primary === undefined) this.current = 'reconnecting';
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.current === 'stopped' || this.retryTimer || this.pending) return;
    if (this.primary && !this.primary.retiring) return;
    const delay = backoffDelay(this.attempt, this.options.backoff, this.options.random);
    this.attempt += 1;
    this.counters.reconnects += 1;
    this.emit('reconnect', { attempt: this.attempt, delay });
    const logger = this.options.logger;
    if (logger && this.lastError !== undefined) {
      // Offline this repeats every retry: one warn line (host, cause, next try), the stack at debug.
      logFailure(logger, { subject: this.name, action: 'cannot connect', host: hostOf(this.resolveUrl()), error: this.lastError, retryInMs: delay, unexpectedLevel: 'warn' });
    } else {
      logger?.info({ ws: this.name, attempt: this.attempt, delayMs: delay }, 'websocket reconnecting');
    }
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect(this.primary !== undefined);
    }, delay);
  }

  private closeAndWait(connection: Connection): Promise<void> {
    return new Promise((resolve) => {
      if (!this.connections.has(connection)) return resolve();
      const timer = setTimeout(() => connection.terminate(), 1_000);
      const onClose = (info: { connectionId: number }): void => {
        if (info.connectionId !== connection.id) return;
        clearTimeout(timer);
        this.off('close', onClose);
        resolve();
      };
      this.on('close', onClose);
      connection.close('client stopping');
    });
  }

  private flushWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** The host of a URL, for log lines (never the path or query, which may carry a key). */
function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
