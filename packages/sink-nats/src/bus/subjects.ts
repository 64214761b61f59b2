/**
 * Subjects of the bus: `<prefix>.liq.<exchange>.<base>` for liquidations and
 * `<prefix>.alert.<kind>.<rule>` for alerts. A subject token cannot hold `.` (the separator), `*` or `>`
 * (wildcards) or white space, and exchange text is untrusted, so every character outside
 * `[A-Za-z0-9_-]` is written as `%XX`, the percent-encoding of its UTF-8 bytes (`%` itself included):
 * `BTC.X` -> `BTC%2EX`, `A B` -> `A%20B`, `币` -> `%E5%B8%81`. `decodeURIComponent` reads a token back.
 */

/** Characters kept as they are in a subject token. */
const SAFE = /^[A-Za-z0-9_-]+$/;

/** One subject token for untrusted text (see the module comment); an empty text becomes `%00`-free `_`. */
export function subjectToken(text: string): string {
  if (SAFE.test(text)) return text;
  if (text.length === 0) return '_';
  let token = '';
  for (const char of text) {
    if (SAFE.test(char)) token += char;
    else for (const byte of Buffer.from(char, 'utf8')) token += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return token;
}

/** A `subjectPrefix` as the options accept it: one or more safe tokens joined by `.`. */
export const SUBJECT_PREFIX_RE = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** The subject of one liquidation: `<prefix>.liq.<exchange>.<base>`. */
export function liquidationSubject(prefix: string, exchange: string, base: string): string {
  return `${prefix}.liq.${subjectToken(exchange)}.${subjectToken(base)}`;
}

/** The subject of one alert: `<prefix>.alert.<kind>.<rule>`. */
export function alertSubject(prefix: string, kind: string, rule: string): string {
  return `${prefix}.alert.${subjectToken(kind)}.${subjectToken(rule)}`;
}

/** Every liquidation subject under a prefix (what a source consumes). */
export function liquidationFilter(prefix: string): string {
  return `${prefix}.liq.>`;
}

/** Every subject under a prefix (what the stream liqmon creates holds). */
export function streamSubjects(prefix: string): string {
  return `${prefix}.>`;
}
