/**
 * Options of the Bitget source, as written under `sources.<name>` in the config.
 */
import { duration, z } from '@liqmon/core';

/** Bitget product lines this source can watch. */
export const BITGET_MARKETS = ['linear', 'inverse'] as const;

/** `linear`: USDT- and USDC-margined futures; `inverse`: coin-margined (Coin-M) futures. */
export type BitgetMarket = (typeof BITGET_MARKETS)[number];

/** The options schema (zod, from `@liqmon/core` so that core validates with the same library). */
export const bitgetOptionsSchema = z.object({
  /**
   * Product lines to watch: `linear` (Bitget `usdt-futures` and `usdc-futures`), `inverse` (`coin-futures`).
   * @default ['linear', 'inverse']
   */
  markets: z
    .array(z.enum(BITGET_MARKETS))
    .min(1, 'list at least one market: linear, inverse')
    .default(['linear', 'inverse'])
    .meta({ description: 'Bitget product lines to watch: linear (USDT/USDC futures), inverse (coin-margined)' }),
  /**
   * WebSocket base URL, without a path; the source appends `/v3/ws/public`.
   * @default 'wss://ws.bitget.com'
   */
  wsUrl: z
    .url({ protocol: /^wss?$/, error: 'expected a ws:// or wss:// URL such as wss://ws.bitget.com' })
    .default('wss://ws.bitget.com')
    .meta({ description: 'WebSocket base URL; /v3/ws/public is appended' }),
  /**
   * REST base URL, without a path; the source appends `/api/v3/market/instruments`.
   * @default 'https://api.bitget.com'
   */
  restUrl: z
    .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL such as https://api.bitget.com' })
    .default('https://api.bitget.com')
    .meta({ description: 'REST base URL used to list instruments; /api/v3/market/instruments is appended' }),
  /**
   * Keep only these symbols (Bitget names, e.g. `BTCUSDT`). Bitget's channel has no per-symbol
   * subscription: the feed carries every contract of a product line and the others are dropped.
   * Absent: every contract.
   */
  symbols: z
    .array(z.string().min(1))
    .min(1, 'list at least one symbol, or remove `symbols` to watch every contract')
    .optional()
    .meta({ description: 'Only these symbols (BTCUSDT); absent = every contract' }),
  /**
   * How often the instrument lists are fetched again, in milliseconds.
   * @default '1h'
   */
  refreshInterval: duration()
    .prefault('1h')
    .refine((ms) => ms >= 10_000, 'refreshInterval must be at least 10s'),
  /**
   * Replace the connection when it received nothing (no frame, no pong) for this long, in
   * milliseconds. Under 75s it also shortens the `ping` heartbeat (to a third of it).
   * @default '60s'
   */
  staleAfter: duration()
    .prefault('60s')
    .refine((ms) => ms >= 1_000, 'staleAfter must be at least 1s (a silent connection is replaced after this long; the default is 60s)')
    .meta({ description: 'Replace the connection when silent (no frame, no pong) this long (default 60s, minimum 1s)' }),
});

/** Validated options, as the source's `create` receives them. */
export type BitgetOptions = z.output<typeof bitgetOptionsSchema>;
