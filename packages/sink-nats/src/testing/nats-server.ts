/**
 * A real `nats-server` with JetStream for tests: started on a free port of 127.0.0.1 with a store in a
 * temp folder, ready when its client port accepts connections, and stopped (the folder removed) by
 * `stop()`. Tests of a bus need the real server: JetStream's dedupe by message id, durable consumers
 * and acks are what they check, and a fake would only echo our own assumptions.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Options of {@link startNatsServer}. */
export interface NatsServerOptions {
  /** The binary to run. @default `nats-server` on PATH (or `$NATS_SERVER`) */
  binary?: string;
  /** Port to listen on; 0 lets the server pick a free one. Give the old port to restart a stopped server in place. @default 0 */
  port?: number;
  /** JetStream store folder; reuse one to keep streams across a restart. @default a new temp folder, removed by `stop()` */
  storeDir?: string;
  /** `user`/`pass` or `token` every client must give. @default none */
  auth?: { user: string; pass: string } | { token: string };
  /** Most time to wait for the server to accept connections, in ms. @default 10000 */
  readyTimeout?: number;
}

/** A running server. */
export interface NatsServer {
  /** `nats://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** The JetStream store folder. */
  readonly storeDir: string;
  /** What the server wrote to stderr/stdout so far (for failure messages). */
  output(): string;
  /** Stop the server (SIGTERM, then SIGKILL after 5 s). Removes the store folder unless it was given. Safe twice. */
  stop(): Promise<void>;
}

/** Why a test of the NATS plugins cannot run: the binary is missing. Says how to install it. */
export class NatsServerMissingError extends Error {
  constructor(binary: string) {
    super(
      `nats-server is not installed (tried "${binary}"): the NATS tests run against a real server with JetStream. ` +
        'Install it with `sudo apt-get install -y nats-server` (Debian/Ubuntu; 2.9 or later), or download it from ' +
        'https://github.com/nats-io/nats-server/releases and put it on PATH or in $NATS_SERVER.',
    );
    this.name = 'NatsServerMissingError';
  }
}

/** The binary tests use: `$NATS_SERVER` or `nats-server`. */
export function natsServerBinary(): string {
  return process.env['NATS_SERVER'] || 'nats-server';
}

/**
 * Throws {@link NatsServerMissingError} when the binary cannot be run, or an Error when it has no
 * JetStream (`-js`). Returns its version line.
 */
export function checkNatsServer(binary = natsServerBinary()): string {
  const run = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (run.error) throw new NatsServerMissingError(binary);
  const help = spawnSync(binary, ['--help'], { encoding: 'utf8' });
  if (!`${help.stdout}${help.stderr}`.includes('--jetstream')) throw new Error(`${binary} (${run.stdout.trim()}) has no JetStream (-js); install nats-server 2.2 or later`);
  return run.stdout.trim();
}

/** Start a JetStream-enabled nats-server on 127.0.0.1. Always `stop()` it (afterEach/afterAll). */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  const binary = options.binary ?? natsServerBinary();
  checkNatsServer(binary);
  const ownStore = options.storeDir === undefined;
  const storeDir = options.storeDir ?? mkdtempSync(path.join(tmpdir(), 'liqmon-nats-'));
  // -1: the server picks a free port and logs it, so no other process can take it in between.
  const args = ['-js', '-a', '127.0.0.1', '-p', String(options.port || -1), '-sd', storeDir];
  if (options.auth && 'token' in options.auth) args.push('--auth', options.auth.token);
  else if (options.auth) args.push('--user', options.auth.user, '--pass', options.auth.pass);
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer): void => {
    if (output.length < 100_000) output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopping: Promise<void> | undefined;
  let port = options.port ?? 0;
  const server: NatsServer = {
    get url() {
      return `nats://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    storeDir,
    output: () => output,
    stop: () => {
      stopping ??= (async () => {
        await stopChild(child, exited);
        if (ownStore) rmSync(storeDir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
  try {
    port = await waitReady(child, options.readyTimeout ?? 10_000, () => output);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Resolves to the client port once the server has said it is ready and the port accepts a connection. */
async function waitReady(child: ChildProcess, timeoutMs: number, output: () => string): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nats-server exited with code ${child.exitCode} before it was ready:\n${output()}`);
    const port = Number(/Listening for client connections on [^\s]*:(\d+)/.exec(output())?.[1] ?? 0);
    if (port > 0 && output().includes('Server is ready') && (await accepts(port))) return port;
    if (Date.now() > deadline) throw new Error(`nats-server was not ready within ${timeoutMs} ms:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
