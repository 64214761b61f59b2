/** `@liqmon/exchange-bitfinex/testing`: a fake Bitfinex for tests of this source and of liqmon itself. */
export { FakeBitfinex, type FakeBitfinexLiquidation, type FakeBitfinexOptions } from './fake-bitfinex.js';
export { bitfinexCheckSpec } from './check-spec.js';
