import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const core = (path: string) => fileURLToPath(new URL(`../core/src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against core's sources, so they do not depend on a fresh `dist` of core (in this
    // monorepo core and the plugin change together). Published builds resolve the real package.
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
