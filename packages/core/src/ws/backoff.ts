/**
 * Reconnect delays: exponential growth, capped, with jitter so that many clients cut off at the same
 * moment (an exchange restart) do not all come back in the same millisecond.
 */
import { backoffDelay as coreBackoffDelay } from '../util/backoff.js';

/** How long to wait between reconnect attempts. All durations in milliseconds. */
export interface BackoffOptions {
  /** Delay before the first retry. @default 500 (ms) */
  initialDelay?: number;
  /** Upper bound of any delay. @default 30000 (ms) */
  maxDelay?: number;
  /** Growth per failed attempt. @default 2 */
  factor?: number;
  /**
   * Share of each delay that is random, 0..1. With 0.5 a 4 s step waits between 2 s and 4 s
   * ("equal jitter"). @default 0.5
   */
  jitter?: number;
}

/** The defaults, written out in one place. */
export const BACKOFF_DEFAULTS: Readonly<Required<BackoffOptions>> = Object.freeze({
  initialDelay: 500,
  maxDelay: 30_000,
  factor: 2,
  jitter: 0.5,
});

/**
 * Delay before retry number `attempt` (0 for the first retry): core's one backoff formula
 * (`util/backoff.ts`), with the client's option names and defaults.
 * @param random source of randomness in [0, 1); injectable for tests.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const { initialDelay, maxDelay, factor, jitter } = { ...BACKOFF_DEFAULTS, ...options };
  const policy = { minMs: initialDelay, maxMs: maxDelay, factor, jitter: Math.min(1, Math.max(0, jitter)) };
  return coreBackoffDelay(policy, attempt + 1, random);
}
