/**
 * A fake BitMEX for tests, on core's {@link FakeExchangeServer}: the realtime WebSocket at `/realtime`
 * and `GET /api/v1/instrument/active`, behaving like BitMEX where a source can get it wrong:
 * - a welcome `{"info":...}` on connect;
 * - `{"op":"subscribe","args":[...]}` answered per topic with `{"success":true,"subscribe":TOPIC,...}`
 *   followed by the table's (empty) `partial`, or refused with `{"status":400,"error":...}`;
 * - rows reach only the clients subscribed to `liquidation` or `liquidation:<symbol>`;
 * - a text `ping` is answered `pong`; `idleTimeout` cuts clients that send nothing.
 */
import { FakeExchangeServer, type FakeClient } from '@liqmon/core/testing';

/** One instrument of the fake's list, in the fields of instrument/active that matter. */
export interface FakeBitmexInstrument {
  symbol: string;
  rootSymbol: string;
  quoteCurrency: string;
  settlCurrency: string;
  isInverse: boolean;
  isQuanto: boolean;
  multiplier: number;
  underlyingToPositionMultiplier: number | null;
  markPrice: number;
}

/** Options of {@link FakeBitmex.start}. */
export interface FakeBitmexOptions {
  /** The instrument list. @default {@link DEFAULT_INSTRUMENTS} */
  instruments?: readonly FakeBitmexInstrument[];
  /** Close a client that sent nothing (no message, no ping) for this long, ms. @default off */
  idleTimeout?: number;
}

/** One liquidation row to push. */
export interface FakeBitmexRow {
  /** @default a new id */
  orderID?: string;
  /** The order's side: Sell = a long is liquidated. @default 'Sell' */
  side?: 'Buy' | 'Sell';
  /** @default 50000 */
  price?: number;
  /** Contracts. @default 1000 */
  leavesQty?: number;
}

/** XBTUSD (inverse), XBTUSDT and SOLUSDT (linear), ETHUSD (quanto), XBTEUR (inverse in EUR), TRXZ19 (quoted in XBT) and the `.BXBT` index, as BitMEX lists them. */
export const DEFAULT_INSTRUMENTS: readonly FakeBitmexInstrument[] = [
  { symbol: 'XBTUSD', rootSymbol: 'XBT', quoteCurrency: 'USD', settlCurrency: 'XBt', isInverse: true, isQuanto: false, multiplier: -100000000, underlyingToPositionMultiplier: null, markPrice: 60000 },
  { symbol: 'XBTUSDT', rootSymbol: 'XBT', quoteCurrency: 'USDT', settlCurrency: 'USDt', isInverse: false, isQuanto: false, multiplier: 1, underlyingToPositionMultiplier: 1000000, markPrice: 60010 },
  { symbol: 'ETHUSD', rootSymbol: 'ETH', quoteCurrency: 'USD', settlCurrency: 'XBt', isInverse: false, isQuanto: true, multiplier: 100, underlyingToPositionMultiplier: null, markPrice: 3000 },
  { symbol: 'SOLUSDT', rootSymbol: 'SOL', quoteCurrency: 'USDT', settlCurrency: 'USDt', isInverse: false, isQuanto: false, multiplier: 100, underlyingToPositionMultiplier: 10000, markPrice: 140 },
  { symbol: 'XBTEUR', rootSymbol: 'XBT', quoteCurrency: 'EUR', settlCurrency: 'XBt', isInverse: true, isQuanto: false, multiplier: -100000000, underlyingToPositionMultiplier: null, markPrice: 52000 },
  // Expired in 2019; listed so that the recorded frames of this package's tests decode.
  { symbol: 'TRXZ19', rootSymbol: 'TRX', quoteCurrency: 'XBT', settlCurrency: 'XBt', isInverse: false, isQuanto: false, multiplier: 100000000, underlyingToPositionMultiplier: null, markPrice: 0.00000217 },
  { symbol: '.BXBT', rootSymbol: 'XBT', quoteCurrency: 'USD', settlCurrency: '', isInverse: false, isQuanto: false, multiplier: 0, underlyingToPositionMultiplier: null, markPrice: 60000 },
];

/** The fake BitMEX. Create with {@link FakeBitmex.start}; always `close()` it. */
export class FakeBitmex {
  /** Every subscribe request received, in order. */
  readonly requests: { client: number; op: string; args: string[] }[] = [];
  /** Text pings received. */
  pings = 0;
  private instruments: FakeBitmexInstrument[];
  private readonly subscribed = new Map<number, Set<string>>();
  private nextOrder = 1;

  private constructor(
    readonly server: FakeExchangeServer,
    options: FakeBitmexOptions,
  ) {
    this.instruments = [...(options.instruments ?? DEFAULT_INSTRUMENTS)];
  }

  /** Start on 127.0.0.1 with a free port. */
  static async start(options: FakeBitmexOptions = {}): Promise<FakeBitmex> {
    const holder: { fake?: FakeBitmex } = {};
    const server = await FakeExchangeServer.start({
      ...(options.idleTimeout === undefined ? {} : { idleTimeout: options.idleTimeout }),
      acceptPath: (path) => path === '/realtime' || path.startsWith('/realtime?'),
      onConnection: (client) =>
        client.send({ info: 'Welcome to the BitMEX Realtime API.', version: '2.0.0', timestamp: new Date().toISOString(), docs: 'https://www.bitmex.com/app/wsAPI', heartbeatEnabled: false, limit: { remaining: 39 } }),
      onClientMessage: (client, data) => holder.fake?.onMessage(client, data),
      rest: { '/api/v1/instrument/active': () => holder.fake?.instruments.map((entry) => ({ ...entry, state: 'Open', typ: entry.symbol.startsWith('.') ? 'MRCXXX' : 'FFWCSX' })) },
    });
    holder.fake = new FakeBitmex(server, options);
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

  /** Replace the instrument list (a listing at the next refresh). */
  setInstruments(instruments: readonly FakeBitmexInstrument[]): void {
    this.instruments = [...instruments];
  }

  /** Topics subscribed now by connected clients (duplicates across clients kept). */
  subscribedTopics(): string[] {
    return [...this.server.clients].flatMap((client) => [...(this.subscribed.get(client.id) ?? [])]);
  }

  /** Push a liquidation row (`insert`, or its `update`/`delete`) to the clients subscribed to it; returns how many got it. */
  liquidation(symbol: string, row: FakeBitmexRow = {}, action: 'insert' | 'update' | 'delete' = 'insert'): number {
    const orderID = row.orderID ?? `00000000-0000-0000-0000-${String(this.nextOrder++).padStart(12, '0')}`;
    const data =
      action === 'delete'
        ? { orderID, symbol }
        : action === 'update'
          ? { orderID, symbol, leavesQty: row.leavesQty ?? 1000 }
          : { orderID, symbol, side: row.side ?? 'Sell', price: row.price ?? 50000, leavesQty: row.leavesQty ?? 1000 };
    const frame = JSON.stringify({ table: 'liquidation', action, data: [data] });
    return this.server.push(frame, (client) => {
      const topics = this.subscribed.get(client.id);
      return (topics?.has('liquidation') ?? false) || (topics?.has(`liquidation:${symbol}`) ?? false);
    });
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
      this.pings += 1;
      client.send('pong');
      return;
    }
    let message: { op?: unknown; args?: unknown };
    try {
      message = JSON.parse(data) as typeof message;
    } catch {
      client.send({ status: 400, error: 'Unable to parse incoming data', meta: {}, request: data });
      return;
    }
    const args = (Array.isArray(message.args) ? message.args : [message.args]).filter((arg): arg is string => typeof arg === 'string');
    const op = typeof message.op === 'string' ? message.op : '';
    this.requests.push({ client: client.id, op, args });
    if (op !== 'subscribe') {
      client.send({ status: 400, error: `Unknown or unsupported operation: ${op}`, meta: {}, request: message });
      return;
    }
    const topics = this.subscribed.get(client.id) ?? new Set<string>();
    this.subscribed.set(client.id, topics);
    for (const topic of args) {
      const [table, symbol] = topic.split(':');
      if (table !== 'liquidation') {
        client.send({ status: 400, error: `Unknown table: ${table ?? ''}`, meta: {}, request: { op, args: topic } });
        continue;
      }
      if (symbol !== undefined && !this.instruments.some((entry) => entry.symbol === symbol)) {
        client.send({ status: 400, error: `Unknown or expired symbol: ${symbol}`, meta: {}, request: { op, args: topic } });
        continue;
      }
      topics.add(topic);
      client.send({ success: true, subscribe: topic, request: { op, args } });
      client.send({ table: 'liquidation', action: 'partial', keys: ['orderID'], types: { orderID: 'guid', symbol: 'symbol', side: 'symbol', price: 'float', leavesQty: 'long' }, filter: symbol ? { symbol } : {}, data: [] });
    }
  }
}
