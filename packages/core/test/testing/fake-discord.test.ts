import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeDiscord, type FakeDiscordOptions } from '../../src/testing/index.js';

let fake: FakeDiscord | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  fake = await FakeDiscord.start(options);
  return fake;
}

async function post(url: string, body: unknown) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text.startsWith('<') ? '{}' : text) as Record<string, unknown>) : {}, text };
}

const embed = (over: Record<string, unknown> = {}) => ({ title: 'BTCUSDT Long liquidated $1.25M', color: 0xe74c3c, timestamp: '2024-06-01T12:34:56.000Z', fields: [], ...over });

describe('FakeDiscord: execute webhook', () => {
  it('accepts a message with ?wait=true, returns it, records what the user sees, with rate-limit headers', async () => {
    const d = await start();
    const res = await post(`${d.webhookUrl()}?wait=true&thread_id=777`, { embeds: [embed()], username: 'liqmon' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ webhook_id: FakeDiscord.DEFAULT_WEBHOOK.id, embeds: [embed()] });
    expect(d.messages).toMatchObject([{ threadId: '777', username: 'liqmon', embeds: [embed()] }]);
    expect(res.headers.get('x-ratelimit-limit')).toBe('5');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('4');
    expect(Number(res.headers.get('x-ratelimit-reset-after'))).toBeGreaterThan(0);
    expect(Number(res.headers.get('x-ratelimit-reset-after'))).toBeLessThanOrEqual(2);
    expect(res.headers.get('x-ratelimit-bucket')).toBeTruthy();
    expect((await post(d.webhookUrl({ version: 10 }), { embeds: [embed()] })).status).toBe(204);
  });

  it('answers 404 Unknown Webhook and 401 Invalid Webhook Token like Discord', async () => {
    const d = await start();
    const unknown = await post(d.webhookUrl({ webhook: { id: '42', token: 'whatever-token' } }), { content: 'x' });
    expect(unknown).toMatchObject({ status: 404, body: { message: 'Unknown Webhook', code: 10015 } });
    const wrong = await post(d.webhookUrl({ webhook: { id: FakeDiscord.DEFAULT_WEBHOOK.id, token: 'not-the-token' } }), { content: 'x' });
    expect(wrong).toMatchObject({ status: 401, body: { message: 'Invalid Webhook Token', code: 50027 } });
    d.deleteWebhook(FakeDiscord.DEFAULT_WEBHOOK.id);
    expect((await post(d.webhookUrl({ webhook: FakeDiscord.DEFAULT_WEBHOOK }), { content: 'x' })).status).toBe(404);
    expect(d.messages).toEqual([]);
  });
});

describe('FakeDiscord: limits, in code points, as Invalid Form Body', () => {
  const cases: [string, unknown, unknown][] = [
    ['content over 2000', { content: 'x'.repeat(2001) }, { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } }],
    ['more than 10 embeds', { embeds: Array.from({ length: 11 }, () => embed()) }, { embeds: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } }],
    ['a title over 256', { embeds: [embed({ title: 'x'.repeat(257) })] }, { embeds: { 0: { title: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 256 or fewer in length.' }] } } } }],
    ['a description over 4096', { embeds: [embed({ description: 'x'.repeat(4097) })] }, { embeds: { 0: { description: { _errors: [{}] } } } }],
    ['26 fields', { embeds: [embed({ fields: Array.from({ length: 26 }, () => ({ name: 'a', value: 'b' })) })] }, { embeds: { 0: { fields: { _errors: [{}] } } } }],
    ['a field name over 256', { embeds: [embed({ fields: [{ name: 'n'.repeat(257), value: 'v' }] })] }, { embeds: { 0: { fields: { 0: { name: { _errors: [{}] } } } } } }],
    ['a field value over 1024', { embeds: [embed({ fields: [{ name: 'n', value: 'v'.repeat(1025) }] })] }, { embeds: { 0: { fields: { 0: { value: { _errors: [{}] } } } } } }],
    ['an empty field value', { embeds: [embed({ fields: [{ name: 'n', value: '' }] })] }, { embeds: { 0: { fields: { 0: { value: { _errors: [{ code: 'BASE_TYPE_REQUIRED' }] } } } } } }],
    ['a footer over 2048', { embeds: [embed({ footer: { text: 'f'.repeat(2049) } })] }, { embeds: { 0: { footer: { text: { _errors: [{}] } } } } }],
    ['an author over 256', { embeds: [embed({ author: { name: 'a'.repeat(257) } })] }, { embeds: { 0: { author: { name: { _errors: [{}] } } } } }],
    ['over 6000 in total', { embeds: Array.from({ length: 2 }, () => embed({ description: 'd'.repeat(3100) })) }, { embeds: { _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED' }] } }],
    ['a bad timestamp', { embeds: [embed({ timestamp: 'yesterday' })] }, { embeds: { 0: { timestamp: { _errors: [{}] } } } }],
    ['a username over 80', { content: 'x', username: 'u'.repeat(81) }, { username: { _errors: [{}] } }],
  ];
  it.each(cases)('refuses %s', async (_, body, errors) => {
    const d = await start({ buckets: [] });
    const res = await post(d.webhookUrl(), body);
    expect(res).toMatchObject({ status: 400, body: { message: 'Invalid Form Body', code: 50035, errors } });
    expect(d.messages).toEqual([]);
  });

  it('counts code points, not UTF-16 units: 256 emoji make a valid title', async () => {
    const d = await start({ buckets: [] });
    expect((await post(d.webhookUrl(), { embeds: [embed({ title: '💀'.repeat(256) })] })).status).toBe(204);
    expect((await post(d.webhookUrl(), { embeds: [embed({ title: '💀'.repeat(257) })] })).status).toBe(400);
  });

  it('refuses an empty message and invalid JSON with their own codes', async () => {
    const d = await start({ buckets: [] });
    expect((await post(d.webhookUrl(), { embeds: [] })).body).toEqual({ message: 'Cannot send an empty message', code: 50006 });
    const res = await fetch(d.webhookUrl(), { method: 'POST', body: '{' });
    expect(await res.json()).toMatchObject({ code: 50109 });
  });
});

describe('FakeDiscord: rate limits and scripted failures', () => {
  it('answers 429 over a bucket: retry_after in ms on unversioned URLs, in seconds on /v10, Retry-After in seconds', async () => {
    const d = await start({ buckets: [{ limit: 2, windowMs: 60_000 }] });
    const first = await post(d.webhookUrl(), { content: 'a' });
    const second = await post(d.webhookUrl(), { content: 'b' });
    expect([first.headers.get('x-ratelimit-remaining'), second.headers.get('x-ratelimit-remaining')]).toEqual(['1', '0']);
    const unversioned = await post(d.webhookUrl(), { content: 'c' });
    const versioned = await post(d.webhookUrl({ version: 10 }), { content: 'c' });
    expect(unversioned.status).toBe(429);
    expect(unversioned.body.retry_after).toBeGreaterThan(59_000); // ms
    expect(versioned.body.retry_after).toBeGreaterThan(59); // s
    expect(versioned.body.retry_after).toBeLessThanOrEqual(60);
    expect(unversioned.headers.get('retry-after')).toBe('60');
    expect(unversioned.body.global).toBe(false);
    expect(d.messages.map((m) => m.content)).toEqual(['a', 'b']);
    expect(d.rateLimited).toBe(2);
  });

  it('shares a channel bucket between webhooks and reports the tightest bucket', async () => {
    const other = { id: '998877', token: 'other-webhook-token' };
    const d = await start({ webhooks: [FakeDiscord.DEFAULT_WEBHOOK, other], buckets: [{ limit: 5, windowMs: 60_000 }, { limit: 3, windowMs: 60_000, scope: 'shared' }] });
    const remaining = [];
    for (const webhook of [FakeDiscord.DEFAULT_WEBHOOK, other, other]) {
      remaining.push((await post(d.webhookUrl({ webhook }), { content: 'x' })).headers.get('x-ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const res = await post(d.webhookUrl(), { content: 'x' });
    expect(res.status).toBe(429);
    expect(res.headers.get('x-ratelimit-scope')).toBe('shared');
  });

  it('plays scripted 5xx and 429s, then answers normally', async () => {
    const d = await start();
    d.failNext(1, 500);
    d.failNext(1, 502);
    d.rateLimitNext({ retryAfterMs: 1500 });
    d.rateLimitNext({ retryAfterMs: 1500, global: true });
    const url = d.webhookUrl();
    expect(await post(url, { content: 'x' })).toMatchObject({ status: 500, body: { code: 0 } });
    const gateway = await post(url, { content: 'x' });
    expect(gateway.status).toBe(502);
    expect(gateway.text).toContain('<html>');
    expect(await post(url, { content: 'x' })).toMatchObject({ status: 429, body: { retry_after: 1500, global: false } });
    const global = await post(d.webhookUrl({ version: 10 }), { content: 'x' });
    expect(global).toMatchObject({ status: 429, body: { retry_after: 1.5, global: true } });
    expect(global.headers.get('x-ratelimit-global')).toBe('true');
    expect((await post(url, { content: 'x' })).status).toBe(204);
    expect(d.requests.map((r) => r.status)).toEqual([500, 502, 429, 429, 204]);
  });
});

describe('FakeDiscord: lasting failures (setFailure) and retry-after violations', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers every request 500 until cleared, recording nothing meanwhile', async () => {
    const d = await start();
    d.setFailure({ status: 500 });
    for (const url of [`${d.webhookUrl()}?wait=true`, d.webhookUrl({ version: 10 }), d.webhookUrl()]) {
      expect(await post(url, { content: 'x' })).toMatchObject({ status: 500, body: { message: '500: Internal Server Error', code: 0 } });
    }
    expect(d.messages).toEqual([]);
    d.setFailure(undefined);
    const back = await post(`${d.webhookUrl()}?wait=true`, { content: 'back' });
    expect(back).toMatchObject({ status: 200, body: { content: 'back' } });
    expect(d.messages.map((m) => m.content)).toEqual(['back']);
    expect(d.requests.map((r) => r.status)).toEqual([500, 500, 500, 200]);
    expect(d.retryAfterViolations).toBe(0);
  });

  it('plays failNext and rateLimitNext before the lasting failure; a lasting 503 is an HTML page', async () => {
    const d = await start();
    d.failNext(1, 502);
    d.setFailure({ status: 503 });
    expect((await post(d.webhookUrl(), { content: 'x' })).status).toBe(502);
    const outage = await post(d.webhookUrl(), { content: 'x' });
    expect(outage.status).toBe(503);
    expect(outage.headers.get('content-type')).toBe('text/html');
    expect(outage.text).toContain('<html>');
    expect(d.messages).toEqual([]);
  });

  it('answers a lasting 429 with retry_after in the URL unit, global false, Retry-After and X-RateLimit-Scope', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const d = await start();
    d.setFailure({ status: 429, retryAfterMs: 1500 });
    const unversioned = await post(d.webhookUrl(), { content: 'x' });
    expect(unversioned).toMatchObject({ status: 429, body: { message: 'You are being rate limited.', retry_after: 1500, global: false } });
    expect(unversioned.headers.get('retry-after')).toBe('2');
    expect(unversioned.headers.get('x-ratelimit-scope')).toBe('user');
    expect(unversioned.headers.get('x-ratelimit-global')).toBeNull();
    vi.advanceTimersByTime(1500);
    const versioned = await post(d.webhookUrl({ version: 10 }), { content: 'x' });
    expect(versioned).toMatchObject({ status: 429, body: { retry_after: 1.5, global: false } });
    expect(versioned.headers.get('retry-after')).toBe('2');
    expect(d.messages).toEqual([]);
    expect(d.rateLimited).toBe(2);
    expect(d.retryAfterViolations).toBe(0);
  });

  it('answers a lasting global 429 with global true, X-RateLimit-Global and scope global', async () => {
    const d = await start();
    d.setFailure({ status: 429, retryAfterMs: 800, global: true });
    const res = await post(d.webhookUrl({ version: 10 }), { content: 'x' });
    expect(res).toMatchObject({ status: 429, body: { retry_after: 0.8, global: true } });
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.headers.get('x-ratelimit-scope')).toBe('global');
    expect(res.headers.get('x-ratelimit-global')).toBe('true');
    expect(d.messages).toEqual([]);
  });

  it('counts a request that comes back before retry_after as a violation, not one that waited it out', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const d = await start();
    d.setFailure({ status: 429, retryAfterMs: 1000 });
    expect((await post(d.webhookUrl(), { content: 'x' })).status).toBe(429);
    vi.advanceTimersByTime(500);
    expect((await post(d.webhookUrl(), { content: 'x' })).status).toBe(429); // 500 ms early
    expect(d.retryAfterViolations).toBe(1);
    vi.advanceTimersByTime(1000); // the early request got its own 429: wait from there
    expect((await post(d.webhookUrl(), { content: 'x' })).status).toBe(429);
    expect(d.retryAfterViolations).toBe(1);
    d.setFailure(undefined);
    vi.advanceTimersByTime(1000);
    expect((await post(d.webhookUrl(), { content: 'x' })).status).toBe(204);
    expect(d.retryAfterViolations).toBe(1);
    expect(d.messages).toHaveLength(1);
  });

  it('counts per webhook, and still counts an early request after the failure is cleared', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const other = { id: '998877', token: 'other-webhook-token' };
    const d = await start({ webhooks: [FakeDiscord.DEFAULT_WEBHOOK, other] });
    d.setFailure({ status: 429, retryAfterMs: 2000 });
    await post(d.webhookUrl(), { content: 'x' });
    d.setFailure(undefined);
    expect((await post(d.webhookUrl({ webhook: other }), { content: 'other' })).status).toBe(204);
    expect(d.retryAfterViolations).toBe(0); // the 429 went to the default webhook only
    vi.advanceTimersByTime(1000);
    expect((await post(d.webhookUrl(), { content: 'early' })).status).toBe(204); // answered normally, but counted
    expect(d.retryAfterViolations).toBe(1);
  });

  it('counts requests that ignore the retry_after of a bucket 429', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const d = await start({ buckets: [{ limit: 1, windowMs: 1000 }] });
    expect((await post(d.webhookUrl(), { content: 'a' })).status).toBe(204);
    vi.advanceTimersByTime(200);
    const limited = await post(d.webhookUrl(), { content: 'b' });
    expect(limited).toMatchObject({ status: 429, body: { retry_after: 800 } });
    expect(d.retryAfterViolations).toBe(0);
    vi.advanceTimersByTime(400);
    expect((await post(d.webhookUrl(), { content: 'c' })).status).toBe(429);
    expect(d.retryAfterViolations).toBe(1);
    vi.advanceTimersByTime(400);
    expect((await post(d.webhookUrl(), { content: 'd' })).status).toBe(204);
    expect(d.retryAfterViolations).toBe(1);
    expect(d.messages.map((m) => m.content)).toEqual(['a', 'd']);
  });
});
