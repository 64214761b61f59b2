/**
 * Loading the config a command runs with: find the file (find.ts), then core's pipeline on its text
 * (`loadConfigFromText`: parse, interpolate, validate, load plugins). See docs/configuration.md.
 */
import path from 'node:path';
import { ConfigError } from '@liqmon/core';
import { displayPath, loadConfigFromText, type EnvVars, type LoadedConfig } from '@liqmon/core/runtime';
import { findConfigFile } from './find.js';

/** Where to find the config and what environment to read `${VAR}`s from. */
export interface LoadConfigOptions {
  /**
   * `--config` path (absolute or relative to `cwd`); when absent, `cwd` is searched (not its parents),
   * then the user's config folder.
   */
  configPath?: string;
  /** @default process.cwd() */
  cwd?: string;
  /** Variables for `${VAR}`; they win over a `.env` beside the config. @default process.env */
  env?: EnvVars;
}

const YAML_EXTENSIONS = new Set(['', '.yaml', '.yml', '.json']);

/**
 * Finds, reads and validates the config, and loads its plugins.
 * @throws ConfigNotFoundError when there is no config; ConfigError listing every problem found.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const { file, text } = await findConfigFile({
    cwd,
    ...(options.configPath !== undefined ? { configPath: options.configPath } : {}),
  });
  if (!YAML_EXTENSIONS.has(path.extname(file))) {
    throw new ConfigError([{ path: '', file: displayPath(file, cwd), message: 'liqmon reads YAML config files only', hint: 'rename it to config.yaml and write it in YAML' }]);
  }
  return loadConfigFromText(text, { file, dir: path.dirname(file), cwd, ...(options.env ? { env: options.env } : {}) });
}
