/**
 * A rendered message as its reader sees it: Telegram's markup parsed away (`$57.6K`, not `$57\.6K`),
 * a Discord body laid out as the client shows it. For previews (`liqmon replay`, `start --dry-run`),
 * which otherwise print markup nobody reads.
 */
import { parseTelegramHtml } from '../testing/telegram/html.js';
import { parseMarkdownV2 } from '../testing/telegram/markdown-v2.js';
import type { DiscordMessage } from './render-discord.js';

/**
 * The markup of a rendered message: `plain` text (console), Telegram's parse modes `MarkdownV2` and
 * `HTML`, or a `discord` webhook body ({@link DiscordMessage}).
 */
export type MessageMarkup = 'plain' | 'MarkdownV2' | 'HTML' | 'discord';

/**
 * The text a reader sees for `message`, rendered in `markup`. Telegram text is parsed as Telegram
 * parses it (bold and italics dropped, escapes and entities resolved); a Discord body becomes its
 * `content` (shown above the embeds), then per embed the title, the description, one `name: value`
 * line per field and the footer, with Discord's backslash escapes resolved. Text Telegram would refuse
 * is returned as it is, and anything that is neither a string nor a Discord body as JSON, so a preview
 * never fails.
 */
export function readableText(message: unknown, markup: MessageMarkup): string {
  if (markup === 'discord') return isDiscordMessage(message) ? readableDiscord(message) : JSON.stringify(message, null, 2);
  if (typeof message !== 'string') return JSON.stringify(message, null, 2);
  if (markup === 'plain') return message;
  try {
    return markup === 'HTML' ? parseTelegramHtml(message).text : parseMarkdownV2(message).text;
  } catch {
    return message;
  }
}

/** Discord shows `\x` as `x` for any ASCII punctuation `x`; our renderers write no other markdown. */
function unescapeDiscord(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** Discord's stand-in for an empty field name or value (a zero-width space), shown as nothing. */
const BLANK = '\u200b';

function readableDiscord(message: DiscordMessage): string {
  const blocks: string[] = message.content ? [unescapeDiscord(message.content)] : [];
  for (const embed of message.embeds) {
    const lines = [embed.title, ...(embed.description ? [embed.description] : [])].map(unescapeDiscord);
    for (const field of embed.fields) {
      const name = field.name === BLANK ? '' : unescapeDiscord(field.name);
      const value = field.value === BLANK ? '' : unescapeDiscord(field.value);
      lines.push(name ? `${name}: ${value}` : value);
    }
    if (embed.footer) lines.push(embed.footer.text); // footers show no markdown
    blocks.push(lines.join('\n'));
  }
  return blocks.join('\n\n');
}

function isDiscordMessage(value: unknown): value is DiscordMessage {
  return typeof value === 'object' && value !== null && Array.isArray((value as { embeds?: unknown }).embeds);
}
