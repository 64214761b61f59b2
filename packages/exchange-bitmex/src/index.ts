/**
 * @liqmon/exchange-bitmex: liquidations of every BitMEX contract (the `liquidation` table: inverse,
 * linear and quanto), normalized to liqmon's `Liquidation`.
 */
import { defineSource } from '@liqmon/core';
import { bitmexOptionsSchema } from './options.js';
import { createBitmexSource } from './source.js';

/** The BitMEX source plugin. Use it in a config as `use: bitmex`. */
const bitmex = defineSource({
  name: 'bitmex',
  description: 'BitMEX liquidations (liquidation table inserts) of every inverse, linear and quanto contract',
  options: bitmexOptionsSchema,
  produces: (options) => ({ exchange: 'bitmex', markets: options.markets }),
  create: (options, context) => createBitmexSource(options, context),
});

export default bitmex;
export { bitmexOptionsSchema, BITMEX_MARKETS, type BitmexMarket, type BitmexOptions } from './options.js';
export { decodeBitmexFrame, type DecodeContext } from './decode.js';
export { fetchInstruments, fromReference, normalizeCoin, toReference, type BitmexInstrument, type BitmexReference, type ContractKind } from './instruments.js';
export { createBitmexSource, topicsOf, type BitmexSourceInternals } from './source.js';
