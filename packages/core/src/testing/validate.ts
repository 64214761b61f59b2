/** Checks that an object is a well-formed {@link Liquidation}: what every source must emit. */
import { LIQUIDATION_FIELDS, type Liquidation } from '../liquidation.js';

const SIDES = new Set(['long', 'short']);
const PRICE_KINDS = new Set(['fill', 'bankruptcy', 'order']);
const POSITIVE = ['price', 'quantity', 'notionalUsd'] as const;
const STRINGS = ['id', 'exchange', 'market', 'symbol', 'base', 'quote', 'source'] as const;

/**
 * Everything wrong with `event` as a Liquidation, as readable sentences; empty when it is valid.
 * Checks: exactly the DESIGN.md fields, non-empty strings, lowercase exchange, finite positive price,
 * quantity and notionalUsd, side long/short, a known priceKind, plausible epoch-ms times, boolean
 * `sampled`, and (when given) the expected source name.
 */
export function liquidationProblems(event: unknown, expect: { source?: string } = {}): string[] {
  if (typeof event !== 'object' || event === null) return [`not an object: ${JSON.stringify(event)}`];
  const record = event as Record<string, unknown>;
  const problems: string[] = [];
  const keys = Object.keys(record);
  for (const field of LIQUIDATION_FIELDS) if (!(field in record)) problems.push(`missing field "${field}"`);
  for (const key of keys) {
    if (!(LIQUIDATION_FIELDS as readonly string[]).includes(key)) problems.push(`unexpected field "${key}"`);
  }
  for (const field of STRINGS) {
    const value = record[field];
    if (typeof value !== 'string' || value.length === 0) problems.push(`${field} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  if (typeof record.exchange === 'string' && record.exchange !== record.exchange.toLowerCase()) {
    problems.push(`exchange must be lowercase, got "${record.exchange}"`);
  }
  for (const field of POSITIVE) {
    const value = record[field];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      problems.push(`${field} must be a finite positive number, got ${String(value)}`);
    }
  }
  if (!SIDES.has(record.side as string)) problems.push(`side must be "long" or "short", got ${JSON.stringify(record.side)}`);
  if (!PRICE_KINDS.has(record.priceKind as string)) problems.push(`priceKind is not fill|bankruptcy|order: ${JSON.stringify(record.priceKind)}`);
  for (const field of ['time', 'receivedAt'] as const) {
    const value = record[field];
    // 2001-09-09 .. 2286: rules out seconds (too small) and microseconds (too large).
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1e12 || value >= 1e13) {
      problems.push(`${field} must be integer milliseconds since epoch, got ${String(value)}`);
    }
  }
  if (typeof record.sampled !== 'boolean') problems.push(`sampled must be a boolean, got ${String(record.sampled)}`);
  if (expect.source !== undefined && record.source !== expect.source) {
    problems.push(`source must be the instance name "${expect.source}", got ${JSON.stringify(record.source)}`);
  }
  return problems;
}

/** Throws an Error listing the problems when `event` is not a valid Liquidation. */
export function assertLiquidation(event: unknown, expect: { source?: string } = {}): asserts event is Liquidation {
  const problems = liquidationProblems(event, expect);
  if (problems.length > 0) {
    throw new Error(`Invalid liquidation ${JSON.stringify(event)}:\n  - ${problems.join('\n  - ')}`);
  }
}
