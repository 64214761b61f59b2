// How `liqmon check-plugin` runs this source's live checks: against the fake Deribit of ./testing.
import { deribitCheckSpec } from './dist/testing/index.js';

export default { source: deribitCheckSpec() };
