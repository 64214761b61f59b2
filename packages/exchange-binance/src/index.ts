/**
 * @liqmon/exchange-binance: forced liquidations of Binance USDⓈ-M and COIN-M futures.
 * `use: binance` in a liqmon config loads the default export.
 */
import { defineSource } from '@liqmon/core';
import { binanceOptions } from './options.js';
import { createBinanceSource } from './source.js';

const binance = defineSource({
  name: 'binance',
  description: 'Binance USDⓈ-M and COIN-M futures forced liquidations (forceOrder streams)',
  options: binanceOptions,
  produces: (options) => ({ exchange: 'binance', markets: options.markets }),
  create: createBinanceSource,
});

export default binance;
export { binanceOptions, MARKETS, type BinanceOptions, type BinanceOptionsInput, type Market } from './options.js';
export { decodeFrame, type DecodeContext } from './decode.js';
export { InstrumentBook, parseExchangeInfo, splitSymbol, type Instrument } from './instruments.js';
export { streamUrls, MAX_STREAMS_PER_CONNECTION } from './streams.js';
