/**
 * @liqmon/exchange-bybit: liquidations of every Bybit v5 linear and inverse contract
 * (`allLiquidation.{symbol}` topics), normalized to liqmon's `Liquidation`.
 */
import { defineSource } from '@liqmon/core';
import { bybitOptionsSchema } from './options.js';
import { createBybitSource } from './source.js';

/** The Bybit source plugin. Use it in a config as `use: bybit`. */
const bybit = defineSource({
  name: 'bybit',
  description: 'Bybit v5 liquidations (allLiquidation) for every linear and inverse contract',
  options: bybitOptionsSchema,
  produces: (options) => ({ exchange: 'bybit', markets: options.categories }),
  create: (options, context) => createBybitSource(options, context),
});

export default bybit;
export { bybitOptionsSchema, BYBIT_CATEGORIES, type BybitCategory, type BybitOptions } from './options.js';
export { decodeBybitFrame, type DecodeContext } from './decode.js';
export { InstrumentBook, type BaseQuote } from './instrument-book.js';
export { fetchInstruments, splitSymbol, type BybitInstrument } from './instruments.js';
export { createBybitSource, streamUrl, type BybitSourceInternals } from './source.js';
