/**
 * Rate-limited, summarising log lines: a flood of the same kind of message (events dropped as invalid,
 * symbols missing from exchange info) becomes at most one line per key per interval, with the count
 * of occurrences since the last line and a few examples. The first occurrence of a key is written at
 * once, so a single problem is never delayed; what happens within the interval after it is written
 * once the interval ends, so the last burst of a flood is never lost.
 */
import { sanitizeText } from '../format/sanitize.js';

/** What one summary line reports. */
export interface ThrottledSummary {
  /** Occurrences since the previous line of this key (1 for the first line). */
  count: number;
  /** Up to `maxExamples` distinct examples among them, in order of arrival. */
  examples: readonly string[];
  /** Length of the interval the count covers, in ms (0 for an immediate line). */
  periodMs: number;
}

/** Options of {@link LogThrottle}. */
export interface LogThrottleOptions {
  /** Writes one line for `key`. Called synchronously from `note`, or from a timer. */
  write: (key: string, summary: ThrottledSummary) => void;
  /** At most one line per key per this many ms. @default 10000 */
  intervalMs?: number;
  /** Examples kept per line. @default 3 */
  maxExamples?: number;
  /** @default Date.now */
  now?: () => number;
}

interface KeyState {
  lastWriteAt: number;
  count: number;
  examples: string[];
  timer: NodeJS.Timeout | undefined;
}

/** Default interval of throttled lines, in ms. */
export const LOG_THROTTLE_INTERVAL_MS = 10_000;

/**
 * One throttle serves many keys (a key is e.g. a reason or a market; keys must come from a bounded
 * set, never from exchange data). Call {@link close} when done: it writes what is pending and clears
 * the timers.
 */
export class LogThrottle {
  readonly #write: LogThrottleOptions['write'];
  readonly #interval: number;
  readonly #maxExamples: number;
  readonly #now: () => number;
  readonly #keys = new Map<string, KeyState>();

  constructor(options: LogThrottleOptions) {
    this.#write = options.write;
    this.#interval = options.intervalMs ?? LOG_THROTTLE_INTERVAL_MS;
    this.#maxExamples = options.maxExamples ?? 3;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Count one occurrence of `key`, with an optional example (a symbol, a value). Examples are usually
   * exchange text: their control, bidi and zero-width characters are replaced before they are kept.
   */
  note(key: string, rawExample?: string): void {
    const example = rawExample === undefined ? undefined : sanitizeText(rawExample);
    const now = this.#now();
    const state = this.#keys.get(key);
    if (!state || (state.count === 0 && now - state.lastWriteAt >= this.#interval)) {
      this.#keys.set(key, { lastWriteAt: now, count: 0, examples: [], timer: undefined });
      this.#write(key, { count: 1, examples: example === undefined ? [] : [example], periodMs: 0 });
      return;
    }
    state.count++;
    if (example !== undefined && state.examples.length < this.#maxExamples && !state.examples.includes(example)) state.examples.push(example);
    if (!state.timer) {
      state.timer = setTimeout(() => this.#flush(key), Math.max(0, state.lastWriteAt + this.#interval - now));
      state.timer.unref(); // a pending summary never keeps the process alive
    }
  }

  /** Write every pending summary now and clear the timers. The throttle can be used again afterwards. */
  close(): void {
    for (const key of [...this.#keys.keys()]) this.#flush(key);
    this.#keys.clear();
  }

  #flush(key: string): void {
    const state = this.#keys.get(key);
    if (!state) return;
    clearTimeout(state.timer);
    state.timer = undefined;
    if (state.count === 0) return;
    const now = this.#now();
    const summary: ThrottledSummary = { count: state.count, examples: state.examples, periodMs: Math.max(0, now - state.lastWriteAt) };
    state.lastWriteAt = now;
    state.count = 0;
    state.examples = [];
    this.#write(key, summary);
  }
}

/** `FOOUSDT, BARUSDT, BAZUSDT` plus `, ...` when there were more occurrences than examples. */
export function exampleList(summary: ThrottledSummary): string {
  const more = summary.count > summary.examples.length ? ', ...' : '';
  return `${summary.examples.join(', ')}${more}`;
}
