/**
 * Options of the Kraken Futures source, as written under `sources.<name>` in the config.
 */
import { duration, z } from '@liqmon/core';

/** Kraken Futures product lines: `linear` (PF_ multi-collateral perpetuals, FF_ futures) and `inverse` (PI_/FI_, USD contracts). */
export const KRAKEN_MARKETS = ['linear', 'inverse'] as const;

/** A Kraken Futures product line. */
export type KrakenMarket = (typeof KRAKEN_MARKETS)[number];

/** The options schema (zod, from `@liqmon/core` so that core validates with the same library). */
export const krakenOptionsSchema = z.object({
  /**
   * Product lines to watch.
   * @default ['linear', 'inverse']
   */
  markets: z
    .array(z.enum(KRAKEN_MARKETS))
    .min(1, 'list at least one market: linear, inverse')
    .default(['linear', 'inverse'])
    .meta({ description: 'Kraken Futures product lines to watch: linear (PF_), inverse (PI_/FI_)' }),
  /**
   * WebSocket base URL, without a path; the source appends `/ws/v1`.
   * @default 'wss://futures.kraken.com'
   */
  wsUrl: z
    .url({ protocol: /^wss?$/, error: 'expected a ws:// or wss:// base URL such as wss://futures.kraken.com' })
    .default('wss://futures.kraken.com')
    .meta({ description: 'WebSocket base URL; /ws/v1 is appended' }),
  /**
   * REST base URL, without a path; the source appends `/derivatives/api/v3/instruments`.
   * @default 'https://futures.kraken.com'
   */
  restUrl: z
    .url({ protocol: /^https?$/, error: 'expected an http:// or https:// base URL such as https://futures.kraken.com' })
    .default('https://futures.kraken.com')
    .meta({ description: 'REST base URL; /derivatives/api/v3/instruments is appended' }),
  /**
   * Watch only these products (exchange-native, e.g. `PF_XBTUSD`, `PI_ETHUSD`). Absent: every
   * tradeable product of the chosen markets, kept current by the refresh.
   */
  symbols: z
    .array(z.string().min(1))
    .min(1, 'list at least one product, or remove `symbols` to watch every product')
    .optional()
    .meta({ description: 'Only these products; absent = every tradeable product' }),
  /**
   * How often the instrument list is fetched again, to subscribe new listings and drop delisted ones
   * on the live connection. Output in milliseconds.
   * @default '1h'
   */
  refreshInterval: duration()
    .prefault('1h')
    .refine((ms) => ms >= 10_000, 'refreshInterval must be at least 10s'),
  /**
   * Replace the connection after this long without any frame or pong. The source also sends a
   * WebSocket ping every third of it (at most every 30 s), as Kraken cuts a client that sent no ping
   * for 60 s. Output in milliseconds.
   * @default '60s'
   */
  staleAfter: duration()
    .prefault('60s')
    .refine((ms) => ms >= 1_000, 'staleAfter must be at least 1s (the default is 60s)'),
});

/** Validated options, as the source's `create` receives them. */
export type KrakenOptions = z.output<typeof krakenOptionsSchema>;
