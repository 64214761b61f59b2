import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const core = (path: string) => fileURLToPath(new URL(`../core/src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Test against core's sources, so the tests do not depend on a fresh build of core's dist.
    alias: [
      { find: /^@liqmon\/core\/ws$/, replacement: core('ws/index.ts') },
      { find: /^@liqmon\/core\/testing$/, replacement: core('testing/index.ts') },
      { find: /^@liqmon\/core$/, replacement: core('index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
