/** sendHttp and httpFailure: one request of an HTTP sink, and what each answer means for the outbox. */
import { afterEach, describe, expect, it } from 'vitest';
import { deliverySchema } from '../../src/config/schema.js';
import { DEFAULT_DELIVERY_OPTIONS, httpFailure, retryAfterMs, sendHttp, type HttpAnswer } from '../../src/delivery/index.js';
import { DeliveryError } from '../../src/errors.js';
import { HttpHeaders } from '../../src/util/http-client.js';
import { FakeHttpReceiver } from '../../src/testing/index.js';

let receiver: FakeHttpReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

const answer = (status: number, text = '', headers: Record<string, string> = {}): HttpAnswer => ({ status, ok: status < 300, text, headers: new HttpHeaders(headers) });
const service = 'the receiver';

describe('httpFailure', () => {
  it.each([
    [401, 'fatal'], [403, 'fatal'], [404, 'fatal'], [410, 'fatal'],
    [400, 'rejected'], [413, 'rejected'], [422, 'rejected'],
    [408, 'retryable'], [500, 'retryable'], [502, 'retryable'], [503, 'retryable'], [301, 'retryable'],
  ])('%i is %s', (status, kind) => {
    expect(httpFailure(answer(status), { service }).kind).toBe(kind);
  });

  it('a 429 with Retry-After is a wait (seconds or an HTTP date), without one a plain retry', () => {
    expect(httpFailure(answer(429, '', { 'retry-after': '7' }), { service })).toMatchObject({ kind: 'retryable', rateLimited: true, retryAfterMs: 7000, message: 'the receiver answered 429: rate limited, retry after 7.0 s' });
    const date = new Date(Date.UTC(2026, 0, 1, 0, 0, 30)).toUTCString();
    expect(httpFailure(answer(429, '', { 'retry-after': date }), { service, now: () => Date.UTC(2026, 0, 1) })).toMatchObject({ rateLimited: true, retryAfterMs: 30_000 });
    expect(httpFailure(answer(429), { service })).toMatchObject({ kind: 'retryable', rateLimited: false, retryAfterMs: undefined });
  });

  it("quotes the service's reason or a short excerpt of the body, never an HTML page, and carries the hint", () => {
    expect(httpFailure(answer(404, 'no_service'), { service: 'Slack', hint: 'Make a new webhook.' })).toMatchObject({ message: 'Slack answered 404 (no_service)', hint: 'Make a new webhook.' });
    expect(httpFailure(answer(502, '<html><body>Bad Gateway</body></html>'), { service }).message).toBe('the receiver answered 502');
    expect(httpFailure(answer(400, `${'x'.repeat(300)}\n`), { service }).message).toBe(`the receiver answered 400 (${'x'.repeat(200)}…): the message was refused and is skipped`);
  });

  it('retryAfterMs reads seconds, decimals and dates, and ignores nonsense', () => {
    expect([retryAfterMs('1'), retryAfterMs(' 1.5 '), retryAfterMs('soon'), retryAfterMs(null), retryAfterMs('Thu, 01 Jan 1970 00:00:00 GMT', 5000)]).toEqual([1000, 1500, undefined, undefined, 0]);
  });
});

describe('sendHttp', () => {
  it('sends the body and headers and resolves any status', async () => {
    receiver = await FakeHttpReceiver.start({ answer: { status: 503, body: 'busy' } });
    const got = await sendHttp({ url: `${receiver.url}/topic`, method: 'PUT', headers: { 'x-a': 'b' }, body: 'hi', signal: new AbortController().signal, service });
    expect([got.status, got.ok, got.text]).toEqual([503, false, 'busy']);
    expect(receiver.requests[0]).toMatchObject({ method: 'PUT', path: '/topic', body: 'hi', headers: { 'x-a': 'b', 'user-agent': 'liqmon' } });
  });

  it('a network error or its own timeout is retryable and names the service, not the URL', async () => {
    receiver = await FakeHttpReceiver.start({ answer: { drop: true } });
    const url = `${receiver.url}/secret-token-path`;
    const dropped = await sendHttp({ url, body: '', signal: new AbortController().signal, service }).catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(DeliveryError);
    expect(dropped).toMatchObject({ kind: 'retryable', message: expect.stringMatching(/^could not reach the receiver \(\w+\)$/) });
    receiver.answerAlways({ delayMs: 5_000 });
    const slow = await sendHttp({ url, body: '', signal: new AbortController().signal, service, timeoutMs: 50 }).catch((e: unknown) => e);
    expect(slow).toMatchObject({ kind: 'retryable', message: 'no answer from the receiver within 50 ms' });
  });

  it("throws the signal's reason when the outbox aborts", async () => {
    receiver = await FakeHttpReceiver.start({ answer: { delayMs: 5_000 } });
    const controller = new AbortController();
    const reason = new Error('send timed out after 30000 ms');
    const sent = sendHttp({ url: receiver.url, body: '', signal: controller.signal, service });
    await receiver.waitForRequests(1);
    controller.abort(reason);
    await expect(sent).rejects.toBe(reason);
  });
});

describe('DEFAULT_DELIVERY_OPTIONS', () => {
  it('is what a config without a delivery section gets, and cannot be changed by accident', () => {
    expect(DEFAULT_DELIVERY_OPTIONS).toEqual(deliverySchema.parse({}));
    expect(DEFAULT_DELIVERY_OPTIONS).toMatchObject({ queueSize: 1000, maxAttempts: 0, sendTimeout: 30_000, backoff: { min: 1000, max: 60_000, factor: 2, jitter: 0.5 } });
    expect(Object.isFrozen(DEFAULT_DELIVERY_OPTIONS.backoff)).toBe(true);
  });
});
