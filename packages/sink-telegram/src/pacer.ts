/**
 * Keeps messages to one chat apart so Telegram's flood control rarely answers 429. Telegram's Bot FAQ
 * (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this): "In a single chat,
 * avoid sending more than one message per second", and "your bot will not be able to send more than 20
 * messages per minute to the same group". A fixed gap per chat (rather than a bucket that allows
 * bursts) never trips either limit, and core's outbox merges what waits meanwhile into the next message.
 * Across chats the FAQ says "avoid sending more than 30 messages per second" for one bot: an optional
 * `bot` gap keeps any two messages of the sink that far apart (34 ms by default in the options).
 */

/** Waits and the clock, replaceable in tests. */
export interface PacerClock {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const realClock: PacerClock = {
  // Monotonic: a wall clock stepped back by NTP would hold every chat of the bot for as long.
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason as Error);
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }),
};

/** Gaps between messages to one chat, and between any two messages of the bot, in ms. */
export interface PacingGaps {
  chat: number;
  group: number;
  /** Between any two messages, whatever their chats. @default 0 (none) */
  bot?: number;
}

/** Groups, supergroups and channels have negative ids; `@name` is a public channel or supergroup. */
export function isGroupChat(chat: string): boolean {
  return chat.startsWith('-') || chat.startsWith('@');
}

export class ChatPacer {
  private readonly next = new Map<string, number>();
  /** When the bot may send its next message to any chat. */
  private nextAny = 0;

  constructor(
    private readonly gaps: PacingGaps,
    private readonly clock: PacerClock = realClock,
  ) {}

  /** How long a message to `chat` would wait now, in ms. */
  delay(chat: string): number {
    return Math.max(0, (this.next.get(chat) ?? 0) - this.clock.now());
  }

  /** Wait for `chat`'s turn and the bot's, then book the next slots. Rejects when `signal` aborts. */
  async take(chat: string, signal: AbortSignal): Promise<void> {
    // Several chats' outboxes wait at once: whoever wakes first takes the bot's slot, so check again.
    for (let wait = this.wait(chat); wait > 0; wait = this.wait(chat)) await this.clock.sleep(wait, signal);
    const now = this.clock.now();
    const gap = isGroupChat(chat) ? this.gaps.group : this.gaps.chat;
    this.next.set(chat, now + gap);
    this.nextAny = now + (this.gaps.bot ?? 0);
  }

  private wait(chat: string): number {
    return Math.max(this.delay(chat), this.nextAny - this.clock.now());
  }

  /**
   * Telegram answered a message to `chat`: the gap also counts from the answer. Telegram counts
   * messages as they arrive, and a request delayed on the way could otherwise arrive less than a gap
   * before the next one.
   */
  answered(chat: string): void {
    const gap = isGroupChat(chat) ? this.gaps.group : this.gaps.chat;
    this.next.set(chat, Math.max(this.next.get(chat) ?? 0, this.clock.now() + gap));
  }

  /** Telegram said to wait (429 `retry_after`): no message to `chat` before then. */
  hold(chat: string, ms: number): void {
    this.next.set(chat, Math.max(this.next.get(chat) ?? 0, this.clock.now() + ms));
  }
}
