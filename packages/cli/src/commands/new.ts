/**
 * `liqmon new source|sink NAME [--dir DIR] [--core SPEC]`: writes a plugin package (TypeScript,
 * tsup, vitest, a fake, one golden file for a source, a README) that installs, builds and passes
 * its tests as written, then prints the commands to run next.
 */
import path from 'node:path';
import { UsageError } from '@liqmon/core';
import { printOut } from '../output.js';
import type { PluginKind } from '../scaffold/names.js';
import { writePluginPackage } from '../scaffold/write-plugin.js';

/** Options of the command. */
export interface NewCommandOptions {
  dir?: string;
  core?: string;
}

const KINDS: readonly PluginKind[] = ['source', 'sink'];

/** How to reach `dir` from the current folder, for the printed `cd`. */
function cdTarget(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : dir;
}

export async function newCommand(kind: string, name: string, opts: NewCommandOptions): Promise<number> {
  if (!KINDS.includes(kind as PluginKind)) throw new UsageError(`Unknown plugin kind "${kind}".`, { hint: 'Use `liqmon new source NAME` or `liqmon new sink NAME`.' });
  const written = await writePluginPackage({ kind: kind as PluginKind, name, ...(opts.dir !== undefined ? { dir: opts.dir } : {}), ...(opts.core !== undefined ? { core: opts.core } : {}) });
  const quote = (text: string) => (/^[\w./@-]+$/.test(text) ? text : JSON.stringify(text));
  printOut(
    `Wrote the ${kind} plugin ${written.names.packageName} ("${written.names.pluginName}", ${written.files.length} files) in ${written.dir}.\n` +
      'Next:\n' +
      `  cd ${quote(cdTarget(written.dir))}\n` +
      '  npm install\n' +
      '  npm test\n' +
      '  npm run build\n' +
      '  npx liqmon check-plugin .\n' +
      'README.md there says how to make it your own and publish it.\n',
  );
  return 0;
}
