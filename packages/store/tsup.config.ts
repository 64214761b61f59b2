import { packageBuild } from '../../tsup.base';

// The writer thread is built on its own, by tsup.thread.config.ts, after this (which empties dist/).
export default packageBuild({ index: 'src/index.ts' });
