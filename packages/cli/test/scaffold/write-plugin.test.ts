/**
 * `liqmon new`'s writer: the files of a source and a sink package, the names it derives, and what it
 * refuses (exit 2) before writing anything. That the written packages install, build and pass their
 * own tests is e2e/test/new-plugin.test.ts.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CORE_VERSION } from '@liqmon/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/main.js';
import { pluginNames } from '../../src/scaffold/names.js';
import { writePluginPackage } from '../../src/scaffold/write-plugin.js';
import { tempDir } from '../config/helpers.js';

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(dir, path.join(prefix, entry.name)) : [path.join(prefix, entry.name).split(path.sep).join('/')]))
    .sort();
}

const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');

interface Manifest {
  name: string;
  type: string;
  keywords: string[];
  exports: Record<string, unknown>;
  files: string[];
  scripts: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

describe('the source package', () => {
  it('has the sources, a fake, tests with the kit, one golden file pair and the package files', async () => {
    const cwd = await tempDir();
    const written = await writePluginPackage({ kind: 'source', name: 'okx', cwd });
    expect(written.dir).toBe(path.join(cwd, 'liqmon-plugin-okx'));
    expect(filesUnder(written.dir)).toEqual([
      '.github/workflows/ci.yml',
      '.gitignore',
      'README.md',
      'liqmon.check.js',
      'package.json',
      'src/decode.ts',
      'src/index.ts',
      'src/instruments.ts',
      'test/fake-venue.js',
      'test/golden.test.ts',
      'test/golden/feed.expected.jsonl',
      'test/golden/feed.jsonl',
      'test/golden/reference.json',
      'test/source.test.ts',
      'tsconfig.json',
      'tsup.config.ts',
      'vitest.config.ts',
    ]);
    expect([...written.files].sort()).toEqual(filesUnder(written.dir));
    for (const file of written.files) expect(read(written.dir, file), file).not.toMatch(/\{\{\w+\}\}/);

    const manifest = JSON.parse(read(written.dir, 'package.json')) as Manifest;
    expect(manifest).toMatchObject({
      name: 'liqmon-plugin-okx',
      type: 'module',
      exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
      files: ['dist'],
      peerDependencies: { '@liqmon/core': `^${CORE_VERSION}` },
    });
    expect(manifest.keywords).toContain('liqmon-plugin');
    expect(Object.keys(manifest.scripts)).toEqual(expect.arrayContaining(['build', 'test', 'typecheck']));
    expect(manifest.devDependencies).toMatchObject({ '@liqmon/core': `^${CORE_VERSION}` });
    expect(Object.keys(manifest.devDependencies)).toEqual(expect.arrayContaining(['typescript', 'tsup', 'vitest']));

    expect(read(written.dir, 'src/index.ts')).toContain("name: 'okx',");
    expect(read(written.dir, 'src/index.ts')).toContain('new ReconnectingWebSocket(');
    expect(read(written.dir, 'src/instruments.ts')).toContain('fetchJson(');
    expect(read(written.dir, 'test/golden.test.ts')).toContain('checkGolden(');
    expect(read(written.dir, 'test/source.test.ts')).toContain('sourceConformance(');
    expect(read(written.dir, 'test/golden/feed.expected.jsonl')).toContain('{"exchange":"okx","market":"linear","symbol":"BTC-PERP"');
    expect(JSON.parse(read(written.dir, 'tsconfig.json'))).toMatchObject({ compilerOptions: { strict: true, module: 'NodeNext' } });
    expect(read(written.dir, '.gitignore')).toContain('node_modules/');
  });
});

describe('the sink package', () => {
  it('has the sink, a test with the sink check and the fake receiver, and the package files', async () => {
    const cwd = await tempDir();
    const written = await writePluginPackage({ kind: 'sink', name: 'chat', cwd, dir: 'here/chat-sink' });
    expect(written.dir).toBe(path.join(cwd, 'here', 'chat-sink'));
    expect(filesUnder(written.dir)).toEqual([
      '.github/workflows/ci.yml',
      '.gitignore',
      'README.md',
      'liqmon.check.js',
      'package.json',
      'src/index.ts',
      'test/sink.test.ts',
      'tsconfig.json',
      'tsup.config.ts',
      'vitest.config.ts',
    ]);
    const index = read(written.dir, 'src/index.ts');
    expect(index).toContain("name: 'chat',");
    expect(index).toContain('sendHttp(');
    expect(index).toContain('httpFailure(');
    expect(read(written.dir, 'test/sink.test.ts')).toMatch(/checkSink\([\s\S]*FakeHttpReceiver\.start\(\)/);
    expect((JSON.parse(read(written.dir, 'package.json')) as Manifest).keywords).toEqual(['liqmon', 'liqmon-plugin', 'liqmon-sink']);
  });
});

describe('names', () => {
  it('prefixes a plain name, keeps a prefixed or scoped one, and derives the plugin name and folder', () => {
    expect(pluginNames('okx')).toEqual({ packageName: 'liqmon-plugin-okx', pluginName: 'okx', folderName: 'liqmon-plugin-okx' });
    expect(pluginNames('liqmon-plugin-okx')).toEqual({ packageName: 'liqmon-plugin-okx', pluginName: 'okx', folderName: 'liqmon-plugin-okx' });
    expect(pluginNames('@acme/liqmon-okx')).toEqual({ packageName: '@acme/liqmon-okx', pluginName: 'okx', folderName: 'liqmon-okx' });
    expect(pluginNames('@acme/chat.v2')).toEqual({ packageName: '@acme/chat.v2', pluginName: 'chat-v2', folderName: 'chat.v2' });
  });

  it.each([
    ['OKX', 'it has capital letters'],
    ['my source', 'it has spaces'],
    ['@acme/_private', 'it starts with a dot or an underscore'],
    ['@acme', 'a scoped name is @scope/name'],
    ['okx!', 'it has characters npm does not allow'],
    ['x'.repeat(210), 'the package name would be longer than 214 characters'],
  ])('refuses %j: %s', (name, why) => {
    expect(() => pluginNames(name)).toThrow(why);
  });
});

describe('--core', () => {
  it('writes a tarball or folder as an absolute file: spec, and a version as it is', async () => {
    const cwd = await tempDir();
    writeFileSync(path.join(cwd, 'liqmon-core-0.1.0.tgz'), '');
    const tarball = await writePluginPackage({ kind: 'sink', name: 'a', cwd, core: './liqmon-core-0.1.0.tgz' });
    expect((JSON.parse(read(tarball.dir, 'package.json')) as Manifest).devDependencies['@liqmon/core']).toBe(`file:${path.join(cwd, 'liqmon-core-0.1.0.tgz')}`);
    const folder = await writePluginPackage({ kind: 'sink', name: 'b', cwd, core: `file:${cwd}` });
    expect((JSON.parse(read(folder.dir, 'package.json')) as Manifest).devDependencies['@liqmon/core']).toBe(`file:${cwd}`);
    const version = await writePluginPackage({ kind: 'sink', name: 'c', cwd, core: '0.1.0' });
    expect((JSON.parse(read(version.dir, 'package.json')) as Manifest).devDependencies['@liqmon/core']).toBe('0.1.0');
  });
});

describe('liqmon new', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Runs the CLI in `cwd`, collecting what it printed. */
  async function run(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
    vi.spyOn(process, 'cwd').mockReturnValue(cwd);
    const code = await main(args);
    vi.restoreAllMocks();
    return { code, out, err };
  }

  it('writes the package and prints the commands to run next', async () => {
    const cwd = await tempDir();
    const { code, out } = await run(['new', 'source', 'okx'], cwd);
    expect(code).toBe(0);
    expect(out).toContain(`Wrote the source plugin liqmon-plugin-okx ("okx", 17 files) in ${path.join(cwd, 'liqmon-plugin-okx')}.\n`);
    expect(out).toContain('Next:\n  cd liqmon-plugin-okx\n  npm install\n  npm test\n  npm run build\n  npx liqmon check-plugin .\n');
  });

  it('refuses a non-empty folder with exit 2 and leaves it as it was', async () => {
    const cwd = await tempDir();
    mkdirSync(path.join(cwd, 'liqmon-plugin-okx'));
    writeFileSync(path.join(cwd, 'liqmon-plugin-okx', 'notes.txt'), 'mine');
    const { code, err } = await run(['new', 'sink', 'okx'], cwd);
    expect(code).toBe(2);
    expect(err).toContain(`liqmon: ${path.join(cwd, 'liqmon-plugin-okx')} already exists and is not empty`);
    expect(readdirSync(path.join(cwd, 'liqmon-plugin-okx'))).toEqual(['notes.txt']);
  });

  it('writes into an existing empty folder given with --dir', async () => {
    const cwd = await tempDir();
    mkdirSync(path.join(cwd, 'empty'));
    const { code } = await run(['new', 'sink', 'okx', '--dir', 'empty'], cwd);
    expect(code).toBe(0);
    expect(readdirSync(path.join(cwd, 'empty'))).toContain('package.json');
  });

  it('refuses an invalid npm name, an unknown kind and a missing --core path with exit 2, writing nothing', async () => {
    const cwd = await tempDir();
    const name = await run(['new', 'source', 'My Source'], cwd);
    expect(name.code).toBe(2);
    expect(name.err).toContain('liqmon: "My Source" cannot name an npm package: it has capital letters.');
    const kind = await run(['new', 'exchange', 'okx'], cwd);
    expect(kind.code).toBe(2);
    expect(kind.err).toContain("error: command-argument value 'exchange' is invalid for argument 'kind'. Allowed choices are source, sink.");
    const core = await run(['new', 'source', 'okx', '--core', './nowhere.tgz'], cwd);
    expect(core.code).toBe(2);
    expect(core.err).toContain('--core ./nowhere.tgz: no such file or folder');
    expect(readdirSync(cwd)).toEqual([]);
  });
});
