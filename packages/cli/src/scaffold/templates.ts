/**
 * The files of a new plugin package, read from the `templates/` folder of this package: `common/`
 * for every kind, then `source/` or `sink/`. Each template is stored as `NAME.tmpl` (so that nothing
 * in this repository builds, lints or packs it as code), and a path segment `dot-x` is written `.x`
 * (npm drops `.gitignore` files from a package). `{{key}}` placeholders are replaced by values.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PluginKind } from './names.js';

/** One file to write: its path inside the package (forward slashes) and its text. */
export interface PluginFile {
  path: string;
  text: string;
}

const PLACEHOLDER = /\{\{(\w+)\}\}/g;

/** The `templates/` folder of the installed CLI (beside its package.json, found from this module). */
export function templatesRoot(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'templates'))) return path.join(dir, 'templates');
    if (path.dirname(dir) === dir) throw new Error(`the templates of \`liqmon new\` are missing from the installed liqmon (looked above ${from})`);
  }
}

/**
 * Replaces every `{{key}}` with `values[key]`. In JSON files the values are escaped as JSON string
 * content (a `file:` path may hold a backslash or a quote). Throws for a key without a value, so a
 * template never ships a stray placeholder.
 */
export function fillTemplate(text: string, values: Readonly<Record<string, string>>, options: { json?: boolean; where?: string } = {}): string {
  return text.replace(PLACEHOLDER, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`template ${options.where ?? ''} uses {{${key}}}, which has no value`);
    return options.json ? JSON.stringify(value).slice(1, -1) : value;
  });
}

/** `dot-github/workflows/ci.yml.tmpl` -> `.github/workflows/ci.yml`. */
function targetPath(relative: string): string {
  return relative
    .split(path.sep)
    .map((segment) => segment.replace(/^dot-/, '.'))
    .join('/')
    .replace(/\.tmpl$/, '');
}

function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const relative = path.join(prefix, entry.name);
      if (entry.isDirectory()) return walk(path.join(dir, entry.name), relative);
      return entry.name.endsWith('.tmpl') ? [relative] : [];
    });
}

/** The files of a plugin of `kind`, placeholders filled. */
export function renderTemplates(kind: PluginKind, values: Readonly<Record<string, string>>, root: string = templatesRoot()): PluginFile[] {
  const files = new Map<string, PluginFile>();
  for (const folder of ['common', kind]) {
    const dir = path.join(root, folder);
    for (const relative of walk(dir)) {
      const target = targetPath(relative);
      const text = readFileSync(path.join(dir, relative), 'utf8');
      // A kind's file replaces a common one of the same path.
      files.set(target, { path: target, text: fillTemplate(text, values, { json: /\.jsonl?$/.test(target), where: `${folder}/${relative}` }) });
    }
  }
  return [...files.values()];
}
