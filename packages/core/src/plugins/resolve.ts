/**
 * Where a `use:` points. Package names resolve like an `import` written in a file in the config's
 * folder, then like one written in core itself (so plugins installed next to liqmon, globally or in the
 * monorepo, are found too). Uses `import-meta-resolve` because our packages export only the `import`
 * condition, which `require.resolve` ignores, and `import.meta.resolve(name, parent)` is flag-gated on Node 20.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve as resolveImport } from 'import-meta-resolve';
import { PluginNotFoundError } from '../errors.js';
import { closest } from '../config/suggest.js';
import { BUILTIN_ALIASES, PACKAGE_ALIASES } from './aliases.js';

/** True for `./x.js`, `../x.mjs`, `/abs.js`, `C:\x.js` and `file:` URLs. */
export function isPathSpecifier(use: string): boolean {
  return use.startsWith('./') || use.startsWith('../') || use.startsWith('.\\') || use.startsWith('..\\') ||
    use.startsWith('file:') || path.isAbsolute(use);
}

/** The package part of a bare specifier: `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** The module URL a `use:` (alias, package name or path) points at. Throws PluginNotFoundError. */
export function resolvePluginUrl(use: string, fromDir: string): string {
  if (isPathSpecifier(use)) return resolvePath(use, fromDir);
  const specifier = PACKAGE_ALIASES[use]?.package ?? use;
  const parents = [pathToFileURL(path.join(fromDir, 'noop.js')).href, import.meta.url];
  for (const parent of parents) {
    try {
      return resolveImport(specifier, parent);
    } catch (error) {
      if (!isNotFound(error)) {
        throw new PluginNotFoundError(use, {
          hint: `"${specifier}" is installed but cannot be imported: ${(error as Error).message}`,
          cause: error,
        });
      }
    }
  }
  throw new PluginNotFoundError(use, { hint: notFoundHint(use, specifier, fromDir) });
}

function resolvePath(use: string, fromDir: string): string {
  const file = use.startsWith('file:') ? fileURLToPath(use) : path.resolve(fromDir, use);
  if (!existsSync(file)) {
    throw new PluginNotFoundError(use, {
      hint: `There is no file ${file}. Paths in \`use:\` are relative to the config file's folder (${fromDir}).`,
    });
  }
  return pathToFileURL(file).href;
}

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return code === 'ERR_MODULE_NOT_FOUND';
}

function notFoundHint(use: string, specifier: string, fromDir: string): string {
  const install = `Install it beside the config: cd ${fromDir} && npm install ${packageNameOf(specifier)}`;
  const near = specifier === use ? closest(use, BUILTIN_ALIASES) : undefined;
  if (near) return `Did you mean the built-in \`${near}\`? Otherwise: ${install}`;
  return `${install} (or, for a local module, write a path such as ./${use}.js).`;
}
