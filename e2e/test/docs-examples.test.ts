/**
 * The examples in the docs are what the commands print. docs/configuration.md shows a broken config
 * and `liqmon validate`'s answer to it; this test runs the built CLI on that config and compares.
 * `UPDATE_DOCS=1 npx vitest run test/docs-examples.test.ts` writes the real output into the page, for a
 * human to review in the diff.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { liqmon, REPO_ROOT } from './cli.js';

const page = join(REPO_ROOT, 'docs/configuration.md');
/** The folder the page pretends the config lives in. */
const SHOWN_DIR = '/srv/bot';

/** The fenced block right after the marker `<!-- validate-example: NAME ... -->`. */
function block(text: string, name: string): { body: string; start: number; end: number } {
  const marker = text.indexOf(`<!-- validate-example: ${name}`);
  if (marker < 0) throw new Error(`docs/configuration.md has no <!-- validate-example: ${name} --> marker`);
  const open = text.indexOf('\n', text.indexOf('```', marker)) + 1;
  const end = text.indexOf('\n```', open);
  return { body: text.slice(open, end), start: open, end };
}

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('docs/configuration.md', () => {
  it('shows exactly what `liqmon validate` prints for its broken example config', async () => {
    const text = await readFile(page, 'utf8');
    dir = await mkdtemp(join(tmpdir(), 'liqmon-docs-'));
    await writeFile(join(dir, 'config.yaml'), `${block(text, 'config').body}\n`);
    const run = liqmon(['validate', '-c', 'config.yaml'], { cwd: dir });
    expect(await run.exited).toBe(2);
    const printed = run.stderr().trimEnd().split(dir).join(SHOWN_DIR);
    const shown = block(text, 'output');
    if (process.env.UPDATE_DOCS === '1') {
      await writeFile(page, text.slice(0, shown.start) + printed + text.slice(shown.end));
      return;
    }
    expect(printed).toBe(shown.body);
  });
});
