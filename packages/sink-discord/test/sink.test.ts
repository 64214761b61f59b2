import { DISCORD_LIMITS, discordMessageLength, HttpHeaders, type CascadeAlert, type DiscordMessage } from '@liqmon/core';
import { FakeDiscord } from '@liqmon/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { alert, errorText, liquidation, logText, makeSink, sendError, T0 } from './helpers.js';

let fake: FakeDiscord | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
const start = async (options: Parameters<typeof FakeDiscord.start>[0] = {}) => (fake = await FakeDiscord.start(options));
const signal = () => new AbortController().signal;

describe('exchange text', () => {
  it('reaches the channel as data: no injected line, no control, bidi or zero-width character', async () => {
    const d = await start();
    const { sink } = makeSink({ webhookUrl: d.webhookUrl() });
    const symbol = 'BTCUSDT\n🚨 FAKE: exchange hacked, withdraw now\u202e\u200b\u001b]0;x\u0007\u009b2J';
    const message = sink.render([alert(0, { symbol })]);
    await sink.send(message, 'default', signal());
    const body = JSON.stringify(d.messages[0]?.embeds);
    expect(body).not.toMatch(/\\n🚨/);
    // eslint-disable-next-line no-control-regex -- finding control characters is the test
    expect(body).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e]/);
    const preview = sink.preview?.(message) ?? '';
    expect(preview.split('\n').some((line) => line.startsWith('🚨'))).toBe(false);
    expect(preview).toContain('BTCUSDT\ufffd🚨 FAKE: exchange hacked, withdraw now\ufffd');
  });
});

describe('request', () => {
  it('posts embeds to the webhook with ?wait=true, thread_id, username, avatar and no mentions', async () => {
    const d = await start();
    const { sink } = makeSink({ webhookUrl: d.webhookUrl(), threadId: '1234567890123456789', username: 'liqmon', avatarUrl: 'https://example.com/a.png' });
    await sink.send(sink.render([alert(0)]), 'default', signal());
    expect(d.requests).toMatchObject([{ method: 'POST', version: undefined, query: { wait: 'true', thread_id: '1234567890123456789' }, status: 200 }]);
    const [message] = d.messages;
    expect(message).toMatchObject({ threadId: '1234567890123456789', username: 'liqmon', avatarUrl: 'https://example.com/a.png' });
    expect(message?.body.allowed_mentions).toEqual({ parse: [] });
    expect(message?.embeds).toEqual([
      {
        title: '🟠 BINANCE BTCUSDT Long liquidated $129K',
        description: '💀',
        color: 0xe74c3c,
        timestamp: '2024-06-01T12:34:56.000Z',
        fields: [
          { name: 'Exchange', value: 'BINANCE', inline: true },
          { name: 'Avg fill price', value: '$64,250.1', inline: true },
          { name: 'Size', value: '2 BTC', inline: true },
          { name: 'Time', value: '12\\:34\\:56 UTC', inline: true },
        ],
        footer: { text: 'rule majors' },
      },
    ]);
  });

  it('works on versioned URLs and without the optional options', async () => {
    const d = await start();
    const { sink } = makeSink({ webhookUrl: `${d.webhookUrl({ version: 10 })}/` });
    await sink.send(sink.render([alert(1)]), 'default', signal());
    expect(d.requests[0]).toMatchObject({ version: 10, query: { wait: 'true' }, status: 200 });
    expect(d.messages[0]?.body).not.toHaveProperty('username');
    expect(d.messages[0]?.embeds[0]?.color).toBe(0x2ecc71); // a short
  });

  it('declares merging limits: at most 10 embeds and 6000 characters per message', () => {
    const { sink } = makeSink({ webhookUrl: 'https://discord.com/api/webhooks/1/token-abc' });
    expect(sink.limits).toEqual({ maxMessageSize: 6000, maxAlertsPerMessage: 10 });
    expect(sink.measure?.({ embeds: [{ title: '💀'.repeat(10), color: 0, timestamp: '', fields: [{ name: 'ab', value: 'cd', inline: true }] }] })).toBe(14);
  });
});

describe('Discord limits', () => {
  it('delivers alerts with absurdly long symbols and a cascade with dozens of exchanges', async () => {
    const d = await start({ buckets: [] });
    const { sink } = makeSink({ webhookUrl: d.webhookUrl() });
    const long = alert(2, { symbol: `${'PEPE_'.repeat(400)}USDT`, base: 'P💀'.repeat(300) });
    const cascade: CascadeAlert = {
      kind: 'cascade',
      rule: 'cascades',
      events: [],
      createdAt: T0,
      key: { base: 'BTC', side: 'long' },
      windowMs: 60_000,
      count: 900,
      totalUsd: 9e8,
      byExchange: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`exchange_${i}_${'x'.repeat(300)}`, { count: 15, notionalUsd: 1.5e7 }])),
      largest: liquidation(3),
      firstTime: T0,
      lastTime: T0 + 59_000,
    };
    for (const alerts of [[long], [cascade], Array.from({ length: 10 }, (_, i) => alert(i, { symbol: 'X_'.repeat(120) }))]) {
      const message = sink.render(alerts);
      await sink.send(message, 'default', signal());
    }
    expect(d.requests.map((r) => r.status)).toEqual([200, 200, 200]);
    // 60 exchanges: cut to what fits 25 fields and 6000 characters in all, rather than refused.
    expect(d.messages[1]?.embeds[0]?.fields?.length).toBeGreaterThan(3);
    expect(d.messages[1]?.embeds[0]?.fields?.length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    for (const m of d.messages) expect(discordMessageLength(m as DiscordMessage)).toBeLessThanOrEqual(DISCORD_LIMITS.total);
    expect(d.messages[2]?.embeds).toHaveLength(10);
  });
});

describe('errors', () => {
  it('401 (wrong token) is fatal, with how to get a new URL, and no token anywhere', async () => {
    const d = await start();
    const badToken = 'wrong-token-abcdefghijklmnop';
    const { sink, lines } = makeSink({ webhookUrl: d.webhookUrl({ webhook: { id: FakeDiscord.DEFAULT_WEBHOOK.id, token: badToken } }) });
    const error = await sendError(sink, sink.render([alert(0)]));
    expect(error).toMatchObject({ kind: 'fatal', status: 401 });
    expect(error.message).toBe('Discord refused the webhook token (401 Invalid Webhook Token, code 50027): the webhook URL is wrong or its token was reset');
    expect(error.hint).toContain('Copy Webhook URL');
    expect(errorText(error) + logText(lines)).not.toContain(badToken);
  });

  it('404 Unknown Webhook (10015) is fatal', async () => {
    const d = await start();
    const { sink } = makeSink({ webhookUrl: d.webhookUrl({ webhook: { id: '404404', token: 'gone-token-123456' } }) });
    const error = await sendError(sink, sink.render([alert(0)]));
    expect(error).toMatchObject({ kind: 'fatal', status: 404, message: 'Discord says the webhook does not exist (deleted, or the URL is mistyped) (404 Unknown Webhook, code 10015)' });
  });

  it('400 Invalid Form Body is rejected with Discord field errors in the message', async () => {
    const d = await start();
    const { sink } = makeSink({ webhookUrl: d.webhookUrl() });
    const broken: DiscordMessage = { embeds: [{ title: 'x'.repeat(300), color: 0, timestamp: new Date(T0).toISOString(), fields: [{ name: 'n', value: 'v'.repeat(1100), inline: true }] }] };
    const error = await sendError(sink, broken);
    expect(error).toMatchObject({ kind: 'rejected', status: 400 });
    expect(error.message).toBe(
      'Discord refused the message (400 Invalid Form Body, code 50035): embeds.0.title: Must be 256 or fewer in length. (BASE_TYPE_MAX_LENGTH); embeds.0.fields.0.value: Must be 1024 or fewer in length. (BASE_TYPE_MAX_LENGTH)',
    );
    expect(error.hint).toContain('liqmon bug');
  });

  it.each([500, 502])('%i is retryable', async (status) => {
    const d = await start();
    d.failNext(1, status);
    const { sink } = makeSink({ webhookUrl: d.webhookUrl() });
    const error = await sendError(sink, sink.render([alert(0)]));
    expect(error).toMatchObject({ kind: 'retryable', status });
    expect(error.message).toMatch(/^Discord had a server error \(50\d/);
    await sink.send(sink.render([alert(0)]), 'default', signal());
    expect(d.messages).toHaveLength(1);
  });

  it('a network error is retryable and says why, without the URL', async () => {
    const d = await start();
    const url = d.webhookUrl();
    await d.close();
    fake = undefined;
    const { sink } = makeSink({ webhookUrl: url });
    const error = await sendError(sink, sink.render([alert(0)]));
    expect(error).toMatchObject({ kind: 'retryable', message: 'could not reach Discord (ECONNREFUSED)' });
    expect(errorText(error)).not.toContain(FakeDiscord.DEFAULT_WEBHOOK.token);
  });
});

describe('answers the fake does not give', () => {
  const answer = (status: number, body: unknown, extra: Record<string, string> = {}) =>
    makeSink({ webhookUrl: 'https://discord.com/api/webhooks/123/secret-token-123456', threadId: '42' }, {
      request: async () => ({ status, statusText: '', ok: status < 300, headers: new HttpHeaders(extra), text: typeof body === 'string' ? body : JSON.stringify(body) }),
    });

  it.each([
    [403, { message: 'Missing Access', code: 50001 }, 'fatal', 'Discord forbids this webhook to post (403 Missing Access, code 50001)'],
    [404, { message: 'Unknown Channel', code: 10003 }, 'fatal', 'Discord does not know thread 42 (404 Unknown Channel, code 10003)'],
    [400, { message: 'Webhooks posted to forum channels must have a thread_name or thread_id', code: 220001 }, 'fatal', 'Discord needs a thread to post in this forum channel (400 Webhooks posted to forum channels must have a thread_name or thread_id, code 220001)'],
    [413, { message: 'Request entity too large', code: 40005 }, 'rejected', 'Discord refused the message (413 Request entity too large, code 40005)'],
    [503, '<html>Service Unavailable</html>', 'retryable', 'Discord had a server error (503)'],
    [429, '<html>Cloudflare</html>', 'retryable', 'Discord rate limit hit (429, per-webhook, retry after 7.0 s)'],
  ])('%i %j is %s', async (status, body, kind, message) => {
    const { sink } = answer(status, body, status === 429 ? { 'retry-after': '7' } : {});
    const error = await sendError(sink, sink.render([alert(0)]));
    expect(error).toMatchObject({ kind, status, message });
    expect(errorText(error)).not.toContain('secret-token-123456');
  });
});

describe('429', () => {
  it('reads retry_after as milliseconds on an unversioned URL', async () => {
    const d = await start();
    d.rateLimitNext({ retryAfterMs: 1234 });
    const { sink } = makeSink({ webhookUrl: d.webhookUrl() });
    const error = await sendError(sink, sink.render([alert(0)]));
    expect(error).toMatchObject({ kind: 'retryable', status: 429, retryAfterMs: 1234, rateLimited: true });
    expect(error.message).toBe('Discord rate limit hit (429, per-webhook, retry after 1.2 s)');
  });

  it('reads retry_after as seconds on a versioned URL, and says when the limit is global', async () => {
    const d = await start();
    d.rateLimitNext({ retryAfterMs: 1234, global: true });
    const { sink } = makeSink({ webhookUrl: d.webhookUrl({ version: 10 }) });
    const error = await sendError(sink, sink.render([alert(0)]));
    expect(error).toMatchObject({ kind: 'retryable', retryAfterMs: 1234, message: 'Discord rate limit hit (429, global, retry after 1.2 s)' });
  });

  it("holds the next send back for the 429's retry-after", async () => {
    let now = 1_000_000;
    const d = await start();
    d.rateLimitNext({ retryAfterMs: 60_000 });
    const { sink } = makeSink({ webhookUrl: d.webhookUrl() }, { now: () => now });
    expect((await sendError(sink, sink.render([alert(0)]))).retryAfterMs).toBe(60_000);
    now += 30_000; // the outbox waits the full retry-after; a send before that is refused without a request
    expect((await sendError(sink, sink.render([alert(0)]))).retryAfterMs).toBe(30_000);
    expect(d.requests).toHaveLength(1);
    now += 30_000;
    await sink.send(sink.render([alert(0)]), 'default', signal());
    expect(d.messages).toHaveLength(1);
  });
});

describe('pacing by the rate-limit headers', () => {
  it('waits before the limit instead of running into it: no 429 for a run of sends', async () => {
    const d = await start({ buckets: [{ limit: 2, windowMs: 250 }] });
    const { sink } = makeSink({ webhookUrl: d.webhookUrl() });
    for (let i = 0; i < 7; i++) await sink.send(sink.render([alert(i)]), 'default', signal());
    expect(d.messages).toHaveLength(7);
    expect(d.rateLimited).toBe(0);
    // Two per window: the third message came a full window after the first.
    const at = d.messages.map((m) => m.receivedAt);
    expect(at[2]! - at[0]!).toBeGreaterThanOrEqual(250);
  });

  it('hands a long wait (the channel limit) to the outbox as a retry-after, without a request', async () => {
    const d = await start({ buckets: [{ limit: 1, windowMs: 60_000, scope: 'shared' }] });
    const { sink } = makeSink({ webhookUrl: d.webhookUrl() });
    await sink.send(sink.render([alert(0)]), 'default', signal());
    const error = await sendError(sink, sink.render([alert(1)]));
    expect(error.kind).toBe('retryable');
    expect(error.rateLimited).toBe(true); // a wait, not a failed try
    expect(error.retryAfterMs).toBeGreaterThan(55_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_100);
    expect(error.message).toMatch(/^Discord's rate limit for this webhook is used up; the next message goes in \d+\.\d s, with the alerts that wait merged into it$/);
    expect(d.requests).toHaveLength(1);
    expect(d.rateLimited).toBe(0);
  });
});

describe('secrets', () => {
  it('registers the webhook URL and its token as secrets', async () => {
    const d = await start();
    const { secrets } = makeSink({ webhookUrl: d.webhookUrl() });
    expect(secrets).toContain(d.webhookUrl());
    expect(secrets).toContain(FakeDiscord.DEFAULT_WEBHOOK.token);
  });
});
