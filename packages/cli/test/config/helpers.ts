/** Helpers for config tests: fresh temp folders, removed after the test file. */
import { rmSync } from 'node:fs';
import { mkdtemp, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

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
