/**
 * `JsonCursor`: reads a frame's JSON text member by member, in place, building no object at all.
 *
 * `JSON.parse` (and `jsonFieldParser`, which keeps only some keys) builds objects that a decoder reads
 * once and drops: on venues whose frames carry a dozen fields per liquidation, building and then
 * collecting them was most of a decoder's time, more than the whole of a peer library's mapper
 * (docs/performance.md, "Decoders"). With a cursor a decoder walks the text itself: it compares a key
 * where it stands, reads the values it needs straight into locals and skips the rest.
 *
 * It reads the same subset as `jsonFieldParser` (compact, no escapes, no control characters) with the
 * same grammar, and it never reads text that `JSON.parse` refuses as something else: every step checks
 * what it passes over, and the first thing outside the subset or not as expected throws
 * {@link JsonCursor.outside}. A decoder then falls back to its `JSON.parse` path, which accepts the text
 * or reports it exactly as before, so a cursor changes how fast a frame is read, never what it reads to.
 *
 * @example
 * const cursor = JsonCursor.of(text); // undefined: outside the subset, use JSON.parse
 * cursor.enterObject();
 * while (cursor.nextKey()) {
 *   if (cursor.keyIs('price')) price = cursor.number();
 *   else cursor.skip();
 * }
 * cursor.end();
 */
import { decimalNumber } from './decimal.js';
import { inSubset, OUTSIDE, Reader } from './json-fields.js';

const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const DOT = 0x2e;
const ZERO = 0x30;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Digits of a number whose text is exactly what `String()` writes for it (see {@link JsonCursor.numberText}). */
const MAX_CANONICAL_DIGITS = 15;

/**
 * The keys a decoder looks for, found with one array load per key of the text: a chain of
 * `keyIs` calls over a dozen keys per object cost more than reading the values (docs/performance.md).
 * Build it once per decoder (a module constant), then `switch (cursor.key(keys))`.
 */
export class JsonKeys {
  /** Indexes of `names` by length (up to 63) and first character; filled up front, so never a sparse array. */
  readonly slots: (readonly number[] | undefined)[] = new Array<readonly number[] | undefined>(64 << 7).fill(undefined);

  /** @param names the keys; `cursor.key()` answers with an index into this list */
  constructor(readonly names: readonly string[]) {
    names.forEach((name, index) => {
      const slot = keySlot(name.length, name.charCodeAt(0));
      this.slots[slot] = [...(this.slots[slot] ?? []), index];
    });
  }
}

/** The grammar's key tables, unused by the cursor: shared, not allocated per frame. */
const NO_KEYS: never[] = [];
const NO_SHORT_KEYS = { one: [], two: [] };

const keySlot = (length: number, first: number): number => (Math.min(length, 63) << 7) | (first & 0x7f);

/** A cursor over one text; see the module comment. Not reentrant: one frame, one cursor. */
export class JsonCursor extends Reader {
  /** What every step throws when the text is not as expected: catch it and use the `JSON.parse` path. */
  static readonly outside: unknown = OUTSIDE;

  private keyStart = 0;
  private keyLength = 0;
  private numberStart = 0;
  private numberEnd = 0;
  private numberValue = 0;

  private constructor(text: string) {
    super(text, NO_KEYS, NO_SHORT_KEYS); // the cursor matches keys itself (see `key`)
  }

  /** A cursor at the start of `text`, or undefined when the text is outside the subset it reads. */
  static of(text: string): JsonCursor | undefined {
    return inSubset(text) ? new JsonCursor(text) : undefined;
  }

  /** Steps into the object that starts here. */
  enterObject(): void {
    if (this.text.charCodeAt(this.position) !== OPEN_BRACE) throw OUTSIDE;
    this.position++;
  }

  /** Steps into the array that starts here. */
  enterArray(): void {
    if (this.text.charCodeAt(this.position) !== OPEN_BRACKET) throw OUTSIDE;
    this.position++;
  }

  /**
   * Moves to the next member of the object entered last and past its key and colon: true, with the
   * cursor at the value (which must be read or skipped next); false past the closing brace.
   */
  nextKey(): boolean {
    const text = this.text;
    let at = this.position;
    let code = text.charCodeAt(at);
    const first = text.charCodeAt(at - 1) === OPEN_BRACE;
    if (code === CLOSE_BRACE) {
      this.position = at + 1;
      return false;
    }
    if (code === COMMA && !first) code = text.charCodeAt(++at);
    else if (!first) throw OUTSIDE;
    if (code !== QUOTE) throw OUTSIDE;
    const end = text.indexOf('"', at + 1);
    if (end < 0 || text.charCodeAt(end + 1) !== COLON) throw OUTSIDE;
    this.keyStart = at + 1;
    this.keyLength = end - at - 1;
    this.position = end + 2;
    return true;
  }

  /** Moves to the next item of the array entered last: true at an item, false past the closing bracket. */
  nextItem(): boolean {
    const text = this.text;
    const code = text.charCodeAt(this.position);
    const first = text.charCodeAt(this.position - 1) === OPEN_BRACKET;
    if (code === CLOSE_BRACKET) {
      this.position++;
      return false;
    }
    if (first) return true;
    if (code !== COMMA) throw OUTSIDE;
    this.position++;
    return true;
  }

  /** The index in `keys.names` of the key just read, or -1 when it is none of them. */
  key(keys: JsonKeys): number {
    const length = this.keyLength;
    const start = this.keyStart;
    const text = this.text;
    const candidates = keys.slots[keySlot(length, text.charCodeAt(start))];
    if (candidates === undefined) return -1;
    next: for (const index of candidates) {
      const name = keys.names[index]!;
      if (name.length !== length) continue;
      for (let i = 0; i < length; i++) if (name.charCodeAt(i) !== text.charCodeAt(start + i)) continue next;
      return index;
    }
    return -1;
  }

  /** Whether the key just read is `name` (compared in place). */
  keyIs(name: string): boolean {
    const length = this.keyLength;
    if (name.length !== length) return false;
    const text = this.text;
    const start = this.keyStart;
    for (let i = 0; i < length; i++) if (name.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
    return true;
  }

  /** Whether the value here is a string. */
  atString(): boolean {
    return this.text.charCodeAt(this.position) === QUOTE;
  }

  /** Whether the value here is a number. */
  atNumber(): boolean {
    const code = this.text.charCodeAt(this.position);
    return code === 0x2d || (code >= ZERO && code <= 0x39);
  }

  /** The string here (it must be one). */
  string(): string {
    if (this.text.charCodeAt(this.position) !== QUOTE) throw OUTSIDE;
    const start = this.position + 1;
    this.stringEnd();
    return this.text.slice(start, this.position - 1);
  }

  /** Whether the string here (it must be one) is `value`; moves past it either way, building no string. */
  stringIs(value: string): boolean {
    const text = this.text;
    if (text.charCodeAt(this.position) !== QUOTE) throw OUTSIDE;
    const start = this.position + 1;
    this.stringEnd();
    const length = this.position - 1 - start;
    if (length !== value.length) return false;
    for (let i = 0; i < length; i++) if (value.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
    return true;
  }

  /** The number here (it must be one), the value `JSON.parse` gives. */
  number(): number {
    const start = this.position;
    this.skipNumber();
    this.numberStart = start;
    this.numberEnd = this.position;
    this.numberValue = decimalNumber(this.text, start, this.position);
    return this.numberValue;
  }

  /**
   * `String(n)` of the number read last, built from its text where that is the same string: a plain
   * decimal of at most 15 digits, without trailing fraction zeros, from 1e-6 up, is the shortest text
   * that reads back as its double (two decimals of at most 15 significant digits are never the same
   * double), which is what `String()` writes. Anything else goes through `String()`.
   */
  numberText(): string {
    const text = this.text;
    const start = this.numberStart;
    const end = this.numberEnd;
    const value = this.numberValue;
    let digits = 0;
    let dot = false;
    for (let i = start; i < end; i++) {
      const code = text.charCodeAt(i);
      if (code === DOT) dot = true;
      else if (code >= ZERO && code <= 0x39) digits++;
      else return String(value); // a sign or an exponent
    }
    if (digits > MAX_CANONICAL_DIGITS || (dot && text.charCodeAt(end - 1) === ZERO) || (value !== 0 && value < 1e-6)) return String(value);
    return text.slice(start, end);
  }

  /** Moves past the value here, whatever it is, checking it as `JSON.parse` would. */
  skipValue(): void {
    this.skip(0);
  }

  /** Checks that the whole text has been read. */
  end(): void {
    if (this.position !== this.text.length) throw OUTSIDE;
  }
}
