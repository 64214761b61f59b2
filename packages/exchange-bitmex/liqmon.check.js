// How `liqmon check-plugin` runs this source's live checks: against the fake BitMEX of ./testing.
import { bitmexCheckSpec } from './dist/testing/index.js';

export default { source: bitmexCheckSpec() };
