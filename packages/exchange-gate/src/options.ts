/**
 * Options of the Gate futures source, as written under `sources.<name>` in the config.
 */
import { duration, z } from '@liqmon/core';

/** Gate futures product lines this source can watch. */
export const GATE_MARKETS = ['linear', 'inverse'] as const;

/** `linear`: USDT-settled contracts (`/v4/ws/usdt`); `inverse`: BTC-settled ones (`/v4/ws/btc`). */
export type GateMarket = (typeof GATE_MARKETS)[number];

/**
 * Below a second, one scheduling hiccup of a busy process would replace healthy connections (and a
 * reconnect loses the liquidations pushed meanwhile for good).
 */
const MIN_STALE_AFTER_MS = 1_000;

/** The options schema (zod, from `@liqmon/core` so that core validates with the same library). */
export const gateOptionsSchema = z.object({
  /**
   * Product lines to watch: `linear` (USDT-settled), `inverse` (BTC-settled).
   * @default ['linear', 'inverse']
   */
  markets: z
    .array(z.enum(GATE_MARKETS))
    .min(1, 'list at least one market: linear, inverse')
    .default(['linear', 'inverse'])
    .meta({ description: 'Gate futures product lines to watch: linear (USDT-settled), inverse (BTC-settled)' }),
  /**
   * WebSocket base URL, without a path; the source appends `/v4/ws/usdt` or `/v4/ws/btc`.
   * @default 'wss://fx-ws.gateio.ws'
   */
  wsUrl: z
    .url({ protocol: /^wss?$/, error: 'expected a ws:// or wss:// URL such as wss://fx-ws.gateio.ws' })
    .default('wss://fx-ws.gateio.ws')
    .meta({ description: 'WebSocket base URL; /v4/ws/<settle> is appended' }),
  /**
   * REST base URL, without a path; the source appends `/api/v4/futures/<settle>/contracts`.
   * @default 'https://api.gateio.ws'
   */
  restUrl: z
    .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL such as https://api.gateio.ws' })
    .default('https://api.gateio.ws')
    .meta({ description: 'REST base URL used to list contracts; /api/v4/futures/<settle>/contracts is appended' }),
  /**
   * Watch only these contracts (Gate names, e.g. `BTC_USDT`, `BTC_USD`). Absent: every contract of
   * each market (one `!all` subscription per market, so new listings are covered at once).
   */
  symbols: z
    .array(z.string().min(1))
    .min(1, 'list at least one contract, or remove `symbols` to watch every contract')
    .optional()
    .meta({ description: 'Only these contracts (BTC_USDT); absent = every contract' }),
  /**
   * How often the contract list (multipliers, types) is fetched again, in milliseconds.
   * @default '1h'
   */
  refreshInterval: duration()
    // prefault, not default: the default is parsed like user input, so it reads as a duration.
    .prefault('1h')
    .refine((ms) => ms >= 10_000, 'refreshInterval must be at least 10s'),
  /**
   * Replace a connection that received nothing (no frame, no pong) for this long, in milliseconds. A
   * value under 45s also shortens the `futures.ping` heartbeat (to a third of it), so a quiet but live
   * connection answers in time and is never replaced.
   * @default '60s'
   */
  staleAfter: duration()
    .prefault('60s')
    .refine((ms) => ms >= MIN_STALE_AFTER_MS, 'staleAfter must be at least 1s (a silent connection is replaced after this long; the default is 60s)')
    .meta({ description: 'Replace a connection silent (no frame, no pong) this long (default 60s, minimum 1s)' }),
});

/** Validated options, as the source's `create` receives them. */
export type GateOptions = z.output<typeof gateOptionsSchema>;
