/**
 * Every test run gets a temp folder of its own and removes it at the end, so that nothing a test or
 * a CLI it spawns writes under the temp folder (configs, recordings, lock files) outlives the run,
 * even when a test fails half-way. Tests still remove what they create; this is the net under them.
 * Workers and the processes they spawn inherit TMPDIR, which `os.tmpdir()` reads on every call.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const dir = mkdtempSync(join(tmpdir(), 'liqmon-test-'));
  process.env.TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(dir, { recursive: true, force: true });
  };
}
