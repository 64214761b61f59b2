import type { SecretRegistry } from '../plugin.js';

/** Shortest value treated as a secret; shorter ones would redact ordinary words. */
const MIN_SECRET_LENGTH = 6;
/**
 * Shortest piece of a secret redacted where text was cut (see {@link Redactor.redact}): at least this
 * many characters and at least half the secret, so that the public start of a webhook URL
 * (`https://discord.com/api/webhooks/`) in a hint is left alone.
 */
const MIN_CUT_PIECE = 12;
/** What marks a cut: an ellipsis, three dots, or the end of the text. */
const CUT_MARK = /…|\.\.\.|$/g;
const REDACTED = '[redacted]';

/**
 * Replaces registered secret values with `[redacted]` in any text. Redaction is by value, not by key,
 * so a token inside a URL, an error message or a stack trace is caught wherever it appears:
 *  - in any letter case (a server that echoes the webhook URL upper-cased),
 *  - URL-encoded (`%2F`, as in request URLs) and JSON-escaped (as in log lines);
 *  - cut short: the start of a secret (at least half of it) right before `…`, `...` or the end of the
 *    text is redacted too, so text cut for display by code that forgot to redact first leaks nothing.
 * Code that cuts text for display should still call {@link Redactor.cut} (redact first, then cut).
 */
export class Redactor implements SecretRegistry {
  /** Registered values and their encoded forms, lower-cased. */
  readonly #secrets = new Set<string>();
  #pattern: RegExp | undefined;

  add(value: string | undefined): void {
    if (!value || value.length < MIN_SECRET_LENGTH || this.#secrets.has(value.toLowerCase())) return;
    for (const form of [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]) this.#secrets.add(form.toLowerCase());
    this.#pattern = undefined;
  }

  /** The text with every registered secret replaced. */
  redact(text: string): string {
    if (this.#secrets.size === 0) return text;
    this.#pattern ??= new RegExp(
      [...this.#secrets]
        .sort((a, b) => b.length - a.length)
        .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('|'),
      'gi',
    );
    return this.#redactCutPieces(text.replace(this.#pattern, REDACTED));
  }

  /**
   * The text redacted, then cut to at most `max` characters (ending in `…` when cut): the order that
   * never shows part of a secret. Every place that shortens text for display uses this.
   */
  cut(text: string, max: number): string {
    const redacted = this.redact(text);
    if (redacted.length <= max) return redacted;
    const keep = Math.max(0, max - 1);
    // Do not split a surrogate pair.
    const code = redacted.charCodeAt(keep - 1);
    return `${redacted.slice(0, code >= 0xd800 && code <= 0xdbff ? keep - 1 : keep)}…`;
  }

  /** Redact the start of a secret that ends where the text was cut (before `…`, `...` or its end). */
  #redactCutPieces(text: string): string {
    const lower = text.toLowerCase();
    // A few characters change length when lower-cased (İ); positions would no longer line up.
    if (lower.length !== text.length) return text;
    const pieces: Array<{ start: number; end: number }> = [];
    for (const mark of lower.matchAll(CUT_MARK)) {
      const end = mark.index;
      let longest = 0;
      for (const secret of this.#secrets) {
        const least = Math.max(MIN_CUT_PIECE, Math.ceil(secret.length / 2));
        for (let length = Math.min(secret.length - 1, end); length >= least && length > longest; length--) {
          if (lower.startsWith(secret.slice(0, length), end - length)) {
            longest = length;
            break;
          }
        }
      }
      if (longest > 0) pieces.push({ start: end - longest, end });
      if (mark[0] === '') break;
    }
    let out = text;
    for (const piece of pieces.reverse()) out = `${out.slice(0, piece.start)}${REDACTED}${out.slice(piece.end)}`;
    return out;
  }
}
