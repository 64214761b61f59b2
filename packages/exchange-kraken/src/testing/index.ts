/** `@liqmon/exchange-kraken/testing`: a fake Kraken Futures for tests of this source and of liqmon itself. */
export { FakeKraken, type FakeKrakenInstrument, type FakeKrakenOptions, type FakeKrakenTrade } from './fake-kraken.js';
export { krakenCheckSpec } from './check-spec.js';
