/**
 * The market list: `GET /v4/perpetualMarkets`, an object keyed by ticker (`{"markets":{"BTC-USD":
 * {"ticker":"BTC-USD","status":"ACTIVE",...}}}`, docs.dydx.exchange/api_integration-indexer/indexer_api).
 * Tickers are `BASE-QUOTE`; markets settle in USDC and are quoted in USD.
 */
import { fetchJson, RestAnswerError } from '@liqmon/core';

/** Path of the market list under `restUrl`. */
export const MARKETS_PATH = '/v4/perpetualMarkets';

/** Statuses of a market whose trades have ended for good: not subscribed. */
const ENDED = new Set(['FINAL_SETTLEMENT']);

/** Tickers of every market that can still trade. */
export async function fetchDydxMarkets(restUrl: string, signal?: AbortSignal): Promise<string[]> {
  const url = new URL(MARKETS_PATH, restUrl);
  const body = await fetchJson(url, { action: 'cannot list markets', ...(signal ? { signal } : {}) });
  const markets = isRecord(body) ? body.markets : undefined;
  if (!isRecord(markets)) throw new RestAnswerError(`GET ${url.href} answered no "markets" object`, url.href, 200);
  const tickers: string[] = [];
  for (const [key, market] of Object.entries(markets)) {
    const ticker = isRecord(market) && typeof market.ticker === 'string' ? market.ticker : key;
    const status = isRecord(market) && typeof market.status === 'string' ? market.status : '';
    if (!ENDED.has(status) && splitTicker(ticker)) tickers.push(ticker);
  }
  return tickers;
}

/** `BTC-USD` -> BTC / USD; undefined for a ticker of another shape. */
export function splitTicker(ticker: string): { base: string; quote: string } | undefined {
  const dash = ticker.lastIndexOf('-');
  if (dash <= 0 || dash === ticker.length - 1) return undefined;
  return { base: ticker.slice(0, dash), quote: ticker.slice(dash + 1) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
