/**
 * Options of the Deribit source, as written under `sources.<name>` in the config.
 */
import { duration, z } from '@liqmon/core';

/** Deribit product lines this source can watch. */
export const DERIBIT_MARKETS = ['linear', 'inverse'] as const;

/**
 * A Deribit product line: `inverse` (Deribit's `reversed` instruments: BTC-PERPETUAL, ETH-27MAR26,
 * sized in USD) or `linear` (USDC/USDT-settled: BTC_USDC-PERPETUAL, sized in the base coin).
 */
export type DeribitMarket = (typeof DERIBIT_MARKETS)[number];

/**
 * Trade channel intervals an unauthenticated connection may use. `raw` needs an authenticated
 * connection: Deribit answers error 13778 `raw_subscriptions_not_available_for_unauthorized`
 * (bmoscon/cryptofeed#768), so it is not offered.
 */
export const DERIBIT_INTERVALS = ['100ms', 'agg2'] as const;

/** Deribit refuses `public/set_heartbeat` intervals under 10 s (docs: "not less than 10"). */
const MIN_HEARTBEAT_MS = 10_000;

/** The options schema (zod, from `@liqmon/core` so that core validates with the same library). */
export const deribitOptionsSchema = z
  .object({
    /**
     * Product lines to watch.
     * @default ['linear', 'inverse']
     */
    markets: z
      .array(z.enum(DERIBIT_MARKETS))
      .min(1, 'list at least one market: linear, inverse')
      .default(['linear', 'inverse'])
      .meta({ description: 'Deribit product lines to watch: linear, inverse' }),
    /**
     * WebSocket base URL; the source appends `/ws/api/v2`.
     * @default 'wss://www.deribit.com'
     */
    wsUrl: z
      .url({ protocol: /^wss?$/, error: 'expected a ws:// or wss:// URL such as wss://www.deribit.com' })
      .default('wss://www.deribit.com')
      .meta({ description: 'WebSocket base URL; /ws/api/v2 is appended' }),
    /**
     * REST base URL; the source appends `/api/v2/public/get_instruments`.
     * @default 'https://www.deribit.com'
     */
    restUrl: z
      .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL such as https://www.deribit.com' })
      .default('https://www.deribit.com')
      .meta({ description: 'REST base URL used to list instruments' }),
    /**
     * Watch only these instruments (Deribit names, e.g. `BTC-PERPETUAL`, `ETH_USDC-PERPETUAL`), one
     * `trades.<instrument>.<interval>` channel each. When absent, one `trades.future.any.<interval>`
     * channel carries every future and perpetual, new listings included.
     */
    symbols: z
      .array(z.string().min(1))
      .min(1, 'list at least one instrument, or remove `symbols` to watch every future')
      .optional()
      .meta({ description: 'Only these instruments; absent = every future and perpetual' }),
    /**
     * Notification interval of the trade channels: `100ms` (batched every 100 ms) or `agg2`. Both carry
     * every trade; `raw` is refused to connections without an API key.
     * @default '100ms'
     */
    interval: z.enum(DERIBIT_INTERVALS).default('100ms').meta({ description: 'Trade channel interval: 100ms or agg2 (raw needs authentication)' }),
    /**
     * Interval of Deribit's heartbeat (`public/set_heartbeat`, at least 10 s): the server then speaks
     * at least this often and sends `test_request`s, which the source answers. Output in milliseconds.
     * @default '30s'
     */
    heartbeat: duration()
      .prefault('30s')
      .refine((ms) => ms >= MIN_HEARTBEAT_MS, 'heartbeat must be at least 10s (Deribit refuses shorter intervals)'),
    /**
     * Replace a connection that received nothing (no trade, no heartbeat) for this long. Deribit's
     * heartbeat makes a live connection speak every `heartbeat`, so this must be longer. Output in ms.
     * @default '90s'
     */
    staleAfter: duration().prefault('90s'),
    /**
     * How often the instrument list is fetched again (new listings; an unknown instrument in a frame
     * also triggers a fetch, at most once a minute). Output in milliseconds.
     * @default '1h'
     */
    refreshInterval: duration()
      .prefault('1h')
      .refine((ms) => ms >= 10_000, 'refreshInterval must be at least 10s'),
  })
  .refine((options) => options.staleAfter > options.heartbeat, {
    message: 'staleAfter must be longer than heartbeat (a live connection speaks once per heartbeat)',
    path: ['staleAfter'],
  });

/** Validated options, as the source's `create` receives them. */
export type DeribitOptions = z.output<typeof deribitOptionsSchema>;
