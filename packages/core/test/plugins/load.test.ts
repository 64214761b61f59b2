/**
 * Loading plugins named by `use:`. The fixture plugins import `@liqmon/core`, which resolves to the
 * built core: run `npx turbo run build --filter=@liqmon/core` first.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PluginApiMismatchError, PluginInvalidError, PluginNotFoundError } from '../../src/errors.js';
import { BUILTIN_ALIASES } from '../../src/plugins/aliases.js';
import { loadPlugin } from '../../src/plugins/load.js';
import { resolvePluginUrl } from '../../src/plugins/resolve.js';
import { consoleSink } from '../../src/sinks/console.js';

const fixtures = fileURLToPath(new URL('../fixtures/plugins/', import.meta.url));
const project = path.join(fixtures, 'project');

async function failure(promise: Promise<unknown>): Promise<Error & { hint?: string }> {
  return promise.then(
    () => {
      throw new Error('expected the load to fail');
    },
    (error: unknown) => error as Error & { hint?: string },
  );
}

describe('loadPlugin', () => {
  it('loads the built-in console sink by its alias', async () => {
    const definition = await loadPlugin('console', 'sink', project);
    expect(definition).toBe(consoleSink);
  });

  it('resolves an alias that names a source and a sink (nats) by the section it is used in', () => {
    expect(resolvePluginUrl('nats', project, 'source')).toMatch(/\/source-nats\//);
    expect(resolvePluginUrl('nats', project, 'sink')).toMatch(/\/sink-nats\//);
    expect(BUILTIN_ALIASES).toContain('nats');
  });

  it('loads a module by a path relative to the config folder', async () => {
    const source = await loadPlugin('../local-source.js', 'source', project);
    expect(source).toMatchObject({ kind: 'source', name: 'local-source' });
    const sink = await loadPlugin('./local-sink.mjs', 'sink', fixtures);
    expect(sink.name).toBe('local-sink');
  });

  it('loads a module by absolute path', async () => {
    const file = path.join(fixtures, 'local-source.js');
    expect((await loadPlugin(file, 'source', '/')).name).toBe('local-source');
  });

  it.each([
    ['data', 'data:text/javascript,globalThis.liqmonRan=1;export default {}'],
    ['file', `file://${path.join(fixtures, 'local-source.js')}`],
    ['http', 'http://127.0.0.1:9/plugin.js'],
    ['node', 'node:fs'],
  ])('refuses a %s: URL without loading it', async (scheme, use) => {
    const error = await failure(loadPlugin(use, 'source', project));
    expect(error).toBeInstanceOf(PluginInvalidError);
    expect(error.message).toBe(`Module "${scheme}:..." is not a usable liqmon plugin: \`use:\` does not load URLs (${scheme}:).`);
    expect(error.hint).toContain('a file path such as ./my-plugin.js');
    expect((globalThis as { liqmonRan?: number }).liqmonRan).toBeUndefined();
  });

  it('loads packages installed in the config folder, scoped or not, through their import export', async () => {
    expect((await loadPlugin('liqmon-fixture-sink', 'sink', project)).name).toBe('fixture-sink');
    expect((await loadPlugin('@acme/liqmon-source', 'source', project)).name).toBe('acme');
  });

  it("falls back to liqmon's own install for packages the config folder does not have", async () => {
    // zod is installed with core, not in the temp folder; finding it proves the fallback (and it is
    // no plugin, so the loader says so).
    const error = await failure(loadPlugin('zod', 'source', await mkdtemp(path.join(tmpdir(), 'liqmon-'))));
    expect(error).toBeInstanceOf(PluginInvalidError);
    expect(error.message).toContain('Module "zod" is not a usable liqmon plugin');
  });

  it('never suggests installing an unknown name: says how plugins are named and found instead', async () => {
    for (const use of ['nowhere-venue', 'liqmon-sink-nowhere', '@acme/missing/sub']) {
      const error = await failure(loadPlugin(use, 'sink', project));
      expect(error).toBeInstanceOf(PluginNotFoundError);
      expect(error.message).toBe(`Plugin "${use}" cannot be found.`);
      expect(error.hint).not.toContain('npm install');
      expect(error.hint).toBe(
        `\`${use}\` is neither a built-in plugin (${BUILTIN_ALIASES.join(', ')}) nor a package installed beside the config (${project}). ` +
          'A plugin is an npm package installed there (first-party ones are named @liqmon/exchange-<venue>, @liqmon/source-<name> and @liqmon/sink-<name>; check the name and the publisher of any other before installing it) ' +
          'or a file such as ./my-plugin.js; see docs/plugins.md.',
      );
    }
  });

  it('suggests the built-in alias for a misspelt one, and nothing to install', async () => {
    for (const [use, near] of [['telegarm', 'telegram'], ['binanse', 'binance']] as const) {
      const error = await failure(loadPlugin(use, 'sink', project));
      expect(error).toBeInstanceOf(PluginNotFoundError);
      expect(error.hint).toBe(`Did you mean the built-in \`${near}\`?`);
    }
  });

  it('suggests first-party packages and liqmon plugins installed beside the config', async () => {
    expect((await failure(loadPlugin('@liqmon/sink-telegrm', 'sink', project))).hint).toBe('Did you mean `@liqmon/sink-telegram`?');
    expect((await failure(loadPlugin('liqmon-fixture-snk', 'sink', project))).hint).toBe('Did you mean `liqmon-fixture-sink`?');
  });

  it('says where it looked for a missing path', async () => {
    const error = await failure(loadPlugin('./nope.js', 'sink', project));
    expect(error).toBeInstanceOf(PluginNotFoundError);
    expect(error.hint).toContain(`There is no file ${path.join(project, 'nope.js')}`);
  });

  it('refuses a module that is not a plugin, saying what it exports', async () => {
    const error = await failure(loadPlugin('../not-a-plugin.js', 'sink', project));
    expect(error).toBeInstanceOf(PluginInvalidError);
    expect(error.message).toBe(
      'Module "../not-a-plugin.js" is not a usable liqmon plugin: it exports default (a function), version (a string), and none of them is a plugin definition.',
    );
    expect(error.hint).toContain('defineSink');
  });

  it('refuses a plugin built for another plugin API', async () => {
    const error = await failure(loadPlugin('../api-mismatch.js', 'sink', project));
    expect(error).toBeInstanceOf(PluginApiMismatchError);
    expect(error.message).toBe(
      'Plugin "../api-mismatch.js" was built for liqmon plugin API 999 (core 9.0.0), but this core implements API 1.',
    );
  });

  it('refuses a sink under sources and the other way round', async () => {
    const asSource = await failure(loadPlugin('console', 'source', project));
    expect(asSource).toBeInstanceOf(PluginInvalidError);
    expect(asSource.message).toContain('it is a sink plugin, not a source.');
    expect(asSource.hint).toBe('Move this entry under `sinks:`.');
    const asSink = await failure(loadPlugin('@acme/liqmon-source', 'sink', project));
    expect(asSink.hint).toBe('Move this entry under `sources:`.');
  });

  it('says when an installed package was never built', async () => {
    const error = await failure(loadPlugin('liqmon-unbuilt', 'sink', project));
    expect(error).toBeInstanceOf(PluginInvalidError);
    expect(error.message).toContain(`its entry file ${path.join(project, 'node_modules/liqmon-unbuilt/dist/index.js')} does not exist.`);
    expect(error.hint).toContain('installed but not built');
  });

  it('reports a plugin whose own import fails', async () => {
    const error = await failure(loadPlugin('../broken-import.js', 'sink', project));
    expect(error).toBeInstanceOf(PluginInvalidError);
    expect(error.message).toContain('importing it failed');
    expect(error.message).toContain('liqmon-package-that-does-not-exist');
  });
});
