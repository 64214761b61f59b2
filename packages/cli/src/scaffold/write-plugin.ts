/**
 * `liqmon new`'s writer: a plugin package from the templates, in a folder that is new or empty.
 * It refuses (UsageError, exit 2) an invalid npm name, a non-empty folder and a `--core` path that
 * does not exist, before writing anything.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CORE_VERSION, UsageError } from '@liqmon/core';
import { pluginNames, type PluginKind, type PluginNames } from './names.js';
import { renderTemplates } from './templates.js';

/** What to write. */
export interface NewPluginOptions {
  kind: PluginKind;
  /** NAME as typed: `okx`, `liqmon-plugin-okx` or `@acme/liqmon-okx`. */
  name: string;
  /** Folder to write into. @default `./<package name without scope>` */
  dir?: string;
  /**
   * The `@liqmon/core` the package develops against: a version or range, a tarball path, or a
   * folder (`file:` optional). Paths are written absolute. @default `^<version of the running core>`
   */
  core?: string;
  /** Folder relative paths start from. @default process.cwd() */
  cwd?: string;
  /** The templates folder. @default the installed CLI's */
  templates?: string;
}

/** What was written. */
export interface WrittenPlugin {
  /** Absolute path of the package folder. */
  dir: string;
  names: PluginNames;
  /** Paths written, relative to `dir`, with forward slashes. */
  files: string[];
}

/** The range of `@liqmon/core` a plugin made now works with: the running core's minor line. */
export function coreRange(version: string = CORE_VERSION): string {
  return `^${version}`;
}

/** Paths npm installs from (a tarball or a folder), told apart from a version or a range. */
function looksLikePath(spec: string): boolean {
  return spec.startsWith('file:') || /\.(?:tgz|tar\.gz)$/.test(spec) || /^[./~]/.test(spec) || spec.includes('/') || spec.includes('\\');
}

/** The devDependency spec of `@liqmon/core` for `--core`. */
export function coreDevSpec(spec: string | undefined, cwd: string): string {
  if (spec === undefined) return coreRange();
  const trimmed = spec.trim();
  if (trimmed === '') throw new UsageError('--core is empty.', { hint: 'Give a version (0.1.0), a tarball (./liqmon-core-0.1.0.tgz) or a folder.' });
  if (!looksLikePath(trimmed)) return trimmed;
  const target = path.resolve(cwd, trimmed.replace(/^file:/, ''));
  if (!existsSync(target)) {
    throw new UsageError(`--core ${spec}: no such file or folder (${target}).`, {
      hint: 'Give a tarball made by `npm pack` in packages/core, its folder, or a version such as 0.1.0.',
    });
  }
  // Absolute: npm reads a relative `file:` from the new package's folder, not from here.
  return `file:${target}`;
}

function refuseNonEmpty(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new UsageError(`${dir} exists and is not a folder.`, { hint: 'Choose another NAME or --dir.' });
  if (readdirSync(dir).length > 0) {
    throw new UsageError(`${dir} already exists and is not empty; liqmon new writes only into a new or empty folder.`, {
      hint: 'Choose another NAME or --dir, or move the folder away.',
    });
  }
}

/** Writes the plugin package. Throws a UsageError before writing anything when it cannot. */
export async function writePluginPackage(options: NewPluginOptions): Promise<WrittenPlugin> {
  const cwd = options.cwd ?? process.cwd();
  const names = pluginNames(options.name);
  const dir = path.resolve(cwd, options.dir ?? names.folderName);
  refuseNonEmpty(dir);
  const description = options.kind === 'source' ? `liqmon source: liquidations of the ${names.pluginName} venue` : `liqmon sink: posts liquidation alerts to ${names.pluginName}`;
  const values = {
    packageName: names.packageName,
    pluginName: names.pluginName,
    kind: options.kind,
    description,
    coreRange: coreRange(),
    coreDevSpec: coreDevSpec(options.core, cwd),
  };
  const files = renderTemplates(options.kind, values, options.templates);
  for (const file of files) {
    const target = path.join(dir, ...file.path.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.text);
  }
  return { dir, names, files: files.map((file) => file.path) };
}
