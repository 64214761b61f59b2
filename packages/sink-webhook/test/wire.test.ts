/** What a receiver gets from the webhook sink: the JSON alert, the headers, a signature it can verify. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DeliveryError } from '@liqmon/core';
import { createSinkHarness, FakeHttpReceiver, sampleCascade, sinkSamples, type ReceivedRequest } from '@liqmon/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import webhook from '../src/index.js';

let receiver: FakeHttpReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

const SECRET = 'a-signing-secret-of-32-characters';

async function sendOne(options: Record<string, unknown>, alert = sinkSamples()[0]!.alerts[0]!) {
  receiver ??= await FakeHttpReceiver.start();
  const harness = createSinkHarness(webhook, { url: `${receiver.url}/hooks/liqmon?key=k123456`, ...options });
  await harness.instance.send(harness.instance.render([alert]), 'default', new AbortController().signal);
  return { request: receiver.requests.at(-1) as ReceivedRequest, harness };
}

/** How a receiver verifies a request (the README shows the same steps). */
function verify(request: ReceivedRequest, secret: string, nowSeconds: number): boolean {
  const timestamp = Number(request.headers['x-liqmon-timestamp']);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > 300) return false;
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${request.body}`).digest('hex')}`;
  const got = request.headers['x-liqmon-signature'] ?? '';
  return got.length === expected.length && timingSafeEqual(Buffer.from(got), Buffer.from(expected));
}

describe('the request', () => {
  it('POSTs the alert as JSON with its plain-text rendering, to the URL as given', async () => {
    const { request } = await sendOne({});
    expect([request.method, request.path, request.headers['content-type']]).toEqual(['POST', '/hooks/liqmon?key=k123456', 'application/json']);
    const body = JSON.parse(request.body) as Record<string, unknown>;
    expect(body).toMatchObject({ rule: 'majors', kind: 'liquidation', createdAt: Date.UTC(2024, 5, 1, 12, 34, 56) });
    expect(body.events).toEqual([expect.objectContaining({ exchange: 'binance', symbol: 'BTCUSDT', side: 'long', notionalUsd: 128_500.2 })]);
    expect(body.text).toBe('🟠 BINANCE BTCUSDT Long liquidated $129K 💀\nAvg fill price $64,250.1 · 2 BTC · 12:34:56 UTC');
    expect(request.headers['x-liqmon-signature']).toBeUndefined();
  });

  it('sends a cascade with its tallies, and custom headers', async () => {
    const { request } = await sendOne({ headers: { 'X-Team': 'desk-1' } }, sampleCascade());
    const body = JSON.parse(request.body) as Record<string, unknown>;
    expect(body).toMatchObject({ kind: 'cascade', count: 50, key: { base: 'BTC', side: 'long' }, windowMs: 60_000, byExchange: { binance: { count: 25 }, bybit: { count: 25 } } });
    expect((body.events as unknown[]).length).toBe(50);
    expect(request.headers['x-team']).toBe('desk-1');
  });

  it('signs timestamp.body with HMAC-SHA256, which a receiver verifies and a tampered body fails', async () => {
    const { request } = await sendOne({ secret: SECRET });
    expect(request.headers['x-liqmon-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    const now = Math.floor(Date.now() / 1000);
    expect(verify(request, SECRET, now)).toBe(true);
    expect(verify({ ...request, body: request.body.replace('majors', 'minors') }, SECRET, now)).toBe(false);
    expect(verify(request, 'another-secret-of-32-characters!!', now)).toBe(false);
    expect(verify(request, SECRET, now + 3600)).toBe(false); // a replay an hour later
  });

  it('registers the url, the secret and credential headers as secrets, and no error quotes them', async () => {
    receiver = await FakeHttpReceiver.start({ answer: { status: 401, body: 'bad key' } });
    const harness = createSinkHarness(webhook, { url: `${receiver.url}/hooks/tok-987654`, secret: SECRET, headers: { Authorization: 'Bearer api-key-1234', 'X-Team': 'desk-1' } });
    expect(harness.secrets).toEqual(expect.arrayContaining([`${receiver.url}/hooks/tok-987654`, SECRET, 'Bearer api-key-1234']));
    expect(harness.secrets).not.toContain('desk-1');
    const error = await harness.instance.send(harness.instance.render(sinkSamples()[0]!.alerts), 'default', new AbortController().signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ kind: 'fatal', message: `the webhook receiver at ${receiver.url} answered 401 (bad key)` });
    expect((error as Error).message).not.toContain('tok-987654');
  });

  it('gives up on a silent receiver after `timeout` and retries', async () => {
    receiver = await FakeHttpReceiver.start({ answer: { delayMs: 5_000 } });
    const harness = createSinkHarness(webhook, { url: receiver.url, timeout: '100ms' });
    const error = await harness.instance.send(harness.instance.render(sinkSamples()[0]!.alerts), 'default', new AbortController().signal).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'retryable', message: `no answer from the webhook receiver at ${receiver.url} within 100 ms` });
  });
});

describe('options', () => {
  it('refuses a URL that is not http(s), a short secret and a header name with spaces', () => {
    const result = webhook.options.safeParse({ url: 'ftp://x', secret: 'short', headers: { 'Bad Name': 'x' } });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['url', 'must be an http:// or https:// URL, e.g. https://example.com/liqmon-hook'],
      ['headers.Bad Name', 'is not an HTTP header name (letters, digits and - only)'],
      ['secret', 'must be at least 16 characters (use a long random string, e.g. `openssl rand -hex 32`)'],
    ]);
  });

  it('defaults: no headers, no signature, 10 s timeout', () => {
    expect(webhook.options.parse({ url: 'https://example.com/h' })).toEqual({ url: 'https://example.com/h', headers: {}, timeout: 10_000 });
  });
});
