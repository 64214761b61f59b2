/**
 * @liqmon/exchange-bitfinex: every Bitfinex liquidation (status channel `liq:global`: derivatives and
 * margin pairs), normalized to liqmon's `Liquidation`.
 */
import { defineSource } from '@liqmon/core';
import { bitfinexOptionsSchema } from './options.js';
import { createBitfinexSource } from './source.js';

/** The Bitfinex source plugin. Use it in a config as `use: bitfinex`. */
const bitfinex = defineSource({
  name: 'bitfinex',
  description: 'Bitfinex liquidations (status channel liq:global) of every derivatives and margin pair',
  options: bitfinexOptionsSchema,
  produces: () => ({ exchange: 'bitfinex', markets: ['linear'] }),
  create: (options, context) => createBitfinexSource(options, context),
});

export default bitfinex;
export { bitfinexOptionsSchema, type BitfinexOptions } from './options.js';
export { decodeBitfinexFrame, LIVE_CHANNEL, SNAPSHOT_CHANNEL, type BitfinexDecodeContext } from './decode.js';
export { isUsdQuote, splitSymbol } from './symbols.js';
export { createBitfinexSource, feedUrl, pingIntervalFor, SUBSCRIBE, type BitfinexSourceInternals } from './source.js';
