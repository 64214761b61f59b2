// How `liqmon check-plugin` runs the live checks of this source: against the fake Gate of ./testing.
import { gateCheckSpec } from './dist/testing/index.js';

export default { source: gateCheckSpec() };
