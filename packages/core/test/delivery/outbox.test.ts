import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Alert } from '../../src/alert.js';
import { DeliveryError } from '../../src/errors.js';
import { createFormatter } from '../../src/format/index.js';
import { liq, T0 } from '../rules/liquidations.js';
import { delivery, idOf, scriptedSink } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => vi.useRealTimers());

let n = 0;
/** A single-liquidation alert with a readable id (`a1`, `a2`...). */
function alert(usd = 100_000, rule = 'majors'): Alert {
  n++;
  return { kind: 'liquidation', rule, events: [liq({ id: `a${n}`, usd })], createdAt: Date.now() };
}
beforeEach(() => {
  n = 0;
});

const flatten = (messages: { message: string[] }[]) => messages.flatMap((m) => m.message);

describe('end to end: a sink that fails, is rate limited, then recovers', () => {
  it('delivers every alert exactly once, in order, merged where it waited', async () => {
    const sink = scriptedSink((call) => {
      if (call === 0) return new Error('socket hang up');
      if (call === 1) return new DeliveryError('retryable', 'Bad Gateway', { status: 502 });
      if (call === 2) return new Error('ECONNRESET');
      if (call === 3) return new DeliveryError('retryable', 'Too Many Requests: retry after 7', { status: 429, retryAfterMs: 7_000 });
    });
    const { delivery: d, lines } = delivery([{ name: 'telegram', instance: sink.instance }]);

    d.deliver(alert(), ['telegram']); // a1: try 1 fails, backoff 1s
    await vi.advanceTimersByTimeAsync(500);
    d.deliver(alert(), ['telegram']); // a2, a3 wait
    d.deliver(alert(), ['telegram']);
    await vi.advanceTimersByTimeAsync(500); // try 2 with a1..a3 fails, backoff 2s
    d.deliver(alert(), ['telegram']); // a4
    await vi.advanceTimersByTimeAsync(2_000); // try 3 with a1..a4 fails, backoff 4s
    await vi.advanceTimersByTimeAsync(4_000); // try 4: 429, retry after 7s
    expect(sink.calls).toHaveLength(4);
    d.deliver(alert(), ['telegram']); // a5
    await vi.advanceTimersByTimeAsync(6_999);
    expect(sink.calls).toHaveLength(4); // the server's retry-after is honoured
    await vi.advanceTimersByTimeAsync(1);
    expect(sink.delivered.map((m) => m.message)).toEqual([['a1', 'a2', 'a3', 'a4', 'a5']]);

    d.deliver(alert(), ['telegram']); // a6 goes alone, at once
    await vi.advanceTimersByTimeAsync(0);
    expect(flatten(sink.delivered)).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'a6']);
    expect(sink.calls.map((c) => c.length)).toEqual([1, 3, 4, 4, 5, 1]);

    expect(d.stats().sinks.telegram).toMatchObject({
      state: 'ok',
      destinations: {
        default: { state: 'ok', queued: 6, waiting: 0, sent: 6, messages: 2, merged: 4, retried: 4, folded: 0, lastError: 'Too Many Requests: retry after 7' },
      },
    });
    const warnings = lines.filter((l) => l.level === 40).map((l) => l.msg);
    expect(warnings).toHaveLength(4);
    expect(warnings[3]).toContain('retrying in 7000 ms');
    expect(lines.some((l) => l.level === 30 && String(l.msg).includes('recovered after 4 failed tries'))).toBe(true);
  });
});

describe('merging', () => {
  it('merges waiting alerts up to maxAlertsPerMessage, keeping order', async () => {
    let release!: () => void;
    const sink = scriptedSink((call) => (call === 0 ? new Promise<void>((r) => (release = r)) : undefined), { limits: { maxAlertsPerMessage: 3 } });
    const { delivery: d } = delivery([{ name: 's', instance: sink.instance }]);
    for (let i = 0; i < 8; i++) d.deliver(alert(), ['s']);
    await vi.advanceTimersByTimeAsync(0);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.delivered.map((m) => m.message)).toEqual([['a1'], ['a2', 'a3', 'a4'], ['a5', 'a6', 'a7'], ['a8']]);
    expect(d.stats().sinks.s?.destinations.default).toMatchObject({ sent: 8, messages: 4, merged: 4 });
  });

  it('stops merging before the message would exceed the sink size limit', async () => {
    let release!: () => void;
    // a message is its ids joined by newlines: two ids make 5 characters, three make 8
    const sink = scriptedSink((call) => (call === 0 ? new Promise<void>((r) => (release = r)) : undefined), {
      limits: { maxMessageSize: 7 },
      measure: true,
    });
    const { delivery: d } = delivery([{ name: 's', instance: sink.instance }]);
    for (let i = 0; i < 6; i++) d.deliver(alert(), ['s']);
    await vi.advanceTimersByTimeAsync(0);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.delivered.map((m) => m.message)).toEqual([['a1'], ['a2', 'a3'], ['a4', 'a5'], ['a6']]);
  });

  it('takes the lower of the sink limit and delivery.maxAlertsPerMessage', async () => {
    let release!: () => void;
    const sink = scriptedSink((call) => (call === 0 ? new Promise<void>((r) => (release = r)) : undefined));
    const { delivery: d } = delivery([{ name: 's', instance: sink.instance }], { maxAlertsPerMessage: 2 });
    for (let i = 0; i < 5; i++) d.deliver(alert(), ['s']);
    await vi.advanceTimersByTimeAsync(0);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.delivered.map((m) => m.message.length)).toEqual([1, 2, 2]);
  });

  it('keeps one outbox per destination: a slow chat does not hold up another', async () => {
    const sink = scriptedSink((_, __, destination) => (destination === 'slow' ? new Promise<void>(() => {}) : undefined), {
      destinations: ['slow', 'fast'],
    });
    const { delivery: d } = delivery([{ name: 's', instance: sink.instance }]);
    d.deliver(alert(), ['s']);
    d.deliver(alert(), ['s']);
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.delivered).toEqual([
      { destination: 'fast', message: ['a1'] },
      { destination: 'fast', message: ['a2'] },
    ]);
  });
});

describe('failures', () => {
  it('stops a sink once on a fatal error, logs the fix, and keeps the other sinks going', async () => {
    const telegram = scriptedSink(() => new DeliveryError('fatal', 'Unauthorized: bot token rejected', { status: 401, hint: 'Check TELEGRAM_BOT_TOKEN.' }));
    const discord = scriptedSink();
    const { delivery: d, lines } = delivery([
      { name: 'telegram', instance: telegram.instance },
      { name: 'discord', instance: discord.instance },
    ]);
    d.deliver(alert(), ['telegram', 'discord']);
    d.deliver(alert(), ['telegram', 'discord']);
    await vi.advanceTimersByTimeAsync(60_000);
    d.deliver(alert(), ['telegram', 'discord']);
    await vi.advanceTimersByTimeAsync(60_000);

    expect(telegram.calls).toHaveLength(1); // no retry storm
    expect(flatten(discord.delivered)).toEqual(['a1', 'a2', 'a3']);
    const stats = d.stats().sinks;
    expect(stats.telegram).toMatchObject({ state: 'failed', fatalError: 'Unauthorized: bot token rejected' });
    expect(stats.telegram?.destinations.default?.failed).toMatchObject({ fatal: 3 });
    expect(stats.discord).toMatchObject({ state: 'ok', destinations: { default: { sent: 3 } } });
    const errors = lines.filter((l) => l.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.msg).toContain('Fix: Check TELEGRAM_BOT_TOKEN.');
    expect(lines.some((l) => l.level === 40 && String(l.msg).includes('1 alert(s) for it not delivered'))).toBe(true);
  });

  it('stops only the destination of a fatal error scoped to it; the sink\'s other destinations keep going', async () => {
    let badTries = 0;
    const sink = scriptedSink(
      (_, __, destination) =>
        destination === '-100bad' && ++badTries > 0
          ? new DeliveryError('fatal', 'Bad Request: chat not found', { status: 400, scope: 'destination', hint: 'Check chatId.' })
          : undefined,
      { destinations: ['-100good', '-100bad'] },
    );
    const { delivery: d, lines } = delivery([{ name: 'telegram', instance: sink.instance }]);
    d.deliver(alert(), ['telegram']);
    d.deliver(alert(), ['telegram']);
    await vi.advanceTimersByTimeAsync(60_000);
    for (let i = 0; i < 3; i++) d.deliver(alert(), ['telegram']);
    await vi.advanceTimersByTimeAsync(60_000);

    expect(flatten(sink.delivered.filter((m) => m.destination === '-100good'))).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(badTries).toBe(1); // tried once, not retried
    const stats = d.stats().sinks.telegram;
    expect(stats?.state).toBe('ok');
    expect(stats?.fatalError).toBeUndefined();
    expect(stats?.destinations['-100bad']).toMatchObject({ state: 'failed', lastError: 'Bad Request: chat not found', failed: { fatal: 5 } });
    expect(stats?.destinations['-100good']).toMatchObject({ state: 'ok', sent: 5 });
    const errors = lines.filter((l) => l.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.msg).toContain('telegram/-100bad stopped: Bad Request: chat not found. Fix: Check chatId.');
    expect(errors[0]?.msg).toContain("other destinations keep running");
    expect(lines.some((l) => l.level === 40 && String(l.msg).includes('telegram/-100bad is stopped'))).toBe(true);
  });

  it('marks a sink failed when every destination stopped on its own', async () => {
    const sink = scriptedSink(() => new DeliveryError('fatal', 'Forbidden: bot was kicked', { status: 403, scope: 'destination' }), { destinations: ['a', 'b'] });
    const { delivery: d } = delivery([{ name: 'telegram', instance: sink.instance }]);
    d.deliver(alert(), ['telegram']);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(d.stats().sinks.telegram?.state).toBe('failed');
  });

  it('skips and counts a rejected alert; a rejected merged message is resent one by one', async () => {
    let release!: () => void;
    const sink = scriptedSink((call, message) => {
      if (call === 0) return new Promise<void>((r) => (release = r));
      if (message.includes('a3')) return new DeliveryError('rejected', "Bad Request: can't parse entities", { status: 400 });
    });
    const { delivery: d } = delivery([{ name: 's', instance: sink.instance }]);
    for (let i = 0; i < 4; i++) d.deliver(alert(), ['s']);
    await vi.advanceTimersByTimeAsync(0);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(flatten(sink.delivered)).toEqual(['a1', 'a2', 'a4']);
    expect(sink.calls).toEqual([['a1'], ['a2', 'a3', 'a4'], ['a2'], ['a3'], ['a4']]);
    expect(d.stats().sinks.s?.destinations.default).toMatchObject({ sent: 3, failed: { rejected: 1 }, retried: 0 });
  });

  it('retries a send that hangs past sendTimeout', async () => {
    const sink = scriptedSink((call, _, __, signal) =>
      call === 0 ? new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))) : undefined,
    );
    const { delivery: d } = delivery([{ name: 's', instance: sink.instance }], { sendTimeout: '5s' });
    d.deliver(alert(), ['s']);
    await vi.advanceTimersByTimeAsync(5_000 + 1_000);
    expect(flatten(sink.delivered)).toEqual(['a1']);
    expect(d.stats().sinks.s?.destinations.default).toMatchObject({ retried: 1, lastError: 'send timed out after 5000 ms' });
  });

  it('backs off exponentially up to the maximum', async () => {
    const sink = scriptedSink((call) => (call < 5 ? new Error('ECONNREFUSED') : undefined));
    const { delivery: d } = delivery([{ name: 's', instance: sink.instance }], { backoff: { min: '1s', max: '5s', factor: 2 } });
    d.deliver(alert(), ['s']);
    const tries: number[] = [];
    for (let t = 0; t <= 20_000; t += 500) {
      await vi.advanceTimersByTimeAsync(t === 0 ? 0 : 500);
      tries.push(sink.calls.length);
    }
    // tries at 0, 1s, 3s (2s), 7s (4s), 12s (5s, capped), 17s (5s)
    const firstAt = (count: number) => tries.indexOf(count) * 500;
    expect([1, 2, 3, 4, 5, 6].map(firstAt)).toEqual([0, 1_000, 3_000, 7_000, 12_000, 17_000]);
  });

  it('gives up after maxAttempts when set', async () => {
    const sink = scriptedSink((call) => (call < 3 ? new Error('ECONNREFUSED') : undefined));
    const { delivery: d } = delivery([{ name: 's', instance: sink.instance }], { maxAttempts: 3 });
    d.deliver(alert(), ['s']);
    await vi.advanceTimersByTimeAsync(3_000); // tries at 0s, 1s, 3s: given up
    d.deliver(alert(), ['s']);
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.calls).toEqual([['a1'], ['a1'], ['a1'], ['a2']]);
    expect(flatten(sink.delivered)).toEqual(['a2']);
    expect(d.stats().sinks.s?.destinations.default).toMatchObject({ failed: { attempts: 1 }, sent: 1 });
  });

  it('waits what a rate limit asks without counting failed tries: maxAttempts never drops paced alerts', async () => {
    const limited = () => new DeliveryError('retryable', 'HTTP 429 (flood control)', { retryAfterMs: 30_000, status: 429, rateLimited: true });
    const sink = scriptedSink((call) => (call < 4 ? limited() : undefined));
    const { delivery: d, lines } = delivery([{ name: 's', instance: sink.instance }], { maxAttempts: 2 });
    d.deliver(alert(), ['s']);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(sink.calls).toHaveLength(1); // the wait asked for, not the 1 s backoff
    d.deliver(alert(), ['s']); // arrives while waiting: merged into the next try
    await vi.advanceTimersByTimeAsync(3 * 30_000 + 1);
    expect(sink.calls).toEqual([['a1'], ['a1', 'a2'], ['a1', 'a2'], ['a1', 'a2'], ['a1', 'a2']]);
    expect(flatten(sink.delivered)).toEqual(['a1', 'a2']);
    expect(d.stats().sinks.s?.destinations.default).toMatchObject({ rateLimited: 4, retried: 0, sent: 2, failed: { attempts: 0 }, state: 'ok' });
    expect(d.stats().sinks.s?.destinations.default?.lastError).toBeUndefined();
    const waits = lines.filter((line) => String(line.msg).includes('asked liqmon to slow down'));
    expect(waits).toHaveLength(4);
    expect(waits[0]).toMatchObject({ level: 30, delayMs: 30_000 });
    expect(lines.some((line) => String(line.msg).includes('failed (try'))).toBe(false);
  });

  it('treats a retry-after without rateLimited, or rateLimited without a wait, as a failed try', async () => {
    const sink = scriptedSink((call) =>
      call === 0
        ? new DeliveryError('retryable', 'HTTP 503', { retryAfterMs: 2_000, status: 503 })
        : call === 1
          ? new DeliveryError('retryable', 'HTTP 429 without a wait', { status: 429, rateLimited: true })
          : undefined,
    );
    const { delivery: d } = delivery([{ name: 's', instance: sink.instance }]);
    d.deliver(alert(), ['s']);
    await vi.advanceTimersByTimeAsync(2_000 + 2_000);
    expect(flatten(sink.delivered)).toEqual(['a1']);
    expect(d.stats().sinks.s?.destinations.default).toMatchObject({ retried: 2, rateLimited: 0 });
  });
});

describe('overflow', () => {
  it('folds the oldest waiting single alerts into a digest, counted and said', async () => {
    let release!: () => void;
    const sink = scriptedSink((call) => (call === 0 ? new Promise<void>((r) => (release = r)) : undefined), { limits: { maxAlertsPerMessage: 50 } });
    const { delivery: d, lines } = delivery([{ name: 's', instance: sink.instance }], { queueSize: 5 });
    const formatterSeen: Alert[][] = [];
    const render = sink.instance.render;
    sink.instance.render = (alerts) => {
      formatterSeen.push([...alerts]);
      return render(alerts);
    };
    d.deliver(alert(), ['s']); // a1 in flight
    await vi.advanceTimersByTimeAsync(0);
    const cascade: Alert = {
      kind: 'cascade', rule: 'cascades', events: [], createdAt: T0, key: { base: 'BTC', side: 'long' }, windowMs: 60_000, count: 30, totalUsd: 9e6,
      byExchange: { binance: { count: 30, notionalUsd: 9e6 } }, largest: liq({ usd: 1e6 }), firstTime: T0, lastTime: T0,
    };
    d.deliver(cascade, ['s']);
    for (let i = 0; i < 9; i++) d.deliver(alert(200_000 + i * 100_000), ['s']); // a2..a10
    release();
    await vi.advanceTimersByTimeAsync(0);
    const second = sink.delivered[1]?.message;
    // 5 may wait: the cascade, the digest of the 6 oldest singles (a2..a7), and a8..a10
    expect(second).toEqual([idOf(cascade), 'digest:6', 'a8', 'a9', 'a10']);
    const digest = formatterSeen.at(-1)?.[1];
    expect(createFormatter().plain(digest ? [digest] : [])).toMatchInlineSnapshot(`
      "🟠 +6 more liquidations, $2.7M in total
      12:34:56 UTC
      Largest $700K BINANCE BTCUSDT long at $64,250.1

      BINANCE: only a sample of liquidations is reported, so totals are a lower bound"
    `);
    expect(d.stats().sinks.s?.destinations.default).toMatchObject({ queued: 11, folded: 6, sent: 6 });
    expect(lines.filter((l) => String(l.msg).includes('folding its oldest alerts into a digest'))).toHaveLength(1);
  });
});

describe('drain', () => {
  it('delivers what is queued before the deadline and stops the sinks', async () => {
    const sink = scriptedSink((call) => (call === 0 ? new Error('ECONNRESET') : undefined));
    const { delivery: d } = delivery([{ name: 's', instance: sink.instance }]);
    d.deliver(alert(), ['s']);
    d.deliver(alert(), ['s']);
    const drained = d.drain(10_000);
    await vi.advanceTimersByTimeAsync(1_000);
    const report = await drained;
    expect(report).toMatchObject({ complete: true, delivered: 2, undelivered: [] });
    expect(flatten(sink.delivered)).toEqual(['a1', 'a2']);
    expect(sink.stopped()).toBe(1);
    d.deliver(alert(), ['s']);
    expect(d.stats().sinks.s?.destinations.default?.failed.shutdown).toBe(1);
  });

  it('reports what could not be delivered by the deadline', async () => {
    const sink = scriptedSink(() => new DeliveryError('retryable', 'Too Many Requests', { status: 429, retryAfterMs: 30_000 }));
    const { delivery: d } = delivery([{ name: 's', instance: sink.instance }]);
    d.deliver(alert(250_000), ['s']);
    d.deliver(alert(50_000), ['s']);
    const drained = d.drain(5_000);
    await vi.advanceTimersByTimeAsync(5_000);
    const report = await drained;
    expect(report.complete).toBe(false);
    expect(report.undelivered).toEqual([{ sink: 's', destination: 'default', alerts: 2, liquidations: 2, totalUsd: 300_000 }]);
    expect(report.stats.sinks.s?.destinations.default?.failed.shutdown).toBe(2);
    expect(sink.stopped()).toBe(1);
  });
});
