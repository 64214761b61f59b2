/**
 * @liqmon/exchange-gate: liquidations of every Gate futures contract (`futures.public_liquidates`,
 * USDT-settled linear and BTC-settled inverse), normalized to liqmon's `Liquidation`.
 */
import { defineSource } from '@liqmon/core';
import { gateOptionsSchema } from './options.js';
import { createGateSource } from './source.js';

/** The Gate futures source plugin. Use it in a config as `use: gate`. */
const gate = defineSource({
  name: 'gate',
  description: 'Gate futures public liquidations (futures.public_liquidates) of every USDT- and BTC-settled contract',
  options: gateOptionsSchema,
  produces: (options) => ({ exchange: 'gate', markets: options.markets }),
  create: (options, context) => createGateSource(options, context),
});

export default gate;
export { gateOptionsSchema, GATE_MARKETS, type GateMarket, type GateOptions } from './options.js';
export { decodeGateFrame, type DecodeContext } from './decode.js';
export { ContractBook, type GateReference } from './contract-book.js';
export { fetchContracts, INVERSE_CONTRACT_USD, type GateContract } from './contracts.js';
export { createGateSource, type GateSourceInternals } from './source.js';
export { contractsUrl, streamUrl } from './protocol.js';
