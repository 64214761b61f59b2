/**
 * Which WebSocket URLs to open.
 *
 * USDⓈ-M: since 2026-04-23 Binance routes fstream.binance.com by path tier, and liquidation streams
 * (`@forceOrder`) are served only under `/market`; the legacy root accepts the connection and then
 * never sends a liquidation (see the tier map in rustrade-data's Binance futures module,
 * https://docs.rs/crate/rustrade-data/0.5.0/source/src/exchange/binance/futures/mod.rs).
 * COIN-M (dstream) keeps the classic `/stream` path.
 * A connection may carry at most 200 streams
 * (https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams).
 */
import type { Market } from './options.js';

/** Most streams Binance allows on one connection. */
export const MAX_STREAMS_PER_CONNECTION = 200;

const PATH: Record<Market, string> = { usdm: '/market/stream', coinm: '/stream' };

/** Stream names: the all-market stream, or `<symbol lowercase>@forceOrder` per symbol. */
export function streamNames(symbols: readonly string[] | undefined): string[] {
  return symbols ? symbols.map((symbol) => `${symbol.toLowerCase()}@forceOrder`) : ['!forceOrder@arr'];
}

/** One combined-stream URL per group of at most 200 streams. */
export function streamUrls(base: string, market: Market, symbols: readonly string[] | undefined): string[] {
  const names = streamNames(symbols);
  const urls: string[] = [];
  for (let i = 0; i < names.length; i += MAX_STREAMS_PER_CONNECTION) {
    urls.push(`${base.replace(/\/+$/, '')}${PATH[market]}?streams=${names.slice(i, i + MAX_STREAMS_PER_CONNECTION).join('/')}`);
  }
  return urls;
}

/**
 * Splits user-given symbols between the markets: by the loaded exchange info where it lists the
 * symbol, else by shape (COIN-M symbols look like `BTCUSD_PERP` / `BTCUSD_250926`).
 */
export function assignSymbols(
  symbols: readonly string[],
  isListed: (market: Market, symbol: string) => boolean,
): Record<Market, string[]> {
  const result: Record<Market, string[]> = { usdm: [], coinm: [] };
  for (const symbol of symbols) {
    const market: Market = isListed('coinm', symbol) ? 'coinm' : isListed('usdm', symbol) ? 'usdm' : /USD_/.test(symbol) ? 'coinm' : 'usdm';
    result[market].push(symbol);
  }
  return result;
}
