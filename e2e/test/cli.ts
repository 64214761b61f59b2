/**
 * Runs the built `liqmon` CLI as a user would: a child process, its stdout and stderr collected.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const LIQMON_BIN = fileURLToPath(new URL('../../packages/cli/bin/liqmon.js', import.meta.url));

export interface CliRun {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** Resolves when `pattern` appears on stdout or stderr; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<void>;
}

/** Environment without the real secrets of the person running the tests. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const key of ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_CHAT_ID', 'DISCORD_WEBHOOK_URL', 'SLACK_WEBHOOK_URL', 'NTFY_TOPIC', 'NTFY_TOKEN', 'WEBHOOK_URL', 'WEBHOOK_SECRET']) delete env[key];
  return { ...env, ...extra };
}

/** Children still running; a test that fails half-way must not leave a liqmon behind. */
const running = new Set<ChildProcess>();
afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});

/** Start `liqmon <args>` in `cwd`. */
export function liqmon(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const child = spawn(process.execPath, [LIQMON_BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env ?? cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.on('close', () => running.delete(child));
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const check of waiters) check();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    for (const check of waiters) check();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, timeoutMs = 15_000) {
      return new Promise<void>((resolve, reject) => {
        const matches = () => (typeof pattern === 'string' ? (out + err).includes(pattern) : pattern.test(out + err));
        const check = () => {
          if (!matches()) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${String(pattern)}\n--- stdout\n${out}\n--- stderr\n${err}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

/** Run `liqmon <args>` to completion. */
export async function liqmonRun(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const run = liqmon(args, options);
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/**
 * A port on 127.0.0.1 that is free right now: for a config that needs a fixed port (`http.port`, which
 * `liqmon status` asks), or, left unused, one where a connection is refused at once.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** One event of an alert line as the console sink prints it with `format: json`. */
export interface AlertEvent {
  exchange: string;
  market: string;
  symbol: string;
  side: string;
  notionalUsd: number;
  price: number;
}

/** Every event of the JSON alert lines a run printed on stdout, in order. */
export function alertEvents(stdout: string): AlertEvent[] {
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => (JSON.parse(line) as { events: AlertEvent[] }).events);
}
