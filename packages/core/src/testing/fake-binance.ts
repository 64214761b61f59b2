/**
 * A fake Binance futures for tests, on {@link FakeExchangeServer}. Like the real one since 2026-04-23,
 * USD-M liquidations are served only under `/market/...`; a client on the legacy root (`/ws/...`,
 * `/stream?...`) is accepted and then never gets a liquidation. COIN-M streams live under the
 * `/coinm` prefix of the same port (point `coinmUrl` at {@link FakeBinance.coinmUrl}), REST serves
 * `/fapi/v1/exchangeInfo` and `/dapi/v1/exchangeInfo`.
 *
 * Like the real one, a liquidation reaches only a client subscribed to its stream (`!forceOrder@arr`, or
 * `<symbol>@forceOrder` in lower case): named in the URL (`/stream?streams=a/b`, `/ws/<stream>`) or
 * added with a `{"method":"SUBSCRIBE","params":[...],"id":N}` message (answered `{"result":null,"id":N}`).
 * Frame shapes follow
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/Liquidation-Order-Streams
 */
import { FakeExchangeServer, type FakeClient, type RestRoute } from './fake-exchange.js';

/** One liquidation to push, in forceOrder terms. */
export interface FakeBinanceLiquidation {
  /** `o.s`. @default 'BTCUSDT' (USD-M) / 'BTCUSD_PERP' (COIN-M) */
  symbol?: string;
  /** ORDER side `o.S`: SELL = a long was liquidated. @default 'SELL' */
  side?: 'SELL' | 'BUY';
  /** Filled quantity `o.z` (COIN-M: contracts). @default '1' */
  filled?: string;
  /** Average price `o.ap`. @default '50000' */
  price?: string;
  /** Trade time `o.T`, ms. @default Date.now() */
  time?: number;
  /** Send the bare event (`/ws` style) instead of the `{stream, data}` envelope. @default false */
  bare?: boolean;
}

/** Options of {@link FakeBinance.start}. */
export interface FakeBinanceOptions {
  /** Body of `/fapi/v1/exchangeInfo`, or a route (e.g. `{ status: 503, body: {} }`). @default BTCUSDT, ETHUSDT */
  usdmExchangeInfo?: RestRoute;
  /** Body of `/dapi/v1/exchangeInfo`. @default BTCUSD_PERP (100 USD), ETHUSD_PERP (10 USD), BTCUSD_200925 (100 USD) */
  coinmExchangeInfo?: RestRoute;
  /** Close a client that sent nothing (message, ping, pong) for this long, ms. @default off */
  idleTimeout?: number;
}

/** The all-market liquidation stream. */
const ALL_MARKET = '!forceOrder@arr';

/** Streams a connection URL names: `/stream?streams=a/b/c` or `/ws/a/b`. */
function streamsOfPath(path: string): string[] {
  const url = new URL(path, 'http://fake');
  const combined = url.searchParams.get('streams');
  if (combined !== null) return combined.split('/').filter((name) => name !== '');
  const raw = /\/ws\/(.+)$/.exec(url.pathname)?.[1];
  return raw ? raw.split('/').map((name) => decodeURIComponent(name)) : [];
}

/** The symbol of a forceOrder frame (enveloped or bare), or undefined when it is not one. */
function symbolOf(frame: string): string | undefined {
  try {
    const message = JSON.parse(frame) as { data?: { o?: { s?: unknown } }; o?: { s?: unknown } };
    const symbol = (message.data ?? message).o?.s;
    return typeof symbol === 'string' ? symbol : undefined;
  } catch {
    return undefined;
  }
}

const linear = (symbol: string, base: string) => ({ symbol, pair: symbol, contractType: 'PERPETUAL', baseAsset: base, quoteAsset: 'USDT' });
const inverse = (symbol: string, base: string, contractSize: number, contractType = 'PERPETUAL') => ({
  symbol,
  pair: `${base}USD`,
  contractType,
  baseAsset: base,
  quoteAsset: 'USD',
  contractSize,
});

/** The fake. Always `close()` it. */
export class FakeBinance {
  /** Streams each connected client is subscribed to, by connection number. */
  private readonly streams = new Map<number, Set<string>>();

  private constructor(readonly server: FakeExchangeServer) {}

  static async start(options: FakeBinanceOptions = {}): Promise<FakeBinance> {
    const holder: { fake?: FakeBinance } = {};
    const server = await FakeExchangeServer.start({
      ...(options.idleTimeout === undefined ? {} : { idleTimeout: options.idleTimeout }),
      onConnection: (client) => holder.fake?.streams.set(client.id, new Set(streamsOfPath(client.path))),
      onClientMessage: (client, data) => holder.fake?.onMessage(client, data),
      rest: {
        '/fapi/v1/exchangeInfo': options.usdmExchangeInfo ?? { symbols: [linear('BTCUSDT', 'BTC'), linear('ETHUSDT', 'ETH')] },
        '/dapi/v1/exchangeInfo': options.coinmExchangeInfo ?? {
          // A dated quarterly too: the recorded COIN-M frames of the test fixtures are of BTCUSD_200925.
          symbols: [inverse('BTCUSD_PERP', 'BTC', 100), inverse('ETHUSD_PERP', 'ETH', 10), inverse('BTCUSD_200925', 'BTC', 100, 'CURRENT_QUARTER')],
        },
      },
    });
    holder.fake = new FakeBinance(server);
    return holder.fake;
  }

  /** Streams a connected client is subscribed to now (URL streams plus SUBSCRIBE messages). */
  subscriptions(client: FakeClient | number): string[] {
    return [...(this.streams.get(typeof client === 'number' ? client : client.id) ?? [])];
  }

  /** USD-M WebSocket base for the source's `usdmUrl`. */
  get usdmUrl(): string {
    return this.server.wsUrl;
  }

  /** COIN-M WebSocket base for the source's `coinmUrl`. */
  get coinmUrl(): string {
    return `${this.server.wsUrl}/coinm`;
  }

  /** REST base for `usdmRestUrl` and `coinmRestUrl`. */
  get restUrl(): string {
    return this.server.httpUrl;
  }

  /** Endpoint options for the Binance source, pointing everything at this fake. */
  endpoints(): { usdmUrl: string; coinmUrl: string; usdmRestUrl: string; coinmRestUrl: string } {
    return { usdmUrl: this.usdmUrl, coinmUrl: this.coinmUrl, usdmRestUrl: this.restUrl, coinmRestUrl: this.restUrl };
  }

  /** A forceOrder frame as Binance sends it. */
  static frame(market: 'usdm' | 'coinm', liquidation: FakeBinanceLiquidation = {}): string {
    const symbol = liquidation.symbol ?? (market === 'usdm' ? 'BTCUSDT' : 'BTCUSD_PERP');
    const filled = liquidation.filled ?? '1';
    const price = liquidation.price ?? '50000';
    const time = liquidation.time ?? Date.now();
    const order = { s: symbol, S: liquidation.side ?? 'SELL', o: 'LIMIT', f: 'IOC', q: filled, p: price, ap: price, X: 'FILLED', l: filled, z: filled, T: time };
    const event = { e: 'forceOrder', E: time + 2, o: order };
    return JSON.stringify(liquidation.bare ? event : { stream: '!forceOrder@arr', data: event });
  }

  /**
   * Push a USD-M liquidation (a frame or a description) to clients under `/market/` subscribed to its
   * stream. A frame without a readable symbol goes to every client subscribed to any forceOrder stream.
   * Returns how many got it.
   */
  pushUsdm(liquidation: string | FakeBinanceLiquidation = {}): number {
    return this.pushTo('/market/', typeof liquidation === 'string' ? liquidation : FakeBinance.frame('usdm', liquidation));
  }

  /** Push a COIN-M liquidation to clients under `/coinm/` subscribed to its stream. */
  pushCoinm(liquidation: string | FakeBinanceLiquidation = {}): number {
    return this.pushTo('/coinm/', typeof liquidation === 'string' ? liquidation : FakeBinance.frame('coinm', liquidation));
  }

  private pushTo(prefix: string, frame: string): number {
    const symbol = symbolOf(frame)?.toLowerCase();
    return this.server.push(frame, (client) => {
      if (!client.path.startsWith(prefix)) return false;
      const streams = this.streams.get(client.id);
      if (streams === undefined) return false;
      if (streams.has(ALL_MARKET)) return true;
      return symbol === undefined ? [...streams].some((name) => name.endsWith('@forceOrder')) : streams.has(`${symbol}@forceOrder`);
    });
  }

  /** SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS, answered as Binance does. */
  private onMessage(client: FakeClient, data: string): void {
    let message: { method?: unknown; params?: unknown; id?: unknown };
    try {
      message = JSON.parse(data) as typeof message;
    } catch {
      return;
    }
    const streams = this.streams.get(client.id) ?? new Set<string>();
    this.streams.set(client.id, streams);
    const params = Array.isArray(message.params) ? message.params.filter((p): p is string => typeof p === 'string') : [];
    const id = message.id ?? null;
    if (message.method === 'SUBSCRIBE') for (const name of params) streams.add(name);
    else if (message.method === 'UNSUBSCRIBE') for (const name of params) streams.delete(name);
    else if (message.method !== 'LIST_SUBSCRIPTIONS') return;
    client.send({ result: message.method === 'LIST_SUBSCRIPTIONS' ? [...streams] : null, id });
  }

  /** Close the server and every connection. */
  close(): Promise<void> {
    return this.server.close();
  }
}
