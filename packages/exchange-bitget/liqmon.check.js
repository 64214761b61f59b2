// How `liqmon check-plugin` runs the live checks of this source: against the fake Bitget of ./testing.
import { bitgetCheckSpec } from './dist/testing/index.js';

export default { source: bitgetCheckSpec() };
