import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liqmonRun, REPO_ROOT } from './cli.js';

describe('liqmon CLI basics', () => {
  it('prints its version and exits 0', async () => {
    const pkg = JSON.parse(await readFile(join(REPO_ROOT, 'packages/core/package.json'), 'utf8')) as { version: string };
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
    const dir = await mkdtemp(join(tmpdir(), 'liqmon-init-'));
    const init = await liqmonRun(['init'], { cwd: dir });
    expect(init.code).toBe(0);
    const config = await readFile(join(dir, 'config.yaml'), 'utf8');
    expect(config).toMatch(/^# yaml-language-server: \$schema=/);
    expect(await readFile(join(dir, '.env.example'), 'utf8')).toContain('TELEGRAM_BOT_TOKEN=');
    const again = await liqmonRun(['init'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--force');
  });

  it('config.example.yaml is the starter config with the repo schema path', async () => {
    const example = await readFile(join(REPO_ROOT, 'config.example.yaml'), 'utf8');
    const dir = await mkdtemp(join(tmpdir(), 'liqmon-init-'));
    await liqmonRun(['init'], { cwd: dir });
    const starter = await readFile(join(dir, 'config.yaml'), 'utf8');
    const body = (text: string) => text.split('\n').slice(1).join('\n');
    expect(body(example)).toBe(body(starter));
    expect(example.split('\n')[0]).toBe('# yaml-language-server: $schema=./packages/core/schema/config.schema.json');
  });

  it('the repo has the .env.example that `liqmon init` writes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'liqmon-init-'));
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
