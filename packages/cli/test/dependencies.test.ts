/**
 * Every package the CLI imports is one of its declared dependencies. An undeclared one (zod, say,
 * which core re-exports as `z`) would be bundled into dist/ by the build, a second copy in every
 * install.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** The package a bare specifier names: `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

describe('the CLI package', () => {
  it('imports only its declared dependencies and Node built-ins', () => {
    const imported = new Set<string>();
    for (const file of sources(join(root, 'src'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/^import (?!type )[^'"]*['"]([^'"]+)['"]/gm)) {
        const specifier = match[1]!;
        if (!specifier.startsWith('.') && !specifier.startsWith('node:')) imported.add(packageOf(specifier));
      }
    }
    const undeclared = [...imported].filter((name) => !manifest.dependencies[name] && !builtinModules.includes(name));
    expect(undeclared).toEqual([]);
  });
});
