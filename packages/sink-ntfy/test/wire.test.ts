/** What an ntfy server gets from the sink: topic path, title, priority by size, tags, plain body, token. */
import { DeliveryError } from '@liqmon/core';
import { createSinkHarness, FakeHttpReceiver, hostileSymbol, sampleBurst, sampleCascade, sampleLiquidation, sinkSamples } from '@liqmon/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import ntfy, { type NtfyMessage } from '../src/index.js';

let receiver: FakeHttpReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function setup(extra: Record<string, unknown> = {}) {
  receiver = await FakeHttpReceiver.start();
  const harness = createSinkHarness(ntfy, { url: `${receiver.url}/`, topic: 'liqmon-btc-9f2', ...extra });
  const send = (message: NtfyMessage) => harness.instance.send(message, 'default', new AbortController().signal);
  return { harness, receiver, send };
}

const liquidationOf = (usd: number) => ({ kind: 'liquidation' as const, rule: 'r', events: [sampleLiquidation({ notionalUsd: usd, time: 0 })], createdAt: 0 });

describe('the request', () => {
  it('POSTs the plain text to /<topic> with title, priority and tags headers', async () => {
    const { harness, receiver, send } = await setup();
    await send(harness.instance.render(sinkSamples()[0]!.alerts));
    const [request] = receiver.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/liqmon-btc-9f2', body: '🟠 BINANCE BTCUSDT Long liquidated $129K 💀\nAvg fill price $64,250.1 · 2 BTC · 12:34:56 UTC' });
    expect(request?.headers).toMatchObject({ 'x-title': 'BINANCE BTCUSDT Long liquidated $129K', 'x-priority': '3', 'x-tags': 'skull,long', 'content-type': 'text/plain; charset=utf-8' });
    expect(request?.headers.authorization).toBeUndefined();
  });

  it('priority by size: >= 1M urgent (5), >= 250k high (4), else default (3); thresholds configurable', async () => {
    const { harness } = await setup();
    expect([1_000_000, 999_999, 250_000, 249_999].map((usd) => harness.instance.render([liquidationOf(usd)]).priority)).toEqual([5, 4, 4, 3]);
    expect(harness.instance.render([sampleCascade()]).priority).toBe(5); // a cascade by its total
    const custom = createSinkHarness(ntfy, { topic: 't', priority: { urgent: '10M', high: '50k' } });
    expect([10e6, 9e6, 5e4, 4e4].map((usd) => custom.instance.render([liquidationOf(usd)]).priority)).toEqual([5, 4, 4, 3]);
  });

  it('sends the token as Bearer, extra tags first, and encodes a non-ASCII title (RFC 2047)', async () => {
    const { harness, receiver, send } = await setup({ token: 'tk_abcdef0123456789', tags: ['chart_with_downwards_trend'] });
    await send(harness.instance.render([{ kind: 'liquidation', rule: 'r', events: [hostileSymbol()], createdAt: 0 }]));
    const headers = receiver.requests[0]!.headers;
    expect(headers.authorization).toBe('Bearer tk_abcdef0123456789');
    expect(headers['x-tags']).toBe('chart_with_downwards_trend,skull,long');
    expect(headers['x-title']).toMatch(/^BINANCE <b>\*_~`\|\[x\]\(http:\/\/evil\.test\)/); // printable ASCII goes as is
    await send(harness.instance.render([{ kind: 'liquidation', rule: 'r', events: [sampleLiquidation({ symbol: 'ÉTHUSDT', time: 0 })], createdAt: 0 }]));
    const title = /^=\?UTF-8\?B\?(.+)\?=$/.exec(receiver.requests[1]!.headers['x-title'] ?? '')?.[1];
    expect(Buffer.from(title ?? '', 'base64').toString('utf8')).toBe('BINANCE ÉTHUSDT Long liquidated $1.25M');
  });

  it('merges up to 5 alerts in one notification, its body within 4096 bytes', async () => {
    const { harness } = await setup();
    const merged = harness.instance.render(sampleBurst(5));
    expect(merged.title).toBe('5 liquidation alerts, up to $385K');
    expect(harness.instance.limits).toEqual({ maxMessageSize: 4096, maxAlertsPerMessage: 5 });
    const huge = harness.instance.render([{ kind: 'liquidation', rule: 'r', events: [sampleLiquidation({ symbol: '💀'.repeat(3000), time: 0 })], createdAt: 0 }]);
    expect(Buffer.byteLength(huge.body)).toBeLessThanOrEqual(4096);
    expect(huge.body.endsWith('…')).toBe(true);
  });
});

describe('answers', () => {
  it("a 403 stops the sink, quoting ntfy's error and saying what to do, without the topic", async () => {
    const { harness, receiver, send } = await setup({ token: 'tk_wrongtoken000000' });
    receiver.answerNext({ status: 403, body: { code: 40301, http: 403, error: 'forbidden', link: 'https://ntfy.sh/docs/publish/#authentication' } });
    const error = (await send(harness.instance.render(sinkSamples()[0]!.alerts)).catch((e: unknown) => e)) as DeliveryError;
    expect(error).toBeInstanceOf(DeliveryError);
    expect([error.kind, error.message]).toEqual(['fatal', `ntfy at ${receiver.url} answered 403 (forbidden)`]);
    expect(error.hint).toContain('Check `token`');
    expect(harness.secrets).toEqual(expect.arrayContaining(['tk_wrongtoken000000', `${receiver.url}/liqmon-btc-9f2`]));
  });

  it('a 429 without Retry-After is retried with backoff; with one, waited', async () => {
    const { harness, receiver, send } = await setup();
    receiver.answerNext({ status: 429, body: { code: 42901, http: 429, error: 'limit reached: too many requests' } }, { status: 429, retryAfter: 12 });
    const message = harness.instance.render(sinkSamples()[0]!.alerts);
    expect(await send(message).catch((e: unknown) => e)).toMatchObject({ kind: 'retryable', rateLimited: false, message: `ntfy at ${receiver.url} answered 429 (limit reached: too many requests): rate limited` });
    expect(await send(message).catch((e: unknown) => e)).toMatchObject({ kind: 'retryable', rateLimited: true, retryAfterMs: 12_000 });
  });

  it('defaults: ntfy.sh, priorities 1M / 250k, no tags, 10 s', () => {
    expect(ntfy.options.parse({ topic: 'abc' })).toEqual({ url: 'https://ntfy.sh', topic: 'abc', priority: { urgent: 1_000_000, high: 250_000 }, tags: [], timeout: 10_000 });
    expect(ntfy.options.safeParse({ topic: 'has space' }).error?.issues[0]?.message).toBe('must be an ntfy topic name: letters, digits, - and _ only, at most 64 (pick one that is hard to guess)');
  });
});
