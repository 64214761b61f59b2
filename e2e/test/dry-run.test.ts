/**
 * `liqmon start --dry-run` through the built CLI: a fake Binance sends a liquidation; the Telegram and
 * Discord sinks print on stdout what they would send, as the reader would see it (or the markup with
 * `--raw`), and nothing reaches the fake Telegram or Discord servers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAKE_TELEGRAM_TOKEN, FakeBinance, FakeDiscord, FakeTelegram } from '@liqmon/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, liqmon, type CliRun } from './cli.js';

const CHAT = '-1001234567890';

let dir: string;
let binance: FakeBinance;
let telegram: FakeTelegram;
let discord: FakeDiscord;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'liqmon-dry-run-'));
  binance = await FakeBinance.start();
  telegram = await FakeTelegram.start({ chats: [CHAT] });
  discord = await FakeDiscord.start();
});
afterEach(async () => {
  await binance.close();
  await telegram.close();
  await discord.close();
  rmSync(dir, { recursive: true, force: true });
});

function config(): string {
  const { usdmUrl, coinmUrl, usdmRestUrl, coinmRestUrl } = binance.endpoints();
  const file = join(dir, 'config.yaml');
  writeFileSync(
    file,
    [
      'sources:',
      `  binance: { use: binance, markets: [usdm], usdmUrl: "${usdmUrl}", coinmUrl: "${coinmUrl}", usdmRestUrl: "${usdmRestUrl}", coinmRestUrl: "${coinmRestUrl}", reconnectDelay: 20ms }`,
      'sinks:',
      `  telegram: { use: telegram, token: "\${TELEGRAM_BOT_TOKEN}", chatId: "${CHAT}", apiUrl: "${telegram.apiUrl}" }`,
      '  discord: { use: discord, webhookUrl: "${DISCORD_WEBHOOK_URL}" }',
      'rules:',
      '  - name: majors',
      '    minUsd: 10k',
      '    to: [telegram, discord]',
      '',
    ].join('\n'),
  );
  return file;
}

const env = () => cleanEnv({ TELEGRAM_BOT_TOKEN: FAKE_TELEGRAM_TOKEN, DISCORD_WEBHOOK_URL: discord.webhookUrl() });

/** Push one liquidation (fixed time, so one id) until both previews show: a push may reach nobody while the source connects. */
async function pushUntilPreviewed(run: CliRun): Promise<void> {
  const frame = FakeBinance.frame('usdm', { symbol: 'BTCUSDT', side: 'SELL', filled: '0.6', price: '96000', time: Date.now() });
  const timer = setInterval(() => binance.pushUsdm(frame), 100);
  try {
    await run.waitFor('--- telegram -> -1001234567890 (not sent) ---');
    await run.waitFor('--- discord -> default (not sent) ---');
  } finally {
    clearInterval(timer);
  }
}

describe('liqmon start --dry-run', () => {
  it("says it is a dry run, prints each sink's message as the reader sees it, and sends nothing", async () => {
    const run = liqmon(['start', '-c', config(), '--dry-run'], { env: env() });
    await run.waitFor('dry run: nothing is sent. telegram, discord print on stdout what they would send');
    await pushUntilPreviewed(run);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    const out = run.stdout();
    // $57,600 of BTC: the reader's text, not MarkdownV2's `$57\.6K` nor an embed's JSON.
    expect(out).toContain('$57.6K');
    expect(out).not.toContain('\\.');
    expect(out).not.toContain('"embeds"');
    expect(out.match(/\(not sent\)/g)).toHaveLength(2);
    expect(telegram.requests).toHaveLength(0);
    expect(discord.requests).toHaveLength(0);
  });

  it('--raw prints the markup each sink would post', async () => {
    const run = liqmon(['start', '-c', config(), '--dry-run', '--raw'], { env: env() });
    await pushUntilPreviewed(run);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    const out = run.stdout();
    expect(out).toContain('$57\\.6K'); // MarkdownV2 escapes the dot
    expect(out).toContain('"embeds"');
    expect(telegram.requests).toHaveLength(0);
    expect(discord.requests).toHaveLength(0);
  });
});
