/**
 * A generic HTTP endpoint for sink tests: listens on 127.0.0.1 (a free port), records every request
 * (method, path, headers, body) and answers what the test scripts: a status, a body, a `Retry-After`,
 * a delay, or a dropped connection. Any path and method is accepted, so one receiver stands in for a
 * webhook receiver, Slack, ntfy or a chat API. Always `close()` it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver got it. */
export interface ReceivedRequest {
  method: string;
  /** Path with the query string, e.g. `/hooks/abc?x=1`. */
  path: string;
  /** Header names in lower case; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** The raw body as UTF-8 text. */
  body: string;
  /** Local time the body had arrived, ms since epoch. */
  receivedAt: number;
  /** The status answered, `dropped` for a cut connection, `pending` while delayed. */
  outcome: number | 'dropped' | 'pending';
}

/** How the receiver answers one request. */
export interface ReceiverAnswer {
  /** @default 200 */
  status?: number;
  /** Extra response headers. */
  headers?: Record<string, string>;
  /** Response body: a string as is, anything else as JSON. @default empty */
  body?: unknown;
  /** Sets `Retry-After` (a number: seconds; a string: as written, e.g. an HTTP date). */
  retryAfter?: number | string;
  /** Answer only after this long (the client may give up first). @default 0 */
  delayMs?: number;
  /** Cut the connection without any answer (after `delayMs`): a network error for the client. */
  drop?: boolean;
}

/** A fixed answer, or one chosen per request. */
export type ReceiverReply = ReceiverAnswer | ((request: ReceivedRequest) => ReceiverAnswer);

/** Options of {@link FakeHttpReceiver.start}. */
export interface FakeHttpReceiverOptions {
  /** The answer when nothing is queued. @default `{ status: 200 }` with an empty body */
  answer?: ReceiverReply;
}

/** The receiver. */
export class FakeHttpReceiver {
  /** Every request, in arrival order. */
  readonly requests: ReceivedRequest[] = [];
  private readonly queued: ReceiverReply[] = [];
  private fallback: ReceiverReply;
  private readonly waiters = new Set<() => void>();
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly http: Server,
    options: FakeHttpReceiverOptions,
  ) {
    this.fallback = options.answer ?? {};
  }

  /** Start listening on 127.0.0.1, port 0. */
  static async start(options: FakeHttpReceiverOptions = {}): Promise<FakeHttpReceiver> {
    const http = createServer();
    const receiver = new FakeHttpReceiver(http, options);
    http.on('request', (req, res) => void receiver.serve(req, res));
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(0, '127.0.0.1', resolve);
    });
    return receiver;
  }

  /** `http://127.0.0.1:PORT`, no trailing slash; append any path. */
  get url(): string {
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  /** Answer the next requests with these, in order (then the default answer again). */
  answerNext(...answers: ReceiverReply[]): void {
    this.queued.push(...answers);
  }

  /** Change the default answer (queued ones still go first). */
  answerAlways(answer: ReceiverReply): void {
    this.fallback = answer;
  }

  /** Resolves with the requests once at least `count` have arrived; rejects after `timeoutMs`. */
  waitForRequests(count: number, timeoutMs = 10_000): Promise<ReceivedRequest[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.requests.length < count) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(this.requests);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`the fake HTTP receiver got ${this.requests.length} of ${count} request(s) in ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** Forget the recorded requests and queued answers. */
  reset(): void {
    this.requests.length = 0;
    this.queued.length = 0;
  }

  /** Stop listening, cut every connection, cancel delayed answers. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      return; // the client went away mid-body
    }
    const request: ReceivedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: headersOf(req),
      body: Buffer.concat(chunks).toString('utf8'),
      receivedAt: Date.now(),
      outcome: 'pending',
    };
    this.requests.push(request);
    const reply = this.queued.shift() ?? this.fallback;
    const answer = typeof reply === 'function' ? reply(request) : reply;
    for (const check of [...this.waiters]) check();
    if (answer.delayMs) await this.delay(answer.delayMs);
    if (answer.drop) {
      request.outcome = 'dropped';
      req.socket.destroy();
      return;
    }
    if (res.destroyed) return;
    const body = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    const headers: Record<string, string> = {
      ...(body ? { 'content-type': typeof answer.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json' } : {}),
      ...(answer.retryAfter === undefined ? {} : { 'retry-after': String(answer.retryAfter) }),
      ...answer.headers,
    };
    request.outcome = answer.status ?? 200;
    res.writeHead(request.outcome, headers);
    res.end(body);
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
