/**
 * Options of the BitMEX source, as written under `sources.<name>` in the config.
 */
import { duration, z } from '@liqmon/core';

/** Product lines this source can emit: `inverse` (XBTUSD) or `linear` (XBTUSDT, and quanto contracts). */
export const BITMEX_MARKETS = ['linear', 'inverse'] as const;

/** A product line of liqmon's events. Quanto contracts (ETHUSD) count as `linear`: they are not inverse. */
export type BitmexMarket = (typeof BITMEX_MARKETS)[number];

/** The options schema (zod, from `@liqmon/core` so that core validates with the same library). */
export const bitmexOptionsSchema = z.object({
  /**
   * Product lines to watch.
   * @default ['linear', 'inverse']
   */
  markets: z
    .array(z.enum(BITMEX_MARKETS))
    .min(1, 'list at least one market: linear, inverse')
    .default(['linear', 'inverse'])
    .meta({ description: 'BitMEX product lines to watch: linear (quanto included), inverse' }),
  /**
   * WebSocket base URL; the source appends `/realtime`.
   * @default 'wss://ws.bitmex.com'
   */
  wsUrl: z
    .url({ protocol: /^wss?$/, error: 'expected a ws:// or wss:// URL such as wss://ws.bitmex.com' })
    .default('wss://ws.bitmex.com')
    .meta({ description: 'WebSocket base URL; /realtime is appended' }),
  /**
   * REST base URL; the source appends `/api/v1/instrument/active`.
   * @default 'https://www.bitmex.com'
   */
  restUrl: z
    .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL such as https://www.bitmex.com' })
    .default('https://www.bitmex.com')
    .meta({ description: 'REST base URL used to list instruments' }),
  /**
   * Watch only these contracts (BitMEX symbols, e.g. `XBTUSD`, `XBTUSDT`), one `liquidation:<symbol>`
   * subscription each. When absent, the `liquidation` table of every instrument is watched.
   */
  symbols: z
    .array(z.string().min(1))
    .min(1, 'list at least one symbol, or remove `symbols` to watch every contract')
    .optional()
    .meta({ description: 'Only these contracts; absent = every contract' }),
  /**
   * Replace a connection that received nothing (no row, no `pong`) for this long. The source sends a
   * text `ping` every 5 s (BitMEX's advice), or a third of this when shorter. Output in milliseconds.
   * @default '30s'
   */
  staleAfter: duration()
    .prefault('30s')
    .refine((ms) => ms >= 1_000, 'staleAfter must be at least 1s'),
  /**
   * How often the instrument list (contract sizes, and the XBT price used for quanto and XBT-quoted
   * contracts) is fetched again. Output in milliseconds.
   * @default '15m'
   */
  refreshInterval: duration()
    .prefault('15m')
    .refine((ms) => ms >= 10_000, 'refreshInterval must be at least 10s'),
});

/** Validated options, as the source's `create` receives them. */
export type BitmexOptions = z.output<typeof bitmexOptionsSchema>;
