/**
 * Compiles a rule's `match:` into one predicate, once, so that the hot path does Set lookups and
 * precompiled glob tests only. Values compare case-insensitively (`btc` matches `BTC`); `symbol` also
 * takes globs (`*USDT`, `1000*`, `BTCUSDT_*`), matched in time linear in the symbol's length (./glob.ts).
 */
import type { MatchConfig } from '../config/schema.js';
import type { Liquidation } from '../liquidation.js';
import { compileGlob, isGlob } from './glob.js';

/** A compiled test of one event. */
export type EventPredicate = (event: Liquidation) => boolean;

const FIELDS = ['exchange', 'market', 'symbol', 'base', 'quote', 'side', 'source'] as const;
type Field = (typeof FIELDS)[number];
type FieldValues = Partial<Record<Field, readonly string[]>>;

const ALWAYS: EventPredicate = () => true;

/**
 * Most remembered values per field test. Fields take few values (symbols, assets, exchanges: a few
 * thousand at most), so the cache normally holds them all; past the cap, values are tested afresh.
 */
const MAX_REMEMBERED = 10_000;

/**
 * One field's test, remembered per value: a test runs once per symbol instead of once per event (an
 * upper-casing or a glob's regular expression on every liquidation was a measurable part of the chain).
 */
function fieldTest(field: Field, test: (value: string) => boolean): EventPredicate {
  const results = new Map<string, boolean>();
  return (event) => {
    const value = event[field];
    let result = results.get(value);
    if (result === undefined) {
      result = test(value);
      if (results.size < MAX_REMEMBERED) results.set(value, result);
    }
    return result;
  };
}

/** Exact values of one field, compared upper-cased. */
function exactValues(values: readonly string[]): (value: string) => boolean {
  const set = new Set(values.map((value) => value.toUpperCase()));
  return (value) => set.has(value.toUpperCase());
}

/** Symbols: exact ones through a Set, globs through precompiled linear-time matchers. */
function symbolTest(values: readonly string[]): EventPredicate {
  const globs = values.filter((value) => isGlob(value));
  const exact = values.filter((value) => !globs.includes(value));
  const exactOk = exact.length > 0 ? exactValues(exact) : undefined;
  if (globs.length === 0) return exactOk ? fieldTest('symbol', exactOk) : ALWAYS;
  const tests = globs.map((value) => compileGlob(value));
  const glob = (symbol: string) => tests.some((test) => test(symbol));
  return fieldTest('symbol', exactOk ? (symbol) => exactOk(symbol) || glob(symbol) : glob);
}

/** All given fields must fit; undefined when no field is given. */
function compileFields(fields: FieldValues): EventPredicate | undefined {
  const tests: EventPredicate[] = [];
  for (const field of FIELDS) {
    const values = fields[field];
    if (!values || values.length === 0) continue;
    tests.push(field === 'symbol' ? symbolTest(values) : fieldTest(field, exactValues(values)));
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
