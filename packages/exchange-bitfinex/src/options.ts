/**
 * Options of the Bitfinex source, as written under `sources.<name>` in the config. One global channel
 * carries every liquidation, so there is no instrument list and no REST endpoint to point anywhere.
 */
import { duration, z } from '@liqmon/core';

/** The options schema (zod, from `@liqmon/core` so that core validates with the same library). */
export const bitfinexOptionsSchema = z.object({
  /**
   * Public WebSocket base URL, without a path; the source appends `/ws/2`.
   * @default 'wss://api-pub.bitfinex.com'
   */
  wsUrl: z
    .url({ protocol: /^wss?$/, error: 'expected a ws:// or wss:// base URL such as wss://api-pub.bitfinex.com' })
    .default('wss://api-pub.bitfinex.com')
    .meta({ description: 'WebSocket base URL; /ws/2 is appended' }),
  /**
   * Replace the connection after this long without any frame. Bitfinex sends a heartbeat on the
   * channel every 15 s, and the source pings (`{"event":"ping"}`) every third of this (at most every
   * 20 s). Output in milliseconds.
   * @default '60s'
   */
  staleAfter: duration()
    .prefault('60s')
    .refine((ms) => ms >= 1_000, 'staleAfter must be at least 1s (the default is 60s)'),
});

/** Validated options, as the source's `create` receives them. */
export type BitfinexOptions = z.output<typeof bitfinexOptionsSchema>;
