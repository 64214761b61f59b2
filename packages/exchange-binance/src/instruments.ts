/**
 * Reference data for decoding: base/quote asset per symbol and, for COIN-M, the contract size in USD.
 * Loaded from exchange info (or handed back from a recording, see reference.ts). A symbol it does not
 * list (docs/decisions/binance.md, 2026-12-04):
 * - USD-M: quantities are base units and prices are in the quote, so the USD value (z x ap) does not
 *   depend on the list; base/quote are split from the symbol when it ends in a USD quote (USDT, USDC, ...),
 *   else the frame is an unknown instrument;
 * - COIN-M: quantities are contracts, and without the listed contract size there is no honest USD value:
 *   always an unknown instrument ({@link UnknownInstrumentError}; core refreshes the list).
 *
 * Sources:
 * - USDⓈ-M GET /fapi/v1/exchangeInfo: symbols[].{symbol, baseAsset, quoteAsset}
 *   https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Exchange-Information
 * - COIN-M GET /dapi/v1/exchangeInfo: symbols[].{symbol, pair, baseAsset, quoteAsset, contractSize}
 *   https://developers.binance.com/docs/derivatives/coin-margined-futures/market-data/Exchange-Information
 *   COIN-M contracts are worth a fixed USD amount: 100 USD for BTC, 10 USD for the other coins.
 */
import { fetchJson, UnknownInstrumentError } from '@liqmon/core';
import type { Market } from './options.js';

/** What decoding needs to know about one symbol. */
export interface Instrument {
  base: string;
  quote: string;
  /** USD value of one contract (COIN-M only). */
  contractSize?: number;
}

/** A lookup result; `fallback` says which part was guessed. */
export interface InstrumentLookup extends Instrument {
  fallback: boolean;
}

/** Quote assets recognised when splitting a symbol by hand, longest first. */
const QUOTES = ['FDUSD', 'USDT', 'USDC', 'BUSD', 'TUSD', 'USD', 'BTC', 'ETH', 'BNB'];

/** Quotes whose prices are USD values (USD-M margins in USD stablecoins); others cannot be priced unlisted. */
const USD_QUOTES = new Set(['FDUSD', 'USDT', 'USDC', 'BUSD', 'TUSD', 'USD']);

/**
 * Splits a symbol into base and quote without exchange info: drops a delivery suffix (`_PERP`,
 * `_250328`), then strips a known quote. `1000PEPEUSDT` -> 1000PEPE/USDT; non-ASCII bases are kept
 * as they are. Unknown quotes fall back to the market's usual margin currency.
 */
export function splitSymbol(symbol: string, market: Market): { base: string; quote: string } {
  const pair = symbol.split('_')[0] ?? symbol;
  for (const quote of QUOTES) {
    if (pair.length > quote.length && pair.endsWith(quote)) return { base: pair.slice(0, -quote.length), quote };
  }
  return { base: pair, quote: market === 'coinm' ? 'USD' : 'USDT' };
}

/** Most guessed lookups kept per market (symbols missing from exchange info; normally a handful). */
const MAX_GUESSES = 10_000;

/**
 * The instrument tables of both markets. Lookups are answered with objects built once per symbol, not
 * per liquidation: {@link lookup} is on the hot path of every frame.
 */
export class InstrumentBook {
  private readonly tables: Record<Market, Map<string, Readonly<InstrumentLookup>>> = { usdm: new Map(), coinm: new Map() };
  /** Lookups guessed for symbols that exchange info does not list; dropped when the table is replaced. */
  private readonly guesses: Record<Market, Map<string, Readonly<InstrumentLookup>>> = { usdm: new Map(), coinm: new Map() };
  private readonly loaded: Record<Market, boolean> = { usdm: false, coinm: false };

  /** What was loaded per market, as given to {@link set}: `reference()` serializes it. */
  private readonly sources: Partial<Record<Market, readonly [string, Instrument][]>> = {};

  /** Replaces a market's table. */
  set(market: Market, instruments: Iterable<[string, Instrument]>): void {
    const table = new Map<string, Readonly<InstrumentLookup>>();
    const kept: [string, Instrument][] = [];
    for (const [symbol, instrument] of instruments) {
      // A COIN-M entry without a contract size cannot be priced: it is left out (an unknown instrument).
      if (market === 'coinm' && instrument.contractSize === undefined) continue;
      table.set(symbol, Object.freeze({ ...instrument, fallback: false }));
      kept.push([symbol, instrument]);
    }
    this.tables[market] = table;
    this.sources[market] = kept;
    this.guesses[market].clear();
    this.loaded[market] = true;
  }

  /** Instruments of each loaded market, as loaded. */
  loadedInstruments(): Partial<Record<Market, readonly [string, Instrument][]>> {
    return { ...this.sources };
  }

  /** True once exchange info of `market` was loaded at least once. */
  isLoaded(market: Market): boolean {
    return this.loaded[market];
  }

  /** Number of known symbols of a market. */
  size(market: Market): number {
    return this.tables[market].size;
  }

  /** True when `symbol` is listed in the loaded exchange info of `market`. */
  has(market: Market, symbol: string): boolean {
    return this.tables[market].has(symbol);
  }

  /**
   * Base, quote and (COIN-M) contract size of a symbol. A USD-M symbol exchange info lacks gets base/quote
   * split from the symbol (`fallback: true`) when its quote is a USD one; otherwise, and for every COIN-M
   * symbol without a listed contract size, throws {@link UnknownInstrumentError}.
   */
  lookup(market: Market, symbol: string): Readonly<InstrumentLookup> {
    const known = this.tables[market].get(symbol) ?? this.guesses[market].get(symbol);
    if (known) return known;
    if (market === 'coinm') throw new UnknownInstrumentError(symbol);
    const split = splitSymbol(symbol, market);
    // splitSymbol answers USDT for a symbol of no known quote: only a real split of a USD quote is priced.
    if (!USD_QUOTES.has(split.quote) || split.base + split.quote !== symbol.split('_')[0]) throw new UnknownInstrumentError(symbol);
    const guessed = Object.freeze({ base: split.base, quote: split.quote, fallback: true });
    const guesses = this.guesses[market];
    if (guesses.size < MAX_GUESSES) guesses.set(symbol, guessed);
    return guessed;
  }
}

/** Reads the `symbols` array of an exchangeInfo response into instruments; skips incomplete entries. */
export function parseExchangeInfo(body: unknown): [string, Instrument][] {
  const symbols = (body as { symbols?: unknown } | null)?.symbols;
  if (!Array.isArray(symbols)) throw new Error('exchangeInfo response has no "symbols" array');
  const result: [string, Instrument][] = [];
  for (const entry of symbols as Record<string, unknown>[]) {
    const { symbol, baseAsset, quoteAsset, contractSize } = entry ?? {};
    if (typeof symbol !== 'string' || typeof baseAsset !== 'string' || typeof quoteAsset !== 'string') continue;
    const size = Number(contractSize);
    result.push([symbol, Number.isFinite(size) && size > 0 ? { base: baseAsset, quote: quoteAsset, contractSize: size } : { base: baseAsset, quote: quoteAsset }]);
  }
  return result;
}

const EXCHANGE_INFO_PATH: Record<Market, string> = { usdm: '/fapi/v1/exchangeInfo', coinm: '/dapi/v1/exchangeInfo' };

/** Fetches and parses one market's exchange info. Throws with the URL and status on failure. */
export async function fetchExchangeInfo(
  restUrl: string,
  market: Market,
  options: { signal: AbortSignal; timeout: number },
): Promise<[string, Instrument][]> {
  const url = `${restUrl.replace(/\/+$/, '')}${EXCHANGE_INFO_PATH[market]}`;
  const body = await fetchJson(url, { action: `cannot load ${market} exchange info`, signal: options.signal, timeoutMs: options.timeout });
  return parseExchangeInfo(body);
}
