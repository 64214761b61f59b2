import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { liqmonRun, REPO_ROOT } from './cli.js';

const made: string[] = [];
/** A temp folder, removed after the test. */
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'liqmon-init-'));
  made.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('liqmon CLI basics', () => {
  it('prints its version and exits 0', async () => {
    const pkg = JSON.parse(await readFile(join(REPO_ROOT, 'packages/cli/package.json'), 'utf8')) as { version: string };
    const { code, stdout } = await liqmonRun(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(pkg.version);
  });

  it.each(['start', 'validate', 'init', 'replay', 'record', 'test-sink', 'schema', 'status'])('has --help for %s', async (command) => {
    const { code, stdout } = await liqmonRun([command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: liqmon ${command}`);
  });

  it('exits 2 on an unknown command or option', async () => {
    expect((await liqmonRun(['launch'])).code).toBe(2);
    expect((await liqmonRun(['start', '--fast'])).code).toBe(2);
  });

  it('refuses --raw where nothing is previewed (start without --dry-run, replay --send)', async () => {
    const start = await liqmonRun(['start', '--raw']);
    expect(start.code).toBe(2);
    expect(start.stderr).toContain('--raw changes what --dry-run prints');
    const replay = await liqmonRun(['replay', 'any.ndjson', '--send', '--raw']);
    expect(replay.code).toBe(2);
    expect(replay.stderr).toContain('--raw changes what replay prints');
  });

  it('init writes a starter config that validates, and refuses to overwrite it', async () => {
    const dir = tempDir();
    const init = await liqmonRun(['init'], { cwd: dir });
    expect(init.code).toBe(0);
    expect(await readFile(join(dir, '.env.example'), 'utf8')).toContain('TELEGRAM_BOT_TOKEN=');
    const validate = await liqmonRun(['validate'], { cwd: dir });
    expect(validate.code).toBe(0);
    const again = await liqmonRun(['init'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--force');
  });

  it('init in a folder without liqmon installed writes no $schema line (none would resolve) and says how to get completion', async () => {
    const dir = tempDir();
    const init = await liqmonRun(['init'], { cwd: dir });
    expect(init.code).toBe(0);
    expect(await readFile(join(dir, 'config.yaml'), 'utf8')).not.toContain('$schema=');
    expect(init.stdout).toContain('liqmon schema -o config.schema.json');
  });

  it("init points $schema at the installed @liqmon/core's schema, relative to the config, and the path resolves", async () => {
    const project = tempDir();
    const schema = join(project, 'node_modules/@liqmon/core/schema/config.schema.json');
    mkdirSync(dirname(schema), { recursive: true });
    writeFileSync(schema, '{}');
    for (const [folder, expected] of [
      [project, './node_modules/@liqmon/core/schema/config.schema.json'],
      [join(project, 'alerts', 'prod'), '../../node_modules/@liqmon/core/schema/config.schema.json'],
    ] as const) {
      mkdirSync(folder, { recursive: true });
      expect((await liqmonRun(['init'], { cwd: folder })).code).toBe(0);
      const first = (await readFile(join(folder, 'config.yaml'), 'utf8')).split('\n')[0]!;
      expect(first).toBe(`# yaml-language-server: $schema=${expected}`);
      expect(existsSync(join(folder, expected))).toBe(true);
    }
  });

  it('config.example.yaml is the starter config under the repo schema path, which resolves', async () => {
    const example = await readFile(join(REPO_ROOT, 'config.example.yaml'), 'utf8');
    const dir = tempDir();
    await liqmonRun(['init'], { cwd: dir });
    const starter = await readFile(join(dir, 'config.yaml'), 'utf8');
    const [first, ...body] = example.split('\n');
    expect(body.join('\n')).toBe(starter);
    expect(first).toBe('# yaml-language-server: $schema=./packages/core/schema/config.schema.json');
    expect(existsSync(join(REPO_ROOT, 'packages/core/schema/config.schema.json'))).toBe(true);
  });

  it('the repo has the .env.example that `liqmon init` writes', async () => {
    const dir = tempDir();
    await liqmonRun(['init'], { cwd: dir });
    expect(await readFile(join(REPO_ROOT, '.env.example'), 'utf8')).toBe(await readFile(join(dir, '.env.example'), 'utf8'));
  });

  it('the committed JSON Schema is what `liqmon schema` generates', async () => {
    const committed = await readFile(join(REPO_ROOT, 'packages/core/schema/config.schema.json'), 'utf8');
    const { code, stdout } = await liqmonRun(['schema']);
    expect(code).toBe(0);
    expect(stdout).toBe(committed);
  });
});
