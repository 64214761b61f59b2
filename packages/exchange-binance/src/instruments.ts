/**
 * Reference data for decoding: base/quote asset per symbol and, for COIN-M, the contract size in USD.
 * Loaded from exchange info; every lookup falls back to a documented guess so that a liquidation is
 * never dropped because reference data is missing.
 *
 * Sources:
 * - USDⓈ-M GET /fapi/v1/exchangeInfo: symbols[].{symbol, baseAsset, quoteAsset}
 *   https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Exchange-Information
 * - COIN-M GET /dapi/v1/exchangeInfo: symbols[].{symbol, pair, baseAsset, quoteAsset, contractSize}
 *   https://developers.binance.com/docs/derivatives/coin-margined-futures/market-data/Exchange-Information
 *   COIN-M contracts are worth a fixed USD amount: 100 USD for BTC, 10 USD for the other coins.
 */
import { SourceUnreachableError } from '@liqmon/core';
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

/** COIN-M contract size when exchange info is unavailable: BTC contracts are 100 USD, others 10 USD. */
export function fallbackContractSize(symbol: string): number {
  return symbol.startsWith('BTC') ? 100 : 10;
}

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

  /** Replaces a market's table. */
  set(market: Market, instruments: Iterable<[string, Instrument]>): void {
    const table = new Map<string, Readonly<InstrumentLookup>>();
    for (const [symbol, instrument] of instruments) {
      // A COIN-M entry without a contract size still needs the guessed size: it is a fallback.
      const complete = market === 'usdm' || instrument.contractSize !== undefined;
      table.set(symbol, Object.freeze(complete ? { ...instrument, fallback: false } : guess(market, symbol, instrument)));
    }
    this.tables[market] = table;
    this.guesses[market].clear();
    this.loaded[market] = true;
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

  /** Base, quote and (COIN-M) contract size of a symbol, guessed where exchange info lacks it. */
  lookup(market: Market, symbol: string): Readonly<InstrumentLookup> {
    const known = this.tables[market].get(symbol) ?? this.guesses[market].get(symbol);
    if (known) return known;
    const guessed = Object.freeze(guess(market, symbol, undefined));
    const guesses = this.guesses[market];
    if (guesses.size < MAX_GUESSES) guesses.set(symbol, guessed);
    return guessed;
  }
}

/** The documented guess for a symbol: base/quote split from the symbol unless listed, the fallback contract size. */
function guess(market: Market, symbol: string, listed: Instrument | undefined): InstrumentLookup {
  const split = listed ?? splitSymbol(symbol, market);
  return market === 'coinm'
    ? { base: split.base, quote: split.quote, contractSize: fallbackContractSize(symbol), fallback: true }
    : { base: split.base, quote: split.quote, fallback: true };
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
  const host = new URL(url).host;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.any([options.signal, AbortSignal.timeout(options.timeout)]) });
  } catch (error) {
    throw new SourceUnreachableError(`cannot load ${market} exchange info`, host, { cause: error });
  }
  // A 5xx or 429 is the exchange's trouble and worth a retry; other statuses are reported as they are.
  if (response.status >= 500 || response.status === 429) throw new SourceUnreachableError(`cannot load ${market} exchange info`, host, { status: response.status });
  if (!response.ok) throw new Error(`GET ${url} answered HTTP ${response.status}`);
  return parseExchangeInfo(await response.json());
}
