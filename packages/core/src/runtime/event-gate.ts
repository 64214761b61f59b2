/**
 * The gate every liquidation passes before the rules: events that fail core's checks
 * (`liquidation-check.ts`) are dropped, counted by reason for `/healthz` and
 * `liqmon_events_invalid_total{source,reason}`, and logged at most once per reason per 10 s with the
 * count dropped since the last line. One gate per source, so a bad feed is named.
 */
import type { Logger } from 'pino';
import { invalidReason, type InvalidReason } from '../liquidation-check.js';
import type { Liquidation } from '../liquidation.js';
import { LogThrottle, LOG_THROTTLE_INTERVAL_MS } from '../util/log-throttle.js';

export class EventGate {
  /** Dropped events by reason. */
  readonly invalid: Partial<Record<InvalidReason, number>> = {};
  /** Dropped events, every reason. */
  invalidTotal = 0;
  readonly #throttle: LogThrottle;
  /** The latest message per reason, for the next throttled line. */
  readonly #lastMessage = new Map<string, string>();

  constructor(logger: Logger, options: { intervalMs?: number; now?: () => number } = {}) {
    const intervalMs = options.intervalMs ?? LOG_THROTTLE_INTERVAL_MS;
    this.#throttle = new LogThrottle({
      intervalMs,
      ...(options.now ? { now: options.now } : {}),
      write: (reason, summary) => {
        const message = this.#lastMessage.get(reason) ?? reason;
        logger.warn(
          { reason, dropped: summary.count, invalidTotal: this.invalidTotal },
          summary.periodMs === 0
            ? `dropped an invalid liquidation (${reason}): ${message}`
            : `dropped ${summary.count} invalid liquidation(s) (${reason}) in the last ${Math.round(summary.periodMs / 1000)}s; latest: ${message}`,
        );
      },
    });
  }

  /** True when `event` may go on to the rules; otherwise it is counted and logged (throttled). */
  admit(event: Liquidation): boolean {
    const problem = invalidReason(event);
    if (!problem) return true;
    this.invalidTotal++;
    this.invalid[problem.reason] = (this.invalid[problem.reason] ?? 0) + 1;
    this.#lastMessage.set(problem.reason, problem.message);
    this.#throttle.note(problem.reason);
    return false;
  }

  /** Write pending summary lines and clear timers. */
  close(): void {
    this.#throttle.close();
  }
}
