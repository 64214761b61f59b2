import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonCursor, JsonKeys } from '../../src/util/json-cursor.js';

/** Reads `text` as JSON.parse would, with the cursor only: the value, or 'outside' when the cursor gives up. */
function readAll(text: string): unknown {
  const cursor = JsonCursor.of(text);
  if (cursor === undefined) return 'outside';
  try {
    const value = readValue(cursor);
    cursor.end();
    return value;
  } catch (error) {
    if (error === JsonCursor.outside) return 'outside';
    throw error;
  }
}

function readValue(cursor: JsonCursor): unknown {
  if (cursor.atString()) return cursor.string();
  if (cursor.atNumber()) return cursor.number();
  const keys = new JsonKeys(['a', 'b', 'data', 'é1', '币']);
  try {
    cursor.enterObject();
  } catch {
    try {
      cursor.enterArray();
    } catch {
      cursor.skipValue(); // true, false, null (or anything else: it throws)
      return 'literal';
    }
    const items: unknown[] = [];
    while (cursor.nextItem()) items.push(readValue(cursor));
    return items;
  }
  const result: Record<string, unknown> = {};
  while (cursor.nextKey()) {
    const index = cursor.key(keys);
    if (index >= 0) result[keys.names[index]!] = readValue(cursor);
    else cursor.skipValue();
  }
  return result;
}

/** JSON.parse's value with literals as 'literal' and only the keys above, or 'refused'. */
function expected(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'refused';
  }
  const keep = new Set(['a', 'b', 'data', 'é1', '币']);
  const shape = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(shape);
    if (item === null || typeof item === 'boolean') return 'literal';
    if (typeof item !== 'object') return item;
    return Object.fromEntries(Object.entries(item).filter(([key]) => keep.has(key)).map(([key, inner]) => [key, shape(inner)]));
  };
  return shape(value);
}

const KEY_NAMES = ['a', 'b', 'data', 'é1', '币', 'i1', 'c', 'datb', ''];
const plainString = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', ':', ',', '{', ']', 'é', '币') });
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    plainString,
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...KEY_NAMES), plainString), tie('value'), { maxKeys: 5 }),
  ),
})).value;
const topLevel = fc.oneof(fc.array(json, { maxLength: 4 }), fc.dictionary(fc.oneof(fc.constantFrom(...KEY_NAMES), plainString), json, { maxKeys: 6 }));

describe('JsonCursor', () => {
  it('reads compact JSON to the values JSON.parse gives', () => {
    fc.assert(
      fc.property(topLevel, (value) => {
        const text = JSON.stringify(value);
        expect(readAll(text)).toEqual(expected(text));
      }),
      { numRuns: 500 },
    );
  });

  it('never reads a text that JSON.parse refuses (it gives up instead)', () => {
    const broken = topLevel.chain((value) => {
      const text = JSON.stringify(value);
      return fc.tuple(fc.nat(text.length), fc.constantFrom('', ',', '}', ']', '"', ':', '1', '-', '.', 'e', ' ', '\n', '\\', '\u0001')).map(([at, insert]) => text.slice(0, at) + insert + text.slice(at + 1));
    });
    fc.assert(
      fc.property(broken, (text) => {
        const read = readAll(text);
        if (expected(text) === 'refused') expect(read).toBe('outside');
        else if (read !== 'outside') expect(read).toEqual(expected(text));
      }),
      { numRuns: 2000 },
    );
    for (const text of ['{"a":1,}', '[1,]', '{,"a":1}', '[,1]', '{"a":1"b":2}', '{"a" :1}', '{"a":01}', '{"a":1.}', '{"a":"x\\"y"}', '{"a":"\t"}', '{"a":1}x'])
      expect([text, readAll(text)]).toEqual([text, 'outside']);
  });

  it('writes a number read as String() does, from its text where that is the same', () => {
    const numberTexts = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => JSON.stringify(value)),
      fc.tuple(fc.nat(10 ** 9), fc.nat(10 ** 6), fc.nat(8)).map(([whole, fraction, zeros]) => `${whole}.${'0'.repeat(zeros)}${fraction}`),
      fc.constantFrom('0', '0.0', '1500.0', '1e-7', '0.000001', '0.0000001', '123456789012345', '1234567890123456', '1800000000001', '-2.5', '1E3', '2446.260'),
    );
    fc.assert(
      fc.property(numberTexts, (text) => {
        const cursor = JsonCursor.of(`[${text}]`)!;
        cursor.enterArray();
        cursor.nextItem();
        const value = cursor.number();
        expect(value).toBe(JSON.parse(text));
        expect(cursor.numberText()).toBe(String(JSON.parse(text)));
      }),
      { numRuns: 2000 },
    );
  });

  it('finds the keys of a JsonKeys list, and no other (a first character that is not ASCII included)', () => {
    const keys = new JsonKeys(['price', 'pr', 'é1', 'i1', 'contract_code']);
    const found = (key: string): number => {
      const cursor = JsonCursor.of(`{"${key}":1}`)!;
      cursor.enterObject();
      cursor.nextKey();
      return cursor.key(keys);
    };
    expect(['price', 'pr', 'é1', 'i1', 'contract_code', 'prices', 'pricf', 'contract_type', '', 'ĩ1'].map(found)).toEqual([0, 1, 2, 3, 4, -1, -1, -1, -1, -1]);
  });
});
