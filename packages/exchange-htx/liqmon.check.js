// How `liqmon check-plugin` runs this source's live checks: against the package's fake HTX.
import { htxLiveCheck } from './dist/testing/index.js';

export default { source: htxLiveCheck() };
