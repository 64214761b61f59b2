/**
 * What a Bot API error means for delivery. Telegram answers `{"ok":false,"error_code":N,"description":
 * "...","parameters":{...}}` (https://core.telegram.org/bots/api#making-requests); `parameters` is a
 * ResponseParameters with `retry_after` ("the number of seconds left to wait before the request can be
 * repeated") and `migrate_to_chat_id` ("the group has been migrated to a supergroup with the specified
 * identifier"), https://core.telegram.org/bots/api#responseparameters. Every message quotes Telegram's
 * exact description; none contains the request URL (it holds the token).
 */
import { DeliveryError } from '@liqmon/core';

/** A Bot API reply that was not `ok`. */
export interface BotApiFailure {
  status: number;
  description: string;
  retryAfter?: number;
  migrateToChatId?: string;
}

const TOKEN_HINT =
  'Check the token (TELEGRAM_BOT_TOKEN, or `token:` of this sink): it is the whole "123456789:AA..." string @BotFather gave you (in @BotFather: /mybots, your bot, API Token; /revoke makes a new one). Then restart liqmon.';
const CHAT_HINT =
  'Check chatId (TELEGRAM_CHAT_ID). Private chat: send /start to the bot first. Group: add the bot to it. Channel: make the bot an administrator that may post. Group and channel ids are negative (supergroups and channels start with -100); the README says how to find them.';

/**
 * Turn a failed reply for `chat` into the DeliveryError the outbox acts on. Migrations are handled by
 * the caller before this is reached.
 */
export function classify(failure: BotApiFailure, chat: string): DeliveryError {
  const { status, description } = failure;
  const said = `Telegram answered ${status} "${description}" for chat ${chat}`;
  const lower = description.toLowerCase();
  if (status === 429) {
    const retryAfterMs = failure.retryAfter !== undefined ? Math.max(0, failure.retryAfter * 1000) : undefined;
    // Pacing, not a failure: the outbox waits retry_after without spending a try (DeliveryError.rateLimited).
    return new DeliveryError('retryable', `${said} (flood control)`, { status, rateLimited: true, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  }
  if (status >= 500) return new DeliveryError('retryable', said, { status });
  if (status === 401) return new DeliveryError('fatal', `${said}: the bot token is wrong or was revoked`, { status, hint: TOKEN_HINT });
  if (status === 404) {
    return new DeliveryError('fatal', `${said}: Telegram knows no bot with this token`, {
      status,
      hint: `${TOKEN_HINT} If you set apiUrl, check it too.`,
    });
  }
  // From here on the error concerns this chat, not the bot: `scope: 'destination'` stops this chat only,
  // and the sink's other chats keep receiving alerts.
  const scope = 'destination';
  if (status === 403) return new DeliveryError('fatal', said, { status, scope, hint: forbiddenHint(lower) });
  if (lower.includes('chat not found')) return new DeliveryError('fatal', said, { status, scope, hint: CHAT_HINT });
  if (lower.includes('message thread not found') || lower.includes('topic_closed') || lower.includes('topic closed')) {
    return new DeliveryError('fatal', said, {
      status,
      scope,
      hint: 'Check threadId: it must be the id of an open topic of this forum supergroup (the number after the last / in a topic message link), or remove threadId.',
    });
  }
  if (lower.includes('not enough rights') || lower.includes('have no rights') || lower.includes('chat_write_forbidden')) {
    return new DeliveryError('fatal', said, { status, scope, hint: 'Allow the bot to send messages in this chat (group permissions, or make it an administrator), then restart liqmon.' });
  }
  if (lower.includes("can't parse entities")) {
    return new DeliveryError('rejected', `${said}: liqmon rendered markup Telegram cannot parse`, {
      status,
      hint: 'This is a liqmon bug: please report it with this log line. Meanwhile `parseMode: HTML` may avoid it.',
    });
  }
  if (lower.includes('message is too long')) {
    return new DeliveryError('rejected', `${said}: the message was longer than 4096 characters`, { status, hint: 'This is a liqmon bug: please report it with this log line.' });
  }
  return new DeliveryError('rejected', said, { status });
}

function forbiddenHint(description: string): string {
  if (description.includes('blocked by the user')) return 'The user blocked the bot: open the chat with the bot, unblock it and press Start, then restart liqmon.';
  if (description.includes("can't initiate conversation") || description.includes('bot can\'t send messages to bots')) {
    return 'A bot may only write to a user who started it: open the chat with the bot and press Start (or send /start), then restart liqmon.';
  }
  if (description.includes('kicked') || description.includes('not a member')) {
    return 'The bot is not in this chat any more: add it back (in a channel, as an administrator allowed to post), then restart liqmon.';
  }
  if (description.includes('deactivated')) return 'This user account was deleted: remove its chat id from chatId.';
  return 'Telegram forbids the bot to write to this chat: check that the bot is a member (an administrator in channels) and allowed to post, then restart liqmon.';
}
