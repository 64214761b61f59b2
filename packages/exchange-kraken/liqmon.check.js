// How `liqmon check-plugin` runs the live checks of this source: against the package's fake Kraken Futures.
import { krakenCheckSpec } from './dist/testing/index.js';

export default { source: krakenCheckSpec() };
