import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './cli.js';

/**
 * Every way the repository runs `liqmon start` for real gives node the same small young generation
 * and malloc arenas (docs/deploy.md, "Memory"): a supervisor file that forgot them would run at
 * 120-180 MB instead of under 100 MB, and nothing else would notice.
 */
const FLAG = '--max-semi-space-size=1';

describe('deploy files', () => {
  it.each([
    ['deploy/Dockerfile', /ENTRYPOINT \["node", "--max-semi-space-size=1", "\/app\/packages\/cli\/bin\/liqmon\.js"\]/],
    ['deploy/liqmon.service', /^ExecStart=\/usr\/bin\/node --max-semi-space-size=1 \S+\/bin\/liqmon\.js start /m],
    ['deploy/ecosystem.config.cjs', /node_args: \['--max-semi-space-size=1'\]/],
  ])(`%s runs node with ${FLAG}`, async (file, pattern) => {
    expect(await readFile(join(REPO_ROOT, file), 'utf8')).toMatch(pattern);
  });

  it.each([
    ['deploy/Dockerfile', /^ENV .*\bMALLOC_ARENA_MAX=1\b/m],
    ['deploy/liqmon.service', /^Environment=MALLOC_ARENA_MAX=1$/m],
    ['deploy/ecosystem.config.cjs', /env: \{[^}]*MALLOC_ARENA_MAX: '1'/],
  ])('%s sets MALLOC_ARENA_MAX=1', async (file, pattern) => {
    expect(await readFile(join(REPO_ROOT, file), 'utf8')).toMatch(pattern);
  });

  it(`npm start runs liqmon with ${FLAG} and MALLOC_ARENA_MAX=1`, async () => {
    const manifest = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(manifest.scripts.start).toContain(`MALLOC_ARENA_MAX=1 node ${FLAG} packages/cli/bin/liqmon.js start -c config.example.yaml`);
  });

  it('the Dockerfile copies the manifest of every workspace before `npm ci`', async () => {
    const dockerfile = await readFile(join(REPO_ROOT, 'deploy/Dockerfile'), 'utf8');
    const root = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
    const folders: string[] = [];
    for (const pattern of root.workspaces) {
      if (!pattern.endsWith('/*')) folders.push(pattern);
      else for (const name of await readdir(join(REPO_ROOT, pattern.slice(0, -2)))) folders.push(`${pattern.slice(0, -2)}/${name}`);
    }
    const missing = folders.filter((folder) => !dockerfile.includes(`COPY ${folder}/package.json ${folder}/\n`));
    expect(missing).toEqual([]);
  });
});
