/**
 * @liqmon/sink-telegram: liqmon alerts to Telegram chats, groups, channels and forum topics through the
 * Bot API's sendMessage, rendered by core's formatter (MarkdownV2 or HTML), paced per chat, with every
 * Bot API error mapped to what the outbox should do. See README.md.
 */
import { defineSink } from '@liqmon/core';
import { telegramOptions } from './options.js';
import { createTelegramSink } from './sink.js';

export { telegramOptions, type TelegramOptions } from './options.js';
export { createTelegramSink, TELEGRAM_MAX_ALERTS_PER_MESSAGE } from './sink.js';
export { classify, type BotApiFailure } from './classify.js';
export { ChatPacer, isGroupChat, type PacerClock, type PacingGaps } from './pacer.js';

export default defineSink({
  name: 'telegram',
  description: 'Posts alerts to Telegram chats, groups, channels and forum topics through a bot',
  options: telegramOptions,
  secrets: ['token'],
  create: (options, context) => createTelegramSink(options, context),
});
