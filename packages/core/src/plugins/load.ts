/**
 * `use:` -> plugin definition: built-in core plugins, alias -> package name -> dynamic import, or a
 * path resolved against the config's folder.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PluginInvalidError } from '../errors.js';
import type { SinkDefinition, SourceDefinition } from '../plugin.js';
import { CORE_PLUGINS } from './aliases.js';
import { pluginFromModule } from './check.js';
import { resolvePluginUrl, urlSchemeOf } from './resolve.js';

/**
 * Loads the plugin a `use:` names and checks it is a `kind` plugin for this core.
 *
 * @param use - an alias (`binance`, `console`, ...), an npm package name, or a path (`./x.js`); never a URL
 * @param kind - `source` under `sources:`, `sink` under `sinks:`
 * @param fromDir - folder of the config file: packages and relative paths resolve from there first
 * @throws PluginNotFoundError, PluginInvalidError, PluginApiMismatchError
 */
export async function loadPlugin(use: string, kind: 'source', fromDir: string): Promise<SourceDefinition>;
export async function loadPlugin(use: string, kind: 'sink', fromDir: string): Promise<SinkDefinition>;
export async function loadPlugin(use: string, kind: 'source' | 'sink', fromDir: string): Promise<SourceDefinition | SinkDefinition>;
export async function loadPlugin(use: string, kind: 'source' | 'sink', fromDir: string): Promise<SourceDefinition | SinkDefinition> {
  const scheme = urlSchemeOf(use);
  if (scheme !== undefined) {
    // `import()` would run a data: URL's inline code, or fetch from the network: only the documented
    // forms load code.
    throw new PluginInvalidError(`${scheme}:...`, `\`use:\` does not load URLs (${scheme}:).`, {
      hint: 'Write a built-in alias (binance, bybit, telegram, discord, console), an npm package name installed beside the config, or a file path such as ./my-plugin.js.',
    });
  }
  const builtin = Object.hasOwn(CORE_PLUGINS, use) ? CORE_PLUGINS[use as keyof typeof CORE_PLUGINS] : undefined;
  const module = builtin ? await builtin.load() : await importModule(use, resolvePluginUrl(use, fromDir, kind));
  return pluginFromModule(module, use, kind) as SourceDefinition | SinkDefinition;
}

async function importModule(use: string, url: string): Promise<unknown> {
  const file = url.startsWith('file:') ? fileURLToPath(url) : undefined;
  if (file !== undefined && !existsSync(file)) {
    // Resolution follows package.json `exports` without checking the target exists: a workspace
    // package that was never built lands here.
    throw new PluginInvalidError(use, `its entry file ${file} does not exist.`, {
      hint: 'The package is installed but not built. Build it (in the liqmon repository: `npm run build`) or reinstall it.',
    });
  }
  try {
    return (await import(url)) as unknown;
  } catch (error) {
    // The module was found, so this is the plugin's own failure: a missing dependency, a syntax error,
    // or code that throws at import time.
    throw new PluginInvalidError(use, `importing it failed: ${(error as Error).message}`, {
      hint: 'Check that the plugin and its dependencies are installed and built.',
      cause: error,
    });
  }
}
