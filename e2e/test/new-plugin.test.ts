/**
 * From zero to a working plugin, as someone outside the repository does it: the BUILT
 * `liqmon new source x` and `liqmon new sink y` in a temp folder outside the repository, installed
 * with `--core` pointing at a packed @liqmon/core (typescript, tsup and vitest from the registry),
 * then `npm run build`, `npm test` (the packages' own tests), `liqmon check-plugin .` and a
 * `liqmon validate` of a config that uses both built plugins by path.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { liqmonRun, REPO_ROOT } from './cli.js';

const run = promisify(execFile);
/** Installs from the registry take most of it (3 to 7 minutes in all, with the machine's load). */
const TIMEOUT_MS = 15 * 60_000;

/** npm's environment without the npm_* variables of an npm that may be running this test. */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', NO_COLOR: '1' };
  for (const key of Object.keys(env)) if (key.toLowerCase().startsWith('npm_')) delete env[key];
  return env;
}

/**
 * Runs npm in `cwd`; rejects with its output when it fails. `background` lowers its CPU priority (its
 * children inherit it): installs and builds then leave the CPU to the timing-sensitive tests that run
 * beside this file, while the scaffold's own tests, which have timing checks too, run at normal priority.
 */
async function npm(args: string[], cwd: string, { background = false } = {}): Promise<string> {
  const pending = run('npm', args, { cwd, env: npmEnv(), maxBuffer: 32 * 1024 * 1024 });
  if (background && pending.child.pid !== undefined) {
    try {
      setPriority(pending.child.pid, 19);
    } catch {
      // Not allowed here: run at normal priority.
    }
  }
  try {
    const { stdout, stderr } = await pending;
    return stdout + stderr;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${failed.stdout ?? ''}${failed.stderr ?? failed.message}`);
  }
}

let dir: string;
let coreTarball: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'liqmon-new-plugin-'));
  await npm(['pack', path.join(REPO_ROOT, 'packages', 'core'), '--pack-destination', dir], dir, { background: true });
  const [tarball] = readdirSync(dir).filter((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${dir}`);
  coreTarball = path.join(dir, tarball);
}, TIMEOUT_MS);
// Two node_modules trees: removing them takes a while on a busy disk.
afterAll(() => rmSync(dir, { recursive: true, force: true }), TIMEOUT_MS);

/** `liqmon new KIND NAME`, then install, build and test the package as its README says. */
async function scaffold(kind: 'source' | 'sink', name: string) {
  const created = await liqmonRun(['new', kind, name, '--core', coreTarball], { cwd: dir });
  expect(created.code, created.stdout + created.stderr).toBe(0);
  const folder = path.join(dir, `liqmon-plugin-${name}`);
  await npm(['install', '--no-audit', '--no-fund', '--prefer-offline'], folder, { background: true });
  await npm(['run', 'build'], folder, { background: true });
  await npm(['run', 'typecheck'], folder, { background: true });
  const tests = await npm(['test'], folder);
  const checked = await liqmonRun(['check-plugin', '.'], { cwd: folder });
  return { created, folder, tests, checked };
}

it(
  'liqmon new source x and new sink y: install, build and test as written, pass check-plugin, and validate by path',
  async () => {
    const [source, sink] = await Promise.all([scaffold('source', 'x'), scaffold('sink', 'y')]);

    expect(source.created.stdout).toContain(`Next:\n  cd liqmon-plugin-x\n  npm install\n  npm test\n`);
    const manifest = JSON.parse(readFileSync(path.join(source.folder, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(manifest.devDependencies['@liqmon/core']).toBe(`file:${coreTarball}`);
    expect(source.tests).toMatch(/Tests\s+\d+ passed \(\d+\)/);
    expect(source.checked.code, source.checked.stdout + source.checked.stderr).toBe(0);
    expect(source.checked.stdout).toContain('✓ golden feed.jsonl: 6 frame(s), 2 event(s) as expected\n');
    expect(source.checked.stdout).toContain("✓ keeps a quiet connection alive past the exchange's idle cut");
    expect(source.checked.stdout).toMatch(/\n\d+ hold, 0 fail, 0 skipped\n$/);

    expect(sink.tests).toMatch(/Tests\s+\d+ passed \(\d+\)/);
    expect(sink.checked.code, sink.checked.stdout + sink.checked.stderr).toBe(0);
    expect(sink.checked.stdout).toContain('✓ treats 401 as fatal (stops the sink)\n');
    expect(sink.checked.stdout).toMatch(/\n18 hold, 0 fail, 0 skipped\n$/);

    writeFileSync(
      path.join(dir, 'config.yaml'),
      [
        'sources:',
        '  x: { use: ./liqmon-plugin-x/dist/index.js }',
        'sinks:',
        '  y: { use: ./liqmon-plugin-y/dist/index.js, token: "${Y_TOKEN:-test-token}", channel: alerts }',
        'rules:',
        '  - name: everything',
        '    to: [y]',
        '',
      ].join('\n'),
    );
    const validated = await liqmonRun(['validate', '-c', 'config.yaml'], { cwd: dir });
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
    expect(validated.stdout).toContain('x (./liqmon-plugin-x/dist/index.js)');
    expect(validated.stdout).toContain('y (./liqmon-plugin-y/dist/index.js)');
  },
  TIMEOUT_MS,
);
