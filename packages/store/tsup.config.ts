import { packageBuild } from '../../tsup.base';

// The writer and checkpoint threads are entries of their own: Store starts them as workers from dist/.
export default packageBuild({
  index: 'src/index.ts',
  'writer-thread': 'src/thread/writer-thread.ts',
  'checkpoint-thread': 'src/thread/checkpoint-thread.ts',
});
