/**
 * A fake Telegram Bot API for tests: `POST /bot<token>/sendMessage` on 127.0.0.1 (port 0), with JSON,
 * form or query parameters. It answers like the real one (https://core.telegram.org/bots/api#making-requests:
 * `{"ok":true,"result":...}` or `{"ok":false,"error_code":...,"description":...,"parameters":...}`):
 *  - a wrong token: 401 `Unauthorized`; a path that is not a bot method: 404 `Not Found`;
 *  - MarkdownV2 and HTML parsed by real parsers of the grammar ({@link parseMarkdownV2},
 *    {@link parseTelegramHtml}); errors as 400 `Bad Request: can't parse entities: ...`;
 *  - unknown chats: 400 `Bad Request: chat not found`; blocked or left chats: 403 with the reason;
 *    migrated groups: 400 with `parameters.migrate_to_chat_id`; unknown forum topics: 400
 *    `Bad Request: message thread not found`;
 *  - more than 4096 UTF-16 code units after parsing: 400 `Bad Request: message is too long`;
 *  - flood control per chat with 429 and `parameters.retry_after` ({@link FloodControl});
 *  - scripted failures: the next N requests answer 500, 502 or 429, or every request until told
 *    otherwise ({@link FakeTelegram.setFailure}, for outages that last a while).
 * Delivered messages are recorded as the user sees them: plain text and entities.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trimParsed, TelegramParseError, type ParsedText, type TelegramEntity } from './telegram/entities.js';
import { FloodControl, type FloodLimits } from './telegram/flood.js';
import { parseTelegramHtml } from './telegram/html.js';
import { parseMarkdownV2 } from './telegram/markdown-v2.js';

export { parseMarkdownV2 } from './telegram/markdown-v2.js';
export { parseTelegramHtml } from './telegram/html.js';
export { TelegramParseError, type ParsedText, type TelegramEntity, type TelegramEntityType } from './telegram/entities.js';
export type { FloodLimits, FloodWindow } from './telegram/flood.js';

/** A token that looks like a real one (`<bot id>:<secret>`). */
export const FAKE_TELEGRAM_TOKEN = '123456789:AAFakeTokenForLiqmonTests_0123456789ab';

/** Options of {@link FakeTelegram.start}. */
export interface FakeTelegramOptions {
  /** The bot's token. @default {@link FAKE_TELEGRAM_TOKEN} */
  token?: string;
  /** Chats the bot may write to (ids or `@names`). @default ['1001', '-1001234567890'] */
  chats?: readonly (string | number)[];
  /** Chats that answer 403 with this description, e.g. `{ '1002': 'Forbidden: bot was blocked by the user' }`. */
  forbidden?: Readonly<Record<string, string>>;
  /** Groups upgraded to supergroups: old id to new id (the new one becomes a known chat). */
  migrated?: Readonly<Record<string, string | number>>;
  /** Forum topics per chat; a `message_thread_id` not listed is refused. @default any thread */
  threads?: Readonly<Record<string, readonly number[]>>;
  /** Flood control, or false for none. @default Telegram's: 1/s per chat, 20/min per group, whole seconds */
  rateLimit?: FloodLimits | false;
  /** Longest text after parsing, in UTF-16 code units. @default 4096 */
  maxLength?: number;
  /** A slow server: every answer is sent this many ms after the request was handled (and recorded). @default 0 */
  replyDelayMs?: number;
}

/** A message the fake accepted, as the chat shows it. */
export interface DeliveredTelegramMessage {
  messageId: number;
  chatId: string;
  /** Text after parsing (what the user reads). */
  text: string;
  entities: TelegramEntity[];
  parseMode: string | undefined;
  threadId: number | undefined;
  disableNotification: boolean;
  linkPreviewDisabled: boolean;
  /** The `text` parameter as sent. */
  raw: string;
}

/** Every request the fake answered. */
export interface FakeTelegramRequest {
  method: string;
  params: Record<string, unknown>;
  status: number;
  description?: string;
}

/** A scripted answer for {@link FakeTelegram.failNext}. */
export type FakeTelegramFailure = { status: 500 | 502 | 503 | 504; body?: string } | { status: 429; retryAfter: number };

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

const failure = (status: number, description: string, parameters?: Record<string, number>): Reply => ({
  status,
  body: { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) },
});

const SERVER_ERRORS: Record<500 | 502 | 503 | 504, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The fake. Always `close()` it. */
export class FakeTelegram {
  readonly messages: DeliveredTelegramMessage[] = [];
  readonly requests: FakeTelegramRequest[] = [];
  private readonly chats: Set<string>;
  private readonly forbidden: Map<string, string>;
  private readonly migrated: Map<string, string>;
  private readonly scripted: FakeTelegramFailure[] = [];
  private lasting: FakeTelegramFailure | undefined;
  /** Answers withheld by {@link holdReplies}, sent by {@link releaseReplies}; undefined when not holding. */
  private held: (() => void)[] | undefined;
  readonly flood: FloodControl;
  private nextMessageId = 1;

  private constructor(
    private readonly server: Server,
    private readonly options: FakeTelegramOptions,
  ) {
    this.chats = new Set((options.chats ?? ['1001', '-1001234567890']).map(String));
    this.forbidden = new Map(Object.entries(options.forbidden ?? {}));
    this.migrated = new Map(Object.entries(options.migrated ?? {}).map(([from, to]) => [from, String(to)]));
    for (const to of this.migrated.values()) this.chats.add(to);
    this.flood = new FloodControl(options.rateLimit ?? {});
  }

  static async start(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
    const server = createServer();
    const fake = new FakeTelegram(server, options);
    server.on('request', (request, response) => void fake.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** Base URL for the sink's `apiUrl`. */
  get apiUrl(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  get token(): string {
    return this.options.token ?? FAKE_TELEGRAM_TOKEN;
  }

  /** 429 answers so far (flood control and scripted). */
  get tooManyRequests(): number {
    return this.flood.tooManyRequests;
  }

  /** Requests that ignored the `retry_after` of an earlier 429 to the same chat. */
  get retryAfterViolations(): number {
    return this.flood.violations;
  }

  /** Answer the next `count` sendMessage requests with `reply` instead of handling them. */
  failNext(count: number, reply: FakeTelegramFailure): void {
    for (let i = 0; i < count; i++) this.scripted.push(reply);
  }

  /**
   * Answer every sendMessage with `reply` from now on, until called with `undefined`: an outage or a
   * flood ban that lasts, whatever the client does meanwhile ({@link failNext} answers go first).
   * A 429 bans the chat for `retryAfter` seconds each time; a request that comes back before that is
   * counted in {@link retryAfterViolations}.
   */
  setFailure(reply: FakeTelegramFailure | undefined): void {
    this.lasting = reply;
  }

  /**
   * From now on, accept (and record) messages but withhold every answer until {@link releaseReplies}:
   * the client sees each send hang. A message the chat shows while its sender still waits is the
   * message in flight when a client dies (it cannot know the server took it).
   */
  holdReplies(): void {
    this.held ??= [];
  }

  /** Send the answers {@link holdReplies} withheld, and answer at once again. */
  releaseReplies(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const answer of held) answer();
  }

  /** Messages delivered to one chat, oldest first. */
  messagesTo(chatId: string | number): DeliveredTelegramMessage[] {
    return this.messages.filter((message) => message.chatId === String(chatId));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let params: Record<string, unknown> = {};
    let reply: Reply;
    let method = '';
    try {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
      params = { ...Object.fromEntries(url.searchParams), ...(await readParams(request)) };
      method = match?.[2] ?? '';
      if (!match) reply = failure(404, 'Not Found');
      else if (decodeURIComponent(match[1]!) !== this.token) reply = failure(401, 'Unauthorized');
      else if (method.toLowerCase() === 'sendmessage') reply = this.sendMessage(params);
      else if (method.toLowerCase() === 'getme') reply = { status: 200, body: { ok: true, result: { id: Number(this.token.split(':')[0]), is_bot: true, first_name: 'liqmon test bot', username: 'liqmon_test_bot' } } };
      else reply = failure(404, 'Not Found');
    } catch {
      reply = failure(400, 'Bad Request: invalid request body');
    }
    const description = typeof reply.body.description === 'string' ? reply.body.description : undefined;
    this.requests.push({ method, params, status: reply.status, ...(description ? { description } : {}) });
    const answer = () => {
      // The client may be gone (killed while it waited): nothing to answer then.
      if (response.destroyed) return;
      response.writeHead(reply.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(reply.body));
    };
    const delay = this.options.replyDelayMs ?? 0;
    const later = delay > 0 ? () => void setTimeout(answer, delay) : answer;
    if (this.held) this.held.push(later);
    else later();
  }

  private sendMessage(params: Record<string, unknown>): Reply {
    const chat = params.chat_id === undefined || params.chat_id === '' ? undefined : String(params.chat_id);
    const next = this.scripted.shift();
    const scripted = next ?? this.lasting;
    if (scripted) {
      if (scripted.status !== 429) return failure(scripted.status, SERVER_ERRORS[scripted.status]);
      if (!next) this.flood.checkBan(chat ?? '');
      this.flood.ban(chat ?? '', scripted.retryAfter);
      return failure(429, `Too Many Requests: retry after ${scripted.retryAfter}`, { retry_after: scripted.retryAfter });
    }
    if (chat === undefined) return failure(400, 'Bad Request: chat_id is empty');
    const raw = typeof params.text === 'string' ? params.text : '';
    const parseMode = typeof params.parse_mode === 'string' && params.parse_mode !== '' ? params.parse_mode : undefined;
    let parsed: ParsedText;
    try {
      parsed = trimParsed(parse(raw, parseMode));
    } catch (error) {
      if (error instanceof TelegramParseError) return failure(400, `Bad Request: can't parse entities: ${error.message}`);
      return failure(400, `Bad Request: unsupported parse_mode`);
    }
    if (parsed.text === '') return failure(400, 'Bad Request: message text is empty');
    const newId = this.migrated.get(chat);
    if (newId !== undefined) {
      return failure(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: Number(newId) });
    }
    const forbidden = this.forbidden.get(chat);
    if (forbidden !== undefined) return failure(403, forbidden);
    if (!this.chats.has(chat)) return failure(400, 'Bad Request: chat not found');
    const threadId = params.message_thread_id === undefined ? undefined : Number(params.message_thread_id);
    const threads = this.options.threads?.[chat];
    if (threadId !== undefined && threads && !threads.includes(threadId)) return failure(400, 'Bad Request: message thread not found');
    if (parsed.text.length > (this.options.maxLength ?? 4096)) return failure(400, 'Bad Request: message is too long');
    const retryAfter = this.flood.admit(chat);
    if (retryAfter !== undefined) return failure(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
    const message: DeliveredTelegramMessage = {
      messageId: this.nextMessageId++,
      chatId: chat,
      text: parsed.text,
      entities: parsed.entities,
      parseMode,
      threadId,
      disableNotification: flag(params.disable_notification),
      linkPreviewDisabled: linkPreviewDisabled(params),
      raw,
    };
    this.messages.push(message);
    const result = { message_id: message.messageId, date: Math.floor(Date.now() / 1000), chat: { id: Number(chat) || chat }, text: parsed.text };
    return { status: 200, body: { ok: true, result: parsed.entities.length > 0 ? { ...result, entities: parsed.entities } : result } };
  }
}

function parse(raw: string, parseMode: string | undefined): ParsedText {
  if (parseMode === undefined) return { text: raw, entities: [] };
  if (parseMode.toLowerCase() === 'markdownv2') return parseMarkdownV2(raw);
  if (parseMode.toLowerCase() === 'html') return parseTelegramHtml(raw);
  throw new Error(`unsupported parse_mode ${parseMode}`);
}

const flag = (value: unknown) => value === true || value === 'true';

function linkPreviewDisabled(params: Record<string, unknown>): boolean {
  let options = params.link_preview_options;
  if (typeof options === 'string') options = JSON.parse(options) as unknown;
  if (typeof options === 'object' && options !== null && flag((options as { is_disabled?: unknown }).is_disabled)) return true;
  return flag(params.disable_web_page_preview);
}

async function readParams(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  if (body === '') return {};
  const type = request.headers['content-type'] ?? '';
  if (type.includes('application/json')) return JSON.parse(body) as Record<string, unknown>;
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(body));
  throw new Error(`unsupported content type ${type}`);
}
