/**
 * The reference data decoding needs: base and quote per (category, symbol). Entries are only added,
 * never removed, so a late or replayed frame of a delisted contract still gets its real base/quote.
 * Pricing does not need it (linear sizes are base units, inverse contracts are 1 USD each), so a symbol
 * it does not list gets base/quote split from the symbol; only a symbol of no known shape, whose base and
 * quote cannot be told, is an unknown instrument (docs/decisions/bybit.md, 2026-12-04).
 */
import { UnknownInstrumentError } from '@liqmon/core';
import { splitSymbol, type BybitInstrument } from './instruments.js';
import type { BybitCategory } from './options.js';

/** Base and quote of one contract. */
export interface BaseQuote {
  base: string;
  quote: string;
}

/** Most guessed entries kept per category (symbols instruments-info does not list; normally a handful). */
const MAX_GUESSES = 10_000;

/**
 * Lookup of base/quote by category and symbol, with a symbol-splitting fallback. One Map per category,
 * so that a lookup (once per liquidation) builds no key string.
 */
export class InstrumentBook {
  readonly #listed: Record<BybitCategory, Map<string, BaseQuote>> = { linear: new Map(), inverse: new Map() };
  /** Guesses for symbols not listed, so that a frame of an unknown symbol does not split it again. */
  readonly #guessed: Record<BybitCategory, Map<string, BaseQuote>> = { linear: new Map(), inverse: new Map() };

  /** Record (or update) instruments from instruments-info. */
  add(instruments: Iterable<BybitInstrument>): void {
    for (const instrument of instruments) {
      this.#listed[instrument.category].set(instrument.symbol, Object.freeze({ base: instrument.base, quote: instrument.quote }));
      this.#guessed[instrument.category].delete(instrument.symbol);
    }
  }

  /** True when instruments-info listed this contract at some point. */
  has(category: BybitCategory, symbol: string): boolean {
    return this.#listed[category].has(symbol);
  }

  /**
   * Base/quote from instruments-info, else guessed from the symbol ({@link splitSymbol}); throws
   * {@link UnknownInstrumentError} for a symbol of no known shape (core then refreshes the list).
   */
  resolve(category: BybitCategory, symbol: string): Readonly<BaseQuote> {
    const known = this.#listed[category].get(symbol) ?? this.#guessed[category].get(symbol);
    if (known) return known;
    const split = splitSymbol(symbol, category);
    if (split.quote === '') throw new UnknownInstrumentError(symbol);
    const guessed = Object.freeze(split);
    const guesses = this.#guessed[category];
    if (guesses.size < MAX_GUESSES) guesses.set(symbol, guessed);
    return guessed;
  }

  /** Every listed contract (the guesses left out), for the source's `reference()`. */
  listed(): BybitInstrument[] {
    return (['linear', 'inverse'] as const).flatMap((category) => [...this.#listed[category]].map(([symbol, { base, quote }]) => ({ category, symbol, base, quote })));
  }

  /** Number of known contracts. */
  get size(): number {
    return this.#listed.linear.size + this.#listed.inverse.size;
  }
}
