/**
 * A fake Binance futures for tests, on {@link FakeExchangeServer}. Like the real one since 2026-04-23,
 * USD-M liquidations are served only under `/market/...`; a client on the legacy root (`/ws/...`,
 * `/stream?...`) is accepted and then never gets a liquidation. COIN-M streams live under the
 * `/coinm` prefix of the same port (point `coinmUrl` at {@link FakeBinance.coinmUrl}), REST serves
 * `/fapi/v1/exchangeInfo` and `/dapi/v1/exchangeInfo`. Frame shapes follow
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/Liquidation-Order-Streams
 */
import { FakeExchangeServer, type RestRoute } from './fake-exchange.js';

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
  /** Body of `/dapi/v1/exchangeInfo`. @default BTCUSD_PERP (100 USD), ETHUSD_PERP (10 USD) */
  coinmExchangeInfo?: RestRoute;
}

const linear = (symbol: string, base: string) => ({ symbol, pair: symbol, contractType: 'PERPETUAL', baseAsset: base, quoteAsset: 'USDT' });
const inverse = (symbol: string, base: string, contractSize: number) => ({
  symbol,
  pair: `${base}USD`,
  contractType: 'PERPETUAL',
  baseAsset: base,
  quoteAsset: 'USD',
  contractSize,
});

/** The fake. Always `close()` it. */
export class FakeBinance {
  private constructor(readonly server: FakeExchangeServer) {}

  static async start(options: FakeBinanceOptions = {}): Promise<FakeBinance> {
    const server = await FakeExchangeServer.start({
      rest: {
        '/fapi/v1/exchangeInfo': options.usdmExchangeInfo ?? { symbols: [linear('BTCUSDT', 'BTC'), linear('ETHUSDT', 'ETH')] },
        '/dapi/v1/exchangeInfo': options.coinmExchangeInfo ?? {
          symbols: [inverse('BTCUSD_PERP', 'BTC', 100), inverse('ETHUSD_PERP', 'ETH', 10)],
        },
      },
    });
    return new FakeBinance(server);
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

  /** Push a USD-M liquidation (a frame or a description) to clients under `/market/`. Returns how many got it. */
  pushUsdm(liquidation: string | FakeBinanceLiquidation = {}): number {
    return this.server.push(typeof liquidation === 'string' ? liquidation : FakeBinance.frame('usdm', liquidation), '/market/');
  }

  /** Push a COIN-M liquidation to clients under `/coinm/`. */
  pushCoinm(liquidation: string | FakeBinanceLiquidation = {}): number {
    return this.server.push(typeof liquidation === 'string' ? liquidation : FakeBinance.frame('coinm', liquidation), '/coinm/');
  }

  /** Close the server and every connection. */
  close(): Promise<void> {
    return this.server.close();
  }
}
