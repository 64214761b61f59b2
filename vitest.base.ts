/** The one test setup of every package. */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The per-run temp folder (see vitest.tmp-setup.ts); e2e/vitest.config.ts uses it too. */
export const TMP_SETUP = fileURLToPath(new URL('./vitest.tmp-setup.ts', import.meta.url));

const core = (path: string) => fileURLToPath(new URL(`./packages/core/src/${path}`, import.meta.url));

/**
 * @param coreFromSource Resolve `@liqmon/core` (and `/ws`, `/testing`) to core's sources, so a plugin's
 *   tests do not depend on a fresh build of core (in this monorepo they change together). Published
 *   builds resolve the real package.
 */
export function packageTests({ coreFromSource = false } = {}) {
  return defineConfig({
    resolve: coreFromSource
      ? {
          alias: [
            { find: /^@liqmon\/core\/ws$/, replacement: core('ws/index.ts') },
            { find: /^@liqmon\/core\/testing$/, replacement: core('testing/index.ts') },
            { find: /^@liqmon\/core$/, replacement: core('index.ts') },
          ],
        }
      : {},
    test: {
      include: ['test/**/*.test.ts'],
      testTimeout: 20_000,
      globalSetup: [TMP_SETUP],
    },
  });
}
