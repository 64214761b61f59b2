/**
 * The instrument list: `GET /derivatives/api/v3/instruments` (one answer, no paging), read into what
 * decoding needs per product: its market, base and quote, and the contract size.
 *
 * Kraken's entries carry `symbol`, `type` (`futures_inverse` for PI_/FI_, `flexible_futures` for PF_,
 * `futures_vanilla` for FF_; index entries such as `in_xbtusd` have other types and are skipped),
 * `contractSize` and `tradeable`; multi-collateral products also `base` and `quote`
 * (docs.kraken.com/api/docs/futures-api/trading/get-instruments).
 */
import { fetchJson, RestAnswerError } from '@liqmon/core';
import type { KrakenMarket } from './options.js';

/** What decoding and subscribing need to know about one product. */
export interface KrakenInstrument {
  /** Product id as the feed sends it, e.g. `PI_XBTUSD`, `PF_ETHUSD`. */
  symbol: string;
  market: KrakenMarket;
  /** Base asset, XBT written BTC. */
  base: string;
  quote: string;
  /** `contractSize`: USD per contract for inverse products, base units per contract for linear ones. */
  contractSize: number;
  /** False for a product that no longer trades (kept for late frames, not subscribed). */
  tradeable: boolean;
}

/** Reference data as `reference()` returns it and `prepare(reference)` takes it back. */
export interface KrakenReference {
  kraken: 1;
  instruments: KrakenInstrument[];
}

/** Path of the instrument list under `restUrl`. */
export const INSTRUMENTS_PATH = '/derivatives/api/v3/instruments';

const MARKET_OF_TYPE: Readonly<Record<string, KrakenMarket>> = {
  futures_inverse: 'inverse',
  flexible_futures: 'linear',
  futures_vanilla: 'linear',
};

/** List every futures product Kraken knows (tradeable or not). */
export async function fetchKrakenInstruments(restUrl: string, signal?: AbortSignal): Promise<KrakenInstrument[]> {
  const url = new URL(INSTRUMENTS_PATH, restUrl);
  const body = await fetchJson(url, { action: 'cannot list instruments', ...(signal ? { signal } : {}) });
  if (!isRecord(body) || body.result !== 'success' || !Array.isArray(body.instruments)) {
    throw new RestAnswerError(`GET ${url.href} answered no "instruments" list (result ${JSON.stringify(isRecord(body) ? body.result : body)})`, url.href, 200);
  }
  return body.instruments.map(readInstrument).filter((entry): entry is KrakenInstrument => entry !== undefined);
}

function readInstrument(item: unknown): KrakenInstrument | undefined {
  if (!isRecord(item) || typeof item.symbol !== 'string' || typeof item.type !== 'string') return undefined;
  const market = MARKET_OF_TYPE[item.type];
  const contractSize = typeof item.contractSize === 'number' ? item.contractSize : Number.NaN;
  // Without a contract size a product cannot be priced: leave it out, its frames count as unknown.
  if (!market || !(contractSize > 0) || !Number.isFinite(contractSize)) return undefined;
  const symbol = item.symbol.toUpperCase();
  const split = splitProduct(symbol);
  return {
    symbol,
    market,
    base: normalizeAsset(typeof item.base === 'string' && item.base ? item.base : split.base),
    quote: normalizeAsset(typeof item.quote === 'string' && item.quote ? item.quote : split.quote),
    contractSize,
    tradeable: item.tradeable !== false,
  };
}

/**
 * Base and quote read from a product id: `PF_XBTUSD` -> XBT/USD, `FI_ETHUSD_260327` -> ETH/USD.
 * Every Kraken Futures product is quoted in USD; the prefix and the expiry are dropped.
 */
export function splitProduct(symbol: string): { base: string; quote: string } {
  const pair = symbol.split('_')[1] ?? symbol;
  return pair.endsWith('USD') && pair.length > 3 ? { base: pair.slice(0, -3), quote: 'USD' } : { base: pair, quote: '' };
}

/** Kraken writes bitcoin XBT; events say BTC like every other venue. */
export function normalizeAsset(asset: string): string {
  const upper = asset.toUpperCase();
  return upper === 'XBT' ? 'BTC' : upper;
}

/** Checks reference data read back from a file; undefined when it is not this plugin's. */
export function readReference(value: unknown): KrakenInstrument[] | undefined {
  if (!isRecord(value) || value.kraken !== 1 || !Array.isArray(value.instruments)) return undefined;
  const list: KrakenInstrument[] = [];
  for (const entry of value.instruments) {
    if (!isRecord(entry) || typeof entry.symbol !== 'string' || (entry.market !== 'linear' && entry.market !== 'inverse')) return undefined;
    if (typeof entry.base !== 'string' || typeof entry.quote !== 'string' || typeof entry.contractSize !== 'number' || !(entry.contractSize > 0)) return undefined;
    list.push({ symbol: entry.symbol, market: entry.market, base: entry.base, quote: entry.quote, contractSize: entry.contractSize, tradeable: entry.tradeable !== false });
  }
  return list;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
