/**
 * Checks that an object is a well-formed {@link Liquidation}: what every source must emit. The rules
 * live in core (`liquidation-check.ts`), where the runtime applies them to every event; the test kit
 * re-exports them so that a plugin's tests and the running daemon agree on what is valid.
 */
export { assertLiquidation, liquidationProblems } from '../liquidation-check.js';
