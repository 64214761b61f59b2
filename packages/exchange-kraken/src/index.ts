/**
 * @liqmon/exchange-kraken: liquidations of every Kraken Futures product (trades of type `liquidation`
 * on the `trade` feed), normalized to liqmon's `Liquidation`.
 */
import { defineSource } from '@liqmon/core';
import { krakenOptionsSchema } from './options.js';
import { createKrakenSource } from './source.js';

/** The Kraken Futures source plugin. Use it in a config as `use: kraken`. */
const kraken = defineSource({
  name: 'kraken',
  description: 'Kraken Futures liquidations (trade feed, type liquidation) for every linear and inverse product',
  options: krakenOptionsSchema,
  produces: (options) => ({ exchange: 'kraken', markets: options.markets }),
  create: (options, context) => createKrakenSource(options, context),
});

export default kraken;
export { krakenOptionsSchema, KRAKEN_MARKETS, type KrakenMarket, type KrakenOptions } from './options.js';
export { decodeKrakenFrame, type KrakenDecodeContext } from './decode.js';
export { fetchKrakenInstruments, INSTRUMENTS_PATH, normalizeAsset, splitProduct, type KrakenInstrument, type KrakenReference } from './instruments.js';
export { createKrakenSource, feedUrl, pingIntervalFor, type KrakenSourceInternals } from './source.js';
