/**
 * Where a `use:` points. Package names resolve like an `import` written in a file in the config's
 * folder, then like one written in core itself (so plugins installed next to liqmon, globally or in the
 * monorepo, are found too). Uses `import-meta-resolve` because our packages export only the `import`
 * condition, which `require.resolve` ignores, and `import.meta.resolve(name, parent)` is flag-gated on Node 20.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolve as resolveImport } from 'import-meta-resolve';
import { PluginNotFoundError } from '../errors.js';
import { closest } from '../config/suggest.js';
import { aliasedPackages, aliasPackage, BUILTIN_ALIASES } from './aliases.js';

/** True for `./x.js`, `../x.mjs`, `/abs.js` and `C:\\x.js`. */
export function isPathSpecifier(use: string): boolean {
  return use.startsWith('./') || use.startsWith('../') || use.startsWith('.\\') || use.startsWith('..\\') || path.isAbsolute(use);
}

/**
 * The scheme of a `use:` written as a URL (`data:`, `http:`, `file:`, `node:`), or undefined. A Windows
 * drive path (`C:\\x.js`) is not a URL.
 */
export function urlSchemeOf(use: string): string | undefined {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(use)?.[1];
  if (scheme === undefined || (scheme.length === 1 && /^[a-zA-Z]:[\\/]/.test(use))) return undefined;
  return scheme;
}

/**
 * The module URL a `use:` (alias, package name or path) points at. `kind` picks the package of an alias
 * that names one per kind (`nats`); without it such an alias means its sink. Throws PluginNotFoundError.
 */
export function resolvePluginUrl(use: string, fromDir: string, kind?: 'source' | 'sink'): string {
  if (isPathSpecifier(use)) return resolvePath(use, fromDir);
  const specifier = aliasPackage(use, kind) ?? use;
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
  throw new PluginNotFoundError(use, { hint: notFoundHint(use, specifier, fromDir, kind) });
}

function resolvePath(use: string, fromDir: string): string {
  const file = path.resolve(fromDir, use);
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

/**
 * What to do about a name that is not installed. Only names liqmon knows are suggested (aliases,
 * first-party packages, liqmon plugins installed beside the config): suggesting to install whatever was
 * typed would send a typo such as `binanse` to the npm registry, where anyone may have published it.
 */
function notFoundHint(use: string, specifier: string, fromDir: string, kind: 'source' | 'sink' | undefined): string {
  const firstParty = aliasedPackages();
  if (firstParty.includes(specifier)) {
    const alias = aliasPackage(use, kind) ? `The built-in \`${use}\` is the package ${specifier}, which` : 'This first-party package';
    return `${alias} is not installed. Install it beside the config: cd ${fromDir} && npm install ${specifier}`;
  }
  const near = closest(use, [...BUILTIN_ALIASES, ...firstParty, ...installedPlugins(fromDir)]);
  if (near) return `Did you mean ${BUILTIN_ALIASES.includes(near) ? 'the built-in ' : ''}\`${near}\`?`;
  return (
    `\`${use}\` is neither a built-in plugin (${BUILTIN_ALIASES.join(', ')}) nor a package installed beside the config (${fromDir}). ` +
    'A plugin is an npm package installed there (first-party ones are named @liqmon/exchange-<venue>, @liqmon/source-<name> and @liqmon/sink-<name>; check the name and the publisher of any other before installing it) ' +
    'or a file such as ./my-plugin.js; see docs/plugins.md.'
  );
}

/** Names of liqmon plugins installed in the config's node_modules (`@liqmon/*`, `*liqmon*`), for did-you-mean. */
function installedPlugins(fromDir: string): string[] {
  const modules = path.join(fromDir, 'node_modules');
  const names = (dir: string) => {
    try {
      return readdirSync(dir).slice(0, 5000);
    } catch {
      return [];
    }
  };
  return [
    ...names(path.join(modules, '@liqmon')).map((name) => `@liqmon/${name}`),
    ...names(modules).filter((name) => name.includes('liqmon') && !name.startsWith('@')),
  ];
}
