/**
 * Runs the built `liqmon start` as a child process, as a user would, with a config written to a
 * temporary folder. Stdout lines (console json alerts, bench-sink progress) are handed to a callback
 * the moment they arrive, with their arrival time; stderr (the pino log) is kept for reports.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const LIQMON_BIN = fileURLToPath(new URL('../../packages/cli/bin/liqmon.js', import.meta.url));
export const BENCH_SINK = fileURLToPath(new URL('../plugins/bench-sink.mjs', import.meta.url));
/** Node options liqmon runs with in deploy/ (Dockerfile, systemd unit, PM2 file) and `npm start`; docs/deploy.md. */
export const DEPLOYED_NODE_FLAGS = ['--max-semi-space-size=1'];
/** Environment liqmon runs with in deploy/ and `npm start` (docs/deploy.md, "Memory"). */
export const DEPLOYED_ENV = { MALLOC_ARENA_MAX: '1' };
export const ARRIVALS_SINK = fileURLToPath(new URL('../plugins/arrivals-sink.mjs', import.meta.url));

/**
 * The `binance` source of a benchmark's config (under `sources:`), USD-M only, every endpoint on the
 * local `FakeBinance`.
 */
export const binanceSourceYaml = (fake) => `  binance:
    use: binance
    markets: [usdm]
    usdmUrl: ${fake.usdmUrl}
    usdmRestUrl: ${fake.restUrl}
    coinmRestUrl: ${fake.restUrl}`;

/** Write `yaml` to a fresh temporary folder; returns the config path and a cleanup function. */
export async function writeConfig(yaml) {
  const dir = await mkdtemp(join(tmpdir(), 'liqmon-bench-'));
  const file = join(dir, 'liqmon.config.yaml');
  await writeFile(file, yaml);
  return { file, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Start `liqmon start -c <config>`.
 * @param {{ config: string, onLine?: (line: string, at: number) => void, env?: Record<string,string>, nodeArgs?: string[], logLevel?: string }} options
 */
export function startLiqmon({ config, onLine, env = {}, nodeArgs = [], logLevel = 'warn' }) {
  const spawnedAt = performance.now();
  // BENCH_CHILD_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof": profile the child (NODE_OPTIONS refuses --cpu-prof).
  const extra = (process.env.BENCH_CHILD_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, ...extra, LIQMON_BIN, 'start', '-c', config, '--log-level', logLevel], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const stderrWaiters = new Set();
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
    for (const check of stderrWaiters) check();
  });
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => onLine?.(line, performance.now()));
  let stopping = false;
  const exited = new Promise((resolve) =>
    child.on('close', (code, signal) => {
      // An early exit (bad config, crash) would otherwise only show as a timeout: say why.
      if (!stopping) process.stderr.write(`liqmon exited by itself (code ${code}, signal ${signal}):\n${stderr.slice(-4000)}\n`);
      resolve({ code, signal });
    }),
  );
  return {
    child,
    spawnedAt,
    exited,
    stderr: () => stderr,
    /** Resolves when `pattern` shows on stderr; rejects after `timeoutMs`. */
    waitForLog(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!(typeof pattern === 'string' ? stderr.includes(pattern) : pattern.test(stderr))) return;
          stderrWaiters.delete(check);
          clearTimeout(timer);
          resolve(performance.now());
        };
        const timer = setTimeout(() => {
          stderrWaiters.delete(check);
          reject(new Error(`timed out waiting for ${String(pattern)} in the liqmon log:\n${stderr.slice(-3000)}`));
        }, timeoutMs);
        stderrWaiters.add(check);
        check();
      });
    },
    /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. Resolves with the exit. */
    async stop(graceMs = 15_000) {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** VmRSS of a process from /proc, in bytes (Linux); undefined elsewhere. */
export async function procRss(pid) {
  try {
    const { readFile } = await import('node:fs/promises');
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
