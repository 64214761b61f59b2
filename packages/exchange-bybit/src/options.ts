/**
 * Options of the Bybit source, as written under `sources.<name>` in the config.
 */
import { duration, z } from '@liqmon/core';

/** Bybit product lines this source can watch. */
export const BYBIT_CATEGORIES = ['linear', 'inverse'] as const;

/** A Bybit v5 product line: `linear` (USDT/USDC contracts) or `inverse` (coin-margined, USD contracts). */
export type BybitCategory = (typeof BYBIT_CATEGORIES)[number];

/**
 * Bybit allows at most 21,000 characters of `args` per public connection
 * (https://bybit-exchange.github.io/docs/v5/ws/connect, "Public channel - Args limits"). One
 * `allLiquidation.<symbol>` topic costs about 30-40 characters, so 500 topics stay well inside it; the
 * planner also enforces a character budget, so long symbols cannot push a connection over.
 */
const MAX_TOPICS_PER_CONNECTION = 500;

/**
 * Below a second, one scheduling hiccup of a busy process would replace healthy connections (and a
 * reconnect loses the liquidations pushed meanwhile for good).
 */
const MIN_STALE_AFTER_MS = 1_000;

/** The options schema (zod, from `@liqmon/core` so that core validates with the same library). */
export const bybitOptionsSchema = z.object({
  /**
   * Product lines to watch.
   * @default ['linear', 'inverse']
   */
  categories: z
    .array(z.enum(BYBIT_CATEGORIES))
    .min(1, 'list at least one category: linear, inverse')
    .default(['linear', 'inverse'])
    .meta({ description: 'Bybit product lines to watch: linear, inverse' }),
  /**
   * WebSocket base URL; the source appends `/v5/public/<category>`.
   * @default 'wss://stream.bybit.com'
   */
  wsUrl: z
    .url({ protocol: /^wss?$/, error: 'expected a ws:// or wss:// URL such as wss://stream.bybit.com' })
    .default('wss://stream.bybit.com')
    .meta({ description: 'WebSocket base URL; /v5/public/<category> is appended' }),
  /**
   * REST base URL for `GET /v5/market/instruments-info`.
   * @default 'https://api.bybit.com'
   */
  restUrl: z
    .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL such as https://api.bybit.com' })
    .default('https://api.bybit.com')
    .meta({ description: 'REST base URL used to list instruments' }),
  /**
   * Watch only these symbols (exchange-native, e.g. `BTCUSDT`, `BTCUSD`). Symbols are matched to
   * categories through instruments-info; if that cannot be reached, a symbol ending in `USD` (or an
   * inverse future such as `BTCUSDH25`) goes to `inverse` and every other symbol to `linear`.
   * When absent, every trading contract of each category is watched and new listings are picked up.
   */
  symbols: z
    .array(z.string().min(1))
    .min(1, 'list at least one symbol, or remove `symbols` to watch every contract')
    .optional()
    .meta({ description: 'Only these symbols; absent = every contract, discovered from instruments-info' }),
  /**
   * How often the instrument list is fetched again to subscribe new listings and unsubscribe delisted
   * contracts, on the live connections. Output in milliseconds.
   * @default '1h'
   */
  refreshInterval: duration()
    // prefault, not default: the default is parsed like user input, so it reads as a duration.
    .prefault('1h')
    .refine((ms) => ms >= 10_000, 'refreshInterval must be at least 10s'),
  /**
   * Replace a connection that received nothing (no frame, no pong) for this long; the replacement
   * subscribes the same topics. A socket can die without closing (no frame, no error), so silence is
   * the only sign. A value under 60s also shortens the `{"op":"ping"}` heartbeat (to a third of it), so
   * a quiet but live connection answers in time and is never replaced.
   * Output in milliseconds.
   * @default '60s'
   */
  staleAfter: duration()
    .prefault('60s')
    .refine((ms) => ms >= MIN_STALE_AFTER_MS, `staleAfter must be at least 1s (a silent connection is replaced after this long; the default is 60s)`)
    .meta({ description: 'Replace a connection silent (no frame, no pong) this long (default 60s, minimum 1s)' }),
  /**
   * Most `allLiquidation` topics carried by one WebSocket connection; more topics open more connections.
   * @default 200
   */
  topicsPerConnection: z
    .number()
    .int()
    .min(1)
    .max(MAX_TOPICS_PER_CONNECTION, `at most ${MAX_TOPICS_PER_CONNECTION} topics fit Bybit's 21,000-character args limit`)
    .default(200)
    .meta({ description: 'Most topics per WebSocket connection' }),
});

/** Validated options, as the source's `create` receives them. */
export type BybitOptions = z.output<typeof bybitOptionsSchema>;
