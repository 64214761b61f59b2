/**
 * The text a reader sees for a rendered message, for dry-run and replay previews.
 *
 * Until core's formatter exports a function that turns a rendered message (Telegram MarkdownV2 or
 * HTML, Discord embeds) into its reader's text, the preview renders the same alerts with the plain
 * renderer: the same words, numbers and layout as the message, without escapes or markup. This module
 * is the one place to switch over.
 */
import type { Alert } from '../alert.js';
import type { Formatter } from '../format/index.js';

/** Reader's text of `rendered`, a message rendered from `alerts`. */
export function readerText(_rendered: unknown, alerts: readonly Alert[], formatter: Formatter): string {
  return formatter.plain(alerts);
}
