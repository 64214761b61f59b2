import { packageBuild } from '../../tsup.base';

export default packageBuild(
  {
    index: 'src/index.ts',
    'ws/index': 'src/ws/index.ts',
    'testing/index': 'src/testing/index.ts',
    'cli/main': 'src/cli/main.ts',
  },
  { splitting: true },
);
