import { packageBuild } from '../../tsup.base';

export default packageBuild(
  {
    index: 'src/index.ts',
    'ws/index': 'src/ws/index.ts',
    'testing/index': 'src/testing/index.ts',
    'runtime/index': 'src/runtime/index.ts',
  },
  { splitting: true },
);
