/**
 * The one definition of a valid {@link Liquidation}. Exchange frames are untrusted: the runtime checks
 * every event of every source (live and replayed) with {@link invalidReason} before the rules, and the
 * test kit (`@liqmon/core/testing`) checks plugin output with {@link liquidationProblems}, built on
 * the same rules plus the contract's stricter points (exact field set, lowercase exchange).
 *
 * Why each limit: a notional of Infinity passes every `minUsd` and holds a cascade total at Infinity;
 * a time of 9e15 makes date formatting throw; a 10k-character symbol floods a chat message.
 */
import { sanitizeText } from './format/sanitize.js';
import { LIQUIDATION_FIELDS, type Liquidation } from './liquidation.js';

/** Largest notional accepted, in USD: far above any single liquidation ever seen, far below overflow. */
export const MAX_NOTIONAL_USD = 10_000_000_000;
/** Largest distance between an event's exchange time and its local receive time, in ms (one day). */
export const MAX_CLOCK_SKEW_MS = 86_400_000;
/** Longest symbol accepted, in characters. */
export const MAX_SYMBOL_LENGTH = 64;

/**
 * Why an event was dropped; the `reason` label of `liqmon_events_invalid_total`. A fixed set, so the
 * metric's series stay bounded whatever a source sends.
 */
export type InvalidReason =
  | 'not_object'
  | 'price'
  | 'quantity'
  | 'notional'
  | 'notional_too_large'
  | 'time'
  | 'received_at'
  | 'side'
  | 'symbol'
  | 'price_kind'
  | 'sampled'
  | 'id'
  | 'field_type';

/** One failed check: the reason and a sentence that shows the bad value. */
export interface InvalidEvent {
  reason: InvalidReason;
  message: string;
}

type Check = (event: Record<string, unknown>) => InvalidEvent | undefined;

/** A live event's exchange time is within a day of its receive time (recorded frames decoded later are not). */
const skew: Check = (event) =>
  Math.abs((event.time as number) - (event.receivedAt as number)) > MAX_CLOCK_SKEW_MS
    ? { reason: 'time', message: `time ${String(event.time)} is more than a day from the receive time ${String(event.receivedAt)}` }
    : undefined;

const show = (value: unknown): string => {
  // Exchange text goes into log lines: no control, bidi or zero-width character of it reaches a terminal.
  const text = sanitizeText(typeof value === 'string' ? JSON.stringify(value) : String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

const positive = (field: 'price' | 'quantity' | 'notionalUsd', reason: InvalidReason): Check => (event) => {
  const value = event[field];
  return typeof value === 'number' && Number.isFinite(value) && value > 0
    ? undefined
    : { reason, message: `${field} must be a finite positive number, got ${show(value)}` };
};

const epochMs = (field: 'time' | 'receivedAt', reason: InvalidReason): Check => (event) => {
  const value = event[field];
  // 2001-09-09 .. 2286: rules out seconds (too small) and microseconds (too large).
  return typeof value === 'number' && Number.isInteger(value) && value >= 1e12 && value < 1e13
    ? undefined
    : { reason, message: `${field} must be integer milliseconds since epoch, got ${show(value)}` };
};

const text = (field: 'exchange' | 'market' | 'base' | 'quote' | 'source'): Check => (event) => {
  const value = event[field];
  return typeof value === 'string' && value.length > 0 ? undefined : { reason: 'field_type', message: `${field} must be a non-empty string, got ${show(value)}` };
};

/** The checks, cheapest and likeliest first; each names its reason. */
const CHECKS: readonly Check[] = [
  positive('price', 'price'),
  positive('quantity', 'quantity'),
  positive('notionalUsd', 'notional'),
  (event) =>
    (event.notionalUsd as number) > MAX_NOTIONAL_USD
      ? { reason: 'notional_too_large', message: `notionalUsd ${show(event.notionalUsd)} is above the $10B limit of one liquidation` }
      : undefined,
  epochMs('time', 'time'),
  epochMs('receivedAt', 'received_at'),
  skew,
  (event) => (event.side === 'long' || event.side === 'short' ? undefined : { reason: 'side', message: `side must be "long" or "short", got ${show(event.side)}` }),
  (event) => {
    const symbol = event.symbol;
    if (typeof symbol !== 'string' || symbol.length === 0) return { reason: 'symbol', message: `symbol must be a non-empty string, got ${show(symbol)}` };
    return symbol.length > MAX_SYMBOL_LENGTH ? { reason: 'symbol', message: `symbol is ${symbol.length} characters long (limit ${MAX_SYMBOL_LENGTH}): ${show(symbol)}` } : undefined;
  },
  (event) =>
    event.priceKind === 'fill' || event.priceKind === 'bankruptcy' || event.priceKind === 'order'
      ? undefined
      : { reason: 'price_kind', message: `priceKind is not fill|bankruptcy|order: ${show(event.priceKind)}` },
  (event) => (typeof event.sampled === 'boolean' ? undefined : { reason: 'sampled', message: `sampled must be a boolean, got ${show(event.sampled)}` }),
  (event) => (typeof event.id === 'string' && event.id.length > 0 ? undefined : { reason: 'id', message: `id must be a non-empty string, got ${show(event.id)}` }),
  text('exchange'),
  text('market'),
  text('base'),
  text('quote'),
  text('source'),
];

/**
 * The first reason `event` is not a usable liquidation, or undefined when it is. Cheap enough for
 * every event: a dozen comparisons, no allocation for a valid event.
 */
export function invalidReason(event: unknown): InvalidEvent | undefined {
  if (typeof event !== 'object' || event === null) return { reason: 'not_object', message: `not an object: ${show(event)}` };
  const record = event as Record<string, unknown>;
  for (const check of CHECKS) {
    const problem = check(record);
    if (problem) return problem;
  }
  return undefined;
}

/** What the test kit's checks expect beyond the runtime's. */
export interface LiquidationExpectations {
  /** The source instance name the event must carry. */
  source?: string;
  /**
   * The event was decoded from a frame received just now (not a recorded frame decoded with a made-up
   * receive time), so its time must be within a day of `receivedAt`, as the runtime requires.
   * @default false
   */
  live?: boolean;
}

/**
 * Everything wrong with `event` as a Liquidation, as readable sentences; empty when it is valid.
 * Every runtime check of {@link invalidReason} (the clock-skew check only with `live`), and the
 * contract's stricter points: exactly the DESIGN.md fields, a lowercase exchange, and (when given) the
 * expected source name.
 */
export function liquidationProblems(event: unknown, expect: LiquidationExpectations = {}): string[] {
  if (typeof event !== 'object' || event === null) return [`not an object: ${JSON.stringify(event)}`];
  const record = event as Record<string, unknown>;
  const problems: string[] = [];
  for (const field of LIQUIDATION_FIELDS) if (!(field in record)) problems.push(`missing field "${field}"`);
  for (const key of Object.keys(record)) {
    if (!(LIQUIDATION_FIELDS as readonly string[]).includes(key)) problems.push(`unexpected field "${key}"`);
  }
  for (const check of CHECKS) {
    if (check === skew && expect.live !== true) continue;
    const problem = check(record);
    if (problem) problems.push(problem.message);
  }
  if (typeof record.exchange === 'string' && record.exchange !== record.exchange.toLowerCase()) {
    problems.push(`exchange must be lowercase, got "${record.exchange}"`);
  }
  if (expect.source !== undefined && record.source !== expect.source) {
    problems.push(`source must be the instance name "${expect.source}", got ${JSON.stringify(record.source)}`);
  }
  return problems;
}

/** Throws an Error listing the problems when `event` is not a valid Liquidation. */
export function assertLiquidation(event: unknown, expect: LiquidationExpectations = {}): asserts event is Liquidation {
  const problems = liquidationProblems(event, expect);
  if (problems.length > 0) {
    throw new Error(`Invalid liquidation ${JSON.stringify(event)}:\n  - ${problems.join('\n  - ')}`);
  }
}
