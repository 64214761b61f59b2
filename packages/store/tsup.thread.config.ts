import { defineConfig } from 'tsup';

/**
 * The writer thread's module, started as a worker by Store from dist/writer-thread.cjs. CommonJS on
 * purpose: a worker that runs an ES module sets up Node's ES module loader in its own isolate, about
 * 1 MB of resident memory for nothing (docs/decisions/store.md). Everything it imports is bundled but
 * better-sqlite3 (CommonJS itself) and type-only imports.
 */
export default defineConfig({
  entry: { 'writer-thread': 'src/thread/writer-thread.ts' },
  format: ['cjs'],
  outExtension: () => ({ js: '.cjs' }),
  sourcemap: true,
  clean: false,
  dts: false,
  target: 'node20',
});
