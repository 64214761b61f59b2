/** @liqmon/exchange-htx/testing: a fake HTX for tests of the source and of what runs it. */
export { FakeHtx, type FakeHtxContract, type FakeHtxLiquidation, type FakeHtxOptions, type FakeHtxRequest } from './fake-htx.js';
export { htxLiveCheck } from './live-check.js';
