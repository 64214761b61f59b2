/** @liqmon/exchange-bitget/testing: a fake Bitget for tests of this source and of liqmon itself. */
export {
  FAKE_BITGET_INSTRUMENTS,
  FakeBitget,
  type FakeBitgetInstType,
  type FakeBitgetInstrument,
  type FakeBitgetLiquidation,
  type FakeBitgetOptions,
} from './fake-bitget.js';
export { bitgetCheckSpec } from './check-spec.js';
