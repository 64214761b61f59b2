/**
 * Exchange text is data, never markup or control. Symbols, assets, exchange and market names, source
 * names and ids come from exchange frames (untrusted, docs/security.md); before any of it reaches a
 * reader (a chat message, a terminal) the characters that could act rather than show are neutralised:
 *  - C0 controls (U+0000-U+001F, newline and tab included), DEL (U+007F) and C1 controls
 *    (U+0080-U+009F): a newline would start a line of the exchange's choosing ("🚨 FAKE: ..."), ESC and
 *    the 8-bit CSI/OSC would drive the terminal;
 *  - bidirectional controls (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069): an RTL override
 *    makes `BTCUSDT` read backwards or hides what follows;
 *  - the line and paragraph separators (U+2028, U+2029), which some clients show as line breaks;
 *  - zero-width characters (U+200B-U+200D, U+2060, U+FEFF): `BTC\u200BUSDT` looks like `BTCUSDT`.
 * Each is replaced by U+FFFD (�), so a tampered symbol stays visibly different from a genuine one.
 * Renderers escape markup separately (escape.ts); this is about characters no markup escapes.
 */
import type { Liquidation } from '../liquidation.js';

/** The characters {@link sanitizeText} neutralises (see the module comment for why each). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const UNSAFE_TEXT_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/g;

/** What an unsafe character is shown as. */
export const REPLACEMENT_CHAR = '\ufffd';

/**
 * `text` with every control, bidi-control and zero-width character replaced by U+FFFD, ready to be shown.
 * Use it on every piece of exchange-supplied text before it is rendered; text without such characters
 * is returned unchanged (the same string).
 */
export function sanitizeText(text: string): string {
  UNSAFE_TEXT_CHARS.lastIndex = 0;
  return UNSAFE_TEXT_CHARS.test(text) ? text.replace(UNSAFE_TEXT_CHARS, REPLACEMENT_CHAR) : text;
}

/**
 * A JSON text with every unsafe character written as a `\uXXXX` escape: the value a script parses is
 * unchanged (data stays data), while the bytes that reach a terminal hold no control, bidi or
 * zero-width character. `JSON.stringify` escapes C0 controls but writes C1, bidi and zero-width
 * characters as they are. Only valid on JSON text: such characters can occur only inside its strings.
 */
export function escapeUnsafeJson(json: string): string {
  return json.replace(UNSAFE_TEXT_CHARS, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * `event` with its exchange-supplied text fields (`id`, `exchange`, `market`, `symbol`, `base`, `quote`,
 * `source`) passed through {@link sanitizeText}; the event itself when none needed it.
 */
export function sanitizeLiquidation(event: Liquidation): Liquidation {
  let copy: Liquidation | undefined;
  for (const field of TEXT_FIELDS) {
    const value = event[field];
    const safe = sanitizeText(value);
    if (safe !== value) (copy ??= { ...event })[field] = safe;
  }
  return copy ?? event;
}
const TEXT_FIELDS = ['id', 'exchange', 'market', 'symbol', 'base', 'quote', 'source'] as const;
