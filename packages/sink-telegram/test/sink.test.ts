import { createServer } from 'node:net';
import { FakeTelegram, type FakeTelegramOptions } from '@liqmon/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { alert, createSink, FAKE_TELEGRAM_TOKEN, failureOf } from './helpers.js';

let fake: FakeTelegram | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  fake = await FakeTelegram.start({ rateLimit: false, ...options });
  return fake;
}

const signal = () => new AbortController().signal;

describe('sending', () => {
  it('posts sendMessage with exactly the parameters Telegram documents, and the chat shows the plain alert', async () => {
    await start({ threads: { '-1001234567890': [42] } });
    const { sink } = createSink(fake!, { chatId: -1001234567890, threadId: 42, disableNotification: true });
    expect(sink.destinations).toEqual(['-1001234567890']);
    const text = sink.render([alert({ symbol: '1000PEPEUSDT', base: '1000PEPE', price: 0.0000123, notionalUsd: 1_250_000 })]);
    await sink.send(text, '-1001234567890', signal());
    expect(fake!.requests).toHaveLength(1);
    expect(fake!.requests[0]!.params).toEqual({
      chat_id: '-1001234567890',
      text,
      parse_mode: 'MarkdownV2',
      link_preview_options: { is_disabled: true },
      message_thread_id: 42,
      disable_notification: true,
    });
    const [message] = fake!.messages;
    expect(message!.text).toBe(
      '⚪ BINANCE 1000PEPEUSDT Long liquidated $1.25M ☠️💀💀\nAvg fill price $0.0000123 · 102B 1000PEPE · 12:34:57 UTC',
    );
    expect(message!.entities).toEqual([{ type: 'bold', offset: 2, length: 43 }]);
    expect(message).toMatchObject({ threadId: 42, disableNotification: true, linkPreviewDisabled: true });
    expect(sink.preview?.(text)).toBe(message!.text); // what `replay` and `--dry-run` print
  });

  it.each(['MarkdownV2', 'HTML'])('shows exchange text as data in %s: no injected line, no control, bidi or zero-width character', async (parseMode) => {
    await start();
    const { sink } = createSink(fake!, { parseMode });
    const symbol = 'BTCUSDT\n🚨 FAKE: exchange hacked, withdraw now\u202e\u200b\u001b]0;x\u0007\u009b2J';
    await sink.send(sink.render([alert({ symbol })]), '1001', signal());
    const text = fake!.messages[0]!.text;
    expect(text.split('\n')).toHaveLength(2);
    expect(text.split('\n').some((line) => line.startsWith('🚨'))).toBe(false);
    // eslint-disable-next-line no-control-regex -- finding control characters is the test
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e]/);
  });

  it('leaves out thread and silence when not configured', async () => {
    await start();
    const { sink } = createSink(fake!);
    await sink.send(sink.render([alert()]), '1001', signal());
    expect(Object.keys(fake!.requests[0]!.params).sort()).toEqual(['chat_id', 'link_preview_options', 'parse_mode', 'text']);
  });

  it('renders and sends HTML when parseMode is HTML', async () => {
    await start();
    const { sink } = createSink(fake!, { parseMode: 'HTML' });
    const text = sink.render([alert({ symbol: 'a.b-c!d#e|f\\g[h](i)<&>' })]);
    expect(text).toContain('<b>');
    await sink.send(text, '1001', signal());
    expect(fake!.messages[0]).toMatchObject({ parseMode: 'HTML' });
    expect(fake!.messages[0]!.text).toContain('BINANCE a.b-c!d#e|f\\g[h](i)<&> Long liquidated');
  });

  it('measures what Telegram counts and sizes merges for 4096 characters', async () => {
    await start();
    const { sink } = createSink(fake!);
    const text = sink.render([alert({ symbol: 'BTCUSDT_251226' }), alert()]);
    await sink.send(text, '1001', signal());
    expect(sink.measure!(text)).toBe(fake!.messages[0]!.text.length);
    expect(sink.limits).toEqual({ maxMessageSize: 4096, maxAlertsPerMessage: 20 });
  });
});

describe('Telegram errors', () => {
  it('401: fatal, says to check TELEGRAM_BOT_TOKEN with @BotFather, never shows the token', async () => {
    await start({ token: '999:another-token-entirely-aaaaaaaaaaaa' });
    const { sink } = createSink(fake!);
    const error = await failureOf(sink.send('x', '1001', signal()));
    expect(error).toMatchObject({ kind: 'fatal', status: 401 });
    expect(error.message).toBe('Telegram answered 401 "Unauthorized" for chat 1001: the bot token is wrong or was revoked');
    expect(error.hint).toMatch(/TELEGRAM_BOT_TOKEN.*@BotFather/);
    expect(JSON.stringify(error) + error.message + error.hint).not.toContain(FAKE_TELEGRAM_TOKEN.split(':')[1]);
  });

  it('400 chat not found: fatal, with how to find and enable the chat', async () => {
    await start();
    const { sink } = createSink(fake!, { chatId: '777' });
    const error = await failureOf(sink.send('x', '777', signal()));
    expect(error).toMatchObject({ kind: 'fatal', status: 400, message: 'Telegram answered 400 "Bad Request: chat not found" for chat 777' });
    expect(error.hint).toMatch(/chatId.*\/start/);
  });

  it.each([
    ['Forbidden: bot was blocked by the user', /unblock/],
    ['Forbidden: bot was kicked from the supergroup chat', /add it back/],
    ['Forbidden: bot is not a member of the channel chat', /add it back/],
    ["Forbidden: bot can't initiate conversation with a user", /press Start/],
  ])('403 %s: fatal with a hint', async (description, hint) => {
    await start({ forbidden: { '1002': description } });
    const { sink } = createSink(fake!, { chatId: '1002' });
    const error = await failureOf(sink.send('x', '1002', signal()));
    expect(error).toMatchObject({ kind: 'fatal', status: 403 });
    expect(error.message).toContain(description);
    expect(error.hint).toMatch(hint);
  });

  it("400 can't parse entities: rejected (our bug), Telegram's description logged", async () => {
    await start();
    const { sink, lines } = createSink(fake!);
    const error = await failureOf(sink.send('Price 1.5', '1001', signal()));
    expect(error.kind).toBe('rejected');
    expect(error.message).toContain("can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'");
    expect(lines.some((line) => line.level === 50 && String(line.msg).includes("Character '.' is reserved"))).toBe(true);
  });

  it('400 message thread not found: fatal, about threadId', async () => {
    await start({ threads: { '1001': [1] } });
    const { sink } = createSink(fake!, { threadId: 5 });
    const error = await failureOf(sink.send('x', '1001', signal()));
    expect(error).toMatchObject({ kind: 'fatal' });
    expect(error.hint).toMatch(/threadId/);
  });

  it('other 400s are rejected', async () => {
    await start();
    const { sink } = createSink(fake!);
    expect(await failureOf(sink.send('a'.repeat(5000), '1001', signal()))).toMatchObject({ kind: 'rejected', status: 400 });
  });

  it('404 (no such bot): fatal, about the token', async () => {
    await start();
    const { sink } = createSink({ apiUrl: `${fake!.apiUrl}/nothing/here` });
    const error = await failureOf(sink.send('x', '1001', signal()));
    expect(error).toMatchObject({ kind: 'fatal', status: 404 });
    expect(error.hint).toMatch(/@BotFather/);
  });

  it('5xx: retryable', async () => {
    await start();
    fake!.failNext(1, { status: 500 });
    fake!.failNext(1, { status: 502 });
    const { sink } = createSink(fake!);
    expect(await failureOf(sink.send('x', '1001', signal()))).toMatchObject({ kind: 'retryable', status: 500 });
    expect(await failureOf(sink.send('x', '1001', signal()))).toMatchObject({ kind: 'retryable', status: 502 });
    await sink.send('x', '1001', signal());
    expect(fake!.messages).toHaveLength(1);
  });

  it('429: retryable after exactly retry_after seconds', async () => {
    await start();
    fake!.failNext(1, { status: 429, retryAfter: 7 });
    const { sink } = createSink(fake!);
    const error = await failureOf(sink.send('x', '1001', signal()));
    expect(error).toMatchObject({ kind: 'retryable', status: 429, retryAfterMs: 7000, rateLimited: true });
    expect(error.message).toContain('Too Many Requests: retry after 7');
  });

  it('network errors: retryable, naming only the API origin', async () => {
    const port = await closedPort();
    const { sink } = createSink({ apiUrl: `http://127.0.0.1:${port}` });
    const error = await failureOf(sink.send('x', '1001', signal()));
    expect(error.kind).toBe('retryable');
    expect(error.message).toBe(`cannot reach the Telegram Bot API at http://127.0.0.1:${port}: ECONNREFUSED`);
  });

  it('a shutdown abort is passed through, not turned into a delivery error', async () => {
    await start();
    const { sink } = createSink(fake!);
    const controller = new AbortController();
    controller.abort(new Error('shutdown deadline reached'));
    await expect(sink.send('x', '1001', controller.signal)).rejects.toThrow('shutdown deadline reached');
  });
});

describe('migrated groups', () => {
  it('follow migrate_to_chat_id, deliver the same message there, warn once to update the config', async () => {
    await start({ migrated: { '-42': '-1009999' } });
    const { sink, lines } = createSink(fake!, { chatId: '-42' });
    await sink.send(sink.render([alert()]), '-42', signal());
    await sink.send(sink.render([alert()]), '-42', signal());
    expect(fake!.messages.map((message) => message.chatId)).toEqual(['-1009999', '-1009999']);
    expect(fake!.requests.map((request) => request.params.chat_id)).toEqual(['-42', '-1009999', '-1009999']);
    const warnings = lines.filter((line) => line.level === 40 && String(line.msg).includes('upgraded to a supergroup'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toContain('Update chatId in your config (TELEGRAM_CHAT_ID) to -1009999');
  });
});

describe('secrets', () => {
  it('registers the token and its parts, and no log line or error ever contains them', async () => {
    await start({ token: '999:another-token-entirely-aaaaaaaaaaaa', forbidden: { '1002': 'Forbidden: bot was blocked by the user' } });
    const { sink, secrets, logText } = createSink(fake!, { chatId: ['1001', '1002'] });
    expect(secrets).toEqual(expect.arrayContaining([FAKE_TELEGRAM_TOKEN, `bot${FAKE_TELEGRAM_TOKEN}`, FAKE_TELEGRAM_TOKEN.split(':')[1]]));
    const errors = [
      await failureOf(sink.send('x', '1001', signal())),
      await failureOf(sink.send('Price 1.5', '1002', signal())),
      await failureOf(createSink({ apiUrl: `http://127.0.0.1:${await closedPort()}` }).sink.send('x', '1001', signal())),
    ];
    const everything = [logText(), ...errors.map((e) => `${e.message} ${e.hint ?? ''} ${JSON.stringify(e)}`)].join('\n');
    expect(everything).not.toContain(FAKE_TELEGRAM_TOKEN.split(':')[1]);
  });

  it('warns (without the value) when the token does not look like one from @BotFather', async () => {
    await start();
    const { lines } = createSink(fake!, { token: 'not a token value' });
    const warning = lines.find((line) => line.level === 40);
    expect(warning?.msg).toContain('does not look like a bot token');
    expect(JSON.stringify(lines)).not.toContain('not a token value');
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
