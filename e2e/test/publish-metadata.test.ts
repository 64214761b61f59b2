/**
 * Every package in packages/ is published to npm: it must say what it ships and where it comes from
 * (docs/releasing.md). A new package without its metadata fails here, not at `npm publish`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './cli.js';

interface Manifest {
  name: string;
  private?: boolean;
  license?: string;
  keywords?: string[];
  files?: string[];
  engines?: { node?: string };
  repository?: { type?: string; url?: string; directory?: string };
  publishConfig?: { access?: string };
  exports?: Record<string, unknown>;
  peerDependencies?: Record<string, string>;
  dependencies?: Record<string, string>;
}

const folders = readdirSync(join(REPO_ROOT, 'packages')).filter((name) => existsSync(join(REPO_ROOT, 'packages', name, 'package.json')));
const manifest = (folder: string) => JSON.parse(readFileSync(join(REPO_ROOT, 'packages', folder, 'package.json'), 'utf8')) as Manifest;

/** What is missing from a package's publish metadata, as readable items. */
function missingMetadata(folder: string): string[] {
  const pkg = manifest(folder);
  const missing: string[] = [];
  if (pkg.private) missing.push('private: true (packages/ holds published packages only)');
  if (pkg.license !== 'MIT') missing.push('license: MIT');
  if (!pkg.keywords?.length) missing.push('keywords');
  if (!pkg.files?.includes('dist')) missing.push('files: ["dist", ...]');
  if (!pkg.engines?.node) missing.push('engines.node');
  if (!pkg.repository?.url || pkg.repository.directory !== `packages/${folder}`) missing.push(`repository with directory "packages/${folder}"`);
  if (pkg.name.startsWith('@') && pkg.publishConfig?.access !== 'public') missing.push('publishConfig.access: public');
  const main = pkg.exports?.['.'] as { types?: string; import?: string } | undefined;
  if (!main?.types || !main.import) missing.push('exports["."] with types and import');
  for (const [entry, target] of Object.entries(pkg.exports ?? {})) {
    if (entry !== './package.json' && !(target as { types?: string }).types) missing.push(`exports["${entry}"].types`);
  }
  if (!existsSync(join(REPO_ROOT, 'packages', folder, 'README.md'))) missing.push('README.md');
  return missing;
}

describe('publish metadata', () => {
  it.each(folders)('packages/%s has everything npm publish needs', (folder) => {
    expect(missingMetadata(folder)).toEqual([]);
  });

  it('plugins take @liqmon/core as a peer, so a user folder holds one copy of it', () => {
    const plugins = folders.filter((f) => f.startsWith('exchange-') || f.startsWith('sink-'));
    expect(plugins.filter((f) => !manifest(f).peerDependencies?.['@liqmon/core'] || manifest(f).dependencies?.['@liqmon/core'])).toEqual([]);
  });

  it('e2e depends on every package, so that they are built before the install test packs them', () => {
    const e2e = JSON.parse(readFileSync(join(REPO_ROOT, 'e2e', 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
    expect(folders.map((f) => manifest(f).name).filter((name) => !e2e.devDependencies?.[name])).toEqual([]);
  });

  it('@liqmon/core does not depend on what only the command line needs', () => {
    const deps = Object.keys(manifest('core').dependencies ?? {});
    expect(deps.filter((d) => ['commander', 'cosmiconfig', 'prom-client', 'pino-pretty'].includes(d))).toEqual([]);
  });
});
