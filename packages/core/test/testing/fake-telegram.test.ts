import { afterEach, describe, expect, it, vi } from 'vitest';
import { FAKE_TELEGRAM_TOKEN, FakeTelegram, type FakeTelegramOptions } from '../../src/testing/index.js';
import { FloodControl } from '../../src/testing/telegram/flood.js';

let fake: FakeTelegram | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  fake = await FakeTelegram.start(options);
  return fake;
}

async function send(body: Record<string, unknown>, token = FAKE_TELEGRAM_TOKEN): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${fake!.apiUrl}/bot${token}/sendMessage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('FakeTelegram', () => {
  it('delivers a MarkdownV2 message and records what the user sees', async () => {
    await start();
    const reply = await send({
      chat_id: 1001,
      text: '*BINANCE 1000PEPEUSDT* \\$0\\.0000123',
      parse_mode: 'MarkdownV2',
      message_thread_id: 7,
      disable_notification: true,
      link_preview_options: { is_disabled: true },
    });
    expect(reply.status).toBe(200);
    expect(reply.json.ok).toBe(true);
    expect(fake!.messages).toEqual([
      {
        messageId: 1,
        chatId: '1001',
        text: 'BINANCE 1000PEPEUSDT $0.0000123',
        entities: [{ type: 'bold', offset: 0, length: 20 }],
        parseMode: 'MarkdownV2',
        threadId: 7,
        disableNotification: true,
        linkPreviewDisabled: true,
        raw: '*BINANCE 1000PEPEUSDT* \\$0\\.0000123',
      },
    ]);
  });

  it('holds answers on request: the chat shows the message while its sender still waits', async () => {
    await start({ rateLimit: false });
    fake!.holdReplies();
    let answered = false;
    const reply = send({ chat_id: 1001, text: 'in flight' }).then((result) => {
      answered = true;
      return result;
    });
    await vi.waitFor(() => expect(fake!.messages.map((m) => m.text)).toEqual(['in flight']));
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    fake!.releaseReplies();
    expect((await reply).status).toBe(200);
    expect((await send({ chat_id: 1001, text: 'next' })).status).toBe(200); // answered at once again
  });

  it('answers late when slow (replyDelayMs), after recording the message', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      await start({ rateLimit: false, replyDelayMs: 5_000 });
      let answered = false;
      const reply = send({ chat_id: 1001, text: 'slow' }).then((result) => {
        answered = true;
        return result;
      });
      await vi.waitFor(() => expect(fake!.messages).toHaveLength(1));
      expect(answered).toBe(false);
      await vi.advanceTimersByTimeAsync(5_000);
      expect((await reply).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });

  it('takes form bodies too', async () => {
    await start();
    const response = await fetch(`${fake!.apiUrl}/bot${FAKE_TELEGRAM_TOKEN}/sendMessage`, {
      method: 'POST',
      body: new URLSearchParams({ chat_id: '-1001234567890', text: '<b>x</b> &amp; y', parse_mode: 'HTML' }),
    });
    expect(response.status).toBe(200);
    expect(fake!.messagesTo('-1001234567890')[0]).toMatchObject({ text: 'x & y', entities: [{ type: 'bold', offset: 0, length: 1 }] });
  });

  it('answers the error catalogue like Telegram', async () => {
    await start({ forbidden: { '1002': 'Forbidden: bot was blocked by the user' }, migrated: { '-42': '-1009999' }, threads: { '1001': [3] } });
    expect(await send({ chat_id: 1001, text: 'x' }, '123:wrong')).toEqual({ status: 401, json: { ok: false, error_code: 401, description: 'Unauthorized' } });
    expect((await send({ chat_id: 555, text: 'x' })).json).toEqual({ ok: false, error_code: 400, description: 'Bad Request: chat not found' });
    expect((await send({ chat_id: 1002, text: 'x' })).json).toMatchObject({ error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    expect((await send({ chat_id: -42, text: 'x' })).json).toEqual({
      ok: false,
      error_code: 400,
      description: 'Bad Request: group chat was upgraded to a supergroup chat',
      parameters: { migrate_to_chat_id: -1009999 },
    });
    expect((await send({ chat_id: -1009999, text: 'x' })).status).toBe(200);
    expect((await send({ chat_id: 1001, text: 'x', message_thread_id: 4 })).json.description).toBe('Bad Request: message thread not found');
    expect((await send({ chat_id: 1001, text: 'Price 1.5', parse_mode: 'MarkdownV2' })).json.description).toBe(
      "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
    );
    expect((await send({ chat_id: 1001, text: '<b>x', parse_mode: 'HTML' })).json.description).toBe(
      'Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"',
    );
    expect((await send({ chat_id: 1001, text: 'a'.repeat(4097) })).json.description).toBe('Bad Request: message is too long');
    expect((await send({ chat_id: 1001, text: '\\.'.repeat(4096), parse_mode: 'MarkdownV2' })).status).toBe(200); // 4096 after parsing
    expect((await send({ chat_id: 1001, text: '  ' })).json.description).toBe('Bad Request: message text is empty');
    const notFound = await fetch(`${fake!.apiUrl}/nothing`);
    expect(notFound.status).toBe(404);
  });

  it('limits each chat and counts requests that ignore retry_after', async () => {
    await start({ rateLimit: { chat: { count: 2, windowMs: 60_000 }, retryAfter: 30 } });
    expect((await send({ chat_id: 1001, text: 'a' })).status).toBe(200);
    expect((await send({ chat_id: 1001, text: 'b' })).status).toBe(200);
    const limited = await send({ chat_id: 1001, text: 'c' });
    expect(limited).toEqual({
      status: 429,
      json: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 30', parameters: { retry_after: 30 } },
    });
    expect(fake!.retryAfterViolations).toBe(0);
    await send({ chat_id: 1001, text: 'd' }); // too early
    expect(fake!.retryAfterViolations).toBe(1);
    expect((await send({ chat_id: -1001234567890, text: 'other chat' })).status).toBe(200);
    expect(fake!.tooManyRequests).toBe(2);
  });

  it('answers whole seconds by default, like Telegram', async () => {
    await start({ rateLimit: { group: { count: 1, windowMs: 60_000 } } });
    await send({ chat_id: -1001234567890, text: 'a' });
    const limited = await send({ chat_id: -1001234567890, text: 'b' });
    expect(limited.json.parameters).toEqual({ retry_after: 60 });
  });

  it('plays scripted failures first', async () => {
    await start({ rateLimit: false });
    fake!.failNext(1, { status: 502 });
    fake!.failNext(1, { status: 429, retryAfter: 3 });
    expect((await send({ chat_id: 1001, text: 'x' })).json).toEqual({ ok: false, error_code: 502, description: 'Bad Gateway' });
    expect((await send({ chat_id: 1001, text: 'x' })).json.parameters).toEqual({ retry_after: 3 });
    expect(fake!.messages).toHaveLength(0);
    expect(fake!.requests.map((request) => request.status)).toEqual([502, 429]);
  });
});

describe('FakeTelegram: lasting failures (setFailure)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers every sendMessage 500 until cleared, delivering nothing meanwhile', async () => {
    await start();
    fake!.setFailure({ status: 500 });
    for (const chat_id of [1001, 1001, -1001234567890]) {
      expect(await send({ chat_id, text: 'x' })).toEqual({ status: 500, json: { ok: false, error_code: 500, description: 'Internal Server Error' } });
    }
    expect(fake!.messages).toEqual([]);
    expect(fake!.requests.map((request) => request.status)).toEqual([500, 500, 500]);
    fake!.setFailure(undefined);
    const reply = await send({ chat_id: 1001, text: 'back' });
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ ok: true, result: { message_id: 1, text: 'back' } });
    expect(fake!.messages.map((message) => message.text)).toEqual(['back']);
    expect(fake!.retryAfterViolations).toBe(0);
  });

  it('plays failNext answers before the lasting failure, and describes each 5xx by its own name', async () => {
    await start();
    fake!.failNext(1, { status: 502 });
    fake!.setFailure({ status: 500 });
    expect((await send({ chat_id: 1001, text: 'x' })).json.error_code).toBe(502);
    expect((await send({ chat_id: 1001, text: 'x' })).json.error_code).toBe(500);
    expect((await send({ chat_id: 1001, text: 'x' })).json.error_code).toBe(500);
    expect(fake!.messages).toEqual([]);
    fake!.setFailure({ status: 503 });
    expect((await send({ chat_id: 1001, text: 'x' })).json).toEqual({ ok: false, error_code: 503, description: 'Service Unavailable' });
  });

  it('answers every sendMessage 429 with parameters.retry_after, in every chat, until cleared', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    await start();
    fake!.setFailure({ status: 429, retryAfter: 5 });
    const limited = { status: 429, json: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 5', parameters: { retry_after: 5 } } };
    expect(await send({ chat_id: 1001, text: 'a' })).toEqual(limited);
    expect(await send({ chat_id: -1001234567890, text: 'b' })).toEqual(limited);
    expect(fake!.messages).toEqual([]);
    expect(fake!.tooManyRequests).toBe(2);
    expect(fake!.retryAfterViolations).toBe(0); // one request per chat: nobody came back early
    fake!.setFailure(undefined);
    vi.advanceTimersByTime(5_000);
    expect((await send({ chat_id: 1001, text: 'c' })).status).toBe(200);
    expect((await send({ chat_id: -1001234567890, text: 'd' })).status).toBe(200);
    expect(fake!.messages.map((message) => message.text)).toEqual(['c', 'd']);
    expect(fake!.retryAfterViolations).toBe(0);
  });

  it('counts a request that comes back before retry_after as a violation, not one that waited it out', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    await start();
    fake!.setFailure({ status: 429, retryAfter: 2 });
    expect((await send({ chat_id: 1001, text: 'x' })).status).toBe(429);
    vi.advanceTimersByTime(1_000);
    expect((await send({ chat_id: 1001, text: 'x' })).status).toBe(429); // 1 s early
    expect(fake!.retryAfterViolations).toBe(1);
    vi.advanceTimersByTime(2_000); // the early request banned the chat again: wait from there
    expect((await send({ chat_id: 1001, text: 'x' })).status).toBe(429);
    expect(fake!.retryAfterViolations).toBe(1);
    expect(fake!.tooManyRequests).toBe(3);
    expect(fake!.messages).toEqual([]);
  });

  it('keeps the last ban after clearing: an early request is refused and counted, a patient one delivered', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    await start();
    fake!.setFailure({ status: 429, retryAfter: 3 });
    await send({ chat_id: 1001, text: 'x' });
    fake!.setFailure(undefined);
    vi.advanceTimersByTime(1_000);
    const early = await send({ chat_id: 1001, text: 'early' });
    expect(early.status).toBe(429);
    expect(early.json.parameters).toEqual({ retry_after: 2 });
    expect(fake!.retryAfterViolations).toBe(1);
    vi.advanceTimersByTime(2_000);
    expect((await send({ chat_id: 1001, text: 'patient' })).status).toBe(200);
    expect(fake!.messages.map((message) => message.text)).toEqual(['patient']);
    expect(fake!.retryAfterViolations).toBe(1);
  });
});

describe('FloodControl.checkBan', () => {
  it('is true (and counts) only while a chat is banned, with 1 ms of slack', () => {
    let now = 10_000;
    const flood = new FloodControl({}, () => now);
    expect(flood.checkBan('1001')).toBe(false); // never banned
    flood.ban('1001', 2);
    expect(flood.tooManyRequests).toBe(1);
    now += 1_000;
    expect(flood.checkBan('1001')).toBe(true);
    expect(flood.checkBan('-100')).toBe(false); // another chat
    expect(flood.violations).toBe(1);
    now = 10_000 + 1_999; // within the slack of the end
    expect(flood.checkBan('1001')).toBe(false);
    now = 10_000 + 2_000;
    expect(flood.checkBan('1001')).toBe(false);
    expect(flood.violations).toBe(1);
    expect(flood.tooManyRequests).toBe(1); // checking does not ban
  });
});
