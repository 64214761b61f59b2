/**
 * A highly available pair: two `liqmon start` processes with the same rules and `cluster:` against a
 * fake Binance, a fake Telegram and a real nats-server. The leader killed with SIGKILL in the middle of
 * a burst: every alert arrives, at most one twice, and the follower took over within the lease plus
 * 10 s. A clean SIGTERM of the leader hands over with no duplicate. Needs nats-server (docs/scaling.md).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAKE_TELEGRAM_TOKEN, FakeBinance, FakeTelegram } from '@liqmon/core/testing';
import { startNatsServer, type NatsServer } from '@liqmon/sink-nats/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, freePort, liqmon, liqmonRun, type CliRun } from './cli.js';

const CHAT = '-1001234567890';
const LEASE_MS = 3_000;
const BURST = 40;

let nats: NatsServer;
let binance: FakeBinance;
let telegram: FakeTelegram;
const dirs: string[] = [];
/** Config file of each instance, by name. */
const configs = new Map<string, string>();
beforeEach(async () => {
  nats = await startNatsServer();
  binance = await FakeBinance.start({ usdmExchangeInfo: { symbols: [{ symbol: 'BTCUSDT', pair: 'BTCUSDT', contractType: 'PERPETUAL', baseAsset: 'BTC', quoteAsset: 'USDT' }] } });
  telegram = await FakeTelegram.start({ chats: [CHAT], rateLimit: false });
});
afterEach(async () => {
  await binance?.close();
  await telegram?.close();
  await nats?.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** One instance's config, in its own folder (the one-instance lock is per config file). */
function instance(name: string, httpPort: number): CliRun {
  const dir = mkdtempSync(join(tmpdir(), `liqmon-cluster-${name}-`));
  dirs.push(dir);
  const { usdmUrl, coinmUrl, usdmRestUrl, coinmRestUrl } = binance.endpoints();
  writeFileSync(
    join(dir, 'config.yaml'),
    [
      `cluster: { nats: "${nats.url}", name: e2e, lease: ${LEASE_MS}ms, instance: ${name} }`,
      'store: false',
      `http: { port: ${httpPort} }`,
      'delivery: { maxAlertsPerMessage: 1 }',
      'sources:',
      `  binance: { use: binance, markets: [usdm], usdmUrl: "${usdmUrl}", coinmUrl: "${coinmUrl}", usdmRestUrl: "${usdmRestUrl}", coinmRestUrl: "${coinmRestUrl}", reconnectDelay: 20ms }`,
      'sinks:',
      `  telegram: { use: telegram, token: "\${TELEGRAM_BOT_TOKEN}", chatId: "${CHAT}", apiUrl: "${telegram.apiUrl}", pacing: { chat: 0ms, group: 0ms } }`,
      'rules:',
      '  - name: everything',
      '    minUsd: 0',
      '    to: [telegram]',
      '',
    ].join('\n'),
  );
  configs.set(name, join(dir, 'config.yaml'));
  return liqmon(['start', '-c', join(dir, 'config.yaml')], { env: cleanEnv({ TELEGRAM_BOT_TOKEN: FAKE_TELEGRAM_TOKEN }) });
}

/** The fill price of each Telegram message (one alert per message), as numbers. */
function deliveredPrices(): number[] {
  return telegram.messagesTo(CHAT).flatMap((message) => {
    const price = /price \$([\d,.]+)/.exec(message.text)?.[1];
    return price === undefined ? [] : [Number(price.replace(/,/g, ''))];
  });
}

async function waitUntil(ready: () => boolean, what: string, timeoutMs: number, logs: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${logs()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Push liquidation `i` of the burst: a price of its own, so each is one alert we can find. */
function push(i: number): void {
  binance.pushUsdm({ symbol: 'BTCUSDT', price: String(10_000 + i), filled: '1', time: Date.now() });
}

/** Start the leader `a`, then the follower `b`, both connected to the fake exchange. */
async function pair(): Promise<{ a: CliRun; b: CliRun; logs: () => string }> {
  const a = instance('a', await freePort());
  await a.waitFor('a is the leader now', 20_000);
  const b = instance('b', await freePort());
  await b.waitFor('joined as b', 20_000);
  await binance.server.waitForClients(2, '/market/', 20_000);
  const logs = () => `--- a\n${a.stderr()}\n--- b\n${b.stderr()}`;
  return { a, b, logs };
}

const expected = Array.from({ length: BURST }, (_, i) => 10_000 + i);

describe('a highly available pair', () => {
  it('loses no alert when the leader is killed in the middle of a burst, and sends at most one twice', async () => {
    const { a, b, logs } = await pair();
    for (let i = 0; i < BURST / 2; i++) {
      push(i);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await waitUntil(() => deliveredPrices().length >= 5, 'the first alerts', 15_000, logs);
    a.child.kill('SIGKILL');
    for (let i = BURST / 2; i < BURST; i++) {
      push(i);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Takeover: within the lease plus 10 s of the kill.
    await b.waitFor('b is the leader now', LEASE_MS + 10_000);
    await waitUntil(() => expected.every((price) => deliveredPrices().includes(price)), 'every alert', 15_000, logs);

    const prices = deliveredPrices();
    expect([...new Set(prices)].sort()).toEqual(expected);
    expect(prices.length - BURST).toBeLessThanOrEqual(1);
    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(0);
  }, 90_000);

  it('hands over with no duplicate when the leader stops with SIGTERM', async () => {
    const { a, b, logs } = await pair();
    for (let i = 0; i < BURST / 2; i++) push(i);
    await waitUntil(() => deliveredPrices().length >= 5, 'the first alerts', 15_000, logs);
    a.child.kill('SIGTERM');
    for (let i = BURST / 2; i < BURST; i++) {
      push(i);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await a.exited).toBe(0);
    expect(a.stderr()).toContain('released the lease');
    await b.waitFor('b is the leader now', 5_000);
    await waitUntil(() => expected.every((price) => deliveredPrices().includes(price)), 'every alert', 15_000, logs);
    await new Promise((resolve) => setTimeout(resolve, 500)); // a late duplicate would show now
    expect(deliveredPrices().sort()).toEqual(expected);

    // `liqmon status` of the new leader shows the cluster; a released its heartbeat when it stopped.
    const status = await liqmonRun(['status', '-c', configs.get('b') ?? '']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/cluster e2e: leader b \(this instance\), lease renewed [\d.]+s ago \(3s lease\)/);
    expect(status.stdout).toMatch(/^ {2}b {2}leader {2}/m);
    expect(status.stdout).not.toMatch(/^ {2}a {2}/m);
    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(0);
  }, 90_000);
});
