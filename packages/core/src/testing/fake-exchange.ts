/**
 * A local stand-in for an exchange: a WebSocket server and a JSON REST server on one 127.0.0.1 port.
 * Tests push frames to connected clients, drop every connection, make the server go silent (no frames,
 * no pongs) and read what clients sent. Generic: exchange specifics (paths, acks, REST bodies) are
 * configured by the test or by a small per-exchange preset in the plugin's tests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

/** One client connected to the fake. */
export interface FakeClient {
  /** Connection number, 1-based, in order of arrival. */
  readonly id: number;
  /** Request path with query, e.g. `/market/stream?streams=!forceOrder@arr`. */
  readonly path: string;
  /** Headers of the client's upgrade request, names in lower case (`x-gate-size-decimal`). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Text messages this client sent, in order. */
  readonly received: string[];
  /** Send a frame to this client (objects are JSON-encoded). Ignored while the fake is silent. */
  send(data: string | object): void;
  /**
   * Send many frames in one write: the TCP socket is corked around them, so they reach the client
   * back to back, as a burst from a busy exchange does. Ignored while the fake is silent.
   */
  sendBurst(frames: readonly (string | object)[]): void;
  /** Close with a closing handshake. */
  close(code?: number, reason?: string): void;
  /** Cut the TCP connection without a closing handshake. */
  terminate(): void;
}

/** A REST reply: a JSON body, or status + body. */
export type RestReply = unknown | { status: number; body: unknown };
/** REST route: a fixed reply or a function of the request URL. */
export type RestRoute = RestReply | ((url: URL) => RestReply);

/** Which clients a push goes to: all, those whose path starts with a string, matches a RegExp, or a predicate. */
export type ClientFilter = string | RegExp | ((client: FakeClient) => boolean);

/** Options of {@link FakeExchangeServer.start}. */
export interface FakeExchangeOptions {
  /** Accept WebSocket upgrades on these paths only; others get HTTP 404. @default every path */
  acceptPath?: (path: string) => boolean;
  /** Answer WebSocket pings with pongs. @default true */
  answerPings?: boolean;
  /** Called for every text message a client sends (to ack subscriptions, answer app pings...). */
  onClientMessage?: (client: FakeClient, data: string) => void;
  /** Called when a client connects (after it is listed in `clients`). */
  onConnection?: (client: FakeClient) => void;
  /** REST routes by pathname (query ignored), e.g. `{ '/fapi/v1/exchangeInfo': {...} }`. */
  rest?: Record<string, RestRoute>;
  /**
   * Close a client that sent nothing (no text message, no ping, no pong) for this long, in ms, as real
   * venues cut idle connections (Bybit about 10 minutes without a ping, Binance without a pong).
   * Frames the fake sends do not count: only what the client sends keeps it alive. @default off
   */
  idleTimeout?: number;
  /**
   * How a frame goes on the wire: return a string for a text frame or a Buffer for a binary one (HTX
   * sends every frame gzip-compressed: `(text) => gzipSync(text)`). Applies to every frame the fake
   * sends, pushed or sent from `onClientMessage`. @default text frames as given
   */
  encodeFrame?: (text: string) => string | Buffer;
  /**
   * Send each client a WebSocket ping this often, in ms, as venues that keep connections alive from the
   * server side do (dYdX's indexer pings every 30 s and expects a pong within 10 s). A client's pong
   * counts as activity for the idle cut, so a client that answers pings is never cut. Not sent while
   * silent. @default off
   */
  pingInterval?: number;
}

const isReply = (value: unknown): value is { status: number; body: unknown } =>
  typeof value === 'object' && value !== null && 'status' in value && 'body' in value && Object.keys(value).length === 2;

/** The fake exchange. Create with {@link FakeExchangeServer.start}; always `close()` it. */
export class FakeExchangeServer {
  /** Clients connected right now. */
  readonly clients = new Set<FakeClient>();
  /** Every WebSocket path ever connected, in order (one entry per connection). */
  readonly connections: string[] = [];
  /** Every REST request path with query, in order. */
  readonly restRequests: string[] = [];
  /** Clients closed by the idle cut ({@link FakeExchangeOptions.idleTimeout}), by connection number. */
  readonly idleCuts: number[] = [];
  private silent = false;
  private pings: boolean;
  private idleTimeout: number | undefined;
  private readonly rest = new Map<string, RestRoute>();
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly http: Server,
    private readonly wss: WebSocketServer,
    private readonly options: FakeExchangeOptions,
  ) {
    this.pings = options.answerPings ?? true;
    this.idleTimeout = options.idleTimeout;
    for (const [path, route] of Object.entries(options.rest ?? {})) this.rest.set(path, route);
  }

  /** Start on 127.0.0.1 with a free port. */
  static async start(options: FakeExchangeOptions = {}): Promise<FakeExchangeServer> {
    const http = createServer();
    // autoPong off: the fake decides itself whether to answer pings (a silent exchange does not).
    const wss = new WebSocketServer({ noServer: true, autoPong: false });
    const fake = new FakeExchangeServer(http, wss, options);
    http.on('request', (req, res) => fake.serveRest(req, res));
    http.on('upgrade', (req, socket, head) => {
      // Node's http server stops watching a socket once it is upgraded: a client that resets it
      // (e.g. after the 404 below) would otherwise be an uncaught ECONNRESET in the test process.
      socket.on('error', () => {});
      const path = req.url ?? '/';
      if (options.acceptPath && !options.acceptPath(path)) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => fake.accept(ws, path, socket, req.headers));
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** `ws://127.0.0.1:<port>`: the WebSocket base URL to give a plugin. */
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** `http://127.0.0.1:<port>`: the REST base URL to give a plugin. */
  get httpUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The port the fake listens on. */
  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  /** True while the fake is silent. */
  get isSilent(): boolean {
    return this.silent;
  }

  /** Send a frame to connected clients (all, or those matching `to`). Returns how many got it. */
  push(data: string | object, to?: ClientFilter): number {
    if (this.silent) return 0;
    let count = 0;
    for (const client of this.match(to)) {
      client.send(data);
      count += 1;
    }
    return count;
  }

  /**
   * Send many frames to connected clients, in one write per client ({@link FakeClient.sendBurst}).
   * Pushing a burst frame by frame costs one system call per frame, so the fake, not the client, would
   * set the pace. Returns how many clients got the burst.
   */
  pushBurst(frames: readonly (string | object)[], to?: ClientFilter): number {
    if (this.silent) return 0;
    const clients = this.match(to);
    for (const client of clients) client.sendBurst(frames);
    return clients.length;
  }

  /** Connected clients matching a filter. */
  match(to?: ClientFilter): FakeClient[] {
    const all = [...this.clients];
    if (to === undefined) return all;
    if (typeof to === 'string') return all.filter((client) => client.path.startsWith(to));
    if (to instanceof RegExp) return all.filter((client) => to.test(client.path));
    return all.filter(to);
  }

  /** Cut every connection (as a network failure or an exchange restart would). */
  dropAll(options: { graceful?: boolean } = {}): void {
    for (const client of this.clients) {
      if (options.graceful) client.close(1001, 'going away');
      else client.terminate();
    }
  }

  /** Stop sending frames and stop answering pings, keeping connections open (a deaf socket). */
  goSilent(): void {
    this.silent = true;
  }

  /** End silence. */
  resume(): void {
    this.silent = false;
  }

  /** Answer WebSocket pings or not (independently of silence). */
  answerPings(answer: boolean): void {
    this.pings = answer;
  }

  /**
   * Turn the idle cut on (ms) or off (undefined) for clients connecting from now on and for those
   * connected: each one's idle time counts from its last message, ping or pong.
   */
  setIdleTimeout(ms: number | undefined): void {
    this.idleTimeout = ms;
  }

  /** Set or replace a REST route. */
  setRest(path: string, route: RestRoute): void {
    this.rest.set(path, route);
  }

  /** Text messages clients sent, across all connections, in order. */
  get received(): { client: number; path: string; data: string }[] {
    return this.log;
  }

  private readonly log: { client: number; path: string; data: string }[] = [];

  /**
   * Resolves when `predicate` holds; checked after every connection, disconnection and client message.
   * Rejects after `timeout` ms (default 5000) with `message`.
   */
  waitFor(predicate: () => boolean, options: { timeout?: number; message?: string } = {}): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!predicate()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(options.message ?? 'FakeExchangeServer.waitFor timed out'));
      }, options.timeout ?? 5_000);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  /** Resolves once `count` clients (matching `to`) are connected at the same time. */
  waitForClients(count: number, to?: ClientFilter, timeout?: number): Promise<void> {
    return this.waitFor(() => this.match(to).length >= count, {
      timeout,
      message: `expected ${count} connected client(s) on the fake exchange, have ${this.match(to).length}`,
    });
  }

  /** Close every connection and the server. */
  async close(): Promise<void> {
    for (const client of this.clients) client.terminate();
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private accept(ws: WebSocket, path: string, socket: Duplex, headers: FakeClient['headers']): void {
    const send = (data: string | object): void => {
      if (this.silent || ws.readyState !== ws.OPEN) return;
      const text = typeof data === 'string' ? data : JSON.stringify(data);
      ws.send(this.options.encodeFrame ? this.options.encodeFrame(text) : text);
    };
    const client: FakeClient = {
      id: this.connections.push(path),
      path,
      headers,
      received: [],
      send,
      sendBurst: (frames) => {
        // ws corks the socket for each frame; corks nest, so everything goes out at the last uncork.
        socket.cork();
        for (const frame of frames) send(frame);
        socket.uncork();
      },
      close: (code, reason) => ws.close(code, reason),
      terminate: () => ws.terminate(),
    };
    this.clients.add(client);
    let lastHeard = Date.now();
    // Checked often enough that a cut comes within a tenth of the timeout of its due time.
    const idleTimer = setInterval(() => {
      if (this.idleTimeout === undefined || Date.now() - lastHeard < this.idleTimeout) return;
      this.idleCuts.push(client.id);
      ws.close(1000, 'idle timeout');
      clearInterval(idleTimer);
    }, Math.max(10, Math.min(250, (this.idleTimeout ?? 1_000) / 10)));
    idleTimer.unref();
    const pingTimer = this.options.pingInterval === undefined ? undefined : setInterval(() => {
      if (!this.silent && ws.readyState === ws.OPEN) ws.ping();
    }, this.options.pingInterval);
    pingTimer?.unref();
    ws.on('ping', (data) => {
      lastHeard = Date.now();
      if (this.pings && !this.silent) ws.pong(data);
    });
    ws.on('pong', () => {
      lastHeard = Date.now();
    });
    ws.on('message', (raw, isBinary) => {
      lastHeard = Date.now();
      if (isBinary) return;
      const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : Buffer.concat(raw as Buffer[]).toString('utf8');
      client.received.push(text);
      this.log.push({ client: client.id, path, data: text });
      this.options.onClientMessage?.(client, text);
      this.notify();
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      clearInterval(idleTimer);
      clearInterval(pingTimer);
      this.clients.delete(client);
      this.notify();
    });
    this.options.onConnection?.(client);
    this.notify();
  }

  private serveRest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.httpUrl);
    this.restRequests.push(url.pathname + url.search);
    const route = this.rest.get(url.pathname);
    const reply: RestReply =
      route === undefined ? { status: 404, body: { msg: `no route ${url.pathname}` } } : typeof route === 'function' ? route(url) : route;
    const { status, body } = isReply(reply) ? reply : { status: 200, body: reply };
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  }

  private notify(): void {
    for (const check of [...this.waiters]) check();
  }
}
