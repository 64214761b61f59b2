import type { SecretRegistry } from '../plugin.js';

/** Shortest value treated as a secret; shorter ones would redact ordinary words. */
const MIN_SECRET_LENGTH = 6;

/**
 * Replaces registered secret values with `[redacted]` in any text. Redaction is by value, not by key,
 * so a token inside a URL, an error message or a stack trace is caught wherever it appears.
 */
export class Redactor implements SecretRegistry {
  readonly #secrets = new Set<string>();
  #pattern: RegExp | undefined;

  add(value: string | undefined): void {
    if (!value || value.length < MIN_SECRET_LENGTH || this.#secrets.has(value)) return;
    this.#secrets.add(value);
    // Also the URL-encoded form, as it appears in request URLs.
    const encoded = encodeURIComponent(value);
    if (encoded !== value) this.#secrets.add(encoded);
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
      'g',
    );
    return text.replace(this.#pattern, '[redacted]');
  }
}
