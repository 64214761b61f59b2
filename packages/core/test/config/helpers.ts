/** Helpers for config tests: write a config (and a .env) into a fresh temp folder and load it. */
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, realpath, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect } from 'vitest';
import { ConfigError, type ConfigIssue } from '../../src/errors.js';
import { loadConfigFromText, type EnvVars } from '../../src/config/index.js';
import type { LoadedConfig } from '../../src/config/types.js';

const created: string[] = [];
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A fresh temp folder (realpath: macOS /var -> /private/var would break path comparisons), removed
 * after the test file.
 */
export async function tempDir(): Promise<string> {
  const dir = await realpath(await mkdtemp(path.join(tmpdir(), 'liqmon-config-')));
  created.push(dir);
  return dir;
}

/** Writes `files` (name -> text) into a fresh folder and loads `config.yaml` from it. */
export async function loadFiles(
  files: Record<string, string>,
  env: EnvVars = {},
): Promise<{ dir: string; config: LoadedConfig }> {
  const dir = await tempDir();
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  const file = path.join(dir, 'config.yaml');
  const config = await loadConfigFromText(await readFile(file, 'utf8'), { file, dir, cwd: dir, env });
  return { dir, config };
}

/** Loads a config text written to `config.yaml` in a fresh folder. */
export async function load(text: string, env: EnvVars = {}, extra: Record<string, string> = {}): Promise<LoadedConfig> {
  return (await loadFiles({ 'config.yaml': text, ...extra }, env)).config;
}

/** The ConfigError a config text produces. */
export async function configError(text: string, env: EnvVars = {}, extra: Record<string, string> = {}): Promise<ConfigError> {
  const error: unknown = await load(text, env, extra).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

/** Issues as `line:column path: message [hint]`, compact for assertions. */
export function brief(issues: readonly ConfigIssue[]): string[] {
  return issues.map((i) => `${i.line ?? '?'}:${i.column ?? '?'} ${i.path}: ${i.message}${i.hint ? ` [${i.hint}]` : ''}`);
}

/** Strips the common indentation of a template literal, so configs in tests read as YAML. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((out, s, i) => out + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)?.[0].length ?? 0));
  return lines.map((l) => l.slice(indent)).join('\n');
}
