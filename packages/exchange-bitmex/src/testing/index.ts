/** @liqmon/exchange-bitmex/testing: the fake BitMEX and the live-check spec, for tests and `liqmon check-plugin`. */
export { DEFAULT_INSTRUMENTS, FakeBitmex, type FakeBitmexInstrument, type FakeBitmexOptions, type FakeBitmexRow } from './fake-bitmex.js';
export { bitmexCheckSpec } from './check-spec.js';
