/**
 * Flood control of the fake Bot API. Telegram's Bot FAQ (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
 * "In a single chat, avoid sending more than one message per second", "bots are not able to
 * broadcast more than about 30 messages per second", and "your bot will not be able to send more
 * than 20 messages per minute to the same group". Past a limit Telegram answers 429 with
 * `parameters.retry_after`: "the number of seconds left to wait before the request can be repeated"
 * (ResponseParameters, https://core.telegram.org/bots/api#responseparameters). The fake counts every
 * request that arrives before that time as a violation, so tests can prove each 429 was honoured.
 */

/** A sliding window: at most `count` messages per `windowMs`. */
export interface FloodWindow {
  count: number;
  windowMs: number;
}

/** Rate limits of the fake. */
export interface FloodLimits {
  /** Per chat with a positive id (private chats). @default 1 per 1000 ms */
  chat?: FloodWindow;
  /** Per group, supergroup or channel (ids starting with `-`, and `@channel` names). @default 20 per 60000 ms */
  group?: FloodWindow;
  /**
   * `retry_after` to answer, in seconds. Telegram sends the time until a slot frees, in whole seconds
   * (the default); `'exact'` answers that time as a fraction and a number answers always the same, so
   * tests with short windows stay fast. @default whole seconds
   */
  retryAfter?: number | 'exact';
}

export class FloodControl {
  private readonly sent = new Map<string, number[]>();
  private readonly bannedUntil = new Map<string, number>();
  /** 429 answers given. */
  tooManyRequests = 0;
  /** Requests that came before the `retry_after` of an earlier 429 to the same chat had passed. */
  violations = 0;

  constructor(
    private readonly limits: FloodLimits | false,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Check a message to `chat`: undefined when it may go (and it is counted), else `retry_after` in
   * seconds to answer with a 429.
   */
  admit(chat: string): number | undefined {
    if (this.limits === false) return undefined;
    const now = this.now();
    const banned = this.bannedUntil.get(chat);
    if (banned !== undefined && now < banned - 1) {
      // 1 ms of slack for timer granularity: a client that waited retry_after is never counted.
      this.violations++;
      return this.refuse(chat, banned - now);
    }
    const window = isGroup(chat) ? (this.limits.group ?? { count: 20, windowMs: 60_000 }) : (this.limits.chat ?? { count: 1, windowMs: 1000 });
    const times = (this.sent.get(chat) ?? []).filter((time) => time > now - window.windowMs);
    if (times.length >= window.count) {
      this.sent.set(chat, times);
      return this.refuse(chat, times[0]! + window.windowMs - now);
    }
    times.push(now);
    this.sent.set(chat, times);
    return undefined;
  }

  /**
   * Count a violation when `chat` is still banned by an earlier 429, for answers that do not go through
   * {@link admit} (a lasting scripted failure). Returns true for a violation.
   */
  checkBan(chat: string): boolean {
    const banned = this.bannedUntil.get(chat);
    if (banned === undefined || this.now() >= banned - 1) return false;
    this.violations++;
    return true;
  }

  /** Answer a scripted 429 for `chat`, banning it for `seconds`. */
  ban(chat: string, seconds: number): void {
    this.tooManyRequests++;
    this.bannedUntil.set(chat, this.now() + seconds * 1000);
  }

  private refuse(chat: string, waitMs: number): number {
    const setting = this.limits === false ? undefined : this.limits.retryAfter;
    const seconds = typeof setting === 'number' ? setting : setting === 'exact' ? Math.max(0.001, waitMs / 1000) : Math.max(1, Math.ceil(waitMs / 1000));
    this.ban(chat, seconds);
    return seconds;
  }
}

/** Groups, supergroups and channels have negative ids; `@name` addresses a public channel or supergroup. */
export function isGroup(chat: string): boolean {
  return chat.startsWith('-') || chat.startsWith('@');
}
