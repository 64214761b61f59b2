/** @liqmon/exchange-okx/testing: a fake OKX for tests of the source and of what runs it. */
export { FakeOkx, type FakeOkxInstrument, type FakeOkxLiquidation, type FakeOkxOptions, type FakeOkxRequest } from './fake-okx.js';
export { okxLiveCheck } from './live-check.js';
