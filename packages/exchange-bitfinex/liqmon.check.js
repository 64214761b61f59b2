// How `liqmon check-plugin` runs the live checks of this source: against the package's fake Bitfinex.
import { bitfinexCheckSpec } from './dist/testing/index.js';

export default { source: bitfinexCheckSpec() };
