/**
 * A fake Discord for webhook sinks: `POST /api/webhooks/:id/:token` and `/api/v10/webhooks/:id/:token`
 * (`?wait=true`, `thread_id`) on 127.0.0.1. Like the real one (https://discord.com/developers/docs/resources/webhook#execute-webhook,
 * https://discord.com/developers/docs/topics/rate-limits, https://discord.com/developers/docs/reference#error-messages):
 * every message and embed limit is checked in code points and refused with `400` code 50035 and the
 * nested `errors` object; an unknown webhook is `404` code 10015, a wrong token `401` code 50027; every
 * answer carries `X-RateLimit-*` headers of the tightest bucket (by default 5 per 2 s per webhook and
 * 30 a minute per channel); a request over a bucket gets `429` whose body `retry_after` is in seconds
 * on versioned URLs but in milliseconds on unversioned ones (what Discord does for API v6 and older,
 * https://github.com/discord/discord-api-docs/issues/2360), with `Retry-After` in seconds. Tests script
 * failures (the next N requests, or every request for a while) and read the messages users would see;
 * a request to a webhook before the retry-after of its last 429 is counted as a violation.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isRecord, validateBody } from './fake-discord-validate.js';

/** A webhook the fake knows. */
export interface FakeDiscordWebhook {
  id: string;
  token: string;
}

/** A rate-limit bucket: `limit` requests per `windowMs`, the window starting at its first request. */
export interface FakeDiscordBucket {
  limit: number;
  windowMs: number;
  /** `user` (one per webhook, like Discord's webhook bucket) or `shared` (the channel's, for all webhooks). @default 'user' */
  scope?: 'user' | 'shared';
}

/** Options of {@link FakeDiscord.start}. */
export interface FakeDiscordOptions {
  /** @default one webhook, {@link FakeDiscord.DEFAULT_WEBHOOK} */
  webhooks?: FakeDiscordWebhook[];
  /** @default 5 per 2 s per webhook and 30 per minute for the channel */
  buckets?: FakeDiscordBucket[];
}

/** An embed as delivered (what the user sees). */
export interface FakeDiscordEmbed {
  title?: string;
  description?: string;
  color?: number;
  timestamp?: string;
  fields?: { name: string; value: string; inline?: boolean }[];
  footer?: { text: string };
  author?: { name: string };
}

/** A message the fake accepted. */
export interface FakeDiscordMessage {
  id: string;
  webhookId: string;
  threadId?: string;
  content?: string;
  embeds: FakeDiscordEmbed[];
  username?: string;
  avatarUrl?: string;
  /** The whole JSON body as sent. */
  body: Record<string, unknown>;
  receivedAt: number;
}

/** Every request, answered or not. */
export interface FakeDiscordRequest {
  method: string;
  /** API version from the path (`10`), or undefined for the unversioned `/api/webhooks/...`. */
  version: number | undefined;
  webhookId: string | undefined;
  query: Record<string, string>;
  status: number;
  receivedAt: number;
}

interface BucketState extends Required<FakeDiscordBucket> {
  count: number;
  resetAt: number;
  name: string;
}

/** A lasting scripted failure ({@link FakeDiscord.setFailure}). */
export type FakeDiscordFailure =
  /** `message`: the JSON error message to answer with instead of the usual one (e.g. a server echoing the request URL). */
  | { status: number; message?: string }
  | { status: 429; retryAfterMs: number; global?: boolean };

/** `retryAfterMs`: how long a 429 asks to wait (to count requests that do not). */
type Reply = { status: number; body?: unknown; headers?: Record<string, string>; text?: string; retryAfterMs?: number };

const ROUTE = /^\/api(?:\/v(\d+))?\/webhooks\/([^/]+)\/([^/]+)\/?$/;

/** The fake. Always `close()` it. */
export class FakeDiscord {
  /** The webhook started by default. */
  static readonly DEFAULT_WEBHOOK: FakeDiscordWebhook = { id: '112233445566778899', token: 'fAkE-wEbHoOk-ToKeN_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP' };
  readonly messages: FakeDiscordMessage[] = [];
  readonly requests: FakeDiscordRequest[] = [];
  private readonly webhooks = new Map<string, string>();
  private readonly bucketSpecs: Required<FakeDiscordBucket>[];
  private readonly buckets = new Map<string, BucketState>();
  private scripted: FakeDiscordFailure[] = [];
  private lasting: FakeDiscordFailure | undefined;
  /** Per webhook id: until when its last 429 asked the client to wait (epoch ms). */
  private readonly bannedUntil = new Map<string, number>();
  private violations = 0;
  private readonly waiters = new Set<() => void>();
  private nextId = 1_000_000_000_000_000_000n;

  private constructor(
    private readonly http: Server,
    options: FakeDiscordOptions,
  ) {
    for (const webhook of options.webhooks ?? [FakeDiscord.DEFAULT_WEBHOOK]) this.webhooks.set(webhook.id, webhook.token);
    this.bucketSpecs = (options.buckets ?? [{ limit: 5, windowMs: 2_000 }, { limit: 30, windowMs: 60_000, scope: 'shared' }]).map((b) => ({ scope: 'user', ...b }));
  }

  /** Start on 127.0.0.1 with a free port. */
  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const http = createServer();
    const fake = new FakeDiscord(http, options);
    http.on('request', (req, res) => void fake.serve(req, res));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** `http://127.0.0.1:PORT`. */
  get baseUrl(): string {
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  /** A webhook URL as the Discord app gives it (unversioned), or with `/v10` when `version` is given. */
  webhookUrl(options: { version?: number; webhook?: FakeDiscordWebhook } = {}): string {
    const { id, token } = options.webhook ?? [...this.webhooks].map(([i, t]) => ({ id: i, token: t }))[0] ?? FakeDiscord.DEFAULT_WEBHOOK;
    return `${this.baseUrl}/api${options.version ? `/v${options.version}` : ''}/webhooks/${id}/${token}`;
  }

  /**
   * The next `count` requests answer `status`: 400 a typical Invalid Form Body (an over-long title), 500 JSON like
   * Discord, 502/503/504 an HTML page like Cloudflare, others Discord's `{ message, code: 0 }`.
   */
  failNext(count: number, status = 500): void {
    for (let i = 0; i < count; i++) this.scripted.push({ status });
  }

  /** The next request gets a 429 asking to wait `retryAfterMs` (in the unit its URL's API version uses). */
  rateLimitNext(options: { retryAfterMs: number; global?: boolean }): void {
    this.scripted.push({ status: 429, retryAfterMs: options.retryAfterMs, global: options.global ?? false });
  }

  /**
   * Answer every request with `failure` from now on, until called with `undefined`: an outage or a rate
   * limit that lasts, whatever the client does ({@link failNext} and {@link rateLimitNext} go first).
   * A 429 is in the unit of the URL's API version, like {@link rateLimitNext}.
   */
  setFailure(failure: FakeDiscordFailure | undefined): void {
    this.lasting = failure;
  }

  /** Requests to a webhook that came before the retry-after of the last 429 it got (1 ms of slack). */
  get retryAfterViolations(): number {
    return this.violations;
  }

  /** Delete a webhook: later requests to it get 404 Unknown Webhook. */
  deleteWebhook(id: string): void {
    this.webhooks.delete(id);
  }

  /** Requests answered 429 so far. */
  get rateLimited(): number {
    return this.requests.filter((r) => r.status === 429).length;
  }

  /** Resolves once `count` messages were accepted; rejects after `timeoutMs`. */
  waitForMessages(count: number, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.messages.length < count) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`fake Discord got ${this.messages.length} of ${count} messages in ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** Stop listening and close every connection. */
  async close(): Promise<void> {
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const url = new URL(req.url ?? '/', this.baseUrl);
    const match = ROUTE.exec(url.pathname);
    const version = match?.[1] ? Number(match[1]) : undefined;
    const raw = await readBody(req);
    const webhook = match?.[2] ?? '';
    if (receivedAt < (this.bannedUntil.get(webhook) ?? 0) - 1) this.violations++;
    const reply = this.answer(req.method ?? 'GET', match, url, raw, receivedAt);
    if (reply.retryAfterMs !== undefined) this.bannedUntil.set(webhook, receivedAt + reply.retryAfterMs);
    this.requests.push({ method: req.method ?? 'GET', version, webhookId: match?.[2], query: Object.fromEntries(url.searchParams), status: reply.status, receivedAt });
    const body = reply.text ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
    const type = reply.text !== undefined ? 'text/html' : 'application/json';
    res.writeHead(reply.status, { ...(body ? { 'content-type': type } : {}), ...reply.headers });
    res.end(body);
    for (const check of [...this.waiters]) check();
  }

  private answer(method: string, match: RegExpExecArray | null, url: URL, raw: string, now: number): Reply {
    const versionText = match?.[1];
    const scripted = this.scripted.shift() ?? this.lasting;
    if (scripted) return scriptedReply(scripted, versionText !== undefined);
    if (!match) return { status: 404, body: { message: '404: Not Found', code: 0 } };
    if (method !== 'POST') return { status: 405, body: { message: '405: Method Not Allowed', code: 0 } };
    const [, , id = '', token] = match;
    const known = this.webhooks.get(id);
    if (known === undefined) return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
    if (known !== token) return { status: 401, body: { message: 'Invalid Webhook Token', code: 50027 } };
    const limited = this.takeBucket(id, now, versionText !== undefined);
    if (limited.status === 429) return limited;
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return { status: 400, body: { message: 'The request body contains invalid JSON.', code: 50109 }, headers: limited.headers };
    }
    const threadId = url.searchParams.get('thread_id') ?? undefined;
    const errors = isRecord(body) ? validateBody(body) : { _errors: [{ code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' }] };
    if (threadId !== undefined && !/^\d+$/.test(threadId)) errors.thread_id = { _errors: [{ code: 'NUMBER_TYPE_COERCE', message: `Value "${threadId}" is not snowflake.` }] };
    if (Object.keys(errors).length > 0) return { status: 400, body: { message: 'Invalid Form Body', code: 50035, errors }, headers: limited.headers };
    const record = body as Record<string, unknown>;
    if (!record.content && !(Array.isArray(record.embeds) && record.embeds.length > 0)) {
      return { status: 400, body: { message: 'Cannot send an empty message', code: 50006 }, headers: limited.headers };
    }
    const message = this.record(record, id, threadId, now);
    if (url.searchParams.get('wait') !== 'true') return { status: 204, headers: limited.headers };
    return { status: 200, body: { id: message.id, type: 0, channel_id: threadId ?? '1', webhook_id: id, content: message.content ?? '', embeds: message.embeds }, headers: limited.headers };
  }

  private record(body: Record<string, unknown>, webhookId: string, threadId: string | undefined, receivedAt: number): FakeDiscordMessage {
    const message: FakeDiscordMessage = {
      id: String(this.nextId++),
      webhookId,
      embeds: Array.isArray(body.embeds) ? (body.embeds as FakeDiscordEmbed[]) : [],
      body,
      receivedAt,
      ...(threadId !== undefined ? { threadId } : {}),
      ...(typeof body.content === 'string' ? { content: body.content } : {}),
      ...(typeof body.username === 'string' ? { username: body.username } : {}),
      ...(typeof body.avatar_url === 'string' ? { avatarUrl: body.avatar_url } : {}),
    };
    this.messages.push(message);
    return message;
  }

  /** Admit a request into every bucket, or answer 429 for the one that is full. */
  private takeBucket(webhookId: string, now: number, versioned: boolean): Reply {
    const states = this.bucketSpecs.map((spec, i) => {
      const name = spec.scope === 'shared' ? `shared-${i}` : `webhook-${webhookId}-${i}`;
      let state = this.buckets.get(name);
      if (!state) this.buckets.set(name, (state = { ...spec, name, count: 0, resetAt: 0 }));
      if (now >= state.resetAt) state.count = 0;
      return state;
    });
    const full = states.filter((s) => s.count >= s.limit).sort((a, b) => b.resetAt - a.resetAt)[0];
    if (full) {
      const waitMs = full.resetAt - now;
      return {
        status: 429,
        body: { message: 'You are being rate limited.', retry_after: versioned ? waitMs / 1000 : waitMs, global: false },
        headers: { ...headersOf(full, now), 'retry-after': String(Math.ceil(waitMs / 1000)), 'x-ratelimit-scope': full.scope },
        retryAfterMs: waitMs,
      };
    }
    for (const state of states) {
      if (state.count === 0) state.resetAt = now + state.windowMs;
      state.count++;
    }
    // Report the bucket that runs out first, as Discord reports one bucket per route.
    const tightest = [...states].sort((a, b) => a.limit - a.count - (b.limit - b.count) || b.resetAt - a.resetAt)[0];
    return { status: 200, headers: tightest ? headersOf(tightest, now) : {} };
  }
}

/** A scripted failure (see {@link FakeDiscord.failNext}); a 429 in the URL's unit. */
function scriptedReply(scripted: { status: number; retryAfterMs?: number; global?: boolean; message?: string }, versioned: boolean): Reply {
  const { status, retryAfterMs: ms = 0, global = false } = scripted;
  if (scripted.message !== undefined && status !== 429) return { status, body: { message: scripted.message, code: 0 } };
  if (status === 400) {
    const errors = { embeds: { 0: { title: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 256 or fewer in length.' }] } } } };
    return { status, body: { message: 'Invalid Form Body', code: 50035, errors } };
  }
  if (status !== 429) {
    return status >= 502 ? { status, text: `<html><body>${status} Bad Gateway</body></html>` } : { status, body: { message: `${status}: ${STATUS_CODES[status] ?? 'Error'}`, code: 0 } };
  }
  const headers: Record<string, string> = { 'retry-after': String(Math.ceil(ms / 1000)), 'x-ratelimit-scope': global ? 'global' : 'user' };
  if (global) headers['x-ratelimit-global'] = 'true';
  return { status, body: { message: 'You are being rate limited.', retry_after: versioned ? ms / 1000 : ms, global }, headers, retryAfterMs: ms };
}

function headersOf(state: BucketState, now: number): Record<string, string> {
  return {
    'x-ratelimit-limit': String(state.limit),
    'x-ratelimit-remaining': String(Math.max(0, state.limit - state.count)),
    'x-ratelimit-reset': (state.resetAt / 1000).toFixed(3),
    'x-ratelimit-reset-after': (Math.max(0, state.resetAt - now) / 1000).toFixed(3),
    'x-ratelimit-bucket': `fake-${state.name}`,
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
