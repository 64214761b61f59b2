/**
 * A fake Bybit for tests, on {@link FakeExchangeServer}: v5 public WebSocket streams
 * (`/v5/public/linear`, `/v5/public/inverse`) with subscribe/unsubscribe acks and `{"op":"ping"}`
 * pongs, and `GET /v5/market/instruments-info` with cursor pagination. Shapes follow
 * https://bybit-exchange.github.io/docs/v5/ws/connect and docs/v5/market/instrument.
 */
import { FakeExchangeServer, type FakeClient } from './fake-exchange.js';

/** A Bybit product line served by the fake. */
export type FakeBybitCategory = 'linear' | 'inverse';

/** One instrument listed by the fake's instruments-info. */
export interface FakeBybitInstrument {
  symbol: string;
  baseCoin: string;
  quoteCoin: string;
}

/** Options of {@link FakeBybit.start}. */
export interface FakeBybitOptions {
  /** Linear instruments (symbols alone get base/quote split from a USDT/USDC suffix). */
  linear?: readonly (string | FakeBybitInstrument)[];
  /** Inverse instruments (symbols alone get quote USD). */
  inverse?: readonly (string | FakeBybitInstrument)[];
  /** Most entries per instruments-info page, whatever `limit` asks. @default 500 */
  pageSize?: number;
  /** Topics whose subscribe requests are refused (the whole request, as a worst case). */
  rejectTopics?: Iterable<string>;
  /**
   * Close a client that sent nothing (no message, no ping) for this long, ms, as Bybit closes a
   * connection after about 10 minutes without a ping. @default off
   */
  idleTimeout?: number;
}

/** A subscribe/unsubscribe request a client sent. */
export interface FakeBybitRequest {
  client: number;
  category: FakeBybitCategory;
  op: string;
  reqId: string;
  args: string[];
}

/** One liquidation to push, in `allLiquidation` terms. */
export interface FakeBybitLiquidation {
  /** Position side: `Buy` = a long was liquidated. @default 'Buy' */
  side?: 'Buy' | 'Sell';
  /** `v`, as a decimal string. @default '1' */
  size?: string;
  /** `p`, as a decimal string. @default '100' */
  price?: string;
  /** `T`, ms since epoch. @default Date.now() */
  time?: number;
}

const categoryOf = (path: string): FakeBybitCategory | undefined =>
  path.startsWith('/v5/public/linear') ? 'linear' : path.startsWith('/v5/public/inverse') ? 'inverse' : undefined;

function toInstrument(entry: string | FakeBybitInstrument, category: FakeBybitCategory): FakeBybitInstrument {
  if (typeof entry !== 'string') return entry;
  if (category === 'inverse') return { symbol: entry, baseCoin: entry.replace(/USD.*$/, ''), quoteCoin: 'USD' };
  const quote = entry.endsWith('USDC') ? 'USDC' : 'USDT';
  return { symbol: entry, baseCoin: entry.slice(0, -quote.length), quoteCoin: quote };
}

/** The fake Bybit. Create with {@link FakeBybit.start}; always `close()` it. */
export class FakeBybit {
  /** Every subscribe/unsubscribe request received, in order. */
  readonly requests: FakeBybitRequest[] = [];
  /** `{"op":"ping"}` messages received per client id. */
  readonly pings = new Map<number, number>();
  /** Topics refused on subscribe. */
  readonly rejectTopics: Set<string>;
  private readonly instruments: Record<FakeBybitCategory, FakeBybitInstrument[]>;
  private readonly subscribed = new Map<number, Set<string>>();
  private answerPings = true;

  private constructor(
    readonly server: FakeExchangeServer,
    options: FakeBybitOptions,
  ) {
    this.rejectTopics = new Set(options.rejectTopics);
    this.instruments = {
      linear: (options.linear ?? []).map((entry) => toInstrument(entry, 'linear')),
      inverse: (options.inverse ?? []).map((entry) => toInstrument(entry, 'inverse')),
    };
  }

  /** Start on 127.0.0.1 with a free port. */
  static async start(options: FakeBybitOptions = {}): Promise<FakeBybit> {
    const pageSize = options.pageSize ?? 500;
    const holder: { fake?: FakeBybit } = {};
    const server = await FakeExchangeServer.start({
      ...(options.idleTimeout === undefined ? {} : { idleTimeout: options.idleTimeout }),
      acceptPath: (path) => categoryOf(path) !== undefined,
      onClientMessage: (client, data) => holder.fake?.onMessage(client, data),
      rest: { '/v5/market/instruments-info': (url: URL) => holder.fake?.instrumentsPage(url, pageSize) },
    });
    holder.fake = new FakeBybit(server, options);
    return holder.fake;
  }

  /** WebSocket base URL to give the source as `wsUrl`. */
  get wsUrl(): string {
    return this.server.wsUrl;
  }

  /** REST base URL to give the source as `restUrl`. */
  get restUrl(): string {
    return this.server.httpUrl;
  }

  /** Replace the instruments of a category (a listing or a delisting at the next refresh). */
  setInstruments(category: FakeBybitCategory, entries: readonly (string | FakeBybitInstrument)[]): void {
    this.instruments[category] = entries.map((entry) => toInstrument(entry, category));
  }

  /** Topics subscribed now by connected clients of a category (or all), with duplicates across clients. */
  subscribedTopics(category?: FakeBybitCategory): string[] {
    return this.server
      .match((client) => category === undefined || categoryOf(client.path) === category)
      .flatMap((client) => [...(this.subscribed.get(client.id) ?? [])]);
  }

  /** Stop (or resume) answering `{"op":"ping"}`. */
  setAnswerPings(answer: boolean): void {
    this.answerPings = answer;
  }

  /** Push one `allLiquidation.<symbol>` frame to the clients subscribed to it; returns how many got it. */
  liquidation(category: FakeBybitCategory, symbol: string, liquidation: FakeBybitLiquidation = {}): number {
    const topic = `allLiquidation.${symbol}`;
    const item = { T: liquidation.time ?? Date.now(), s: symbol, S: liquidation.side ?? 'Buy', v: liquidation.size ?? '1', p: liquidation.price ?? '100' };
    const frame = JSON.stringify({ topic, type: 'snapshot', ts: Date.now(), data: [item] });
    return this.server.push(frame, (client) => categoryOf(client.path) === category && (this.subscribed.get(client.id)?.has(topic) ?? false));
  }

  /** Cut every connection. */
  dropAll(): void {
    this.server.dropAll();
  }

  /** Close the server. */
  close(): Promise<void> {
    return this.server.close();
  }

  private onMessage(client: FakeClient, data: string): void {
    const category = categoryOf(client.path);
    let message: { op?: unknown; args?: unknown; req_id?: unknown };
    try {
      message = JSON.parse(data) as typeof message;
    } catch {
      return;
    }
    const reqId = typeof message.req_id === 'string' ? message.req_id : '';
    const reply = (success: boolean, retMsg: string, op: string): void =>
      client.send({ success, ret_msg: retMsg, conn_id: `fake-${client.id}`, req_id: reqId, op });
    if (message.op === 'ping') {
      this.pings.set(client.id, (this.pings.get(client.id) ?? 0) + 1);
      if (this.answerPings) reply(true, 'pong', 'ping');
      return;
    }
    if ((message.op !== 'subscribe' && message.op !== 'unsubscribe') || !category) return;
    const args = Array.isArray(message.args) ? message.args.filter((arg): arg is string => typeof arg === 'string') : [];
    this.requests.push({ client: client.id, category, op: message.op, reqId, args });
    const topics = this.subscribed.get(client.id) ?? new Set<string>();
    this.subscribed.set(client.id, topics);
    if (message.op === 'unsubscribe') {
      for (const topic of args) topics.delete(topic);
      reply(true, '', 'unsubscribe');
      return;
    }
    const refused = args.find((topic) => this.rejectTopics.has(topic));
    if (refused) return reply(false, `error:handler not found,topic:${refused}`, 'subscribe');
    const duplicate = args.find((topic) => topics.has(topic));
    if (duplicate) return reply(false, `error:already subscribed,topic:${duplicate}`, 'subscribe');
    for (const topic of args) topics.add(topic);
    reply(true, '', 'subscribe');
  }

  private instrumentsPage(url: URL, pageSize: number): unknown {
    const category = url.searchParams.get('category');
    if (category !== 'linear' && category !== 'inverse') {
      return { status: 200, body: { retCode: 10001, retMsg: 'params error: category', result: {}, time: Date.now() } };
    }
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 500) || 500, pageSize, 1000);
    const cursor = url.searchParams.get('cursor') ?? '';
    const offset = cursor.startsWith('page:') ? Number(cursor.slice(5)) : 0;
    const all = this.instruments[category];
    const list = all.slice(offset, offset + limit).map((instrument) => ({ ...instrument, status: 'Trading', contractType: category === 'linear' ? 'LinearPerpetual' : 'InversePerpetual' }));
    const next = offset + limit < all.length ? `page:${offset + limit}` : '';
    return { retCode: 0, retMsg: 'OK', result: { category, list, nextPageCursor: next }, retExtInfo: {}, time: Date.now() };
  }
}
