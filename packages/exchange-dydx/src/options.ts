/**
 * Options of the dYdX v4 source, as written under `sources.<name>` in the config. Every dYdX v4 market
 * is a linear perpetual (sized in the base asset, settled in USDC), so there is no `markets` option.
 */
import { duration, z } from '@liqmon/core';

/** The options schema (zod, from `@liqmon/core` so that core validates with the same library). */
export const dydxOptionsSchema = z.object({
  /**
   * Indexer WebSocket base URL, without a path; the source appends `/v4/ws`.
   * @default 'wss://indexer.dydx.trade'
   */
  wsUrl: z
    .url({ protocol: /^wss?$/, error: 'expected a ws:// or wss:// base URL such as wss://indexer.dydx.trade' })
    .default('wss://indexer.dydx.trade')
    .meta({ description: 'Indexer WebSocket base URL; /v4/ws is appended' }),
  /**
   * Indexer REST base URL, without a path; the source appends `/v4/perpetualMarkets`.
   * @default 'https://indexer.dydx.trade'
   */
  restUrl: z
    .url({ protocol: /^https?$/, error: 'expected an http:// or https:// base URL such as https://indexer.dydx.trade' })
    .default('https://indexer.dydx.trade')
    .meta({ description: 'Indexer REST base URL; /v4/perpetualMarkets is appended' }),
  /** Watch only these markets (tickers such as `BTC-USD`). Absent: every listed market, kept current. */
  symbols: z
    .array(z.string().min(1))
    .min(1, 'list at least one market, or remove `symbols` to watch every market')
    .optional()
    .meta({ description: 'Only these markets; absent = every market of /v4/perpetualMarkets' }),
  /**
   * Most markets (one `v4_trades` subscription each) on one connection; more markets open more
   * connections. dYdX documents no limit; this keeps one lost connection from costing every market.
   * @default 100
   */
  marketsPerConnection: z.number().int().min(1).max(1_000).default(100).meta({ description: 'Most markets per WebSocket connection' }),
  /**
   * How often the market list is fetched again, to subscribe new listings and drop delisted ones on the
   * live connections. Output in milliseconds.
   * @default '1h'
   */
  refreshInterval: duration()
    .prefault('1h')
    .refine((ms) => ms >= 10_000, 'refreshInterval must be at least 10s'),
  /**
   * Replace a connection that received nothing (no frame, no ping) for this long. dYdX pings every
   * 30 s, so a live connection is never quiet that long. Output in milliseconds.
   * @default '75s'
   */
  staleAfter: duration()
    .prefault('75s')
    .refine((ms) => ms >= 1_000, 'staleAfter must be at least 1s (the default is 75s)'),
});

/** Validated options, as the source's `create` receives them. */
export type DydxOptions = z.output<typeof dydxOptionsSchema>;
