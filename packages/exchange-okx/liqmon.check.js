// How `liqmon check-plugin` runs this source's live checks: against the package's fake OKX.
import { okxLiveCheck } from './dist/testing/index.js';

export default { source: okxLiveCheck() };
