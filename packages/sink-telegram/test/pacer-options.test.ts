import { FakeTelegram } from '@liqmon/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import telegram, { ChatPacer, type PacerClock } from '../src/index.js';
import { alert, createSink, FAKE_TELEGRAM_TOKEN } from './helpers.js';

/** A clock whose sleeps pass instantly and are recorded. */
function fakeClock() {
  let now = 1_000_000;
  const sleeps: number[] = [];
  const clock: PacerClock = {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
  return { clock, sleeps, advance: (ms: number) => void (now += ms) };
}

const signal = new AbortController().signal;

describe('ChatPacer', () => {
  it('keeps 1 s between messages to a private chat and 3 s in groups and channels, per chat', async () => {
    const { clock, sleeps, advance } = fakeClock();
    const pacer = new ChatPacer({ chat: 1000, group: 3000 }, clock);
    await pacer.take('1001', signal);
    await pacer.take('-1001234567890', signal);
    await pacer.take('@channel', signal);
    expect(sleeps).toEqual([]); // first messages go at once, other chats do not wait for each other
    await pacer.take('1001', signal);
    expect(sleeps).toEqual([1000]);
    advance(1000);
    await pacer.take('-1001234567890', signal);
    expect(sleeps).toEqual([1000, 1000]); // 3 s after the last one, 2 s of which have passed
  });

  it('keeps the bot gap between any two messages, whatever their chats', async () => {
    const { clock, sleeps } = fakeClock();
    const pacer = new ChatPacer({ chat: 1000, group: 3000, bot: 100 }, clock);
    await pacer.take('1', signal);
    await pacer.take('2', signal);
    await pacer.take('-3', signal);
    expect(sleeps).toEqual([100, 100]);
    await pacer.take('1', signal); // its own 1 s gap is the longer wait now
    expect(sleeps).toEqual([100, 100, 800]);
  });

  it('gives the bot slot to one chat at a time when several chats wait at once', async () => {
    // The real clock and sleeps, on fake timers: on a loaded machine the process can be paused between
    // a booking and the test reading the time, which made real-time gaps look shorter than booked.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const pacer = new ChatPacer({ chat: 0, group: 0, bot: 20 });
      const sent: number[] = [];
      const all = Promise.all(
        ['1', '2', '3', '-4', '5'].map(async (chat) => {
          await pacer.take(chat, signal);
          sent.push(performance.now());
        }),
      );
      await vi.advanceTimersByTimeAsync(200);
      await all;
      const gaps = sent.slice(1).map((at, i) => at - sent[i]!);
      expect(gaps).toHaveLength(4);
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(18); // timers may fire a millisecond early
    } finally {
      vi.useRealTimers();
    }
  });

  it('counts the gap from the answer too, so a slow request cannot arrive close to the next one', async () => {
    const { clock, sleeps, advance } = fakeClock();
    const pacer = new ChatPacer({ chat: 1000, group: 3000 }, clock);
    await pacer.take('1001', signal);
    advance(400); // the request took 400 ms to be answered
    pacer.answered('1001');
    await pacer.take('1001', signal);
    expect(sleeps).toEqual([1000]); // a full gap after the answer, not 600 ms after the send
  });

  it('holds a chat for the retry_after of a 429', async () => {
    const { clock, sleeps } = fakeClock();
    const pacer = new ChatPacer({ chat: 1000, group: 3000 }, clock);
    pacer.hold('1001', 12_000);
    await pacer.take('1001', signal);
    expect(sleeps).toEqual([12_000]);
  });

  it('gives up waiting when the send is aborted', async () => {
    const pacer = new ChatPacer({ chat: 60_000, group: 60_000 });
    await pacer.take('1001', signal);
    const controller = new AbortController();
    const waiting = pacer.take('1001', controller.signal);
    controller.abort(new Error('shutdown'));
    await expect(waiting).rejects.toThrow('shutdown');
  });
});

describe('the sink paces per chat', () => {
  let fake: FakeTelegram | undefined;
  afterEach(async () => fake?.close());

  it('waits the configured gap before the second message to a chat, and after a 429', async () => {
    fake = await FakeTelegram.start({ rateLimit: false });
    const { clock, sleeps } = fakeClock();
    const { sink } = createSink(fake, { chatId: ['1001', '-1001234567890'], pacing: { chat: '1s', group: '3s', bot: '0ms' } }, { clock });
    const text = sink.render([alert()]);
    await sink.send(text, '1001', signal);
    await sink.send(text, '-1001234567890', signal);
    await sink.send(text, '1001', signal);
    await sink.send(text, '-1001234567890', signal);
    expect(sleeps).toEqual([1000, 2000]);
    fake.failNext(1, { status: 429, retryAfter: 5 });
    await expect(sink.send(text, '1001', signal)).rejects.toMatchObject({ retryAfterMs: 5000 });
    await sink.send(text, '1001', signal);
    expect(sleeps.at(-1)).toBe(5000);
    expect(fake.messages).toHaveLength(5);
  });
});

describe('options', () => {
  const parse = (extra: Record<string, unknown>) => telegram.options.safeParse({ token: FAKE_TELEGRAM_TOKEN, ...extra });

  it('defaults', () => {
    expect(telegram.options.parse({ token: FAKE_TELEGRAM_TOKEN, chatId: '-1001234567890' })).toEqual({
      token: FAKE_TELEGRAM_TOKEN,
      chatId: ['-1001234567890'],
      disableNotification: false,
      parseMode: 'MarkdownV2',
      apiUrl: 'https://api.telegram.org',
      pacing: { chat: 1000, group: 3000, bot: 34 },
      requestTimeout: 30_000,
    });
    expect(telegram.secrets).toEqual(['token']);
  });

  it('takes one chat, a number, a list, or several separated by commas (one outbox each)', () => {
    expect(parse({ chatId: -1001234567890 }).data?.chatId).toEqual(['-1001234567890']);
    expect(parse({ chatId: ['1001', -1002, '@mychannel'] }).data?.chatId).toEqual(['1001', '-1002', '@mychannel']);
    expect(parse({ chatId: '1001, -1002,1001' }).data?.chatId).toEqual(['1001', '-1002']);
  });

  it('refuses what is not a chat id, unknown parse modes and bare-number durations', () => {
    expect(parse({ chatId: 'my group' }).error?.issues[0]?.message).toContain('"my group" is not a chat id');
    expect(parse({ chatId: '' }).success).toBe(false);
    expect(parse({ chatId: '1', parseMode: 'Markdown' }).success).toBe(false);
    expect(parse({ chatId: '1', pacing: { chat: 1 } }).success).toBe(false);
    expect(parse({ chatId: '1', pacing: { chats: '1s' } }).success).toBe(false);
  });
});
