import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeBinance } from '@liqmon/core/testing';
import { describe, expect, it } from 'vitest';
import { cleanEnv, liqmon, REPO_ROOT } from './cli.js';

/**
 * The shipped example config, with every exchange endpoint pointed at a closed local port: the test
 * must not touch the internet, and this is what "no network" looks like to the sources. With `binance`,
 * the Binance source connects to that fake instead.
 */
async function exampleConfigOffline(binance?: FakeBinance): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'liqmon-example-'));
  const port = await closedPort();
  const dead = `http://127.0.0.1:${port}`;
  const deadWs = `ws://127.0.0.1:${port}`;
  const urls = binance
    ? { usdm: binance.usdmUrl, coinm: binance.coinmUrl, rest: binance.restUrl }
    : { usdm: deadWs, coinm: deadWs, rest: dead };
  const text = (await readFile(join(REPO_ROOT, 'config.example.yaml'), 'utf8'))
    .replace('{ use: binance }', `{ use: binance, usdmUrl: "${urls.usdm}", coinmUrl: "${urls.coinm}", usdmRestUrl: "${urls.rest}", coinmRestUrl: "${urls.rest}" }`)
    .replace('{ use: bybit, categories: [linear, inverse] }', `{ use: bybit, categories: [linear, inverse], wsUrl: "${deadWs}", restUrl: "${dead}" }`);
  const file = join(dir, 'config.yaml');
  await writeFile(file, text);
  return file;
}

/** A local port nothing listens on: taken from the OS, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

describe('liqmon start on the example config', () => {
  it('runs without secrets or network, says which sinks are off, and exits 0 on SIGTERM', async () => {
    const file = await exampleConfigOffline();
    const run = liqmon(['start', '-c', file]);
    await run.waitFor(/sink \\"telegram\\" is disabled: TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID are not set/);
    await run.waitFor(/sink \\"discord\\" is disabled: DISCORD_WEBHOOK_URL is not set/);
    // Sources cannot connect: they retry in the background while liqmon keeps running.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(run.child.exitCode).toBeNull();
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.stderr()).toContain('SIGTERM received');
    expect(run.stdout()).toBe('');
    // Started without the memory setting of deploy/: the log says once how to set it.
    expect(run.stderr().split('--max-semi-space-size=1 (as deploy/').length - 1).toBe(1);
  });

  it('says nothing about memory when node runs with the setting of deploy/', async () => {
    const file = await exampleConfigOffline();
    const run = liqmon(['start', '-c', file], { env: cleanEnv({ NODE_OPTIONS: '--max-semi-space-size=1' }) });
    await run.waitFor('starting sources');
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.stderr()).not.toContain('young generation');
  });

  it('prints JSON lines into a pipe, so `liqmon start | jq` works with the shipped config', async () => {
    const fake = await FakeBinance.start();
    try {
      const run = liqmon(['start', '-c', await exampleConfigOffline(fake)]);
      await fake.server.waitForClients(2);
      // Pushed until seen: a push before the subscription reaches nobody; dedupe drops the repeats.
      const frame = FakeBinance.frame('usdm', { symbol: 'BTCUSDT', side: 'SELL', filled: '2', price: '64000', time: Date.now() });
      const timer = setInterval(() => fake.pushUsdm(frame), 100);
      try {
        await run.waitFor('"symbol":"BTCUSDT"');
      } finally {
        clearInterval(timer);
      }
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      const lines = run.stdout().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({ rule: 'majors', kind: 'liquidation', events: [{ symbol: 'BTCUSDT', side: 'long', notionalUsd: 128_000 }] });
    } finally {
      await fake.close();
    }
  });
});
