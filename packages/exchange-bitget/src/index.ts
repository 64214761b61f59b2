/**
 * @liqmon/exchange-bitget: liquidations of every Bitget USDT-, USDC- and coin-margined futures contract
 * (v3 public `liquidation` topic), normalized to liqmon's `Liquidation`.
 */
import { defineSource } from '@liqmon/core';
import { bitgetOptionsSchema } from './options.js';
import { createBitgetSource } from './source.js';

/** The Bitget source plugin. Use it in a config as `use: bitget`. */
const bitget = defineSource({
  name: 'bitget',
  description: 'Bitget v3 public liquidations (sampled) of every USDT-, USDC- and coin-margined futures contract',
  options: bitgetOptionsSchema,
  produces: (options) => ({ exchange: 'bitget', markets: options.markets }),
  create: (options, context) => createBitgetSource(options, context),
});

export default bitget;
export { bitgetOptionsSchema, BITGET_MARKETS, type BitgetMarket, type BitgetOptions } from './options.js';
export { decodeBitgetFrame, type DecodeContext } from './decode.js';
export { fetchInstruments, InstrumentBook, type BaseQuote, type BitgetReference } from './instruments.js';
export { createBitgetSource, type BitgetSourceInternals } from './source.js';
export { INST_TYPES, instrumentsUrl, streamUrl, type InstType } from './protocol.js';
