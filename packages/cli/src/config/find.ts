/**
 * Finding the config file: the `--config` path, or a cosmiconfig search of the working directory (and
 * then the user's config folder, e.g. `~/.config/liqmon/config.yaml`). Parent folders are not searched:
 * a config there (say in a shared `/tmp`) would run its plugins for whoever starts liqmon below it.
 * Cosmiconfig only finds and reads the file here: we parse the text ourselves with `yaml` to keep node
 * positions.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { cosmiconfig, type Loader } from 'cosmiconfig';
import { ConfigError, ConfigNotFoundError } from '@liqmon/core';
import { MAX_CONFIG_BYTES } from '@liqmon/core/runtime';

/** Names searched in each folder, in this order. */
export const CONFIG_SEARCH_PLACES = [
  'liqmon.config.yaml',
  'liqmon.config.yml',
  'config.yaml',
  'config.yml',
  '.liqmonrc.yaml',
  '.liqmonrc.yml',
  '.liqmonrc',
] as const;

/** A config file found and read. */
export interface ConfigFile {
  /** Absolute path. */
  file: string;
  text: string;
}

// Hands the text back untouched; also for the extensions cosmiconfig looks for in the global config
// folder (config.json, config.js, ...), which load.ts then reports as "not YAML" where needed.
const rawText: Loader = (_filepath, content) => ({ text: content });
const LOADERS = Object.fromEntries(
  ['.yaml', '.yml', '.json', '.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', 'noExt'].map((ext) => [ext, rawText]),
);

/**
 * Reads the explicit `configPath` (relative to `cwd`), or searches `cwd` and then the user's config
 * folder.
 * @throws ConfigNotFoundError; ConfigError for a file that is not a regular file or is too large.
 */
export async function findConfigFile(options: { configPath?: string; cwd: string }): Promise<ConfigFile> {
  if (options.configPath !== undefined) {
    const file = path.resolve(options.cwd, options.configPath);
    try {
      await checkFile(file, options.cwd);
      return { file, text: await readFile(file, 'utf8') };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR') throw new ConfigNotFoundError(options.cwd, { explicitPath: file });
      throw error;
    }
  }
  const explorer = cosmiconfig('liqmon', {
    searchPlaces: [...CONFIG_SEARCH_PLACES],
    loaders: LOADERS,
    // 'global' with stopDir = cwd: the working directory, then the user's config folder, and no parent
    // folder in between (cosmiconfig 9's default, 'none', stops at the working directory too, but would
    // drop the user's config folder).
    searchStrategy: 'global',
    stopDir: options.cwd,
    cache: false,
  });
  const found = await explorer.search(options.cwd);
  if (!found || typeof (found.config as { text?: unknown } | null)?.text !== 'string') {
    throw new ConfigNotFoundError(options.cwd);
  }
  await checkFile(found.filepath, options.cwd);
  return { file: found.filepath, text: (found.config as { text: string }).text };
}

/** A config is a regular file of at most {@link MAX_CONFIG_BYTES} (not `/dev/zero`, not a 2 GB log). */
async function checkFile(file: string, cwd: string): Promise<void> {
  const info = await stat(file);
  if (info.isDirectory()) return; // reported as "does not exist" by the read
  const shown = path.relative(cwd, file).startsWith('..') ? file : path.relative(cwd, file) || file;
  const problem = !info.isFile()
    ? 'is not a regular file'
    : info.size > MAX_CONFIG_BYTES
      ? `is too large (${info.size} bytes; a config can be at most ${MAX_CONFIG_BYTES} bytes, 1 MiB)`
      : undefined;
  if (problem) {
    throw new ConfigError([{ path: '', file: shown, message: `the config file ${problem}`, hint: 'point --config at the YAML config file' }]);
  }
}
