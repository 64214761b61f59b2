/** Options of the Telegram sink, as users write them under `sinks.<name>`. */
import { duration, z } from '@liqmon/core';

/** A chat id (`-1001234567890`, `123456789`) or a public `@channel` / `@supergroup` name. */
const CHAT = /^(-?\d+|@[A-Za-z][A-Za-z0-9_]{3,})$/;

/**
 * One chat, or several: a list, or one string with commas (`"-100123,-100456"`, handy in an env var).
 * Numbers are accepted (YAML reads `-1001234567890` as one) and kept as text.
 */
const chatIds = z
  .union([z.string(), z.number().int(), z.array(z.union([z.string(), z.number().int()])).min(1)])
  .transform((value, ctx) => {
    const list = (Array.isArray(value) ? value : [value]).flatMap((item) => String(item).split(',')).map((item) => item.trim()).filter(Boolean);
    const bad = list.filter((item) => !CHAT.test(item));
    if (list.length === 0 || bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `${bad.length ? bad.map((b) => JSON.stringify(b)).join(', ') : 'nothing'} is not a chat id: write a number such as -1001234567890 (groups and channels are negative) or @channelname`,
      });
      return z.NEVER;
    }
    return [...new Set(list)];
  })
  .meta({ description: 'Chat id (-1001234567890, 123456789 or @channel), a list of them, or several separated by commas' });

export const telegramOptions = z.object({
  /** Bot token from @BotFather (`123456789:AA...`). Secret: redacted from every log line and error. */
  token: z.string().min(1).describe('Bot token from @BotFather (123456789:AA...)'),
  /** Chat(s) to post to; one outbox each. */
  chatId: chatIds,
  /** Forum topic (`message_thread_id`) to post in, for supergroups with topics. @default none */
  threadId: z.number().int().positive().optional().describe('Forum topic id (message_thread_id)'),
  /** Deliver silently (users get a notification without sound). @default false */
  disableNotification: z.boolean().default(false).describe('Send silently (default false)'),
  /** Markup the formatter renders and Telegram parses. @default MarkdownV2 */
  parseMode: z.enum(['MarkdownV2', 'HTML']).default('MarkdownV2').describe('MarkdownV2 (default) or HTML'),
  /** Bot API base URL (a local Bot API server, or a fake in tests). @default https://api.telegram.org */
  apiUrl: z
    .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })
    .default('https://api.telegram.org')
    .describe('Bot API base URL (default https://api.telegram.org)'),
  /**
   * Shortest gap between two messages to one chat, so Telegram's flood limits are not hit: about one
   * message a second in a chat, 20 a minute in a group or channel, 30 a second for the bot across
   * chats. `0ms` switches a gap off.
   * @default { chat: 1s, group: 3s, bot: 34ms }
   */
  pacing: z
    .object({
      /** Private chats (positive ids). @default 1s */
      chat: duration().default(1000).describe('Gap between messages to a private chat (default 1s)'),
      /** Groups, supergroups and channels (ids starting with -, and @names). @default 3s */
      group: duration().default(3000).describe('Gap between messages to a group or channel (default 3s)'),
      /** Any two messages of the bot, whatever their chats: Telegram's ~30 messages a second per bot. @default 34ms */
      bot: duration().default(34).describe('Gap between any two messages of the bot, across chats (default 34ms: under 30 a second)'),
    })
    .strict()
    .default({ chat: 1000, group: 3000, bot: 34 })
    .describe('Gaps between messages to one chat'),
  /** Give up on one HTTP request after this long (the outbox then retries). @default 30s */
  requestTimeout: duration().default(30_000).describe('Timeout of one request (default 30s)'),
});

/** Validated options. */
export type TelegramOptions = z.output<typeof telegramOptions>;
