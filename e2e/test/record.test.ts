/**
 * `liqmon record` whatever the sources do: `--duration` counts from the command's start, the first
 * signal ends the recording at once, one line per source at the end, exit 1 only when no source ever
 * connected.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeBinance, FakeBybit } from '@liqmon/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, freePort, liqmon, LIQMON_BIN, liqmonRun } from './cli.js';

const config = fileURLToPath(new URL('./fixtures/record.yaml', import.meta.url));


let dir: string;
let file: string;
let unreachable: Endpoints;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'liqmon-record-'));
  file = join(dir, 'rec.ndjson');
  const port = await freePort();
  unreachable = { ws: `ws://127.0.0.1:${port}`, rest: `http://127.0.0.1:${port}` };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Endpoints {
  ws: string;
  rest: string;
  /** Binance's COIN-M WebSocket base, when it differs from `ws`. */
  coinm?: string;
}
const env = (binance: Endpoints, bybit: Endpoints) =>
  cleanEnv({
    BINANCE_USDM: binance.ws,
    BINANCE_COINM: binance.coinm ?? binance.ws,
    BINANCE_REST: binance.rest,
    BYBIT_WS: bybit.ws,
    BYBIT_REST: bybit.rest,
  });

/** The log messages (stderr is JSON lines when it is not a terminal). */
const messages = (stderr: string) =>
  stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => (JSON.parse(line) as { msg: string }).msg);

describe('liqmon record', () => {
  it('ends after --duration when no source can connect, names them, and exits 1', async () => {
    const { code, stderr } = await liqmonRun(['record', '-c', config, '-o', file, '--duration', '1s'], { env: env(unreachable, unreachable) });
    expect(code).toBe(1);
    const logged = messages(stderr);
    expect(logged).toContain('binance: 0 frames: never connected');
    expect(logged).toContain('bybit: 0 frames: never connected');
    expect(logged.find((m) => m.startsWith('recorded 0 frames to'))).toBeDefined();
    expect(logged.find((m) => m.startsWith('no source connected'))).toBeDefined();
  });

  it('stops at the first SIGINT while the sources are still trying to connect', async () => {
    const run = liqmon(['record', '-c', config, '-o', file], { env: env(unreachable, unreachable) });
    await run.waitFor('recording binance, bybit');
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(1);
    expect(messages(run.stderr())).toContain('bybit: 0 frames: never connected');
  });

  describe('with a fake Binance', () => {
    let binance: FakeBinance;
    beforeEach(async () => {
      binance = await FakeBinance.start();
    });
    afterEach(async () => {
      await binance.close();
    });
    const reachable = (): Endpoints => ({ ws: binance.usdmUrl, coinm: binance.coinmUrl, rest: binance.restUrl });

    it('keeps what one source recorded while the other never connects, and exits 0', async () => {
      const run = liqmon(['record', '-c', config, '-o', file], { env: env(reachable(), unreachable) });
      await run.waitFor('binance connected');
      await binance.server.waitForClients(2);
      binance.pushUsdm({ symbol: 'BTCUSDT', side: 'SELL', filled: '0.5', price: '60000' });
      binance.pushUsdm({ symbol: 'ETHUSDT', side: 'BUY', filled: '2', price: '3000' });
      await waitForLines(file, 3); // binance's reference data, then its 2 frames
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      const logged = messages(run.stderr());
      expect(logged).toContain('binance: 2 frames');
      expect(logged).toContain('bybit: 0 frames: never connected');
      const types = readFileSync(file, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { type: string }).type);
      expect(types).toEqual(['reference', 'frame', 'frame']);
    });

    it('a connected but quiet feed is a success: 0 frames, exit 0', async () => {
      const bybit = await FakeBybit.start({ linear: ['BTCUSDT'] });
      try {
        const run = liqmon(['record', '-c', config, '-o', file], {
          env: env(reachable(), { ws: bybit.wsUrl, rest: bybit.restUrl }),
        });
        await run.waitFor('binance connected');
        await run.waitFor('bybit connected');
        run.child.kill('SIGINT');
        expect(await run.exited).toBe(0);
        const logged = messages(run.stderr());
        expect(logged).toContain('binance: 0 frames');
        // Bybit acknowledges the subscription with a frame, recorded like any other.
        expect(logged.filter((m) => m.startsWith('bybit:'))).toEqual(['bybit: 1 frame']);
      } finally {
        await bybit.close();
      }
    });
  });

  it('stops when the npm wrapper that launched it is killed', async () => {
    // npm runs `sh -c liqmon ...`; killing npm kills the shell, which does not pass the signal on.
    const shell = spawn('sh', ['-c', `"${process.execPath}" "${LIQMON_BIN}" record -c "${config}" -o "${file}"; true`], {
      env: { ...env(unreachable, unreachable), npm_command: 'exec' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    shell.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // The pipes close when every process holding them (the shell and liqmon) has exited.
    const closed = new Promise((resolve) => shell.on('close', resolve));
    while (!stderr.includes('recording binance')) await new Promise((resolve) => setTimeout(resolve, 50));
    shell.kill('SIGKILL');
    await closed;
    expect(messages(stderr)).toContain('binance: 0 frames: never connected');
  });
});

async function waitForLines(path: string, count: number): Promise<void> {
  for (;;) {
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      // not created yet
    }
    if (text.split('\n').filter(Boolean).length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
