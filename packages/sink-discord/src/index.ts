/**
 * @liqmon/sink-discord: liqmon alerts as Discord embeds through a channel webhook. Load it with
 * `use: discord` (a built-in alias) and give it `webhookUrl`. See README.md for setup and errors.
 */
import { defineSink } from '@liqmon/core';
import { discordOptions } from './options.js';
import { createDiscordSink } from './sink.js';

export default defineSink({
  name: 'discord',
  description: 'Discord channel webhook: alerts as embeds, paced by Discord rate-limit headers',
  options: discordOptions,
  secrets: ['webhookUrl'],
  create: (options, context) => createDiscordSink(options, context),
});

export { discordOptions, parseWebhookUrl, WEBHOOK_URL_RE, type DiscordOptions, type DiscordOptionsInput, type WebhookTarget } from './options.js';
export { createDiscordSink, INLINE_WAIT_MAX_MS, type DiscordSinkDeps, type WebhookBody } from './sink.js';
export { PACE_MARGIN_MS, RateLimitPacer, readRateLimit, type RateLimitAnswer } from './rate-limit.js';
export { failureOf, formErrors } from './response.js';
