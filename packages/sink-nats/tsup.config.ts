import { packageBuild } from '../../tsup.base';

export default packageBuild({ index: 'src/index.ts', bus: 'src/bus/index.ts', testing: 'src/testing/index.ts' });
