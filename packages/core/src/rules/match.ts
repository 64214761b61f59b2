/**
 * Compiles a rule's `match:` into one predicate, once, so that the hot path does Set lookups and
 * precompiled glob tests only. Values compare case-insensitively (`btc` matches `BTC`); `symbol` also
 * takes picomatch globs (`*USDT`, `1000*`, `BTCUSDT_*`).
 */
import picomatch from 'picomatch';
import type { MatchConfig } from '../config/schema.js';
import type { Liquidation } from '../liquidation.js';

/** A compiled test of one event. */
export type EventPredicate = (event: Liquidation) => boolean;

const FIELDS = ['exchange', 'market', 'symbol', 'base', 'quote', 'side', 'source'] as const;
type Field = (typeof FIELDS)[number];
type FieldValues = Partial<Record<Field, readonly string[]>>;

const ALWAYS: EventPredicate = () => true;

/** Exact values of one field: a Set of upper-cased values, the event's value tried as is, then upper-cased. */
function exactTest(field: Field, values: readonly string[]): EventPredicate {
  const set = new Set(values.map((value) => value.toUpperCase()));
  return (event) => {
    const value = event[field];
    return set.has(value) || set.has(value.toUpperCase());
  };
}

/** Symbols: exact ones through a Set, globs through one precompiled picomatch matcher. */
function symbolTest(values: readonly string[]): EventPredicate {
  const globs = values.filter((value) => picomatch.scan(value).isGlob);
  const exact = values.filter((value) => !globs.includes(value));
  const exactOk = exact.length > 0 ? exactTest('symbol', exact) : undefined;
  if (globs.length === 0) return exactOk ?? ALWAYS;
  const glob = picomatch(globs, { nocase: true, dot: true });
  return exactOk ? (event) => exactOk(event) || glob(event.symbol) : (event) => glob(event.symbol);
}

/** All given fields must fit; undefined when no field is given. */
function compileFields(fields: FieldValues): EventPredicate | undefined {
  const tests: EventPredicate[] = [];
  for (const field of FIELDS) {
    const values = fields[field];
    if (!values || values.length === 0) continue;
    tests.push(field === 'symbol' ? symbolTest(values) : exactTest(field, values));
  }
  if (tests.length === 0) return undefined;
  if (tests.length === 1) return tests[0];
  return (event) => {
    for (const test of tests) if (!test(event)) return false;
    return true;
  };
}

/**
 * Compile a rule's `match:`. Without `match` (or with no fields) every event fits. `not:` removes events
 * that fit all of its fields; an empty `not: {}` removes nothing.
 */
export function compileMatch(match: MatchConfig | undefined): EventPredicate {
  if (!match) return ALWAYS;
  const include = compileFields(match);
  const exclude = match.not ? compileFields(match.not) : undefined;
  if (include && exclude) return (event) => include(event) && !exclude(event);
  if (exclude) return (event) => !exclude(event);
  return include ?? ALWAYS;
}
