/**
 * The Binance source's reference data as plain JSON, for `reference()` / `prepare(reference)`: what a
 * recording keeps so that a replay decodes offline exactly as the live run did. Small and versioned:
 *
 *   {"format":"binance-instruments","v":1,"markets":{
 *     "usdm":{"BTCUSDT":{"base":"BTC","quote":"USDT"}},
 *     "coinm":{"BTCUSD_PERP":{"base":"BTC","quote":"USD","contractSize":100}}}}
 *
 * Only the markets whose exchange info was loaded appear. It comes back from a file: {@link parseReference}
 * checks every entry and says what is wrong.
 */
import type { Instrument, InstrumentBook } from './instruments.js';
import { MARKETS, type Market } from './options.js';

/** Names this JSON among other plugins' reference data. */
export const REFERENCE_FORMAT = 'binance-instruments';
/** Version of the shape; a reader refuses another. */
export const REFERENCE_VERSION = 1;

/** The JSON shape. */
export interface BinanceReference {
  format: typeof REFERENCE_FORMAT;
  v: typeof REFERENCE_VERSION;
  markets: Partial<Record<Market, Record<string, Instrument>>>;
}

/** The reference data of a book, or undefined when no market was loaded. */
export function referenceOf(book: InstrumentBook): BinanceReference | undefined {
  const loaded = book.loadedInstruments();
  const markets: BinanceReference['markets'] = {};
  for (const market of MARKETS) {
    const list = loaded[market];
    if (list) markets[market] = Object.fromEntries(list.map(([symbol, instrument]) => [symbol, { ...instrument }]));
  }
  return Object.keys(markets).length === 0 ? undefined : { format: REFERENCE_FORMAT, v: REFERENCE_VERSION, markets };
}

/** Instruments per market from reference data; throws an Error saying what is wrong with it. */
export function parseReference(value: unknown): Partial<Record<Market, [string, Instrument][]>> {
  if (!isObject(value) || value.format !== REFERENCE_FORMAT) throw new Error(`not Binance reference data (no "format": "${REFERENCE_FORMAT}")`);
  if (value.v !== REFERENCE_VERSION) throw new Error(`version ${JSON.stringify(value.v)} is not ${REFERENCE_VERSION}`);
  if (!isObject(value.markets)) throw new Error('no "markets" object');
  const result: Partial<Record<Market, [string, Instrument][]>> = {};
  for (const [market, table] of Object.entries(value.markets)) {
    if (!(MARKETS as readonly string[]).includes(market)) throw new Error(`unknown market "${market}" (expected usdm or coinm)`);
    if (!isObject(table)) throw new Error(`markets.${market} is not an object`);
    result[market as Market] = Object.entries(table).map(([symbol, entry]) => [symbol, instrumentOf(entry, `markets.${market}.${symbol}`, market === 'coinm')]);
  }
  return result;
}

function instrumentOf(entry: unknown, where: string, sized: boolean): Instrument {
  if (!isObject(entry) || typeof entry.base !== 'string' || typeof entry.quote !== 'string' || entry.base === '' || entry.quote === '') {
    throw new Error(`${where} needs string "base" and "quote"`);
  }
  const size = entry.contractSize;
  if (size === undefined && !sized) return { base: entry.base, quote: entry.quote };
  if (typeof size !== 'number' || !Number.isFinite(size) || size <= 0) throw new Error(`${where}.contractSize must be a positive number`);
  return { base: entry.base, quote: entry.quote, contractSize: size };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
