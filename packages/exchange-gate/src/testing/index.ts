/** @liqmon/exchange-gate/testing: a fake Gate futures venue for tests of this source and of liqmon itself. */
export {
  FAKE_GATE_CONTRACTS,
  FakeGate,
  type FakeGateContract,
  type FakeGateLiquidation,
  type FakeGateOptions,
  type FakeGateRequest,
  type FakeGateSettle,
} from './fake-gate.js';
export { gateCheckSpec } from './check-spec.js';
