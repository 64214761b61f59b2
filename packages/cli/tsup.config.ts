import { packageBuild } from '../../tsup.base';

export default packageBuild({ main: 'src/main.ts' });
