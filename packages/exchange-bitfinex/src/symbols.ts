/**
 * Bitfinex trading symbols: `t` + base + quote, with a colon when either side is longer than three
 * characters (`tBTCUSD`, `tDOGE:USD`, `tBTCF0:USTF0`). Derivatives (perpetuals) carry `F0` on both
 * sides; `UST` is Bitfinex's name for USDT (docs.bitfinex.com/docs/ws-general, "Pairs").
 */

/** Base and quote of a trading symbol, as every other venue names them; undefined for another shape. */
export function splitSymbol(symbol: string): { base: string; quote: string } | undefined {
  if (symbol.length < 7 || symbol[0] !== 't') return undefined;
  const pair = symbol.slice(1);
  const colon = pair.indexOf(':');
  const [base, quote] = colon >= 0 ? [pair.slice(0, colon), pair.slice(colon + 1)] : pair.length === 6 ? [pair.slice(0, 3), pair.slice(3)] : [];
  if (!base || !quote) return undefined;
  return { base: asset(base), quote: asset(quote) };
}

function asset(name: string): string {
  const plain = name.endsWith('F0') ? name.slice(0, -2) : name;
  return plain === 'UST' ? 'USDT' : plain;
}

/** Quotes whose price is a USD price (stablecoins counted as USD, as for every venue). */
const USD_QUOTES = new Set(['USD', 'USDT', 'USDC']);

/** True when a notional in this quote is a USD value. */
export function isUsdQuote(quote: string): boolean {
  return USD_QUOTES.has(quote);
}
