/**
 * Exponential backoff with full jitter, the one implementation every retry loop in core uses
 * (restarting plugins, reconnecting sockets, retrying deliveries).
 */
export interface BackoffPolicy {
  /** First delay, ms. */
  minMs: number;
  /** Largest delay, ms. */
  maxMs: number;
  /** Growth per attempt. @default 2 */
  factor?: number;
  /** Fraction of the delay that is randomised (0 = none, 1 = full jitter). @default 0.5 */
  jitter?: number;
}

/** Delay before retry number `attempt` (1-based), with jitter. */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const factor = policy.factor ?? 2;
  const jitter = policy.jitter ?? 0.5;
  const base = Math.min(policy.maxMs, policy.minMs * factor ** Math.max(0, attempt - 1));
  return Math.round(base * (1 - jitter) + base * jitter * random());
}

/** Resolves after `ms`, or early (without rejecting) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
