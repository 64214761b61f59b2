/**
 * `jsonFieldParser(keys)`: a JSON.parse that builds only the object keys a decoder reads.
 *
 * An exchange frame carries a dozen fields of which a decoder reads four or five; `JSON.parse` still
 * builds every object, string and number, and that was most of the cost of a liquidation between the
 * socket and the sinks (docs/performance.md). This reads the same text but materializes only the keys
 * in `keys` (at any depth, along with the objects and arrays they hold); the rest is checked and
 * skipped.
 *
 * It handles a strict subset of JSON, the one exchanges send: compact (no whitespace between tokens),
 * no escape sequences, no control characters. For anything else it returns `undefined` and the caller
 * falls back to `JSON.parse`, so a frame is never read differently, only faster:
 * - whatever it returns equals `JSON.parse(text)` with every object cut down to `keys` (arrays keep
 *   all their items), duplicate keys included (the last one wins, as in JSON.parse);
 * - it never returns a value for text that JSON.parse refuses.
 * The property tests in test/util/json-fields.test.ts check both against JSON.parse.
 */

import { decimalNumber } from './decimal.js';

/** Values as JSON.parse builds them, cut down to the selected keys. */
export type JsonFieldValue = string | number | boolean | null | JsonFieldValue[] | { [key: string]: JsonFieldValue };

const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const PLUS = 0x2b;

/**
 * A text free of escapes and control characters (which include the whitespace JSON allows): those are
 * the fallback's business. Written as one anchored run over the whole text rather than a search for
 * the first bad character (`/[\u0000-\u001f\\]/`, true exactly when this is false): V8 runs the
 * anchored form as a single loop, the search form tries a match at every position, and it cost a
 * third more (about 0.2 against 0.33 µs on a 350-character frame; docs/performance.md, "Decoders").
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const PLAIN_TEXT = /^[^\u0000-\u001f\\]*$/;

/**
 * Whether `text` may be read by this module's readers: an object or array at the top, and no escape
 * or control character anywhere (so a string ends at the next quote, and no whitespace separates tokens).
 * @internal shared with json-cursor.ts
 */
export function inSubset(text: string): boolean {
  const first = text.charCodeAt(0);
  return (first === OPEN_BRACE || first === OPEN_BRACKET) && PLAIN_TEXT.test(text);
}

/** Deeper nesting than any frame has: handed to JSON.parse rather than recursed into. */
const MAX_DEPTH = 32;

/**
 * Thrown inside the reader when the text leaves the subset; caught at the top.
 * @internal shared with json-cursor.ts
 */
export const OUTSIDE: unique symbol = Symbol('outside the subset');

/**
 * Selected keys by length and first character (`length << 8 | code & 0xff`), so that a key in the
 * text is matched with one comparison, without slicing it out first. Keys of 64 characters or more
 * share the last slot.
 */
type KeyTable = (readonly string[] | undefined)[];

/**
 * The selected keys of one or two ASCII characters, by their codes (`c0` or `c0 << 7 | c1`): most
 * keys of exchange frames are that short (`s`, `S`, `T`, `ap`), and one array load finds them.
 */
interface ShortKeys {
  one: (string | undefined)[];
  two: (string | undefined)[];
}

const LONG_KEY = 64;
const slotOf = (length: number, first: number): number => (Math.min(length, LONG_KEY) << 8) | (length === 0 ? 0 : first & 0xff);

/** @internal the grammar, shared with json-cursor.ts (not exported from the package). */
export class Reader {
  position = 0;

  constructor(
    protected readonly text: string,
    private readonly keys: KeyTable,
    private readonly short: ShortKeys,
  ) {}

  /** The selected key spelled at text[start, start + length), or undefined. */
  private selected(start: number, length: number): string | undefined {
    const text = this.text;
    if (length === 1) {
      const code = text.charCodeAt(start);
      if (code < 0x80) return this.short.one[code];
    } else if (length === 2) {
      const first = text.charCodeAt(start);
      const second = text.charCodeAt(start + 1);
      if ((first | second) < 0x80) return this.short.two[(first << 7) | second];
    }
    const candidates = this.keys[slotOf(length, text.charCodeAt(start))];
    if (candidates === undefined) return undefined;
    // Character by character: keys are a few characters long, shorter than a call to startsWith costs.
    next: for (const key of candidates) {
      if (key.length !== length) continue;
      for (let i = 0; i < length; i++) if (key.charCodeAt(i) !== text.charCodeAt(start + i)) continue next;
      return key;
    }
    return undefined;
  }

  /** A value that is kept. */
  value(depth: number): JsonFieldValue {
    const code = this.text.charCodeAt(this.position);
    if (code === QUOTE) return this.stringValue();
    if (code === OPEN_BRACE) return this.object(depth + 1);
    if (code === OPEN_BRACKET) return this.array(depth + 1);
    if (code === MINUS || (code >= ZERO && code <= NINE)) {
      const start = this.position;
      this.skipNumber();
      // Exchange times are 13-digit integers: read from the text in place, exactly as Number() would.
      return decimalNumber(this.text, start, this.position);
    }
    return this.literal();
  }

  /** A value that is checked but not kept. */
  skip(depth: number): void {
    const code = this.text.charCodeAt(this.position);
    if (code === QUOTE) this.stringEnd();
    else if (code === OPEN_BRACE) this.skipObject(depth + 1);
    else if (code === OPEN_BRACKET) this.skipArray(depth + 1);
    else if (code === MINUS || (code >= ZERO && code <= NINE)) this.skipNumber();
    else this.literal();
  }

  private object(depth: number): { [key: string]: JsonFieldValue } {
    if (depth > MAX_DEPTH) throw OUTSIDE;
    const result: { [key: string]: JsonFieldValue } = {};
    const text = this.text;
    this.position++; // {
    if (text.charCodeAt(this.position) === CLOSE_BRACE) {
      this.position++;
      return result;
    }
    for (;;) {
      if (text.charCodeAt(this.position) !== QUOTE) throw OUTSIDE;
      const keyStart = this.position + 1;
      this.stringEnd();
      const key = this.selected(keyStart, this.position - 1 - keyStart);
      if (text.charCodeAt(this.position) !== COLON) throw OUTSIDE;
      this.position++;
      if (key !== undefined) result[key] = this.value(depth);
      else this.skip(depth);
      const next = text.charCodeAt(this.position++);
      if (next === COMMA) continue;
      if (next === CLOSE_BRACE) return result;
      throw OUTSIDE;
    }
  }

  private skipObject(depth: number): void {
    if (depth > MAX_DEPTH) throw OUTSIDE;
    const text = this.text;
    this.position++;
    if (text.charCodeAt(this.position) === CLOSE_BRACE) {
      this.position++;
      return;
    }
    for (;;) {
      if (text.charCodeAt(this.position) !== QUOTE) throw OUTSIDE;
      this.stringEnd();
      if (text.charCodeAt(this.position) !== COLON) throw OUTSIDE;
      this.position++;
      this.skip(depth);
      const next = text.charCodeAt(this.position++);
      if (next === COMMA) continue;
      if (next === CLOSE_BRACE) return;
      throw OUTSIDE;
    }
  }

  private array(depth: number): JsonFieldValue[] {
    if (depth > MAX_DEPTH) throw OUTSIDE;
    const result: JsonFieldValue[] = [];
    const text = this.text;
    this.position++; // [
    if (text.charCodeAt(this.position) === CLOSE_BRACKET) {
      this.position++;
      return result;
    }
    for (;;) {
      result.push(this.value(depth));
      const next = text.charCodeAt(this.position++);
      if (next === COMMA) continue;
      if (next === CLOSE_BRACKET) return result;
      throw OUTSIDE;
    }
  }

  private skipArray(depth: number): void {
    if (depth > MAX_DEPTH) throw OUTSIDE;
    const text = this.text;
    this.position++;
    if (text.charCodeAt(this.position) === CLOSE_BRACKET) {
      this.position++;
      return;
    }
    for (;;) {
      this.skip(depth);
      const next = text.charCodeAt(this.position++);
      if (next === COMMA) continue;
      if (next === CLOSE_BRACKET) return;
      throw OUTSIDE;
    }
  }

  private stringValue(): string {
    const start = this.position + 1;
    this.stringEnd();
    return this.text.slice(start, this.position - 1);
  }

  /** Moves past a string (the text holds no escapes: checked up front). */
  protected stringEnd(): void {
    const end = this.text.indexOf('"', this.position + 1);
    if (end < 0) throw OUTSIDE;
    this.position = end + 1;
  }

  /** Moves past a number written as JSON writes it: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
  protected skipNumber(): void {
    const text = this.text;
    let at = this.position;
    if (text.charCodeAt(at) === MINUS) at++;
    const first = text.charCodeAt(at);
    if (first === ZERO) at++;
    else if (first > ZERO && first <= NINE) at = this.digits(at);
    else throw OUTSIDE;
    if (text.charCodeAt(at) === DOT) {
      const after = this.digits(at + 1);
      if (after === at + 1) throw OUTSIDE;
      at = after;
    }
    const e = text.charCodeAt(at);
    if (e === LOWER_E || e === UPPER_E) {
      at++;
      const sign = text.charCodeAt(at);
      if (sign === PLUS || sign === MINUS) at++;
      const after = this.digits(at);
      if (after === at) throw OUTSIDE;
      at = after;
    }
    this.position = at;
  }

  private digits(from: number): number {
    let at = from;
    for (let code = this.text.charCodeAt(at); code >= ZERO && code <= NINE; code = this.text.charCodeAt(at)) at++;
    return at;
  }

  private literal(): boolean | null {
    const text = this.text;
    if (text.startsWith('true', this.position)) {
      this.position += 4;
      return true;
    }
    if (text.startsWith('false', this.position)) {
      this.position += 5;
      return false;
    }
    if (text.startsWith('null', this.position)) {
      this.position += 4;
      return null;
    }
    throw OUTSIDE;
  }
}

/** Parses one text; see {@link jsonFieldParser}. */
export type JsonFieldParser = (text: string) => JsonFieldValue | undefined;

/**
 * A parser of texts keeping only the object keys in `keys`. It returns `undefined` when a text is
 * outside the subset it reads: then call `JSON.parse`, which accepts it or throws as usual. The top
 * level must be an object or an array.
 *
 * @example
 * const parseFields = jsonFieldParser(['data', 's', 'p']);
 * const message = parseFields(frame.data) ?? JSON.parse(frame.data);
 */
export function jsonFieldParser(keys: Iterable<string>): JsonFieldParser {
  // Filled up front: assigning a high index of an empty array makes it sparse (a dictionary), and every
  // key of every frame is looked up here.
  const table: KeyTable = new Array<readonly string[] | undefined>(slotOf(LONG_KEY, 0xff) + 1).fill(undefined);
  const short: ShortKeys = { one: new Array<string | undefined>(0x80).fill(undefined), two: new Array<string | undefined>(0x4000).fill(undefined) };
  for (const key of new Set(keys)) {
    // Assigning it would set the object's prototype; JSON.parse makes it an own property.
    if (key === '__proto__') throw new TypeError('jsonFieldParser: "__proto__" cannot be selected');
    const first = key.charCodeAt(0);
    const second = key.charCodeAt(1);
    if (key.length === 1 && first < 0x80) short.one[first] = key;
    else if (key.length === 2 && (first | second) < 0x80) short.two[(first << 7) | second] = key;
    else {
      const slot = slotOf(key.length, first);
      table[slot] = [...(table[slot] ?? []), key];
    }
  }
  return (text) => {
    if (!inSubset(text)) return undefined;
    const reader = new Reader(text, table, short);
    try {
      const value = reader.value(0);
      return reader.position === text.length ? value : undefined;
    } catch (error) {
      if (error === OUTSIDE) return undefined;
      throw error;
    }
  };
}
