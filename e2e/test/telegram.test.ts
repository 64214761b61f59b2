/**
 * The Telegram sink end to end through the built CLI: `liqmon start` on a FakeBinance whose symbols and
 * prices are hostile to markup, delivering to a FakeTelegram; a wrong token; `liqmon test-sink`.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FAKE_TELEGRAM_TOKEN, FakeBinance, FakeTelegram } from '@liqmon/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, liqmon, liqmonRun } from './cli.js';

const CHAT = '-1001234567890';
const TOKEN_SECRET = FAKE_TELEGRAM_TOKEN.split(':')[1]!;
const WRONG_TOKEN = '987654321:AAWrongTokenNobodyHas_zzzzzzzzzzzzzz';

/** Symbols and prices that broke the monitor liqmon replaces, and worse. */
const HOSTILE = [
  { symbol: '1000PEPEUSDT', base: '1000PEPE', price: '0.0000123' },
  { symbol: 'BTCUSDT_251226', base: 'BTC', price: '64250.1' },
  { symbol: '币安人生USDT', base: '币安人生', price: '0.1234' },
  { symbol: 'a.b-c!d#e|f\\g[h](i)USDT', base: 'a.b-c!d#e|f\\g[h](i)', price: '1.5' },
  { symbol: '*_~`>#+-={}USDT', base: '*_~`>#+-={}', price: '0.00000001' },
];

const linear = (symbol: string, base: string) => ({ symbol, pair: symbol, contractType: 'PERPETUAL', baseAsset: base, quoteAsset: 'USDT' });

let binance: FakeBinance | undefined;
let telegram: FakeTelegram | undefined;
afterEach(async () => {
  await binance?.close();
  await telegram?.close();
  binance = telegram = undefined;
});

async function config(sink: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'liqmon-telegram-'));
  const { usdmUrl, coinmUrl, usdmRestUrl, coinmRestUrl } = binance!.endpoints();
  const options = Object.entries(sink)
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
    .join(', ');
  const file = join(dir, 'config.yaml');
  await writeFile(
    file,
    [
      'sources:',
      `  binance: { use: binance, markets: [usdm], usdmUrl: "${usdmUrl}", coinmUrl: "${coinmUrl}", usdmRestUrl: "${usdmRestUrl}", coinmRestUrl: "${coinmRestUrl}", reconnectDelay: 20ms }`,
      'sinks:',
      `  telegram: { use: telegram, token: "\${TELEGRAM_BOT_TOKEN}", chatId: "\${TELEGRAM_CHAT_ID}", apiUrl: "${telegram!.apiUrl}", pacing: { chat: 0ms, group: 0ms }${options ? `, ${options}` : ''} }`,
      '  stdout: { use: console, format: json }',
      'rules:',
      '  - name: everything',
      '    minUsd: 0',
      '    to: [telegram, stdout]',
      '',
    ].join('\n'),
  );
  return file;
}

async function startFakes(): Promise<void> {
  binance = await FakeBinance.start({ usdmExchangeInfo: { symbols: HOSTILE.map((h) => linear(h.symbol, h.base)) } });
  telegram = await FakeTelegram.start({ chats: [CHAT], rateLimit: { group: { count: 20, windowMs: 1000 }, retryAfter: 'exact' } });
}

/** Poll until `ready()` holds; fail with the CLI's stderr after `timeoutMs`. */
async function waitUntil(ready: () => boolean, stderr: () => string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out; stderr:\n${stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const env = (token = FAKE_TELEGRAM_TOKEN, chat = CHAT) => cleanEnv({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_CHAT_ID: chat });

describe('liqmon start with the Telegram sink', () => {
  it('delivers hostile symbols and prices with zero parse errors', async () => {
    await startFakes();
    const run = liqmon(['start', '-c', await config({})], { env: env() });
    await binance!.server.waitForClients(1, '/market/', 15_000);
    const t0 = Date.now();
    HOSTILE.forEach((h, i) => binance!.pushUsdm({ symbol: h.symbol, price: h.price, filled: '1000', time: t0 + i }));
    await waitUntil(() => HOSTILE.every((h) => telegram!.messages.some((message) => message.text.includes(h.symbol))), run.stderr);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);

    expect(telegram!.requests.filter((request) => request.status !== 200)).toEqual([]);
    const shown = telegram!.messagesTo(CHAT).map((message) => message.text).join('\n\n');
    for (const h of HOSTILE) expect(shown).toContain(`BINANCE ${h.symbol} Long liquidated`);
    expect(shown).toContain('Avg fill price $0.0000123');
    expect(shown).toContain('Avg fill price $0.00000001');
    expect(run.stdout().trim().split('\n')).toHaveLength(HOSTILE.length);
    expect(run.stdout() + run.stderr()).not.toContain(TOKEN_SECRET);
  });

  it('talks HTTP (exchange info, the Bot API) without loading fetch\'s undici, about 10 MB of memory', async () => {
    await startFakes();
    const file = await config({});
    const modules = join(dirname(file), 'modules.json');
    const probe = pathToFileURL(fileURLToPath(new URL('./fixtures/loaded-modules.mjs', import.meta.url))).href;
    const run = liqmon(['start', '-c', file], { env: { ...env(), NODE_OPTIONS: `--import=${probe}`, LIQMON_TEST_LOADED_MODULES: modules } });
    await binance!.server.waitForClients(1, '/market/', 15_000);
    binance!.pushUsdm({ symbol: HOSTILE[0]!.symbol, price: HOSTILE[0]!.price, filled: '1000', time: Date.now() });
    await waitUntil(() => telegram!.messages.length > 0, run.stderr);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);

    expect(binance!.server.restRequests).toContain('/fapi/v1/exchangeInfo');
    const loaded = JSON.parse(await readFile(modules, 'utf8')) as string[];
    expect(loaded).toContain('NativeModule http');
    expect(loaded.filter((name) => name.includes('undici'))).toEqual([]);
  });

  it('a wrong token stops the sink with one clear log line, never showing the token', async () => {
    await startFakes();
    const run = liqmon(['start', '-c', await config({})], { env: env(WRONG_TOKEN) });
    await binance!.server.waitForClients(1, '/market/', 15_000);
    for (let i = 0; i < 3; i++) binance!.pushUsdm({ symbol: '1000PEPEUSDT', price: '0.0000123', filled: '1000', time: Date.now() + i });
    await run.waitFor(/sink \\"telegram\\" stopped/); // JSON logs: quotes escaped
    await run.waitFor('"symbol":"1000PEPEUSDT"'); // the console sink keeps running
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);

    const stopped = run.stderr().split('\n').filter((line) => line.includes('stopped:'));
    expect(stopped).toHaveLength(1);
    expect(stopped[0]).toContain('401 \\"Unauthorized\\"');
    expect(stopped[0]).toContain('TELEGRAM_BOT_TOKEN');
    expect(telegram!.requests.filter((request) => request.status === 401)).toHaveLength(1);
    expect(run.stdout() + run.stderr()).not.toContain(WRONG_TOKEN.split(':')[1]);
  });

  it('a chat that does not exist stops only that chat; the other chat gets every alert', async () => {
    await startFakes();
    const run = liqmon(['start', '-c', await config({})], { env: env(FAKE_TELEGRAM_TOKEN, `${CHAT},-100999`) });
    await binance!.server.waitForClients(1, '/market/', 15_000);
    const t0 = Date.now();
    HOSTILE.forEach((h, i) => binance!.pushUsdm({ symbol: h.symbol, price: h.price, filled: '1000', time: t0 + i }));
    await waitUntil(() => HOSTILE.every((h) => telegram!.messagesTo(CHAT).some((message) => message.text.includes(h.symbol))), run.stderr);
    await run.waitFor(/telegram\/-100999 stopped/);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);

    const stopped = run.stderr().split('\n').filter((line) => line.includes('stopped:'));
    expect(stopped).toHaveLength(1);
    expect(stopped[0]).toContain('chat not found');
    expect(stopped[0]).toContain("other destinations keep running");
    expect(telegram!.requests.filter((request) => request.status === 400)).toHaveLength(1);
    expect(run.stdout() + run.stderr()).not.toContain(TOKEN_SECRET);
  });
});

describe('liqmon test-sink telegram', () => {
  it('sends a sample alert and says so', async () => {
    await startFakes();
    const result = await liqmonRun(['test-sink', 'telegram', '-c', await config({})], { env: env() });
    expect(result.stdout).toBe(`ok: sample alert sent through "telegram" to ${CHAT}\n`);
    expect(result.code).toBe(0);
    expect(telegram!.messagesTo(CHAT)[0]!.text).toMatch(/^🟠 BINANCE BTCUSDT Long liquidated \$1\.25M/);
  });

  it("prints Telegram's exact error and a hint, without the token", async () => {
    await startFakes();
    const unknownChat = await liqmonRun(['test-sink', 'telegram', '-c', await config({})], { env: env(FAKE_TELEGRAM_TOKEN, '777') });
    expect(unknownChat.code).toBe(1);
    expect(unknownChat.stdout).toContain('failed: "telegram" to 777: Telegram answered 400 "Bad Request: chat not found" for chat 777');
    expect(unknownChat.stdout).toMatch(/hint: Check chatId/);

    const wrongToken = await liqmonRun(['test-sink', 'telegram', '-c', await config({})], { env: env(WRONG_TOKEN) });
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.stdout).toContain('Telegram answered 401 "Unauthorized"');
    expect(wrongToken.stdout).toMatch(/hint: .*TELEGRAM_BOT_TOKEN.*@BotFather/);
    expect(wrongToken.stdout + wrongToken.stderr).not.toContain(WRONG_TOKEN.split(':')[1]);
  });
});
