/**
 * Options of the OKX source, as written under `sources.<name>` in the config (besides `use`).
 * Durations take a unit (`30s`, `1h`) and come out as milliseconds.
 */
import { duration, z } from '@liqmon/core';

/** Product lines of OKX's SWAP and FUTURES instruments (`ctType` in the instrument list). */
export const OKX_MARKETS = ['linear', 'inverse'] as const;

/** `linear` (USDT/USDC-margined, contracts of a fraction of a coin) or `inverse` (coin-margined, USD contracts). */
export type OkxMarket = (typeof OKX_MARKETS)[number];

/**
 * Below a second, one scheduling hiccup of a busy process would replace a healthy connection (and the
 * liquidations pushed during a reconnect are lost for good).
 */
const MIN_STALE_AFTER_MS = 1_000;

/** The options schema (zod, from `@liqmon/core` so that core validates with the same library). */
export const okxOptionsSchema = z.object({
  /**
   * Product lines to watch. OKX subscribes by instrument type (SWAP, FUTURES), each holding both lines,
   * so both types are always subscribed and the other line is dropped while decoding.
   * @default ['linear', 'inverse']
   */
  markets: z
    .array(z.enum(OKX_MARKETS))
    .min(1, 'list at least one market: linear, inverse')
    .default(['linear', 'inverse'])
    .meta({ description: 'OKX product lines to watch: linear, inverse' }),
  /**
   * Watch only these instruments (OKX `instId`, e.g. `BTC-USDT-SWAP`, `BTC-USD-250627`). OKX has no
   * per-instrument liquidation channel, so the filter applies to decoded events.
   * @default every instrument
   */
  symbols: z
    .array(z.string().min(1))
    .min(1, 'list at least one instrument, or remove `symbols` to watch every one')
    .optional()
    .meta({ description: 'Only these instruments (BTC-USDT-SWAP); absent = every SWAP and FUTURES instrument' }),
  /**
   * WebSocket base URL without a path; the source appends `/ws/v5/public`.
   * @default 'wss://ws.okx.com:8443'
   */
  wsUrl: z
    .url({ protocol: /^wss?$/, error: 'expected a ws:// or wss:// URL without a path, such as wss://ws.okx.com:8443' })
    .default('wss://ws.okx.com:8443')
    .meta({ description: 'WebSocket base URL; /ws/v5/public is appended' }),
  /**
   * REST base URL without a path; the source appends `/api/v5/public/instruments`.
   * @default 'https://www.okx.com'
   */
  restUrl: z
    .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL without a path, such as https://www.okx.com' })
    .default('https://www.okx.com')
    .meta({ description: 'REST base URL used to list instruments (contract sizes)' }),
  /**
   * How often the instrument list (contract values, new listings) is fetched again. An instrument
   * missing from the list also triggers a refresh (at most once a minute, by core).
   * @default '1h'
   */
  refreshInterval: duration()
    // prefault, not default: the default is parsed like user input, so it reads as a duration.
    .prefault('1h')
    .refine((ms) => ms >= 10_000, 'refreshInterval must be at least 10s')
    .meta({ description: 'Instrument list refresh interval (default 1h, minimum 10s)' }),
  /**
   * Replace the connection after this long without any frame or pong. A socket can die without closing,
   * so silence is the only sign. The text `ping` heartbeat is sent every 20 s (OKX closes a connection
   * with no traffic for 30 s), or every third of this when that is shorter.
   * @default '60s'
   */
  staleAfter: duration()
    .prefault('60s')
    .refine((ms) => ms >= MIN_STALE_AFTER_MS, 'staleAfter must be at least 1s (a silent connection is replaced after this long; the default is 60s)')
    .meta({ description: 'Replace a connection silent (no frame, no pong) this long (default 60s, minimum 1s)' }),
});

/** Validated options, as the source's `create` receives them. */
export type OkxOptions = z.output<typeof okxOptionsSchema>;
