/**
 * Escaping for each markup. Every piece of text that reaches a markup renderer goes through one of
 * these, so symbols such as `BTCUSDT_251226`, `1000PEPEUSDT`, prices with dots and user wording with
 * `!`, `#`, `|` or a backslash can never break a message.
 */

/**
 * Telegram MarkdownV2, outside code and link entities. The Bot API's "Formatting options" section
 * (https://core.telegram.org/bots/api#markdownv2-style) says: "Any character with code between 1 and 126
 * inclusively can be escaped anywhere with a preceding '\' character, in which case it is treated as an
 * ordinary character and not a part of the markup. This implies that '\' character usually must be
 * escaped with a preceding '\' character", and "In all other places characters '_', '*', '[', ']', '(',
 * ')', '~', '`', '>', '#', '+', '-', '=', '|', '{', '}', '.', '!' must be escaped with the preceding
 * character '\'". So we escape exactly those 18 characters and the backslash; everything else
 * (letters, digits, spaces, newlines, emoji, any non-ASCII) passes through unchanged.
 */
export function escapeMarkdownV2(text: string): string {
  return text.replace(MARKDOWN_V2_SPECIAL, '\\$&');
}
const MARKDOWN_V2_SPECIAL = /[_*[\]()~`>#+\-=|{}.!\\]/g;

/**
 * Telegram HTML: "All <, > and & symbols that are not a part of a tag or an HTML entity must be replaced
 * with the corresponding HTML entities (< with &lt;, > with &gt; and & with &amp;)" (Bot API, HTML
 * style). `"` is escaped too so that the same function is safe inside attribute values.
 */
export function escapeTelegramHtml(text: string): string {
  return text.replace(HTML_SPECIAL, (char) => HTML_ENTITIES[char] ?? char);
}
const HTML_SPECIAL = /[<>&"]/g;
const HTML_ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' };

/**
 * Discord markdown (embed titles, descriptions and field values). Discord removes a backslash before any
 * punctuation character and shows the character literally, so escaping the characters its markdown
 * reacts to (emphasis `* _ ~`, code `` ` ``, spoilers `|`, quotes `>`, headings `#`, lists `-`, masked links
 * `[ ] ( )`, mentions/emoji `< :`) and the backslash keeps text literal.
 */
export function escapeDiscord(text: string): string {
  return text.replace(DISCORD_SPECIAL, '\\$&');
}
const DISCORD_SPECIAL = /[\\*_~`|>#\-[\]()<:]/g;
