/**
 * Options of the Binance source, as users write them under `sources.<name>` (besides `use`).
 * Durations take a unit (`30s`, `23h`) and come out as milliseconds.
 */
import { duration, z } from '@liqmon/core';

/** Binance futures product lines this source can watch. */
export const MARKETS = ['usdm', 'coinm'] as const;
/** `usdm` (USDⓈ-M, linear, fapi/fstream) or `coinm` (COIN-M, inverse, dapi/dstream). */
export type Market = (typeof MARKETS)[number];

const wsUrl = (fallback: string, what: string) =>
  z.url({ protocol: /^wss?$/, error: `expected a ws:// or wss:// URL (${what})` }).default(fallback).describe(what);
const httpUrl = (fallback: string, what: string) =>
  z.url({ protocol: /^https?$/, error: `expected an http:// or https:// URL (${what})` }).default(fallback).describe(what);

export const binanceOptions = z.object({
  /** Product lines to watch. @default ['usdm', 'coinm'] */
  markets: z
    .array(z.enum(MARKETS))
    .min(1, 'name at least one market: usdm, coinm')
    .default(['usdm', 'coinm'])
    .describe('Binance futures markets to watch: usdm (USDⓈ-M), coinm (COIN-M)'),
  /**
   * Watch only these symbols (exchange-native, e.g. `BTCUSDT`, `BTCUSD_PERP`) with per-symbol streams
   * (`<symbol>@forceOrder`) instead of the all-market stream. @default all symbols
   */
  symbols: z.array(z.string().min(1)).min(1).optional().describe('Only these symbols (BTCUSDT, BTCUSD_PERP); default all'),
  /** USDⓈ-M WebSocket base; the source adds `/market/stream?streams=...`. @default wss://fstream.binance.com */
  usdmUrl: wsUrl('wss://fstream.binance.com', 'USDⓈ-M WebSocket base URL'),
  /** COIN-M WebSocket base; the source adds `/stream?streams=...`. @default wss://dstream.binance.com */
  coinmUrl: wsUrl('wss://dstream.binance.com', 'COIN-M WebSocket base URL'),
  /** USDⓈ-M REST base, for `/fapi/v1/exchangeInfo`. @default https://fapi.binance.com */
  usdmRestUrl: httpUrl('https://fapi.binance.com', 'USDⓈ-M REST base URL'),
  /** COIN-M REST base, for `/dapi/v1/exchangeInfo`. @default https://dapi.binance.com */
  coinmRestUrl: httpUrl('https://dapi.binance.com', 'COIN-M REST base URL'),
  /** Replace a connection that received nothing (no frame, no pong) for this long. @default 60s */
  staleAfter: duration().default(60_000).describe('Replace a connection silent this long (default 60s)'),
  /** Send a WebSocket ping when a connection has been quiet this long. @default half of staleAfter */
  probeAfter: duration().optional().describe('Ping a connection quiet this long (default staleAfter / 2)'),
  /** Open a fresh connection at this age, before Binance cuts at 24 h. @default 23h */
  maxConnectionAge: duration().default(23 * 3_600_000).describe('Rotate connections at this age (default 23h)'),
  /** How long old and new connections overlap during a rotation. @default 10s */
  rotationOverlap: duration().default(10_000).describe('Overlap of old and new connection on rotation (default 10s)'),
  /** First reconnect delay; doubles per failure, with jitter. @default 500ms */
  reconnectDelay: duration().default(500).describe('First reconnect delay (default 500ms)'),
  /** Cap of the reconnect delay. @default 30s */
  maxReconnectDelay: duration().default(30_000).describe('Longest reconnect delay (default 30s)'),
  /** Give up on one connection attempt after this long (and retry). @default 10s */
  connectTimeout: duration().default(10_000).describe('Connection attempt timeout (default 10s)'),
  /** `start()` waits at most this long for the first connection; it keeps retrying afterwards. @default 15s */
  startTimeout: duration().default(15_000).describe('How long start waits for the first connection (default 15s)'),
  /** Reload exchange info (base/quote, COIN-M contract sizes) this often. @default 1h */
  exchangeInfoRefresh: duration().default(3_600_000).describe('Exchange info refresh interval (default 1h)'),
  /** Timeout of one exchange info request. @default 10s */
  exchangeInfoTimeout: duration().default(10_000).describe('Exchange info request timeout (default 10s)'),
});

/** Options as written in the config. */
export type BinanceOptionsInput = z.input<typeof binanceOptions>;
/** Options after validation (durations in ms, defaults applied). */
export type BinanceOptions = z.output<typeof binanceOptions>;
