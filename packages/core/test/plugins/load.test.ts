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
import { loadPlugin } from '../../src/plugins/load.js';
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

  it('loads a module by a path relative to the config folder', async () => {
    const source = await loadPlugin('../local-source.js', 'source', project);
    expect(source).toMatchObject({ kind: 'source', name: 'local-source' });
    const sink = await loadPlugin('./local-sink.mjs', 'sink', fixtures);
    expect(sink.name).toBe('local-sink');
  });

  it('loads a module by absolute path and by file: URL', async () => {
    const file = path.join(fixtures, 'local-source.js');
    expect((await loadPlugin(file, 'source', '/')).name).toBe('local-source');
    expect((await loadPlugin(`file://${file}`, 'source', '/')).name).toBe('local-source');
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

  it('names a missing package and the npm install command', async () => {
    const error = await failure(loadPlugin('liqmon-sink-nowhere', 'sink', project));
    expect(error).toBeInstanceOf(PluginNotFoundError);
    expect(error.message).toBe('Plugin "liqmon-sink-nowhere" cannot be found.');
    expect(error.hint).toContain(`cd ${project} && npm install liqmon-sink-nowhere`);
  });

  it('gives the package name of a scoped package with a subpath in the install command', async () => {
    const error = await failure(loadPlugin('@acme/missing/sub', 'sink', project));
    expect(error.hint).toContain('npm install @acme/missing');
  });

  it('suggests the built-in alias for a misspelt one', async () => {
    const error = await failure(loadPlugin('telegarm', 'sink', project));
    expect(error).toBeInstanceOf(PluginNotFoundError);
    expect(error.hint).toMatch(/^Did you mean the built-in `telegram`\?/);
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
