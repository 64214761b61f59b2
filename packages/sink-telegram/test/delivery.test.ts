/**
 * The sink through core's Delivery (outbox: merging, retries honouring retry-after) against the fake
 * Bot API with its flood control on, with short windows so the test stays fast.
 */
import { createFormatter, Delivery, type Alert, type DeliveryOptions, type FormatOptions } from '@liqmon/core';
import { createMemoryLogger, FakeTelegram } from '@liqmon/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { alert, createSink } from './helpers.js';

const OPTIONS: DeliveryOptions = { queueSize: 1000, maxAttempts: 0, backoff: { min: 10, max: 200, factor: 2, jitter: 0 }, sendTimeout: 5000, maxAge: 3_600_000 };
const GROUP = '-1001234567890';

let fake: FakeTelegram | undefined;
afterEach(async () => fake?.close());

function run(sinkExtra: Record<string, unknown>, format?: FormatOptions) {
  const { sink } = createSink(fake!, { chatId: GROUP, ...sinkExtra }, format ? { format } : {});
  const { logger, lines } = createMemoryLogger('debug');
  const delivery = new Delivery({ sinks: [{ name: 'telegram', instance: sink, logger }], options: OPTIONS, logger });
  return { delivery, lines };
}

/** Symbols in the order the chat shows them. */
const symbolsSeen = (texts: string[]) => texts.flatMap((text) => [...text.matchAll(/BINANCE (\S+) Long/g)].map((match) => match[1]));

describe('a burst through the outbox', () => {
  it('200 qualifying liquidations arrive complete, in order, merged into few messages, every 429 honoured', async () => {
    fake = await FakeTelegram.start({ rateLimit: { group: { count: 3, windowMs: 300 }, retryAfter: 'exact' } });
    const { delivery } = run({ pacing: { chat: '0ms', group: '0ms' } }); // no pacing: let flood control answer 429s
    const symbols = Array.from({ length: 200 }, (_, i) => `${i}_PEPE.USDT!`);
    for (const symbol of symbols) delivery.deliver(alert({ symbol, price: 0.0000123 }), ['telegram']);
    const report = await delivery.drain(20_000);

    expect(report.complete).toBe(true);
    const texts = fake.messagesTo(GROUP).map((message) => message.text);
    expect(symbolsSeen(texts)).toEqual(symbols);
    expect(texts.length).toBeLessThanOrEqual(12); // 1 + ceil(199 / 20)
    expect(fake.requests.every((request) => request.status === 200 || request.status === 429)).toBe(true);
    expect(fake.tooManyRequests).toBeGreaterThan(0);
    expect(fake.retryAfterViolations).toBe(0);
    const stats = report.stats.sinks.telegram!.destinations[GROUP]!;
    expect(stats).toMatchObject({ sent: 200, failed: { fatal: 0, rejected: 0, attempts: 0, render: 0, shutdown: 0 } });
  });

  it('paced at twice the flood window, the chat never answers 429', async () => {
    fake = await FakeTelegram.start({ rateLimit: { group: { count: 1, windowMs: 50 } } });
    const { delivery } = run({ pacing: { chat: '100ms', group: '100ms' } });
    for (let i = 0; i < 30; i++) delivery.deliver(alert({ symbol: `S${i}USDT` }), ['telegram']);
    await delivery.drain(10_000);
    expect(symbolsSeen(fake.messagesTo(GROUP).map((message) => message.text))).toHaveLength(30);
    expect(fake.tooManyRequests).toBe(0);
  });
});

describe('splitting long merges', () => {
  const base = createFormatter().options;
  const wordy: FormatOptions = { ...base, wording: { ...base.wording, long: `Long liquidated ${'.'.repeat(400)}` } };

  it('splits at alert boundaries so no message exceeds 4096 characters', async () => {
    fake = await FakeTelegram.start({ rateLimit: false });
    const { delivery } = run({ pacing: { chat: '0ms', group: '0ms' } }, wordy);
    const alerts: Alert[] = Array.from({ length: 40 }, (_, i) => alert({ symbol: `S${i}USDT` }));
    for (const a of alerts) delivery.deliver(a, ['telegram']);
    await delivery.drain(10_000);

    const texts = fake.messagesTo(GROUP).map((message) => message.text);
    expect(texts.length).toBeGreaterThan(4);
    expect(texts.every((text) => text.length <= 4096)).toBe(true);
    // Each message is exactly a run of whole alerts, and the runs cover all alerts in order.
    const formatter = createFormatter(wordy);
    let next = 0;
    for (const text of texts) {
      const count = symbolsSeen([text]).length;
      expect(text).toBe(formatter.plain(alerts.slice(next, next + count)));
      next += count;
    }
    expect(next).toBe(40);
  });

  it('a single alert longer than 4096 characters is cut to fit and delivered, not refused', async () => {
    fake = await FakeTelegram.start({ rateLimit: false });
    const huge: FormatOptions = { ...base, wording: { ...base.wording, long: `Long ${'!.'.repeat(3000)}` } };
    const { delivery } = run({ pacing: { chat: '0ms', group: '0ms' } }, huge);
    delivery.deliver(alert(), ['telegram']);
    const report = await delivery.drain(10_000);
    const [message] = fake.messagesTo(GROUP);
    expect(message!.text.length).toBeLessThanOrEqual(4096);
    expect(message!.text.endsWith('…')).toBe(true);
    expect(report.stats.sinks.telegram!.destinations[GROUP]!.sent).toBe(1);
  });
});

describe('failures through the outbox', () => {
  it('5xx and 429 are retried until delivered; a wrong token stops the sink once', async () => {
    fake = await FakeTelegram.start({ rateLimit: false });
    fake.failNext(2, { status: 502 });
    fake.failNext(1, { status: 429, retryAfter: 0.05 });
    const ok = run({ pacing: { chat: '0ms', group: '0ms' } });
    ok.delivery.deliver(alert({ symbol: 'AUSDT' }), ['telegram']);
    const okReport = await ok.delivery.drain(10_000);
    expect(symbolsSeen(fake.messages.map((message) => message.text))).toEqual(['AUSDT']);
    expect(fake.retryAfterViolations).toBe(0);
    // The two 502s are failed tries; the 429 is a wait Telegram asked for, counted apart.
    expect(okReport.stats.sinks.telegram!.destinations[GROUP]).toMatchObject({ retried: 2, rateLimited: 1, sent: 1 });

    const bad = run({ token: '42:wrong-token-wrong-token-wrong' });
    for (let i = 0; i < 5; i++) bad.delivery.deliver(alert(), ['telegram']);
    const report = await bad.delivery.drain(10_000);
    expect(report.stats.sinks.telegram!.state).toBe('failed');
    const stopped = bad.lines.filter((line) => line.level === 50 && String(line.msg).includes('stopped'));
    expect(stopped).toHaveLength(1);
    expect(stopped[0]!.msg).toContain('401 "Unauthorized"');
    expect(fake.requests.filter((request) => request.status === 401)).toHaveLength(1);
  });

  it('a chat that does not exist stops only that chat: the sink\'s other chats get every alert', async () => {
    fake = await FakeTelegram.start({ rateLimit: false });
    const { delivery, lines } = run({ chatId: [GROUP, '-100999'], pacing: { chat: '0ms', group: '0ms' } });
    for (const symbol of ['AUSDT', 'BUSDT', 'CUSDT']) delivery.deliver(alert({ symbol }), ['telegram']);
    const report = await delivery.drain(10_000);
    expect(symbolsSeen(fake.messages.filter((message) => message.chatId === GROUP).map((message) => message.text))).toEqual(['AUSDT', 'BUSDT', 'CUSDT']);
    const stats = report.stats.sinks.telegram!;
    expect(stats.state).toBe('ok');
    expect(stats.destinations['-100999']).toMatchObject({ state: 'failed', failed: { fatal: 3 } });
    expect(stats.destinations[GROUP]).toMatchObject({ state: 'ok', sent: 3 });
    const stopped = lines.filter((line) => line.level === 50);
    expect(stopped).toHaveLength(1);
    expect(stopped[0]!.msg).toContain('telegram/-100999 stopped: Telegram answered 400 "Bad Request: chat not found" for chat -100999');
    expect(fake.requests.filter((request) => request.status === 400)).toHaveLength(1);
  });
});
