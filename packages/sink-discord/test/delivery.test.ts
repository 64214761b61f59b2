/**
 * The sink under core's Delivery, as `liqmon start` runs it: outbox merging, retries honouring the
 * sink's retry-after, and the sink's own pacing, against the fake Discord with short buckets.
 */
import { Delivery, type DeliveryOptions, type SinkInstance } from '@liqmon/core';
import { createMemoryLogger, FakeDiscord, type FakeDiscordOptions } from '@liqmon/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { alert, logText, makeSink, T0 } from './helpers.js';

const OPTIONS: DeliveryOptions = { queueSize: 1000, maxAttempts: 0, backoff: { min: 50, max: 1000, factor: 2, jitter: 0 }, sendTimeout: 5000, maxAge: 3_600_000 };

let fake: FakeDiscord | undefined;
let delivery: Delivery | undefined;
afterEach(async () => {
  await delivery?.drain(100);
  await fake?.close();
  fake = delivery = undefined;
});

async function setup(fakeOptions: FakeDiscordOptions, url: (d: FakeDiscord) => string, inlineWaitMaxMs?: number) {
  fake = await FakeDiscord.start(fakeOptions);
  const { sink, lines: sinkLines } = makeSink({ webhookUrl: url(fake) }, inlineWaitMaxMs === undefined ? {} : { inlineWaitMaxMs });
  const { logger, lines } = createMemoryLogger('debug');
  delivery = new Delivery({ sinks: [{ name: 'discord', instance: sink as SinkInstance, logger: logger.child({ sink: 'discord' }) }], options: OPTIONS, logger });
  return { d: fake, delivery, lines: () => [...lines, ...sinkLines] };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a burst through core delivery', () => {
  it('delivers 200 liquidations complete, merged, in order, with almost no 429', async () => {
    // Short buckets so the test takes seconds: 5 per 400 ms per webhook, 4 per second for the channel.
    // Waits above 300 ms go back to the outbox (which merges meanwhile), as the channel limit does live.
    // The channel bucket is small enough that a slow machine (sends far apart) still runs it empty.
    const { d, delivery, lines } = await setup(
      { buckets: [{ limit: 5, windowMs: 400 }, { limit: 4, windowMs: 1000, scope: 'shared' }] },
      (f) => f.webhookUrl(),
      300,
    );
    for (let i = 0; i < 200; i++) {
      delivery.deliver(alert(i), ['discord']);
      if (i % 20 === 19) await sleep(100); // 200 alerts over about a second
    }
    await d.waitForMessages(1);
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        const stats = delivery.stats().sinks.discord?.destinations.default;
        if (stats && stats.sent === 200) resolve(clearInterval(timer));
        if (stats && stats.failed.fatal + stats.failed.rejected > 0) reject(new Error(JSON.stringify(stats)));
      }, 20);
    });
    const timestamps = d.messages.flatMap((m) => m.embeds.map((e) => e.timestamp));
    expect(timestamps).toEqual(Array.from({ length: 200 }, (_, i) => new Date(T0 + i * 1000).toISOString()));
    expect(d.messages.length).toBeLessThan(40); // merged: at most 10 embeds a message
    expect(Math.max(...d.messages.map((m) => m.embeds.length))).toBe(10);
    expect(d.rateLimited).toBeLessThanOrEqual(2);
    // The channel bucket made the sink hand long waits to the outbox, which merged the alerts meanwhile.
    expect(logText(lines())).toContain("Discord's rate limit for this webhook is used up");
    expect(delivery.stats().sinks.discord?.destinations.default).toMatchObject({ sent: 200, messages: d.messages.length, merged: 200 - d.messages.length });
  });
});

describe('429 through core delivery', () => {
  it.each([
    ['an unversioned URL (retry_after in ms)', (f: FakeDiscord) => f.webhookUrl()],
    ['a versioned URL (retry_after in s)', (f: FakeDiscord) => f.webhookUrl({ version: 10 })],
  ])('waits the retry-after on %s, then delivers', async (_, url) => {
    const { d, delivery, lines } = await setup({ buckets: [] }, url);
    d.rateLimitNext({ retryAfterMs: 600 });
    delivery.deliver(alert(0), ['discord']);
    await d.waitForMessages(1);
    const [limited, delivered] = d.requests;
    expect([limited?.status, delivered?.status]).toEqual([429, 200]);
    // Not before the retry-after (a lower bound cannot flake); read in the wrong unit it would be 600 s or 0.6 ms.
    expect(delivered!.receivedAt - limited!.receivedAt).toBeGreaterThanOrEqual(600);
    // A wait the server asked for, not a failed try (DeliveryError.rateLimited): counted apart, said as a wait.
    expect(logText(lines())).toContain('asked liqmon to slow down (Discord rate limit hit (429, per-webhook, retry after 0.6 s)); sending 1 alert(s) again in 600 ms');
    await vi.waitFor(() => expect(delivery.stats().sinks.discord?.destinations.default).toMatchObject({ rateLimited: 1, retried: 0, sent: 1 }));
  });
});

describe('a bad webhook through core delivery', () => {
  it('stops the sink with one error line, no retries, and no token in the logs', async () => {
    const token = 'revoked-token-abcdefghijklmnopqrstuvwxyz';
    const { d, delivery, lines } = await setup({ buckets: [] }, (f) => f.webhookUrl({ webhook: { id: FakeDiscord.DEFAULT_WEBHOOK.id, token } }));
    for (let i = 0; i < 5; i++) delivery.deliver(alert(i), ['discord']);
    await sleep(200);
    delivery.deliver(alert(5), ['discord']);
    const errors = lines().filter((line) => line.level >= 50);
    expect(errors.map((line) => line.msg)).toEqual([
      'sink "discord" stopped: Discord refused the webhook token (401 Invalid Webhook Token, code 50027): the webhook URL is wrong or its token was reset. Fix: In Discord: Server Settings → Integrations → Webhooks → (create or pick one) → Copy Webhook URL, then set it as webhookUrl (e.g. in DISCORD_WEBHOOK_URL) and restart. Other sinks keep running.',
    ]);
    expect(d.requests).toHaveLength(1);
    expect(delivery.stats().sinks.discord).toMatchObject({ state: 'failed', destinations: { default: { failed: { fatal: 6 } } } });
    expect(logText(lines())).not.toContain(token);
  });

  it('skips a refused message, counts it, and delivers the next ones', async () => {
    const { d, delivery, lines } = await setup({ buckets: [] }, (f) => f.webhookUrl());
    d.failNext(1, 400);
    delivery.deliver(alert(0), ['discord']);
    delivery.deliver(alert(1), ['discord']);
    await d.waitForMessages(1);
    await sleep(50);
    expect(d.messages.flatMap((m) => m.embeds.map((e) => e.timestamp))).toEqual([new Date(T0 + 1000).toISOString()]);
    expect(delivery.stats().sinks.discord?.destinations.default?.failed.rejected).toBe(1);
    expect(logText(lines())).toContain(
      'refused an alert; it is skipped and counted: Discord refused the message (400 Invalid Form Body, code 50035): embeds.0.title: Must be 256 or fewer in length. (BASE_TYPE_MAX_LENGTH)',
    );
  });
});

describe('secrets', () => {
  it('no log line of any outcome (retry, 429, refusal, fatal) contains the webhook token, even unredacted', async () => {
    const { d, delivery, lines } = await setup({ buckets: [{ limit: 2, windowMs: 200 }] }, (f) => f.webhookUrl());
    d.failNext(1, 500);
    d.rateLimitNext({ retryAfterMs: 50 });
    d.failNext(1, 400);
    for (let i = 0; i < 4; i++) delivery.deliver(alert(i), ['discord']);
    await d.waitForMessages(1);
    d.deleteWebhook(FakeDiscord.DEFAULT_WEBHOOK.id);
    delivery.deliver(alert(9), ['discord']);
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => delivery.stats().sinks.discord?.state === 'failed' && resolve(clearInterval(timer)), 20);
    });
    const text = logText(lines());
    expect(text).toContain('server error');
    expect(text).toContain('rate limit hit');
    expect(text).toContain('Invalid Form Body');
    expect(text).toContain('Unknown Webhook');
    expect(text).not.toContain(FakeDiscord.DEFAULT_WEBHOOK.token);
  });
});
