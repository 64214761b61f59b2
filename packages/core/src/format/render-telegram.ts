/**
 * Telegram renderers. Both produce exactly the text of {@link renderPlain} once Telegram has parsed the
 * markup, with the headline in bold. Telegram counts a message's length after parsing: at most
 * {@link TELEGRAM_MESSAGE_LIMIT} characters ("Text of the message to be sent, 1-4096 characters after
 * entities parsing", Bot API sendMessage).
 */
import { escapeMarkdownV2, escapeTelegramHtml } from './escape.js';
import { headlineParts, renderPlain } from './render-plain.js';
import type { FormattedAlert } from './types.js';

/** Longest `text` of a Telegram message, counted after entities parsing. */
export const TELEGRAM_MESSAGE_LIMIT = 4096;

/** Longest footer kept whole (it is built from wording and exchange names: short, unless misconfigured). */
const FOOTER_MAX = 1000;

function render(
  alerts: readonly FormattedAlert[],
  footer: string | undefined,
  escape: (text: string) => string,
  bold: (text: string) => string,
  italic: (text: string) => string,
): string {
  const note = footer && footer.length > FOOTER_MAX ? `${cutAt(footer, FOOTER_MAX - 1)}…` : footer;
  // The footer and its blank line take room from each alert's limit, so the whole still fits.
  const limit = TELEGRAM_MESSAGE_LIMIT - (note ? note.length + 2 : 0);
  const blocks = alerts
    .map((alert) => clipToTelegramLimit(alert, limit))
    .map((alert) => {
      const { emoji, strong, skulls } = headlineParts(alert);
      const head = [emoji && escape(emoji), strong && bold(escape(strong)), skulls && escape(skulls)].filter(Boolean).join(' ');
      return [head, ...alert.lines.map(escape)].join('\n');
    });
  if (note) blocks.push(italic(escape(note)));
  return blocks.join('\n\n');
}

/**
 * An alert whose plain text (what Telegram counts) is longer than `limit` is cut, before any markup
 * is added, so that escapes and entities can never be split: the outbox sends an alert on its own when
 * it does not fit with others, so each alert alone must fit, or Telegram refuses it ("message is too
 * long") forever. Parts are kept in reading order (emoji, tag, title, skulls, lines); the part that
 * crosses the limit ends with `…` and later parts are dropped. Separators are counted for every part,
 * so the result never exceeds `limit`.
 */
export function clipToTelegramLimit(alert: FormattedAlert, limit = TELEGRAM_MESSAGE_LIMIT): FormattedAlert {
  if (renderPlain([alert]).length <= limit) return alert;
  const parts = [alert.emoji, alert.tag, alert.title, alert.skulls, ...alert.lines];
  const kept: string[] = [];
  let used = 0;
  for (const part of parts) {
    const separator = kept.length === 0 ? 0 : 1;
    // Keep 2 spare for the part that crosses the limit: its separator and the ellipsis. Whole parts
    // then leave used <= limit - 2, so even a crossing part cut to nothing ("…") still fits.
    const room = limit - 2 - used - separator;
    if (part.length <= room) {
      kept.push(part);
      used += separator + part.length;
      continue;
    }
    kept.push(`${cutAt(part, Math.max(0, room))}…`);
    break;
  }
  const [emoji = '', tag = '', title = '', skulls = '', ...lines] = kept;
  return { ...alert, emoji, tag, title, skulls, lines };
}

/** The first `length` UTF-16 units of `text`, one less if that would split a surrogate pair. */
function cutAt(text: string, length: number): string {
  const code = text.charCodeAt(length - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? length - 1 : length);
}

/** Text for `parse_mode: "MarkdownV2"`; `footer` (said once, in italics) ends the message. */
export function renderTelegramMarkdownV2(alerts: readonly FormattedAlert[], footer?: string): string {
  return render(alerts, footer, escapeMarkdownV2, (text) => `*${text}*`, (text) => `_${text}_`);
}

/** Text for `parse_mode: "HTML"`; `footer` (said once, in italics) ends the message. */
export function renderTelegramHtml(alerts: readonly FormattedAlert[], footer?: string): string {
  return render(alerts, footer, escapeTelegramHtml, (text) => `<b>${text}</b>`, (text) => `<i>${text}</i>`);
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
