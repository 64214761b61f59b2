/**
 * The one way to build a {@link Liquidation.id}: its parts joined by `:`, e.g.
 * `binance:usdm:BTCUSDT:1750000000000:SELL:0.014:60123.5`.
 *
 * Two costs of the obvious template literal show on the hot path (docs/performance.md):
 * - V8 writes a 13-digit number such as an exchange time through its slow double-to-string path
 *   (about 0.3 µs); two integers of at most 7 digits each take its fast small-integer path.
 * - A template literal builds a rope of a dozen nodes that dedupe must flatten before it can read the
 *   characters; `join` writes one flat string at once.
 *
 * @param exchange lowercase exchange name
 * @param market the exchange's product line
 * @param symbol exchange-native symbol
 * @param time exchange time in ms since the epoch
 * @param side the side exactly as the exchange sent it
 * @param size the size exactly as sent (text, so that the id is exact)
 * @param price the price exactly as sent
 */
export function liquidationId(exchange: string, market: string, symbol: string, time: number, side: string, size: string, price: string): string {
  return [exchange, market, symbol, epochMsText(time), side, size, price].join(':');
}

/** Zeros that pad the low six digits of a time, by how many digits they have (index 1-6). */
const PAD = ['', '00000', '0000', '000', '00', '0', ''];

/** `String(ms)`, the same text, written as two small integers when `ms` has more than 6 digits. */
export function epochMsText(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 1e6) return String(ms);
  const high = Math.floor(ms / 1e6);
  const low = ms - high * 1e6;
  const digits = low < 10 ? 1 : low < 100 ? 2 : low < 1e3 ? 3 : low < 1e4 ? 4 : low < 1e5 ? 5 : 6;
  return `${high}${PAD[digits]}${low}`;
}
