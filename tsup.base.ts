/** The one build setup of every package: ESM with declarations, for Node 20 and later. */
import { defineConfig, type Options } from 'tsup';

export function packageBuild(entry: NonNullable<Options['entry']>, extra: Options = {}) {
  return defineConfig({ entry, format: ['esm'], dts: true, sourcemap: true, clean: true, target: 'node20', ...extra });
}
