/**
 * docs/publishing-a-plugin.md shows what `liqmon new` prints and the CI workflow it writes; this keeps
 * the page true when either changes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it, vi } from 'vitest';
import { main } from '../../src/main.js';
import { tempDir } from '../config/helpers.js';

const guide = readFileSync(fileURLToPath(new URL('../../../../docs/publishing-a-plugin.md', import.meta.url)), 'utf8');

/** The body of the first fenced block of the guide whose first line is `first`. */
function blockStartingWith(first: string): string {
  const start = guide.indexOf(`\n${first}\n`);
  if (start < 0) throw new Error(`docs/publishing-a-plugin.md has no block starting with ${first}`);
  return guide.slice(start + 1, guide.indexOf('\n```', start) + 1);
}

afterEach(() => {
  vi.restoreAllMocks();
});

it('shows what `liqmon new source okx` prints, and the CI workflow it writes', async () => {
  const cwd = await tempDir();
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  vi.spyOn(process, 'cwd').mockReturnValue(cwd);
  expect(await main(['new', 'source', 'okx'])).toBe(0);
  vi.restoreAllMocks();

  expect(blockStartingWith('$ npx liqmon new source okx')).toBe(`$ npx liqmon new source okx\n${out.split(cwd).join('/home/me')}`);
  const workflow = readFileSync(path.join(cwd, 'liqmon-plugin-okx', '.github', 'workflows', 'ci.yml'), 'utf8');
  expect(blockStartingWith('name: ci')).toBe(workflow.slice(workflow.indexOf('name: ci')));
});
