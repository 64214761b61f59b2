/** @liqmon/exchange-deribit/testing: the fake Deribit and the live-check spec, for tests and `liqmon check-plugin`. */
export { DEFAULT_INSTRUMENTS, FakeDeribit, type FakeDeribitInstrument, type FakeDeribitLiquidation, type FakeDeribitOptions } from './fake-deribit.js';
export { deribitCheckSpec } from './check-spec.js';
