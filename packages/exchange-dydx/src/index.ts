/**
 * @liqmon/exchange-dydx: liquidations of every dYdX v4 perpetual market (indexer `v4_trades`, trades of
 * type `LIQUIDATED`), normalized to liqmon's `Liquidation`.
 */
import { defineSource } from '@liqmon/core';
import { dydxOptionsSchema } from './options.js';
import { createDydxSource } from './source.js';

/** The dYdX v4 source plugin. Use it in a config as `use: dydx`. */
const dydx = defineSource({
  name: 'dydx',
  description: 'dYdX v4 liquidations (indexer v4_trades, type LIQUIDATED) for every perpetual market',
  options: dydxOptionsSchema,
  produces: () => ({ exchange: 'dydx', markets: ['linear'] }),
  create: (options, context) => createDydxSource(options, context),
});

export default dydx;
export { dydxOptionsSchema, type DydxOptions } from './options.js';
export { decodeDydxFrame, type DydxDecodeContext } from './decode.js';
export { fetchDydxMarkets, MARKETS_PATH, splitTicker } from './markets.js';
export { createDydxSource, feedUrl, type DydxSourceInternals } from './source.js';
