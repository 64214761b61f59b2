/**
 * The reference data decoding needs: base and quote per (category, symbol). Entries are only added,
 * never removed, so a late or replayed frame of a delisted contract still gets its real base/quote.
 */
import { splitSymbol, type BybitInstrument } from './instruments.js';
import type { BybitCategory } from './options.js';

/** Base and quote of one contract. */
export interface BaseQuote {
  base: string;
  quote: string;
}

/** Lookup of base/quote by category and symbol, with a symbol-splitting fallback. */
export class InstrumentBook {
  readonly #byKey = new Map<string, BaseQuote>();

  /** Record (or update) instruments from instruments-info. */
  add(instruments: Iterable<BybitInstrument>): void {
    for (const instrument of instruments) {
      this.#byKey.set(key(instrument.category, instrument.symbol), { base: instrument.base, quote: instrument.quote });
    }
  }

  /** True when instruments-info listed this contract at some point. */
  has(category: BybitCategory, symbol: string): boolean {
    return this.#byKey.has(key(category, symbol));
  }

  /** Base/quote from instruments-info, else guessed from the symbol ({@link splitSymbol}). */
  resolve(category: BybitCategory, symbol: string): BaseQuote {
    return this.#byKey.get(key(category, symbol)) ?? splitSymbol(symbol, category);
  }

  /** Number of known contracts. */
  get size(): number {
    return this.#byKey.size;
  }
}

function key(category: BybitCategory, symbol: string): string {
  return `${category}:${symbol}`;
}
