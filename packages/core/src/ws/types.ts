/** Options, stats and events of the reconnecting WebSocket client. */
import type { Logger } from '../logger.js';
import type { BackoffOptions } from './backoff.js';

/**
 * The part of a `ws` WebSocket the client uses. Lets tests drive the client with a fake socket under
 * fake timers; in production it is always a `ws` WebSocket.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string, callback?: (error?: Error) => void): void;
  ping(): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'open', listener: () => void): unknown;
  on(event: 'message', listener: (data: unknown, isBinary: boolean) => void): unknown;
  on(event: 'ping' | 'pong', listener: (data: Buffer) => void): unknown;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeAllListeners(): unknown;
}

/** Creates a socket for a URL. */
export type SocketFactory = (
  url: string,
  options: { handshakeTimeout: number; maxPayload: number; headers?: Readonly<Record<string, string>> },
) => WebSocketLike;

/** One live connection as the `onOpen` hook sees it. */
export interface WsConnection {
  /** Increasing number of this connection within the client (1, 2, ...). */
  readonly id: number;
  /** The URL it connected to. */
  readonly url: string;
  /** Send a text frame on THIS connection (objects are JSON-encoded). False when it is not open. */
  send(data: string | object): boolean;
}

/** Application-level heartbeat, for exchanges that want a JSON ping (Bybit: `{"op":"ping"}` every 20 s). */
export interface HeartbeatOptions {
  /** Time between two heartbeats on each open connection, in ms. */
  interval: number;
  /** The message to send (objects are JSON-encoded). A function is called for every heartbeat. */
  message: string | object | (() => string | object);
  /**
   * Recognises the server's reply (`{"op":"pong"}`). Matching frames count as liveness and are NOT
   * passed to `onMessage`. Without it, any frame counts as liveness anyway.
   */
  isReply?: (data: string) => boolean;
}

/** Options of {@link ReconnectingWebSocket}. Durations are milliseconds. */
export interface ReconnectingWebSocketOptions {
  /** URL to connect to; a function is called before every connection attempt. */
  url: string | (() => string);
  /** Name used in logs, e.g. `binance/usdm`. @default the URL */
  name?: string;
  /** Receives every text frame (after heartbeat replies are filtered out). Must not throw. */
  onMessage: (data: string, info: { receivedAt: number; connectionId: number }) => void;
  /**
   * Runs on every (re)connect before the connection is used: send subscribe messages here with
   * `connection.send`. May return a promise; if it rejects or takes longer than `connectTimeout`,
   * the connection is dropped and retried.
   */
  onOpen?: (connection: WsConnection) => void | Promise<void>;
  /**
   * HTTP headers of the upgrade request, sent on every connection (Gate's `X-Gate-Size-Decimal: 1`
   * asks for decimal sizes). Not for secrets: header values may appear in debug logs of proxies.
   * @default none
   */
  headers?: Readonly<Record<string, string>>;
  /** Reconnect delays. @default {@link BACKOFF_DEFAULTS} */
  backoff?: BackoffOptions;
  /** Give up on a connection attempt (TCP + TLS + upgrade + onOpen) after this long. @default 10000 (ms) */
  connectTimeout?: number;
  /**
   * A connection that received nothing (no frame, no pong, no ping) for this long is replaced.
   * `false` disables. @default 60000 (ms)
   */
  staleAfter?: number | false;
  /**
   * When a connection has been quiet this long, send a WebSocket ping to prove it alive before it
   * counts as stale. `false` disables probing. @default half of `staleAfter`
   */
  probeAfter?: number | false;
  /**
   * Open a fresh connection once a connection reaches this age, then close the old one after
   * `rotationOverlap` (Binance cuts connections at 24 h). `false` disables. @default false
   */
  maxConnectionAge?: number | false;
  /** How long the old and the new connection both run during a rotation. @default 5000 (ms) */
  rotationOverlap?: number;
  /** Application-level heartbeat. @default none */
  heartbeat?: HeartbeatOptions;
  /**
   * Send a WebSocket (protocol) ping on every open connection this often, in ms, whatever the traffic.
   * For venues that count only client pings as keepalive and cut a client that sent none for a while
   * even while they stream frames to it (Kraken Futures: "a ping request at least every 60 seconds");
   * `probeAfter` pings only a quiet connection. `false` disables. @default false
   */
  pingInterval?: number | false;
  /**
   * Largest frame accepted, in bytes. A larger frame is never read whole: the socket refuses it after
   * this many bytes (close code 1009), the frame is dropped and counted (`oversizedFrames`), and the
   * client reconnects with backoff. A WebSocket message cannot be skipped without reading it, and
   * reading it is the memory a hostile server is after. Sources pass `context.maxFrameBytes`.
   * @default 1048576 (1 MiB)
   */
  maxFrameBytes?: number;
  /**
   * How binary frames become the text `onMessage` gets. `'utf8'` reads them as UTF-8; `'gzip'` inflates
   * them first (HTX sends every frame, pings and acks included, gzip-compressed). The inflated text is
   * limited to `maxFrameBytes` too, since a small compressed frame can inflate to gigabytes: a frame
   * over it, or one that is not gzip, is dropped and counted (`oversizedFrames`, `undecodableFrames`)
   * without a reconnect. Text frames are passed on as they are either way. @default 'utf8'
   */
  binaryFrames?: 'utf8' | 'gzip';
  /** Called once per frame dropped for its size (sources count it in health). */
  onOversized?: (info: { maxFrameBytes: number }) => void;
  /** Stops the client when aborted. */
  signal?: AbortSignal;
  /** Where connection events are logged (debug/info/warn). @default silent */
  logger?: Logger;
  /** Socket factory, for tests. @default a `ws` WebSocket */
  createSocket?: SocketFactory;
  /** Randomness for jitter, for tests. @default Math.random */
  random?: () => number;
}

/** Lifecycle of the client. */
export type WsState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'stopped';

/** Counters and state for health reports. */
export interface WsStats {
  state: WsState;
  /** Local time of the last frame received (any connection), ms since epoch. */
  lastMessageAt: number | undefined;
  /** Since when the current primary connection is open, ms since epoch. */
  connectedSince: number | undefined;
  /** Frames passed to `onMessage`. */
  messages: number;
  /** Connection attempts after a lost or failed connection (rotations not included). */
  reconnects: number;
  /** Connections replaced because they went silent past `staleAfter`. */
  staleReplacements: number;
  /** Planned rotations started because a connection reached `maxConnectionAge`. */
  rotations: number;
  /** Frames refused for being larger than `maxFrameBytes` (each cost a reconnect, except a gzip frame too large once inflated). */
  oversizedFrames: number;
  /** Binary frames dropped because they could not be inflated (`binaryFrames: 'gzip'`). */
  undecodableFrames: number;
  /**
   * Why the last connection attempt failed, in a few words (`cannot connect: ENOTFOUND`); absent
   * while connected or before any failure.
   */
  lastFailure?: string;
}

/** Events emitted by {@link ReconnectingWebSocket} (eventemitter3). */
export interface WsEvents {
  /** A connection opened and its `onOpen` hook completed. */
  open: (info: { connectionId: number; url: string; rotation: boolean }) => void;
  /** A connection closed (for any reason). */
  close: (info: { connectionId: number; code: number; reason: string }) => void;
  /** A reconnect is scheduled after `delay` ms. */
  reconnect: (info: { attempt: number; delay: number }) => void;
  /** A connection was silent for `idle` ms and is being replaced. */
  stale: (info: { connectionId: number; idle: number }) => void;
  /** A connection reached its maximum age; a successor is being opened. */
  rotate: (info: { connectionId: number }) => void;
  /** A socket error (the client handles it; this is for logging and tests). */
  error: (error: Error) => void;
}
