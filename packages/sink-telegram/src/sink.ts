/**
 * The Telegram sink instance: one outbox per chat (core merges, retries and stops on fatal errors);
 * here only rendering with core's formatter, pacing per chat, the HTTP call, migrations, and the
 * translation of Telegram's answers into DeliveryErrors.
 */
import { readableText, TELEGRAM_MESSAGE_LIMIT, telegramTextLength, type SinkContext, type SinkInstance } from '@liqmon/core';
import { callBotApi, type SendMessageParams } from './api.js';
import { classify } from './classify.js';
import type { TelegramOptions } from './options.js';
import { ChatPacer, realClock, type PacerClock } from './pacer.js';

/** Alerts merged into one message at most (fewer when 4096 characters are reached first). */
export const TELEGRAM_MAX_ALERTS_PER_MESSAGE = 20;

/** Migrations followed in a row for one message before giving up (a loop would be Telegram's bug). */
const MAX_MIGRATIONS = 3;

/** Build the sink instance. No I/O. */
export function createTelegramSink(options: TelegramOptions, context: SinkContext, clock: PacerClock = realClock): SinkInstance<string> {
  const { token, parseMode } = options;
  // The token is registered by core (listed in `secrets`); its secret half and the URL path that carries
  // it are registered too, so that neither can leak through a partial echo.
  context.secrets.add(`bot${token}`);
  context.secrets.add(token.slice(token.indexOf(':') + 1));
  if (!/^\d+:[A-Za-z0-9_-]{20,}$/.test(token)) {
    context.logger.warn(`sink "${context.name}": the token does not look like a bot token from @BotFather ("123456789:AA..."); Telegram will likely refuse it`);
  }
  const pacer = new ChatPacer(options.pacing, clock);
  const migrated = new Map<string, string>();

  async function send(text: string, destination: string, signal: AbortSignal): Promise<void> {
    for (let migrations = 0; ; migrations++) {
      const chat = migrated.get(destination) ?? destination;
      await pacer.take(chat, signal);
      const params: SendMessageParams = {
        chat_id: chat,
        text,
        parse_mode: parseMode,
        link_preview_options: { is_disabled: true },
        ...(options.threadId !== undefined ? { message_thread_id: options.threadId } : {}),
        ...(options.disableNotification ? { disable_notification: true } : {}),
      };
      const result = await callBotApi('sendMessage', params, { apiUrl: options.apiUrl, token, timeoutMs: options.requestTimeout, signal });
      pacer.answered(chat);
      if (result.ok) return;
      if (result.migrateToChatId !== undefined && migrations < MAX_MIGRATIONS) {
        // https://core.telegram.org/bots/api#responseparameters: the group became a supergroup with a
        // new id. Follow it for the rest of this run, and ask for the config to be updated.
        migrated.set(destination, result.migrateToChatId);
        context.logger.warn(
          { chat, newChat: result.migrateToChatId },
          `Telegram chat ${chat} was upgraded to a supergroup with id ${result.migrateToChatId}; sending there from now on. Update chatId in your config (TELEGRAM_CHAT_ID) to ${result.migrateToChatId}.`,
        );
        continue;
      }
      if (result.status === 429 && result.retryAfter !== undefined) pacer.hold(chat, result.retryAfter * 1000);
      const error = classify(result, chat);
      if (error.kind === 'rejected') context.logger.error({ status: error.status, hint: error.hint }, error.message);
      throw error;
    }
  }

  return {
    destinations: options.chatId,
    limits: { maxMessageSize: TELEGRAM_MESSAGE_LIMIT, maxAlertsPerMessage: TELEGRAM_MAX_ALERTS_PER_MESSAGE },
    render: (alerts) => (parseMode === 'HTML' ? context.formatter.telegramHtml(alerts) : context.formatter.telegramMarkdownV2(alerts)),
    measure: (text) => telegramTextLength(text, parseMode),
    preview: (text) => readableText(text, parseMode),
    send,
  };
}
