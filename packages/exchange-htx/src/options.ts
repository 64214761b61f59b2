/**
 * Options of the HTX source, as written under `sources.<name>` in the config (besides `use`).
 * Durations take a unit (`30s`, `1h`) and come out as milliseconds.
 */
import { duration, z } from '@liqmon/core';

/**
 * Below a second, one scheduling hiccup of a busy process would replace a healthy connection (and the
 * liquidations pushed during a reconnect are lost for good).
 */
const MIN_STALE_AFTER_MS = 1_000;

/** The options schema (zod, from `@liqmon/core` so that core validates with the same library). */
export const htxOptionsSchema = z.object({
  /**
   * Watch only these contracts (HTX `contract_code`, e.g. `BTC-USDT`, `ETH-USDT-251226`). The source
   * subscribes to every contract with one wildcard topic either way, so the filter applies to decoded events.
   * @default every USDT-margined contract
   */
  symbols: z
    .array(z.string().min(1))
    .min(1, 'list at least one contract, or remove `symbols` to watch every one')
    .optional()
    .meta({ description: 'Only these contracts (BTC-USDT); absent = every USDT-margined swap and future' }),
  /**
   * WebSocket base URL without a path; the source appends `/linear-swap-notification`.
   * @default 'wss://api.hbdm.com'
   */
  wsUrl: z
    .url({ protocol: /^wss?$/, error: 'expected a ws:// or wss:// URL without a path, such as wss://api.hbdm.com' })
    .default('wss://api.hbdm.com')
    .meta({ description: 'WebSocket base URL; /linear-swap-notification is appended' }),
  /**
   * REST base URL without a path; the source appends `/linear-swap-api/v1/swap_contract_info`.
   * @default 'https://api.hbdm.com'
   */
  restUrl: z
    .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL without a path, such as https://api.hbdm.com' })
    .default('https://api.hbdm.com')
    .meta({ description: 'REST base URL used to list contracts (contract sizes)' }),
  /**
   * How often the contract list (contract sizes, new listings) is fetched again. A contract missing
   * from the list also triggers a refresh (at most once a minute, by core).
   * @default '1h'
   */
  refreshInterval: duration()
    // prefault, not default: the default is parsed like user input, so it reads as a duration.
    .prefault('1h')
    .refine((ms) => ms >= 10_000, 'refreshInterval must be at least 10s')
    .meta({ description: 'Contract list refresh interval (default 1h, minimum 10s)' }),
  /**
   * Replace the connection after this long without any frame. HTX sends a ping every 5 s, so a
   * connection silent this long is dead even when the market is quiet.
   * @default '30s'
   */
  staleAfter: duration()
    .prefault('30s')
    .refine((ms) => ms >= MIN_STALE_AFTER_MS, 'staleAfter must be at least 1s (a silent connection is replaced after this long; the default is 30s)')
    .meta({ description: 'Replace a connection silent (no frame, no ping) this long (default 30s, minimum 1s)' }),
});

/** Validated options, as the source's `create` receives them. */
export type HtxOptions = z.output<typeof htxOptionsSchema>;
