/**
 * One socket and its timers: the liveness watchdog (probe with a WebSocket ping when quiet, declare
 * stale when silent too long), the application heartbeat and the age limit. The client decides what
 * to do about each event; this class only observes and reports.
 */
import { gunzipSync } from 'node:zlib';
import type { HeartbeatOptions, WebSocketLike, WsConnection } from './types.js';

const OPEN = 1;

/** Callbacks from a connection to its client. */
export interface ConnectionHooks {
  open(connection: Connection): void;
  message(connection: Connection, data: string, receivedAt: number): void;
  close(connection: Connection, code: number, reason: string): void;
  error(connection: Connection, error: Error): void;
  stale(connection: Connection, idle: number): void;
  aged(connection: Connection): void;
}

/** Timing of one connection; durations in ms, `false` = off. */
export interface ConnectionTiming {
  staleAfter: number | false;
  probeAfter: number | false;
  maxAge: number | false;
  heartbeat: HeartbeatOptions | undefined;
  /** WebSocket ping on a schedule, whatever the traffic; `false` = off. */
  pingInterval: number | false;
  /** Inflate binary frames (gzip) before reading them as text. */
  inflate?: boolean;
  /** Limit of an inflated frame, in bytes. */
  maxFrameBytes?: number;
}

/** What the connection reports when a gzip frame cannot become text: too large once inflated, or not gzip. */
export class FrameInflateError extends Error {
  constructor(
    readonly tooLarge: boolean,
    options: { cause: unknown },
  ) {
    super(tooLarge ? 'a gzip frame inflates beyond maxFrameBytes' : 'a binary frame is not valid gzip', options);
    this.name = 'FrameInflateError';
  }
}

/** Converts what `ws` hands to a 'message' listener to text. */
function toText(data: unknown): string {
  if (typeof data === 'string') return data;
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return String(data);
}

/** Inflates a gzip frame to text, refusing more than `maxBytes` of output (zlib stops there). */
function inflateText(data: unknown, maxBytes: number | undefined): string {
  const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data as Buffer[]) : data instanceof ArrayBuffer ? Buffer.from(data) : Buffer.from(String(data));
  return gunzipSync(bytes, maxBytes === undefined ? {} : { maxOutputLength: maxBytes }).toString('utf8');
}

/** Encodes an outgoing message. */
export function encode(data: string | object): string {
  return typeof data === 'string' ? data : JSON.stringify(data);
}

/** A socket plus its watchdog, heartbeat and age timers. Internal to the client. */
export class Connection implements WsConnection {
  openedAt: number | undefined;
  /** Last time anything came in: frame, pong or ping. Starts at creation so a hung upgrade is caught too. */
  lastActivityAt: number;
  /** Set when a successor has been asked for; the client closes this one once the successor is up. */
  retiring = false;
  private probed = false;
  private closed = false;
  private watchdog: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private ageTimer: NodeJS.Timeout | undefined;
  private closeTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly id: number,
    readonly url: string,
    private readonly socket: WebSocketLike,
    private readonly timing: ConnectionTiming,
    private readonly hooks: ConnectionHooks,
  ) {
    this.lastActivityAt = Date.now();
    socket.on('open', () => this.handleOpen());
    socket.on('message', (data: unknown, isBinary: boolean) => this.handleMessage(data, isBinary));
    socket.on('pong', () => this.touch());
    socket.on('ping', () => this.touch());
    socket.on('error', (error: Error) => this.hooks.error(this, error));
    socket.on('close', (code: number, reason: Buffer) => this.handleClose(code, toText(reason)));
  }

  /** True while the socket is open. */
  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === OPEN;
  }

  send(data: string | object): boolean {
    if (!this.isOpen) return false;
    this.socket.send(encode(data), (error) => {
      if (error) this.hooks.error(this, error);
    });
    return true;
  }

  /** Polite close (code 1000). The 'close' event follows. */
  close(reason = 'client closing'): void {
    if (this.closed) return;
    this.socket.close(1000, reason);
  }

  /** Close politely after `delay` ms (the overlap of a rotation); cancelled if it closes first. */
  closeAfter(delay: number, reason: string): void {
    if (this.closed || this.closeTimer) return;
    this.closeTimer = setTimeout(() => this.close(reason), delay);
  }

  /** Drop the socket at once, without a closing handshake (for stale sockets and shutdown). */
  terminate(): void {
    if (this.closed) return;
    this.socket.terminate();
  }

  /** Stops every timer and detaches from the socket. Idempotent. */
  dispose(): void {
    this.closed = true;
    clearTimeout(this.watchdog);
    clearInterval(this.heartbeatTimer);
    clearInterval(this.pingTimer);
    clearTimeout(this.ageTimer);
    clearTimeout(this.closeTimer);
    this.watchdog = this.heartbeatTimer = this.pingTimer = this.ageTimer = this.closeTimer = undefined;
  }

  private handleOpen(): void {
    if (this.closed) return;
    this.openedAt = Date.now();
    this.touch();
    const { heartbeat, maxAge, pingInterval } = this.timing;
    if (pingInterval !== false) {
      this.pingTimer = setInterval(() => {
        if (this.isOpen) this.socket.ping();
      }, pingInterval);
    }
    if (heartbeat) {
      this.heartbeatTimer = setInterval(() => {
        const message = typeof heartbeat.message === 'function' ? heartbeat.message() : heartbeat.message;
        this.send(message);
      }, heartbeat.interval);
    }
    if (maxAge !== false) this.ageTimer = setTimeout(() => this.hooks.aged(this), maxAge);
    this.hooks.open(this);
  }

  private handleMessage(data: unknown, isBinary: boolean): void {
    if (this.closed) return;
    const receivedAt = Date.now();
    this.touch(receivedAt);
    let text: string;
    if (isBinary && this.timing.inflate) {
      try {
        text = inflateText(data, this.timing.maxFrameBytes);
      } catch (error) {
        // The socket is fine: only this frame is lost, so no reconnect.
        this.hooks.error(this, new FrameInflateError((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE', { cause: error }));
        return;
      }
    } else {
      text = toText(data);
    }
    if (this.timing.heartbeat?.isReply?.(text)) return;
    this.hooks.message(this, text, receivedAt);
  }

  private handleClose(code: number, reason: string): void {
    if (this.closed) return;
    this.dispose();
    this.socket.removeAllListeners();
    // A late 'error' after close must not become an unhandled 'error' event on the socket.
    this.socket.on('error', () => undefined);
    this.hooks.close(this, code, reason);
  }

  /**
   * Records activity. The watchdog is not re-armed per frame (that would cost a timer per message);
   * it fires at the old deadline, sees newer activity and re-arms itself for the new deadline.
   */
  private touch(now = Date.now()): void {
    this.lastActivityAt = now;
    this.probed = false;
    if (!this.watchdog && !this.closed) this.arm();
  }

  private arm(): void {
    const { staleAfter, probeAfter } = this.timing;
    if (staleAfter === false && probeAfter === false) return;
    const probeAt = probeAfter !== false && !this.probed ? this.lastActivityAt + probeAfter : Infinity;
    const staleAt = staleAfter !== false ? this.lastActivityAt + staleAfter : Infinity;
    const at = Math.min(probeAt, staleAt);
    if (at === Infinity) return;
    this.watchdog = setTimeout(() => this.check(), Math.max(0, at - Date.now()));
  }

  private check(): void {
    this.watchdog = undefined;
    if (this.closed) return;
    const { staleAfter, probeAfter } = this.timing;
    const idle = Date.now() - this.lastActivityAt;
    if (staleAfter !== false && idle >= staleAfter) {
      this.hooks.stale(this, idle);
      return;
    }
    if (probeAfter !== false && !this.probed && idle >= probeAfter && this.isOpen) {
      this.probed = true;
      this.socket.ping();
    }
    this.arm();
  }
}
