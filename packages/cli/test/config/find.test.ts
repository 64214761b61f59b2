/** Finding the config file: --config, or a search of the working directory (not its parents). */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_SEARCH_PLACES } from '../../src/config/find.js';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError, ConfigNotFoundError } from '@liqmon/core';
import { tempDir } from './helpers.js';

const SINK = 'sinks:\n  out: { use: console }\n';

describe('finding the config', () => {
  it.each(CONFIG_SEARCH_PLACES)('finds %s in the working directory', async (name) => {
    const dir = await tempDir();
    await writeFile(path.join(dir, name), SINK);
    const config = await loadConfig({ cwd: dir, env: {} });
    expect(config.file).toBe(path.join(dir, name));
    expect(config.dir).toBe(dir);
    expect(config.sinks.map((s) => s.name)).toEqual(['out']);
  });

  it('prefers liqmon.config.yaml over config.yaml in the same folder', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'config.yaml'), 'sinks:\n  second: { use: console }\n');
    await writeFile(path.join(dir, 'liqmon.config.yaml'), 'sinks:\n  first: { use: console }\n');
    const config = await loadConfig({ cwd: dir, env: {} });
    expect(config.sinks.map((s) => s.name)).toEqual(['first']);
  });

  it('does not search parent folders: a config above the working directory is not loaded', async () => {
    const root = await tempDir();
    const deep = path.join(root, 'a', 'b', 'c');
    await mkdir(deep, { recursive: true });
    // A plugin that would leave a mark if the config above were loaded (its module runs on import).
    await writeFile(path.join(root, 'a', 'plugin.mjs'), `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(path.join(root, 'ran'))}, 'x');\n`);
    await writeFile(path.join(root, 'a', 'config.yaml'), 'sources:\n  x: { use: ./plugin.mjs }\n');
    const error: unknown = await loadConfig({ cwd: deep, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigNotFoundError);
    expect((error as ConfigNotFoundError).message).toBe(
      `No liqmon config found in ${deep} (looked for liqmon.config.yaml, config.yaml, .liqmonrc.yaml and their .yml forms; parent folders are not searched).`,
    );
    expect(existsSync(path.join(root, 'ran'))).toBe(false);
  });

  it('resolves .env and plugins from the folder of the config found', async () => {
    const root = await tempDir();
    await writeFile(path.join(root, '.liqmonrc.yaml'), 'sinks:\n  out: { use: console, format: "${FORMAT}" }\n');
    await writeFile(path.join(root, '.env'), 'FORMAT=json\n');
    const config = await loadConfig({ cwd: root, env: {} });
    expect(config.file).toBe(path.join(root, '.liqmonrc.yaml'));
    expect(config.sinks[0]?.options).toEqual({ format: 'json' });
  });

  it('loads an explicit --config path relative to cwd, whatever its name', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'conf'));
    await writeFile(path.join(dir, 'conf', 'prod.yaml'), SINK);
    const config = await loadConfig({ cwd: dir, configPath: 'conf/prod.yaml', env: {} });
    expect(config.file).toBe(path.join(dir, 'conf', 'prod.yaml'));
    expect(config.dir).toBe(path.join(dir, 'conf'));
  });

  it('names the file relative to cwd in messages', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'conf'));
    await writeFile(path.join(dir, 'conf', 'prod.yaml'), 'logg: {}\n');
    const error: unknown = await loadConfig({ cwd: dir, configPath: 'conf/prod.yaml', env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(`${path.join('conf', 'prod.yaml')}:1:1  logg: unknown key`);
  });

  it('says when no config is found, and how to make one', async () => {
    const dir = await tempDir();
    const error: unknown = await loadConfig({ cwd: dir, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigNotFoundError);
    expect((error as ConfigNotFoundError).message).toContain(`No liqmon config found in ${dir} (`);
    expect((error as ConfigNotFoundError).hint).toContain('liqmon init');
  });

  it('says when the --config file does not exist', async () => {
    const dir = await tempDir();
    const error: unknown = await loadConfig({ cwd: dir, configPath: 'nope.yaml', env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigNotFoundError);
    expect((error as ConfigNotFoundError).message).toBe(`Config file ${path.join(dir, 'nope.yaml')} does not exist.`);
  });
});

describe('the size of the config file', () => {
  it('refuses a file over 1 MiB before parsing it', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'config.yaml'), `# ${'x'.repeat(1024 * 1024)}\nrules: []\n`);
    const error: unknown = await loadConfig({ cwd: dir, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => `${i.message} [${i.hint ?? ''}]`)).toEqual([
      'the config file is too large (1048589 bytes; a config can be at most 1048576 bytes, 1 MiB) [point --config at the YAML config file]',
    ]);
  });

  it('refuses something that is not a regular file', async () => {
    const error: unknown = await loadConfig({ cwd: '/', configPath: '/dev/zero', env: {} }).catch((e: unknown) => e);
    expect((error as ConfigError).issues.map((i) => i.message)).toEqual(['the config file is not a regular file']);
  });
});
