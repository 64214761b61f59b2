import { packageBuild } from '../../tsup.base';

// The writer thread is its own entry: Store starts it as a worker from dist/writer-thread.js.
export default packageBuild({ index: 'src/index.ts', 'writer-thread': 'src/thread/writer-thread.ts' });
