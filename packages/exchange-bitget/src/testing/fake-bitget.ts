/**
 * A fake Bitget for tests, on core's `FakeExchangeServer`: the v3 public WebSocket `/v3/ws/public`
 * (per-product-type subscribe acks and refusals, text `ping` -> `pong`, the idle cut) and
 * `GET /api/v3/market/instruments?category=...`. Like Bitget, it delivers a product type's
 * liquidations only to clients that subscribed to its `liquidation` topic.
 * Shapes follow https://www.bitget.com/api-doc/uta/websocket/public/Liquidation-Channel.
 */
import { FakeExchangeServer, type FakeClient } from '@liqmon/core/testing';

/** A product type the fake serves. */
export type FakeBitgetInstType = 'usdt-futures' | 'usdc-futures' | 'coin-futures';

/** One instrument of the fake's lists. */
export interface FakeBitgetInstrument {
  symbol: string;
  baseCoin: string;
  quoteCoin: string;
}

/** The instruments every fake lists unless told otherwise (the golden files' reference lists the same). */
export const FAKE_BITGET_INSTRUMENTS: Readonly<Record<FakeBitgetInstType, readonly FakeBitgetInstrument[]>> = {
  'usdt-futures': [
    { symbol: 'BTCUSDT', baseCoin: 'BTC', quoteCoin: 'USDT' },
    { symbol: 'APEUSDT', baseCoin: 'APE', quoteCoin: 'USDT' },
    { symbol: 'IPUSDT', baseCoin: 'IP', quoteCoin: 'USDT' },
  ],
  'usdc-futures': [{ symbol: 'BTCPERP', baseCoin: 'BTC', quoteCoin: 'USDC' }],
  'coin-futures': [{ symbol: 'BTCUSD', baseCoin: 'BTC', quoteCoin: 'USD' }],
};

const CATEGORIES: Record<string, FakeBitgetInstType> = { 'USDT-FUTURES': 'usdt-futures', 'USDC-FUTURES': 'usdc-futures', 'COIN-FUTURES': 'coin-futures' };

/** Options of {@link FakeBitget.start}. */
export interface FakeBitgetOptions {
  /** Instruments per product type. @default {@link FAKE_BITGET_INSTRUMENTS} */
  instruments?: Partial<Record<FakeBitgetInstType, readonly FakeBitgetInstrument[]>>;
  /** Product types whose subscription is refused. */
  rejectInstTypes?: Iterable<string>;
  /** Close a client that sent nothing (no message, no ping, no pong) for this long, ms. @default off */
  idleTimeout?: number;
}

/** One liquidation to push. */
export interface FakeBitgetLiquidation {
  /** Position side: `buy` = a long was liquidated. @default 'buy' */
  side?: 'buy' | 'sell';
  /** Quote amount, as a decimal string. @default '1000' */
  amount?: string;
  /** @default '100' */
  price?: string;
  /** ms since epoch. @default Date.now() */
  time?: number;
}

/** The fake Bitget. Create with {@link FakeBitget.start}; always `close()` it. */
export class FakeBitget {
  /** Every subscribe request received: client id and the product types asked for. */
  readonly requests: { client: number; op: string; instTypes: string[] }[] = [];
  /** `ping` messages received per client id. */
  readonly pings = new Map<number, number>();
  private readonly instruments: Record<FakeBitgetInstType, FakeBitgetInstrument[]>;
  private readonly rejected: Set<string>;
  private readonly subscribed = new Map<number, Set<string>>();
  private answerPings = true;

  private constructor(
    readonly server: FakeExchangeServer,
    options: FakeBitgetOptions,
  ) {
    const given = options.instruments ?? {};
    this.instruments = {
      'usdt-futures': [...(given['usdt-futures'] ?? FAKE_BITGET_INSTRUMENTS['usdt-futures'])],
      'usdc-futures': [...(given['usdc-futures'] ?? FAKE_BITGET_INSTRUMENTS['usdc-futures'])],
      'coin-futures': [...(given['coin-futures'] ?? FAKE_BITGET_INSTRUMENTS['coin-futures'])],
    };
    this.rejected = new Set(options.rejectInstTypes);
  }

  /** Start on 127.0.0.1 with a free port. */
  static async start(options: FakeBitgetOptions = {}): Promise<FakeBitget> {
    const holder: { fake?: FakeBitget } = {};
    const server = await FakeExchangeServer.start({
      ...(options.idleTimeout === undefined ? {} : { idleTimeout: options.idleTimeout }),
      acceptPath: (path) => path.startsWith('/v3/ws/public'),
      onClientMessage: (client, data) => holder.fake?.onMessage(client, data),
      rest: { '/api/v3/market/instruments': (url: URL) => holder.fake?.instrumentsReply(url) },
    });
    holder.fake = new FakeBitget(server, options);
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

  /** Replace the instruments of a product type (a listing at the next refresh). */
  setInstruments(instType: FakeBitgetInstType, instruments: readonly FakeBitgetInstrument[]): void {
    this.instruments[instType] = [...instruments];
  }

  /** Product types subscribed by connected clients (duplicates across clients kept). */
  subscriptions(): string[] {
    return this.server.match().flatMap((client) => [...(this.subscribed.get(client.id) ?? [])]);
  }

  /** Stop (or resume) answering `ping`. */
  setAnswerPings(answer: boolean): void {
    this.answerPings = answer;
  }

  /** Push one liquidation of `symbol` to clients subscribed to its product type; returns how many got it. */
  liquidation(instType: FakeBitgetInstType, symbol: string, liquidation: FakeBitgetLiquidation = {}): number {
    const item = { symbol, side: liquidation.side ?? 'buy', price: liquidation.price ?? '100', amount: liquidation.amount ?? '1000', ts: String(liquidation.time ?? Date.now()) };
    const frame = JSON.stringify({ action: 'update', arg: { instType, topic: 'liquidation' }, data: [item], ts: Date.now() });
    return this.server.push(frame, (client) => this.subscribed.get(client.id)?.has(instType) ?? false);
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
    if (data === 'ping') {
      this.pings.set(client.id, (this.pings.get(client.id) ?? 0) + 1);
      if (this.answerPings) client.send('pong');
      return;
    }
    let message: { op?: unknown; args?: unknown };
    try {
      message = JSON.parse(data) as typeof message;
    } catch {
      return client.send({ event: 'error', code: '30012', msg: 'Invalid request', connId: `fake-${client.id}` });
    }
    if (message.op !== 'subscribe' && message.op !== 'unsubscribe') return;
    const args = Array.isArray(message.args) ? (message.args as { instType?: unknown; topic?: unknown }[]) : [];
    this.requests.push({ client: client.id, op: message.op, instTypes: args.map((arg) => String(arg.instType)) });
    const topics = this.subscribed.get(client.id) ?? new Set<string>();
    this.subscribed.set(client.id, topics);
    for (const arg of args) {
      const instType = String(arg.instType);
      const valid = arg.topic === 'liquidation' && Object.values(CATEGORIES).includes(instType as FakeBitgetInstType) && !this.rejected.has(instType);
      if (!valid) {
        client.send({ event: 'error', arg, code: '30001', msg: `instType:${instType},topic:${String(arg.topic)} doesn't exist`, connId: `fake-${client.id}` });
        continue;
      }
      if (message.op === 'subscribe') topics.add(instType);
      else topics.delete(instType);
      client.send({ event: message.op, arg, connId: `fake-${client.id}` });
    }
  }

  private instrumentsReply(url: URL): unknown {
    const instType = CATEGORIES[url.searchParams.get('category') ?? ''];
    if (!instType) return { status: 400, body: { code: '40034', msg: 'Parameter category does not exist', requestTime: Date.now(), data: null } };
    const data = this.instruments[instType].map((instrument) => ({ ...instrument, category: url.searchParams.get('category'), status: 'online' }));
    return { code: '00000', msg: 'success', requestTime: Date.now(), data };
  }
}
