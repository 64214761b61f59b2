// How `liqmon check-plugin` runs the live checks of this source: against the package's fake dYdX indexer.
import { dydxCheckSpec } from './dist/testing/index.js';

export default { source: dydxCheckSpec() };
