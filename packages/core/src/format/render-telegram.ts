/**
 * Telegram renderers. Both produce exactly the text of {@link renderPlain} once Telegram has parsed the
 * markup, with the headline in bold. Telegram counts a message's length after parsing: at most
 * {@link TELEGRAM_MESSAGE_LIMIT} characters ("Text of the message to be sent, 1-4096 characters after
 * entities parsing", Bot API sendMessage).
 */
import { escapeMarkdownV2, escapeTelegramHtml } from './escape.js';
import { headlineParts } from './render-plain.js';
import type { FormattedAlert } from './types.js';

/** Longest `text` of a Telegram message, counted after entities parsing. */
export const TELEGRAM_MESSAGE_LIMIT = 4096;

function render(alerts: readonly FormattedAlert[], escape: (text: string) => string, bold: (text: string) => string): string {
  return alerts
    .map((alert) => {
      const { emoji, strong, skulls } = headlineParts(alert);
      const head = [emoji && escape(emoji), strong && bold(escape(strong)), skulls && escape(skulls)].filter(Boolean).join(' ');
      return [head, ...alert.lines.map(escape)].join('\n');
    })
    .join('\n\n');
}

/** Text for `parse_mode: "MarkdownV2"`. */
export function renderTelegramMarkdownV2(alerts: readonly FormattedAlert[]): string {
  return render(alerts, escapeMarkdownV2, (text) => `*${text}*`);
}

/** Text for `parse_mode: "HTML"`. */
export function renderTelegramHtml(alerts: readonly FormattedAlert[]): string {
  return render(alerts, escapeTelegramHtml, (text) => `<b>${text}</b>`);
}

/**
 * Length of a rendered Telegram text as Telegram counts it (after parsing), in UTF-16 code units, which
 * is never less than Telegram's count. Use it as a Telegram sink's `measure`.
 */
export function telegramTextLength(text: string, parseMode: 'MarkdownV2' | 'HTML'): number {
  if (parseMode === 'HTML') return text.replace(/<[^>]*>/g, '').replace(/&(?:lt|gt|amp|quot|#\d+|#x[\da-f]+);/gi, '_').length;
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\\') {
      i++; // the escaped character counts, the backslash does not
      length++;
    } else if (char !== '*' && char !== '_' && char !== '~' && char !== '|') {
      length++;
    }
  }
  return length;
}
