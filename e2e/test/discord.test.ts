/**
 * The Discord sink through the built CLI: `liqmon start` with the Binance source on a fake Binance and
 * a discord sink on the fake Discord from @liqmon/core/testing; `liqmon test-sink discord`; and what a
 * bad webhook looks like to the user. Run `npx turbo run build` first.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeBinance, FakeDiscord } from '@liqmon/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, liqmon, liqmonRun } from './cli.js';

let binance: FakeBinance | undefined;
let discord: FakeDiscord | undefined;
afterEach(async () => {
  await binance?.close();
  await discord?.close();
  binance = discord = undefined;
});

/** A config watching the fake Binance and delivering every liquidation of $1k or more to Discord. */
async function writeConfig(fake: FakeBinance | undefined): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'liqmon-discord-'));
  const dead = 'http://127.0.0.1:9';
  const endpoints = fake?.endpoints() ?? { usdmUrl: 'ws://127.0.0.1:9', coinmUrl: 'ws://127.0.0.1:9', usdmRestUrl: dead, coinmRestUrl: dead };
  const file = join(dir, 'config.yaml');
  await writeFile(
    file,
    [
      'sources:',
      `  binance: { use: binance, markets: [usdm], usdmUrl: "${endpoints.usdmUrl}", usdmRestUrl: "${endpoints.usdmRestUrl}", coinmUrl: "${endpoints.coinmUrl}", coinmRestUrl: "${endpoints.coinmRestUrl}" }`,
      'sinks:',
      '  discord: { use: discord, webhookUrl: "${DISCORD_WEBHOOK_URL}", username: liqmon }',
      'rules:',
      '  - name: all',
      '    minUsd: 1k',
      '    to: [discord]',
      '',
    ].join('\n'),
  );
  return file;
}

const until = async (check: () => boolean, what: string, timeoutMs = 15_000) => {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

describe('liqmon start with a discord sink', () => {
  it('delivers liquidations as embeds, and exits 0 on SIGTERM', async () => {
    binance = await FakeBinance.start();
    discord = await FakeDiscord.start();
    const file = await writeConfig(binance);
    const run = liqmon(['start', '-c', file], { env: cleanEnv({ DISCORD_WEBHOOK_URL: discord.webhookUrl() }) });
    await until(() => binance!.server.clients.size > 0, 'the source to connect');
    // A recent whole second: core drops live events more than a day from their receive time.
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    binance.pushUsdm({ symbol: 'BTCUSDT', side: 'SELL', filled: '2', price: '64250.1', time: t0 });
    binance.pushUsdm({ symbol: 'ETHUSDT', side: 'BUY', filled: '10', price: '3450.5', time: t0 + 1000 });
    await discord.waitForMessages(1);
    await until(() => discord!.messages.flatMap((m) => m.embeds).length === 2, 'both alerts');
    const embeds = discord.messages.flatMap((m) => m.embeds);
    expect(embeds.map((e) => [e.title, e.color, e.timestamp])).toEqual([
      ['🟠 BINANCE BTCUSDT Long liquidated $129K', 0xe74c3c, new Date(t0).toISOString()],
      ['🔵 BINANCE ETHUSDT Short liquidated $34.5K', 0x2ecc71, new Date(t0 + 1000).toISOString()],
    ]);
    expect(embeds[0]?.description).toBe('💀');
    expect(embeds[0]?.fields?.map((f) => f.name)).toEqual(['Exchange', 'Avg fill price', 'Size', 'Time']);
    expect(discord.messages[0]).toMatchObject({ username: 'liqmon' });
    expect(discord.requests.every((r) => r.query.wait === 'true')).toBe(true);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toBe('');
    expect(run.stderr()).not.toContain(FakeDiscord.DEFAULT_WEBHOOK.token);
  });

  it('stops the sink on a bad webhook with one clear line and no token in the output', async () => {
    binance = await FakeBinance.start();
    discord = await FakeDiscord.start();
    const token = 'revoked-token-0123456789abcdefghijklmnopqrstuvwxyz';
    const url = discord.webhookUrl({ webhook: { id: FakeDiscord.DEFAULT_WEBHOOK.id, token } });
    const run = liqmon(['start', '-c', await writeConfig(binance)], { env: cleanEnv({ DISCORD_WEBHOOK_URL: url }) });
    await until(() => binance!.server.clients.size > 0, 'the source to connect');
    for (let i = 0; i < 3; i++) binance.pushUsdm({ time: Date.now() + i });
    await run.waitFor('stopped: Discord refused the webhook token');
    await new Promise((resolve) => setTimeout(resolve, 300));
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    const stopped = run.stderr().split('\n').filter((line) => line.includes('stopped: Discord'));
    expect(stopped).toHaveLength(1);
    expect(stopped[0]).toContain('Discord refused the webhook token (401 Invalid Webhook Token, code 50027)');
    expect(stopped[0]).toContain('Copy Webhook URL');
    expect(discord.requests).toHaveLength(1); // no retries
    expect(run.stdout() + run.stderr()).not.toContain(token);
  });
});

describe('liqmon test-sink discord', () => {
  it('sends a sample alert and says so', async () => {
    discord = await FakeDiscord.start();
    const { code, stdout, stderr } = await liqmonRun(['test-sink', 'discord', '-c', await writeConfig(undefined)], {
      env: cleanEnv({ DISCORD_WEBHOOK_URL: discord.webhookUrl({ version: 10 }) }),
    });
    expect(code).toBe(0);
    expect(stdout).toBe('ok: sample alert sent through "discord" to default\n');
    expect(discord.messages).toHaveLength(1);
    expect(discord.messages[0]?.embeds[0]?.title).toMatch(/^🟠 BINANCE BTCUSDT Long liquidated \$1\.25M/);
    expect(stdout + stderr).not.toContain(FakeDiscord.DEFAULT_WEBHOOK.token);
  });

  it('prints the exact error and a hint for a deleted webhook, without the token, and exits 1', async () => {
    discord = await FakeDiscord.start();
    const token = 'deleted-webhook-token-0123456789';
    const url = discord.webhookUrl({ webhook: { id: '555555', token } });
    const { code, stdout, stderr } = await liqmonRun(['test-sink', 'discord', '-c', await writeConfig(undefined)], { env: cleanEnv({ DISCORD_WEBHOOK_URL: url }) });
    expect(code).toBe(1);
    expect(stdout).toBe(
      'failed: "discord" to default: Discord says the webhook does not exist (deleted, or the URL is mistyped) (404 Unknown Webhook, code 10015)\n' +
        '  hint: In Discord: Server Settings → Integrations → Webhooks → (create or pick one) → Copy Webhook URL, then set it as webhookUrl (e.g. in DISCORD_WEBHOOK_URL) and restart.\n',
    );
    expect(stdout + stderr).not.toContain(token);
  });

  it('refuses a malformed webhook URL at config time without echoing it', async () => {
    const secret = 'https://discord.com/channels/123/not-a-webhook-secretish';
    const { code, stdout, stderr } = await liqmonRun(['validate', '-c', await writeConfig(undefined)], { env: cleanEnv({ DISCORD_WEBHOOK_URL: secret }) });
    expect(code).toBe(2);
    expect(stderr).toContain('sinks.discord.webhookUrl: must be a Discord webhook URL like https://discord.com/api/webhooks/<id>/<token>');
    expect(stdout + stderr).not.toContain('not-a-webhook-secretish');
  });
});
