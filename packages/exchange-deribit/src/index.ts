/**
 * @liqmon/exchange-deribit: liquidations of every Deribit future and perpetual (trades flagged as
 * liquidations on the `trades.future.any.<interval>` channel), normalized to liqmon's `Liquidation`.
 */
import { defineSource } from '@liqmon/core';
import { deribitOptionsSchema } from './options.js';
import { createDeribitSource } from './source.js';

/** The Deribit source plugin. Use it in a config as `use: deribit`. */
const deribit = defineSource({
  name: 'deribit',
  description: 'Deribit liquidations (trades flagged M/T/MT) of every future and perpetual',
  options: deribitOptionsSchema,
  produces: (options) => ({ exchange: 'deribit', markets: options.markets }),
  create: (options, context) => createDeribitSource(options, context),
});

export default deribit;
export { deribitOptionsSchema, DERIBIT_INTERVALS, DERIBIT_MARKETS, type DeribitMarket, type DeribitOptions } from './options.js';
export { decodeDeribitFrame, type DecodeContext } from './decode.js';
export { fetchInstruments, fromReference, toReference, type DeribitInstrument } from './instruments.js';
export { channelsOf, createDeribitSource, type DeribitSourceInternals } from './source.js';
