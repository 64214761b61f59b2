/**
 * @liqmon/exchange-okx: liquidations of every OKX perpetual swap and dated future, linear and inverse
 * (`liquidation-orders` channel), normalized to liqmon's `Liquidation`.
 */
import { defineSource } from '@liqmon/core';
import { okxOptionsSchema } from './options.js';
import { createOkxSource } from './source.js';

/** The OKX source plugin. Use it in a config as `use: okx`. */
const okx = defineSource({
  name: 'okx',
  description: 'OKX liquidations (liquidation-orders) of every SWAP and FUTURES instrument, linear and inverse',
  options: okxOptionsSchema,
  produces: (options) => ({ exchange: 'okx', markets: options.markets }),
  create: (options, context) => createOkxSource(options, context),
});

export default okx;
export { okxOptionsSchema, OKX_MARKETS, type OkxMarket, type OkxOptions } from './options.js';
export { decodeOkxFrame, type DecodeContext } from './decode.js';
export { fetchInstruments, InstrumentBook, OKX_INST_TYPES, type OkxInstrument, type OkxInstType, type OkxReference } from './instruments.js';
export { createOkxSource, type OkxSourceInternals } from './source.js';
