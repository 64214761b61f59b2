/**
 * A plugin whose `create()` throws on its options: `validate` reports it as a config problem (exit 2),
 * and `start` stops retrying it once it throws the same error twice, keeping the other sources running.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, liqmon, liqmonRun, REPO_ROOT } from './cli.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const CORE = pathToFileURL(join(REPO_ROOT, 'packages/core/dist/index.js')).href;
const SECRET = 'sk-create-test-4f9a2c71';

/** A source whose create() quotes its secret option in the error it throws (it must be redacted). */
const BROKEN = `import { defineSource, z } from ${JSON.stringify(CORE)};
export default defineSource({
  name: 'broken',
  options: z.object({ apiKey: z.string() }),
  secrets: ['apiKey'],
  create(options) {
    throw new Error('apiKey ' + options.apiKey + ' is not a key this venue issues');
  },
});
`;

/** A source that starts and sends nothing. */
const FINE = `import { defineSource, z } from ${JSON.stringify(CORE)};
export default defineSource({
  name: 'fine',
  options: z.object({}),
  create() {
    return { start: async () => {}, stop: async () => {}, decode: () => [] };
  },
});
`;

/** A fresh folder with both plugins and a config of the given `sources:` lines. */
async function folder(sources: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'liqmon-create-'));
  made.push(dir);
  await writeFile(join(dir, 'broken.mjs'), BROKEN);
  await writeFile(join(dir, 'fine.mjs'), FINE);
  await writeFile(join(dir, 'config.yaml'), ['sources:', ...sources, 'sinks:', '  console: { use: console }', ''].join('\n'));
  return dir;
}

const BROKEN_ENTRY = `  broken: { use: ./broken.mjs, apiKey: ${SECRET} }`;

describe('a plugin whose create() throws', () => {
  it('fails `liqmon validate` with exit 2, naming the entry and its line, the message redacted', async () => {
    const dir = await folder(['  fine: { use: ./fine.mjs }', BROKEN_ENTRY]);
    const { code, stdout, stderr } = await liqmonRun(['validate'], { cwd: dir, env: cleanEnv() });
    expect(code).toBe(2);
    expect(stdout).not.toContain('is valid');
    expect(stderr).toContain(
      'config.yaml:3:3  sources.broken: the plugin "./broken.mjs" cannot be built with these options: create() threw: apiKey [redacted] is not a key this venue issues',
    );
    expect(stderr).toContain("hint: check this entry's options");
    expect(stderr).not.toContain(SECRET);
  });

  it('under `start`, is given up after the same error twice while the other source keeps running', async () => {
    const dir = await folder(['  fine: { use: ./fine.mjs }', BROKEN_ENTRY]);
    const run = liqmon(['start'], { cwd: dir, env: cleanEnv() });
    await run.waitFor('broken: will not be retried');
    await run.waitFor(/2 sources: fine connected; broken failed/);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    const log = run.stderr() + run.stdout();
    expect(log.match(/will not be retried/g)).toHaveLength(1);
    expect(log.match(/source failed to start/g)).toHaveLength(1);
    expect(log).toContain('its plugin cannot be built with these options');
    expect(log).not.toContain(SECRET);
  });

  it('under `start`, exits 1 when it is the only source', async () => {
    const dir = await folder([BROKEN_ENTRY]);
    const { code, stdout, stderr } = await liqmonRun(['start'], { cwd: dir, env: cleanEnv() });
    expect(code).toBe(1);
    const log = stderr + stdout;
    expect(log).toContain('broken: will not be retried');
    expect(log).toContain('no source can run (broken');
    expect(log).not.toContain(SECRET);
  });
});
