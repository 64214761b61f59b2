/**
 * The Bybit source's reference data as plain JSON, for `reference()` / `prepare(reference)`: what a
 * recording keeps so that a replay decodes offline exactly as the live run did. Small and versioned:
 *
 *   {"format":"bybit-instruments","v":1,"categories":{
 *     "linear":{"BTCUSDT":{"base":"BTC","quote":"USDT"}},"inverse":{"BTCUSD":{"base":"BTC","quote":"USD"}}}}
 *
 * Bybit needs no contract sizes (linear sizes are base units, inverse contracts 1 USD each). It comes
 * back from a file: {@link parseReference} checks every entry and says what is wrong.
 */
import type { BybitInstrument } from './instruments.js';
import { BYBIT_CATEGORIES, type BybitCategory } from './options.js';

/** Names this JSON among other plugins' reference data. */
export const REFERENCE_FORMAT = 'bybit-instruments';
/** Version of the shape; a reader refuses another. */
export const REFERENCE_VERSION = 1;

/** The JSON shape. */
export interface BybitReference {
  format: typeof REFERENCE_FORMAT;
  v: typeof REFERENCE_VERSION;
  categories: Partial<Record<BybitCategory, Record<string, { base: string; quote: string }>>>;
}

/** Reference data of these instruments, or undefined when there are none (nothing listed yet). */
export function referenceOf(instruments: readonly BybitInstrument[]): BybitReference | undefined {
  if (instruments.length === 0) return undefined;
  const categories: BybitReference['categories'] = {};
  for (const { category, symbol, base, quote } of instruments) (categories[category] ??= {})[symbol] = { base, quote };
  return { format: REFERENCE_FORMAT, v: REFERENCE_VERSION, categories };
}

/** Instruments per category from reference data; throws an Error saying what is wrong with it. */
export function parseReference(value: unknown): Map<BybitCategory, BybitInstrument[]> {
  if (!isObject(value) || value.format !== REFERENCE_FORMAT) throw new Error(`not Bybit reference data (no "format": "${REFERENCE_FORMAT}")`);
  if (value.v !== REFERENCE_VERSION) throw new Error(`version ${JSON.stringify(value.v)} is not ${REFERENCE_VERSION}`);
  if (!isObject(value.categories)) throw new Error('no "categories" object');
  const result = new Map<BybitCategory, BybitInstrument[]>();
  for (const [category, table] of Object.entries(value.categories)) {
    if (!(BYBIT_CATEGORIES as readonly string[]).includes(category)) throw new Error(`unknown category "${category}" (expected linear or inverse)`);
    if (!isObject(table)) throw new Error(`categories.${category} is not an object`);
    const list = Object.entries(table).map(([symbol, entry]): BybitInstrument => {
      if (!isObject(entry) || typeof entry.base !== 'string' || typeof entry.quote !== 'string' || entry.base === '' || entry.quote === '') {
        throw new Error(`categories.${category}.${symbol} needs string "base" and "quote"`);
      }
      return { category: category as BybitCategory, symbol, base: entry.base, quote: entry.quote };
    });
    result.set(category as BybitCategory, list);
  }
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
