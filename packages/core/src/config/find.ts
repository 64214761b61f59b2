/**
 * Finding the config file: the `--config` path, or a cosmiconfig search from the working directory up
 * (and then the user's config folder, e.g. `~/.config/liqmon/config.yaml`). Cosmiconfig only finds
 * and reads the file here: we parse the text ourselves with `yaml` to keep node positions.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { cosmiconfig, type Loader } from 'cosmiconfig';
import { ConfigNotFoundError } from '../errors.js';

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
 * Reads the explicit `configPath` (relative to `cwd`), or searches for a config from `cwd` upward.
 * @throws ConfigNotFoundError
 */
export async function findConfigFile(options: { configPath?: string; cwd: string; stopDir?: string }): Promise<ConfigFile> {
  if (options.configPath !== undefined) {
    const file = path.resolve(options.cwd, options.configPath);
    try {
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
    searchStrategy: 'global',
    // Walk up to the filesystem root unless told otherwise (cosmiconfig's default stops at $HOME).
    stopDir: options.stopDir ?? path.parse(options.cwd).root,
    cache: false,
  });
  const found = await explorer.search(options.cwd);
  if (!found || typeof (found.config as { text?: unknown } | null)?.text !== 'string') {
    throw new ConfigNotFoundError(options.cwd);
  }
  return { file: found.filepath, text: (found.config as { text: string }).text };
}
