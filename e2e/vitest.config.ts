import { defineConfig } from 'vitest/config';
import { TMP_SETUP } from '../vitest.base.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    globalSetup: [TMP_SETUP],
  },
});
