/**
 * What a user installs is what works: every publishable package is packed with `npm pack`, the
 * tarballs are installed in an empty folder outside the repository (third-party dependencies come from
 * the registry), with a third-party source plugin beside them, and there `liqmon` runs as users run it
 * (docs/installing.md): `npx liqmon --version`, `init`, `validate`, `start` until alerts print.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FakeBinance } from '@liqmon/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, REPO_ROOT } from './cli.js';

const exec = promisify(execFile);
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';
/** npm without prompts, audit or funding messages; the registry cache first. */
const NPM_QUIET = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];

/** Folders under packages/ that are published (not private). */
function publishable(): string[] {
  return readdirSync(join(REPO_ROOT, 'packages')).filter((name) => {
    const file = join(REPO_ROOT, 'packages', name, 'package.json');
    return existsSync(file) && !(JSON.parse(readFileSync(file, 'utf8')) as { private?: boolean }).private;
  });
}

/** A third-party source plugin as an author would publish it: plain JS, `@liqmon/core` as a peer. */
const PLUGIN_MANIFEST = {
  name: 'liqmon-source-ticker',
  version: '1.0.0',
  type: 'module',
  exports: { '.': './index.js' },
  peerDependencies: { '@liqmon/core': '>=0.1.0' },
};
const PLUGIN_SOURCE = `import { defineSource, z } from '@liqmon/core';

export default defineSource({
  name: 'ticker',
  options: z.object({ symbol: z.string().default('TICKUSDT') }),
  create(options, context) {
    let timer;
    return {
      async start() {
        timer = setInterval(() => context.frame({ channel: 'main', data: String(Date.now()), receivedAt: Date.now() }), 100);
      },
      async stop() { clearInterval(timer); },
      decode(frame) {
        const time = Number(frame.data);
        return [{ id: 'ticker:' + time, exchange: 'ticker', market: 'linear', symbol: options.symbol, base: 'TICK', quote: 'USDT',
          side: 'long', price: 10, priceKind: 'fill', quantity: 100, notionalUsd: 1000, time, receivedAt: frame.receivedAt,
          sampled: false, source: context.name }];
      },
      health() { return { connected: timer !== undefined, reconnects: 0 }; },
    };
  },
});
`;

/** The config a user writes: a first-party alias (at a fake Binance) and the third-party plugin. */
const CONFIG = `sources:
  binance:
    use: binance
    usdmUrl: "\${FAKE_BINANCE_USDM}"
    coinmUrl: "\${FAKE_BINANCE_COINM}"
    usdmRestUrl: "\${FAKE_BINANCE_REST}"
    coinmRestUrl: "\${FAKE_BINANCE_REST}"
  ticker: { use: liqmon-source-ticker }
sinks:
  out: { use: console, format: json }
rules:
  - name: all
    minUsd: 100
    to: [out]
`;

let work: string;
let app: string;

/**
 * Runs a command in the user's folder; resolves with its exit code and output. `npm_config_yes=false`:
 * npx must run the installed liqmon, never download one.
 */
async function run(command: string, args: string[], env: NodeJS.ProcessEnv = cleanEnv()) {
  try {
    const { stdout, stderr } = await exec(command, args, { cwd: app, env: { ...env, npm_config_yes: 'false' }, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'liqmon-install-'));
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  const workspaces = publishable().flatMap((name) => ['-w', `packages/${name}`]);
  await exec(NPM, ['pack', '--ignore-scripts', '--pack-destination', tarballs, '--loglevel=error', ...workspaces], { cwd: REPO_ROOT });

  const plugin = join(work, 'plugin');
  mkdirSync(plugin);
  writeFileSync(join(plugin, 'package.json'), `${JSON.stringify(PLUGIN_MANIFEST, null, 2)}\n`);
  writeFileSync(join(plugin, 'index.js'), PLUGIN_SOURCE);
  await exec(NPM, ['pack', '--pack-destination', tarballs, '--loglevel=error'], { cwd: plugin });

  app = join(work, 'app');
  mkdirSync(app);
  await exec(NPM, ['init', '-y', '--loglevel=error'], { cwd: app });
  const files = readdirSync(tarballs).map((file) => join(tarballs, file));
  await exec(NPM, ['install', ...NPM_QUIET, ...files], { cwd: app, env: { ...process.env, npm_config_update_notifier: 'false' } });
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('liqmon installed from its packed tarballs in an empty folder', () => {
  it('holds exactly one @liqmon/core, the one the plugins see', () => {
    const cores: string[] = [];
    const walk = (dir: string) => {
      if (!existsSync(dir)) return;
      for (const entry of readdirSync(dir)) {
        if (entry.startsWith('.')) continue;
        const next = join(dir, entry);
        if (entry.startsWith('@')) {
          for (const scoped of readdirSync(next)) visit(join(next, scoped), `${entry}/${scoped}`);
        } else visit(next, entry);
      }
    };
    const visit = (pkg: string, name: string) => {
      if (name === '@liqmon/core') cores.push(pkg);
      walk(join(pkg, 'node_modules'));
    };
    walk(join(app, 'node_modules'));
    expect(cores).toEqual([join(app, 'node_modules', '@liqmon', 'core')]);
  });

  it('does not install the CLI dependencies for a plugin that needs only core', () => {
    const core = JSON.parse(readFileSync(join(app, 'node_modules', '@liqmon', 'core', 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    expect(Object.keys(core.dependencies ?? {})).not.toEqual(expect.arrayContaining(['commander']));
    expect(Object.keys(core.dependencies ?? {}).filter((d) => ['commander', 'cosmiconfig', 'prom-client', 'pino-pretty'].includes(d))).toEqual([]);
  });

  it('runs npx liqmon --version, init, validate, and start with a third-party plugin until alerts print', async () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'packages', 'cli', 'package.json'), 'utf8')) as { version: string };
    const version = await run(NPX, ['liqmon', '--version']);
    expect(version).toMatchObject({ code: 0, stdout: `${manifest.version}\n` });

    const init = await run(NPX, ['liqmon', 'init']);
    expect(init.code).toBe(0);
    expect(existsSync(join(app, 'config.yaml'))).toBe(true);
    // The starter config's schema line points at the installed core's schema, which exists.
    expect(readFileSync(join(app, 'config.yaml'), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/@liqmon/core/schema/config.schema.json');
    const starter = await run(NPX, ['liqmon', 'validate']);
    expect(starter.code).toBe(0);

    const fake = await FakeBinance.start();
    try {
      writeFileSync(join(app, 'config.yaml'), CONFIG);
      const env = cleanEnv({ FAKE_BINANCE_USDM: fake.usdmUrl, FAKE_BINANCE_COINM: fake.coinmUrl, FAKE_BINANCE_REST: fake.restUrl });
      const validate = await run(NPX, ['liqmon', 'validate'], env);
      expect(validate.stderr).toBe('');
      expect(validate.code).toBe(0);
      expect(validate.stdout).toContain('ticker');

      const child = spawn(join(app, 'node_modules', '.bin', 'liqmon'), ['start'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      const sources = () => new Set(out.split('\n').filter(Boolean).flatMap((line) => (JSON.parse(line) as { events: { source: string }[] }).events.map((e) => e.source)));
      const push = setInterval(() => fake.pushUsdm(FakeBinance.frame('usdm', { symbol: 'BTCUSDT', side: 'SELL', filled: '1', price: '60000', time: Date.now() })), 200);
      try {
        await expect.poll(() => [...sources()].sort(), { timeout: 30_000, interval: 100 }).toEqual(['binance', 'ticker']);
      } catch (error) {
        throw new Error(`no alert from both sources\n--- stdout\n${out}\n--- stderr\n${err}`, { cause: error });
      } finally {
        clearInterval(push);
        child.kill('SIGTERM');
      }
      expect(await exited).toBe(0);
    } finally {
      await fake.close();
    }
  }, 120_000);
});
