import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inSubset, jsonFieldParser, type JsonFieldValue } from '../../src/util/json-fields.js';

/** What jsonFieldParser promises: JSON.parse's value with every object cut down to `keys`. */
function pick(value: unknown, keys: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((item) => pick(item, keys));
  if (typeof value !== 'object' || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (keys.has(key)) result[key] = pick(item, keys);
  return result;
}

/** JSON.parse's verdict: the picked value, or 'refused'. */
function reference(text: string, keys: ReadonlySet<string>): unknown {
  try {
    return pick(JSON.parse(text), keys);
  } catch {
    return 'refused';
  }
}

const KEY_NAMES = ['a', 'b', 's', 'S', 'ap', 'data', 'o', 'T', '', 'x_y', '币', 'é1', 'ab', 'abc'];
/** Strings the subset takes as they are (no escapes, no control characters), and some it does not. */
const plainString = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', ':', ',', '{', ']', 'é', '币', '\u2028') });
const anyString = fc.oneof(plainString, fc.string());
const json = (strings: fc.Arbitrary<string>) =>
  fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      strings,
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.oneof(fc.constantFrom(...KEY_NAMES), strings), tie('value'), { maxKeys: 5 }),
    ),
  })).value;
const topLevel = (strings: fc.Arbitrary<string>) => fc.oneof(fc.array(json(strings), { maxLength: 4 }), fc.dictionary(fc.oneof(fc.constantFrom(...KEY_NAMES), strings), json(strings), { maxKeys: 6 }));
const keySet = fc.subarray(KEY_NAMES).map((keys) => new Set(keys));

// Property tests of thousands of generated texts: seconds alone, minutes on a busy machine. No vitest time
// limit should fail a property that holds.
describe('jsonFieldParser', { timeout: 300_000 }, () => {
  it('equals JSON.parse cut down to the keys, for compact JSON without escapes', () => {
    fc.assert(
      fc.property(topLevel(plainString), keySet, (value, keys) => {
        const text = JSON.stringify(value);
        const parsed = jsonFieldParser(keys)(text);
        expect(parsed).not.toBeUndefined(); // in the subset: the fast path must take it
        expect(parsed).toEqual(reference(text, keys));
      }),
      { numRuns: 3000 },
    );
  });

  it('returns JSON.parse’s value or nothing for any JSON text', () => {
    fc.assert(
      fc.property(topLevel(anyString), keySet, fc.boolean(), (value, keys, spaced) => {
        const text = JSON.stringify(value, null, spaced ? 1 : undefined);
        const parsed = jsonFieldParser(keys)(text);
        if (parsed !== undefined) expect(parsed).toEqual(reference(text, keys));
      }),
      { numRuns: 3000 },
    );
  });

  it('never accepts a text JSON.parse refuses (random cuts, insertions and replacements of valid text)', () => {
    const edit = fc.record({ at: fc.nat(), cut: fc.nat({ max: 3 }), insert: fc.string({ maxLength: 3, unit: fc.constantFrom('"', '{', '}', '[', ']', ',', ':', '-', '.', 'e', '0', '1', 't', 'n', ' ', '\\') }) });
    fc.assert(
      fc.property(topLevel(plainString), keySet, edit, (value, keys, { at, cut, insert }) => {
        const valid = JSON.stringify(value);
        const position = at % (valid.length + 1);
        const text = valid.slice(0, position) + insert + valid.slice(position + cut);
        const parsed = jsonFieldParser(keys)(text);
        const expected = reference(text, keys);
        if (expected === 'refused') expect(parsed).toBeUndefined();
        else if (parsed !== undefined) expect(parsed).toEqual(expected);
      }),
      { numRuns: 20000 },
    );
  });

  it('reads numbers exactly as JSON.parse, and refuses what JSON does not allow', () => {
    const parse = jsonFieldParser(['n']);
    for (const n of ['0', '-0', '7', '-12', '0.5', '1e5', '1E+5', '2.5e-3', '-1.5E-300', '1e400', '123456789012345678901234567890', '1750000000000']) {
      const parsed = parse(`{"n":${n}}`) as { n: number };
      expect(Object.is(parsed.n, JSON.parse(`{"n":${n}}`).n)).toBe(true);
    }
    for (const bad of ['01', '1.', '.5', '+1', '-', '1e', '1e+', '0x10', 'NaN', 'Infinity', '1.5.5', '--1']) expect(parse(`{"n":${bad}}`)).toBeUndefined();
  });

  it('adds up whole numbers of up to 15 digits itself and leaves longer ones to Number(), exactly either way', () => {
    const parse = jsonFieldParser(['n']);
    const edges = ['999999999999999', '-999999999999999', '1000000000000000', '9007199254740991', '9007199254740993', '-9007199254740993', '18446744073709551615', '00'];
    const integers = fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map(String));
    for (const n of edges) expect(Object.is((parse(`{"n":${n}}`) as { n: number } | undefined)?.n, n === '00' ? undefined : JSON.parse(n))).toBe(true);
    fc.assert(
      fc.property(integers, (n) => {
        const text = `{"n":${String(n)}}`;
        expect(Object.is((parse(text) as { n: number }).n, (JSON.parse(text) as { n: number }).n)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('takes the last of duplicate keys, skips containers it does not keep, and keeps whole arrays', () => {
    const parse = jsonFieldParser(['data', 's', 'v']);
    expect(parse('{"s":"A","x":{"s":"hidden"},"s":"B","data":[{"s":"1","p":"2"},3,[{"v":true}],null]}')).toEqual({ s: 'B', data: [{ s: '1' }, 3, [{ v: true }], null] });
    expect(parse('[]')).toEqual([]);
    expect(parse('{}')).toEqual({});
    expect(parse('{"s":{},"v":[]}')).toEqual({ s: {}, v: [] });
  });

  it('leaves to JSON.parse what is outside its subset', () => {
    const parse = jsonFieldParser(['s']);
    for (const text of ['{"s": "a"}', ' {"s":"a"}', '{"s":"a"}\n', '{"s":"a\\"b"}', '{"s":"a\u0001"}', '"s"', '12', 'true', '', '{"s":"a"', '{"s":"a"}}', '{"s":"a",}', '{s:"a"}', '{"s":tru}']) {
      expect(parse(text)).toBeUndefined();
    }
  });

  it('takes a text into the subset exactly when it starts an object or array and holds no escape or control character', () => {
    // The definition, written as the search it replaced: any character below U+0020, or a backslash.
    // eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
    const outside = /[\u0000-\u001f\\]/;
    const definition = (text: string): boolean => (text.startsWith('{') || text.startsWith('[')) && !outside.test(text);
    const unit = fc.oneof(
      fc.constantFrom('{', '[', '"', '\\', '\n', '\r', '\t', '\u0000', '\u001f', ' ', '\u007f', '\u2028', '\ud800', '\udc00', 'é', '币', 'a', '$', '^'),
      fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), fc.constantFrom('', '{', '['), (body, start) => {
        const text = start + body;
        expect(inSubset(text)).toBe(definition(text));
      }),
      { numRuns: 5000 },
    );
    for (const text of ['{}', '[]', '{"a":"b"}\n', '{"a":"b"}\u2028', '{\n}', '[1]\u0000', '\\{', '{"a":"\\u0041"}', ''])
      expect([text, inSubset(text)]).toEqual([text, definition(text)]);
  });

  it('reads real exchange frames as JSON.parse does', () => {
    const frames = [
      '{"stream":"btcusdt@forceOrder","data":{"e":"forceOrder","E":1584059031426,"o":{"s":"BTCUSDT","S":"BUY","o":"LIMIT","f":"IOC","q":"0.014","p":"4793.91","ap":"4706.04","X":"FILLED","l":"0.015","z":"0.014","T":1584059031421}}}',
      '{"topic":"allLiquidation.PIPPINUSDT","type":"snapshot","ts":1740480207578,"data":[{"T":1740480207110,"s":"PIPPINUSDT","S":"Sell","v":"2846","p":"0.02456"}]}',
      '{"success":true,"ret_msg":"pong","conn_id":"0970e817-426e-429a-a679-ff7f55e0b16a","op":"ping"}',
    ];
    const keys = new Set(['stream', 'data', 'e', 'E', 'o', 's', 'S', 'z', 'ap', 'T', 'topic', 'v', 'p', 'op', 'success']);
    for (const text of frames) expect(jsonFieldParser(keys)(text)).toEqual(reference(text, keys) as JsonFieldValue);
  });

  it('refuses to select __proto__', () => {
    expect(() => jsonFieldParser(['__proto__'])).toThrow(/__proto__/);
  });
});
