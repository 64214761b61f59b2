/**
 * `liqmon check-plugin PATH|PACKAGE [--golden DIR] [--update]`: the conformance and golden checks of a
 * plugin, as its author and its CI run them. Prints one line per check (✓ holds, ✗ fails, - skipped)
 * with the reasons under a failed one, and exits 0 when every check holds, 1 when one fails, 2 when the
 * plugin cannot be found or loaded.
 *
 * The plugin is loaded as `use:` loads it. Its package folder (the folder given, or the one holding
 * the module's package.json) supplies the defaults: golden files in `test/golden/`, and an optional
 * `liqmon.check.js` (or `.mjs`) whose default export says how to run the live checks:
 * `{ source: { fake, options, emit, keepAlive? } }` or `{ sink: { options, replies? } }`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isLiqmonError, type SinkDefinition, type SourceDefinition, UsageError } from '@liqmon/core';
import { loadPlugin } from '@liqmon/core/runtime';
import type { PluginCheckOptions } from '@liqmon/core/testing';

/** Options of the command. */
export interface CheckPluginCommandOptions {
  golden?: string;
  update?: boolean;
}

/** The entry module of a package folder: `exports['.']` (import or default), `main`, or index.js. */
function entryOf(dir: string): string {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { exports?: unknown; main?: unknown };
  const root: unknown = typeof manifest.exports === 'object' && manifest.exports !== null && '.' in manifest.exports ? (manifest.exports as Record<string, unknown>)['.'] : manifest.exports;
  const conditions = typeof root === 'object' && root !== null ? (root as Record<string, unknown>) : {};
  const entry = typeof root === 'string' ? root : (conditions.import ?? conditions.default ?? manifest.main ?? 'index.js');
  return path.resolve(dir, String(entry));
}

/** The nearest folder at or above `start` with a package.json. */
function packageRoot(start: string): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

async function load(use: string): Promise<SourceDefinition | SinkDefinition> {
  try {
    return await loadPlugin(use, 'source', process.cwd());
  } catch (error) {
    // Not known in advance: a module that is a sink says so in its error.
    if (isLiqmonError(error) && error.message.includes('it is a sink plugin')) return loadPlugin(use, 'sink', process.cwd());
    throw error;
  }
}

/** Where the plugin is and what its package folder holds. */
function locate(target: string): { use: string; root: string | undefined } {
  const local = path.resolve(target);
  const isPath = existsSync(local) && (target.startsWith('.') || path.isAbsolute(target) || target.includes(path.sep) || statSync(local).isDirectory());
  if (!isPath) return { use: target, root: undefined };
  if (statSync(local).isDirectory()) {
    if (!existsSync(path.join(local, 'package.json'))) throw new UsageError(`${target} is a folder without a package.json.`, { hint: 'Give the plugin package folder or its entry file.' });
    return { use: entryOf(local), root: local };
  }
  return { use: local, root: packageRoot(path.dirname(local)) };
}

async function checkFileOf(root: string | undefined): Promise<Pick<PluginCheckOptions, 'source' | 'sink'>> {
  for (const name of ['liqmon.check.js', 'liqmon.check.mjs']) {
    const file = root ? path.join(root, name) : undefined;
    if (file && existsSync(file)) {
      const module = (await import(pathToFileURL(file).href)) as { default?: Pick<PluginCheckOptions, 'source' | 'sink'> };
      return module.default ?? {};
    }
  }
  return {};
}

export async function checkPluginCommand(target: string, opts: CheckPluginCommandOptions): Promise<number> {
  let definition: SourceDefinition | SinkDefinition;
  let root: string | undefined;
  try {
    const located = locate(target);
    root = located.root;
    definition = await load(located.use);
  } catch (error) {
    if (!isLiqmonError(error)) throw error;
    process.stderr.write(`liqmon: ${error.message}\n${error.hint ? `  hint: ${error.hint}\n` : ''}`);
    return 2;
  }
  const defaultGolden = root ? path.join(root, 'test', 'golden') : undefined;
  const golden = opts.golden ? path.resolve(opts.golden) : defaultGolden && existsSync(defaultGolden) ? defaultGolden : undefined;
  if (opts.golden && !(existsSync(golden!) && statSync(golden!).isDirectory())) {
    throw new UsageError(`--golden ${opts.golden}: no such folder.`, { hint: 'Give the folder holding NAME.jsonl and NAME.expected.jsonl.' });
  }
  if (opts.update && (definition.kind !== 'source' || !golden)) {
    throw new UsageError('--update writes the expected files of a source\'s golden folder, and there is none here.', { hint: 'Pass --golden DIR.' });
  }
  const extra = await checkFileOf(root);
  process.stdout.write(`check-plugin: ${definition.kind} "${definition.name}" (${target})${golden ? `, golden files in ${golden}` : ''}\n`);
  // Loaded here, not at the top: every command shares main.js, and `liqmon start` has no use for the
  // test kit (its fakes and checks are a few hundred kB of a running process's heap).
  const { checkPlugin, formatCheckResults } = await import('@liqmon/core/testing');
  const report = await checkPlugin({ definition, ...(golden ? { golden } : {}), update: opts.update ?? false, ...extra });
  process.stdout.write(formatCheckResults(report.checks));
  const count = (status: string) => report.checks.filter((check) => check.status === status).length;
  process.stdout.write(`${count('pass')} hold, ${count('fail')} fail, ${count('skip')} skipped\n`);
  return report.ok ? 0 : 1;
}
