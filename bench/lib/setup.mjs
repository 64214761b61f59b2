/**
 * Shared bits of the benchmarks: the three-rule chain, a silent plugin context, the built plugins,
 * and small statistics helpers.
 */
import binance from '@liqmon/exchange-binance';
import bybit from '@liqmon/exchange-bybit';
import { pino } from 'pino';

export { binance, bybit };

/**
 * The three-rule chain of the benchmarks, in the validated shape `RuleEngine` takes (amounts in USD,
 * durations in ms): majors above $50k, memes aggregated into cascades, everything else above $100k.
 */
export const THREE_RULES = [
  { name: 'majors', match: { base: ['BTC', 'ETH', 'SOL'] }, minUsd: 50_000, continue: false, to: ['null'] },
  {
    name: 'memes',
    match: { symbol: ['1000*', '*PEPE*', 'DOGE*'] },
    aggregate: { window: 60_000, by: ['base', 'side'], minUsd: 1_000_000 },
    continue: false,
    to: ['null'],
  },
  { name: 'everything-else', minUsd: 100_000, continue: false, to: ['null'] },
];

/** The same chain as YAML, for `liqmon start` configs (`to` filled in by the caller). */
export const threeRulesYaml = (to) => `rules:
  - name: majors
    match: { base: [BTC, ETH, SOL] }
    minUsd: 0
    to: [${to}]
  - name: memes
    match: { symbol: ["1000*", "*PEPE*", "DOGE*"] }
    minUsd: 0
    to: [${to}]
  - name: everything-else
    minUsd: 0
    to: [${to}]
`;

/** A source context that logs nowhere and drops frames (decode is called directly). */
export function silentSourceContext(name) {
  return {
    name,
    logger: pino({ level: 'silent' }),
    signal: new AbortController().signal,
    secrets: { add() {} },
    frame() {},
  };
}

/** Percentile of a sorted array (nearest rank). */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Median of a list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return percentile(sorted, 50);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Round to `digits` decimals for tables and JSON. */
export const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Bytes as MB with one decimal. */
export const mb = (bytes) => round(bytes / 1024 / 1024, 1);
