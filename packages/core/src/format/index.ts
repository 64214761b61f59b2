/** Core's formatter and the renderers for each markup. */
export { createFormatter, DEFAULT_COIN_EMOJI, type Formatter } from './formatter.js';
export type { FormatOptions, FormattedAlert, FormattedField } from './types.js';
export { renderPlain } from './render-plain.js';
export { renderTelegramHtml, renderTelegramMarkdownV2, telegramTextLength, TELEGRAM_MESSAGE_LIMIT } from './render-telegram.js';
export {
  DISCORD_COLORS,
  DISCORD_LIMITS,
  discordMessageLength,
  renderDiscord,
  type DiscordEmbed,
  type DiscordMessage,
} from './render-discord.js';
export { escapeDiscord, escapeMarkdownV2, escapeTelegramHtml } from './escape.js';
export { compactNumber, formatDuration, formatPrice, formatQuantity, formatUsd, formatUtc, formatUtcSpan } from './numbers.js';
export { readableText, type MessageMarkup } from './readable.js';
export { escapeUnsafeJson, sanitizeLiquidation, sanitizeText } from './sanitize.js';
export { formatPeriod, formatShare, periodLabel } from './summary.js';
