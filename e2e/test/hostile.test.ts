/**
 * Hostile input end to end (docs/security.md): the built `liqmon start` against a fake Binance that
 * sends every kind of bad frame an audit found, delivering to the console, a fake Telegram and a fake
 * Discord. What a user must see: the process stays up and answers /healthz, memory stays bounded, each
 * bad event is dropped and counted with its reason, and no sink output carries control characters,
 * markup from exchange text, or a secret.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAKE_TELEGRAM_TOKEN, FakeBinance, FakeDiscord, FakeTelegram } from '@liqmon/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, type CliRun, freePort, liqmon } from './cli.js';

const CHAT = '-1001234567890';
const TOKEN_SECRET = FAKE_TELEGRAM_TOKEN.split(':')[1]!;
/** Control (C0, C1, DEL), bidi and zero-width characters: none may reach a reader. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060\u2066-\u2069\ufeff]/u;

let dir: string | undefined;
let binance: FakeBinance | undefined;
let telegram: FakeTelegram | undefined;
let discord: FakeDiscord | undefined;
afterEach(async () => {
  await Promise.all([binance?.close(), telegram?.close(), discord?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
  binance = telegram = discord = dir = undefined;
});


/** The child's resident memory in MB, from /proc (Linux). */
async function rssMb(run: CliRun): Promise<number> {
  const status = await readFile(`/proc/${run.child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function until(ready: () => boolean | Promise<boolean>, what: string, stderr: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stderr:\n${stderr().slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A forceOrder frame with any field replaced, numbers and times included, exactly as a hostile server could send it. */
function frame(order: Record<string, unknown>): string {
  const time = typeof order['T'] === 'number' ? order['T'] : Date.now();
  const o = { s: 'BTCUSDT', S: 'SELL', o: 'LIMIT', f: 'IOC', q: '1', p: '50000', ap: '50000', X: 'FILLED', l: '1', z: '1', T: time, ...order };
  return JSON.stringify({ stream: '!forceOrder@arr', data: { e: 'forceOrder', E: Date.now(), o } });
}

// Each splits into a base and USDT (a dated contract is BASEUSDT_DATE): Binance prices a USD-M symbol
// that exchange info does not list only when a USD quote can be split off it (others are unknown
// instruments, never alerted), and these must reach the sinks.
const INJECTED = 'BTCUSDT\n🚨 FAKE: exchange hacked, withdraw now USDT';
const HOSTILE_TEXT = [INJECTED, 'BTC\u202eTDSUUSDT', 'ETH\u200bUSDT', '\u001b]0;pwned\u0007SOLUSDT', 'XRP\u001b[2J\u009bUSDT', 'BTCUSDT_*bold* _it_ <b>x</b> [a](http://e.vil) @everyone'];

describe('liqmon start against hostile exchange frames', () => {
  it('stays up, drops and counts every bad event with its reason, keeps memory bounded, and sends nothing unsafe', async () => {
    binance = await FakeBinance.start();
    telegram = await FakeTelegram.start({ chats: [CHAT] });
    discord = await FakeDiscord.start();
    const port = await freePort();
    dir = await mkdtemp(join(tmpdir(), 'liqmon-hostile-'));
    const { usdmUrl, coinmUrl, usdmRestUrl, coinmRestUrl } = binance.endpoints();
    const config = join(dir, 'config.yaml');
    await writeFile(
      config,
      [
        'sources:',
        `  binance: { use: binance, markets: [usdm], usdmUrl: "${usdmUrl}", coinmUrl: "${coinmUrl}", usdmRestUrl: "${usdmRestUrl}", coinmRestUrl: "${coinmRestUrl}", reconnectDelay: 50ms, maxReconnectDelay: 200ms }`,
        'sinks:',
        `  telegram: { use: telegram, token: "\${TELEGRAM_BOT_TOKEN}", chatId: "${CHAT}", apiUrl: "${telegram.apiUrl}", pacing: { chat: 0ms, group: 0ms } }`,
        '  discord: { use: discord, webhookUrl: "${DISCORD_WEBHOOK_URL}" }',
        '  out: { use: console, format: json }',
        `http: { port: ${port}, host: 127.0.0.1 }`,
        'rules:',
        // A pattern that took 33 s against a long symbol with a backtracking matcher.
        '  - name: pathological-glob',
        '    match: { symbol: ["*A*A*A*A*A*A*A*A*A*A*A*A*A*A*B"] }',
        '    minUsd: 1',
        '    to: [out]',
        // Cascade state per symbol that never reaches its bar: must not grow without bound.
        '  - name: per-symbol-cascade',
        '    minUsd: 1',
        '    continue: true',
        '    aggregate: { window: 1s, by: [symbol, side], minUsd: 1B }',
        '    to: [out]',
        '  - name: alerts',
        '    minUsd: 10k',
        '    to: [telegram, discord, out]',
        '',
      ].join('\n'),
    );
    const run = liqmon(['start', '-c', config], {
      env: cleanEnv({ TELEGRAM_BOT_TOKEN: FAKE_TELEGRAM_TOKEN, DISCORD_WEBHOOK_URL: discord.webhookUrl() }),
    });
    const healthz = async (): Promise<Record<string, unknown>> => (await fetch(`http://127.0.0.1:${port}/healthz`)).json() as Promise<Record<string, unknown>>;
    await binance.server.waitForClients(1, '/market/', 20_000);
    await run.waitFor('source started', 20_000);

    // 1. Bad numbers, times and symbols: dropped before the rules, each with its reason. (Binance's own
    //    decoder already refuses a zero or negative price and an empty symbol as undecodable: counted as
    //    malformed; core's checks catch what a decoder lets through.)
    const now = Date.now();
    const bad = [
      frame({ z: '1e200', ap: '1e200', T: now + 1 }), // notional Infinity
      frame({ z: '1000000', ap: '100000', T: now + 2 }), // $100B: above the $10B limit
      frame({ ap: '0', T: now + 3 }),
      frame({ ap: '-5', T: now + 4 }),
      frame({ T: 9e15 }), // a time no renderer can show
      frame({ T: now - 3 * 86_400_000 }), // three days off
      frame({ s: `${'X'.repeat(61)}USDT`, T: now + 5 }), // 65 characters
      frame({ s: '', T: now + 6 }),
      '{"stream":"!forceOrder@arr","data":{"e":"forceOrder","o":{"s":"BTCUSDT"', // malformed
    ];
    for (const text of bad) binance.pushUsdm(text);

    // 2. Exchange text that tries to be markup or control, in large (alerting) liquidations.
    HOSTILE_TEXT.forEach((symbol, i) => binance!.pushUsdm(frame({ s: symbol, z: '1', ap: '60000', T: now + 100 + i })));

    // 3. The pathological glob against the longest symbol allowed.
    binance.pushUsdm(frame({ s: `${'A'.repeat(60)}USDT`, z: '0.001', ap: '100', T: now + 200 }));

    // 4. A 2 MB frame: refused unread (the connection is replaced), never parsed.
    binance.pushUsdm(frame({ s: `BTCUSDT${' '.repeat(2 * 1024 * 1024)}`, T: now + 300 }));
    type SourceHealth = { connected: boolean; reconnects: number; frames: number; oversized?: number };
    const binanceNow = async () => ((await healthz())['sources'] as Record<string, SourceHealth>)['binance']!;
    await until(async () => {
      const source = await binanceNow();
      return (source.oversized ?? 0) >= 1 && source.reconnects >= 1 && source.connected;
    }, 'the connection replaced after the oversized frame', run.stderr);
    await binance.server.waitForClients(1, '/market/', 20_000);
    const framesBefore = (await binanceNow()).frames;

    // 5. 30,000 liquidations over 30,000 symbols no exchange info lists, then quiet.
    const before = await rssMb(run);
    const flood = Array.from({ length: 30_000 }, (_, i) => frame({ s: `Z${i}USDT`, z: '0.01', ap: '10', T: Date.now() + i }));
    for (let i = 0; i < flood.length; i += 5000) {
      binance.server.pushBurst(flood.slice(i, i + 5000), (client) => client.path.startsWith('/market/'));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    // Everything arrives and is accounted for; /healthz answers throughout.
    await until(
      async () => {
        const source = ((await healthz())['sources'] as Record<string, { invalidByReason?: Record<string, number> }>)['binance'];
        const reasons = source?.invalidByReason ?? {};
        return (reasons['time'] ?? 0) >= 2 && ['notional', 'notional_too_large', 'symbol'].every((reason) => (reasons[reason] ?? 0) > 0);
      },
      'every invalid reason counted',
      run.stderr,
    );
    const shownOnTelegram = () => telegram!.messagesTo(CHAT).map((message) => message.text).join('\n');
    await until(
      () => ['FAKE', 'TDSU', 'ETH', 'SOLUSDT', 'XRP', 'everyone'].every((part) => shownOnTelegram().includes(part)),
      'the hostile-text alerts on Telegram (alone or in a digest)',
      () => `${run.stderr()}\nTelegram:\n${shownOnTelegram()}`,
    );
    await until(() => discord!.messages.length > 0, 'alerts on Discord', run.stderr);

    await until(
      async () => (await binanceNow()).frames >= framesBefore + 30_000,
      'the whole flood read',
      run.stderr,
    );
    const health = await healthz();
    const binanceHealth = (health['sources'] as Record<string, { invalid: number; invalidByReason: Record<string, number>; oversized?: number; malformed?: number }>)['binance']!;
    expect(binanceHealth.invalidByReason, JSON.stringify(binanceHealth)).toEqual({ notional: 1, notional_too_large: 1, time: 2, symbol: 1 });
    expect(binanceHealth.oversized).toBe(1);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/liqmon_events_invalid_total\{source="binance",reason="notional_too_large"\} 1/);
    expect(metrics).toMatch(/liqmon_source_oversized_frames_total\{source="binance"\} [1-9]/);
    // The malformed frame is counted apart from the invalid events.
    expect(run.stderr()).toMatch(/malformed|unreadable|could not (be )?(decode|parse)/i);

    // Memory: the flood's per-symbol state is let go once its windows pass.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const after = await rssMb(run);
    expect(after, `RSS before the flood ${before.toFixed(0)} MB, after ${after.toFixed(0)} MB`).toBeLessThan(Math.max(200, before + 100));
    // One summarised warning about unknown symbols, not one per symbol.
    const unknownLines = run.stderr().split('\n').filter((line) => /not in USD-M exchange info/.test(line));
    expect(unknownLines.length).toBeLessThan(10);

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);

    // Nothing a reader sees carries control, bidi or zero-width characters, or an injected line.
    const telegramText = telegram.messagesTo(CHAT).map((message) => message.text);
    const discordText = discord.messages.map((message) => JSON.stringify(message));
    for (const text of telegramText) {
      expect(text).not.toMatch(UNSAFE);
      expect(text.split('\n').some((line) => line.startsWith('🚨 FAKE'))).toBe(false);
    }
    // Markup in a symbol is shown as the text it is (FakeTelegram gives the text a reader sees, after parsing).
    expect(telegramText.join('\n')).toContain('*bold* _it_ <b>x</b> [a](http://e.vil) @everyone');
    for (const text of discordText) {
      expect(JSON.parse(text)).toBeTruthy();
      expect(text).not.toMatch(UNSAFE);
      expect(text).not.toMatch(/\\n🚨 FAKE/);
    }
    // "@everyone" in a symbol pings nobody: every webhook call turns mentions off.
    for (const message of discord.messages) expect((message.body as { allowed_mentions?: unknown }).allowed_mentions).toEqual({ parse: [] });
    for (const line of run.stdout().trim().split('\n')) expect(line).not.toMatch(UNSAFE);
    expect(run.stdout()).not.toContain("\u001b");
    // Nor do the logs: exchange text in a warning is escaped, never written raw to a terminal.
    for (const line of run.stderr().trim().split('\n')) expect(line).not.toMatch(UNSAFE);
    // The injected symbol still shows, neutralised, so a reader sees that something is wrong.
    expect(telegramText.join('\n')).toMatch(/BTCUSDT.🚨 FAKE/u);
    // No secret anywhere.
    const everything = run.stdout() + run.stderr() + telegramText.join('\n') + discordText.join('\n');
    expect(everything).not.toContain(TOKEN_SECRET);
    expect(everything).not.toContain(discord.webhookUrl().split('/').pop());
  }, 120_000);
});
