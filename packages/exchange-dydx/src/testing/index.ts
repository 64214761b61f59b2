/** `@liqmon/exchange-dydx/testing`: a fake dYdX v4 indexer for tests of this source and of liqmon itself. */
export { FakeDydx, type FakeDydxOptions, type FakeDydxTrade } from './fake-dydx.js';
export { dydxCheckSpec } from './check-spec.js';
