/**
 * A fake dYdX v4 indexer for tests, on core's `FakeExchangeServer`: `/v4/ws` with the `connected`
 * greeting, `subscribed` replies carrying recent trades (history, as the indexer sends), `error` for an
 * unknown market, `unsubscribed`, trade frames only for subscribed markets, server pings (the indexer
 * pings every 30 s) and `GET /v4/perpetualMarkets`. Shapes follow
 * docs.dydx.exchange/api_integration-indexer and the recorded frame in test/fixtures/.
 */
import { FakeExchangeServer, type FakeClient } from '@liqmon/core/testing';

/** Options of {@link FakeDydx.start}. */
export interface FakeDydxOptions {
  /** Market tickers listed, e.g. `BTC-USD`. */
  markets?: readonly string[];
  /** Ping every client this often, ms (the indexer: 30 s). @default 30_000 */
  pingInterval?: number;
  /** Close a client that answered no ping and sent nothing for this long, ms. @default off */
  idleTimeout?: number;
}

/** One trade to push. */
export interface FakeDydxTrade {
  /** Taker side: `SELL` = a long was liquidated. @default 'SELL' */
  side?: 'BUY' | 'SELL';
  /** Base units, decimal string. @default '1' */
  size?: string;
  /** USD, decimal string. @default '100' */
  price?: string;
  /** @default 'LIQUIDATED' */
  type?: string;
  /** @default now */
  time?: number;
  /** Trade id. @default a counter */
  id?: string;
}

/** The fake indexer. Create with {@link FakeDydx.start}; always `close()` it. */
export class FakeDydx {
  /** Subscribe and unsubscribe requests received, in order. */
  readonly requests: { client: number; type: string; id: string }[] = [];
  private markets: string[];
  private readonly subscribed = new Map<number, Set<string>>();
  private messageId = 0;
  private tradeId = 0;

  private constructor(
    readonly server: FakeExchangeServer,
    options: FakeDydxOptions,
  ) {
    this.markets = [...(options.markets ?? [])];
  }

  /** Start on 127.0.0.1 with a free port. */
  static async start(options: FakeDydxOptions = {}): Promise<FakeDydx> {
    const holder: { fake?: FakeDydx } = {};
    const server = await FakeExchangeServer.start({
      ...(options.idleTimeout === undefined ? {} : { idleTimeout: options.idleTimeout }),
      pingInterval: options.pingInterval ?? 30_000,
      acceptPath: (path) => path === '/v4/ws',
      onConnection: (client) => client.send({ type: 'connected', connection_id: `fake-${client.id}`, message_id: 0 }),
      onClientMessage: (client, data) => holder.fake?.onMessage(client, data),
      rest: { '/v4/perpetualMarkets': () => holder.fake?.marketList() },
    });
    holder.fake = new FakeDydx(server, options);
    return holder.fake;
  }

  get wsUrl(): string {
    return this.server.wsUrl;
  }

  get restUrl(): string {
    return this.server.httpUrl;
  }

  /** Replace the listed markets (a listing or a delisting at the next refresh). */
  setMarkets(markets: readonly string[]): void {
    this.markets = [...markets];
  }

  /** Markets subscribed now, across connected clients (with duplicates). */
  subscribedMarkets(): string[] {
    return this.server.match().flatMap((client) => [...(this.subscribed.get(client.id) ?? [])]);
  }

  /** Push a `channel_data` frame with one trade to the clients subscribed to the market. */
  trade(market: string, trade: FakeDydxTrade = {}): number {
    const item = this.tradeItem(trade);
    return this.server.push(
      JSON.stringify({ type: 'channel_data', connection_id: 'fake', message_id: ++this.messageId, id: market, channel: 'v4_trades', version: '2.1.0', contents: { trades: [item] } }),
      (client) => this.subscribed.get(client.id)?.has(market) ?? false,
    );
  }

  dropAll(): void {
    this.server.dropAll();
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private tradeItem(trade: FakeDydxTrade): Record<string, string> {
    this.tradeId += 1;
    return {
      id: trade.id ?? `fake${String(this.tradeId).padStart(8, '0')}`,
      side: trade.side ?? 'SELL',
      size: trade.size ?? '1',
      price: trade.price ?? '100',
      type: trade.type ?? 'LIQUIDATED',
      createdAt: new Date(trade.time ?? Date.now()).toISOString(),
    };
  }

  private onMessage(client: FakeClient, data: string): void {
    let message: { type?: unknown; channel?: unknown; id?: unknown };
    try {
      message = JSON.parse(data) as typeof message;
    } catch {
      client.send({ type: 'error', message: `Invalid message: could not parse ${data}`, connection_id: `fake-${client.id}`, message_id: ++this.messageId });
      return;
    }
    const id = typeof message.id === 'string' ? message.id : '';
    if ((message.type !== 'subscribe' && message.type !== 'unsubscribe') || message.channel !== 'v4_trades') {
      client.send({ type: 'error', message: `Invalid subscribe message: channel is not a valid channel`, connection_id: `fake-${client.id}`, message_id: ++this.messageId });
      return;
    }
    this.requests.push({ client: client.id, type: message.type, id });
    const mine = this.subscribed.get(client.id) ?? new Set<string>();
    this.subscribed.set(client.id, mine);
    const base = { connection_id: `fake-${client.id}`, channel: 'v4_trades', id };
    if (message.type === 'unsubscribe') {
      mine.delete(id);
      client.send({ type: 'unsubscribed', ...base, message_id: ++this.messageId });
    } else if (!this.markets.includes(id)) {
      client.send({ type: 'error', message: `Invalid subscribe message: Invalid ticker ${id}`, connection_id: `fake-${client.id}`, message_id: ++this.messageId });
    } else {
      mine.add(id);
      // Like the indexer, the reply carries recent trades: an old liquidation among them must not alert.
      const history = [this.tradeItem({ type: 'LIQUIDATED', side: 'SELL', time: Date.now() - 3_600_000 }), this.tradeItem({ type: 'LIMIT', side: 'BUY' })];
      client.send({ type: 'subscribed', ...base, message_id: ++this.messageId, contents: { trades: history } });
    }
  }

  private marketList(): unknown {
    return { markets: Object.fromEntries(this.markets.map((ticker, index) => [ticker, { clobPairId: String(index), ticker, status: 'ACTIVE', atomicResolution: -9, stepSize: '0.001', tickSize: '1', marketType: 'CROSS' }])) };
  }
}
